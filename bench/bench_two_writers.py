"""A patient kiosk and a nurse station writing one kiosk.db at the same time, as two OS
processes, for a long run (the test runs 20 s: tests/store/test_two_writers.py).

The nurse station acts as fast as it can (far busier than a real one, which acts every few
seconds). Reports saves, help calls and nurse actions, and every "database is locked" or
other failure; 0 is the only acceptable count.

    uv run python bench/bench_two_writers.py [--seconds 120]
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.store import open_database  # noqa: E402
from tests.store.test_two_writers import run_writers  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "kiosk.db"
        patient, nurse = run_writers(db_path, Path(folder) / "consents", args.seconds)
        with open_database(db_path) as db:
            stored_calls = {r[0] for r in db.conn.execute("SELECT session_id FROM help_requests")}
            rows = db.conn.execute("SELECT count(*) FROM consents").fetchone()[0]
    lost = len(set(patient["help_session_ids"]) - stored_calls)
    print(f"{args.seconds:.0f} s: {patient['saves']} consents saved ({rows} rows), "
          f"{patient['help_calls']} help calls, {nurse['actions']} nurse actions")
    print(f"failures: saves {patient['save_failures']}, help calls {patient['help_failures']}, "
          f"nurse actions {nurse['action_failures']}; 'database is locked' {patient['locked'] + nurse['locked']}; "
          f"help calls lost {lost}")


if __name__ == "__main__":
    main()
