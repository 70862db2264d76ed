"""Part of the link stage: each article's Markdown rendered to HTML (markdown.py) with its
actor links, quote and claim marks, on worker processes for many articles, and the outcomes
kept in a cache so that an unchanged article is not rendered again."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .editorlinks import Resolved, SiteLinks
from .markdown import Annotations, ClaimMark, QuoteMark, make_markdown, render_article
from .model import Quote, Vote
from .parallel import map_chunks
from .phrasematch import PhraseMatcher
from .resolved import Article, Mention, RenderedBody, Site
from .unknownnames import NameCount, count_names
from .urls import Urls


def _phrases(site: Site, overrides: dict[str, str], unlinked: Iterable[str]) -> dict[str, str | None]:
    phrases: dict[str, str | None] = {}
    for actor in site.actors.values():
        if actor.id in site.generated_actors:
            continue
        for name in (actor.name, *actor.aliases):
            phrases.setdefault(name, actor.id)
    phrases.update(overrides)
    for phrase in unlinked:
        phrases[phrase] = None
    return phrases


@dataclass(frozen=True)
class _ArticleJob:
    slug: str
    markdown: bytes  # decoded by the worker that renders it, not by the parent for every article
    line_offset: int
    annotations: Annotations


@dataclass(frozen=True)
class ArticleOutcome:
    slug: str
    body: RenderedBody
    mentions: tuple[Mention, ...]
    quote_anchors: dict[str, str]
    claims_found: set[str]
    direct_quotes: list[tuple[str, int]]
    # (actor, other actor, paragraphs they share), counted here so that a rebuild sums cached
    # counts instead of regrouping every mention of the site by paragraph.
    together: tuple[tuple[str, str, int], ...]
    # The editor's internal links (as written, line, column, resolved) and every id the body
    # gives its page, for linkcheck.py: checked against the whole site once all are rendered.
    links: tuple[tuple[str, int, int, Resolved], ...] = ()
    anchors: tuple[str, ...] = ()
    names: tuple[NameCount, ...] = ()  # capitalised names no actor took (unknownnames.py)


def _together(mentions: tuple[Mention, ...]) -> tuple[tuple[str, str, int], ...]:
    by_paragraph: dict[str, set[str]] = defaultdict(set)
    for hit in mentions:
        by_paragraph[hit.anchor].add(hit.actor)
    counts: Counter[tuple[str, str]] = Counter()
    for actors in by_paragraph.values():
        if len(actors) > 1:
            counts.update((actor, other) for actor in actors for other in actors if other != actor)
    return tuple(sorted((actor, other, count) for (actor, other), count in counts.items()))


def _render_jobs(jobs: list[_ArticleJob], indices: Sequence[int]) -> list[ArticleOutcome]:
    """Render articles' Markdown; runs in worker processes for large sites."""
    md = make_markdown()
    outcomes = []
    for index in indices:
        job = jobs[index]
        rendered = render_article(md, job.markdown.decode("utf-8"), job.annotations, line_offset=job.line_offset)
        state = rendered.state
        # Built here, once per rendering, so a rebuild that reuses the outcome makes nothing anew.
        mentions = tuple(Mention(hit.actor, job.slug, hit.anchor)
                         for hit in state.mentions)
        body = RenderedBody(rendered.html.encode("utf-8"), tuple(state.paragraph_ids))
        links = tuple((written, line, column, found) for written, line, column, found in state.links
                      if isinstance(found, Resolved))
        outcomes.append(ArticleOutcome(job.slug, body, mentions, state.quote_anchors, state.claims_found,
                                       state.direct_quotes, _together(mentions), links,
                                       tuple(sorted(state.used_ids)), count_names(state.names)))
    return outcomes


@dataclass(frozen=True)
class ArticleContext:
    """What rendering any article needs from the rest of the site (actors, quotes' speakers,
    votes' claims): made once per link, and kept for relinking edited articles."""

    urls: Urls
    actor_urls: dict[str, str]
    names: dict[str, str]
    claims_by_article: dict[str, list[tuple[Vote, int, ClaimMark]]]
    shared: PhraseMatcher
    shared_key: bytes


def article_context(site: Site, urls: Urls) -> ArticleContext:
    actor_urls = {actor_id: urls.page("actor", actor_id) for actor_id in site.actors}
    claims_by_article: dict[str, list[tuple[Vote, int, ClaimMark]]] = defaultdict(list)
    for vote in site.votes.values():
        for index, claim in enumerate(vote.claims):
            mark = ClaimMark(f"{vote.id}-{index + 1}", claim.text, claim.note, urls.page("vote", vote.id),
                             f"See the record of {vote.resolution}.")
            claims_by_article[claim.article].append((vote, index, mark))
    shared = PhraseMatcher(_phrases(site, {}, ()))
    shared_key = _stable_digest((tuple(sorted(shared.phrases.items(), key=str)), tuple(sorted(actor_urls.items())),
                                 site.config.link_mentions))
    return ArticleContext(urls, actor_urls, {actor_id: actor.name for actor_id, actor in site.actors.items()},
                           dict(claims_by_article), shared, shared_key)


def _stable_digest(value: tuple[object, ...]) -> bytes:
    """A digest of strings, booleans and tuples of them that is the same in every process (the
    cache is kept between builds: persist.py); ``hash()`` of a string changes from process to
    process, so articles with names of their own missed the cache in every new build."""
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).digest()


def _overrides_names(article: Article) -> bool:
    """Whether the article sets its own aliases or unlinked names (then it is matched against
    its own copy of the actor names, not the shared matcher)."""
    return bool(article.meta.aliases or article.meta.unlinked)


