#!/usr/bin/env python3
"""`build` as a user runs it, whole process, on a generated corpus: clean, nothing changed, and one
article edited, each a fresh process timed by /usr/bin/time (wall, CPU of it and its workers and
Pagefind, peak resident memory of the largest process), medians (#18 item 6).

    .venv/bin/python benchmarks/record_speed.py [--articles 5000] [--runs 3] [--clean-runs 1] [--project DIR]

1. clean: no site, no .explainer-cache/ (search index included, as `build` makes it);
2. nothing changed: `build` again (answered from the freshness stamps, before the heavy imports);
3. nothing changed, freshness stamp removed: the record's path (load it, check every file, render
   nothing, write the site from the files already there);
4. one article's text edited (a sentence added), then `build`: the record's path.
Prints how many pages each build rendered again.
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

Run = tuple[float, float, int, str]  # wall s, CPU s, peak KiB, the build's last line


def build(project: Path) -> Run:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    timed = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", sys.executable, "-m", "explainer", "build",
                            "--root", str(project)], env=env, capture_output=True, text=True, check=False)
    if timed.returncode != 0:
        raise SystemExit(f"build failed:\n{timed.stderr[-2000:]}")
    wall, user, system, peak = timed.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(peak), timed.stdout.strip().splitlines()[-1]


def show(name: str, runs: list[Run]) -> None:
    walls, cpus, peaks = [r[0] for r in runs], [r[1] for r in runs], [r[2] for r in runs]
    print(f"| {name} | {statistics.median(walls):.2f} s ({min(walls):.2f}–{max(walls):.2f}) | "
          f"{statistics.median(cpus):.2f} s | {statistics.median(peaks) / 1024:.0f} MiB | {runs[-1][3]} |", flush=True)


def edit(article: Path, index: int) -> None:
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\n\n", f"\n\nEdit {index}: the envoys met again.\n\n", 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clean-runs", type=int, default=1, help="clean builds take minutes: fewer of them")
    parser.add_argument("--project", type=Path, default=None, help="a generated corpus to copy (else one is made)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="explainer-record-") as folder:
        project = Path(folder) / "project"
        if args.project:
            shutil.copytree(args.project, project)
        else:
            generate(args.articles, project)
        print("| build | wall (min–max) | CPU | peak | says |\n|---|---|---|---|---|")
        clean = []
        for _ in range(args.clean_runs):
            shutil.rmtree(project / "site", ignore_errors=True)
            shutil.rmtree(project / ".explainer-cache", ignore_errors=True)
            clean.append(build(project))
        show("clean", clean)
        show("nothing changed", [build(project) for _ in range(args.runs)])
        unchanged = []
        for _ in range(args.runs):
            (project / ".explainer-cache/last-build.json").unlink(missing_ok=True)
            unchanged.append(build(project))
        show("nothing changed, through the record", unchanged)
        article = sorted((project / "content/articles").glob("*.md"))[7]
        edited = []
        for index in range(args.runs):
            edit(article, index)
            edited.append(build(project))
        show("one article's text edited", edited)


if __name__ == "__main__":
    main()
