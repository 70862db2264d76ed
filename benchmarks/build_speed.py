#!/usr/bin/env python3
"""Build speed at newsroom scale (issue 10): prints medians and min-max of wall time and peak
memory, and pages per second, for generated corpora.

    python benchmarks/build_speed.py [--sizes 1000 5000] [--runs 3] [--work DIR]

Scenarios, each run in fresh processes:
- clean: no output folder and no cache, `build.py build`;
- clean without search: the same build minus the Pagefind index (the pages Hugo and the other
  generators in issue 10 were measured on), with the time of each stage;
- unchanged: `build.py build` again with nothing changed;
- edit: the preview server's path: one process keeps a BuildCache and is told which file
  changed (as the preview's watcher does); the rebuild plus write is timed (median over several
  edits) for four edits: an article's text (no change to who it mentions), an article's text
  naming an actor once more (actor and index pages change), a quote's date, and an actor file
  added (a name no article contains; the whole site is relinked). The preview updates the
  search index after the browser has reloaded, timed separately.
Peak memory is the largest resident set of the build process and its workers. CPU is the user plus
system time of the build and every process it ran (workers, Pagefind): steadier than wall time
on a noisy machine, it says what the work costs, wall time what a user waits.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

# Runs a command as a child and reports its wall time, the peak RSS of the child and its
# descendants (RUSAGE_CHILDREN is the largest of them) and their CPU time (user + system,
# summed over all of them: workers and Pagefind included), in a process of its own.
MEASURE = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime,
                  "code": done.returncode, "err": done.stderr[-2000:], "out": done.stdout[-2000:]}))
"""

EDIT = r"""
import json, os, re, statistics, sys, time
from pathlib import Path
from explainer import pipeline
from explainer.config import load_config
root = Path(sys.argv[1]); runs = int(sys.argv[2])
project = load_config(root, root / "site-edit")
cache = pipeline.BuildCache()
pipeline.write(project, pipeline.build(project, cache=cache), cache)
cache.workers = 1  # as in the preview server
article = root / "content/articles/article-00007.md"
quotes = root / "content/quotes/article-00007.yaml"
first_actor = sorted((root / "content/actors").glob("*.yaml"))[0]
actor = first_actor.read_text(encoding="utf-8").split("name: ")[1].split("\n")[0]
original, original_quotes = article.read_text(encoding="utf-8"), quotes.read_text(encoding="utf-8")
times = {"text": [], "mention": [], "quote": [], "actor": []}
rendered = {name: [] for name in times}
written = []
def edit(kind, path, text):
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    # As the preview does: its watcher says which files changed.
    result = pipeline.build(project, cache=cache, changed=[str(path)])
    written.extend(pipeline.write(project, result, cache, search=False))  # indexed after the reload
    times[kind].append(time.perf_counter() - started)
    rendered[kind].append(result.rendered)
for run in range(runs):
    edit("text", article, original.replace("## A section heading", f"## A section heading, edit {run}"))
for run in range(runs):  # one more paragraph naming the actor each time: its mention count changes
    more = f"\n\n{actor} spoke." * (run + 1)
    edit("mention", article, original.replace("## A section heading", "## A section heading" + more))
for run in range(runs):
    edit("quote", quotes, re.sub(r"said_on: '(\d{4})-(\d\d)-\d\d'",
                                 lambda m: f"said_on: '{m[1]}-{m[2]}-{run % 27 + 1:02d}'", original_quotes, count=1))
newcomer = root / "content/actors/zz-newcomer.yaml"
for run in range(runs):  # an actor file added, then renamed: a name no article contains
    edit("actor", newcomer, f"id: zz-newcomer\nkind: person\nname: Zorblax Quentin {run}\n")
started = time.perf_counter()
pipeline.update_index(project, cache, written)  # as the preview does: only the bundles that changed
indexing = time.perf_counter() - started
article.write_text(original, encoding="utf-8")
quotes.write_text(original_quotes, encoding="utf-8")
newcomer.unlink()
print(json.dumps({"times": times, "rendered": rendered, "index_s": indexing}))
"""


# A clean build without the search index, in a process of its own, with its stage times.
NO_SEARCH = r"""
import json, sys
from pathlib import Path
from explainer import pipeline
from explainer.config import load_config
result = pipeline.build_and_write(load_config(Path(sys.argv[1]), Path(sys.argv[2])), search=False)
print(json.dumps(result.timings))
"""


