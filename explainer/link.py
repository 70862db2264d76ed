"""Stage 4, link: validated content -> Site (references resolved, backlinks indexed).

Everything is gathered before anything is rendered, because an actor page needs every
article that mentions the actor, and an article needs every actor's name to find mentions.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .diagnose import suggest
from .errors import Location, Report
from .markdown import Annotations, ClaimMark, PhraseMatcher, QuoteMark, make_markdown, render_article
from .parallel import map_chunks
from .model import Actor, Article, Ballot, Mention, RenderedBody, Site, SiteConfig, Vote, VoteRecord
from .textmatch import closest_passage, find_quote, fold
from .unstates import PERMANENT_MEMBERS, load_member_states
from .urls import Urls
from .validate import Content, Origin

SC_SEATS = 15
SC_ADOPTION_THRESHOLD = 9


def link(content: Content, config: SiteConfig, urls: Urls, report: Report,
         article_cache: dict[object, object] | None = None, workers: int | None = None) -> Site:
    """Resolve and index everything.

    ``article_cache`` (owned by the caller, kept between builds) maps everything an article's
    rendering depends on to its rendered outcome, so an unchanged article is not re-rendered.
    """
    site = Site(config=config, articles=dict(sorted(content.articles.items(), key=_newest_first)),
                actors=dict(content.actors), quotes=dict(content.quotes), votes=dict(content.votes),
                broken=set(content.broken))
    _index_actor_codes(site, content, report)
    _check_actor_links(site, content, report)
    _check_quote_references(site, content, report)
    _check_article_references(site, content, report)
    for vote in site.votes.values():
        _resolve_vote(site, vote, content.origin("vote", vote.id), report)
    outcomes = _render_articles(site, content, urls, report, article_cache if article_cache is not None else {},
                                workers)
    _index_related(site, outcomes)
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


def _unknown_actor(site: Site, actor: str, where: Location, report: Report, role: str) -> None:
    if ("actor", actor) in site.broken:
        return  # its own file failed validation and was reported there
    report.error("unknown-reference", f"{role} '{actor}' is not defined{suggest(actor, site.actors)}", where,
                 f"add content/actors/{actor}.yaml or use an existing actor id")


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


def _member_actor(site: Site, key: str) -> str | None:
    """The actor id for a vote member given by actor id or ISO3 code; generates UN members."""
    if key in site.actors:
        return key
    code = key.upper()
    if code in site.actor_by_code:
        return site.actor_by_code[code]
    state = load_member_states().get(code)
    if state is None:
        return None
    actor_id = _slug(state.name)
    if actor_id in site.actors and site.actors[actor_id].iso3 != code:
        actor_id = code.lower()
    site.actors[actor_id] = Actor(id=actor_id, kind="state", name=state.name, iso3=code,
                                  description=f"UN member state ({state.sub_region or state.region}).")
    site.generated_actors.add(actor_id)
    site.actor_by_code[code] = actor_id
    return actor_id


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "state"


def _check_actor_links(site: Site, content: Content, report: Report) -> None:
    for actor in content.actors.values():
        origin = content.origin("actor", actor.id)
        for index, link in enumerate(actor.links):
            if link.actor not in site.actors:
                _unknown_actor(site, link.actor, origin.at("links", index, "actor"), report, "linked actor")


def _check_quote_references(site: Site, content: Content, report: Report) -> None:
    for quote in site.quotes.values():
        origin = content.origin("quote", quote.id)
        if quote.speaker not in site.actors:
            _unknown_actor(site, quote.speaker, origin.at("speaker"), report, "speaker")
        if quote.said_to is not None and quote.said_to not in site.actors:
            _unknown_actor(site, quote.said_to, origin.at("said_to"), report, "said_to")
        if quote.article not in site.articles:
            if ("article", quote.article) in site.broken:
                continue
            report.error("unknown-reference",
                         f"article '{quote.article}' does not exist{suggest(quote.article, site.articles)}",
                         origin.at("article"), "use the slug of an article in content/articles/")
        elif quote.said_on is None:
            _severity(report, site.config.validation.quote_without_date, "quote-without-date",
                      f"quote '{quote.id}' has no said_on date", origin.at("id"), "add said_on: YYYY-MM-DD if known")
        site.quotes_by_speaker.setdefault(quote.speaker, []).append(quote)
        site.quotes_by_article.setdefault(quote.article, []).append(quote)
    for quotes in site.quotes_by_speaker.values():
        quotes.sort(key=lambda q: (q.said_on.toordinal() if q.said_on else 0, q.id))


def _check_article_references(site: Site, content: Content, report: Report) -> None:
    for article in site.articles.values():
        origin = content.origin("article", article.slug)
        if article.meta.outlet is not None and article.meta.outlet not in site.actors:
            _unknown_actor(site, article.meta.outlet, origin.at("outlet"), report, "outlet")
        for phrase, actor in article.meta.aliases.items():
            if actor not in site.actors:
                _unknown_actor(site, actor, origin.at("aliases", phrase), report, "alias target")
    for vote in site.votes.values():
        origin = content.origin("vote", vote.id)
        for index, claim in enumerate(vote.claims):
            if claim.article not in site.articles and ("article", claim.article) not in site.broken:
                report.error("unknown-reference",
                             f"article '{claim.article}' does not exist{suggest(claim.article, site.articles)}",
                             origin.at("claims", index, "article"), "use the slug of an article in content/articles/")


# --- votes ------------------------------------------------------------------------------


def _resolve_members(site: Site, members: dict[str, str], origin: Origin, keys: tuple[object, ...],
                     report: Report) -> list[Ballot]:
    ballots: list[Ballot] = []
    seen: dict[str, str] = {}
    for key, choice in members.items():
        actor = _member_actor(site, key)
        if actor is None:
            known = list(site.actors) + list(load_member_states())
            report.error("unknown-reference", f"member '{key}' is neither an actor nor a UN member code{suggest(key, known)}",
                         origin.at(*keys, key), "use an ISO 3166-1 alpha-3 code such as USA, or an actor id")
            continue
        if actor in seen:
            report.error("duplicate-member", f"member '{key}' is listed twice (also as '{seen[actor]}')",
                         origin.at(*keys, key), "keep one entry per member")
            continue
        seen[actor] = key
        code = site.actors[actor].iso3 or key
        ballots.append(Ballot(actor=actor, code=code, vote=choice))
    return ballots


def _resolve_vote(site: Site, vote: Vote, origin: Origin, report: Report) -> None:
    for field_name, keys in (("drafter", [vote.drafter] if vote.drafter else []), ("sponsors", vote.sponsors)):
        for index, key in enumerate(keys):
            if _member_actor(site, key) is None:
                where = origin.at(field_name) if field_name == "drafter" else origin.at(field_name, index)
                _unknown_actor(site, key, where, report, field_name.rstrip("s"))
    ballots = _resolve_members(site, vote.members, origin, ("members",), report)
    site.ballots[(vote.id, None)] = ballots
    # Keyed like site.ballots: a repeated amendment id keeps its last list, as the page shows.
    cast: dict[str | None, list[Ballot]] = {None: ballots}
    _check_tally(vote, ballots, origin, (), report)
    amendment_ids: set[str] = set()
    for index, amendment in enumerate(vote.amendments):
        keys = ("amendments", index)
        if amendment.id in amendment_ids:
            # Both would share one anchor on the vote page and one list of ballots.
            report.error("duplicate-id", f"amendment id '{amendment.id}' is used twice in vote '{vote.id}'",
                         origin.at(*keys, "id"), "give each amendment its own id")
        amendment_ids.add(amendment.id)
        for key_index, key in enumerate(amendment.proposers):
            if _member_actor(site, key) is None:
                _unknown_actor(site, key, origin.at(*keys, "proposers", key_index), report, "proposer")
        for key_index, key in enumerate(amendment.vetoed_by):
            if _member_actor(site, key) is None:
                _unknown_actor(site, key, origin.at(*keys, "vetoed_by", key_index), report, "vetoed_by")
        amendment_ballots = _resolve_members(site, amendment.members, origin, (*keys, "members"), report)
        site.ballots[(vote.id, amendment.id)] = amendment_ballots
        cast[amendment.id] = amendment_ballots
    for amendment_id, ballots in cast.items():
        for ballot in ballots:
            site.voting_records.setdefault(ballot.actor, []).append(VoteRecord(vote.id, amendment_id, ballot.vote))


def _check_tally(vote: Vote, ballots: list[Ballot], origin: Origin, keys: tuple[object, ...], report: Report) -> None:
    counted = Counter(b.vote for b in ballots)
    for choice in ("yes", "no", "abstain", "absent"):
        declared = vote.tally.get(choice)
        if declared is None:
            continue
        if counted[choice] > declared:
            report.error("tally", f"{counted[choice]} members are listed as '{choice}' but the tally declares {declared}",
                         origin.at(*keys, "tally", choice), "correct the tally or the member list")
        elif vote.members_complete and counted[choice] != declared:
            report.error("tally", f"members_complete is true but {counted[choice]} members voted '{choice}' "
                         f"against a declared {declared}", origin.at(*keys, "tally", choice),
                         "add the missing members or set members_complete: false")
    declared_total = sum(v for v in (vote.tally.get(c) for c in ("yes", "no", "abstain", "absent")) if v is not None)
    if vote.body == "security-council":
        _check_council(vote, ballots, declared_total, origin, report)
    else:
        _check_assembly(vote, origin, report)


def _check_council(vote: Vote, ballots: list[Ballot], declared_total: int, origin: Origin, report: Report) -> None:
    if len(ballots) > SC_SEATS or declared_total > SC_SEATS:
        report.error("tally", f"the Security Council has {SC_SEATS} members, this vote counts "
                     f"{max(len(ballots), declared_total)}", origin.at("members"), "remove the extra members")
    yes = vote.tally.yes
    vetoed = any(b.vote == "no" and b.code in PERMANENT_MEMBERS for b in ballots)
    if yes is None:
        return
    adopted = yes >= SC_ADOPTION_THRESHOLD and not vetoed
    if vote.result == "adopted" and not adopted:
        reason = "a permanent member voted no" if vetoed else f"only {yes} voted yes, {SC_ADOPTION_THRESHOLD} are needed"
        report.error("result", f"result 'adopted' contradicts the tally: {reason}", origin.at("result"),
                     "check the result and the votes")
    elif vote.result == "rejected" and adopted and vote.members_complete:
        report.error("result", "result 'rejected' contradicts the tally: 9 or more voted yes and no permanent member "
                     "voted no", origin.at("result"), "check the result and the votes")


def _check_assembly(vote: Vote, origin: Origin, report: Report) -> None:
    yes, no = vote.tally.yes, vote.tally.no
    if yes is None or no is None:
        return
    needed = "two-thirds" if vote.majority == "two-thirds" else "simple"
    adopted = yes * 3 >= 2 * (yes + no) if needed == "two-thirds" else yes > no
    if (vote.result == "adopted") != adopted:
        report.error("result", f"result '{vote.result}' contradicts the tally {yes} yes to {no} no under a {needed} "
                     "majority", origin.at("result"), "check the result, the tally and the majority field")


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
    body: str
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
        rendered = render_article(md, job.body, job.annotations, line_offset=job.line_offset)
        state = rendered.state
        # Built here, once per rendering, so a rebuild that reuses the outcome makes nothing anew.
        mentions = tuple(Mention(hit.actor, job.slug, hit.anchor, hit.excerpt) for hit in state.mentions)
        outcomes.append(_ArticleOutcome(job.slug, RenderedBody(rendered.html, tuple(state.paragraph_ids)), mentions,
                                        state.quote_anchors, state.claims_found, state.direct_quotes,
                                        _together(mentions)))
    return outcomes


def _article_job(site: Site, article: Article, shared: PhraseMatcher, actor_urls: dict[str, str],
                 names: dict[str, str], claims_by_article: dict[str, list[tuple[Vote, int, ClaimMark]]],
                 urls: Urls) -> _ArticleJob:
    quotes = site.quotes_by_article.get(article.slug, [])
    overridden = bool(article.meta.aliases or article.meta.unlinked)
    phrases = _phrases(site, dict(article.meta.aliases), article.meta.unlinked) if overridden else shared.phrases
    marks = [QuoteMark(q.id, q.text, names.get(q.speaker, q.speaker), urls.page("actor", q.speaker, f"quote-{q.id}"))
             for q in quotes]
    annotations = Annotations(
        phrases=phrases, matcher=None if overridden else shared, actor_urls=actor_urls,
        quotes=marks, claims=[c for _, _, c in claims_by_article.get(article.slug, ())],
        link_mentions=site.config.link_mentions)
    return _ArticleJob(article.slug, article.body, article.body_line - 1, annotations)


def _render_articles(site: Site, content: Content, urls: Urls, report: Report, cache: dict[object, object],
                     workers: int | None) -> list[_ArticleOutcome]:
    actor_urls = {actor_id: urls.page("actor", actor_id) for actor_id in site.actors}
    names = {actor_id: actor.name for actor_id, actor in site.actors.items()}
    claims_by_article: dict[str, list[tuple[Vote, int, ClaimMark]]] = defaultdict(list)
    for vote in site.votes.values():
        for index, claim in enumerate(vote.claims):
            mark = ClaimMark(f"{vote.id}-{index + 1}", claim.text, claim.note, urls.page("vote", vote.id),
                             f"See the record of {vote.resolution}.")
            claims_by_article[claim.article].append((vote, index, mark))
    shared = PhraseMatcher(_phrases(site, {}, ()))
    shared_key = hash((tuple(sorted(shared.phrases.items(), key=str)), tuple(sorted(actor_urls.items())),
                       site.config.link_mentions))
    keys = []
    for article in site.articles.values():
        quotes = site.quotes_by_article.get(article.slug, [])
        overridden = bool(article.meta.aliases or article.meta.unlinked)
        phrases_key = shared_key if not overridden else hash((shared_key, tuple(sorted(article.meta.aliases.items())),
                                                               tuple(article.meta.unlinked)))
        # Everything the rendering depends on, cheap to build: annotations are made only for
        # the articles that are actually rendered (below).
        keys.append((article.slug, article.body, article.body_line - 1, phrases_key,
                     tuple((q.id, q.text, q.speaker, names.get(q.speaker)) for q in quotes),
                     tuple(c for _, _, c in claims_by_article.get(article.slug, ()))))
    todo = [index for index, key in enumerate(keys) if key not in cache]
    slugs = list(site.articles)
    jobs = [_article_job(site, site.articles[slugs[i]], shared, actor_urls, names, claims_by_article, urls)
            for i in todo]
    fresh = map_chunks(_render_jobs, jobs, len(jobs), workers=workers)
    for index, outcome in zip(todo, fresh):
        cache[keys[index]] = outcome
    live = set(keys)
    for stale in [key for key in cache if key not in live]:
        del cache[stale]
    outcomes = []
    for key in keys:
        outcome = cache[key]
        if not isinstance(outcome, _ArticleOutcome):  # only this function fills the cache
            raise TypeError(f"unexpected article cache entry for {key[0]}")
        outcomes.append(outcome)
        article = site.articles[outcome.slug]
        quotes = site.quotes_by_article.get(article.slug, [])
        site.bodies[article.slug] = outcome.body
        for mention in outcome.mentions:
            site.mentions.setdefault(mention.actor, []).append(mention)
        seen = dict.fromkeys(mention.actor for mention in outcome.mentions)
        for quote in quotes:
            if quote.speaker in site.actors:
                seen.setdefault(quote.speaker)
        site.article_actors[article.slug] = list(seen)
        _check_quotes_found(site, content, article.slug, quotes, outcome.quote_anchors, report)
        for vote, index, mark in claims_by_article[article.slug]:
            if mark.claim_id not in outcome.claims_found:
                report.error("claim-not-found", f"the claim is not in article '{article.slug}' (closest passage: "
                             f"\"{closest_passage(article.body, mark.text)}\")",
                             content.origin("vote", vote.id).at("claims", index, "text"),
                             "copy the passage verbatim from the article")
        _warn_unattributed(site, article.path, quotes, outcome.direct_quotes, report)
    return outcomes


def _check_quotes_found(site: Site, content: Content, slug: str, quotes: list, anchors: dict[str, str],
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


def _warn_unattributed(site: Site, path: str, quotes: list, found: list[tuple[str, int]], report: Report) -> None:
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


def _index_related(site: Site, outcomes: list[_ArticleOutcome]) -> None:
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in outcomes:
        for actor, other, count in outcome.together:
            together[actor][other] += count
    for actor, counts in together.items():
        site.related[actor] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))


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
