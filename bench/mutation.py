"""Mutation testing of the Qt-free core, one file at a time, each against its own layer's tests.

    uv run python bench/mutation.py kiosk/flow/task.py          # one file
    uv run python bench/mutation.py --all                       # every core file
    uv run python bench/mutation.py --all --write               # ... and rewrite the table in docs/mutation.md
    uv run python bench/mutation.py kiosk/store/audit.py --survivors   # show each survivor's diff

mutmut 3.8 works in a `mutants/` copy of the project. This script makes that copy in a temporary
folder of its own (the tracked and untracked-but-not-ignored files, as they are in the working
tree), so the checkout is never touched and several runs can go side by side. `[tool.mutmut]`
in pyproject.toml holds the settings shared by every run; the script adds `only_mutate` and the
layer's tests (`LAYER_TESTS`) to the copy's pyproject.

A mutant counts as killed when a test failed or timed out. Mutants that no test reaches count
against the score. Equivalent mutants - changes no test could ever notice, because the program
behaves the same - are listed in docs/mutation.md's "Equivalent mutants" table with a reason;
they are left out of the score only while their diff is still the one recorded there (a stale
entry is reported and counts as a survivor).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "mutation.md"

# Which tests guard which part of the core: each mutant runs against its own layer only.
LAYER_TESTS = {
    "kiosk/flow/": ["tests/flow"],
    "kiosk/content/": ["tests/content"],
    "kiosk/documents/": ["tests/documents"],
    # Store files whose main tests live beside the command that uses them (first match wins).
    "kiosk/store/leftovers.py": ["tests/store", "tests/test_recovery.py"],
    "kiosk/store/samples.py": ["tests/store", "tests/test_demo.py"],
    "kiosk/store/verify_row.py": ["tests/store", "tests/test_verify_cli.py"],
    "kiosk/store/": ["tests/store"],
    "kiosk/settings.py": ["tests/test_settings.py", "tests/test_settings_files.py"],
    "kiosk/settings_lines.py": ["tests/test_settings_lines.py", "tests/test_settings.py"],
    "kiosk/finalise.py": ["tests/test_finalise.py", "tests/test_recovery.py"],
    "kiosk/printing.py": ["tests/test_printing.py"],
    "kiosk/recovery.py": ["tests/test_recovery.py"],
    "kiosk/seal_key.py": ["tests/test_seal_key.py"],
    "kiosk/review/": ["tests/review"],
    "kiosk/toml_cache.py": ["tests/test_toml_cache.py"],
}
# The core, as import-linter states it (no Qt): what --all mutates. documents/ is left out of
# --all (its tests render PDFs: hours of mutants); name a file of it to run it.
CORE = ["kiosk/flow", "kiosk/content", "kiosk/store", "kiosk/settings.py", "kiosk/settings_lines.py",
        "kiosk/finalise.py", "kiosk/printing.py", "kiosk/recovery.py", "kiosk/seal_key.py", "kiosk/review",
        "kiosk/toml_cache.py"]
KILLED = {"killed", "timeout", "segfault"}


@dataclass
class FileScore:
    path: str
    tests: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    survivors: list[str] = field(default_factory=list)  # not killed, not equivalent
    equivalent: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unreached: bool = False  # mutmut found no test of the layer that reaches this file at all

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def killed(self) -> int:
        return sum(n for status, n in self.counts.items() if status in KILLED)

    @property
    def score(self) -> float | None:
        counted = self.total - len(self.equivalent)
        return None if counted <= 0 else self.killed / counted


def tests_for(path: str) -> list[str]:
    for prefix, tests in LAYER_TESTS.items():
        if path == prefix or path.startswith(prefix):
            return [t for t in tests if (ROOT / t).exists()]
    raise SystemExit(f"bench/mutation.py: no layer tests are known for {path}; add it to LAYER_TESTS")


def core_files() -> list[str]:
    files = []
    for entry in CORE:
        target = ROOT / entry
        found = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        files += [str(p.relative_to(ROOT)) for p in found if p.name != "__init__.py"]
    return files


def project_files() -> list[str]:
    """Tracked files and untracked ones git does not ignore, as in the working tree."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, check=True).stdout
    return [name for name in out.decode().split("\0") if name and (ROOT / name).is_file()]


def copy_project(into: Path) -> None:
    """The project's files into ``into``; ../shared beside it (and beside mutmut's own
    ``mutants/`` copy inside it) as beside the checkout, for the tests that read the leaflet."""
    for name in project_files():
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        for place in (into.parent / "shared", into / "shared"):
            if not place.exists():
                place.symlink_to(shared, target_is_directory=True)


def write_config(copy: Path, path: str, tests: list[str]) -> None:
    """The copy's pyproject: the shared [tool.mutmut] of ours, plus this run's file and tests."""
    text = (copy / "pyproject.toml").read_text()
    settings = dict(tomllib.loads(text).get("tool", {}).get("mutmut", {}))
    settings.update(only_mutate=[path], pytest_add_cli_args_test_selection=tests)
    text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)
    text += "\n[tool.mutmut]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())
    (copy / "pyproject.toml").write_text(text)


