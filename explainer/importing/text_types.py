"""Plain data passed between the import steps: lines in, a cleaned story out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """One non-empty line of the input, whitespace already normalised; ``no`` is 1-based."""

    no: int
    text: str


@dataclass(frozen=True)
class Block:
    """A piece of the cleaned body: a paragraph or a ``##`` sub-heading."""

    kind: str  # "p" or "h"
    text: str
    no: int = 0


@dataclass(frozen=True)
class Removal:
    """A line that left the body, with the rule that took it (shown by --dry-run)."""

    no: int
    text: str
    rule: str


@dataclass
class Story:
    """What cleaning found in one input file."""

    title: str = ""
    source: str = ""
    source_url: str = ""
    author: str = ""
    date: str = ""
    credits: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    # Where each front matter value came from ("source" -> "the page's og:site_name"), for --dry-run.
    origins: dict[str, str] = field(default_factory=dict)
    # Values that were guessed and that an editor should confirm: written as front matter `review`.
    review: list[str] = field(default_factory=list)
