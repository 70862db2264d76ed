"""What each page shows, as a hashable value: a page whose value is unchanged need not be
re-rendered. Article, actor and vote pages list exactly the objects they show; the indexes,
the home page and the generated files depend on digests of the site's parts (``site_parts``,
``index_key``), and the feed also on its articles' bodies.

The values are deliberately generous (whole objects, not just the fields a template reads);
the incremental tests compare every output with a clean build after each kind of edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .exports import SLICE_OF
from .feeds import newest_articles
from .model import Site

# Pages about one source object, and the data files that are each one's slice of the open data.
SOURCE_KINDS = ("article", "actor", "vote", *SLICE_OF)


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


class PageInputs:
    """``page_inputs(kind, key)`` for one build: a value that changes whenever the page could;
    None for kinds it does not know (the caller keys those on ``site_parts``).

    Fingerprints are looked up once per object here, and sets of related objects are frozensets
    of (id, fingerprint) pairs, so a value is built and hashed mostly in C: at 5,000 articles
    these values are computed for 6,451 pages on every rebuild of the preview.
    """

    def __init__(self, site: Site, fingerprints: Fingerprints) -> None:
        self.site = site
        # Printed on first use: a relink after an edit asks for a few pages' values only.
        self.actor = _Printed(site.actors.get, fingerprints)
        self.meta = _Printed(lambda slug: getattr(site.articles.get(slug), "meta", None), fingerprints)
        self.quote = _Printed(site.quotes.get, fingerprints)
        self.vote = _Printed(site.votes.get, fingerprints)
        self.claimed: dict[str, list[str]] = {}
        for vote in site.votes.values():
            for article in dict.fromkeys(claim.article for claim in vote.claims):
                self.claimed.setdefault(article, []).append(vote.id)

    def __call__(self, kind: str, key: str) -> object | None:
        if kind == "article-data":
            return self._article(key, with_body=False)  # the page's inputs but its text
        kind = SLICE_OF.get(kind, kind)  # a slice of data shows what its page shows
        if kind == "article":
            return self._article(key)
        if kind == "actor":
            return self._actor(key)
        if kind == "vote":
            return self._vote(key)
        return None

    def _actors(self, ids: Iterable[str]) -> frozenset[tuple[str, str | None]]:
        return frozenset((actor_id, self.actor[actor_id]) for actor_id in ids)

    def _quotes(self, quotes: list[Any]) -> tuple[tuple[str | None, str | None], ...]:
        anchors = self.site.quote_anchors
        return tuple((self.quote[q.id], anchors.get(q.id)) for q in quotes)

    def _article(self, slug: str, with_body: bool = True) -> object:
        site = self.site
        article = site.articles[slug]
        quotes = site.quotes_by_article.get(slug, [])
        shown = site.article_actors.get(slug, [])
        people = {*shown, *(q.speaker for q in quotes), *(q.said_to for q in quotes if q.said_to)}
        if article.meta.outlet:
            people.add(article.meta.outlet)
        return (self.meta[slug], site.bodies[slug] if with_body else None, tuple(shown), self._actors(people),
                self._quotes(quotes),
                tuple(self.vote[v] for v in self.claimed.get(slug, ())))

    def _actor(self, actor_id: str) -> object:
        site = self.site
        actor = site.actors[actor_id]
        quotes = site.quotes_by_speaker.get(actor_id, [])
        mentions = site.mentions.get(actor_id, [])
        records = site.voting_records.get(actor_id, [])
        related = site.related.get(actor_id, [])
        others = {link.actor for link in actor.links} | {other for other, _ in related}
        others.update(q.said_to for q in quotes if q.said_to)
        articles = {q.article for q in quotes} | {m.article for m in mentions}
        # Who votes with whom: the table, the differences shown, and which partners show theirs.
        agreement = site.agreement.get(actor_id)
        partners = [row.other for row in agreement.rows] if agreement else []
        others.update(partners)
        return (self.actor[actor_id], actor_id in site.generated_actors, self._actors(others), self._quotes(quotes),
                tuple(mentions), tuple(records), tuple(related),
                frozenset((a, self.meta[a]) for a in articles),
                frozenset((r.vote, self.vote[r.vote]) for r in records),
                agreement, tuple(site.vote_diffs.get((actor_id, other), ()) for other in partners),
                frozenset(other for other in partners if (other, actor_id) in site.vote_diffs))

    def _vote(self, vote_id: str) -> object:
        site = self.site
        vote = site.votes[vote_id]
        ballots = tuple(value for (v, _), cast in site.ballots.items() if v == vote_id for value in cast)
        people = {b.actor for b in ballots}
        for key in (vote.drafter, *vote.sponsors, *vote.vetoed_by,
                    *(p for a in vote.amendments for p in (*a.proposers, *a.vetoed_by))):
            if key:
                people.add(site.actor_by_code.get(key, key))
        return (self.vote[vote_id], ballots, self._actors(people),
                tuple(self.meta[c.article] for c in vote.claims),
                self.vote[vote.follows] if vote.follows else None, site.vote_changes.get(vote_id))


class _Printed(dict[str, "str | None"]):
    """id -> fingerprint of the object ``find(id)`` (None when there is none), on first use."""

    def __init__(self, find: Callable[[str], Any], fingerprints: Fingerprints) -> None:
        super().__init__()
        self._find = find
        self._fingerprints = fingerprints

    def __missing__(self, key: str) -> str | None:
        obj = self._find(key)
        printed = None if obj is None else self._fingerprints(obj)
        self[key] = printed
        return printed


def site_parts(site: Site, fp: Fingerprints) -> dict[str, int]:
    """Digests of everything an index page may show, except article bodies, by part. Hashes of
    existing strings are cached by Python, so this costs little even for thousands of objects."""
    return {
        # The slug too: without a slug field it is the file's name, which the front matter lacks.
        "articles": hash(tuple((slug, fp(article.meta)) for slug, article in site.articles.items())),
        "actors": hash(tuple(fp(actor) for actor in site.actors.values())),
        # The actors the quotes name (speakers, recipients): all the quotes page and timeline show
        # of actors, so that adding or editing any other actor leaves those two long pages alone.
        "quoted_actors": hash(tuple(fp(site.actors[actor_id]) for actor_id in sorted(
            {actor_id for q in site.quotes.values() for actor_id in (q.speaker, q.said_to) if actor_id})
            if actor_id in site.actors)),
        "quotes": hash(tuple(fp(quote) for quote in site.quotes.values())),
        "votes": hash(tuple(fp(vote) for vote in site.votes.values())),
        "generated": hash(tuple(sorted(site.generated_actors))),
        "anchors": hash(tuple(sorted(site.quote_anchors.items()))),
        "mentions": hash(tuple(sorted((actor, len(mentions)) for actor, mentions in site.mentions.items()))),
        "article_actors": hash(tuple((slug, tuple(actors)) for slug, actors in site.article_actors.items())),
    }


# The parts of the site each of the engine's own index pages and files shows (through its
# template, the template context's helpers and its JSON-LD), so that an edit re-renders only
# those showing what it changed: a quote's date, say, the quotes page, the timeline and the
# home page (which ranks actors by quotes), not the articles index or the sitemap. A page or
# file not named here is given every object part.
OBJECT_PARTS = ("articles", "actors", "quotes", "votes", "generated")
INDEX_READS = {
    "index.html": ("articles", "actors", "quotes", "votes", "generated", "mentions"),
    "quotes.html": ("articles", "quoted_actors", "quotes", "anchors"),
    "timeline.html": ("articles", "quoted_actors", "quotes", "votes", "anchors"),
    "articles.html": ("articles",),
    "actors.html": ("actors", "generated"),
    "votes.html": ("votes",),
    "search.html": ("articles", "actors", "votes"),  # which search bundles exist
    "404.html": (),
    "feed": ("articles",),  # and its articles' bodies (WITH_BODIES)
    "sitemap": ("articles", "actors", "votes"),
    "robots": (),
    "data.html": ("articles", "actors", "quotes", "votes"),  # the date the data is as of
    "corrections.html": ("articles", "quotes", "anchors"),
    "redirect.html": (),  # the target's title is in the page's meta, part of its key
    # Open data files (explainer/exports.py): records link to quote anchors, and articles and
    # actors list who is named where.
    "data": ("articles", "actors", "quotes", "votes", "generated", "anchors", "mentions", "article_actors"),
}


def index_key(parts: dict[str, int], name: str, own_templates: bool) -> int:
    """The part of a page key an index page or generated file (``name``: its template, or its
    kind for files made by code) takes from the site. A project's own templates may read
    anything, so with any of them every part counts."""
    if own_templates:
        return hash(tuple(parts.values()))
    return hash(tuple(parts[part] for part in INDEX_READS.get(name, OBJECT_PARTS)))


def bodies_digest(site: Site) -> int:
    """The bodies the feed shows (its newest entries)."""
    return hash(tuple(site.bodies[slug].utf8 for slug, _ in newest_articles(site)))


# Generated files and index pages (spec kind "") whose content depends on article bodies too.
WITH_BODIES = frozenset({"feed"})
