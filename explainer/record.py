"""What a page reads of the site, recorded while it renders (Lektor's idea, not its machinery).

The renderer gives each page's template context, helpers, JSON-LD and feed code a ``SiteView``
instead of the ``Site``: it reads through to the site and notes every read in the page's
``Recorder`` as a key ``(part, key)``. A part is a field of ``Site`` (``articles``, ``mentions``,
``quotes_by_speaker``...), ``config``, ``template`` or ``static``; ``key`` is the entry read, or
``WHOLE`` when the part was iterated, counted or taken whole. ``changes.SiteState`` tells which
keys changed between two builds, and a page is rendered again exactly when one of its keys did.

The recorder is passed, never global: a view is made for each page from its recorder.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar, cast

from .resolved import Article, Site

Key = tuple[str, Any]  # (part, the key of an entry: an id, a (vote, amendment) pair...)
T = TypeVar("T")
WHOLE = "*"  # the key of a read of a whole part: its entries, their values and their order
_ABSENT = object()


class Recorder:
    """The keys one page read."""

    __slots__ = ("keys",)

    def __init__(self) -> None:
        self.keys: set[Key] = set()

    def read(self, part: str, key: str = WHOLE) -> None:
        self.keys.add((part, key))

    def frozen(self) -> frozenset[Key]:
        return frozenset(self.keys)


class MappingView:
    """A read-only view of one part of the site (a dict, or a set as a dict of True)."""

    # The recorder's set itself: a page reads the site thousands of times (an actor page at
    # 5,000 articles), and a method call per read cost more than the read.
    __slots__ = ("_data", "_keys", "_part", "_wrap")

    def __init__(self, part: str, data: Any, recorder: Recorder, wrap: Callable[[Any], Any] | None = None) -> None:
        self._part = part
        self._data = data
        self._keys = recorder.keys
        self._wrap = wrap

    def __getitem__(self, key: str) -> Any:
        self._keys.add((self._part, key))
        value = self._data[key]
        return value if self._wrap is None else self._wrap(value)

    def get(self, key: str, default: Any = None) -> Any:
        self._keys.add((self._part, key))
        value = self._data.get(key, _ABSENT)
        if value is _ABSENT:
            return default
        return value if self._wrap is None else self._wrap(value)

    def __contains__(self, key: object) -> bool:
        self._keys.add((self._part, key))
        return key in self._data

    def _whole(self) -> Any:
        self._keys.add((self._part, WHOLE))
        return self._data

    def __iter__(self) -> Iterator[Any]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __bool__(self) -> bool:
        return bool(self._whole())

    def keys(self) -> Any:
        return self._whole().keys()

    def values(self) -> Any:
        values = self._whole().values()
        return values if self._wrap is None else [self._wrap(value) for value in values]

    def items(self) -> Any:
        items = self._whole().items()
        return items if self._wrap is None else [(key, self._wrap(value)) for key, value in items]


class ConfigView:
    """The site's configuration; each field read is a key of part ``config``."""

    __slots__ = ("_config", "_recorder")

    def __init__(self, config: Any, recorder: Recorder) -> None:
        self._config = config
        self._recorder = recorder

    def __getattr__(self, name: str) -> Any:
        self._recorder.read("config", name)
        return getattr(self._config, name)


def _as_shown(article: Article) -> Article:
    # Templates never get an article's Markdown: pages read its HTML (site.bodies), and a
    # one-off build drops the Markdown before rendering. Every mode gives the same article,
    # so a template reading site.articles[slug].body fails in build, check, serve and deploy.
    return article.without_markdown()


class SiteView:
    """The site as pages see it: every read lands in ``recorder``."""

    def __init__(self, site: Site, recorder: Recorder) -> None:
        self._site = site
        self.recorder = recorder
        self.config = ConfigView(site.config, recorder)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._site, name)
        if isinstance(value, (dict, set, frozenset)):
            view = MappingView(name, value, self.recorder, _as_shown if name == "articles" else None)
            setattr(self, name, view)  # one view per part and page
            return view
        if callable(value):  # an AttributeError, so that a template fails on its line (StrictUndefined)
            raise AttributeError(f"site.{name} is not for templates")  # noqa: TRY004
        self.recorder.read(name)
        return value

    def registry(self, folder: str) -> MappingView:
        """The objects of a kind (see Site.registry)."""
        if folder in self._site.others:
            return MappingView(folder, self._site.others[folder], self.recorder)
        view: MappingView = getattr(self, folder)
        return view

    def record(self, part: str, key: str = WHOLE) -> None:
        """A read of something outside the site that the page's bytes depend on (a static file)."""
        self.recorder.read(part, key)


MEMO = "memo"  # the part of a memo's key: ("memo", its key); what it read is kept beside the pages'


class Memo:
    """Values computed from the site once for all the pages of a build (a vote's rows, the
    timeline), each with the keys computing it read.

    A page that uses one reads the key ``("memo", key)``, not the memo's own reads: the 405
    pages of a 5,000-article timeline each read the same 21,000 keys, 8.5 million reads to
    send back from the workers and record. What each memo read is handed over once
    (``drain``) and kept by the cache (BuildCache.memo_reads); a memo counts as changed when
    one of its reads did (BuildCache.expand), and so do the pages that read it."""

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}
        self._fresh: dict[Hashable, frozenset[Key]] = {}  # what the memos computed since ``drain`` read

    def get(self, site: Any, key: Hashable, compute: Callable[[Any], T]) -> T:
        """The value for ``key``, computed by ``compute(view)`` the first time; ``site`` is the
        asking page's SiteView, which gets the read of the memo recorded."""
        if key not in self._values:
            if isinstance(site, SiteView):
                child = Recorder()
                self._values[key] = compute(SiteView(site._site, child))
                self._fresh[key] = child.frozen()
            else:  # a one-off build: nothing is recorded
                self._values[key] = compute(site)
        if isinstance(site, SiteView):
            site.recorder.keys.add((MEMO, key))
        return cast(T, self._values[key])

    def drain(self) -> dict[Hashable, frozenset[Key]]:
        """What the memos computed since the last call read, by memo key."""
        fresh, self._fresh = self._fresh, {}
        return fresh
