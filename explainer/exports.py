"""The site's data as files researchers take away: JSON, CSV and Popolo under /data/.

Every export is a pure function of the resolved site, so the files are deterministic (sorted
keys, sorted records, no clock) and are made by the same render path as the pages. The shapes
are documented by the JSON Schemas in ``explainer/data/schemas/`` (published beside the files)
and, for ``popolo.json``, by the Popolo project's own schemas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import TypeAdapter

from . import undl
from .corrections import quote_place
from .i18n import N_
from .model import Actor, ArticleMeta, Quote, Vote
from .popolo import Popolo
from .resolved import Site
from .schema import DRAFT, ID_BASE
from .unstates import PERMANENT_MEMBERS, load_member_states
from .unsymbols import un_document_url
from .urls import Urls, wikidata_url

DATA_DIR = "data/"
# name -> what it holds, for the /data/ page (translated there: N_ only marks it) and the README.
FILES = {
    "actors.json": N_("Every actor: people, states, organisations, outlets and groups, with aliases, roles, "
                   "ISO and Wikidata identifiers and affiliations."),
    "articles.json": N_("Every article's metadata (title, date, outlet, original URL, summary), the actors it "
                     "names and the quotes in it; not the article text."),
    "quotes.json": N_("Every attributed quote: who said it, to whom, when, in which article, verbatim."),
    "quotes.csv": N_("The same quotes as a table, one row per quote (UTF-8, comma-separated)."),
    "votes.json": N_("Every UN vote: body, symbols, date, result, declared tally, each member's vote and the "
                  "amendments."),
    "popolo.json": N_("Persons, organizations, memberships, motions and vote events in the Popolo "
                   "open-government data shape (popoloproject.com)."),
}
SCHEMA_FILES = ("actors", "articles", "quotes", "votes")


# The page kinds whose own slice of data each file kind is: a slice changes exactly when the
# page's inputs do: it records what it reads of the site (record.py) as its page does.
SLICE_OF = {"article-data": "article", "actor-data": "actor", "vote-data": "vote", "vote-csv": "vote"}


def site_files() -> list[str]:
    """The files about the whole site, site-relative."""
    return [DATA_DIR + name for name in (*FILES, *(f"schemas/{name}.schema.json" for name in SCHEMA_FILES))]


def slice_files(site: Site) -> list[tuple[str, str, str]]:
    """(path, kind, key) of each article's, actor's and vote's own file, in a stable order."""
    files = [(f"{DATA_DIR}articles/{slug}.json", "article-data", slug) for slug in sorted(site.articles)]
    files += [(f"{DATA_DIR}actors/{actor_id}.json", "actor-data", actor_id) for actor_id in sorted(site.actors)]
    for vote_id in sorted(site.votes):
        files += [(f"{DATA_DIR}votes/{vote_id}.json", "vote-data", vote_id),
                  (f"{DATA_DIR}votes/{vote_id}.csv", "vote-csv", vote_id)]
    return files


def data_file(site: Site, urls: Urls, path: str) -> bytes:
    """One file of ``site_files`` or ``slice_files``; each is made on its own, so a worker renders
    only its share."""
    exporter = _Exporter(site, urls)
    name = path.removeprefix(DATA_DIR)
    folder, _, file = name.partition("/")
    stem, _, suffix = file.rpartition(".")
    if folder == "articles" and file:
        return _json({"article": exporter.article(stem),
                      "quotes": [exporter.quote(q) for q in site.quotes_by_article.get(stem, [])]})
    if folder == "actors" and file:
        return _json(exporter.actor_slice(site.actors[stem]))
    if folder == "votes" and file:
        vote = site.votes[stem]
        return exporter.vote_csv(vote) if suffix == "csv" else _json(exporter.vote(vote))
    if folder == "schemas":
        return _json(export_schema(file.removesuffix(".schema.json")))
    tops: dict[str, Callable[[], bytes]] = {
        "actors.json": lambda: _json({"actors": [exporter.actor(actor) for actor in _sorted(site.actors)]}),
        "articles.json": lambda: _json({"articles": [exporter.article(slug) for slug in sorted(site.articles)]}),
        "quotes.json": lambda: _json({"quotes": [exporter.quote(quote) for quote in _quotes(site)]}),
        "quotes.csv": exporter.quotes_csv,
        "votes.json": lambda: _json({"votes": [exporter.vote(vote) for vote in _sorted(site.votes)]}),
        "popolo.json": lambda: _json(Popolo(site, exporter.page, exporter.member_codes).document()),
    }
    return tops[name]()


