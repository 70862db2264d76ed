"""Score the article importer against an extraction benchmark folder.

Usage: ``.venv/bin/python benchmarks/cleaning.py DIR [--only ID]``

DIR is shaped like tests/data/extraction-dev: ``manifest.jsonl`` (one record per page with
``id``, ``html``?, ``page_text`` and ``ground_truth`` paths, ``language``?), ``html/ID.html.gz``,
``page_text/ID.txt``, ``ground_truth/ID.txt``. Every page is imported as HTML (when it has one)
and as flattened text, each into its own temporary root, without ``--source`` or ``--date``, as a
new user would. Only the article body (no front matter) is scored. Figures are printed for all
pages and per language (the manifest's ``language``, else guessed from the ground truth).

Scoring (the benchmark's own): ``\\w+`` tokens (a token per character in Chinese and Japanese),
4-token shingles counted as multisets, per-page precision and recall from the overlap, both
averaged over pages, F1 of the two averages.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from explainer.errors import ExplainerError
from explainer.importing.articles import run_import
from explainer.importing.language import guess_language

SHINGLE = 4
# \w+ tokens, except that Chinese and Japanese, written without spaces, count a token per character
# (with \w+ a whole clause would be one token and a paragraph fewer than four).
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]|[^\W\u3040-\u30ff\u3400-\u9fff]+")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i: i + SHINGLE]) for i in range(max(len(tokens) - SHINGLE + 1, 0)))


def score(predicted: str, truth: str) -> Score:
    got, want = shingles(predicted), shingles(truth)
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    return Score(precision, recall)


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def body_of(article: str) -> str:
    """The Markdown body: what follows the closing ``---`` of the front matter."""
    return article.split("\n---\n", 1)[1] if article.startswith("---\n") else article


def import_body(path: Path) -> str:
    """Import one file into a throw-away root and return its body ("" if the import failed)."""
    with tempfile.TemporaryDirectory() as root:
        try:
            written = run_import([path], root=Path(root), profiles={}, config_path="config.yaml",
                                 source=None, date=None, dry_run=False, force=True, out=io.StringIO())
        except ExplainerError as exc:
            print(f"  import failed: {path.name}: {exc}", file=sys.stderr)
            return ""
        return body_of(written[0].read_text(encoding="utf-8"))


def run(folder: Path, only: str | None) -> dict[str, list[Score]]:
    """Score every page; results keyed by mode ("html", "text") and by "mode language"."""
    results: dict[str, list[Score]] = {"html": [], "text": []}
    records = [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines() if line.strip()]
    for record in records:
        if only and not record["id"].startswith(only):
            continue
        truth = (folder / record["ground_truth"]).read_text(encoding="utf-8")
        language = record.get("language") or guess_language(truth)
        row = [record["id"][:12], record.get("domain", ""), language]
        for mode, key in (("html", "html"), ("text", "page_text")):
            if not record.get(key):
                row.append("   -     -     -  ")
                continue
            result = score(import_body(folder / record[key]), truth)
            results[mode].append(result)
            results.setdefault(f"{mode} {language}", []).append(result)
            row.append(f"{result.precision:.3f} {result.recall:.3f} {f1(result.precision, result.recall):.3f}")
        print(f"{row[0]}  {row[1]:<24} {row[2]:<3} html P/R/F1 {row[3]}   text P/R/F1 {row[4]}")
    return results


def summary(results: dict[str, list[Score]]) -> None:
    for mode, scores in sorted(results.items(), key=lambda item: (item[0].split()[0], " " in item[0], item[0])):
        if not scores:
            continue
        precision = sum(s.precision for s in scores) / len(scores)
        recall = sum(s.recall for s in scores) / len(scores)
        print(f"{mode:<8} pages={len(scores):<3}  precision={precision:.3f}  recall={recall:.3f}  "
              f"F1={f1(precision, recall):.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", help="score only the page whose id starts with this")
    args = parser.parse_args(argv)
    summary(run(args.folder, args.only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
