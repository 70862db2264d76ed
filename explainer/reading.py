"""Stages 2 and 3 for each file on its own: read and parse the content files that changed since
the cache's last build, on the workers for many; the others come from the cache."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from .buildcache import BuildCache, Document, file_stamp
from .errors import Diagnostic, Report
from .fsguard import UnsafePath, read_regular
from .load import MAX_FILE_BYTES, load_file, source_files
from .parallel import map_chunks
from .validate import Parsed, parse_document

# Below this many files to read, forking and sending the parsed files back costs more than
# parsing them on two cores saves (measured on the benchmark corpora).
PARALLEL_LOAD_FILES = 1000


def load_and_parse(project_root: Path, cache: BuildCache, report: Report) -> list[Parsed]:
    """Every content file parsed, in the order of ``load.source_files``; their diagnostics go
    into ``report``. ``cache.documents`` is left holding exactly these files."""
    paths = source_files(project_root, report)
    stamps = [file_stamp(path) for path in paths]
    entries: list[Document | None] = [
        entry if entry is not None and entry[0] == stamp else None
        for entry, stamp in ((cache.documents.get(path), stamp) for path, stamp in zip(paths, stamps))]
    todo = [index for index, entry in enumerate(entries) if entry is None]
    if todo or len(paths) != len(cache.documents):
        cache.record_current = False  # files read again, new or gone
    # Files are read and parsed by the workers; their results are unpickled here while they go on.
    fresh = map_chunks(load_chunk, (project_root, [paths[i] for i in todo]), len(todo),
                       workers=cache.workers, min_items=PARALLEL_LOAD_FILES)
    for index, (diagnostics, document, digest) in zip(todo, fresh):
        entries[index] = (stamps[index], diagnostics, document, digest)
    cache.documents = {}
    parsed = []
    for path, entry in zip(paths, entries):
        assert entry is not None
        cache.documents[path] = entry
        for diagnostic in entry[1]:
            report.add(diagnostic)
        parsed.append(entry[2])
    return parsed


def file_digest(path: Path) -> bytes:
    """A digest of a file's bytes (b"" when it cannot be read: never equal to a real one).
    Read as load.py reads it (a FIFO is refused, not waited on)."""
    try:
        return hashlib.blake2b(read_regular(path, MAX_FILE_BYTES), digest_size=16).digest()
    except (UnsafePath, OSError):
        return b""


def load_chunk(shared: tuple[Path, list[Path]],
               indices: Sequence[int]) -> list[tuple[tuple[Diagnostic, ...], Parsed, bytes]]:
    """Read and validate files; runs in worker processes for large sites. Each file's digest is
    taken before it is parsed: were it saved meanwhile, the digest is of the older bytes, and
    the next build reads it again (persist.py)."""
    root, paths = shared
    results = []
    for index in indices:
        file_report = Report()
        digest = file_digest(paths[index])
        document = load_file(root, paths[index], file_report)
        results.append((tuple(file_report.diagnostics), parse_document(document) if document else Parsed(""), digest))
    return results
