#!/usr/bin/env python3
"""A clean build of the engine in this checkout against another checkout of it (the code before
a change), alternating, on one generated corpus: wall time, CPU time and peak memory per run.

    .venv/bin/python benchmarks/clean_vs_base.py BASE_CHECKOUT [--articles 5000] [--runs 3] [--search] [--command]

Each run is a fresh process (`/usr/bin/time`), building a copy of the corpus into a new output
folder with no cache. Without --search the Pagefind index (the same program in both) is left
out, so the figures are the engine's. On a machine shared with other work, compare the ratio
of the medians of runs made back to back, not the absolute figures. With --command each run is
`python -m explainer build` itself, as a user runs it (search index included, and, where the
checkout has one, its record written to .explainer-cache/).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate  # noqa: E402

DRIVER = ("import sys; from pathlib import Path; from explainer import pipeline; "
          "from explainer.config import load_config; "
          "pipeline.build_and_write(load_config(Path(sys.argv[1])), search=sys.argv[2] == 'search')")


def run_once(checkout: Path, corpus: Path, search: bool, command: bool = False) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the build and its workers) and peak resident KiB of one build."""
    project = corpus.parent / f"run-{os.getpid()}"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(corpus, project)
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    driver = ["-m", "explainer", "build", "--root", str(project)] if command else \
        ["-c", DRIVER, str(project), "search" if search else "no"]
    timed = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", sys.executable, *driver], env=env, cwd=checkout,
                           capture_output=True, text=True, check=False)
    shutil.rmtree(project, ignore_errors=True)
    if timed.returncode != 0:
        raise SystemExit(f"build with {checkout} failed:\n{timed.stderr[-2000:]}")
    wall, user, system, peak = timed.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", type=Path, help="the other checkout (e.g. a git worktree of the old commit)")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--search", action="store_true", help="include the Pagefind index")
    parser.add_argument("--command", action="store_true", help="run the build command itself (index included)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as folder:
        corpus = Path(folder) / "corpus"
        generate(args.articles, corpus)
        figures: dict[str, list[tuple[float, float, int]]] = {"base": [], "this": []}
        for run in range(args.runs):
            for name, checkout in (("base", args.base.resolve()), ("this", REPO)):
                figures[name].append(run_once(checkout, corpus, args.search, args.command))
                wall, cpu, peak = figures[name][-1]
                print(f"run {run + 1} {name}: {wall:.1f} s wall, {cpu:.1f} s CPU, {peak / 1024:.0f} MiB peak",
                      flush=True)
        for name, runs in figures.items():
            print(f"{name}: median {statistics.median(r[0] for r in runs):.1f} s wall, "
                  f"{statistics.median(r[1] for r in runs):.1f} s CPU, "
                  f"{max(r[2] for r in runs) / 1024:.0f} MiB peak (max)")
        ratio = statistics.median(r[0] for r in figures["this"]) / statistics.median(r[0] for r in figures["base"])
        cpu_ratio = statistics.median(r[1] for r in figures["this"]) / statistics.median(r[1] for r in figures["base"])
        print(f"this / base: {ratio:.2f} wall, {cpu_ratio:.2f} CPU")


if __name__ == "__main__":
    main()
