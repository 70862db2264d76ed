"""What each page shows, as a hashable value: a page whose value is unchanged need not be
re-rendered. Pages of other kinds (home, indexes, feeds) are always re-rendered.

The values are deliberately generous (whole objects, not just the fields a template reads);
the incremental tests compare every output with a clean build after each kind of edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .model import Site

SOURCE_KINDS = ("article", "actor", "vote")


def _actors(site: Site, ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(repr(site.actors.get(actor_id)) for actor_id in ids)


def _article(site: Site, slug: str) -> object:
    article = site.articles[slug]
    quotes = site.quotes_by_article.get(slug, [])
    people = set(site.article_actors.get(slug, []))
    people.update(q.speaker for q in quotes)
    people.update(q.said_to for q in quotes if q.said_to)
    if article.meta.outlet:
        people.add(article.meta.outlet)
    votes = tuple(repr(v) for v in site.votes.values() if any(c.article == slug for c in v.claims))
    return (repr(article.meta), site.bodies[slug], tuple(site.article_actors.get(slug, [])),
            _actors(site, sorted(people)), tuple(repr(q) for q in quotes),
            tuple(site.quote_anchors.get(q.id) for q in quotes), votes)


def _actor(site: Site, actor_id: str) -> object:
    actor = site.actors[actor_id]
    quotes = site.quotes_by_speaker.get(actor_id, [])
    mentions = site.mentions.get(actor_id, [])
    records = site.voting_records.get(actor_id, [])
    related = site.related.get(actor_id, [])
    others = {link.actor for link in actor.links} | {other for other, _ in related}
    others.update(q.said_to for q in quotes if q.said_to)
    articles = {q.article for q in quotes} | {m.article for m in mentions}
    return (repr(actor), actor_id in site.generated_actors, _actors(site, sorted(others)),
            tuple(repr(q) for q in quotes), tuple(site.quote_anchors.get(q.id) for q in quotes),
            tuple(mentions), tuple(records), tuple(related),
            tuple(repr(site.articles[a].meta) for a in sorted(articles) if a in site.articles),
            tuple(repr(site.votes[r.vote]) for r in records))


def _vote(site: Site, vote_id: str) -> object:
    vote = site.votes[vote_id]
    ballots = tuple(value for (v, _), cast in site.ballots.items() if v == vote_id for value in cast)
    people = {b.actor for b in ballots}
    for key in (vote.drafter, *vote.sponsors, *(p for a in vote.amendments for p in (*a.proposers, *a.vetoed_by))):
        if key:
            people.add(site.actor_by_code.get(key, key))
    articles = tuple(repr(site.articles[c.article].meta) for c in vote.claims if c.article in site.articles)
    return (repr(vote), ballots, _actors(site, sorted(people)), articles)


PAGE_INPUTS: dict[str, Callable[[Site, str], object]] = {"article": _article, "actor": _actor, "vote": _vote}


def page_inputs(site: Site, kind: str, key: str) -> object | None:
    """A value that changes whenever the page could; None: always re-render this page."""
    inputs = PAGE_INPUTS.get(kind)
    return inputs(site, key) if inputs is not None else None
