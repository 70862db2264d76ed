"""Rendering pages on the workers: which page goes where, and what each brings back (its bytes or
its place in the staging folder, what it read of the site, a digest of its bytes)."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import NamedTuple

from .config import Project
from .errors import ContentError, Diagnostic, Report
from .kinds import KINDS
from .pages import PageSpec
from .parallel import each_chunk
from .record import Key, Recorder
from .render import Renderer, TemplateEnvironment, page_problems
from .resolved import Site
from .urls import output_file
from .write import Staging

NOT_HASHED = b""  # the digest of a page a one-off build made (nothing is kept, so nothing hashed)


class Made(NamedTuple):
    """One rendered output: its bytes (None when they went to the staging folder, or when its
    code made nothing), what it read of the site, and a digest of its bytes (None: nothing made)."""

    data: bytes | None
    reads: array[int]  # the ids of the keys it read (BuildCache.ids)
    digest: bytes | None


class Renders(NamedTuple):
    """The pages rendered, and the ids of what each memo computed meanwhile read (record.Memo)."""

    pages: dict[str, Made]
    memos: dict[Hashable, array[int]]


KeyIds = Callable[[frozenset[Key]], "array[int]"]


def render_pages(site: Site, project: Project, specs: list[PageSpec], workers: int | None, *,
                 staging: Staging | None = None, environment: TemplateEnvironment | None = None,
                 ids: KeyIds | None = None) -> Renders:
    """Render ``specs`` on the workers, each page once: output name -> Made, and the memos' reads.
    With ``staging``, each worker writes its pages there as they come. ``ids``: note what
    each page reads, as the ids this gives its keys, and hash its bytes (a one-off build does
    neither). ``environment``: one to reuse. Raises ContentError with every page's rendering
    errors."""
    todo = sorted(specs, key=_slowest_first)
    renderer = Renderer(site, project, [spec.template for spec in todo if spec.template], environment)
    made: dict[str, Made] = {}
    memos: dict[Hashable, array[int]] = {}
    problems: list[Diagnostic] = []
    none = array("I")
    # Chunk by chunk, each page's keys made ids as they come: the keys of every page at once
    # were a quarter of the build's peak memory at 5,000 articles.
    for part in each_chunk(_render_chunk, (renderer, todo, staging, ids is not None), len(todo), workers=workers):
        for name, data, reads, digest, found, computed in part:
            made[name] = Made(data, ids(reads) if ids is not None else none, digest)
            problems.extend(found)
            for memo, memo_reads in computed.items():
                memos[memo] = ids(memo_reads) if ids is not None else none
    if problems:  # every page's, so that one run reports every template error
        raise ContentError("rendering failed", page_problems(problems))
    return Renders({name: made[name] for name in (output_file(spec.meta.path) for spec in specs)}, memos)


def _slowest_first(spec: PageSpec) -> int:
    """The workers take chunks of pages in order: slow pages first (kinds.Kind.render_order;
    the site-wide pages, such as the quotes page at 640 ms, before all), so that the last
    chunks are of quick ones and no worker is left rendering long after the other finished."""
    return next((entry.render_order for entry in KINDS if entry.name == spec.kind), 0)


# name, bytes, reads, digest, rendering errors, the reads of the memos computed for the page
Rendered = tuple[str, bytes | None, frozenset[Key], bytes | None, tuple[Diagnostic, ...],
                 dict[Hashable, frozenset[Key]]]


def _render_chunk(shared: tuple[Renderer, list[PageSpec], Staging | None, bool],
                  indices: Sequence[int]) -> list[Rendered]:
    """Render some pages, putting them in the staging folder if there is one; runs in worker
    processes for large sites. A page that fails comes back with its diagnostics, and the
    others are rendered all the same."""
    renderer, specs, staging, record = shared
    made: list[Rendered] = []
    # One object per key in the chunk's results: pickled once, and shared once unpickled.
    canonical: dict[Key, Key] = {}
    for index in indices:
        name = output_file(specs[index].meta.path)
        recorder, report = (Recorder() if record else None), Report()
        try:
            pieces = renderer.render_pieces(specs[index], report, recorder)
            data: bytes | None = None
            digest: bytes | None = None
            if pieces is None:
                pass
            elif staging is None:
                data = b"".join(pieces)
                digest = hashlib.blake2b(data, digest_size=16).digest()
            elif record:
                hasher = hashlib.blake2b(digest_size=16)
                staging.put(name, _hashed(pieces, hasher))
                digest = hasher.digest()
            else:
                staging.put(name, pieces)
                digest = NOT_HASHED
            # What the page read is complete once its pieces are.
            keys = recorder.keys if recorder is not None else ()
            reads = frozenset(canonical.setdefault(key, key) for key in keys)
            made.append((name, data, reads, digest, (), _canonical(renderer.memo.drain(), canonical)))
        except ContentError as exc:
            made.append((name, None, frozenset(), None, tuple(exc.report.diagnostics), renderer.memo.drain()))
    return made


def _canonical(memos: dict[Hashable, frozenset[Key]], canonical: dict[Key, Key]) -> dict[Hashable, frozenset[Key]]:
    return {memo: frozenset(canonical.setdefault(key, key) for key in reads) for memo, reads in memos.items()}


def _hashed(pieces: Iterable[bytes], hasher: hashlib.blake2b) -> Iterator[bytes]:
    for piece in pieces:
        hasher.update(piece)
        yield piece
