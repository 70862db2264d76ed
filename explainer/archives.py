"""Lists that grow with the site, cut into pages: which pages there are and what each shows.

URL scheme (README, "Lists, pages and feeds"): the first page of a list keeps the list's own
address (``quotes/``), later ones are ``quotes/page/2/``, ``quotes/page/3/``...; an actor's
archives are ``actors/<id>/quotes/`` and ``actors/<id>/mentions/``, paged the same way. Lists
run newest first (the quotes page and the actors index by speaker and by kind), so an entry moves
to later pages as the site grows: the page numbers are stable addresses of positions in the
list, and each entry's own page or anchor is its permanent address.

The kinds' lists and archives are declared in the kind table (``kinds.Kind.listing`` and
``archives``); the timeline is the one list that is not a kind's. Page counts are read from
the site here, without recording (``page_specs`` decides which pages exist); what a page shows
is read through its recorded view when it renders (``entries``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from . import i18n, timeline
from .kinds import KINDS, Archive, Kind
from .resolved import Site

N_ = i18n.N_
TIMELINE = "timeline/"
TIMELINE_TEMPLATE = "timeline.html"
WINDOW = 2  # page numbers shown on each side of the current one in the pagination nav


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` entries take at ``size`` a page: at least one (an empty list
    still has its page, which says so)."""
    return max(1, -(-total // size))


def page_path(base: str, number: int) -> str:
    """The site-relative path of page ``number`` of the list at ``base`` ('quotes/')."""
    return base if number == 1 else f"{base}page/{number}/"


@dataclass(frozen=True)
class Paging:
    """Where a page sits in its list; templates make the pagination nav from it."""

    base: str  # the list's first page, site-relative: 'quotes/', 'actors/x/quotes/'
    number: int
    count: int  # pages in the list
    total: int  # entries in the list
    size: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def end(self) -> int:
        return min(self.total, self.start + self.size)

    def path(self, number: int) -> str:
        return page_path(self.base, number)

    @property
    def previous(self) -> str:
        return self.path(self.number - 1) if self.number > 1 else ""

    @property
    def next(self) -> str:
        return self.path(self.number + 1) if self.number < self.count else ""

    def numbers(self) -> list[int | None]:
        """The page numbers the nav links: the first, the last and a window round this one;
        None where numbers are left out (an ellipsis)."""
        shown = sorted({1, self.count, *range(max(1, self.number - WINDOW), min(self.count, self.number + WINDOW) + 1)})
        found: list[int | None] = []
        for number in shown:
            if found and found[-1] is not None and number - found[-1] > 1:
                found.append(None)
            found.append(number)
        return found


@dataclass(frozen=True)
class ListPage:
    """One page of a list, as ``page_specs`` needs it."""

    template: str
    path: str
    title: str  # marked for translation; %(name)s: the title of an archive's object
    description: str
    kind: str  # 'index' (a kind's list), 'timeline' or 'archive'
    key: str  # an archive's object id
    number: int
    subject: str = ""  # the object's title, for an archive's %(name)s


def list_pages(site: Site) -> list[ListPage]:
    """Every page of the kinds' lists and of the timeline, in a stable order."""
    size = site.config.pagination.page_size
    pages: list[ListPage] = []
    for entry in KINDS:
        if entry.listing is None:
            continue
        count = page_count(len(entry.listing(site)), size)
        pages += [ListPage(entry.list_template, page_path(f"{entry.folder}/", n), entry.list_title,
                           entry.list_description, "index", "", n) for n in range(1, count + 1)]
    count = page_count(timeline.count(site), size)
    pages += [ListPage(TIMELINE_TEMPLATE, page_path(TIMELINE, n), N_("Timeline"),
                       N_("What was published, voted and said, day by day, newest first."), "timeline", "", n)
              for n in range(1, count + 1)]
    return pages


def archive_pages(site: Site, entry: Kind, key: str, title: str) -> list[ListPage]:
    """The archive pages of one object (an actor's quotes and mentions), for those of its lists
    longer than what its own page shows."""
    shown = site.config.pagination.actor_items
    size = site.config.pagination.page_size
    pages: list[ListPage] = []
    for archive in entry.archives:
        total = archive.count(site, key)
        if total <= shown:
            continue
        base = archive_path(entry, key, archive)
        pages += [ListPage(archive_template(entry, archive), page_path(base, n), archive.title, "", "archive", key, n,
                           title) for n in range(1, page_count(total, size) + 1)]
    return pages


PagingSignature = dict[tuple[str, ...], int]  # ("timeline",) or (kind, archive, key) -> its pages (0: none)


def paging_signature(site: Site) -> PagingSignature:
    """What decides which list and archive pages there are, beyond the objects themselves: the
    preview's fast path for edits of text and quotes (which add no object) compares it before
    and after an edit, and builds in full when a page came or went."""
    every = {entry.name: list(site.registry(entry.folder)) for entry in KINDS if entry.archives}
    return paging_recounted(site, {}, every, timeline_too=True)


def paging_recounted(site: Site, before: PagingSignature, touched: Mapping[str, Collection[str]],
                     timeline_too: bool) -> PagingSignature:
    """``before`` with the archives of ``touched`` (kind name -> keys) counted again, and the
    timeline if ``timeline_too``: after a quick edit only what it reached (at 5,000 articles the
    whole count was a third of a quick rebuild)."""
    shown = site.config.pagination.actor_items
    size = site.config.pagination.page_size
    counts = dict(before)
    if timeline_too:
        counts[("timeline",)] = timeline.count(site)
    for entry in KINDS:
        for archive in entry.archives:
            for key in touched.get(entry.name, ()):
                total = archive.count(site, key)
                counts[(entry.name, archive.name, key)] = page_count(total, size) if total > shown else 0
    return counts


def archive_path(entry: Kind, key: str, archive: Archive) -> str:
    return f"{entry.folder}/{key}/{archive.name}/"


def archive_template(entry: Kind, archive: Archive) -> str:
    return f"{entry.name}_{archive.name}.html"


def page_entries(site: Site, template: str, key: str, number: int, memo: Any) -> tuple[list[Any], Paging]:
    """What page ``number`` of the list made from ``template`` shows, and where it sits; ``site``
    is the page's recorded view, ``memo`` the build's ``record.Memo`` (a list is ordered once
    for all its pages)."""
    size = site.config.pagination.page_size
    for entry in KINDS:
        if template == entry.list_template and entry.listing is not None:
            ordered = memo.get(site, ("listing", entry.name), entry.listing)
            return _page(ordered, f"{entry.folder}/", number, size)
        for archive in entry.archives:
            if template == archive_template(entry, archive):
                ordered = memo.get(site, ("archive", entry.name, archive.name, key),
                                   lambda view, archive=archive: archive.entries(view, key))
                return _page(ordered, archive_path(entry, key, archive), number, size)
    raise KeyError(template)


def _page(ordered: list[Any], base: str, number: int, size: int) -> tuple[list[Any], Paging]:
    paging = Paging(base, number, page_count(len(ordered), size), len(ordered), size)
    return ordered[paging.start:paging.end], paging


@dataclass(frozen=True)
class Shown:
    """What an object's own page shows of one of its archives."""

    entries: list[Any]  # the first pagination.actor_items entries
    total: int  # how many there are in all
    archive: str  # the archive's first page, site-relative; '' when the page shows them all
    rest: list[Any]  # the entries left to the archive (their anchors land on its link: actor.html)


def first_entries(site: Site, entry: Kind, key: str) -> dict[str, Shown]:
    """What an object's own page shows of each of its archives, by archive name."""
    shown = site.config.pagination.actor_items
    found = {}
    for archive in entry.archives:
        entries = archive.entries(site, key)
        found[archive.name] = Shown(entries[:shown], len(entries),
                                    archive_path(entry, key, archive) if len(entries) > shown else "", entries[shown:])
    return found


def timeline_months(events: list[timeline.Event], size: int) -> list[tuple[dt.date, int]]:
    """Each month of the (newest first) timeline, as its first day, with the page its newest event is on."""
    months: dict[dt.date, int] = {}
    for index, event in enumerate(events):
        months.setdefault(event.date.replace(day=1), index // size + 1)
    return list(months.items())
