"""Many inputs in one run (issue #25.3): folders expanded, a progress line, a summary table.

A folder stands for every article file inside it (recursively, in name order): ``.txt``,
``.html``, ``.htm``, ``.xhtml``, each optionally ``.gz``; hidden files and editor litter are left
out. A path given twice, directly or through a folder, is read once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, Report

INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class Outcome:
    """What happened to one input: imported, duplicate or failed."""

    input: Path
    status: str
    article: Path | None = None
    note: str = ""
    review: tuple[str, ...] = ()


def is_input_name(name: str) -> bool:
    lower = name.lower().removesuffix(".gz")
    return not name.startswith((".", "~", "#")) and lower.endswith(INPUT_SUFFIXES)


def expand_inputs(paths: list[Path], report: Report) -> list[Path]:
    """Files as given, folders as the article files inside them; a missing path is an error."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if is_input_name(p.name) and p.is_file()
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not inside:
                report.error("import-read", f"the folder {path} holds no .txt or .html files", Location(str(path)),
                             "point import at saved pages (.txt, .html, .html.gz)")
            candidates = inside
        elif path.exists() or path.is_symlink():
            candidates = [path]
        else:
            report.error("import-read", f"there is no file {path}", Location(str(path)), "check the path")
            candidates = []
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def progress_line(number: int, total: int, path: Path) -> str:
    """``\\r[ 12/300] ######----- name``: one line redrawn in place on a terminal."""
    width = 20
    filled = width * number // total
    return f"\r[{number:>{len(str(total))}}/{total}] {'#' * filled}{'-' * (width - filled)} {path.name[:40]:<40}"


def summary_lines(outcomes: list[Outcome], root: Path, dry_run: bool) -> list[str]:
    """The per-file report, then the table: imported, flagged for review, duplicates, failed."""
    lines = ["", "per file:"]
    for outcome in outcomes:
        article = _shown(outcome.article, root) if outcome.article else ""
        if outcome.status == "imported":
            review = f"  (to review: {', '.join(outcome.review)})" if outcome.review else ""
            verb = "would import" if dry_run else "imported"
            lines.append(f"  {verb:<13}{outcome.input} -> {article}{review}")
        elif outcome.status == "duplicate":
            lines.append(f"  {'skipped':<13}{outcome.input}: duplicate ({outcome.note})")
        else:
            lines.append(f"  {'failed':<13}{outcome.input}: {outcome.note}")
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in ("imported", "duplicate", "failed")}
    flagged = sum(1 for o in outcomes if o.status == "imported" and o.review)
    lines += ["", "summary:",
              f"  {'imported' if not dry_run else 'to import':<24}{counts['imported']:>6}",
              f"  {'  of which to review':<24}{flagged:>6}",
              f"  {'skipped as duplicates':<24}{counts['duplicate']:>6}",
              f"  {'failed':<24}{counts['failed']:>6}",
              f"  {'inputs':<24}{len(outcomes):>6}"]
    return lines


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
