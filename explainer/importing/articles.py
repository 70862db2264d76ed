"""``build.py import``: turn raw scraped text or saved HTML into clean articles.

Input: ``.txt`` (a raw story, or a whole page flattened to text) or ``.html``/``.htm`` (optionally
``.gz``); a text file that starts like HTML is read as HTML. Output, for each input:

- ``content/articles/<slug>.md``: ``---``, YAML front matter (``title``, ``slug``, ``date``,
  ``source``, ``source_url``?, ``author``?, ``credits``?, ``raw``), ``---``, a blank line, then the
  Markdown body (paragraphs separated by one blank line, ``## `` sub-headings);
- ``content/raw/<slug>.<ext>``: a byte-for-byte copy of the input (the site loader ignores it).

Cleaning is done by text_story (plain text) or html_extract + text_story (HTML), with the generic
rules of text_rules and the editor's per-source profiles of text_profiles (see that module for the
profile shape). Where values come from:

- ``source``: ``--source`` (a profile's name or display name selects that profile; any other value
  is written as is), else the matching profile's ``name``, else a "Source X" line or the HTML site
  name; none of these is an error asking for ``--source``;
- ``date``: a date written in the input's header or page metadata, else ``--date``, else an error;
- ``slug``: from the title (ASCII letters, digits, hyphens, at most 80 characters). When an article
  with that slug exists, re-importing the same input is an error unless ``--force`` (which
  overwrites); a different input gets the next free ``<slug>-2``, ``<slug>-3``...

All inputs are read and cleaned before anything is written; any error stops the run with a
ContentError carrying every diagnostic, and nothing is written. The output depends only on the
input bytes, the profiles and the arguments, so importing the same file twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import ContentError, Location, Report
from ..yamlio import dump_yaml
from .html_extract import extract_html
from .text_decode import DecodeError, decode, read_bytes
from .text_profiles import MATCH_HEAD_LINES, Profile, choose_profile, parse_profiles
from .text_story import NoStory, clean_blocks, clean_text, split_lines
from .text_types import Story

ARTICLES_DIR = Path("content") / "articles"
RAW_DIR = Path("content") / "raw"
SLUG_MAX = 80
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<\?xml[^>]*>\s*<html)", re.IGNORECASE)
_DATE_ARG = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Settings:
    """The run's arguments that every input shares."""

    root: Path
    profiles: list[Profile]
    source: str | None
    date: str | None
    force: bool


@dataclass(frozen=True)
class Planned:
    """One article ready to write: nothing touches the disk before every input is planned."""

    input: Path
    article_path: Path
    raw_path: Path
    text: str
    raw: bytes
    story: Story


def run_import(files: list[Path], *, root: Path, profiles: Mapping[str, Any], config_path: str,
               source: str | None, date: str | None, dry_run: bool, force: bool, out: TextIO) -> list[Path]:
    """Import each file; return the article paths written (none on dry run).

    Raises explainer.errors.ContentError (with a Report of located diagnostics) on user error;
    nothing is written then.
    """
    report = Report()
    settings = Settings(root, parse_profiles(profiles, config_path, report), source, date, force)
    _check_date_argument(date, report)
    _raise_if_failed(report)
    planned: list[Planned] = []
    for path in files:
        item = plan_article(path, settings, {p.article_path for p in planned}, report)
        if item is not None:
            planned.append(item)
    _raise_if_failed(report)
    if dry_run:
        for item in planned:
            out.write(describe(item, root))
        return []
    return [write_article(item, out, root) for item in planned]


def plan_article(path: Path, settings: Settings, taken: set[Path], report: Report) -> Planned | None:
    """Read, clean and place one input; problems go into ``report`` and return None."""
    where = Location(str(path))
    try:
        raw = path.read_bytes()
        story = _clean(path, read_bytes(path), settings)
        _check_story(story, settings)
    except OSError as exc:
        report.error("import-read", f"cannot read the file: {exc.strerror or exc}", where)
        return None
    except DecodeError as exc:
        report.error("import-decode", str(exc), where, "import a UTF-8 text file or a saved HTML page")
        return None
    except NoStory as exc:
        report.error("import-no-story", f"no recognisable story: {exc}", where,
                     "check that the file holds the article's paragraphs")
        return None
    except _Missing as exc:
        report.error(exc.code, str(exc), where, exc.hint)
        return None
    return _place(path, raw, story, settings, taken, report)


class _Missing(Exception):
    """A front matter value that neither the input nor the arguments give."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code, self.hint = code, hint


def _clean(path: Path, data: bytes, settings: Settings) -> Story:
    """Decode, pick the profile, clean; metadata found in the page fills the story's fields."""
    text = decode(data)
    if not _is_html(path, data):
        signature = [line.text for line in split_lines(text)[:MATCH_HEAD_LINES]]
        profile = choose_profile(settings.profiles, settings.source, signature)
        return _with_source(clean_text(text, profile), profile, settings.source)
    page = extract_html(text)
    if page is None or not page.blocks:
        raise NoStory("trafilatura found no article text in this HTML page")
    profile = choose_profile(settings.profiles, settings.source, [page.sitename, page.url, page.hostname])
    story = clean_blocks(page.blocks, page.title, profile)
    story.source = story.source or page.sitename
    story.author = page.author or story.author
    story.date = page.date or story.date
    story.source_url = page.url
    return _with_source(story, profile, settings.source)


