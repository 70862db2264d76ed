"""Stage 3, validate: RawDocument -> typed model objects (shape and identity checks).

References between objects are checked later, in the link stage (references.py), once everything is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnose import report_validation_error
from .errors import Diagnostic, Location, Report
from .kinds import KINDS
from .load import RawDocument
from .model import Actor, ArticleMeta, Quote, Vote, is_slug
from .positions import LineList, Positions, positions
from .resolved import Article


@dataclass(frozen=True)
class Origin:
    """Where an object was written: its file, and where each of its keys is in that file.

    Only the positions are kept, not the raw data (see positions.Positions): a diagnostic after
    validation finds its line without reading the file again.
    """

    path: str
    positions: Positions

    @classmethod
    def of(cls, path: str, data: Any) -> Origin:
        return cls(path, positions(data))

    def at(self, *keys: Any) -> Location:
        line, col = self.positions.at(keys)
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
    others: dict[str, dict[str, Any]] = field(default_factory=dict)  # kinds without a field above, by folder

    def origin(self, kind: str, key: str) -> Origin:
        return self.origins[(kind, key)]

    def registry(self, folder: str) -> dict[str, Any]:
        """The objects of the kind whose folder is ``folder`` (kinds.Kind.folder), by id."""
        found: dict[str, Any] | None = getattr(self, folder, None) if folder != "others" else None
        return found if found is not None else self.others.setdefault(folder, {})


Found = list[tuple[str, Any, Origin]]  # (id, model object, origin), as a document is validated
Ids = list[tuple[str, str]]  # (kind, id)


@dataclass(frozen=True)
class Parsed:
    """What one document validates to, on its own: objects, diagnostics and broken ids.

    Depends only on the document, so it can be cached while the file is unchanged.
    """

    kind: str
    objects: tuple[tuple[str, Any, Origin], ...] = ()  # (id, model object, origin)
    diagnostics: tuple[Diagnostic, ...] = ()
    broken: tuple[tuple[str, str], ...] = ()


def parse_document(document: RawDocument) -> Parsed:
    report = Report()
    broken: list[tuple[str, str]] = []
    objects: list[tuple[str, Any, Origin]] = []
    if document.failed:
        broken.append((document.kind, document.stem))
    elif document.kind == "article":
        _parse_article(document, objects, broken, report)
    elif document.kind == "quotes":
        _parse_quotes(document, objects, broken, report)
    else:
        model = next(entry.model for entry in KINDS if entry.document == document.kind)
        _parse_one(document, model, objects, broken, report)
    return Parsed(document.kind, tuple(objects), tuple(report.diagnostics), tuple(broken))


def merge(parsed: list[Parsed], report: Report) -> Content:
    """Collect every document's objects, refusing duplicate ids across files."""
    content = Content()
    by_document = {entry.document: entry for entry in KINDS}
    for result in parsed:
        for diagnostic in result.diagnostics:
            report.add(diagnostic)
        content.broken.update(result.broken)
        if result.kind not in by_document:
            continue  # nothing was read from it
        kind = by_document[result.kind]
        registry = content.registry(kind.folder)
        for key, obj, origin in result.objects:
            if _claim_id(kind.name, key, origin, content, report, id_key=kind.id_field):
                registry[key] = obj
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


def _parse_one(document: RawDocument, model: type[BaseModel], objects: Found, broken: Ids,
               report: Report) -> None:
    kind = document.kind
    obj = _parse(model, document.data, document.path, report, f"an {kind}" if kind[0] in "aeiou" else f"a {kind}")
    if obj is None:
        broken.extend(_broken_ids(kind, document.data, document.stem))
        return
    origin = Origin.of(document.path, document.data)
    if obj.id != document.stem:
        report.warning("file-name", f"{kind} id '{obj.id}' differs from its file name '{document.stem}'",
                       origin.at("id"), f"rename the file to {obj.id}.yaml so it is easy to find")
    objects.append((obj.id, obj, origin))


def _parse_article(document: RawDocument, objects: Found, broken: Ids, report: Report) -> None:
    meta = _parse(ArticleMeta, document.data, document.path, report, "front matter")
    if meta is None:
        data = {"id": document.data.get("slug")} if isinstance(document.data, dict) else None
        broken.extend(_broken_ids("article", data, document.stem))
        return
    slug = meta.slug or document.stem
    if meta.slug is None and not is_slug(slug):
        report.error("schema", f"the file name '{document.stem}' cannot be used as a URL slug",
                     Location(document.path, 1), "rename the file (lowercase, digits, hyphens) or add a slug field")
        return
    article = Article(meta=meta, slug=slug, markdown=document.body.encode("utf-8"), path=document.path,
                      body_line=document.body_line)
    objects.append((slug, article, Origin.of(document.path, document.data)))


def _broken_ids(kind: str, data: Any, stem: str) -> list[tuple[str, str]]:
    ids = [(kind, stem)] if stem else []
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        ids.append((kind, data["id"]))
    return ids


def _parse_quotes(document: RawDocument, objects: Found, broken: Ids, report: Report) -> None:
    data = document.data
    if not isinstance(data, LineList):
        report.error("schema", "a quotes file must be a YAML list of quotes (lines starting with '- ')",
                     Location(document.path, getattr(data, "line", 1) or 1), "see the example in the README")
        return
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            line, col = data.pos(index)
            report.error("schema", f"quote [{index}] must be a mapping of fields", Location(document.path, line, col),
                         "write id:, speaker:, text: and article: under the '- '")
            continue
        try:
            quote = Quote.model_validate(item)
        except ValidationError as exc:
            report_validation_error(exc, item, document.path, Quote, report, loc_prefix=(index,))
            broken.extend(_broken_ids("quote", item, ""))
            continue
        objects.append((quote.id, quote, Origin.of(document.path, item)))
