"""500 real SIGKILLs of a kiosk in the middle of saving and countersigning, then one start.

Counts what the kills left (temporary files, PDFs without a row, countersigned PDFs the row
does not name), what the start's recovery did with them, and checks every acknowledged
consent against its SHA-256 and the audit trail. The test does the same with 32 kills
(tests/test_crash_recovery.py).

    uv run python bench/bench_kill_recovery.py [--kills 500]
"""

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.recovery import recover_at_start  # noqa: E402
from kiosk.settings import load_settings  # noqa: E402
from kiosk.store import open_database  # noqa: E402
from kiosk.store.leftovers import scan_consent_folder  # noqa: E402
from tests.crash_driver import kill_during_saves  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        data_dir.mkdir()
        run = kill_during_saves(data_dir, args.kills, seed=5)
        settings = load_settings(data_dir)
        consents = settings.consents_path(data_dir)
        with open_database(data_dir / "kiosk.db") as db:
            left = scan_consent_folder(db, consents)
        with open_database(data_dir / "kiosk.db") as db:
            t0 = time.perf_counter()
            report = recover_at_start(db, data_dir, settings, now=time.time() + 2)  # as after a restart
            recovery_s = time.perf_counter() - t0
            after = scan_consent_folder(db, consents)
            rows = {r[0]: r[1:] for r in db.conn.execute(
                "SELECT document_id, pdf_sha256, pdf_path, countersigned_pdf_sha256 FROM consents")}
        missing = [d for d in run.acknowledged if d not in rows]
        wrong = [d for d, sha in run.acknowledged.items() if d in rows and (
            rows[d][0] != sha or hashlib.sha256(Path(rows[d][1]).read_bytes()).hexdigest() != sha)]
        lost_countersignatures = [d for d, sha in run.countersigned.items() if rows.get(d, (0, 0, 0))[2] != sha]
        verify = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "audit", "verify"],
                                cwd=ROOT, capture_output=True, text=True)
    print(f"{run.kills} kills in {run.seconds:.0f} s ({run.killed_while}); "
          f"{len(run.acknowledged)} consents and {len(run.countersigned)} countersignatures acknowledged")
    print(f"left behind: {len(left.temporaries)} temporary files, {len(left.orphan_consents)} PDFs without a row, "
          f"{len(left.orphan_countersigned)} unnamed countersigned PDFs")
    print(f"recovery ({recovery_s * 1000:.0f} ms): removed {len(report.removed_temporaries)} temporaries, took back "
          f"{len(report.adopted)} consents and {len(report.adopted_countersigned)} countersignatures, quarantined "
          f"{len(report.quarantined)}; left after: {len(after.temporaries)} temporaries, "
          f"{len(after.orphan_consents) + len(after.orphan_countersigned)} orphans")
    print(f"acknowledged consents missing: {len(missing)}, with a wrong SHA-256: {len(wrong)}, "
          f"countersignatures lost: {len(lost_countersignatures)}; audit verify exit {verify.returncode}: "
          f"{verify.stdout.strip()}")


if __name__ == "__main__":
    main()
