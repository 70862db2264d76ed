"""Corrections and updates: what changed after publication, said where it changed and
gathered on one page, newest first. Pure functions of the site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .i18n import N_
from .model import Correction, Quote
from .resolved import Site
from .urls import Urls

# Marked for the message catalog; the template filter translates them (render.py).
LABELS = {"correction": N_("Corrected"), "clarification": N_("Clarified"), "update": N_("Updated"),
          "withdrawal": N_("Withdrawn")}


@dataclass(frozen=True)
class Entry:
    """One note on the corrections page."""

    date: dt.date
    kind: str
    text: str
    title: str  # the article's title, or the quote's words
    href: str  # the exact place: the article's corrections box, or the quote in its article
    what: str  # "article" or "quote"


def label(correction: Correction) -> str:
    """'Corrected', 'Clarified' or 'Updated'."""
    return LABELS[correction.kind]


def entries(site: Site, urls: Urls) -> list[Entry]:
    """Every correction of an article or quote on the site, newest first."""
    found = []
    for slug, article in site.articles.items():
        for note in article.meta.corrections:
            found.append(Entry(note.date, note.kind, note.text, article.meta.title,
                               urls.page("article", slug, "corrections"), "article"))
    for quote in site.quotes.values():
        for note in quote.corrections:
            found.append(Entry(note.date, note.kind, note.text, quote.text, quote_place(site, urls, quote), "quote"))
    return sorted(found, key=lambda entry: (entry.date, entry.href, entry.text), reverse=True)


def quote_place(site: Site, urls: Urls, quote: Quote) -> str:
    """Where a quote is: its mark in the article, or, withdrawn (no longer in the article), its
    place on the speaker's page, which says when and why."""
    if quote.withdrawn is not None:
        return urls.page("actor", quote.speaker, f"quote-{quote.id}")
    return urls.page("article", quote.article, site.quote_anchors.get(quote.id))


def article_notes(site: Site, urls: Urls, slug: str) -> list[tuple[Correction, Quote | None, str]]:
    """The notes an article's corrections box lists, oldest first: its own, and its quotes'
    (with the quote and where it is), so that a changed or withdrawn quote is said on the page."""
    notes: list[tuple[Correction, Quote | None, str]] = [(note, None, "")
                                                         for note in site.articles[slug].meta.corrections]
    for quote in site.quotes_by_article.get(slug, []):
        notes += [(note, quote, quote_place(site, urls, quote)) for note in quote.corrections]
    return sorted(notes, key=lambda entry: (entry[0].date, entry[2]))
