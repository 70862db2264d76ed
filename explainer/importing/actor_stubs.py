"""Actor stubs for the names the site does not know (#20.5): ``check --suggest-actors`` prints one
ready-to-edit actor file per name that ``check`` reported, and with ``--write`` writes those whose
file does not exist yet. The kind is guessed by importing/actor_names.py, the id is its slug."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Diagnostic, Location, Report
from ..fsguard import UnsafePath, write_inside
from ..unknownnames import reported_name
from ..yamlio import dump_yaml
from .actor_names import guess_kind, slug_of


@dataclass(frozen=True)
class Stub:
    id: str
    kind: str
    name: str
    guess: str  # why the kind
    count: int  # uses over the site
    first: Location
    aliases: tuple[str, ...] = ()  # shorter names reported too ("Macron" for "Emmanuel Macron")

    def text(self) -> str:
        """The actor file: the fields an actor needs, then comments for the editor."""
        head = (f"# '{self.name}': {self.count} use{'s' * (self.count != 1)} in the articles, first at {self.first}\n"
                f"# kind: {self.guess}; add aliases, role, description and wikidata as known\n")
        data: dict[str, object] = {"id": self.id, "kind": self.kind, "name": self.name}
        if self.aliases:
            data["aliases"] = list(self.aliases)
        return head + dump_yaml(data)


def stubs(diagnostics: Iterable[Diagnostic], actors: Mapping[str, str]) -> list[Stub]:
    """One stub per name reported as unknown, most used first; none for a name that is part of
    an actor's name (it wants an alias, the warning says so) or whose id an actor has."""
    found: dict[str, Stub] = {}
    for diagnostic in diagnostics:
        named = reported_name(diagnostic)
        if named is None:
            continue
        name, count = named
        slug = slug_of(name)
        if slug in actors or any(f" {name} " in f" {known} " for known in actors.values()):
            continue
        before = found.get(slug)
        if before is not None:
            found[slug] = Stub(slug, before.kind, before.name, before.guess, before.count + count, before.first)
            continue
        kind, reason = guess_kind(name, "")
        guess = reason if kind != "person" else "guessed person (or state, organisation, outlet, group)"
        found[slug] = Stub(slug, kind, name, guess, count, diagnostic.location)
    return sorted(_with_aliases(list(found.values())), key=lambda stub: (-stub.count, stub.id))


def _with_aliases(found: list[Stub]) -> list[Stub]:
    """A name that is part of a longer one reported too becomes the longer one's alias."""
    kept = {stub.id: stub for stub in found}
    for short in sorted(found, key=lambda stub: len(stub.name)):
        if short.id not in kept:
            continue
        longer = [stub for stub in kept.values() if stub.id != short.id and f" {short.name} " in f" {stub.name} "]
        if longer:
            into = min(longer, key=lambda stub: (len(stub.name), stub.id))
            kept[into.id] = Stub(into.id, into.kind, into.name, into.guess, into.count + short.count, into.first,
                                 (*into.aliases, short.name))
            del kept[short.id]
    return list(kept.values())


def write_stubs(root: Path, found: Iterable[Stub]) -> list[Path]:
    """Write each stub to content/actors/<id>.yaml unless that file exists (then it is left alone)."""
    written = []
    for stub in found:
        path = root / "content" / "actors" / f"{stub.id}.yaml"
        if path.exists() or path.is_symlink():
            continue
        try:
            write_inside(root, path, stub.text().encode("utf-8"), overwrite=False)
        except UnsafePath as exc:
            report = Report()
            report.error("suggest-actors", exc.message, Location(path.relative_to(root).as_posix()), exc.hint)
            raise ContentError("an actor stub was not written", report) from None
        written.append(path)
    return written