def _article_key(site: Site, context: ArticleContext, article: Article) -> tuple[object, ...]:
    """Everything an article's rendering depends on but the shared actor names (see
    ``_Rendered``), cheap to build: annotations are made only for the articles actually rendered."""
    quotes = marked_quotes(site, article.slug)
    phrases_key = None if not _overrides_names(article) else _stable_digest(
        (context.shared_key, tuple(sorted(article.meta.aliases.items())), tuple(article.meta.unlinked)))
    return (article.slug, article.markdown, article.body_line - 1, phrases_key, site.config.link_mentions,
            context.urls.base_url, site.config.validation.unknown_name != "ignore",
            tuple((q.id, q.text, q.speaker, _quote_mark_url(context, q)) for q in quotes),
            tuple(c for _, _, c in context.claims_by_article.get(article.slug, ())))


@dataclass(frozen=True)
class _Rendered:
    """An article cache entry: the outcome, and the context whose actor names it was matched
    against (None when the article overrides names: its key then holds all of them).

    Adding or renaming one actor changes the names every article is matched against, but can
    change only the articles containing one of the changed names' first words: the others'
    outcomes are reused (``_Reuse``) instead of rendering every article again.
    """

    context: ArticleContext | None
    outcome: ArticleOutcome


class _Reuse:
    """Which cached outcomes still hold under the current actor names; for one link."""

    def __init__(self, cache: dict[object, object], context: ArticleContext) -> None:
        self.cache, self.context = cache, context
        self._triggers: list[tuple[ArticleContext, frozenset[bytes]]] = []

    def __call__(self, key: tuple[object, ...], markdown: bytes) -> ArticleOutcome | None:
        entry = self.cache.get(key)
        if not isinstance(entry, _Rendered):
            return None
        if entry.context is not None and entry.context is not self.context:
            changed = self._changed_words(entry.context)
            # Names are matched in the parsed text: entities and backslash escapes are decoded
            # there, so a body with either is rendered again rather than searched.
            if changed and (b"&" in markdown or b"\\" in markdown or any(word in markdown for word in changed)):
                return None
            self.cache[key] = _Rendered(self.context, entry.outcome)
        return entry.outcome

    def entry(self, article: Article, outcome: ArticleOutcome) -> _Rendered:
        return _Rendered(None if _overrides_names(article) else self.context, outcome)

    def _changed_words(self, old: ArticleContext) -> frozenset[bytes]:
        """First words of the names that match differently now, in UTF-8 (a substring of the
        text is one of its UTF-8 too), worked out once per context."""
        for known, words in self._triggers:
            if known is old:
                return words
        new = self.context
        before, after = old.shared.phrases, new.shared.phrases
        changed = {phrase for phrase in before.keys() | after.keys()
                   if before.get(phrase) != after.get(phrase)
                   or old.actor_urls.get(before.get(phrase) or "") != new.actor_urls.get(after.get(phrase) or "")}
        words = frozenset(word.encode("utf-8") for phrase in changed for word in PhraseMatcher.first_words(phrase))
        self._triggers.append((old, words))
        return words


def _quote_mark_url(context: ArticleContext, quote: Quote) -> str:
    return context.urls.page("actor", quote.speaker, f"quote-{quote.id}")


def marked_quotes(site: Site, slug: str) -> list[Quote]:
    """The quotes of an article that are marked in its text: all but the withdrawn ones, whose
    words the article no longer has (their trace is on the speaker's page and in the notes)."""
    return [quote for quote in site.quotes_by_article.get(slug, []) if quote.withdrawn is None]


def _article_job(site: Site, article: Article, context: ArticleContext) -> _ArticleJob:
    quotes = marked_quotes(site, article.slug)
    overridden = _overrides_names(article)
    shared = context.shared
    phrases = _phrases(site, dict(article.meta.aliases), article.meta.unlinked) if overridden else shared.phrases
    marks = [QuoteMark(q.id, q.text, _quote_mark_url(context, q)) for q in quotes]
    annotations = Annotations(
        phrases=phrases, matcher=None if overridden else shared, actor_urls=context.actor_urls,
        quotes=marks, claims=[c for _, _, c in context.claims_by_article.get(article.slug, ())],
        link_mentions=site.config.link_mentions, find_names=site.config.validation.unknown_name != "ignore",
        links=SiteLinks(context.urls.base_url,
                        context.urls.page("article", article.slug)[len(context.urls.base_path):]))
    return _ArticleJob(article.slug, article.markdown, article.body_line - 1, annotations)


def article_outcomes(site: Site, context: ArticleContext, articles: list[Article], cache: dict[object, object],
              workers: int | None) -> tuple[list[tuple[object, ...]], list[ArticleOutcome]]:
    """Each article's cache key and rendered outcome, from the cache where it still holds;
    the others are rendered (on the workers for many) and cached."""
    keys = [_article_key(site, context, article) for article in articles]
    reuse = _Reuse(cache, context)
    found = [reuse(key, article.markdown) for key, article in zip(keys, articles)]
    todo = [index for index, outcome in enumerate(found) if outcome is None]
    jobs = [_article_job(site, articles[i], context) for i in todo]
    for index, outcome in zip(todo, map_chunks(_render_jobs, jobs, len(jobs), workers=workers)):
        cache[keys[index]] = reuse.entry(articles[index], outcome)
        found[index] = outcome
    return keys, [outcome for outcome in found if outcome is not None]
