"""Test set-up shared by every layer.

Qt runs offscreen. Under CI=true a skipped test counts as a failure: tests may skip on a
laptop without CUPS or Xvfb, never in CI.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_SCALE_FACTOR", "1")

import pytest  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if IN_CI and skipped:
        reporter.write_line(f"CI=true: {len(skipped)} skipped test(s) count as failures.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def cheap_pin_hashing(monkeypatch):
    """Argon2id at the kiosk's cost takes about 0.1 s a PIN, and the nurse-station tests hash
    hundreds. Tests use the cheapest parameters; the kiosk itself never does (the production
    hasher is checked in tests/store/test_pin_cost.py)."""
    from argon2 import PasswordHasher

    import kiosk.store.nurses as nurses

    KIOSK_PIN_HASHER.setdefault("hasher", nurses._HASHER)  # as the kiosk made it, never patched
    monkeypatch.setattr(nurses, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


KIOSK_PIN_HASHER: dict = {}

CUPS_LOCK = "/tmp/kiosk-tests-cups.lock"


@pytest.fixture(autouse=True)
def one_test_at_a_time_on_the_print_queue(request):
    """The tests marked `uses_cups` print to, stop and reject the one real CUPS queue "PDF";
    under two workers (pytest-xdist) a test stopping it in one would fail a print in the
    other. Each such test holds an exclusive lock across processes while it runs."""
    if request.node.get_closest_marker("uses_cups") is None:
        yield
        return
    import fcntl

    with open(CUPS_LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            _print_queue_at_rest()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _print_queue_at_rest(timeout: float = 30.0) -> None:
    """Wait until the last test's jobs are through: a job still in cups-pdf's backend when
    the next test stops the queue sets the queue's message to the backend's own words."""
    import shutil
    import subprocess
    import time

    if shutil.which("lpstat") is None:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = subprocess.run(["lpstat", "-o", "PDF"], capture_output=True, text=True).stdout.strip()
        state = subprocess.run(["lpstat", "-p", "PDF"], capture_output=True, text=True).stdout
        if not jobs and "now printing" not in state:
            return
        time.sleep(0.1)


@pytest.fixture(autouse=True)
def no_parse_cache_after_the_test():
    """`kiosk.app.create_kiosk` keeps parsed TOML in its data folder for the rest of the process
    (kiosk.toml_cache); a later test in the same worker must parse its own texts again."""
    yield
    from kiosk import toml_cache

    toml_cache.use_folder(None)


@pytest.fixture
def real_pack():
    from kiosk.content import load_pack

    return load_pack("en")
