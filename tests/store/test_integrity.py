"""`check_archive`: every PDF the database names is still there, byte for byte (`kiosk doctor`)."""

import os
from pathlib import Path

import pytest

from kiosk.store import archive_consent
from kiosk.store.integrity import check_archive
from kiosk.store.review import add_countersignature

AT = "2026-11-26T09:30:00+00:00"
SIGNED_PDF = b"%PDF-1.7\n" + b"countersigned page " * 64 + b"\n%%EOF\n"


def _countersign(db, pdf_dir, document_id) -> Path:
    signature = {"clinician_name": "Dr Amal Haddad", "role": "doctor", "signed_at": AT,
                 "width": 600.0, "height": 200.0, "strokes": [[[1.0, 2.0], [3.5, 4.0]]]}
    return Path(add_countersignature(
        db, pdf_dir, document_id, clinician_name="Dr Amal Haddad", role="doctor", signed_at=AT,
        countersignature=signature, pdf_bytes=SIGNED_PDF, nurse="Anna Lee"))


@pytest.fixture
def archive(fresh_db, pdf_dir, make_record, pdf):
    """Two consents, the second countersigned, and an abandoned session without a PDF."""
    first = archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    second = archive_consent(fresh_db, pdf_dir, make_record(), pdf)
    countersigned = _countersign(fresh_db, pdf_dir, second.document_id)
    archive_consent(fresh_db, pdf_dir, make_record(outcome="abandoned"), None)
    return first, second, countersigned


def test_an_intact_archive_counts_every_pdf_and_finds_nothing(fresh_db, archive):
    assert check_archive(fresh_db) == (3, [])  # 2 originals + 1 countersigned; no PDF for the abandoned


def test_an_empty_archive_is_zero_pdfs_and_no_problem(fresh_db):
    assert check_archive(fresh_db) == (0, [])


def test_a_missing_pdf_is_named_with_its_consent_and_told_to_restore(fresh_db, archive):
    first, _, _ = archive
    Path(first.pdf_path).unlink()
    checked, problems = check_archive(fresh_db)
    assert checked == 3
    assert problems == [f"Consent {first.document_id}: its PDF {first.pdf_path} is missing. Restore it from a backup."]


def test_a_changed_countersigned_pdf_is_reported_as_changed_and_the_original_as_fine(fresh_db, archive):
    _, second, countersigned = archive
    countersigned.write_bytes(SIGNED_PDF.replace(b"page", b"paje", 1))
    checked, problems = check_archive(fresh_db)
    assert checked == 3 and len(problems) == 1
    assert problems[0] == (f"Consent {second.document_id}: its countersigned PDF {countersigned} was CHANGED after "
                           "it was saved (its SHA-256 no longer matches). Restore it from a backup.")


def test_one_byte_appended_is_a_change(fresh_db, archive):
    first, _, _ = archive
    with open(first.pdf_path, "ab") as file:
        file.write(b"\n")
    _, problems = check_archive(fresh_db)
    assert len(problems) == 1 and "CHANGED" in problems[0] and first.document_id in problems[0]


def test_a_pdf_replaced_by_a_folder_says_it_cannot_be_read(fresh_db, archive):
    """The path is there but is no readable file (a chmod 000 would not stop root, who runs CI)."""
    first, _, _ = archive
    Path(first.pdf_path).unlink()
    Path(first.pdf_path).mkdir()
    _, problems = check_archive(fresh_db)
    assert problems == [f"Consent {first.document_id}: its PDF {first.pdf_path} cannot be read (Is a directory)."]


def test_every_problem_is_listed_not_only_the_first(fresh_db, archive):
    first, second, countersigned = archive
    Path(first.pdf_path).unlink()
    Path(second.pdf_path).write_bytes(b"%PDF-1.7 something else")
    countersigned.unlink()
    checked, problems = check_archive(fresh_db)
    assert checked == 3 and len(problems) == 3
    assert "missing" in problems[0] and "CHANGED" in problems[1] and "countersigned PDF" in problems[2]


def test_a_pdf_larger_than_one_read_block_is_hashed_whole(fresh_db, pdf_dir, make_record):
    """The file is read in 1 MiB blocks: a change after the first block must still be seen."""
    big = b"%PDF-1.7\n" + os.urandom(3 * (1 << 20)) + b"\n%%EOF\n"
    saved = archive_consent(fresh_db, pdf_dir, make_record(), big)
    assert check_archive(fresh_db) == (1, [])
    changed = bytearray(big)
    changed[(1 << 20) + 5] ^= 1
    Path(saved.pdf_path).write_bytes(bytes(changed))
    _, problems = check_archive(fresh_db)
    assert len(problems) == 1 and "CHANGED" in problems[0]
