"""Time to finalise a consent: record frozen, PDF rendered and sealed (PAdES, the kiosk's own
EC key), written, fsynced, renamed, and the row committed. Baseline in the same run: writing the same PDF bytes with a plain
`open().write()` + fsync (what any durable save must at least cost on this disk).

    uv run python bench/bench_finalise.py [--runs 30]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.content import load_pack  # noqa: E402
from kiosk.finalise import prepare_consent, save_consent  # noqa: E402
from kiosk.seal_key import load_seal_signer  # noqa: E402
from kiosk.settings import Settings  # noqa: E402
from kiosk.store import open_database  # noqa: E402
from tests.flow.sample import complete_session  # noqa: E402


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    pack = load_pack("en")
    settings = Settings(hospital_name="St Elsewhere Hospital")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        db = open_database(folder / "kiosk.db")
        signer = load_seal_signer(folder, settings)  # made here at first use, as on a new kiosk
        # warm ReportLab, fonts and pyHanko
        prepare_consent(complete_session(pack, seed=0), pack, settings, signer=signer, audit_head="0:" + "0" * 64)
        total, render, store, baseline, sizes = [], [], [], [], []
        for i in range(args.runs):
            session = complete_session(pack, seed=i + 1, wrong_once={pack.questions[0].id})
            t0 = time.perf_counter()
            pending = prepare_consent(session, pack, settings, signer=signer, audit_head=f"{i}:" + "ab" * 32)
            t1 = time.perf_counter()
            save_consent(db, folder / "consents", pending)
            t2 = time.perf_counter()
            render.append(t1 - t0)
            store.append(t2 - t1)
            total.append(t2 - t0)
            sizes.append(len(pending.pdf))
            t3 = time.perf_counter()
            with open(folder / f"plain-{i}.pdf", "wb") as handle:
                handle.write(pending.pdf)
                handle.flush()
                os.fsync(handle.fileno())
            baseline.append(time.perf_counter() - t3)
    ms = lambda v: f"median {statistics.median(v) * 1000:.1f} ms, p95 {percentile(v, 0.95) * 1000:.1f} ms"  # noqa: E731
    print(f"runs: {args.runs}, PDF size median {statistics.median(sizes) / 1024:.0f} KiB")
    print(f"record + PDF + seal      : {ms(render)}")
    print(f"durable write + commit   : {ms(store)}")
    print(f"finalise, total          : {ms(total)} (target < 150 ms)")
    print(f"baseline plain write+fsync: {ms(baseline)}; store/baseline ratio "
          f"{statistics.median(store) / statistics.median(baseline):.1f}x")


if __name__ == "__main__":
    main()
