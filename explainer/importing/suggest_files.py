"""The files of ``build.py suggest``: read the project, write the draft, accept it (see suggest.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from ..errors import ContentError, Location, Report, YamlError
from ..fsguard import UnsafePath, check_inside, read_regular, write_inside
from ..load import load_content
from ..model import Actor, Quote
from ..resolved import Article
from ..validate import parse_document
from ..yamlio import dump_yaml, load_yaml
from .suggest import Draft, draft_article

DRAFT_DIR = Path("content") / "raw"
DRAFT_SUFFIX = ".suggested.yaml"
MAX_DRAFT_BYTES = 5_000_000
HEADER = ("# Drafted by `build.py suggest`: check every entry (each `why` says which words it rests on),\n"
          "# edit or delete what is wrong, then run `build.py suggest --accept {slug}`.\n")


@dataclass
class Project:
    """The parts of a project the drafts need, read and validated as the build does."""

    articles: dict[str, Article] = field(default_factory=dict)
    actors: list[Actor] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


def read_project(root: Path) -> Project:
    """Articles, actors and quotes; documents the build would reject are skipped here."""
    project = Project()
    for document in load_content(root, Report()):
        for _key, obj, _origin in parse_document(document).objects:
            if isinstance(obj, Article):
                project.articles[obj.slug] = obj
            elif isinstance(obj, Actor):
                project.actors.append(obj)
            elif isinstance(obj, Quote):
                project.quotes.append(obj)
    return project


def draft_path(root: Path, slug: str) -> Path:
    return root / DRAFT_DIR / f"{slug}{DRAFT_SUFFIX}"


def article_slug(argument: str, project: Project) -> str:
    """An article named by slug or by its file path."""
    candidate = Path(argument).name.removesuffix(".md")
    for slug, article in project.articles.items():
        if candidate in (slug, Path(article.path).stem):
            return slug
    known = ", ".join(sorted(project.articles)) or "none"
    raise _error("suggest", f"no article '{argument}' in this project", argument, f"articles: {known}")


def run_suggest(root: Path, argument: str, *, force: bool, out: TextIO) -> Path:
    """Write the draft of one article; return its path."""
    project = read_project(root)
    slug = article_slug(argument, project)
    return write_draft(root, draft_article(project.articles[slug], project.actors, project.quotes), force, out)


def suggest_for(root: Path, slugs: Iterable[str], out: TextIO) -> list[Path]:
    """Drafts for freshly imported articles (``import`` calls this); an existing draft is kept."""
    project = read_project(root)
    written = []
    for slug in slugs:
        if slug in project.articles and not draft_path(root, slug).exists():
            draft = draft_article(project.articles[slug], project.actors, project.quotes)
            written.append(write_draft(root, draft, False, out))
    return written


def write_draft(root: Path, draft: Draft, force: bool, out: TextIO) -> Path:
    path = draft_path(root, draft.article)
    text = HEADER.format(slug=draft.article) + dump_yaml(draft.as_data())
    try:
        write_inside(root, path, text.encode("utf-8"), overwrite=force)
    except UnsafePath as exc:
        raise _error("suggest", exc.message, str(path), exc.hint) from None
    shown = path.relative_to(root).as_posix()
    out.write(f"drafted {len(draft.quotes)} quote{'s' * (len(draft.quotes) != 1)} and {len(draft.actors)} new "
              f"actor{'s' * (len(draft.actors) != 1)} for {draft.article} in {shown}\n")
    return path


def run_accept(root: Path, argument: str, *, out: TextIO) -> list[Path]:
    """Move a checked draft into content/quotes/ and content/actors/; return the files written."""
    slug = Path(argument).name.removesuffix(".md").removesuffix(DRAFT_SUFFIX)
    path = draft_path(root, slug)
    shown = path.relative_to(root).as_posix()
    data = _read_draft(root, path, shown)
    quotes, actors = _validated(data, shown)
    written: list[Path] = []
    if quotes:
        target = _free(root, [root / "content" / "quotes" / f"{slug}.yaml",
                              root / "content" / "quotes" / f"{slug}-suggested.yaml"], shown)
        written.append(_write(root, target, dump_yaml(quotes)))
    for actor in actors:
        target = root / "content" / "actors" / f"{actor['id']}.yaml"
        if target.exists() or target.is_symlink():
            out.write(f"kept content/actors/{actor['id']}.yaml (it exists); the draft's stub is dropped\n")
            continue
        written.append(_write(root, target, dump_yaml(actor)))
    path.unlink()
    out.writelines(f"accepted {file.relative_to(root).as_posix()}\n" for file in written)
    return written


def _read_draft(root: Path, path: Path, shown: str) -> Any:
    try:
        text = read_regular(check_inside(root, path), MAX_DRAFT_BYTES).decode("utf-8")
        return load_yaml(text, shown)
    except FileNotFoundError:
        raise _error("suggest", f"there is no draft {shown}", shown,
                     "run `build.py suggest ARTICLE` first") from None
    except UnsafePath as exc:
        raise _error("suggest", exc.message, shown, exc.hint) from None
    except YamlError as exc:
        raise ContentError(exc.diagnostic.format(), _report(exc.diagnostic.message, shown, exc.diagnostic.hint)) \
            from None


def _validated(data: Any, shown: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The draft's quotes and actors without `why`, each checked with the build's model."""
    if not isinstance(data, dict):
        raise _error("suggest", "the draft must be a mapping with `quotes` and `actors`", shown,
                     "run `build.py suggest ARTICLE --force` to draft it again")
    report = Report()
    lists: dict[str, list[dict[str, Any]]] = {"quotes": [], "actors": []}
    for key, model in (("quotes", Quote), ("actors", Actor)):
        for index, item in enumerate(data.get(key) or []):
            clean = {name: value for name, value in dict(item).items() if name != "why"} \
                if isinstance(item, dict) else item
            try:
                model.model_validate(clean)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                report.error("suggest", f"{key}[{index}] {where}: {first['msg']}", Location(shown),
                             "fix or delete the entry in the draft")
                continue
            lists[key].append(clean)
    if report.errors:
        raise ContentError("\n".join(d.format() for d in report.sorted()), report)
    return lists["quotes"], lists["actors"]


def _free(root: Path, candidates: list[Path], shown: str) -> Path:
    for candidate in candidates:
        if not (candidate.exists() or candidate.is_symlink()):
            return candidate
    names = " and ".join(p.relative_to(root).as_posix() for p in candidates)
    raise _error("suggest", f"{names} both exist", shown, "merge or rename one of them, then accept again")


def _write(root: Path, path: Path, text: str) -> Path:
    try:
        write_inside(root, path, text.encode("utf-8"), overwrite=False)
    except UnsafePath as exc:
        raise _error("suggest", exc.message, str(path), exc.hint) from None
    return path


def _report(message: str, where: str, hint: str) -> Report:
    report = Report()
    report.error("suggest", message, Location(where), hint)
    return report


def _error(code: str, message: str, where: str, hint: str) -> ContentError:
    report = _report(message, where, hint)
    return ContentError("\n".join(d.format() for d in report.sorted()), report)
