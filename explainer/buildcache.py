"""What one build keeps for the next: the parsed files, the rendered articles, each page with
what it read, the site's state, in one ``BuildCache``.

The preview server holds one in memory between rebuilds; ``build`` loads one from
``.explainer-cache/`` and saves it again (persist.py). Parsed files are keyed by their stamp
(and, on disk, by a digest of their bytes), articles by what they are made from (link.py); a
page is kept with the keys of the site it read while rendering (record.py), and rendered again
exactly when one of them changed (changes.py).
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .archives import PagingSignature
from .changes import SiteState
from .config import Project
from .errors import Diagnostic
from .link import LinkState
from .load import is_content_file
from .pages import PageSpec
from .record import Key
from .render import TemplateEnvironment
from .resolved import Site
from .validate import Content, Parsed

Stamp = tuple[int, int]  # (mtime in ns, size)
# A parsed file: its stamp when read, what reading it reported, what it parsed to, and a
# digest of the bytes it was parsed from (b"" when unknown), for builds in another process.
Document = tuple[Stamp, tuple[Diagnostic, ...], Parsed, bytes]


@dataclass(frozen=True)
class PageRecord:
    """A rendered page or file: what it was rendered as, what it read, a digest of its bytes
    (None: its code made nothing, as the sitemap without a host) and, in the process that
    rendered it, the bytes (None once only the output folder holds them)."""

    spec: PageSpec
    reads: array[int]  # the ids of the keys it read (BuildCache.key_ids): compact, and quick to save
    digest: bytes | None
    data: bytes | None = None


class HeapFreezer:
    """The cyclic collector's freezing, for builds whose objects live on (see
    ``pipeline._stages_frozen``).

    ``gc.freeze`` is process-wide; this object knows whether it froze, so a build unfreezes
    only what a build of the same cache froze, and ``release`` (or a one-off build) ends it.
    """

    def __init__(self) -> None:
        self.frozen = False

    def freeze(self) -> None:
        gc.freeze()
        self.frozen = True

    def release(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = False


@dataclass
class Linked:
    """What the last build made, for the fast path of edits to articles' text and to quotes
    (quickedit.py); kept in memory only."""

    content: Content
    site: Site
    state: LinkState
    specs: list[PageSpec]  # every page, as page_specs made them (an edit of text changes none)
    outputs: dict[str, bytes]  # as BuildResult.outputs
    paging: PagingSignature | None = None  # archives.paging_signature of this site, once computed


@dataclass
class BuildCache:
    """What one build keeps for the next (see the module docstring)."""

    documents: dict[Path, Document] = field(default_factory=dict)
    articles: dict[object, object] = field(default_factory=dict)  # link.py's rendered articles
    pages: dict[str, PageRecord] = field(default_factory=dict)
    # Every key any page read, by id: pages keep the ids (at 5,000 articles pages make some
    # 1.5 million reads of 250,000 keys). Never shrinks while the pages are kept.
    key_ids: dict[Key, int] = field(default_factory=dict)
    # What each memo read (record.Memo), by the ids of its key and of its reads.
    memo_reads: dict[int, array[int]] = field(default_factory=dict)
    # The pages that read each key id, for the fast path; None until it needs it (``reader_index``).
    readers: dict[int, set[str]] | None = None
    state: SiteState = field(default_factory=SiteState)  # the site the pages were rendered from
    setup: object = None  # what the cached pages rest on besides what they read (setup_stamp)
    written: dict[str, bytes] | None = None  # what the last write put in the output folder
    search_layout: tuple[str, ...] | None = None  # the search bundles of the last complete index
    # (template folders' files, template_stamps)
    templates: tuple[object, dict[str, object]] | None = None
    keep_pages: bool = True  # False for one-off builds: nothing is recorded
    workers: int | None = None  # None: all cores; the preview server builds on one thread
    linked: Linked | None = None  # the last build's model, if it succeeded (see quickedit.py)
    # Outputs the fast path re-rendered since the last write (None: unknown, compare them all):
    # a write that failed, or builds never written, must not leave pages behind.
    unwritten: set[str] | None = None
    # The template environment, kept while the template files are unchanged.
    environment: TemplateEnvironment | None = None
    heap: HeapFreezer = field(default_factory=HeapFreezer)
    # Loaded from disk (persist.py): search bundles whose files in the output folder are not
    # the ones the record saw, so they are indexed again whatever changed.
    damaged: set[str] = field(default_factory=set)
    # Loaded from disk and not written since: its pages are the files in the output folder.
    from_record: bool = False
    # Loaded from disk: the files the output folder held then, and whether the record was
    # exactly current (every file as it said; nothing to refresh in it if nothing is rebuilt).
    on_disk: frozenset[str] = frozenset()
    record_current: bool = False
    # The record begun before rendering (persist.set_aside), holding what was dropped from memory.
    set_aside: Path | None = None
    # The stamps of the files of the site this cache's last write swapped in (None: look).
    written_stamps: dict[str, list[int]] | None = None

    def forget_pages(self) -> None:
        """Every page renders again (the setup changed, or the record is not trusted)."""
        self.pages, self.readers, self.environment, self.state = {}, None, None, SiteState()
        self.key_ids, self.memo_reads = {}, {}
        self.templates = None  # their stamps include the language's catalogs


    def ids(self, keys: frozenset[Key]) -> array[int]:
        """The ids of ``keys``, new keys getting new ids."""
        return array("I", [self.key_id(key) for key in keys])

    def key_id(self, key: Key) -> int:
        table = self.key_ids
        return table.setdefault(key, len(table))

    def expand(self, changed: set[int]) -> set[int]:
        """``changed`` with the ids of the memos that read one of them, or read such a memo."""
        pending = True
        while pending:
            pending = False
            for memo, reads in self.memo_reads.items():
                if memo not in changed and not changed.isdisjoint(reads):
                    changed.add(memo)
                    pending = True
        return changed

    def reader_index(self) -> dict[int, set[str]]:
        """The pages that read each key, made from the pages' reads the first time it is
        needed (a build from the record never needs it: only the preview's fast path does)."""
        if self.readers is None:
            self.readers = {}
            for name, page in self.pages.items():
                for key in page.reads:
                    self.readers.setdefault(key, set()).add(name)
        return self.readers


def setup_stamp(project: Project) -> object:
    """What the cached pages' names and bytes rest on besides what they read: the folders, and
    the interface language (read through the template environment's translations, not the
    site). Whether held content is shown is not: it changes the site, which pages read."""
    return (str(project.out_dir), tuple(str(d) for d in project.template_dirs), project.config.language)


def file_stamp(path: Path) -> Stamp:
    status = path.stat()
    return (status.st_mtime_ns, status.st_size)


def changed_since_read(cache: BuildCache, project: Project, stamps: Mapping[str, Stamp]) -> list[str]:
    """Content files whose stamp in ``stamps`` (a watcher's stat of every input, taken before
    the build) differs from the one the cache's last build read them at, new content files,
    and files that build read which ``stamps`` lacks."""
    read = {str(path): entry[0] for path, entry in cache.documents.items()}
    content = project.root / "content"
    changed = [path for path, stamp in stamps.items()
               if (path in read and read[path] != stamp) or (path not in read and is_content_file(content, Path(path)))]
    return changed + [path for path in read if path not in stamps]
