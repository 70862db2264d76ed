"""Stage 4, link: validated content -> Site (references resolved, backlinks indexed).

Everything is gathered before anything is rendered, because an actor page needs every
article that mentions the actor, and an article needs every actor's name to find mentions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .actorrefs import unknown_actor
from .agreement import link_agreement
from .diagnose import suggest
from .errors import Diagnostic, Location, Report
from .markdown import (
    Annotations,
    ClaimMark,
    PhraseMatcher,
    QuoteMark,
    make_markdown,
    render_article,
)
from .model import Article, Mention, Quote, RenderedBody, Site, SiteConfig, Vote
from .parallel import map_chunks
from .sharednames import check_shared_names
from .textmatch import closest_passage, find_quote, fold
from .unstates import load_member_states
from .urls import Urls
from .validate import Content, Origin
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
    _index_actor_codes(site, content, report)
    _check_actor_links(site, content, report)
    check_shared_names(site, content, report)
    _check_quote_references(site, content, report)
    _check_article_references(site, content, report)
    link_votes(site, content, report)
    link_agreement(site)
    state = state if state is not None else LinkState()
    _render_articles(site, content, urls, report, article_cache if article_cache is not None else {}, workers, state)
    _index_related(site, state)
    _warn_orphans(site, content, report)
    return site


def _newest_first(item: tuple[str, object]) -> tuple[int, str]:
    slug, article = item
    return (-article.meta.date.toordinal(), slug)  # type: ignore[attr-defined]


def _severity(report: Report, level: str, code: str, message: str, where: Location, hint: str) -> None:
    if level == "error":
        report.error(code, message, where, hint)
    elif level == "warning":
        report.warning(code, message, where, hint)


# --- actors and member states ------------------------------------------------------------


def _index_actor_codes(site: Site, content: Content, report: Report) -> None:
    states = load_member_states()
    for actor in site.actors.values():
        if actor.iso3 is None:
            continue
        if actor.iso3 in site.actor_by_code:
            other = site.actor_by_code[actor.iso3]
            report.error("duplicate-id", f"iso3 {actor.iso3} is already used by actor '{other}'",
                         content.origin("actor", actor.id).at("iso3"), "give each state one actor")
        elif actor.iso3 not in states:
            report.warning("unknown-state", f"iso3 {actor.iso3} is not a UN member state",
                           content.origin("actor", actor.id).at("iso3"), "check the code (ISO 3166-1 alpha-3)")
        site.actor_by_code.setdefault(actor.iso3, actor.id)


def _check_actor_links(site: Site, content: Content, report: Report) -> None:
    for actor in content.actors.values():
        origin = content.origin("actor", actor.id)
        for index, link in enumerate(actor.links):
            if link.actor not in site.actors:
                unknown_actor(site, link.actor, origin.at("links", index, "actor"), report, "linked actor")


def _check_quote_references(site: Site, content: Content, report: Report) -> None:
    for quote in site.quotes.values():
        check_quote(site, quote, content.origin("quote", quote.id), report)
    _index_quotes(site)


def check_quote(site: Site, quote: Quote, origin: Origin, report: Report) -> None:
    """A quote's references (speaker, recipient, article) and date, against the site."""
    if not _annotated(site, quote.speaker):
        unknown_actor(site, quote.speaker, origin.at("speaker"), report, "speaker")
    if quote.said_to is not None and not _annotated(site, quote.said_to):
        unknown_actor(site, quote.said_to, origin.at("said_to"), report, "said_to")
    if quote.article not in site.articles:
        if ("article", quote.article) not in site.broken:
            report.error("unknown-reference",
                         f"article '{quote.article}' does not exist{suggest(quote.article, site.articles)}",
                         origin.at("article"), "use the slug of an article in content/articles/")
    elif quote.said_on is None:
        _severity(report, site.config.validation.quote_without_date, "quote-without-date",
                  f"quote '{quote.id}' has no said_on date", origin.at("id"), "add said_on: YYYY-MM-DD if known")


def _annotated(site: Site, actor: str) -> bool:
    # Actors generated from the member-state list are made after quotes are checked in a full
    # link: relinking an edited quote must not accept them either.
    return actor in site.actors and actor not in site.generated_actors


def _index_quotes(site: Site) -> None:
    site.quotes_by_speaker, site.quotes_by_article = {}, {}
    for quote in site.quotes.values():
        if quote.article not in site.articles and ("article", quote.article) in site.broken:
            continue  # reported with the article's own file
        site.quotes_by_speaker.setdefault(quote.speaker, []).append(quote)
        site.quotes_by_article.setdefault(quote.article, []).append(quote)
    for quotes in site.quotes_by_speaker.values():
        quotes.sort(key=lambda q: (q.said_on.toordinal() if q.said_on else 0, q.id))


