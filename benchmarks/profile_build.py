#!/usr/bin/env python3
"""Where a clean build's time goes: by stage, and by page kind (issue 24, item 2).

    python benchmarks/profile_build.py [--articles 1000] [--project DIR] [--work DIR]

Writes a generated corpus (benchmarks/corpus.py) unless ``--project`` names one, then:
1. a clean build as ``build.py build`` makes it (all cores, search index included), with the wall
   time and the CPU time (this process and its workers, Pagefind included) of each stage: load,
   validate, link, render (and write the pages), static and extra files, search index, swap;
2. every page rendered again in this one process, not written, timed by page kind: pages, CPU
   seconds, milliseconds a page and bytes of output, so that the kinds can be compared.
The first says what the build costs and where; the second which templates to look at.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from explainer import pipeline  # noqa: E402
from explainer.config import load_config  # noqa: E402
from explainer.errors import Report  # noqa: E402
from explainer.pages import page_specs  # noqa: E402
from explainer.render import Renderer  # noqa: E402
from explainer.search import index_site  # noqa: E402
from explainer.static import static_files  # noqa: E402
from explainer.write import Staging  # noqa: E402

from corpus import generate  # noqa: E402


def cpu_now() -> float:
    """CPU seconds of this process and of its finished children (workers, Pagefind)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class CpuClock:
    """pipeline._Clock's laps (wall seconds), with the CPU seconds of each lap beside them."""

    cpu: dict[str, float] = {}  # every clock of this run adds to it: a benchmark, one build at a time

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last, self._last_cpu = time.perf_counter(), cpu_now()

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), cpu_now()
        self.laps[name], CpuClock.cpu[name] = now - self._last, cpu - self._last_cpu
        self._last, self._last_cpu = now, cpu


def stages(root: Path) -> None:
    project = load_config(root)
    pipeline._Clock = CpuClock  # type: ignore[misc]  # the pipeline's own laps, with CPU time
    with Staging(project.out_dir) as staging:
        result = pipeline.build(project, staging=staging)
        clock = CpuClock()

        def index(folder: Path) -> None:
            clock.lap("static and extra files")
            index_site(folder, project)
            clock.lap("search index")

        pipeline.finish_site(staging, result.files, static_files(project), pipeline._extra_files(project), index)
        clock.lap("swap in")
    laps = {**result.timings, **clock.laps}
    total_wall, total_cpu = sum(laps.values()), sum(CpuClock.cpu[name] for name in laps)
    print(f"\nClean build by stage ({len(result.files):,} outputs): wall s, CPU s (all processes), share of CPU")
    print("| stage | wall s | CPU s | CPU share |\n|---|---|---|---|")
    for name, wall in laps.items():
        print(f"| {name} | {wall:.2f} | {CpuClock.cpu[name]:.2f} | {CpuClock.cpu[name] / total_cpu:.0%} |")
    print(f"| total | {total_wall:.2f} | {total_cpu:.2f} | |")
    peaks = [resource.getrusage(who).ru_maxrss / 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    print(f"Peak resident memory: this process {peaks[0]:.0f} MiB, largest worker or Pagefind {peaks[1]:.0f} MiB")


def kinds(root: Path) -> None:
    project = load_config(root)
    result = pipeline.build(project)  # in memory, not written: the site the pages are made from
    site = result.site
    assert site is not None
    specs = page_specs(site)
    renderer = Renderer(site, project, [spec.template for spec in specs if spec.template])
    seconds: dict[str, float] = defaultdict(float)
    sizes: dict[str, int] = defaultdict(int)
    pages: dict[str, int] = defaultdict(int)
    for spec in specs:
        started = time.process_time()
        pieces = renderer.render_pieces(spec, Report())
        size = sum(len(piece) for piece in pieces) if pieces is not None else 0
        kind = spec.kind if spec.template else f"{spec.kind} (file)"
        seconds[kind] += time.process_time() - started
        sizes[kind] += size
        pages[kind] += 1
    print("\nEvery page rendered again in one process, not written, by kind (CPU s, ms a page, output bytes)")
    print("| kind | pages | CPU s | ms a page | MB | KB a page |\n|---|---|---|---|---|---|")
    for kind in sorted(seconds, key=seconds.__getitem__, reverse=True):
        print(f"| {kind} | {pages[kind]:,} | {seconds[kind]:.2f} | {seconds[kind] / pages[kind] * 1000:.2f} | "
              f"{sizes[kind] / 1e6:.2f} | {sizes[kind] / pages[kind] / 1000:.1f} |")
    print(f"| total | {sum(pages.values()):,} | {sum(seconds.values()):.2f} | | {sum(sizes.values()) / 1e6:.2f} | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--project", type=Path, help="a site project to profile instead of a generated corpus")
    parser.add_argument("--work", type=Path, default=Path("/tmp/explainer-profile"))
    args = parser.parse_args()
    root = args.project
    if root is None:
        root = args.work / f"corpus-{args.articles}"
        if not (root / "config.yaml").is_file():
            generate(args.articles, root)
    stages(root.resolve())
    kinds(root.resolve())


if __name__ == "__main__":
    main()
