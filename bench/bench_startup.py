"""Process start to the first screen painted: the kiosk against a bare PySide6 window.

Both are started the same way (a fresh `python` process, offscreen Qt), alternately, in the
same run; the figure is the ratio of medians (target: at most 1.25x). The load average is
printed before and after: another process on the same cores makes the ratio noisy.

    uv run python bench/bench_startup.py [--runs 15]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def one_run(which: str, data_dir: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # A deployed kiosk runs from cached bytecode; this machine sets PYTHONDONTWRITEBYTECODE,
    # which would recompile every kiosk module at every start. The warm-up runs write the cache.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(HERE / "first_paint.py"), which, data_dir], env=env,
                             stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline()  # the clock stops when the first paint is reported
    elapsed = time.perf_counter() - start
    child.wait(timeout=60)
    assert line.startswith("painted"), line
    return elapsed


def _load() -> str:
    """The 1-minute load average: above about 1 on this 2-core machine, the ratio is not to be trusted."""
    return f"{os.getloadavg()[0]:.2f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    load_before = _load()
    with tempfile.TemporaryDirectory() as data_dir:
        one_run("kiosk", data_dir)  # first run creates settings and database, warms caches
        one_run("bare", data_dir)
        bare, kiosk = [], []
        for _ in range(args.runs):
            bare.append(one_run("bare", data_dir))
            kiosk.append(one_run("kiosk", data_dir))
    b, k = statistics.median(bare), statistics.median(kiosk)
    print(f"bare PySide6 window : median {b * 1000:.0f} ms (min {min(bare) * 1000:.0f})")
    print(f"kiosk Welcome screen: median {k * 1000:.0f} ms (min {min(kiosk) * 1000:.0f})")
    print(f"ratio kiosk / bare  : {k / b:.2f}x (target <= 1.25x)")
    print(f"load average        : {load_before} before, {_load()} after")


if __name__ == "__main__":
    main()
