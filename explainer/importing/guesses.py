"""Fill the front matter values a page did not state, so that a real page is never refused.

Issue #25.1: an importer that asks for ``--source`` on every page the outlet did not sign is one
a new user cannot use. Each fallback below records where its value came from (shown by
``--dry-run``) and, when it is a guess rather than a statement of the page, adds the field to the
story's ``review`` list, written to front matter so that ``check`` lists the article until an
editor confirms it. Order, most trusted first:

- source: ``--source`` / profile, a "Source X" line, the page's declared site name (og:site_name,
  JSON-LD publisher), the canonical URL's host, a copyright line ("© 2019 Reuters."), a web
  address written in the text, the file name;
- title: the page's headline, else the first heading-like line, else the file name;
- date: a date in the page, else ``--date``, else the file's modification date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from .page_meta import Found, host_name
from .text_rules import ends_like_sentence, find_date, starts_like_heading, word_count
from .text_types import Line, Story

_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    r"(?P<name>[A-Z][\w&.' -]{1,60}?)(?:\s*[.,|]|\s+all rights|\s+-|$)",
    re.IGNORECASE,
)
_WEB_HOST = re.compile(r"\b(?:https?://)?(?:www\.)?(?P<host>[a-z0-9-]{2,40}\.(?:com|org|net|info|news|co\.uk|"
                       r"org\.uk|com\.au|de|fr|ru|in|io))\b", re.IGNORECASE)
_FILE_WORDS = re.compile(r"[^\w]+|_+")
TITLE_SCAN_LINES = 40


def note(story: Story, field: str, value: str, origin: str, guessed: bool) -> None:
    """Set ``field`` on the story, remembering where it came from and whether to review it."""
    setattr(story, field, value)
    story.origins[field] = origin
    if guessed and field not in story.review:
        story.review.append(field)


def fill_source(story: Story, path: Path, lines: Sequence[Line], site: Found | None, url: str) -> None:
    """The outlet's name from the best witness available (see the module docstring)."""
    if story.source:
        story.origins.setdefault("source", "the input's \"Source\" line")
        return
    if site is not None:
        note(story, "source", site.value, site.origin, guessed=False)
    elif url and host_name(url):
        note(story, "source", host_name(url), "the host of the page's canonical URL", guessed=True)
    elif (copyright_name := _copyright_name(lines)) is not None:
        note(story, "source", copyright_name, "the copyright line of the page", guessed=True)
    elif (host := _written_host(lines)) is not None:
        note(story, "source", host, "a web address written in the page", guessed=True)
    else:
        note(story, "source", _file_words(path), f"the file name {path.name}", guessed=True)


def fill_title(story: Story, path: Path, lines: Sequence[Line]) -> None:
    """A missing title from the first heading-like line, else the file name; always reviewed."""
    if story.title:
        story.origins.setdefault("title", "the page's headline")
        return
    for line in lines[:TITLE_SCAN_LINES]:
        if _heading_like(line.text):
            note(story, "title", line.text, f"the first heading-like line (line {line.no})", guessed=True)
            return
    note(story, "title", _file_words(path).capitalize(), f"the file name {path.name}", guessed=True)


def fill_date(story: Story, path: Path, date_argument: str | None) -> None:
    """The page's date, else --date, else the file's modification date (reviewed)."""
    if story.date:
        story.origins.setdefault("date", "a date written in the page")
    elif date_argument:
        note(story, "date", date_argument, "--date", guessed=False)
    else:
        stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date().isoformat()
        note(story, "date", stamp, f"the modification date of {path.name}", guessed=True)


def _heading_like(text: str) -> bool:
    return 3 <= word_count(text) <= 25 and len(text) <= 200 and not ends_like_sentence(text) \
        and not find_date(text) and starts_like_heading(text)


def _copyright_name(lines: Sequence[Line]) -> str | None:
    for line in reversed(lines):
        if len(line.text) > 200:
            continue
        found = _COPYRIGHT.search(line.text)
        if found is not None:
            name = found.group("name").strip(" .,-")
            if len(name) >= 2 and word_count(name) <= 6:
                return name
    return None


def _written_host(lines: Sequence[Line]) -> str | None:
    counts: dict[str, int] = {}
    for line in lines:
        for found in _WEB_HOST.finditer(line.text):
            host = found.group("host").lower()
            counts[host] = counts.get(host, 0) + 1
    return max(sorted(counts), key=lambda host: counts[host]) if counts else None


def _file_words(path: Path) -> str:
    stem = path.name.split(".")[0] if not path.name.startswith(".") else path.name
    words = " ".join(word for word in _FILE_WORDS.split(stem) if word)
    return words or "unknown source"
