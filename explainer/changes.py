"""Which parts of the site changed between two builds, key by key (see record.py for keys).

``SiteState`` keeps what every key of the site was at the last build; ``compare`` gives the
keys whose value differs now, and the state to keep if the build succeeds. Values are compared
by identity, then by equality (unchanged files keep their model objects, so most comparisons
are an ``is``); lists are kept as tuples, so a list changed in place is still seen as changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import Article, Site
from .record import WHOLE, Key

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


def _kept(value: Any) -> Any:
    """What is compared next time: immutable values as they are, containers as tuples."""
    if isinstance(value, Article):
        # Pages never see an article's Markdown (record.SiteView): its HTML is in site.bodies.
        return (value.meta, value.slug, value.path, value.body_line)
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(value.items())
    if isinstance(value, set):
        return frozenset(value)
    return value


def _kept_part(data: Mapping[Any, Any]) -> dict[Any, Any]:
    """``_kept`` of every value of a part. A part's values are of one type; the common ones are
    copied by one comprehension each (a part of the preview's site is compared on every edit,
    60,000 values at 5,000 articles)."""
    if not data:
        return {}
    sample = next(iter(data.values()))
    if isinstance(sample, Article):
        return {key: (a.meta, a.slug, a.path, a.body_line) for key, a in data.items()}
    if isinstance(sample, list):
        return {key: tuple(value) for key, value in data.items()}
    if isinstance(sample, (dict, set)):
        return {key: _kept(value) for key, value in data.items()}
    return dict(data)


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
            kept = _kept_part(data)
            order = tuple(kept)
            old = self.values.get(part)
            if old is not None and order == self.order[part] and _same(old, kept):
                state.values[part], state.order[part] = old, order  # compared in C: most parts
                continue
            old = old or {}
            keys = [key for key, value in kept.items()
                    if (before := old.get(key, _MISSING)) is not value and not _same(before, value)]
            keys += [key for key in old.keys() - kept.keys()]
            changed.update((part, key) for key in keys)
            changed.add((part, WHOLE))
            state.values[part], state.order[part] = kept, order
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
