"""The timeline: every dated thing in the site (articles, votes, quotes with a date), in order.

Plain data for the timeline page and its JSON-LD; no I/O, no templates. Quotes without
``said_on`` are left out: the timeline never guesses a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from .i18n import ENGLISH, N_, RESULT_LABELS, Language
from .resolved import Site
from .unsymbols import vote_heading
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


def events(site: Site, urls: Urls, lang: Language = ENGLISH) -> list[Event]:
    """Every dated event, newest first like every list of the site; within a day, kind order,
    then title, so the order is stable."""
    found = [*_article_events(site, urls, lang), *_vote_events(site, urls, lang), *_quote_events(site, urls)]
    return sorted(found, key=lambda e: (-e.date.toordinal(), KIND_ORDER[e.kind], e.title, e.href))


def count(site: Site) -> int:
    """How many events ``events`` gives, without making them (``page_specs`` pages the timeline)."""
    return len(site.articles) + len(site.votes) + sum(1 for quote in site.quotes.values()
                                                      if quote.said_on is not None and quote.withdrawn is None)


def by_day(items: list[Event]) -> list[tuple[dt.date, list[Event]]]:
    """Events grouped under their date, in the order given."""
    return [(day, list(group)) for day, group in groupby(items, key=lambda e: e.date)]


def _article_events(site: Site, urls: Urls, lang: Language) -> list[Event]:
    return [Event(a.meta.date, "article", a.meta.title, urls.page("article", slug),
                  detail=lang.gettext("Published by %(source)s") % {"source": a.meta.source} if a.meta.source
                  else lang.gettext("Published"))
            for slug, a in site.articles.items()]


def _vote_events(site: Site, urls: Urls, lang: Language) -> list[Event]:
    result = []
    for vote_id, vote in site.votes.items():
        tally = vote.tally
        counts = [lang.gettext(text) % {"n": lang.number(n)} for n, text in (
            (tally.yes, N_("%(n)s in favour")), (tally.no, N_("%(n)s against")),
            (tally.abstain, N_("%(n)s abstaining")))
            if n is not None]
        # A vote whose result neither the file nor the rules settle has none to show.
        outcome = lang.gettext(RESULT_LABELS[vote.result]) if vote.result else ""
        detail = (lang.gettext("%(result)s: %(counts)s") % {"result": outcome, "counts": ", ".join(counts)}
                  if outcome and counts else outcome or ", ".join(counts))
        result.append(Event(vote.date, "vote", vote_heading(vote.resolution, vote.title), urls.page("vote", vote_id),
                            detail=detail))
    return result


def _quote_events(site: Site, urls: Urls) -> list[Event]:
    result = []
    for quote_id, quote in site.quotes.items():
        if quote.said_on is None or quote.withdrawn is not None:
            continue  # undated, or taken back: not something said on a day
        speaker = site.actors[quote.speaker]
        result.append(Event(quote.said_on, "quote", site.articles[quote.article].meta.title,
                            urls.page("article", quote.article, site.quote_anchors.get(quote_id)),
                            actor=speaker.name, actor_href=urls.page("actor", speaker.id),
                            detail=quote.text.rstrip(",;: ")))
    return result
