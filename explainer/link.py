"""Stage 4, link: validated content -> Site (references resolved, backlinks indexed).

Everything is gathered before anything is rendered, because an actor page needs every
article that mentions the actor, and an article needs every actor's name to find mentions.
This module runs the stage and applies its results to the site, in full (``link``) or for a
few edited articles and quotes (``relink``); the reference checks are in references.py, the
rendering of articles' Markdown in article_bodies.py, the votes' in votecheck.py.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .agreement import link_agreement
from .article_bodies import ArticleContext, ArticleOutcome, article_context, article_outcomes, marked_quotes
from .editorlinks import Resolved
from .errors import Diagnostic, Location, Report
from .linkcheck import LinkCheckMemo
from .model import Quote, SiteConfig
from .references import (
    check_actor_links,
    check_article_references,
    check_quote_references,
    index_actor_codes,
    index_quotes,
    report_at_level,
    warn_orphans,
)
from .resolved import RELATED_SHOWN, Article, Mention, Site
from .sharednames import check_shared_names
from .textmatch import closest_passage, find_quote, fold
from .unknownnames import report_unknown_names
from .urls import Urls
from .validate import Content
from .votecheck import link_votes


def link(content: Content, config: SiteConfig, urls: Urls, report: Report,
         article_cache: dict[object, object] | None = None, workers: int | None = None,
         state: LinkState | None = None) -> Site:
    """Resolve and index everything.

    ``article_cache`` (owned by the caller, kept between builds) maps everything an article's
    rendering depends on to its rendered outcome, so an unchanged article is not re-rendered.
    ``state``, if given, is filled with what ``relink`` needs to redo edited articles and quotes.
    """
    site = Site(config=config, articles=dict(sorted(content.articles.items(), key=_newest_first)),
                actors=dict(content.actors), quotes=dict(content.quotes), votes=dict(content.votes),
                broken=set(content.broken), others={folder: dict(objects)
                                                    for folder, objects in content.others.items()})
    index_actor_codes(site, content, report)
    check_actor_links(site, content, report)
    check_shared_names(site, content, report)
    check_quote_references(site, content, report)
    check_article_references(site, content, report)
    link_votes(site, content, report)
    link_agreement(site)
    state = state if state is not None else LinkState()
    _render_articles(site, content, urls, report, article_cache if article_cache is not None else {}, workers, state)
    _index_related(site, state)
    warn_orphans(site, content, report)
    return site


def _newest_first(item: tuple[str, object]) -> tuple[int, str]:
    slug, article = item
    return (-article.meta.date.toordinal(), slug)  # type: ignore[attr-defined]


@dataclass
class LinkState:
    """What one link leaves for ``relink``, kept by the caller between builds.

    With it, an edit to articles' text or to quotes is relinked in time proportional to what it
    touches, not to the size of the site.
    """

    context: ArticleContext | None = None
    keys: dict[str, tuple[object, ...]] = field(default_factory=dict)  # slug -> its article cache key
    outcomes: dict[str, ArticleOutcome] = field(default_factory=dict)
    rank: dict[str, int] = field(default_factory=dict)  # slug -> position in site.articles
    together: dict[str, Counter[str]] = field(default_factory=dict)  # actor -> other actor -> shared paragraphs
    # The build's diagnostics before the articles' own (loading, validation, references,
    # votes), and each article's own, so that a relink reports exactly what a full link would.
    head: list[Diagnostic] = field(default_factory=list)
    per_article: dict[str, list[Diagnostic]] = field(default_factory=dict)
    link_checks: LinkCheckMemo = field(default_factory=LinkCheckMemo)  # linkcheck.py, for quick rebuilds

    def article_links(self) -> dict[str, tuple[tuple[tuple[str, int, int, Resolved], ...], tuple[str, ...]]]:
        """Each article's internal links and the ids of its body, for linkcheck.check_site_links."""
        return {slug: (outcome.links, outcome.anchors) for slug, outcome in self.outcomes.items()}


@dataclass
class Touched:
    """The pages whose inputs a relink may have changed (besides the site-wide ones)."""

    articles: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    votes: set[str] = field(default_factory=set)
    # Whether anything the index pages show may have changed (depends.site_parts): the quotes,
    # who each article mentions and how often, where quotes are anchored.
    site_wide: bool = False


