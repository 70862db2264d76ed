"""The build's record on disk, so that ``build`` after ``build`` (and ``serve`` after either) redoes
only what changed: ``.explainer-cache/build.record`` in the project.

It holds what a ``BuildCache`` needs across processes, all keyed by stable digests (blake2b,
never ``hash()`` or ``id()``): each content file's stamp, digest and parsed result; link.py's
rendered articles; each page's spec, the keys it read and the digest of its bytes; each key of
the site by digest (changes.SiteState); the search bundles; and the stamp of every file the
build left in the output folder, because pages not rendered again are taken from there.

Trusting it is never required: a missing, unreadable or corrupt record, one written by another
version of the engine or its libraries, or one for other settings (output folder, templates,
language, drafts shown) gives a clean build. What it says is checked against the disk when it is
loaded: a content file whose stamp changed, or that was saved within a clock tick of the
build that read it, is compared by digest; a page whose file in the output folder is not as
the record left it renders again; a search bundle whose files changed is indexed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import os
import pickle
import sys
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from .article_bodies import ArticleContext
from .buildcache import BuildCache, Document, PageRecord, file_stamp, setup_stamp
from .changes import SiteState
from .config import Project
from .freshness import STATE_DIR, output_stamps
from .pages import PageSpec
from .reading import file_digest
from .record import Key

RECORD_FILE = "build.record"
ENTRIES_PER_PICKLE = 256
MAGIC = b"explainer build record 3\n"
# A file saved this close to the start of the build that read it may have changed again within
# the same tick of a coarse clock (2 s on FAT) without its stamp changing: compared by digest.
RACY_NS = 2_000_000_000
LIBRARIES = ("jinja2", "markdown-it-py", "pydantic", "pydantic-core", "PyYAML", "babel", "MarkupSafe")
BUNDLE_DIR = "pagefind/"


# The record is in one file, after MAGIC and the engine's digest: the parsed files and link.py's
# rendered articles (each dict in pickles of ENTRIES_PER_PICKLE entries: ``_dump_items``), then
# the ``Record`` without its large dicts, then those (each as the parsed files).
# ``build`` writes the first two before it renders (``set_aside``), so that they need not stay in
# memory meanwhile.
Parsed = tuple[dict[Path, Document], dict[object, object]]


@dataclass
class Record:
    setup: object
    started_ns: int  # when the build began, before it read any file
    pages: dict[str, tuple[PageSpec, array[int], bytes | None]]  # spec, ids of the keys read, digest
    key_ids: dict[Key, int]
    memo_reads: dict[int, array[int]]
    state: SiteState
    search_layout: tuple[str, ...] | None
    templates: tuple[object, dict[str, object]] | None  # as BuildCache.templates (by digests)
    outputs: dict[str, list[int]]  # output file -> [mtime, size], after the build's write


def engine_digest() -> bytes:
    """What the record's contents depend on besides the project: the engine's code, Python and
    the libraries that parse and render (a record of another version is never read)."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(sys.version.encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.digest()


def record_path(root: Path) -> Path:
    return root / STATE_DIR / RECORD_FILE


def set_aside(project: Project, cache: BuildCache) -> None:
    """Write the first part of the record now and drop the parsed files and rendered articles
    from memory (the render workers fork with the parent's memory: its peak is the build's).
    ``save`` completes the record; if writing fails, they stay in memory."""
    partial = _partial(project.root)
    try:
        partial.parent.mkdir(exist_ok=True)
        with partial.open("wb") as file:
            file.write(MAGIC + engine_digest())
            _dump_parsed(file, cache)
    except (OSError, pickle.PicklingError):
        partial.unlink(missing_ok=True)
        return
    cache.documents, cache.articles = {}, {}
    cache.set_aside = partial


def _dump_parsed(file: BinaryIO, cache: BuildCache) -> None:
    _dump_items(file, cache.documents)
    _dump_items(file, cache.articles, share=ArticleContext)


