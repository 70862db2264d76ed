"""``explainer new DIR``: write a ready site project from the files shipped in this package.

The project's files are package data (``files/`` always, ``examples/`` unless ``--bare``), read
with importlib.resources so that they come with a wheel as with a checkout. Names starting with
``dot-`` are written with a leading ``.`` instead (``dot-gitignore`` -> ``.gitignore``): package
data globs skip dotfiles, and a live ``.gitignore`` inside this repository would apply to it.

The JSON Schemas are written into the new project's ``.schemas/`` from the same models the build
validates with (``schema.generate()``), so the editor settings work in a project anywhere on
disk, whatever the installed package's layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from .. import __version__
from ..errors import ExplainerError
from ..fsguard import UnsafePath, write_inside

SCHEMA_FOLDER = ".schemas"
# The content folders a bare project starts with, so that the layout is visible from the start.
CONTENT_FOLDERS = ("content/articles", "content/actors", "content/quotes", "content/votes")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")


class NewProjectError(ExplainerError):
    """The project cannot be created where asked; the message says why and what to do."""


@dataclass
class Created:
    """What ``new`` did: files written and files kept because they already existed (--force)."""

    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def _walk(node: Traversable, prefix: PurePosixPath) -> Iterator[tuple[PurePosixPath, Traversable]]:
    for child in sorted(node.iterdir(), key=lambda item: item.name):
        name = "." + child.name[4:] if child.name.startswith("dot-") else child.name
        if child.is_dir():
            if child.name != "__pycache__":
                yield from _walk(child, prefix / name)
        else:
            yield prefix / name, child


def project_files(language: str, bare: bool) -> dict[str, bytes]:
    """Relative path -> bytes of every file of a new project (schemas included), in path order."""
    package = resources.files(__package__)
    parts = ["files"] if bare else ["files", "examples"]
    files: dict[str, bytes] = {}
    for part in parts:
        for relative, item in _walk(package / part, PurePosixPath()):
            text = item.read_text(encoding="utf-8")
            text = text.replace("__LANGUAGE__", language).replace("__VERSION__", __version__)
            files[relative.as_posix()] = text.encode("utf-8")
    from ..schema import generate

    for name, text in generate().items():
        files[f"{SCHEMA_FOLDER}/{name}"] = text.encode("utf-8")
    return dict(sorted(files.items()))


def create_project(target: Path, *, language: str = "en", bare: bool = False, force: bool = False) -> Created:
    """Write a new site project into ``target``. Refuses a folder that holds anything unless
    ``force``, and even then never overwrites: existing files are kept as they are."""
    if LANGUAGE.match(language) is None:
        raise NewProjectError(f"--language {language!r} is not a language code: use one such as en, fr, es, ru or ar")
    if target.exists() and not target.is_dir():
        raise NewProjectError(f"{target} exists and is not a folder: choose a new folder name")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise NewProjectError(f"{target} is not empty: choose a new or empty folder, or pass --force to add "
                              "only the files that are missing (nothing is overwritten)")
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    created = Created()
    for relative, data in project_files(language, bare).items():
        path = root / relative
        if path.exists() or path.is_symlink():
            created.kept.append(relative)
            continue
        try:
            write_inside(root, path, data, overwrite=False)
        except UnsafePath as exc:
            raise NewProjectError(f"{exc.message}: {exc.hint}") from None
        created.written.append(relative)
    for folder in CONTENT_FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    return created
