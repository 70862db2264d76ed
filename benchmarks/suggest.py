"""Score ``build.py suggest`` on hand-annotated news stories (issue #25.4).

Usage: ``.venv/bin/python benchmarks/suggest.py [CASES.yaml...]`` (default: every set in suggest_cases/)

Each case names a story file, its date, the actors an editor would have defined and the expected
quotations with their speakers (see the cases file). The suggester drafts quotes for the story as
``build.py suggest`` does (explainer.importing.suggest.draft_article); a drafted quotation matches
an expected one when their texts are equal after folding case, punctuation and spaces. One-word
quotations are ignored on both sides. Printed: per story and overall, precision (matched / drafted),
recall (matched / expected), F1, and speaker accuracy (right speaker / matched); then every miss.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

from explainer.importing.suggest import draft_article
from explainer.model import Actor, ArticleMeta
from explainer.resolved import Article
from explainer.yamlio import load_yaml

DEFAULT = Path(__file__).parent / "suggest_cases" / "cases.yaml"
# Every set, in the order they were made (see README-suggest.md for how each was used).
SETS = ("cases.yaml", "cases-heldout.yaml", "cases-heldout-2.yaml", "cases-heldout-3.yaml", "written-dev/cases.yaml",
        "written-heldout/cases.yaml", "written-heldout-2/cases.yaml")


def fold(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def counted(text: str) -> bool:
    return len(fold(text).split()) >= 2


def run_case(case: dict[str, Any], folder: Path) -> tuple[int, int, int, int, list[str]]:
    """(drafted, expected, matched, right speaker, notes) for one story."""
    body = (folder / case["file"]).read_text(encoding="utf-8")
    body = "\n\n".join(line.strip() for line in body.splitlines() if line.strip())
    meta = ArticleMeta(title=case["file"], date=dt.date.fromisoformat(str(case["date"])))
    article = Article(meta=meta, slug="story", markdown=body.encode("utf-8"), path=case["file"], body_line=1)
    actors = [Actor.model_validate(actor) for actor in case["actors"]]
    drafted = [q for q in draft_article(article, actors, []).quotes if counted(q["text"])]
    expected = [q for q in case["quotes"] if counted(q["text"])]
    by_text = {fold(q["text"]): q for q in drafted}
    notes, matched, right = [], 0, 0
    for quote in expected:
        mine = by_text.pop(fold(quote["text"]), None)
        if mine is None:
            notes.append(f"  missed   {quote['speaker']}: {quote['text'][:70]}")
            continue
        matched += 1
        if mine["speaker"] == quote["speaker"]:
            right += 1
        else:
            notes.append(f"  speaker  {mine['speaker']} (want {quote['speaker']}): {quote['text'][:60]}")
    notes += [f"  extra    {q['speaker']}: {q['text'][:70]}" for q in by_text.values()]
    return len(drafted), len(expected), matched, right, notes


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def score_set(path: Path) -> tuple[list[str], list[str]]:
    """Per-story lines and the overall line of one cases file, then its misses."""
    cases = load_yaml(path.read_text(encoding="utf-8"), str(path))
    totals = [0, 0, 0, 0]
    lines, all_notes = [], []
    for case in cases:
        drafted, expected, matched, right, notes = run_case(case, path.parent)
        for index, value in enumerate((drafted, expected, matched, right)):
            totals[index] += value
        lines.append(_line(case["file"], drafted, expected, matched, right))
        all_notes += [f"{case['file']}:"] + notes if notes else []
    lines.append(_line("all", *totals))
    return lines, all_notes


def _line(name: str, drafted: int, expected: int, matched: int, right: int) -> str:
    precision, recall = ratio(matched, drafted), ratio(matched, expected)
    f1 = ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0
    return (f"{name:<24} drafted {drafted:>3}  expected {expected:>3}  matched {matched:>3}  "
            f"P {precision:.2f}  R {recall:.2f}  F1 {f1:.2f}  speaker {ratio(right, matched):.2f}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(arg) for arg in args] or [DEFAULT.parent / name for name in SETS]
    for path in paths:
        lines, notes = score_set(path)
        print(f"== {path}")
        print("\n".join(lines + notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
