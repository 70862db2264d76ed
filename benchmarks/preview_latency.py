#!/usr/bin/env python3
"""Save-to-rebuilt latency of the live preview (``build.py serve``), as a user would feel it.

    .venv/bin/python benchmarks/preview_latency.py [--runs 7] [--articles 1000] [--only example|corpus]

For the example site and for a generated corpus (benchmarks/corpus.py), a scratch copy is served
by ``explainer.preview.server.start`` with its real settings (debounce, poll interval) on 127.0.0.1:0.
Each run appends a unique marker to one article's Markdown and measures, from the write:

* reload: the build finished and the browsers were told to reload (``Preview.on_build``);
* disk: the marker is in the article's page in the output folder;
* served: the marker is in the page fetched over HTTP.

Also printed: the build's own time (build + write, from the Outcome) and the watcher's costs
(one poll's scan of the inputs, one fingerprint with content digests at a build's start).
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from explainer.config import load_config  # noqa: E402
from explainer.preview import policy, server, watch  # noqa: E402
from explainer.preview.outcome import Outcome  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def example_project(target: Path) -> tuple[Path, str]:
    target.mkdir(parents=True)
    shutil.copy(REPO / "config.yaml", target / "config.yaml")
    shutil.copytree(REPO / "content", target / "content")
    return target, "putin-us-relations-trump"


def corpus_project(target: Path, articles: int) -> tuple[Path, str]:
    try:
        from corpus import generate  # benchmarks/corpus.py
    except ImportError:
        generate = _simple_corpus
    generate(articles, target)
    return target, sorted(p.stem for p in (target / "content" / "articles").glob("*.md"))[articles // 2]


def _simple_corpus(count: int, out: Path) -> None:
    """Fallback when benchmarks/corpus.py is absent: the example's actors and votes, N small articles."""
    example_project(out)
    source = (out / "content/articles/putin-us-relations-trump.md").read_text(encoding="utf-8")
    for index in range(count):
        text = source.replace("slug: putin-us-relations-trump\n", f"slug: generated-{index:05d}\n")
        (out / "content/articles" / f"generated-{index:05d}.md").write_text(text, encoding="utf-8")


def fetch(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().read()
    finally:
        connection.close()


def measure(root: Path, slug: str, runs: int) -> dict[str, list[float]]:
    project = load_config(root)
    log: list[str] = []
    running = server.start(project, port=0, log=log.append)
    built = threading.Event()
    outcome_times: list[tuple[float, float]] = []  # (when, build seconds)

    def on_build(outcome: Outcome) -> None:
        outcome_times.append((time.perf_counter(), outcome.seconds))
        built.set()

    running.preview.on_build = on_build
    article = root / "content" / "articles" / f"{slug}.md"
    page = project.out_dir / "articles" / slug / "index.html"
    url = f"{running.preview.base_path}articles/{slug}/"
    original = article.read_text(encoding="utf-8")
    figures: dict[str, list[float]] = {"reload": [], "disk": [], "served": [], "build": [], "scan": [],
                                       "fingerprint": []}
    try:
        for run in range(runs):
            time.sleep(1.0)  # let the previous build's files settle
            marker = f"PREVIEW-LATENCY-{run}-{time.time_ns()}"
            built.clear()
            started = time.perf_counter()
            article.write_text(original + f"\n{marker}\n", encoding="utf-8")
            disk = served = None
            while disk is None or served is None:
                now = time.perf_counter()
                if now - started > 120:
                    raise SystemExit(f"no rebuild after 120 s: {log[-5:]}")
                if disk is None and page.is_file() and marker.encode() in _read(page):
                    disk = time.perf_counter() - started
                if served is None and marker.encode() in fetch(running.port, url):
                    served = time.perf_counter() - started
                time.sleep(0.002)
            built.wait(30)
            when, seconds = outcome_times[-1]
            figures["reload"].append(when - started)
            figures["disk"].append(disk)
            figures["served"].append(served)
            figures["build"].append(seconds)
        globs = watch.watch_globs(project)
        for _ in range(5):
            started = time.perf_counter()
            snapshot = watch.scan(globs, project.root, project.out_dir)
            figures["scan"].append(time.perf_counter() - started)
            started = time.perf_counter()
            watch.fingerprint(snapshot, time.time_ns())
            figures["fingerprint"].append(time.perf_counter() - started)
        failed = [line for line in log if "failed" in line]
        if failed:
            raise SystemExit(f"a build failed: {failed}")
    finally:
        running.stop()
    return figures


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def report(name: str, pages: int, figures: dict[str, list[float]]) -> str:
    def ms(key: str) -> str:
        return f"{statistics.median(figures[key]) * 1000:.0f}"

    spread = f"{min(figures['served']) * 1000:.0f}–{max(figures['served']) * 1000:.0f}"
    return (f"| {name} | {pages} | {ms('served')} ({spread}) | {ms('disk')} | {ms('reload')} | {ms('build')} "
            f"| {ms('scan')} | {ms('fingerprint')} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--only", choices=["example", "corpus"])
    args = parser.parse_args()
    print(f"debounce {policy.QUIET_SECONDS * 1000:.0f} ms, poll every {server.POLL_SECONDS * 1000:.0f} ms; "
          f"medians of {args.runs} saves, in ms")
    print("| site | pages | save → served (min–max) | save → on disk | save → reload sent | build + write "
          "| one poll's scan | fingerprint |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="preview-latency-") as scratch:
        cases = []
        if args.only in (None, "example"):
            cases.append(("example site", *example_project(Path(scratch) / "example")))
        if args.only in (None, "corpus"):
            cases.append((f"generated, {args.articles} articles",
                          *corpus_project(Path(scratch) / "corpus", args.articles)))
        for name, root, slug in cases:
            figures = measure(root, slug, args.runs)
            pages = sum(1 for _ in (root / "site").rglob("*.html"))
            print(report(name, pages, figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
