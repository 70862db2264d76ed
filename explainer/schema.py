"""Publish the content model as JSON Schema files, for editors' YAML language servers.

The pydantic models in ``model.py`` are the one definition of what an editor may write; this
module only renders them as JSON Schema (draft 2020-12) so that an editor can complete keys and
flag mistakes while typing. Each content file names its schema in its first line::

    # yaml-language-server: $schema=../../schemas/actor.schema.json

Regenerate the committed files after changing a model (a test fails until you do)::

    python -m explainer.schema            # writes schemas/ under the current folder
    python -m explainer.schema FOLDER

The build never reads these files: ``validate.py`` checks content against the models directly.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .model import Actor, ArticleMeta, Quote, SiteConfig, Vote

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# A stable identifier, not a download location: editors find schemas through the relative path
# in each file's modeline, never through $id.
ID_BASE = "https://explainer.invalid/schemas/"
DEFAULT_FOLDER = Path("schemas")


@dataclass(frozen=True)
class SchemaFile:
    """One published schema: its file name, its title and the type it describes."""

    name: str
    title: str
    description: str
    target: Any

    @property
    def filename(self) -> str:
        return f"{self.name}.schema.json"


SCHEMAS: tuple[SchemaFile, ...] = (
    SchemaFile("config", "Explainer site configuration",
               "config.yaml at the root of a site project.", SiteConfig),
    SchemaFile("article", "Explainer article front matter",
               "The YAML between the --- lines at the top of content/articles/*.md.", ArticleMeta),
    SchemaFile("actor", "Explainer actor",
               "content/actors/<id>.yaml: a person, state, organisation, outlet or group.", Actor),
    SchemaFile("quotes", "Explainer quotes",
               "content/quotes/*.yaml: a list of quotes, each found verbatim in its article.", list[Quote]),
    SchemaFile("vote", "Explainer UN vote", "content/votes/<id>.yaml: one UN vote.", Vote),
)


def schema_for(spec: SchemaFile) -> dict[str, Any]:
    """The JSON Schema of one published file, with $schema, $id and title set."""
    # by_alias: config.yaml's key is "import" (the field is "importer", a Python keyword clash).
    schema: dict[str, Any] = TypeAdapter(spec.target).json_schema(by_alias=True, mode="validation")
    schema.update({"$schema": DRAFT, "$id": ID_BASE + spec.filename, "title": spec.title,
                   "description": spec.description})
    return schema


def render(schema: dict[str, Any]) -> str:
    """Deterministic text: sorted keys, 2-space indent, UTF-8 characters kept, final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    """File name -> file text for every published schema, without touching the disk."""
    return {spec.filename: render(schema_for(spec)) for spec in SCHEMAS}


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder`` (created if missing); return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in generate().items():
        path = folder / filename
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m explainer.schema [FOLDER]``: write the schemas (default: ./schemas)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(a.startswith("-") for a in args):
        sys.stderr.write("usage: python -m explainer.schema [FOLDER]\n")
        return 2
    for path in write_schemas(Path(args[0]) if args else DEFAULT_FOLDER):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
