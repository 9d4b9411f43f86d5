"""The kiosk's own PIN hashing keeps Argon2id's full cost (tests run with cheap parameters,
see tests/conftest.py): a 4-digit PIN is only as safe as each try is slow."""

from argon2 import PasswordHasher, Type

from tests.conftest import KIOSK_PIN_HASHER


def test_the_kiosk_hashes_pins_with_argon2id_at_its_full_default_cost():
    hasher = KIOSK_PIN_HASHER["hasher"]  # the kiosk's own, saved before the cheap one replaced it
    default = PasswordHasher()
    assert hasher.type is Type.ID
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        default.time_cost, default.memory_cost, default.parallelism)
    assert hasher.memory_cost >= 64 * 1024 and hasher.time_cost >= 3