def measure(command: list[str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True,
                          cwd=REPO)
    result = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result['err']}")
    return result


def summary(values: list[float], unit: str, digits: int = 2) -> str:
    return (f"median {statistics.median(values):.{digits}f} {unit} "
            f"(min {min(values):.{digits}f}, max {max(values):.{digits}f})")


def bench(size: int, runs: int, work: Path) -> dict[str, object]:
    from corpus import generate

    root = work / f"corpus-{size}"
    if not (root / "config.yaml").exists():
        generate(size, root)
    out = root / "site"
    build = [sys.executable, str(REPO / "build.py"), "build", "--root", str(root), "--out", str(out)]
    clean, unchanged, bare, stages = [], [], [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(root / ".explainer-cache", ignore_errors=True)
        clean.append(measure(build))
        unchanged.append(measure(build))
        bare_out = work / f"bare-{size}"
        shutil.rmtree(bare_out, ignore_errors=True)
        bare.append(measure([sys.executable, "-c", NO_SEARCH, str(root), str(bare_out)]))
        stages.append(json.loads(bare[-1]["out"]))
    pages = sum(1 for _ in out.rglob("*.html"))
    done = subprocess.run([sys.executable, "-c", EDIT, str(root), str(max(5, runs))], capture_output=True,
                          text=True, check=True, cwd=REPO)
    edit = json.loads(done.stdout)
    return {
        "size": size, "pages": pages,
        "clean_s": [r["seconds"] for r in clean], "clean_mib": [r["peak_mib"] for r in clean],
        "clean_cpu": [r["cpu_s"] for r in clean], "bare_cpu": [r["cpu_s"] for r in bare],
        "unchanged_s": [r["seconds"] for r in unchanged], "unchanged_mib": [r["peak_mib"] for r in unchanged],
        "bare_s": [r["seconds"] for r in bare], "bare_mib": [r["peak_mib"] for r in bare],
        "stages": {name: statistics.median(s[name] for s in stages) for name in stages[0]},
        "edit_s": edit["times"], "edit_rendered": edit["rendered"], "index_s": edit["index_s"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="where corpora are generated (kept between runs)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.gettempdir()) / "explainer-bench"
    work.mkdir(parents=True, exist_ok=True)
    print(f"# {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    results = []
    for size in args.sizes:
        result = bench(size, args.runs, work)
        results.append(result)
        clean = result["clean_s"]
        print(f"\n## {size} articles, {result['pages']} pages")
        print(f"clean build:     {summary(clean, 's')}, peak {summary(result['clean_mib'], 'MiB', 0)}, "
              f"{result['pages'] / statistics.median(clean):.0f} pages/s; CPU {summary(result['clean_cpu'], 's', 1)}")
        stage_text = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result["stages"].items())
        print(f"clean build without the search index: {summary(result['bare_s'], 's')}, peak "
              f"{summary(result['bare_mib'], 'MiB', 0)}, {result['pages'] / statistics.median(result['bare_s']):.0f} "
              f"pages/s; CPU {summary(result['bare_cpu'], 's', 1)}; stages (medians): {stage_text}")
        print(f"nothing changed: {summary(result['unchanged_s'], 's')}, "
              f"peak {summary(result['unchanged_mib'], 'MiB', 0)}")
        for kind, what in (("text", "one article's text edited"),
                           ("mention", "one article edited to mention an actor once more"),
                           ("quote", "one quote's date edited"),
                           ("actor", "an actor file added, then renamed (relinks the whole site)")):
            print(f"{what} (preview path): {summary([t * 1000 for t in result['edit_s'][kind]], 'ms', 0)}, "
                  f"{statistics.median(result['edit_rendered'][kind]):.0f} pages re-rendered")
        print(f"the search index is then updated in the background in {result['index_s']:.2f} s")
    if len(results) > 1:
        first, last = results[0], results[-1]
        ratio = statistics.median(last["clean_s"]) / statistics.median(first["clean_s"])
        bare = statistics.median(last["bare_s"]) / statistics.median(first["bare_s"])
        print(f"\nclean build grows {ratio:.2f}x ({bare:.2f}x without the search index) for "
              f"{last['size'] / first['size']:.0f}x the articles")


if __name__ == "__main__":
    main()
