"""Values that remember where they were written: the mappings and lists yamlio.py loads, with
the (line, col) of each key and item, and ``Positions``, the same without the values, kept for
diagnostics after validation. No yaml here: config.py, validate.py and diagnose.py read them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the (line, col) of itself and of each key (1-based)."""

    line: int = 0
    col: int = 0
    key_pos: dict[Any, tuple[int, int]]

    def pos(self, key: Any) -> tuple[int, int]:
        return self.key_pos.get(key, (self.line, self.col))


class LineList(list):  # type: ignore[type-arg]
    """A sequence that knows the (line, col) of itself and of each item (1-based)."""

    line: int = 0
    col: int = 0
    item_pos: list[tuple[int, int]]

    def pos(self, index: int) -> tuple[int, int]:
        if 0 <= index < len(self.item_pos):
            return self.item_pos[index]
        return (self.line, self.col)


@dataclass(frozen=True)
class Positions:
    """Where each key and item of a loaded document was written, without the values.

    What a diagnostic found after validation needs (references.py and the link stage), kept from the
    parse instead of the whole document: one string per object, cheap to keep and to send back
    from a parse worker (keeping the documents cost 46 MiB at 5,000 articles, 7af42e2).
    Each line is ``path<TAB>line<TAB>col``, the path being the keys' reprs joined by \\x1f.
    """

    table: str

    def at(self, keys: Sequence[Any]) -> tuple[int, int]:
        """The (line, col) of the deepest part of ``keys`` in the document, as diagnose.position."""
        known: dict[str, tuple[int, int]] = {}
        for entry in self.table.splitlines():
            path, line, col = entry.rsplit("\t", 2)
            known[path] = (int(line), int(col))
        for depth in range(len(keys), -1, -1):
            found = known.get(_path(keys[:depth]))
            if found is not None:
                return found
        return (0, 0)


def _path(keys: Sequence[Any]) -> str:
    return "\x1f".join(repr(key) for key in keys)


def positions(data: Any) -> Positions:
    """The positions of ``data`` (as load_yaml returned it) and of everything inside it."""
    entries: list[str] = []
    pending: list[tuple[tuple[Any, ...], Any, tuple[int, int]]] = [((), data, _own(data))]
    while pending:
        keys, node, (line, col) = pending.pop()
        entries.append(f"{_path(keys)}\t{line}\t{col}")
        if isinstance(node, LineDict):
            pending.extend(((*keys, key), value, node.pos(key)) for key, value in node.items())
        elif isinstance(node, LineList):
            pending.extend(((*keys, index), item, node.pos(index)) for index, item in enumerate(node))
    return Positions("\n".join(entries))


def _own(data: Any) -> tuple[int, int]:
    return (getattr(data, "line", 0), getattr(data, "col", 0))
