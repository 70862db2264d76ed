"""A year of UN votes: bulk `import-vote` of 236 resolutions from one file, and a clean build of
the site it makes; whole-process wall time (python start-up included), medians of --runs.

The file is generated in the UN Digital Library's long shape (one row per member per
resolution, the columns of the real records in tests/data/un/): about a year's worth, 200 General
Assembly votes with all 193 members and 36 Security Council votes with the 2025 Council, dates
spread over 2025, blocs that vote alike (so that "who votes with whom" has structure), a few
vetoes, and titles of the catalogue's lengths (one over 300 characters).

    python benchmarks/unvotes_bulk.py [--runs 3] [--votes 236] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from explainer.unrules import council_members, decide  # noqa: E402  (after the path is set)
from explainer.unstates import PERMANENT_MEMBERS, load_member_states  # noqa: E402

GA_COLUMNS = ["undl_id", "ms_code", "ms_name", "ms_vote", "date", "session", "resolution", "draft",
              "committee_report", "meeting", "title", "agenda_title", "subjects", "vote_note", "total_yes",
              "total_no", "total_abstentions", "total_non_voting", "total_ms", "undl_link"]
LETTER = {"yes": "Y", "no": "N", "abstain": "A", "absent": "X"}


def _blocs(rng: random.Random, codes: list[str]) -> dict[str, int]:
    """Each state in one of six blocs; a bloc mostly votes together."""
    return {code: rng.randrange(6) for code in codes}


def _choice(rng: random.Random, line: str, loyal: float) -> str:
    if rng.random() < loyal:
        return line
    return rng.choices(("yes", "no", "abstain", "absent"), weights=(50, 10, 30, 10))[0]


def _title(rng: random.Random, index: int) -> str:
    words = ("situation", "Middle East", "question", "Palestine", "promotion", "human rights", "development",
             "disarmament", "nuclear", "cooperation", "United Nations", "peacekeeping", "Ukraine", "climate")
    length = 320 if index == 17 else rng.choice((40, 60, 90, 140, 200))
    title = []
    while len(" ".join(title)) < length:
        title.append(rng.choice(words))
    return " ".join(title).capitalize()


def rows_for(rng: random.Random, index: int, count: int) -> list[dict[str, str]]:
    states = load_member_states()
    codes = sorted(states)
    blocs = _blocs(random.Random(7), codes)
    council = index % 7 == 3 and index < count
    day = dt.date(2025, 1, 15) + dt.timedelta(days=index * 340 // count)
    record = str(4080000 + index)
    if council:
        members = sorted(council_members(day) or ())
        lines = {bloc: rng.choice(("yes", "yes", "yes", "abstain")) for bloc in range(6)}
        ballots = {code: _choice(rng, lines[blocs[code]], 0.9) if code not in PERMANENT_MEMBERS else "yes"
                   for code in members}
        if index % 5 == 0:
            ballots["RUS"] = "no"  # a veto now and then
        symbol, draft = f"S/RES/{2770 + index} (2025)", f"S/2025/{100 + index}"
    else:
        lines = {bloc: rng.choices(("yes", "no", "abstain"), weights=(70, 10, 20))[0] for bloc in range(6)}
        ballots = {code: _choice(rng, lines[blocs[code]], 0.85) for code in codes}
        symbol, draft = f"A/RES/80/{index + 1}", f"A/80/L.{index + 1}"
    counts = {c: sum(1 for v in ballots.values() if v == c) for c in LETTER}
    decide("security-council" if council else "general-assembly", counts)  # the shape the build checks
    title = _title(rng, index)
    rows = []
    for code in sorted(ballots):
        row = {"undl_id": record, "ms_code": code, "ms_name": states[code].name, "ms_vote": LETTER[ballots[code]],
               "date": day.isoformat(), "session": "80", "resolution": symbol, "draft": draft,
               "meeting": f"S/PV.{9900 + index}" if council else "", "title": title,
               "total_yes": str(counts["yes"]), "total_no": str(counts["no"]),
               "total_abstentions": str(counts["abstain"]), "total_non_voting": str(counts["absent"]),
               "total_ms": str(len(ballots)), "undl_link": f"https://digitallibrary.un.org/record/{record}"}
        rows.append(row)
    return rows


def write_year(path: Path, count: int, seed: int = 2025) -> Path:
    """A long-shape voting file of ``count`` resolutions."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=GA_COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for index in range(count):
            writer.writerows(rows_for(rng, index, count))
    return path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the process and all it started) of one command."""
    started, cpu = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, str(REPO / "build.py"), *argv], check=False, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return elapsed, _cpu() - cpu


def _median(pairs: list[tuple[float, float]], what: str) -> str:
    walls, cpus = [w for w, _ in pairs], [c for _, c in pairs]
    return (f"{what} {statistics.median(walls):.2f} s wall (min {min(walls):.2f}, max {max(walls):.2f}), "
            f"{statistics.median(cpus):.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--votes", type=int, default=236)
    parser.add_argument("--keep", type=Path, default=None, help="leave the last project here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        year = write_year(Path(work) / "votes-2025.csv", args.votes)
        print(f"{year.name}: {args.votes} resolutions, {sum(1 for _ in year.open()) - 1:,} rows, "
              f"{year.stat().st_size / 1e6:.1f} MB")
        imports, builds = [], []
        for run in range(args.runs):
            root = args.keep if args.keep and run == args.runs - 1 else Path(work) / f"site-{run}"
            root.mkdir(parents=True, exist_ok=True)
            (root / "config.yaml").write_text("title: A year of UN votes\n", encoding="utf-8")
            imports.append(_timed(["import-vote", str(year), "--root", str(root)]))
            builds.append(_timed(["build", "--root", str(root), "--force"]))
            print(f"run {run + 1}: import {imports[-1][0]:.2f} s ({imports[-1][1]:.2f} s CPU), clean build "
                  f"{builds[-1][0]:.2f} s ({builds[-1][1]:.2f} s CPU), "
                  f"{sum(1 for _ in (root / 'site').rglob('*.html'))} pages")
        print(f"median of {args.runs}: {_median(imports, 'bulk import-vote')}; {_median(builds, 'clean build')}")


if __name__ == "__main__":
    main()
