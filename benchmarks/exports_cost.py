#!/usr/bin/env python3
"""What the open data under /data/ adds to a build (issue 21): the same corpus built by two
checkouts of Explainer, alternating run by run, clean (`build --force`, search index included)
and unchanged (a second `build`), printing medians of wall and CPU time and their ratios.

    python benchmarks/exports_cost.py BASE_CHECKOUT [--size 1000] [--runs 3] [--work DIR]

BASE_CHECKOUT is a checkout without the exports (e.g. `git worktree add /tmp/base <commit>`);
this checkout is the other side. CPU is user plus system time of the build and its children
(workers, Pagefind): steadier than wall time on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(checkout: Path, root: Path, *extra: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, str(checkout / "build.py"), "build", "--root", str(root), *extra],
                   check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(checkout)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="exports-cost-"))
    corpus = work / f"corpus-{args.size}"
    if not corpus.is_dir():
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "corpus.py"), str(args.size), str(corpus)],
                       check=True, stdout=subprocess.DEVNULL)
    sides = {"without exports": args.base.resolve(), "with exports": REPO}
    figures: dict[str, dict[str, list[float]]] = {name: {} for name in sides}
    for _ in range(args.runs):
        for name, checkout in sides.items():  # alternated, so a slow minute hits both sides
            for scenario, extra in (("clean", ("--force",)), ("unchanged", ())):
                wall, cpu = timed(checkout, corpus, *extra)
                figures[name].setdefault(f"{scenario} wall", []).append(wall)
                figures[name].setdefault(f"{scenario} cpu", []).append(cpu)
    print(f"{args.size} articles, {args.runs} alternated runs, medians (seconds):")
    for measure in figures["with exports"]:
        base = statistics.median(figures["without exports"][measure])
        new = statistics.median(figures["with exports"][measure])
        print(f"  {measure:<16} without {base:7.2f}  with {new:7.2f}  ratio {new / base:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
