"""Stage between validate and link: what is not public yet is held back.

An article is held while it is a draft (``draft: true``) or embargoed (``publish_at`` in the
future); a quote, actor or vote while it is a draft, and a quote with its article. An actor that
only held content names (a person introduced by a draft story) is held too, so nothing of a
draft leaks through an actor page, the search index, a feed or the open data: the site simply
never sees it. The preview may show held content instead (``show_held``), marked on its pages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from .errors import Report
from .model import Actor, Quote, Vote
from .resolved import Article
from .validate import Content


@dataclass(frozen=True)
class Publication:
    """When the site is built, and whether held content is shown (the preview) or left out."""

    now: dt.datetime
    show_held: bool = False


@dataclass(frozen=True)
class Held:
    kind: str  # article | actor | quote | vote
    key: str
    path: str
    reason: str  # "draft", "embargoed until ..." or "named only by held content"
    until: dt.datetime | None = None  # when an embargo ends


@dataclass
class Withheld:
    """What the stage held back, and the content the site is built from."""

    content: Content
    held: list[Held] = field(default_factory=list)

    @property
    def next_release(self) -> dt.datetime | None:
        """The earliest end of an embargo: a build after it publishes more."""
        times = [item.until for item in self.held if item.until is not None]
        return min(times) if times else None

    def reasons(self) -> dict[tuple[str, str], str]:
        return {(item.kind, item.key): item.reason for item in self.held}


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def withhold(content: Content, publication: Publication, report: Report) -> Withheld:
    """Hold back drafts, embargoed articles and what only they introduce."""
    held: list[Held] = []
    articles = {slug: _article_hold(slug, article, content, publication.now)
                for slug, article in content.articles.items()}
    held += [hold for hold in articles.values() if hold is not None]
    held_articles = {slug for slug, hold in articles.items() if hold is not None}
    for quote_id, quote in content.quotes.items():
        if quote.draft or quote.article in held_articles:
            reason = "draft" if quote.draft else f"in a held article ({quote.article})"
            held.append(Held("quote", quote_id, content.origin("quote", quote_id).path, reason))
    held += [Held("vote", vote_id, content.origin("vote", vote_id).path, "draft")
             for vote_id, vote in content.votes.items() if vote.unpublished]
    held += [Held("actor", actor_id, content.origin("actor", actor_id).path, "draft")
             for actor_id, actor in content.actors.items() if actor.draft]
    held += _introduced_only_by(content, held)
    result = Withheld(content, sorted(held, key=lambda item: (item.path, item.kind, item.key)))
    _check_public_references(content, result, report)
    if not publication.show_held and held:
        result.content = _public(content, {(item.kind, item.key) for item in held})
    return result


def _article_hold(slug: str, article: Article, content: Content, now: dt.datetime) -> Held | None:
    path = content.origin("article", slug).path
    if article.meta.draft:
        return Held("article", slug, path, "draft")
    when = article.meta.publish_at
    if when is not None and when > now:
        return Held("article", slug, path, f"embargoed until {when.isoformat()}", when)
    return None


def _references(objects: Iterable[object]) -> set[str]:
    """Actor ids (or member codes) that quotes, votes, actors and article front matter name."""
    found: set[str] = set()
    for obj in objects:
        if isinstance(obj, Quote):
            found.update(key for key in (obj.speaker, obj.said_to) if key)
        elif isinstance(obj, Vote):
            found.update(obj.members)
            found.update(key for key in (obj.drafter, *obj.sponsors) if key)
            for amendment in obj.amendments:
                found.update((*amendment.proposers, *amendment.members))
        elif isinstance(obj, Actor):
            found.update(link.actor for link in obj.links)
        elif isinstance(obj, Article):
            found.update(obj.meta.aliases.values())
            if obj.meta.outlet:
                found.add(obj.meta.outlet)
    return found


def _introduced_only_by(content: Content, held: list[Held]) -> list[Held]:
    """Actors that held content names and public content does not: a draft's new people."""
    if not held:
        return []  # the common case: a full build relinks on every preview save
    keys = {(item.kind, item.key) for item in held}
    registries: dict[str, Mapping[str, object]] = {"article": content.articles, "quote": content.quotes,
                                                    "vote": content.votes, "actor": content.actors}
    held_objects = [registries[kind][key] for kind, key in keys]
    public_objects = [obj for kind, registry in registries.items() for key, obj in registry.items()
                      if (kind, key) not in keys]
    named_by_held = _references(held_objects)
    held_texts = [obj.body for obj in held_objects if isinstance(obj, Article)]
    public_texts: list[str] | None = None  # decoded only once an actor needs them
    named_by_public = _references(public_objects)
    found = []
    for actor_id, actor in content.actors.items():
        if ("actor", actor_id) in keys:
            continue
        codes = {actor_id, *([actor.iso3] if actor.iso3 else [])}
        names = _names(actor)
        in_held = bool(codes & named_by_held) or any(names.search(text) for text in held_texts)
        if not in_held:
            continue
        if codes & named_by_public:
            continue
        if public_texts is None:
            public_texts = [obj.body for obj in public_objects if isinstance(obj, Article)]
        if any(names.search(text) for text in public_texts):
            continue
        found.append(Held("actor", actor_id, content.origin("actor", actor_id).path, "named only by held content"))
    return found


def _names(actor: Actor) -> re.Pattern[str]:
    phrases = sorted({actor.name, *actor.aliases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(phrase) for phrase in phrases) + r")(?!\w)")


def _check_public_references(content: Content, withheld: Withheld, report: Report) -> None:
    """A public quote or vote that names an actor held as a draft would publish a dangling
    link: say so where it is named."""
    drafts = {item.key for item in withheld.held if item.kind == "actor" and item.reason == "draft"}
    held_quotes = {item.key for item in withheld.held if item.kind == "quote"}
    for quote_id, quote in content.quotes.items():
        if quote_id in held_quotes:
            continue
        for field_name in ("speaker", "said_to"):
            actor_id = getattr(quote, field_name)
            if actor_id in drafts:
                report.error("held-reference", f"quote '{quote_id}' names '{actor_id}', which is a draft",
                             content.origin("quote", quote_id).at(field_name),
                             f"publish {actor_id} (remove draft: true) or mark the quote draft: true too")


def _public(content: Content, keys: set[tuple[str, str]]) -> Content:
    """``content`` without the held objects, and without the claims and links that point at them."""
    held_articles = {key for kind, key in keys if kind == "article"}
    held_actors = {key for kind, key in keys if kind == "actor"}
    votes = {}
    for vote_id, vote in content.votes.items():
        if ("vote", vote_id) in keys:
            continue
        claims = [claim for claim in vote.claims if claim.article not in held_articles]
        votes[vote_id] = vote if len(claims) == len(vote.claims) else vote.model_copy(update={"claims": claims})
    actors = {}
    for actor_id, actor in content.actors.items():
        if actor_id in held_actors:
            continue
        links = [link for link in actor.links if link.actor not in held_actors]
        actors[actor_id] = actor if len(links) == len(actor.links) else actor.model_copy(update={"links": links})
    return replace(
        content,
        articles={slug: article for slug, article in content.articles.items() if slug not in held_articles},
        actors=actors,
        quotes={key: quote for key, quote in content.quotes.items() if ("quote", key) not in keys},
        votes=votes,
    )
