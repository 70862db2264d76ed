"""The timeline: every dated thing in the site (articles, votes, quotes with a date), in order.

Plain data for the timeline page and its JSON-LD; no I/O, no templates. Quotes without
``said_on`` are left out: the timeline never guesses a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from .model import Site
from .urls import Urls

# Within one day: what was published, then what was voted, then what was said.
KIND_ORDER = {"article": 0, "vote": 1, "quote": 2}


@dataclass(frozen=True)
class Event:
    """One dated entry; ``href`` is the article paragraph, vote or article it happened in."""

    date: dt.date
    kind: str  # article | vote | quote
    title: str
    href: str
    actor: str = ""  # the speaker's name, for quotes
    actor_href: str = ""
    detail: str = ""  # the quoted text, or the vote's result


def events(site: Site, urls: Urls) -> list[Event]:
    """Every dated event, oldest first; ties keep kind order, then title, so the order is stable."""
    found = [*_article_events(site, urls), *_vote_events(site, urls), *_quote_events(site, urls)]
    return sorted(found, key=lambda e: (e.date, KIND_ORDER[e.kind], e.title, e.href))


def by_day(items: list[Event]) -> list[tuple[dt.date, list[Event]]]:
    """Events grouped under their date, in the order given."""
    return [(day, list(group)) for day, group in groupby(items, key=lambda e: e.date)]


def _article_events(site: Site, urls: Urls) -> list[Event]:
    return [Event(a.meta.date, "article", a.meta.title, urls.page("article", slug),
                  detail=f"Published{' by ' + a.meta.source if a.meta.source else ''}")
            for slug, a in site.articles.items()]


def _vote_events(site: Site, urls: Urls) -> list[Event]:
    result = []
    for vote_id, vote in site.votes.items():
        counts = [f"{n} {label}" for n, label in ((vote.tally.yes, "in favour"), (vote.tally.no, "against"),
                                                  (vote.tally.abstain, "abstaining")) if n is not None]
        # A vote whose result neither the file nor the rules settle has none to show.
        detail = ": ".join(part for part in (vote.result and vote.result.capitalize(), ", ".join(counts)) if part)
        result.append(Event(vote.date, "vote", f"{vote.resolution}: {vote.title}", urls.page("vote", vote_id),
                            detail=detail))
    return result


def _quote_events(site: Site, urls: Urls) -> list[Event]:
    result = []
    for quote_id, quote in site.quotes.items():
        if quote.said_on is None:
            continue
        speaker = site.actors[quote.speaker]
        result.append(Event(quote.said_on, "quote", site.articles[quote.article].meta.title,
                            urls.page("article", quote.article, site.quote_anchors.get(quote_id)),
                            actor=speaker.name, actor_href=urls.page("actor", speaker.id),
                            detail=quote.text.rstrip(",;: ")))
    return result
