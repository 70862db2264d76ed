"""Stage 3, validate: RawDocument -> typed model objects (shape and identity checks).

References between objects are checked later, in link.py, once everything is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnose import position, report_validation_error
from .errors import Location, Report
from .load import RawDocument
from .model import Actor, Article, ArticleMeta, Quote, Vote
from .yamlio import LineList


@dataclass(frozen=True)
class Origin:
    """Where an object was written: its file and the raw data (which knows its line numbers)."""

    path: str
    data: Any

    def at(self, *keys: Any) -> Location:
        line, col = position(self.data, keys)
        return Location(self.path, line, col)


@dataclass
class Content:
    """Validated objects, keyed by id, with where each came from."""

    articles: dict[str, Article] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    votes: dict[str, Vote] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    # Ids of documents that failed validation: references to them are not reported again.
    broken: set[tuple[str, str]] = field(default_factory=set)

    def origin(self, kind: str, key: str) -> Origin:
        return self.origins[(kind, key)]


def validate(documents: list[RawDocument], report: Report) -> Content:
    content = Content()
    for document in documents:
        if document.failed:
            content.broken.add((document.kind, document.stem))
        elif document.kind == "article":
            _add_article(document, content, report)
        elif document.kind == "actor":
            _add_one(document, Actor, content.actors, "actor", content, report)
        elif document.kind == "vote":
            _add_one(document, Vote, content.votes, "vote", content, report)
        elif document.kind == "quotes":
            _add_quotes(document, content, report)
    return content


def _parse(model: type[BaseModel], data: Any, path: str, report: Report, what: str) -> Any:
    if not isinstance(data, dict):
        found = "nothing" if data is None else type(data).__name__.replace("Line", "").lower()
        report.error("schema", f"expected {what} as a mapping of fields, found {found}",
                     Location(path, getattr(data, "line", 1) or 1), "see the example files in the README")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        report_validation_error(exc, data, path, model, report)
        return None


def _claim_id(kind: str, key: str, origin: Origin, content: Content, report: Report, id_key: str = "id") -> bool:
    existing = content.origins.get((kind, key))
    if existing is not None:
        first = existing.at(id_key)
        report.error("duplicate-id", f"duplicate {kind} id '{key}' (already used at {first})", origin.at(id_key),
                     f"give this {kind} another id")
        return False
    content.origins[(kind, key)] = origin
    return True


def _add_one(document: RawDocument, model: type[Actor] | type[Vote], registry: dict[str, Any], kind: str,
             content: Content, report: Report) -> None:
    obj = _parse(model, document.data, document.path, report, f"an {kind}" if kind == "actor" else f"a {kind}")
    if obj is None:
        _mark_broken(content, kind, document.data, document.stem)
        return
    origin = Origin(document.path, document.data)
    if obj.id != document.stem:
        report.warning("file-name", f"{kind} id '{obj.id}' differs from its file name '{document.stem}'",
                       origin.at("id"), f"rename the file to {obj.id}.yaml so it is easy to find")
    if _claim_id(kind, obj.id, origin, content, report):
        registry[obj.id] = obj


def _add_article(document: RawDocument, content: Content, report: Report) -> None:
    meta = _parse(ArticleMeta, document.data, document.path, report, "front matter")
    if meta is None:
        _mark_broken(content, "article", {"id": document.data.get("slug")} if isinstance(document.data, dict) else None,
                     document.stem)
        return
    slug = meta.slug or document.stem
    if meta.slug is None and not _is_slug(slug):
        report.error("schema", f"the file name '{document.stem}' cannot be used as a URL slug",
                     Location(document.path, 1), "rename the file (lowercase, digits, hyphens) or add a slug field")
        return
    origin = Origin(document.path, document.data)
    if _claim_id("article", slug, origin, content, report, id_key="slug"):
        content.articles[slug] = Article(meta=meta, slug=slug, body=document.body, path=document.path,
                                         body_line=document.body_line)


def _mark_broken(content: Content, kind: str, data: Any, stem: str) -> None:
    content.broken.add((kind, stem))
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        content.broken.add((kind, data["id"]))


def _is_slug(text: str) -> bool:
    return re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text) is not None and len(text) <= 80


def _add_quotes(document: RawDocument, content: Content, report: Report) -> None:
    data = document.data
    if not isinstance(data, LineList):
        report.error("schema", "a quotes file must be a YAML list of quotes (lines starting with '- ')",
                     Location(document.path, getattr(data, "line", 1) or 1), "see the example in the README")
        return
    for index, item in enumerate(data):
        item_origin = Origin(document.path, item)
        if not isinstance(item, dict):
            line, col = data.pos(index)
            report.error("schema", f"quote [{index}] must be a mapping of fields", Location(document.path, line, col),
                         "write id:, speaker:, text: and article: under the '- '")
            continue
        try:
            quote = Quote.model_validate(item)
        except ValidationError as exc:
            report_validation_error(exc, item, document.path, Quote, report, loc_prefix=(index,))
            _mark_broken(content, "quote", item, "")
            continue
        if _claim_id("quote", quote.id, item_origin, content, report):
            content.quotes[quote.id] = quote
