"""What each page shows, as a hashable value: a page whose value is unchanged need not be
re-rendered. Article, actor and vote pages list exactly the objects they show; the indexes,
the home page and the generated files depend on a digest of the whole site (``site_digest``),
and the feed also on every article's body.

The values are deliberately generous (whole objects, not just the fields a template reads);
the incremental tests compare every output with a clean build after each kind of edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .feeds import newest_articles
from .model import Site

SOURCE_KINDS = ("article", "actor", "vote")


class Fingerprints:
    """repr() of model objects, memoised by identity.

    pydantic's repr is slow (a 193-member vote takes milliseconds), and unchanged files keep
    their model objects between builds, so each object is printed once. The object itself is
    kept with its text, so an id is never reused by another object while its entry exists.
    """

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, str]] = {}

    def __call__(self, obj: Any) -> str:
        entry = self._known.get(id(obj))
        if entry is None or entry[0] is not obj:
            entry = (obj, repr(obj))
            self._known[id(obj)] = entry
        return entry[1]

    def keep_only(self, alive: Iterable[Any]) -> None:
        ids = {id(obj) for obj in alive}
        self._known = {key: entry for key, entry in self._known.items() if key in ids}


def _actors(site: Site, ids: Iterable[str], fp: Fingerprints) -> tuple[str, ...]:
    return tuple(fp(site.actors.get(actor_id)) for actor_id in ids)


def _article(site: Site, slug: str, fp: Fingerprints, claimed: dict[str, list[Any]]) -> object:
    article = site.articles[slug]
    quotes = site.quotes_by_article.get(slug, [])
    people = set(site.article_actors.get(slug, []))
    people.update(q.speaker for q in quotes)
    people.update(q.said_to for q in quotes if q.said_to)
    if article.meta.outlet:
        people.add(article.meta.outlet)
    votes = tuple(fp(v) for v in claimed.get(slug, ()))
    return (fp(article.meta), site.bodies[slug], tuple(site.article_actors.get(slug, [])),
            _actors(site, sorted(people), fp), tuple(fp(q) for q in quotes),
            tuple(site.quote_anchors.get(q.id) for q in quotes), votes)


def _actor(site: Site, actor_id: str, fp: Fingerprints, claimed: dict[str, list[Any]]) -> object:
    actor = site.actors[actor_id]
    quotes = site.quotes_by_speaker.get(actor_id, [])
    mentions = site.mentions.get(actor_id, [])
    records = site.voting_records.get(actor_id, [])
    related = site.related.get(actor_id, [])
    others = {link.actor for link in actor.links} | {other for other, _ in related}
    others.update(q.said_to for q in quotes if q.said_to)
    articles = {q.article for q in quotes} | {m.article for m in mentions}
    return (fp(actor), actor_id in site.generated_actors, _actors(site, sorted(others), fp),
            tuple(fp(q) for q in quotes), tuple(site.quote_anchors.get(q.id) for q in quotes),
            tuple(mentions), tuple(records), tuple(related),
            tuple(fp(site.articles[a].meta) for a in sorted(articles) if a in site.articles),
            tuple(fp(site.votes[r.vote]) for r in records))


def _vote(site: Site, vote_id: str, fp: Fingerprints, claimed: dict[str, list[Any]]) -> object:
    vote = site.votes[vote_id]
    ballots = tuple(value for (v, _), cast in site.ballots.items() if v == vote_id for value in cast)
    people = {b.actor for b in ballots}
    for key in (vote.drafter, *vote.sponsors, *(p for a in vote.amendments for p in (*a.proposers, *a.vetoed_by))):
        if key:
            people.add(site.actor_by_code.get(key, key))
    articles = tuple(fp(site.articles[c.article].meta) for c in vote.claims if c.article in site.articles)
    return (fp(vote), ballots, _actors(site, sorted(people), fp), articles)


PAGE_INPUTS: dict[str, Callable[[Site, str, Fingerprints, dict[str, list[Any]]], object]] = {
    "article": _article, "actor": _actor, "vote": _vote}


class PageInputs:
    """``page_inputs(kind, key)`` for one build: a value that changes whenever the page could;
    None for kinds it does not know (the caller falls back to the whole-site digest)."""

    def __init__(self, site: Site, fingerprints: Fingerprints) -> None:
        self.site, self.fingerprints = site, fingerprints
        self.claimed: dict[str, list[Any]] = {}
        for vote in site.votes.values():
            for article in dict.fromkeys(claim.article for claim in vote.claims):
                self.claimed.setdefault(article, []).append(vote)

    def __call__(self, kind: str, key: str) -> object | None:
        inputs = PAGE_INPUTS.get(kind)
        return inputs(self.site, key, self.fingerprints, self.claimed) if inputs is not None else None


def site_digest(site: Site, fp: Fingerprints) -> int:
    """Everything an index page may show, except article bodies. Hashes of existing strings are
    cached by Python, so this costs little even for thousands of objects."""
    return hash((
        tuple(fp(article.meta) for article in site.articles.values()),
        tuple(fp(actor) for actor in site.actors.values()),
        tuple(fp(quote) for quote in site.quotes.values()),
        tuple(fp(vote) for vote in site.votes.values()),
        tuple(sorted(site.quote_anchors.items())),
        tuple(sorted((actor, len(mentions)) for actor, mentions in site.mentions.items())),
        tuple(sorted(site.generated_actors)),
        tuple((slug, tuple(actors)) for slug, actors in site.article_actors.items()),
    ))


def bodies_digest(site: Site) -> int:
    """The bodies the feed shows (its newest entries)."""
    return hash(tuple(site.bodies[slug].html for slug, _ in newest_articles(site)))


# Generated files and index pages (spec kind "") whose content depends on article bodies too.
WITH_BODIES = frozenset({"feed"})
