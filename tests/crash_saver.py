"""A kiosk that is killed in the middle of saving, again and again (tests and bench).

The zygote imports everything once, then forks a saver child per "fork" line on stdin, so
that each of hundreds of real SIGKILLs costs milliseconds, not a Python start-up. A child
saves consents the kiosk's own way (record, sealed PDF, durable archive) and countersigns
some of them, printing one line per step, each in one write(2):

    SAVING <id>     about to save            ACK <id> <pdf sha256>   saved (committed)
    CSAVING <id>    about to countersign     CACK <id> <pdf sha256>  countersigned

    python -m tests.crash_saver DATA_DIR     (then: "fork", "reap PID", "quit" on stdin)
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path


def _say(text: str) -> None:
    os.write(1, (text + "\n").encode())


def saver(data_dir: Path, seed: int) -> None:
    from kiosk.content import load_pack
    from kiosk.finalise import current_audit_head, prepare_consent, prepare_countersignature, save_consent
    from kiosk.seal_key import load_seal_signer
    from kiosk.settings import load_settings
    from kiosk.store import get_consent, open_database
    from kiosk.store.review import add_countersignature
    from tests.flow.sample import complete_session, handwriting

    settings = load_settings(data_dir)
    pack = load_pack("en")
    db = open_database(data_dir / "kiosk.db")
    signer = load_seal_signer(data_dir, settings)
    consents = settings.consents_path(data_dir)
    rng = random.Random(seed)
    while True:
        session = complete_session(pack, name=rng.choice(["Ann Lee", "José Núñez", "Ольга Петрова"]),
                                   seed=rng.randrange(1 << 30))
        pending = prepare_consent(session, pack, settings, signer=signer, audit_head=current_audit_head(db))
        document_id = pending.record["document_id"]
        _say(f"SAVING {document_id}")
        saved = save_consent(db, consents, pending)
        _say(f"ACK {document_id} {saved.pdf_sha256}")
        if rng.random() < 0.4:
            strokes = [[[round(x, 2), round(y, 2)] for x, y in s] for s in handwriting(600.0, 200.0)]
            countersignature = {"clinician_name": "Dr Amal Haddad", "role": "doctor",
                                "signed_at": "2026-11-25T15:00:00+00:00", "width": 600.0, "height": 200.0,
                                "strokes": strokes}
            pdf = prepare_countersignature(get_consent(db, document_id), countersignature, settings, data_dir,
                                           labels=pack.pdf_labels, signer=signer)
            _say(f"CSAVING {document_id}")
            add_countersignature(db, consents, document_id, clinician_name="Dr Amal Haddad", role="doctor",
                                 signed_at=countersignature["signed_at"], countersignature=countersignature,
                                 pdf_bytes=pdf, nurse="Anna Lee")
            import hashlib

            _say(f"CACK {document_id} {hashlib.sha256(pdf).hexdigest()}")


def zygote(data_dir: Path) -> None:
    # Import (and warm) everything a saver needs before forking: children then start at once.
    import kiosk.documents  # noqa: F401
    import kiosk.documents.countersignature  # noqa: F401
    import kiosk.documents.seal  # noqa: F401
    import kiosk.finalise  # noqa: F401
    import kiosk.store.review  # noqa: F401
    import tests.flow.sample  # noqa: F401

    os.umask(0o077)  # as kiosk.cli sets it
    forks = 0
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "fork":
            forks += 1
            pid = os.fork()
            if pid == 0:
                try:
                    saver(data_dir, seed=forks * 7919 + os.getpid())
                finally:
                    os._exit(1)
            _say(f"CHILD {pid}")
        elif command[0] == "reap":
            os.waitpid(int(command[1]), 0)
            _say(f"REAPED {command[1]}")  # after every line the child wrote, in pipe order
        elif command[0] == "quit":
            break


if __name__ == "__main__":
    zygote(Path(sys.argv[1]))
