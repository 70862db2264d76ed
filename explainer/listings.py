"""The order of the site's lists: what each list page shows, before it is paged.

Pure functions of the site (a ``record.SiteView`` while a page renders, so what a list reads
is recorded: an article added moves every page of the articles list). ``kinds.py`` names
them in the kind table; ``archives.py`` pages them.
"""

from __future__ import annotations

import itertools
from operator import attrgetter

from .model import ACTOR_KINDS, Actor, Quote, Vote
from .resolved import Article, Mention, Site


def articles(site: Site) -> list[Article]:
    """Articles, newest first (the site keeps them in that order)."""
    return list(site.articles.values())


def votes(site: Site) -> list[Vote]:
    """Votes, newest first; on one day, by id."""
    return sorted(site.votes.values(), key=lambda vote: (vote.date, vote.id), reverse=True)


def quotes(site: Site) -> list[Quote]:
    """Quotes grouped by speaker (speakers by id), each speaker's in the site's order."""
    return [quote for _, said in sorted(site.quotes_by_speaker.items(), key=lambda item: item[0]) for quote in said]


def actors(site: Site) -> list[Actor]:
    """Annotated actors by kind, then name; the UN member states generated for votes are listed
    apart, on the first page (see actors.html)."""
    generated = site.generated_actors
    found = [actor for actor_id, actor in site.actors.items() if actor_id not in generated]
    return sorted(found, key=lambda a: (ACTOR_KINDS.index(a.kind), a.name, a.id))


def actor_quotes(site: Site, actor_id: str) -> list[Quote]:
    """An actor's quotes, in the site's order."""
    return list(site.quotes_by_speaker.get(actor_id, []))


def actor_mentions(site: Site, actor_id: str) -> list[tuple[Mention, int]]:
    """Where an actor is named: per article (in article order), its first paragraph and how many
    paragraphs name it (``site.mentions`` has one entry per paragraph, each article's together)."""
    entries = []
    for _, group in itertools.groupby(site.mentions.get(actor_id, []), key=attrgetter("article")):
        paragraphs = list(group)
        entries.append((paragraphs[0], len(paragraphs)))
    return entries


def actor_mentions_count(site: Site, actor_id: str) -> int:
    """How many articles name the actor (as ``len(actor_mentions(...))``, without building them)."""
    return len(set(map(attrgetter("article"), site.mentions.get(actor_id, []))))


def actor_quotes_count(site: Site, actor_id: str) -> int:
    return len(site.quotes_by_speaker.get(actor_id, []))


def actor_articles(site: Site, actor_id: str) -> list[str]:
    """The articles naming an actor, in article order (its feed's entries)."""
    return list(dict.fromkeys(mention.article for mention in site.mentions.get(actor_id, [])))


def actor_votes(site: Site, actor_id: str) -> list[tuple[Vote, str | None, str]]:
    """How an actor voted: (vote, amendment or None, choice), in the order of its voting record."""
    return [(site.votes[record.vote], record.amendment, record.choice)
            for record in site.voting_records.get(actor_id, [])]


def actor_votes_count(site: Site, actor_id: str) -> int:
    return len(site.voting_records.get(actor_id, []))
