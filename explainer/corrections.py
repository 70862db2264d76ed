"""Corrections and updates: what changed after publication, said where it changed and
gathered on one page, newest first. Pure functions of the site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .i18n import N_
from .model import Correction
from .resolved import Site
from .urls import Urls

# Marked for the message catalog; the template filter translates them (render.py).
LABELS = {"correction": N_("Corrected"), "clarification": N_("Clarified"), "update": N_("Updated")}


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
        anchor = site.quote_anchors.get(quote.id)
        for note in quote.corrections:
            found.append(Entry(note.date, note.kind, note.text, quote.text,
                               urls.page("article", quote.article, anchor), "quote"))
    return sorted(found, key=lambda entry: (entry.date, entry.href, entry.text), reverse=True)
