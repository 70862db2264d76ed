#!/usr/bin/env python3
"""Write a generated site project of N articles in Explainer's own schema.

    python benchmarks/corpus.py N OUT [--seed 1]

Proportions (issue 10): about 850-word articles; one actor per five articles; three quotes per
article; one UN vote per twenty articles, 30 % Security Council with 15 ballots and 70 % General
Assembly with all 193. Deterministic for a seed; the project passes `build.py check`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explainer.unrules import council_members, decide  # noqa: E402
from explainer.unstates import load_member_states  # noqa: E402
from explainer.yamlio import dump_yaml  # noqa: E402

SYLLABLES = ["an", "bel", "cor", "dra", "el", "fen", "gar", "hol", "is", "jor", "kal", "lum", "mor", "nes",
             "or", "pra", "quin", "ros", "sal", "tor", "ul", "vex", "wen", "yar", "zel"]
WORDS = ("the government said on that day a new plan would be put to ministers after weeks of talks "
         "over trade energy security and the future of the region while officials in several capitals "
         "warned that any agreement would take time and need support from parliament and voters").split()
KINDS = ["person"] * 6 + ["organisation"] * 2 + ["outlet", "group"]


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        first = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
        last = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
        name = f"{first} {last}"
        if name not in used:
            used.add(name)
            return name


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random, actors: list[str], words: int) -> str:
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentence = _sentence(rng, rng.randint(12, 22))
        if rng.random() < 0.5:
            sentence = f"{rng.choice(actors)} said that " + sentence[0].lower() + sentence[1:]
        sentences.append(sentence)
    return " ".join(sentences)


def generate(count: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("articles", "actors", "quotes", "votes"):
        (out / "content" / folder).mkdir(parents=True)
    (out / "config.yaml").write_text(dump_yaml({
        "title": f"Generated corpus ({count} articles)", "description": "A benchmark corpus.", "base_url": "/",
        "validation": {"unattributed_quote": "ignore", "orphan_actor": "ignore"},
    }), encoding="utf-8")
    used: set[str] = set()
    actors = []
    for index in range(max(1, count // 5)):
        name = _name(rng, used)
        actor_id = _slug(name)
        actors.append((actor_id, name))
        data = {"id": actor_id, "kind": KINDS[index % len(KINDS)], "name": name,
                "aliases": [name.split()[1] + " " + str(index)], "role": f"Role number {index}"}
        (out / "content/actors" / f"{actor_id}.yaml").write_text(dump_yaml(data), encoding="utf-8")
    start = dt.date(2024, 1, 1)
    names = [name for _, name in actors]
    for index in range(count):
        slug = f"article-{index:05d}"
        cast = rng.sample(actors, k=min(4, len(actors)))
        quotes = []
        paragraphs = []
        for number in range(8):
            paragraphs.append(_paragraph(rng, [n for _, n in cast] + rng.sample(names, k=min(2, len(names))), 90))
            if number < 3:
                speaker = cast[number % len(cast)]
                text = _sentence(rng, 14)[:-1] + f" in statement {index}-{number}"
                paragraphs.append(f"\u201c{text},\u201d {speaker[1]} said.")
                quotes.append({"id": f"q-{index:05d}-{number}", "speaker": speaker[0], "text": text + ",",
                               "article": slug, "said_on": (start + dt.timedelta(days=index % 700)).isoformat()})
        body = "\n\n".join(paragraphs[:4] + ["## A section heading"] + paragraphs[4:])
        meta = {"title": f"Story number {index}: {cast[0][1]} and the talks",
                "date": (start + dt.timedelta(days=index % 700)).isoformat(),
                "source": "Generated Wire", "summary": _sentence(rng, 20)}
        (out / "content/articles" / f"{slug}.md").write_text("---\n" + dump_yaml(meta) + "---\n\n" + body + "\n",
                                                             encoding="utf-8")
        (out / "content/quotes" / f"{slug}.yaml").write_text(dump_yaml(quotes), encoding="utf-8")
    _votes(rng, count // 20, out)


def _votes(rng: random.Random, count: int, out: Path) -> None:
    codes = sorted(load_member_states())
    choices = ["yes", "no", "abstain", "absent"]
    for index in range(count):
        council = rng.random() < 0.3
        date = dt.date(2024, 1 + index % 12, 1 + index % 28)
        if council:
            # the Council of that day, so that the build's membership check passes
            ballots = {code: rng.choice(["yes", "yes", "yes", "abstain"])
                       for code in sorted(council_members(date) or ())}
        else:
            ballots = {code: rng.choices(choices, weights=[50, 10, 30, 10])[0] for code in codes}
        tally = {c: sum(1 for v in ballots.values() if v == c) for c in choices}
        adopted = decide("security-council" if council else "general-assembly", tally).result == "adopted"
        vote = {"id": f"vote-{index:04d}", "body": "security-council" if council else "general-assembly",
                "resolution": f"{'S' if council else 'A'}/RES/{1000 + index}", "title": f"Resolution {index}",
                "date": date.isoformat(), "result": "adopted" if adopted else "rejected",
                "tally": tally, "members_complete": True, "members": dict(sorted(ballots.items()))}
        if not council:
            vote["majority"] = "simple"
        (out / "content/votes" / f"vote-{index:04d}.yaml").write_text(dump_yaml(vote), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.count, args.out, args.seed)


if __name__ == "__main__":
    main()
