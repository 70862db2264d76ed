"""Which parts of the site changed between two builds, key by key (see record.py for keys).

``SiteState`` keeps what every key of the site was at the last build; ``compare`` gives the
keys whose value differs now, and the state to keep if the build succeeds. A part is compared
whole first (a dict comparison in C: identity, then equality of each value), and key by key
only when that differs: the preview compares the whole site on every edit, 60,000 values at
5,000 articles, and an edit changes a few.

This rests on one rule, which link.py keeps: a value in the site is replaced, never changed in
place, once ``link`` or ``relink`` has returned (a list of mentions is a new list). The property
test (tests/test_incremental_property.py) compares every kind of edit with clean builds.

Between processes (``build`` after ``build``, see persist.py) the values are not kept: each key
is kept as a stable digest of its value (blake2b of its pickle; never ``hash()`` or ``id()``,
which change from process to process), and a state loaded from disk is compared by digests.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .record import WHOLE, Key
from .resolved import Article, Site

_MISSING = object()


def site_parts(site: Site) -> dict[str, Mapping[Any, Any]]:
    """The parts of the site a page can read, by name (record.SiteView's parts): every dict or
    set field of Site, the registries of other kinds, and the config's fields."""
    parts: dict[str, Mapping[Any, Any]] = {}
    for entry in dataclasses.fields(site):
        value = getattr(site, entry.name)
        if entry.name == "others":
            parts.update(value)
        elif isinstance(value, dict):
            parts[entry.name] = value
        elif isinstance(value, (set, frozenset)):
            # Sorted: a set's order changes from process to process (string hashing), and the
            # order of a part is compared too.
            parts[entry.name] = dict.fromkeys(sorted(value, key=repr), True)
    config = site.config
    parts["config"] = {name: getattr(config, name) for name in type(config).model_fields}
    return parts


def _shown(value: Any) -> Any:
    """What pages see of a value: an article without its Markdown (record.SiteView; its HTML
    is in site.bodies, so an edit of an article's text is a change of its body only)."""
    if isinstance(value, Article):
        return (value.meta, value.slug, value.path, value.body_line)
    return value


class Digester:
    """Stable digests of values: blake2b of a pickle made the same in every process.

    A plain pickle is not: a set's order follows string hashing, which changes from process
    to process, and pydantic models pickle their set of fields set. Here sets are pickled
    sorted and models as their class and field values (by a dispatch table, so that the
    other objects cost nothing extra), and without a memo, so that which parts of a value
    are one object does not show. Equal digests mean equal pickles, so equal values; equal
    values may rarely pickle differently (then a page renders once too often). A value
    that cannot be pickled gets a digest of its own, so it always counts as changed."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._pickler = pickle.Pickler(self._buffer, protocol=5)
        # No memo: a value pickles the same whichever of its parts are one object, so a value
        # rebuilt from a record (whose pickles share objects only within each batch) has the
        # digest it had when it was built. The site's values are trees: nothing recurses.
        self._pickler.fast = True
        table: dict[type, Any] = {set: _sorted_set, frozenset: _sorted_set}
        pending: list[type] = [BaseModel]
        while pending:
            model = pending.pop()
            table[model] = _model_state
            pending.extend(model.__subclasses__())
        self._pickler.dispatch_table = table

    def __call__(self, value: Any) -> bytes:
        buffer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        self._pickler.clear_memo()
        try:
            self._pickler.dump(_shown(value))
        except Exception:  # noqa: BLE001  # anything unpicklable: changed, never stale
            return os.urandom(16)
        return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()


def _sorted_set(value: set[Any] | frozenset[Any]) -> tuple[Any, ...]:
    return (type(value), (sorted(value, key=repr),))


def _model_state(model: BaseModel) -> tuple[Any, ...]:
    return (type(model), (tuple(model.__dict__.items()),))


@dataclass
class SiteState:
    """Every key's value at the last successful build, and each part's order of keys.

    ``values`` live only in the process that built them (the preview keeps them between
    rebuilds); ``digests`` are what is persisted, filled in by ``complete``. A state loaded
    from disk has digests only, and is compared by digest."""

    values: dict[str, dict[Any, Any]] = field(default_factory=dict)
    order: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    digests: dict[str, dict[Any, bytes]] = field(default_factory=dict)

    def compare(self, parts: Mapping[str, Mapping[Any, Any]]) -> tuple[set[Key], SiteState]:
        """The keys that changed since this state, and the state of ``parts`` (to keep once
        the build that read them succeeds)."""
        changed: set[Key] = set()
        state = SiteState()
        for part, data in parts.items():
            kept, order = dict(data), tuple(data)
            state.values[part], state.order[part] = kept, order
            old = self.values.get(part)
            keys = self._by_value(part, kept, order, state) if old is not None else self._by_digest(part, kept, state)
            changed.update((part, key) for key in keys)
            if keys or order != self.order.get(part):
                changed.add((part, WHOLE))
        for part in self.order.keys() - parts.keys():
            changed.update((part, key) for key in self.order[part])
            changed.add((part, WHOLE))
        return changed, state

    def _by_value(self, part: str, kept: dict[Any, Any], order: tuple[Any, ...], state: SiteState) -> list[Any]:
        """The keys of ``part`` whose value differs from the one kept; the digests of values
        that are the same objects carry over to ``state``."""
        old = self.values[part]
        old_digests = self.digests.get(part)
        if order == self.order[part] and _same(old, kept):
            if old_digests is not None:
                state.digests[part] = old_digests
            return []
        if old_digests is not None:
            state.digests[part] = {key: old_digests[key] for key, value in kept.items()
                                   if key in old_digests and old.get(key, _MISSING) is value}
        keys = [key for key, value in kept.items()
                if (before := old.get(key, _MISSING)) is not value and not _same(_shown(before), _shown(value))]
        return keys + [key for key in old.keys() - kept.keys()]

    def _by_digest(self, part: str, kept: dict[Any, Any], state: SiteState) -> list[Any]:
        """The keys of ``part`` whose digest differs from the one kept (every key of a part
        this state does not know: their digests are left for ``complete``)."""
        old = self.digests.get(part)
        if old is None:
            return list(kept)
        digest = Digester()
        new = state.digests[part] = {key: digest(value) for key, value in kept.items()}
        if new == old:
            return []
        return [key for key, value in new.items() if old.get(key) != value] + [key for key in old.keys() - new.keys()]

    def complete(self) -> SiteState:
        """This state with every key's digest and without its values: what is persisted."""
        digest = Digester()
        for part, kept in self.values.items():
            known = self.digests.setdefault(part, {})
            if len(known) != len(kept):
                for key, value in kept.items():
                    if key not in known:
                        known[key] = digest(value)
        return SiteState({}, self.order, self.digests)


def _same(before: Any, value: Any) -> bool:
    if before is _MISSING:
        return False
    try:
        return bool(before == value)
    except Exception:  # noqa: BLE001  # values that cannot be compared are taken as changed
        return False