def _check_article_references(site: Site, content: Content, report: Report) -> None:
    for article in site.articles.values():
        origin = content.origin("article", article.slug)
        if article.meta.outlet is not None and article.meta.outlet not in site.actors:
            unknown_actor(site, article.meta.outlet, origin.at("outlet"), report, "outlet")
        for phrase, actor in article.meta.aliases.items():
            if actor not in site.actors:
                unknown_actor(site, actor, origin.at("aliases", phrase), report, "alias target")
    for vote in site.votes.values():
        origin = content.origin("vote", vote.id)
        for index, claim in enumerate(vote.claims):
            if claim.article not in site.articles and ("article", claim.article) not in site.broken:
                report.error("unknown-reference",
                             f"article '{claim.article}' does not exist{suggest(claim.article, site.articles)}",
                             origin.at("claims", index, "article"), "use the slug of an article in content/articles/")


# --- articles -----------------------------------------------------------------------------


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
class _ArticleOutcome:
    slug: str
    body: RenderedBody
    mentions: tuple[Mention, ...]
    quote_anchors: dict[str, str]
    claims_found: set[str]
    direct_quotes: list[tuple[str, int]]
    # (actor, other actor, paragraphs they share), counted here so that a rebuild sums cached
    # counts instead of regrouping every mention of the site by paragraph.
    together: tuple[tuple[str, str, int], ...]


def _together(mentions: tuple[Mention, ...]) -> tuple[tuple[str, str, int], ...]:
    by_paragraph: dict[str, set[str]] = defaultdict(set)
    for hit in mentions:
        by_paragraph[hit.anchor].add(hit.actor)
    counts: Counter[tuple[str, str]] = Counter()
    for actors in by_paragraph.values():
        if len(actors) > 1:
            counts.update((actor, other) for actor in actors for other in actors if other != actor)
    return tuple(sorted((actor, other, count) for (actor, other), count in counts.items()))


def _render_jobs(jobs: list[_ArticleJob], indices: Sequence[int]) -> list[_ArticleOutcome]:
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
        outcomes.append(_ArticleOutcome(job.slug, body, mentions, state.quote_anchors, state.claims_found,
                                        state.direct_quotes, _together(mentions)))
    return outcomes


@dataclass(frozen=True)
class _ArticleContext:
    """What rendering any article needs from the rest of the site (actors, quotes' speakers,
    votes' claims): made once per link, and kept for relinking edited articles."""

    urls: Urls
    actor_urls: dict[str, str]
    names: dict[str, str]
    claims_by_article: dict[str, list[tuple[Vote, int, ClaimMark]]]
    shared: PhraseMatcher
    shared_key: int


def _article_context(site: Site, urls: Urls) -> _ArticleContext:
    actor_urls = {actor_id: urls.page("actor", actor_id) for actor_id in site.actors}
    claims_by_article: dict[str, list[tuple[Vote, int, ClaimMark]]] = defaultdict(list)
    for vote in site.votes.values():
        for index, claim in enumerate(vote.claims):
            mark = ClaimMark(f"{vote.id}-{index + 1}", claim.text, claim.note, urls.page("vote", vote.id),
                             f"See the record of {vote.resolution}.")
            claims_by_article[claim.article].append((vote, index, mark))
    shared = PhraseMatcher(_phrases(site, {}, ()))
    shared_key = hash((tuple(sorted(shared.phrases.items(), key=str)), tuple(sorted(actor_urls.items())),
                       site.config.link_mentions))
    return _ArticleContext(urls, actor_urls, {actor_id: actor.name for actor_id, actor in site.actors.items()},
                           dict(claims_by_article), shared, shared_key)


def _overrides_names(article: Article) -> bool:
    """Whether the article sets its own aliases or unlinked names (then it is matched against
    its own copy of the actor names, not the shared matcher)."""
    return bool(article.meta.aliases or article.meta.unlinked)


def _article_key(site: Site, context: _ArticleContext, article: Article) -> tuple[object, ...]:
    """Everything an article's rendering depends on but the shared actor names (see
    ``_Rendered``), cheap to build: annotations are made only for the articles actually rendered."""
    quotes = site.quotes_by_article.get(article.slug, [])
    phrases_key = None if not _overrides_names(article) else hash(
        (context.shared_key, tuple(sorted(article.meta.aliases.items())), tuple(article.meta.unlinked)))
    return (article.slug, article.markdown, article.body_line - 1, phrases_key, site.config.link_mentions,
            tuple((q.id, q.text, q.speaker, context.names.get(q.speaker), _quote_mark_url(context, q)) for q in quotes),
            tuple(c for _, _, c in context.claims_by_article.get(article.slug, ())))


@dataclass(frozen=True)
class _Rendered:
    """An article cache entry: the outcome, and the context whose actor names it was matched
    against (None when the article overrides names: its key then holds all of them).

    Adding or renaming one actor changes the names every article is matched against, but can
    change only the articles containing one of the changed names' first words: the others'
    outcomes are reused (``_Reuse``) instead of rendering every article again.
    """

    context: _ArticleContext | None
    outcome: _ArticleOutcome


