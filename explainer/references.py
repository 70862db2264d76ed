"""Part of the link stage: reference checks. Every id an object names (a quote's speaker and
article, an actor's links, an article's outlet and aliases, a vote's claims) exists, with
severities from config; the actors no one references are reported last."""

from __future__ import annotations

from .actorrefs import unknown_actor
from .diagnose import suggest
from .errors import Location, Report
from .model import Quote
from .resolved import Site
from .unstates import load_member_states
from .validate import Content, Origin


def report_at_level(report: Report, level: str, code: str, message: str, where: Location, hint: str) -> None:
    if level == "error":
        report.error(code, message, where, hint)
    elif level == "warning":
        report.warning(code, message, where, hint)


def index_actor_codes(site: Site, content: Content, report: Report) -> None:
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


def check_actor_links(site: Site, content: Content, report: Report) -> None:
    for actor in content.actors.values():
        origin = content.origin("actor", actor.id)
        for index, link in enumerate(actor.links):
            if link.actor not in site.actors:
                unknown_actor(site, link.actor, origin.at("links", index, "actor"), report, "linked actor")


def check_quote_references(site: Site, content: Content, report: Report) -> None:
    for quote in site.quotes.values():
        check_quote(site, quote, content.origin("quote", quote.id), report)
    index_quotes(site)


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
        report_at_level(report, site.config.validation.quote_without_date, "quote-without-date",
                  f"quote '{quote.id}' has no said_on date", origin.at("id"), "add said_on: YYYY-MM-DD if known")


def _annotated(site: Site, actor: str) -> bool:
    # Actors generated from the member-state list are made after quotes are checked in a full
    # link: relinking an edited quote must not accept them either.
    return actor in site.actors and actor not in site.generated_actors


def index_quotes(site: Site) -> None:
    site.quotes_by_speaker, site.quotes_by_article = {}, {}
    for quote in site.quotes.values():
        if quote.article not in site.articles and ("article", quote.article) in site.broken:
            continue  # reported with the article's own file
        site.quotes_by_speaker.setdefault(quote.speaker, []).append(quote)
        site.quotes_by_article.setdefault(quote.article, []).append(quote)
    for quotes in site.quotes_by_speaker.values():
        quotes.sort(key=lambda q: (q.said_on.toordinal() if q.said_on else 0, q.id))


def check_article_references(site: Site, content: Content, report: Report) -> None:
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


def warn_orphans(site: Site, content: Content, report: Report) -> None:
    level = site.config.validation.orphan_actor
    if level == "ignore" or site.broken:
        return  # with files that failed validation, "never referenced" would mostly be noise
    referenced = set(site.mentions) | set(site.quotes_by_speaker) | set(site.voting_records)
    referenced |= {q.said_to for q in site.quotes.values() if q.said_to}
    referenced |= {a.meta.outlet for a in site.articles.values() if a.meta.outlet}
    referenced |= {link.actor for actor in site.actors.values() for link in actor.links}
    for actor_id in content.actors:
        if actor_id not in referenced:
            report_at_level(report, level, "orphan-actor", f"actor '{actor_id}' is never mentioned, quoted or linked",
                      content.origin("actor", actor_id).at("id"), "mention it in an article or remove the file")
