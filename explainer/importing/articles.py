"""``build.py import``: turn raw scraped text or saved HTML into clean articles.

Input: files or folders (every ``.txt``, ``.html``, ``.htm``, ``.xhtml`` inside, optionally
``.gz``); a text file that starts like HTML is read as HTML. Output, for each new article:

- ``content/articles/<slug>.md``: ``---``, YAML front matter (``title``, ``slug``, ``date``,
  ``source``, ``source_url``?, ``author``?, ``credits``?, ``raw``, ``review``?), ``---``, a blank
  line, then the Markdown body (paragraphs separated by one blank line, ``## `` sub-headings,
  scraped text escaped so that Markdown shows it literally: md_escape);
- ``content/raw/<slug>.<ext>``: a byte-for-byte copy of the input (the site loader ignores it);
- ``content/raw/<slug>.suggested.yaml``: the drafted quotes and new actors (suggest.py).

Cleaning is done by text_story (plain text) or html_extract + text_story (HTML), with the generic
rules of text_rules and the editor's per-source profiles of text_profiles. A value the input does
not state is filled by guesses (source, title, date), each with where it came from; guessed fields
are listed in front matter ``review`` so ``check`` can list the article until an editor confirms it.
Only what cannot be an article is refused: empty, binary or not text, over the size limits, or
without a paragraph of prose.

The same article imported again (same canonical URL, or the same text: duplicates) is skipped and
reported, or overwritten in place with ``--force``. Before anything is written, every planned
article is validated by the build's own loader and models (issue #19.3); any error stops the run
and nothing is written, unless ``--keep-going`` (then the good inputs are written and the run
still ends with the errors). Writes go through fsguard.write_inside: never through a link out of
the project, all at once, and never over a file without ``--force`` (issue #17.3). The output
depends only on the input bytes, the profiles and the arguments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from ..errors import ContentError, Location, Report
from ..fsguard import UnsafePath, write_inside
from ..yamlio import dump_yaml
from . import guesses
from .batch import Outcome, expand_inputs, progress_line, summary_lines
from .duplicates import DuplicateIndex
from .html_extract import extract_html
from .md_escape import escape_line
from .page_meta import canonical_url, site_name
from .slugs import SLUG_MAX, slugify
from .story_check import front_matter_problems
from .suggest_files import suggest_for
from .text_decode import DecodeError, decode, read_raw, unpacked
from .text_profiles import MATCH_HEAD_LINES, Profile, choose_profile, parse_profiles
from .text_story import NoStory, clean_blocks, clean_text, split_lines
from .text_types import Story
from .time_limit import TookTooLong, time_limit

ARTICLES_DIR = Path("content") / "articles"
RAW_DIR = Path("content") / "raw"
SHORT_TEXT_MAX = 300  # the models' ShortText: longer titles and credits are cut at a word
SECONDS_PER_FILE = 30.0
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
    seconds_per_file: float = SECONDS_PER_FILE
    dry_run: bool = False


@dataclass(frozen=True)
class Planned:
    """One article ready to write: nothing touches the disk before every input is planned."""

    input: Path
    article_path: Path
    raw_path: Path
    text: str
    raw: bytes
    story: Story
    overwrite: bool = False
    duplicate_of: str = ""  # dry run only: shown, then skipped


@dataclass
class Batch:
    """What a run found so far: the articles to write and one outcome per input."""

    planned: list[Planned] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


def run_import(files: list[Path], *, root: Path, profiles: Mapping[str, Any], config_path: str,
               source: str | None, date: str | None, dry_run: bool, force: bool, out: TextIO,
               keep_going: bool = False, progress: TextIO | None = None,
               seconds_per_file: float = SECONDS_PER_FILE) -> list[Path]:
    """Import each file (or every article file in each folder); return the article paths written.

    Raises explainer.errors.ContentError (with a Report of located diagnostics) on user error;
    nothing is written then, unless ``keep_going`` (the good inputs are written first).
    """
    report = Report()
    settings = Settings(root, parse_profiles(profiles, config_path, report), source, date, force,
                        seconds_per_file, dry_run)
    _check_date_argument(date, report)
    inputs = expand_inputs(files, report)
    _raise_if_failed(report)
    batch = _plan_all(inputs, settings, report, progress)
    if report.errors and not keep_going:
        _raise_if_failed(report)
    written: list[Path | None] = []
    if dry_run:
        out.writelines(describe(item, root) for item in batch.planned)
    else:
        written = [write_article(item, out, root, report) for item in batch.planned]
        imported = [path.stem for path in written if path is not None]
        if imported:
            suggest_for(root, imported, out)
    if len(inputs) > 1:
        out.write("\n".join(summary_lines(batch.outcomes, root, dry_run)) + "\n")
    _raise_if_failed(report)
    return [path for path in written if path is not None]


def _plan_all(inputs: list[Path], settings: Settings, report: Report, progress: TextIO | None) -> Batch:
    batch = Batch()
    known = DuplicateIndex.of_project(settings.root)
    for number, path in enumerate(inputs, 1):
        if progress is not None and len(inputs) > 1:
            progress.write(progress_line(number, len(inputs), path))
            progress.flush()
        errors_before = len(report.errors)
        item = plan_article(path, settings, batch, known, report)
        if item is not None and item.duplicate_of:
            batch.planned.append(item)
        elif item is not None:
            batch.planned.append(item)
            batch.outcomes.append(Outcome(path, "imported", item.article_path, review=tuple(item.story.review)))
            known.add(item.article_path, item.story.source_url, render_body(item.story))
        elif len(report.errors) > errors_before:
            batch.outcomes.append(Outcome(path, "failed", note=report.errors[-1].message))
    if progress is not None and len(inputs) > 1:
        progress.write("\n")
    return batch


def plan_article(path: Path, settings: Settings, batch: Batch, known: DuplicateIndex,
                 report: Report) -> Planned | None:
    """Read, clean, check and place one input; problems go into ``report`` and return None."""
    where = Location(str(path))
    try:
        with time_limit(settings.seconds_per_file):
            raw = read_raw(path)
            story = _clean(path, unpacked(path, raw), settings)
    except OSError as exc:
        report.error("import-read", f"cannot read the file: {exc.strerror or exc}", where)
        return None
    except DecodeError as exc:
        report.error("import-decode", str(exc), where, "import a text file or a saved HTML page of one article")
        return None
    except NoStory as exc:
        report.error("import-no-story", f"no recognisable story: {exc}", where,
                     "check that the file holds the article's paragraphs")
        return None
    except TookTooLong as exc:
        report.error("import-too-slow", str(exc), where,
                     "check the file is one article page; simplify the profile patterns of config.yaml")
        return None
    duplicate = known.find(story.source_url, render_body(story), raw)
    taken = {item.article_path for item in batch.planned}
    if duplicate is not None and not settings.force:
        shown = duplicate[0].relative_to(settings.root) if duplicate[0].is_relative_to(settings.root) else duplicate[0]
        note = f"{duplicate[1]} as {shown}"
        batch.outcomes.append(Outcome(path, "duplicate", duplicate[0], note=note))
        if not settings.dry_run:
            return None
        item = _place(path, raw, story, settings, taken, None, report)
        return replace(item, duplicate_of=note) if item is not None else None
    return _place(path, raw, story, settings, taken, duplicate[0] if duplicate else None, report)


def _clean(path: Path, data: bytes, settings: Settings) -> Story:
    """Decode, pick the profile, clean; then fill what the input did not say."""
    text = decode(data)
    if not _is_html(path, data):
        lines = split_lines(text)
        signature = [line.text for line in lines[:MATCH_HEAD_LINES]]
        profile = choose_profile(settings.profiles, settings.source, signature)
        story = _with_source(clean_text(text, profile), profile, settings.source)
        guesses.fill_source(story, path, lines, None, "")
        guesses.fill_title(story, path, lines)
    else:
        story = _clean_html(path, text, settings)
    guesses.fill_date(story, path, settings.date)
    _fit_short_texts(story)
    return story


def _clean_html(path: Path, text: str, settings: Settings) -> Story:
    page = extract_html(text)
    if page is None or not page.blocks:
        raise NoStory("trafilatura found no article text in this HTML page")
    profile = choose_profile(settings.profiles, settings.source, [page.sitename, page.url, page.hostname])
    story = clean_blocks(page.blocks, page.title, profile)
    canonical = canonical_url(text)
    story.source_url = canonical.value if canonical else ""
    story.author = page.author or story.author
    story.date = page.date or story.date
    story = _with_source(story, profile, settings.source)
    lines = split_lines("\n".join(block.text for block in page.blocks))
    guesses.fill_source(story, path, lines, site_name(text), story.source_url or page.url)
    guesses.fill_title(story, path, lines)
    return story


def _is_html(path: Path, data: bytes) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(HTML_SUFFIXES) or bool(_HTML_START.match(data[:1024]))


def _with_source(story: Story, profile: Profile | None, source: str | None) -> Story:
    """--source wins, then the profile's display name, then what the input said."""
    if profile is not None:
        guesses.note(story, "source", profile.name, f"the import profile '{profile.key}'", guessed=False)
    elif source:
        guesses.note(story, "source", source, "--source", guessed=False)
    return story