class _Reuse:
    """Which cached outcomes still hold under the current actor names; for one link."""

    def __init__(self, cache: dict[object, object], context: _ArticleContext) -> None:
        self.cache, self.context = cache, context
        self._triggers: list[tuple[_ArticleContext, frozenset[bytes]]] = []

    def __call__(self, key: tuple[object, ...], markdown: bytes) -> _ArticleOutcome | None:
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

    def entry(self, article: Article, outcome: _ArticleOutcome) -> _Rendered:
        return _Rendered(None if _overrides_names(article) else self.context, outcome)

    def _changed_words(self, old: _ArticleContext) -> frozenset[bytes]:
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


def _quote_mark_url(context: _ArticleContext, quote: Quote) -> str:
    return context.urls.page("actor", quote.speaker, f"quote-{quote.id}")


def _article_job(site: Site, article: Article, context: _ArticleContext) -> _ArticleJob:
    quotes = site.quotes_by_article.get(article.slug, [])
    overridden = _overrides_names(article)
    shared = context.shared
    phrases = _phrases(site, dict(article.meta.aliases), article.meta.unlinked) if overridden else shared.phrases
    marks = [QuoteMark(q.id, q.text, context.names.get(q.speaker, q.speaker), _quote_mark_url(context, q))
             for q in quotes]
    annotations = Annotations(
        phrases=phrases, matcher=None if overridden else shared, actor_urls=context.actor_urls,
        quotes=marks, claims=[c for _, _, c in context.claims_by_article.get(article.slug, ())],
        link_mentions=site.config.link_mentions)
    return _ArticleJob(article.slug, article.markdown, article.body_line - 1, annotations)


@dataclass
class LinkState:
    """What one link leaves for ``relink``, kept by the caller between builds.

    With it, an edit to articles' text or to quotes is relinked in time proportional to what it
    touches, not to the size of the site.
    """

    context: _ArticleContext | None = None
    keys: dict[str, tuple[object, ...]] = field(default_factory=dict)  # slug -> its article cache key
    outcomes: dict[str, _ArticleOutcome] = field(default_factory=dict)
    rank: dict[str, int] = field(default_factory=dict)  # slug -> position in site.articles
    together: dict[str, Counter[str]] = field(default_factory=dict)  # actor -> other actor -> shared paragraphs
    # The build's diagnostics before the articles' own (loading, validation, references,
    # votes), and each article's own, so that a relink reports exactly what a full link would.
    head: list[Diagnostic] = field(default_factory=list)
    per_article: dict[str, list[Diagnostic]] = field(default_factory=dict)


@dataclass
class Touched:
    """The pages whose inputs a relink may have changed (besides the site-wide ones)."""

    articles: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    votes: set[str] = field(default_factory=set)
    # Whether anything the index pages show may have changed (depends.site_parts): the quotes,
    # who each article mentions and how often, where quotes are anchored.
    site_wide: bool = False


def _outcomes(site: Site, context: _ArticleContext, articles: list[Article], cache: dict[object, object],
              workers: int | None) -> tuple[list[tuple[object, ...]], list[_ArticleOutcome]]:
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


def _render_articles(site: Site, content: Content, urls: Urls, report: Report, cache: dict[object, object],
                     workers: int | None, state: LinkState) -> None:
    context = _article_context(site, urls)
    articles = list(site.articles.values())
    keys, outcomes = _outcomes(site, context, articles, cache, workers)
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


def _apply_outcome(site: Site, content: Content, context: _ArticleContext, article: Article,
                   outcome: _ArticleOutcome, report: Report) -> None:
    """An article's rendering into the site, except its mentions (indexed by the caller)."""
    slug = article.slug
    quotes = site.quotes_by_article.get(slug, [])
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
        _index_quotes(site)
        touched.site_wide = True
    keys, outcomes = _outcomes(site, context, articles, cache, workers=1)
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
    _warn_orphans(site, content, report)
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
        _severity(report, level, "unattributed-quote", f"direct quotation \u201c{short}\u201d is not attributed",
                  Location(path, line), "add it to a quotes file with its speaker")


def _index_related(site: Site, state: LinkState) -> None:
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in state.outcomes.values():
        for actor, other, count in outcome.together:
            together[actor][other] += count
    state.together = dict(together)
    site.related = {actor: _ranked(counts) for actor, counts in sorted(together.items())}


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _warn_orphans(site: Site, content: Content, report: Report) -> None:
    level = site.config.validation.orphan_actor
    if level == "ignore" or site.broken:
        return  # with files that failed validation, "never referenced" would mostly be noise
    referenced = set(site.mentions) | set(site.quotes_by_speaker) | set(site.voting_records)
    referenced |= {q.said_to for q in site.quotes.values() if q.said_to}
    referenced |= {a.meta.outlet for a in site.articles.values() if a.meta.outlet}
    referenced |= {link.actor for actor in site.actors.values() for link in actor.links}
    for actor_id in content.actors:
        if actor_id not in referenced:
            _severity(report, level, "orphan-actor", f"actor '{actor_id}' is never mentioned, quoted or linked",
                      content.origin("actor", actor_id).at("id"), "mention it in an article or remove the file")