def _dump_items(file: BinaryIO, items: Mapping[Any, Any], share: type | None = None) -> None:
    """A dict as the objects of type ``share`` its entries hold (written once, however many
    entries hold each), a count, then a pickle per ENTRIES_PER_PICKLE entries: one pickle of a
    large dict keeps an entry per object in its memo while writing (the parsed files and
    rendered articles were the build's peak memory at 5,000 articles, +51 MiB; the record's
    pages, +30). The rendered articles share the actor names they were matched against
    (article_bodies.ArticleContext): a copy in each batch cost an edit 2.7 CPU-s to load."""
    entries = list(items.items())
    objects: list[Any] = []
    shared: dict[int, int] = {}
    if share is not None:
        for value in items.values():
            for obj in getattr(value, "__dict__", {}).values():
                if isinstance(obj, share) and id(obj) not in shared:
                    shared[id(obj)] = len(objects)
                    objects.append(obj)
    pickle.dump(objects, file, protocol=5)
    pickle.dump(len(entries), file, protocol=5)
    for start in range(0, len(entries), ENTRIES_PER_PICKLE):
        batch = entries[start:start + ENTRIES_PER_PICKLE]
        if shared:
            _Sharing(file, shared).dump(batch)
        else:
            pickle.dump(batch, file, protocol=5)


class _Sharing(pickle.Pickler):
    """Pickles the objects in ``shared`` (by id) as their index in the list written before."""

    def __init__(self, file: BinaryIO, shared: dict[int, int]) -> None:
        super().__init__(file, protocol=5)
        self._shared = shared

    def persistent_id(self, obj: Any) -> int | None:
        return self._shared.get(id(obj))


def _load_items(file: BinaryIO) -> dict[Any, Any]:
    shared = _Unpickler(file).load()
    count = _Unpickler(file).load()
    if not isinstance(shared, list) or not isinstance(count, int):
        raise pickle.UnpicklingError("not a list of shared objects and a count of entries")
    items: dict[Any, Any] = {}
    while len(items) < count:
        batch = _Unpickler(file, shared).load()
        if not isinstance(batch, list) or not batch:
            raise pickle.UnpicklingError("not a list of entries")
        items.update(batch)
    return items


