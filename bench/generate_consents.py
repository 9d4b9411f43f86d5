"""Fill a kiosk database with realistic consents, for benchmarking the nurse station.

    uv run python bench/generate_consents.py /tmp/bench/kiosk.db [--n 100000] [--seed 1]

Rows go into the store's own tables (consents, answers, help_requests), so its triggers
keep the name search up to date, as in real use. One transaction, bulk inserts: 100,000
consents take about a minute. Names mix English, Spanish, French, German, Polish, Turkish,
Vietnamese and Arabic (accents, apostrophes, hyphens); outcomes, flags and review states
are spread as on a ward; sessions are spread over the year before ``today``. Each row
carries a record_json of about ``record_kib`` KiB (a real record with its signature is
about 18 KiB), so that table pages are as sparse as in a real archive. No PDFs are
written: pdf_path points where they would be.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlite_utils

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.store import open_database  # noqa: E402

FIRST = [
    "Margaret", "John", "Mary", "Robert", "Patricia", "Susan", "James", "Linda", "Barbara",
    "William", "Elizabeth", "Dorothy", "José", "María", "Jesús", "Inés", "Ángel", "Begoña",
    "François", "Hélène", "Zoë", "Anaïs", "Jörg", "Jürgen", "Grzegorz", "Łucja", "Małgorzata",
    "Çağrı", "Gülşen", "Şükrü", "Nguyễn", "Thảo", "Siobhán", "Seán", "Eoin", "محمد", "فاطمة",
    "Ahmed", "Aisha", "Olu", "Chidi", "Priya", "Anand", "Wei", "Mei", "Anne-Marie", "Jean-Luc",
]  # fmt: skip
LAST = [
    "O'Brien", "Smith", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Murphy",
    "García", "López", "Martínez", "Pérez", "Núñez", "Lefèvre", "Dubois", "Müller", "Schröder",
    "Größe", "Kowalski", "Wiśniewski", "Wójcik", "Yılmaz", "Öztürk", "Trần", "Lê", "Phạm",
    "Ní Bhriain", "MacDonald", "D'Angelo", "Lopez-Garcia", "أوبراين", "الحسن", "Okafor", "Patel",
    "Singh", "Chen", "Wang", "Van der Berg", "Åberg", "Østergaard", "Brontë", "Nakamura",
]  # fmt: skip
OUTCOMES = [("consented", 70), ("questions", 12), ("declined", 5), ("abandoned", 13)]
QUESTIONS = ["q_treats", "q_recovery", "q_leak", "q_nearby", "q_anaesthesia", "q_how_common",
             "q_followup", "q_new_pain"]  # fmt: skip
CHUNK = 5_000


def generate(
    db_path: Path, n: int = 100_000, seed: int = 1, *, today: date | None = None,
    record_kib: int = 18,
) -> None:  # fmt: skip
    """Add ``n`` consents (with answers and help requests) to the database at ``db_path``."""
    db = open_database(Path(db_path))
    try:
        add_consents(db, n, seed, today=today, record_kib=record_kib)
    finally:
        db.close()


def add_consents(
    db: sqlite_utils.Database, n: int, seed: int = 1, *, today: date | None = None,
    record_kib: int = 18,
) -> None:  # fmt: skip
    """``generate`` on a database already open, in one transaction: also one made by an
    older schema (the migration tests fill one with it)."""
    rng = random.Random(seed)
    today = today or date.today()
    padding = "x" * max(0, record_kib * 1024 - 600)  # stands in for pages, answers, strokes
    with db.atomic():
        for start in range(0, n, CHUNK):
            consents, answers, helps = [], [], []
            for _ in range(start, min(n, start + CHUNK)):
                consent, consent_answers, consent_helps = _session(rng, today, padding)
                consents.append(consent)
                answers.extend(consent_answers)
                helps.extend(consent_helps)
            db["consents"].insert_all(consents, batch_size=500)
            db["answers"].insert_all(answers, batch_size=1000)
            db["help_requests"].insert_all(helps, batch_size=1000)


def _session(rng: random.Random, today: date, padding: str) -> tuple[dict, list, list]:
    document_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
    day = today - timedelta(days=int(rng.triangular(0, 365, 0)))
    started = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        minutes=rng.randint(7 * 60, 19 * 60)
    )
    finished = None if outcome == "abandoned" else started + timedelta(minutes=rng.randint(8, 40))
    has_name = outcome != "abandoned" or rng.random() < 0.5
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}" if has_name else None
    statuses = [_status(rng) for _ in QUESTIONS] if outcome != "abandoned" else []
    helps = [
        {"session_id": document_id, "at": (started + timedelta(minutes=3)).isoformat(),
         "step_id": rng.choice(["risks_leak", "quiz_q_leak", "procedure_how"]),
         "acknowledged_at": None if day == today else (started + timedelta(minutes=5)).isoformat(),
         "acknowledged_by": None if day == today else "Anna Lee"}
        for _ in range(rng.random() < 0.08)
    ]  # fmt: skip
    flags = [f"needs_doctor:{q}" for q, s in zip(QUESTIONS, statuses) if s == "needs_doctor"]
    flags += ["help_requested"] * bool(helps)
    record = {
        "schema": 1, "document_id": document_id, "outcome": outcome,
        "started_at": started.isoformat(), "finished_at": finished and finished.isoformat(),
        "patient": {"full_name": name, "date_of_birth": _birth(rng)} if name else None,
        "flags": flags, "padding": padding,
    }  # fmt: skip
    signed = outcome == "consented"
    folder = f"/srv/kiosk/consents/{started:%Y/%m}"
    consent = {
        "document_id": document_id,
        "started_at": record["started_at"],
        "finished_at": record["finished_at"],
        "saved_at": (finished or started + timedelta(minutes=20)).isoformat(timespec="milliseconds"),
        "outcome": outcome,
        "patient_name": name,
        "patient_dob": record["patient"]["date_of_birth"] if name else None,
        "signer_name": name if signed else None,
        "signed_at": record["finished_at"] if signed else None,
        "language": rng.choice(["en"] * 8 + ["es", "ar", "fr", "pl"]),
        "content_id": "vertebroplasty",
        "content_version": "1.0.0",
        "content_sha256": "c" * 64,
        "pdf_path": None if outcome == "abandoned" else f"{folder}/{document_id}.pdf",
        "pdf_sha256": None if outcome == "abandoned" else hashlib.sha256(document_id.encode()).hexdigest(),
        "pdf_size": None if outcome == "abandoned" else rng.randint(80_000, 160_000),
        "flags": json.dumps(flags),
        "needs_doctor_count": statuses.count("needs_doctor"),
        "help_requested": int(bool(helps)),
        "record_json": json.dumps(record, ensure_ascii=False),
        "void": 0,
        **_review(rng, today, day, signed, folder, document_id),
    }
    answers = [
        {"document_id": document_id, "position": i, "question_id": q,
         "first_try_correct": int(s == "understood"), "attempts": 1 if s == "understood" else 2,
         "status": s}
        for i, (q, s) in enumerate(zip(QUESTIONS, statuses))
    ]  # fmt: skip
    return consent, answers, helps


def _status(rng: random.Random) -> str:
    roll = rng.random()
    return "understood" if roll < 0.85 else "understood_after_review" if roll < 0.97 else "needs_doctor"


def _birth(rng: random.Random) -> str:
    return date(rng.randint(1925, 1975), rng.randint(1, 12), rng.randint(1, 28)).isoformat()


def _review(rng, today, day, signed, folder, document_id) -> dict:
    """Older consents are mostly reviewed; today's mostly new. About 1 in 100 is void."""
    age = (today - day).days
    if rng.random() < 0.01 and age > 0:
        return {"review_state": "void", "void": 1, "void_reason": "Wrong patient selected",
                "voided_by": "Anna Lee", "voided_at": f"{day}T18:00:00+00:00"}  # fmt: skip
    if age == 0:
        return {"review_state": rng.choice(["new", "new", "seen"])}
    if not signed:
        return {"review_state": "seen"}
    if age < 3 and rng.random() < 0.5:
        return {"review_state": "identity_checked", "mrn": f"MRN-{rng.randint(10**5, 10**6)}",
                "identity_checked_by": "Ben Ode", "identity_checked_at": f"{day}T17:00:00+00:00"}  # fmt: skip
    return {
        "review_state": "fully_signed", "mrn": f"MRN-{rng.randint(10**5, 10**6)}",
        "identity_checked_by": "Ben Ode", "identity_checked_at": f"{day}T17:00:00+00:00",
        "countersigned_pdf_path": f"{folder}/{document_id}-countersigned.pdf",
        "countersigned_pdf_sha256": "d" * 64, "countersigned_by": "Dr Amal Haddad",
        "countersigned_role": "doctor", "countersigned_at": f"{day}T17:30:00+00:00",
        "countersignature_json": "{}",
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db_path", type=Path)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--record-kib", type=int, default=18)
    args = parser.parse_args()
    started = time.perf_counter()
    generate(args.db_path, args.n, args.seed, record_kib=args.record_kib)
    print(f"{args.n} consents added to {args.db_path} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