_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": _TEXT}
# The content model of each list file, and what the export adds to each record.
_RECORDS: dict[str, tuple[Any, dict[str, Any]]] = {
    "actors": (Actor, {"url": _TEXT, "generated": {"type": "boolean"}, "wikidata_url": _TEXT}),
    "articles": (ArticleMeta, {"slug": _TEXT, "url": _TEXT, "actors": _TEXTS, "quotes": _TEXTS}),
    "quotes": (Quote, {"speaker_name": _TEXT, "said_to_name": _TEXT, "url": _TEXT,
                       "withdrawn": {"type": "string", "format": "date"}}),
    "votes": (Vote, {"url": _TEXT, "library_urls": {"type": "object", "additionalProperties": _TEXT},
                     "rule": _TEXT}),
}


def export_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of ``<name>.json``, from the same models the build validates content
    with, plus what the export adds (links, names): one definition, never a hand-kept copy."""
    model, extra = _RECORDS[name]
    item: dict[str, Any] = TypeAdapter(model).json_schema(mode="serialization")
    definitions = item.pop("$defs", {})
    for name_unsaid in _UNSAID[model]:
        item["properties"].pop(name_unsaid, None)
    item["properties"].update(extra)
    item["required"] = sorted({*item.get("required", ()), "url"})
    schema: dict[str, Any] = {
        "$schema": DRAFT, "$id": f"{ID_BASE}data/{name}.schema.json", "title": f"Explainer {name}.json",
        "description": FILES[f"{name}.json"], "type": "object", "required": [name],
        "additionalProperties": False, "properties": {name: {"type": "array", "items": item}}}
    if definitions:
        schema["$defs"] = definitions
    return schema


def as_of(site: Site) -> str:
    """The date the data describes: the newest article, vote or quote date (never the clock, so
    that the same content gives the same files)."""
    dates = [article.meta.date for article in site.articles.values()]
    dates += [vote.date for vote in site.votes.values()]
    dates += [quote.said_on for quote in site.quotes.values() if quote.said_on]
    return max(dates).isoformat() if dates else ""


# Publication flags (publish.py): everything exported is published, so they say nothing (a
# vote's "draft" is the symbol of its draft resolution, which stays).
# Old paths (redirect_from) are the site's business, not the data's.
_UNSAID: dict[Any, set[str]] = {Actor: {"draft", "redirect_from"},
                                ArticleMeta: {"draft", "publish_at", "redirect_from"},
                                Quote: {"draft"}, Vote: {"unpublished", "redirect_from"}}


def _json(value: object) -> bytes:
    # ensure_ascii off: "Côte d’Ivoire" stays readable in every tool; sorted keys keep diffs small.
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _sorted(items: dict[str, Any]) -> list[Any]:
    return [items[key] for key in sorted(items)]


def _quotes(site: Site) -> list[Quote]:
    return sorted(site.quotes.values(), key=lambda quote: (quote.article, quote.id))


def _csv(rows: Iterable[Iterable[object]]) -> bytes:
    # No byte-order mark (LibreOffice and Python's csv read UTF-8 without one), \r\n as RFC 4180 says.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue().encode("utf-8")


class _Exporter:
    def __init__(self, site: Site, urls: Urls) -> None:
        self.site = site
        self.urls = urls

    def url(self, link: str) -> str:
        return self.urls.absolute(link) or link

    def page(self, kind: str, key: str, anchor: str | None = None) -> str:
        return self.url(self.urls.page(kind, key, anchor))

    # --- records ---------------------------------------------------------------------------

    def actor(self, actor: Actor) -> dict[str, Any]:
        record = actor.model_dump(mode="json", exclude_none=True, exclude=_UNSAID[Actor])
        record["url"] = self.page("actor", actor.id)
        record["generated"] = actor.id in self.site.generated_actors
        if actor.wikidata:
            record["wikidata_url"] = wikidata_url(actor.wikidata)
        return record

    def actor_slice(self, actor: Actor) -> dict[str, Any]:
        site = self.site
        mentioned = dict.fromkeys(mention.article for mention in site.mentions.get(actor.id, []))
        return {
            "actor": self.actor(actor),
            "quotes": [self.quote(quote) for quote in site.quotes_by_speaker.get(actor.id, [])],
            "votes": [{"vote": record.vote, "amendment": record.amendment, "choice": record.choice,
                       "url": self.page("vote", record.vote)}
                      for record in site.voting_records.get(actor.id, [])],
            "articles": [{"slug": slug, "title": site.articles[slug].meta.title, "url": self.page("article", slug)}
                         for slug in mentioned if slug in site.articles],
        }

    def article(self, slug: str) -> dict[str, Any]:
        article = self.site.articles[slug]
        record = article.meta.model_dump(mode="json", exclude_none=True, exclude=_UNSAID[ArticleMeta])
        record["slug"] = slug
        record["url"] = self.page("article", slug)
        record["actors"] = list(self.site.article_actors.get(slug, []))
        record["quotes"] = [quote.id for quote in self.site.quotes_by_article.get(slug, [])]
        return record

    def quote(self, quote: Quote) -> dict[str, Any]:
        record = quote.model_dump(mode="json", exclude_none=True, exclude=_UNSAID[Quote])
        record["speaker_name"] = self._name(quote.speaker)
        if quote.said_to:
            record["said_to_name"] = self._name(quote.said_to)
        # a withdrawn quote is no longer in its article: its trace is on the speaker's page
        record["url"] = self.url(quote_place(self.site, self.urls, quote))
        if quote.withdrawn is not None:
            record["withdrawn"] = quote.withdrawn.date.isoformat()
        return record

    def vote(self, vote: Vote) -> dict[str, Any]:
        record = vote.model_dump(mode="json", exclude_none=True, exclude=_UNSAID[Vote])
        outcome = self.site.outcomes.get((vote.id, None))
        if outcome is not None:  # computed by the body's rule (unrules.py), written or not
            record.update(result=outcome.result, vetoed_by=list(outcome.vetoed_by), rule=outcome.rule)
        record["url"] = self.page("vote", vote.id)
        record["members"] = {code: choice for code, choice in sorted(vote.members.items())}
        links = {field: un_document_url(getattr(vote, field)) for field in ("resolution", "draft", "meeting")}
        record["library_urls"] = {field: link for field, link in links.items() if link}
        return record

    def _name(self, actor_id: str) -> str:
        actor = self.site.actors.get(actor_id)
        return actor.name if actor else actor_id

    # --- tables ----------------------------------------------------------------------------

    def quotes_csv(self) -> bytes:
        header = ("id", "speaker", "speaker_name", "text", "article", "said_on", "said_to", "said_to_name",
                  "channel", "context", "url", "withdrawn")
        rows: list[tuple[object, ...]] = [header]
        for quote in _quotes(self.site):
            record = self.quote(quote)
            rows.append(tuple(record.get(column) for column in header))
        return _csv(rows)

    def vote_csv(self, vote: Vote) -> bytes:
        """One vote in the UN Digital Library's long shape: ``import-vote`` reads it back."""
        columns = undl.COLUMNS[vote.body]
        states = load_member_states()
        tally = vote.tally
        shared = {
            "undl_id": "", "date": vote.date.isoformat(), "resolution": vote.resolution, "draft": vote.draft,
            "meeting": vote.meeting, "title": vote.title, "description": vote.title,
            "session": _session(vote.resolution),
            **{column: getattr(tally, choice) for column, choice in undl.TOTAL_COLUMNS.items()},
            "total_ms": sum(count or 0 for count in (tally.yes, tally.no, tally.abstain, tally.absent)) or None,
            "modality": "Voting", "undl_link": vote.source.url if vote.source and vote.source.url else "",
        }
        rows: list[tuple[object, ...]] = [columns]
        for code, choice in sorted(self.member_codes(vote).items()):
            state = states.get(code)
            row = dict(shared, ms_code=code, ms_name=state.name if state else code,
                       ms_vote=undl.CODE_OF_VOTE[choice], permanent_member=str(code in PERMANENT_MEMBERS))
            rows.append(tuple(row.get(column) for column in columns))
        return _csv(rows)

    def member_codes(self, vote: Vote) -> dict[str, str]:
        """Members by ISO alpha-3 code, whether the file names them by code or by actor id."""
        codes: dict[str, str] = {}
        for key, choice in vote.members.items():
            actor = self.site.actors.get(key)
            codes[actor.iso3 if actor is not None and actor.iso3 else key] = choice
        return codes


def _session(resolution: str) -> str:
    """The General Assembly session of a resolution symbol ('ES-11' of 'A/RES/ES-11/7')."""
    parts = resolution.split("/")
    return parts[2] if len(parts) > 3 and parts[:2] == ["A", "RES"] else ""