def save(project: Project, cache: BuildCache, started_ns: int) -> None:
    """Record a build that succeeded and was written; a failure to write it only costs the next
    build time. Written to a new file and renamed into place, so a reader sees the old record
    or the new one, whole."""
    record = Record(cache.setup, started_ns,
                    {name: (page.spec, page.reads, page.digest) for name, page in cache.pages.items()}, cache.key_ids,
                    cache.memo_reads,
                    cache.state.complete(), cache.search_layout, cache.templates,
                    cache.written_stamps if cache.written_stamps is not None else output_stamps(project.out_dir))
    cache.written_stamps = None
    path = record_path(project.root)
    partial, cache.set_aside = cache.set_aside, None
    try:
        if partial is None:
            partial = _partial(project.root)
            partial.parent.mkdir(exist_ok=True)
            with partial.open("wb") as file:
                file.write(MAGIC + engine_digest())
                _dump_parsed(file, cache)
        with partial.open("ab") as file:
            pickle.dump(dataclasses.replace(record, pages={}, key_ids={}, outputs={}), file, protocol=5)
            for items in (record.pages, record.key_ids, record.outputs):
                _dump_items(file, items)
        (path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        os.replace(partial, path)
    except (OSError, pickle.PicklingError):
        if partial is not None:
            partial.unlink(missing_ok=True)


def discard(cache: BuildCache) -> None:
    """A record begun by ``set_aside`` that will not be completed (the build failed, or there
    was nothing new to record)."""
    if cache.set_aside is not None:
        cache.set_aside.unlink(missing_ok=True)
        cache.set_aside = None


def _partial(root: Path) -> Path:
    """A record being written: one per process, so that two builds never write into one."""
    return record_path(root).with_name(f"{RECORD_FILE}.partial-{os.getpid()}")


def forget(root: Path) -> None:
    try:
        record_path(root).unlink()
    except OSError:
        pass


def load(project: Project) -> BuildCache | None:
    """The cache recorded by the last build of this project with these settings, checked
    against the disk; None when there is none to trust (see the module docstring)."""
    found = _read(record_path(project.root))
    if found is None or found[1].setup != setup_stamp(project):
        return None
    (documents, articles), record = found
    cache = BuildCache(articles=articles, state=record.state, setup=record.setup, key_ids=record.key_ids,
                       memo_reads=record.memo_reads,
                       search_layout=record.search_layout, templates=record.templates, from_record=True)
    cache.documents, documents_current = _documents(documents, record.started_ns)
    current = output_stamps(project.out_dir) if project.out_dir.is_dir() else {}
    for name, (spec, reads, digest) in record.pages.items():
        if digest is not None and current.get(name) != record.outputs.get(name):
            continue  # not as this build left it: rendered again
        cache.pages[name] = PageRecord(spec, reads, digest)
    cache.damaged = {name.split("/")[1] for name in current.keys() | record.outputs.keys()
                     if name.startswith(BUNDLE_DIR) and name.count("/") >= 2
                     and current.get(name) != record.outputs.get(name)}
    cache.on_disk = frozenset(current)
    cache.record_current = documents_current and current == record.outputs
    return cache


def _documents(documents: dict[Path, Document], started_ns: int) -> tuple[dict[Path, Document], bool]:
    """The parsed files that are still what was parsed (the others are left out: read again),
    and whether every one was as the record said, without a digest to check."""
    kept: dict[Path, Document] = {}
    current = True
    for path, (stamp, diagnostics, parsed, digest) in documents.items():
        try:
            now = file_stamp(path)
        except OSError:
            current = False
            continue
        if now == stamp and now[0] < started_ns - RACY_NS:
            kept[path] = (now, diagnostics, parsed, digest)
            continue
        current = False
        if digest and file_digest(path) == digest:
            kept[path] = (now, diagnostics, parsed, digest)
    return kept, current


def _read(path: Path) -> tuple[Parsed, Record] | None:
    try:
        with path.open("rb") as file:
            if file.read(len(MAGIC)) != MAGIC or file.read(16) != engine_digest():
                return None
            parsed = (_load_items(file), _load_items(file))
            record = _Unpickler(file).load()
            if isinstance(record, Record):
                record.pages, record.key_ids, record.outputs = _load_items(file), _load_items(file), _load_items(file)
    except Exception:  # noqa: BLE001  # unreadable or corrupt, whatever the way: a clean build
        return None
    if not (isinstance(record, Record) and isinstance(parsed, tuple) and len(parsed) == 2
            and all(isinstance(part, dict) for part in parsed)):
        return None
    return parsed, record


# What a record may hold: our own data classes and a few of the standard library's. A record is
# written by the engine, but it lives in the project folder: nothing else is ever built from it
# (no function, and no class of ours that does more than hold data when made).
_ALLOWED = {
    "builtins": {"set", "frozenset", "bytearray", "complex", "range", "slice", "object"},
    "datetime": {"date", "datetime", "time", "timedelta", "timezone"},
    "pathlib": {"Path", "PosixPath", "PurePosixPath", "WindowsPath", "PureWindowsPath"},
    "collections": {"Counter", "OrderedDict", "defaultdict", "deque"},
    "copyreg": {"_reconstructor"},
    "array": {"array", "_array_reconstructor"},
}


# Classes of ours in a record that are not data classes (the rendered articles' name matcher).
_OUR_OTHERS = {"PhraseMatcher"}


def _plain_data(found: object) -> bool:
    return isinstance(found, type) and (dataclasses.is_dataclass(found) or issubclass(found, (tuple, BaseModel, Enum))
                                        or found.__name__ in _OUR_OTHERS)


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: BinaryIO, shared: list[Any] | None = None) -> None:
        super().__init__(file)
        self._shared = shared or []

    def persistent_load(self, pid: Any) -> Any:
        if not isinstance(pid, int) or not 0 <= pid < len(self._shared):
            raise pickle.UnpicklingError("a reference to no shared object")
        return self._shared[pid]

    def find_class(self, module: str, name: str) -> Any:
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        if module.startswith("explainer.") and module in sys.modules:
            found = getattr(sys.modules[module], name, None)
            if _plain_data(found):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a build record")