def mutmut(copy: Path, *args: str, check: bool = True) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CI="")
    result = subprocess.run(["uv", "run", "--project", str(copy), "--frozen", "mutmut", *args], cwd=copy, env=env,
                            capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"mutmut {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def equivalents() -> dict[str, str]:
    """mutant name -> the changed line recorded for it under "## Equivalent mutants" in
    docs/mutation.md or docs/mutation/*.md (one page per layer)."""
    found = {}
    for page in [DOC, *sorted((ROOT / "docs" / "mutation").glob("*.md"))]:
        if page.exists():
            found.update(_equivalents_in(page.read_text()))
    return found


def _equivalents_in(text: str) -> dict[str, str]:
    found = {}
    in_table = False
    for line in text.splitlines():
        if line.startswith("## "):
            in_table = line.strip() == "## Equivalent mutants"
            continue
        # cells split on unescaped pipes: a changed line with "|" in it is written "\\|"
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if in_table and len(cells) >= 3 and cells[0].startswith("`kiosk."):
            found[cells[0].strip("`")] = cells[1].strip("`")
    return found


def changed_line(diff: str) -> str:
    """The mutant's own line: the first '+' line of its diff, without the '+'."""
    for line in diff.splitlines():
        if line.startswith("+") and not line.startswith("+++"):
            return line[1:].strip()
    return ""


def run_file(path: str, *, show: bool = False) -> FileScore:
    score = FileScore(path, tests_for(path))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kiosk-mutation-") as folder:
        copy = Path(folder) / "main"
        copy_project(copy)
        write_config(copy, path, score.tests)
        try:
            mutmut(copy, "run", "--max-children", str(os.cpu_count() or 2))
        except RuntimeError as error:
            if "could not find any test case for any mutant" not in str(error):
                raise
            mutated = copy / "mutants" / path
            # Either mutmut made no mutant at all (a file of plain data classes), or no test of
            # the layer reaches one: tell the two apart from mutmut's own mutated copy.
            score.unreached = mutated.exists() and "__mutmut_1" in mutated.read_text()
        known = equivalents()
        for line in mutmut(copy, "results", "--all", "true").splitlines():
            if ":" not in line:
                continue
            name, status = (part.strip() for part in line.rsplit(":", 1))
            score.counts[status] = score.counts.get(status, 0) + 1
            if status in KILLED:
                continue
            diff = mutmut(copy, "show", name, check=False)
            if name in known and known[name] == changed_line(diff):
                score.equivalent.append(name)
                continue
            if name in known:
                score.stale.append(name)
            score.survivors.append(name)
            if show:
                print(f"--- {name}: {status}\n{diff}")
    score.seconds = time.perf_counter() - started
    return score


def row(s: FileScore) -> str:
    shown = ("not reached by these tests" if s.unreached else "no mutants" if s.total == 0
             else "n/a" if s.score is None else f"{s.score:.0%}")
    return (f"| {s.path} | {', '.join(s.tests)} | {s.total} | {s.killed} | {len(s.equivalent)} | "
            f"{len(s.survivors)} | {shown} |")


HEADER = ["| file | tests run | mutants | killed | equivalent | not killed | score |",
          "|---|---|---|---|---|---|---|"]


def table(scores: list[FileScore]) -> str:
    return "\n".join(HEADER + [row(s) for s in scores])


def write_table(scores: list[FileScore]) -> None:
    """Rewrite the Scores table: this run's rows replace those of the same files; rows of files
    not run this time stay as they were (so one file can be re-run after its tests changed)."""
    text = DOC.read_text() if DOC.exists() else "# Mutation testing\n\n## Scores\n\n## Equivalent mutants\n"
    start = text.index("## Scores")
    end = text.index("\n## ", start + 1)
    rows = {}
    for line in text[start:end].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| kiosk/") and len(cells) == 7:
            rows[cells[0]] = line
    rows.update({s.path: row(s) for s in scores})
    order = {path: n for n, path in enumerate(core_files())}
    lines = HEADER + [rows[path] for path in sorted(rows, key=lambda p: (order.get(p, len(order)), p))]
    stamp = time.strftime("%Y-%m-%d")
    block = (f"## Scores\n\nProduced by `uv run python bench/mutation.py --all --write` (last run {stamp}); the "
             "score counts killed mutants among all mutants but the equivalent ones. Each file's mutants run "
             "against its own layer's tests only.\n\n" + "\n".join(lines) + "\n")
    DOC.write_text(text[:start] + block + text[end:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="core files to mutate (default with --all: every one)")
    parser.add_argument("--all", action="store_true", help="every core file")
    parser.add_argument("--write", action="store_true", help="rewrite the Scores table in docs/mutation.md")
    parser.add_argument("--survivors", action="store_true", help="print each survivor's diff")
    parser.add_argument("--skip", nargs="*", default=[], help="with --all: files or folders to leave out")
    args = parser.parse_args()
    files = core_files() if args.all else args.files
    files = [f for f in files if not any(f == s or f.startswith(s.rstrip("/") + "/") for s in args.skip)]
    if not files:
        parser.error("name a file, or --all")
    tomllib.loads((ROOT / "pyproject.toml").read_text())  # a broken pyproject fails here, not in the copy
    scores = []
    for path in files:
        score = run_file(path, show=args.survivors)
        scores.append(score)
        if args.write:
            write_table([score])  # file by file: an interrupted --all run keeps what it measured
        shown = "n/a" if score.score is None else f"{score.score:.0%}"
        print(f"{path}: {score.killed}/{score.total - len(score.equivalent)} killed ({shown}), "
              f"{len(score.equivalent)} equivalent, {score.seconds:.0f} s", flush=True)
        for name in score.stale:
            print(f"  stale equivalence (its diff changed): {name}")
        for name in score.survivors if not args.survivors else ():
            print(f"  survived: {name}")
    print()
    print(table(scores))


if __name__ == "__main__":
    sys.exit(main())