def _fit_short_texts(story: Story) -> None:
    """Cut a title, author or credit over the models' limit at a word, and flag it for review."""
    for name in ("title", "author", "source"):
        value = getattr(story, name)
        if len(value) > SHORT_TEXT_MAX:
            guesses.note(story, name, _cut(value), f"{story.origins.get(name, 'the page')}, cut to "
                         f"{SHORT_TEXT_MAX} characters", guessed=True)
    story.credits = [_cut(credit) for credit in story.credits]


def _cut(text: str) -> str:
    if len(text) <= SHORT_TEXT_MAX:
        return text
    return text[: SHORT_TEXT_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


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


def raw_extension(path: Path) -> str:
    """``txt``, ``html``, ``html.gz``...: the input's own suffixes, lowercased."""
    suffixes = [s.lower().lstrip(".") for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] != "gz":
        suffixes = suffixes[-1:]
    ext = ".".join(s for s in suffixes if re.fullmatch(r"[a-z0-9]{1,8}", s))
    return ext or "txt"


def _place(path: Path, raw: bytes, story: Story, settings: Settings, taken: set[Path],
           replaces: Path | None, report: Report) -> Planned | None:
    """Choose a free slug (or the duplicate's own with --force), render and validate the article."""
    base = replaces.stem if replaces is not None else slugify(story.title)
    ext = raw_extension(path)
    for number in range(1, 1000):
        slug = base if number == 1 else f"{base[: SLUG_MAX - 4]}-{number}"
        article = settings.root / ARTICLES_DIR / f"{slug}.md"
        raw_copy = settings.root / RAW_DIR / f"{slug}.{ext}"
        if article in taken:
            continue
        overwrite = replaces is not None and article == replaces
        if overwrite or not any(path.exists() or path.is_symlink() for path in (article, raw_copy)):
            text = render_article(story, slug, raw_copy.relative_to(settings.root).as_posix())
            problems = front_matter_problems(text, article.relative_to(settings.root).as_posix())
            if problems:
                for problem in problems:
                    report.error("import-invalid", f"the article it would write is invalid: {problem}",
                                 Location(str(path)), "this is a gap in the importer; please report it")
                return None
            return Planned(path, article, raw_copy, text, raw, story, overwrite)
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
    if story.review:
        front["review"] = [name for name in ("source", "title", "date") if name in story.review]
    return f"---\n{dump_yaml(front)}---\n\n{render_body(story)}"


def render_body(story: Story) -> str:
    """Paragraphs separated by one blank line; sub-headings as ``## ``; scraped text escaped."""
    parts = [f"## {escape_line(block.text)}" if block.kind == "h" else escape_line(block.text)
             for block in story.blocks]
    return "\n\n".join(parts) + "\n"


def describe(item: Planned, root: Path) -> str:
    """The dry-run report for one input: where each value came from, the article, every removed line."""
    where = "block" if _is_html(item.input, b"") else "line"
    origins = [f"{name}: {getattr(item.story, name)!s} (from {origin}{', to review' * (name in item.story.review)})"
               for name, origin in sorted(item.story.origins.items())]
    skipped = [f"(a duplicate: {item.duplicate_of}; it would be skipped)"] if item.duplicate_of else []
    lines = [f"=== {item.article_path.relative_to(root)} (from {item.input}) ===", *skipped, *origins,
             item.text.rstrip("\n"), f"--- removed from {item.input}: {len(item.story.removed)} ---"]
    lines += [f"{where} {r.no:>4} [{r.rule}] {r.text}" for r in item.story.removed]
    return "\n".join(lines) + "\n\n"


def write_article(item: Planned, out: TextIO, root: Path, report: Report) -> Path | None:
    """Write the raw copy and the article through fsguard; say so on ``out``."""
    try:
        write_inside(root, item.raw_path, item.raw, overwrite=item.overwrite)
        write_inside(root, item.article_path, item.text.encode("utf-8"), overwrite=item.overwrite)
    except UnsafePath as exc:
        report.error("import-write", exc.message, Location(str(item.input)), exc.hint)
        return None
    except OSError as exc:
        report.error("import-write", f"cannot write {item.article_path}: {exc.strerror or exc}",
                     Location(str(item.input)))
        return None
    review = f" (to review: {', '.join(item.story.review)})" if item.story.review else ""
    out.write(f"imported {item.input} -> {item.article_path.relative_to(root)}{review}\n")
    return item.article_path
