#!/usr/bin/env python3
"""What the open data under /data/ costs a build (issue 21), on generated corpora.

    python benchmarks/exports_cost.py [--sizes 1000 5000] [--runs 3] [--work DIR]

For each size it prints, as medians: the whole clean build (`build --force`, search index
included, a fresh process, wall and CPU time of it and its workers), the unchanged build that
follows it, and the CPU time of making every file under /data/ from the built site in one
process (what the exports add to the render stage; writing them is part of the clean build),
with the number and size of the files. The share is exports CPU / clean-build CPU.
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
sys.path.insert(0, str(REPO))


def timed_build(root: Path, *extra: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--root", str(root), *extra], check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def exports_cpu(root: Path) -> tuple[float, int, int]:
    from explainer import exports, pipeline
    from explainer.config import load_config
    from explainer.urls import Urls

    project = load_config(root)
    site = pipeline.build(project, cache=pipeline.BuildCache()).site
    assert site is not None
    urls = Urls(project.config.base_url)
    names = exports.site_files() + [path for path, _, _ in exports.slice_files(site)]
    start = time.process_time()
    size = sum(len(exports.data_file(site, urls, name)) for name in names)
    return time.process_time() - start, len(names), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="exports-cost-"))
    for size in args.sizes:
        corpus = work / f"corpus-{size}"
        if not corpus.is_dir():
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "corpus.py"), str(size), str(corpus)],
                           check=True, stdout=subprocess.DEVNULL)
        clean, unchanged, made = [], [], []
        for _ in range(args.runs):
            clean.append(timed_build(corpus, "--force"))
            timed_build(corpus)  # records what it read (a --force build records nothing)
            unchanged.append(timed_build(corpus))
            made.append(exports_cpu(corpus))
        clean_cpu = statistics.median(cpu for _, cpu in clean)
        data_cpu = statistics.median(cpu for cpu, _, _ in made)
        _, files, size_bytes = made[0]
        print(f"{size} articles, medians of {args.runs}:")
        print(f"  clean build      wall {statistics.median(w for w, _ in clean):7.2f} s  cpu {clean_cpu:7.2f} s")
        print(f"  unchanged build  wall {statistics.median(w for w, _ in unchanged):7.2f} s  "
              f"cpu {statistics.median(c for _, c in unchanged):7.2f} s")
        print(f"  /data/ files     {files} files, {size_bytes / 1e6:.1f} MB, made in {data_cpu:.2f} CPU-s: "
              f"{100 * data_cpu / clean_cpu:.1f} % of the clean build's CPU (writing them is in the clean build)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
