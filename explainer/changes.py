"""Which parts of the site changed between two builds, key by key (see record.py for keys).

``SiteState`` keeps what every key of the site was at the last build; ``compare`` gives the
keys whose value differs now, and the state to keep if the build succeeds. A part is compared
whole first (a dict comparison in C: identity, then equality of each value), and key by key
only when that differs: the preview compares the whole site on every edit, 60,000 values at
5,000 articles, and an edit changes a few.

This rests on one rule, which link.py keeps: a value in the site is replaced, never changed in
place, once ``link`` or ``relink`` has returned (a list of mentions is a new list). The property
test (tests/test_incremental_property.py) compares every kind of edit with clean builds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
            parts[entry.name] = dict.fromkeys(value, True)
    config = site.config
    parts["config"] = {name: getattr(config, name) for name in type(config).model_fields}
    return parts


def _shown(value: Any) -> Any:
    """What pages see of a value: an article without its Markdown (record.SiteView; its HTML
    is in site.bodies, so an edit of an article's text is a change of its body only)."""
    if isinstance(value, Article):
        return (value.meta, value.slug, value.path, value.body_line)
    return value


@dataclass
class SiteState:
    """Every key's value at the last successful build, and each part's order of keys."""

    values: dict[str, dict[Any, Any]] = field(default_factory=dict)
    order: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    def compare(self, parts: Mapping[str, Mapping[Any, Any]]) -> tuple[set[Key], SiteState]:
        """The keys that changed since this state, and the state of ``parts`` (to keep once
        the build that read them succeeds)."""
        changed: set[Key] = set()
        state = SiteState()
        for part, data in parts.items():
            kept, order = dict(data), tuple(data)
            state.values[part], state.order[part] = kept, order
            old = self.values.get(part)
            if old is not None and order == self.order[part] and _same(old, kept):
                continue
            old = old or {}
            keys = [key for key, value in kept.items()
                    if (before := old.get(key, _MISSING)) is not value and not _same(_shown(before), _shown(value))]
            keys += [key for key in old.keys() - kept.keys()]
            changed.update((part, key) for key in keys)
            if keys or order != self.order.get(part):
                changed.add((part, WHOLE))
        for part in self.values.keys() - parts.keys():
            changed.update((part, key) for key in self.values[part])
            changed.add((part, WHOLE))
        return changed, state


def _same(before: Any, value: Any) -> bool:
    if before is _MISSING:
        return False
    try:
        return bool(before == value)
    except Exception:  # noqa: BLE001  # values that cannot be compared are taken as changed
        return False