def _render_articles(site: Site, content: Content, urls: Urls, report: Report, cache: dict[object, object],
                     workers: int | None, state: LinkState) -> None:
    context = article_context(site, urls)
    articles = list(site.articles.values())
    keys, outcomes = article_outcomes(site, context, articles, cache, workers)
    live = set(keys)
    for stale in [key for key in cache if key not in live]:
        del cache[stale]
    state.context, state.keys, state.outcomes = context, {}, {}
    state.rank = {article.slug: rank for rank, article in enumerate(articles)}
    state.head, state.per_article = list(report.diagnostics), {}
    for key, outcome in zip(keys, outcomes):
        state.keys[outcome.slug], state.outcomes[outcome.slug] = key, outcome
        for mention in outcome.mentions:
            site.mentions.setdefault(mention.actor, []).append(mention)
        own = Report()
        _apply_outcome(site, content, context, site.articles[outcome.slug], outcome, own)
        if own.diagnostics:
            state.per_article[outcome.slug] = own.diagnostics
            report.diagnostics.extend(own.diagnostics)
    # In a canonical order, so that relinking (which adds and removes actors) keeps the same order.
    site.mentions = dict(sorted(site.mentions.items()))


def _apply_outcome(site: Site, content: Content, context: ArticleContext, article: Article,
                   outcome: ArticleOutcome, report: Report) -> None:
    """An article's rendering into the site, except its mentions (indexed by the caller)."""
    slug = article.slug
    quotes = marked_quotes(site, slug)
    site.bodies[slug] = outcome.body
    seen = dict.fromkeys(mention.actor for mention in outcome.mentions)
    for quote in quotes:
        if quote.speaker in site.actors:
            seen.setdefault(quote.speaker)
    site.article_actors[slug] = list(seen)
    _check_quotes_found(site, content, slug, quotes, outcome.quote_anchors, report)
    for vote, index, mark in context.claims_by_article.get(slug, ()):
        if mark.claim_id not in outcome.claims_found:
            report.error("claim-not-found", f"the claim is not in article '{slug}' (closest passage: "
                         f"\"{closest_passage(article.body, mark.text)}\")",
                         content.origin("vote", vote.id).at("claims", index, "text"),
                         "copy the passage verbatim from the article")
    _warn_unattributed(site, article.path, quotes, outcome.direct_quotes, report)
    level = site.config.validation.unknown_name
    # With an actor file that failed validation, its names would all be reported: noise.
    if level != "ignore" and outcome.names and not any(kind == "actor" for kind, _ in site.broken):
        known = {*context.shared.phrases, *article.meta.aliases, *article.meta.unlinked}
        report_unknown_names(article.path, outcome.names, known, context.names, level, report)


def relink(site: Site, content: Content, state: LinkState, articles: list[Article],
           cache: dict[object, object], quotes: Sequence[Quote] = ()) -> tuple[Touched, Report]:
    """Relink ``articles``, new versions of existing articles with unchanged front matter, and
    ``quotes``, new versions of existing quotes whose ``check_quote`` finds nothing, into a site
    that ``link`` made with ``state``; nothing else may have changed since.

    Returns the pages whose inputs may have changed and the build's whole report, as ``link``
    would have made it. Time grows with what the edit touches, not with the site (but for
    re-indexing the quotes, a dictionary pass).
    """
    context = state.context
    assert context is not None, "relink needs the state of a full link"
    touched = Touched()
    for article in articles:
        site.articles[article.slug] = article
    if quotes:
        articles = list(articles)
        for quote in quotes:
            previous = site.quotes[quote.id]
            site.quotes[quote.id] = quote
            touched.actors.update(actor for q in (previous, quote) for actor in (q.speaker, q.said_to) if actor)
            for slug in dict.fromkeys((previous.article, quote.article)):
                if all(a.slug != slug for a in articles):
                    articles.append(site.articles[slug])  # its quote marks change
        index_quotes(site)
        touched.site_wide = True
    keys, outcomes = article_outcomes(site, context, articles, cache, workers=1)
    for article, key, outcome in zip(articles, keys, outcomes):
        slug = article.slug
        before_edit = state.outcomes[slug]
        if state.keys[slug] != key:
            cache.pop(state.keys[slug], None)
        state.keys[slug], state.outcomes[slug] = key, outcome
        touched.articles.add(slug)
        touched.actors.update(_replace_mentions(site, state, slug, before_edit.mentions, outcome.mentions))
        touched.actors.update(_replace_together(site, state, before_edit.together, outcome.together))
        quoted = site.quotes_by_article.get(slug, [])
        touched.actors.update(q.speaker for q in quoted)  # their pages link to the quotes' anchors here
        touched.actors.update(q.said_to for q in quoted if q.said_to)
        touched.votes.update(vote.id for vote, _, _ in context.claims_by_article.get(slug, ()))
        before = _shown_in_indexes(site, slug, quoted)
        own = Report()
        _apply_outcome(site, content, context, article, outcome, own)
        if _shown_in_indexes(site, slug, quoted) != before or Counter(m.actor for m in before_edit.mentions) != Counter(
                m.actor for m in outcome.mentions):
            touched.site_wide = True
        if own.diagnostics:
            state.per_article[slug] = own.diagnostics
        else:
            state.per_article.pop(slug, None)
    report = Report(list(state.head))
    for slug in site.articles:
        report.diagnostics.extend(state.per_article.get(slug, ()))
    warn_orphans(site, content, report)
    return touched, report