def _is_html(path: Path, data: bytes) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(HTML_SUFFIXES) or bool(_HTML_START.match(data[:1024]))


def _with_source(story: Story, profile: Profile | None, source: str | None) -> Story:
    """--source wins, then the profile's display name, then what the input said."""
    if profile is not None:
        story.source = profile.name
    elif source:
        story.source = source
    return story


def _check_story(story: Story, settings: Settings) -> None:
    if not story.blocks:
        raise NoStory("every line was removed as page furniture")
    if not story.title:
        raise _Missing("import-no-title", "no title found in the input",
                       "put the article's title on the first line of the file")
    if not story.source:
        raise _Missing("import-no-source", "the input does not name its source",
                       "pass --source NAME (the outlet), or add a profile for it in config.yaml")
    story.date = story.date or settings.date or ""
    if not story.date:
        raise _Missing("import-no-date", "the input gives no publication date",
                       "pass --date YYYY-MM-DD")


def _check_date_argument(date: str | None, report: Report) -> None:
    if date is None:
        return
    try:
        if _DATE_ARG.match(date):
            dt.date.fromisoformat(date)
            return
    except ValueError:
        pass
    report.error("import-date", f"--date {date!r} is not a date written YYYY-MM-DD", Location("--date"),
                 "for example --date 2025-02-25")


def _raise_if_failed(report: Report) -> None:
    if report.errors:
        lines = [diagnostic.format() for diagnostic in report.sorted()]
        raise ContentError("\n".join(lines), report)


def slugify(title: str) -> str:
    """Lowercase ASCII letters, digits and single hyphens, cut at a word boundary."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower().replace("'", "").replace("’", "")).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[: SLUG_MAX + 1].rsplit("-", 1)[0] if "-" in slug[:SLUG_MAX + 1] else slug[:SLUG_MAX]
    return slug.strip("-") or "article"


def raw_extension(path: Path) -> str:
    """``txt``, ``html``, ``html.gz``...: the input's own suffixes, lowercased."""
    suffixes = [s.lower().lstrip(".") for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] != "gz":
        suffixes = suffixes[-1:]
    ext = ".".join(s for s in suffixes if re.fullmatch(r"[a-z0-9]{1,8}", s))
    return ext or "txt"


def _place(path: Path, raw: bytes, story: Story, settings: Settings, taken: set[Path],
           report: Report) -> Planned | None:
    """Choose a free slug (or the same one with --force) and render the article."""
    base = slugify(story.title)
    ext = raw_extension(path)
    for number in range(1, 1000):
        slug = base if number == 1 else f"{base[: SLUG_MAX - 4]}-{number}"
        article = settings.root / ARTICLES_DIR / f"{slug}.md"
        raw_copy = settings.root / RAW_DIR / f"{slug}.{ext}"
        if article in taken:
            continue
        if settings.force or not (article.exists() or raw_copy.exists()):
            text = render_article(story, slug, raw_copy.relative_to(settings.root).as_posix())
            return Planned(path, article, raw_copy, text, raw, story)
        if raw_copy.exists() and raw_copy.read_bytes() == raw:
            report.error("import-exists", f"this file was already imported as {article.relative_to(settings.root)}",
                         Location(str(path)), "pass --force to import it again and overwrite that article")
            return None
    report.error("import-exists", f"too many articles named {base}", Location(str(path)), "rename the title")
    return None


def render_article(story: Story, slug: str, raw: str) -> str:
    """Front matter in the documented key order, then the Markdown body."""
    front: dict[str, Any] = {"title": story.title, "slug": slug, "date": story.date, "source": story.source}
    if story.source_url:
        front["source_url"] = story.source_url
    if story.author:
        front["author"] = story.author
    if story.credits:
        front["credits"] = list(story.credits)
    front["raw"] = raw
    return f"---\n{dump_yaml(front)}---\n\n{render_body(story)}"


def render_body(story: Story) -> str:
    """Paragraphs separated by one blank line; sub-headings as ``## ``."""
    parts = [f"## {block.text}" if block.kind == "h" else block.text for block in story.blocks]
    return "\n\n".join(parts) + "\n"


def describe(item: Planned, root: Path) -> str:
    """The dry-run report for one input: the article, then every removed line and its rule."""
    where = "block" if _is_html(item.input, b"") else "line"
    lines = [f"=== {item.article_path.relative_to(root)} (from {item.input}) ===", item.text.rstrip("\n"),
             f"--- removed from {item.input}: {len(item.story.removed)} ---"]
    lines += [f"{where} {r.no:>4} [{r.rule}] {r.text}" for r in item.story.removed]
    return "\n".join(lines) + "\n\n"


def write_article(item: Planned, out: TextIO, root: Path) -> Path:
    """Write the article and the raw copy; say so on ``out``."""
    item.article_path.parent.mkdir(parents=True, exist_ok=True)
    item.raw_path.parent.mkdir(parents=True, exist_ok=True)
    item.raw_path.write_bytes(item.raw)
    item.article_path.write_text(item.text, encoding="utf-8", newline="\n")
    out.write(f"imported {item.input} -> {item.article_path.relative_to(root)}\n")
    return item.article_path
