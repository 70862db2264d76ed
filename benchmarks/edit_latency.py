#!/usr/bin/env python3
"""The preview's rebuild after a one-article edit, in process: one BuildCache kept between
builds and told which file changed (as the preview's watcher does), build + write timed.

    PYTHONPATH=CHECKOUT .venv/bin/python benchmarks/edit_latency.py PROJECT

PROJECT is a generated corpus (benchmarks/corpus.py) that this edits. Prints the first build,
the median of seven edits of one article's text (a sentence naming an actor added), and the
median of three edits of an actor's role (a full rebuild that renders only what read it).
Run it with PYTHONPATH at two checkouts, back to back, to compare them.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from explainer import pipeline
from explainer.config import load_config


def main() -> None:
    root = Path(sys.argv[1])
    project = load_config(root)
    cache = pipeline.BuildCache()
    started = time.perf_counter()
    result = pipeline.build(project, cache=cache)
    pipeline.write(project, result, cache, search=False)
    print("first build", round(time.perf_counter() - started, 2), "s")
    cache.workers = 1  # as the preview, after its first build
    article = sorted((root / "content/articles").glob("*.md"))[7]
    edits = []
    for index in range(7):
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("\n\n", f"\n\nEdit {index} marker.\n\n", 1), encoding="utf-8")
        started = time.perf_counter()
        result = pipeline.build(load_config(root), cache=cache, changed=[str(article)])
        pipeline.write(project, result, cache, search=False)
        edits.append(time.perf_counter() - started)
    print("one article edited: median", round(statistics.median(edits) * 1000, 1), "ms, rendered", result.rendered,
          [round(t * 1000) for t in edits])
    actor = sorted((root / "content/actors").glob("*.yaml"))[3]
    full = []
    for index in range(3):
        text = actor.read_text(encoding="utf-8")
        actor.write_text(text.replace("role: ", f"role: R{index} ", 1), encoding="utf-8")
        started = time.perf_counter()
        result = pipeline.build(load_config(root), cache=cache, changed=[str(actor)])
        pipeline.write(project, result, cache, search=False)
        full.append(time.perf_counter() - started)
    print("an actor's role edited: median", round(statistics.median(full), 2), "s, rendered", result.rendered)


if __name__ == "__main__":
    main()