def _shown_in_indexes(site: Site, slug: str, quotes: list[Quote]) -> object:
    return (site.article_actors.get(slug), [site.quote_anchors.get(q.id) for q in quotes])


def _replace_mentions(site: Site, state: LinkState, slug: str, old: tuple[Mention, ...],
                      new: tuple[Mention, ...]) -> set[str]:
    """Swap an article's mentions in the per-actor lists, which are in article order."""
    if old == new:
        return set()
    actors = {m.actor for m in old} | {m.actor for m in new}
    added = not actors <= site.mentions.keys()
    rank = state.rank[slug]
    for actor in actors:
        kept = [m for m in site.mentions.get(actor, ()) if m.article != slug]
        at = next((i for i, m in enumerate(kept) if state.rank[m.article] > rank), len(kept))
        kept[at:at] = [m for m in new if m.actor == actor]
        if kept:
            site.mentions[actor] = kept
        else:
            site.mentions.pop(actor, None)
    if added:  # new keys went last: back to link's order
        site.mentions = dict(sorted(site.mentions.items()))
    return actors


def _replace_together(site: Site, state: LinkState, old: tuple[tuple[str, str, int], ...],
                      new: tuple[tuple[str, str, int], ...]) -> set[str]:
    if old == new:
        return set()
    for sign, pairs in ((-1, old), (1, new)):
        for actor, other, count in pairs:
            counts = state.together.setdefault(actor, Counter())
            counts[other] += sign * count
            if not counts[other]:
                del counts[other]
    actors = {actor for actor, _, _ in old} | {actor for actor, _, _ in new}
    added = not actors <= site.related.keys()
    for actor in actors:
        kept = state.together.get(actor)
        if kept:
            site.related[actor] = _ranked(kept)
        else:
            state.together.pop(actor, None)
            site.related.pop(actor, None)
    if added:
        site.related = dict(sorted(site.related.items()))
    return actors | {other for _, other, _ in old} | {other for _, other, _ in new}


def _check_quotes_found(site: Site, content: Content, slug: str, quotes: list[Quote], anchors: dict[str, str],
                        report: Report) -> None:
    body = site.articles[slug].body
    for quote in quotes:
        if quote.id in anchors:
            site.quote_anchors[quote.id] = anchors[quote.id]
            continue
        where = content.origin("quote", quote.id).at("text")
        if find_quote(body, quote.text) is not None:
            report.error("quote-not-marked", f"quote '{quote.id}' spans formatting or lines in the article and "
                         "cannot be anchored", where, "quote a passage within one paragraph and one style")
        else:
            report.error("quote-not-in-article", f"quote '{quote.id}' is not in article '{slug}'; closest passage: "
                         f"\"{closest_passage(body, quote.text)}\"", where,
                         "copy the words verbatim from the article (use [brackets] for editorial insertions)")


def _warn_unattributed(site: Site, path: str, quotes: list[Quote], found: list[tuple[str, int]],
                       report: Report) -> None:
    level = site.config.validation.unattributed_quote
    if level == "ignore":
        return
    attributed = [fold(q.text).strip(" ,.\"'") for q in quotes]
    for passage, line in found:
        folded = fold(passage).strip(" ,.\"'")
        if any(a and (a in folded or folded in a) for a in attributed):
            continue
        short = passage if len(passage) <= 60 else passage[:57] + "…"
        report_at_level(report, level, "unattributed-quote", f"direct quotation \u201c{short}\u201d is not attributed",
                  Location(path, line), "add it to a quotes file with its speaker")


def _index_related(site: Site, state: LinkState) -> None:
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in state.outcomes.values():
        for actor, other, count in outcome.together:
            together[actor][other] += count
    state.together = dict(together)
    site.related = {actor: _ranked(counts) for actor, counts in sorted(together.items())}


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return heapq.nsmallest(RELATED_SHOWN, counts.items(), key=lambda item: (-item[1], item[0]))

