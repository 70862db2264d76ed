"""What the preview watches: the input globs, the ignore filter, and snapshots of the inputs.

``scan`` polls the watched globs (content/**/*, templates/**/*, config.yaml; never the output
folder) and returns a snapshot of stat stamps, skipping editor litter like sphinx-autobuild's
``IgnoreFilter``; ``fingerprint`` adds content digests as a build starts.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import PACKAGE_TEMPLATES, Project
from ..fsguard import UnsafePath, read_regular
from ..load import is_litter

RACY_NS = 2_000_000_000  # a file this fresh may change again without a new mtime: compare content


def watch_globs(project: Project) -> list[str]:
    """Every input, as '<folder>/**/*' for a folder's whole tree or a file's path: content,
    templates (and static), config.yaml. ``scan`` walks them; they are not run through glob,
    so a folder name with glob characters needs no escaping."""
    folders = [project.content_dir, project.templates_dir]
    if PACKAGE_TEMPLATES.resolve() != project.templates_dir.resolve():
        folders.append(PACKAGE_TEMPLATES)
    return [f"{folder}{TREE}" for folder in folders] + [str(project.config_path)]


TREE = "/**/*"


def is_ignored(path: str, root: Path, out_dir: Path) -> bool:
    """Anything inside the output folder, or editor litter in any part of the path below ``root``."""
    candidate = Path(path)
    if candidate.is_relative_to(out_dir):
        return True
    parts = candidate.relative_to(root).parts if candidate.is_relative_to(root) else candidate.parts[-2:]
    return any(is_litter(part) for part in parts)


@dataclass(frozen=True)
class Stamp:
    """What we know about one input file: stat fields, and at a build's start its content digest."""

    mtime_ns: int
    size: int
    inode: int
    digest: str | None = None
    racy: bool = False  # modified so shortly before the build that a rewrite could keep the mtime

    @property
    def stat(self) -> tuple[int, int, int]:
        return (self.mtime_ns, self.size, self.inode)


Snapshot = dict[str, Stamp]


def scan(globs: Iterable[str], root: Path, out_dir: Path) -> Snapshot:
    """Stat every watched file now (missing or vanished files are simply absent).

    Walks with os.scandir rather than glob: on a site of thousands of files the poll runs 20
    times a second, and glob plus a Path per file cost ten times more.
    """
    snapshot: Snapshot = {}
    out_prefix = str(out_dir) + os.sep
    for pattern in globs:
        if pattern.endswith(TREE):
            _scan_folder(pattern.removesuffix(TREE), root, out_prefix, snapshot)
        else:
            path = pattern
            try:
                st = os.stat(path)
            except OSError:
                continue
            if not is_ignored(path, root, out_dir) and os.path.isfile(path):
                snapshot[path] = Stamp(st.st_mtime_ns, st.st_size, st.st_ino)
    return snapshot


def _scan_folder(folder: str, root: Path, out_prefix: str, snapshot: Snapshot) -> None:
    pending = [folder]
    walked: set[tuple[int, int]] = set()  # folders by device and inode: a link back up is walked once
    while pending:
        current = pending.pop()
        try:
            folder_stat = os.stat(current)
            if (folder_stat.st_dev, folder_stat.st_ino) in walked:
                continue
            walked.add((folder_stat.st_dev, folder_stat.st_ino))
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            path = entry.path
            if (path + os.sep).startswith(out_prefix) or is_litter(entry.name) or path in snapshot:
                continue
            try:
                if entry.is_dir():
                    pending.append(path)
                    continue
                # Anything else is watched too, a FIFO or a dangling link included (the build
                # reports them), so that removing one rebuilds. Only stat'ed: opening a FIFO blocks.
                st = entry.stat() if entry.is_file() else entry.stat(follow_symlinks=False)
                snapshot[path] = Stamp(st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                continue


DIGEST_LIMIT = 256 << 20  # a larger file (a video in static/) is compared by its stat alone


def file_digest(path: str) -> str | None:
    """The digest of a file's content, None if it cannot be read (gone, a dangling link).

    A FIFO, socket or device is never opened (a FIFO would block the watcher): its stat stands
    for its content, as for a file over DIGEST_LIMIT."""
    try:
        status = os.stat(path)
        if stat.S_ISREG(status.st_mode) and status.st_size <= DIGEST_LIMIT:
            return hashlib.blake2b(read_regular(Path(path), DIGEST_LIMIT), digest_size=16).hexdigest()
    except UnsafePath:  # turned into something else, or grew, since the stat
        pass
    except OSError:
        return None
    return f"unread {status.st_mode:o} {status.st_size} {status.st_mtime_ns}"


def fingerprint(snapshot: Snapshot, wall_ns: int, digest: Callable[[str], str | None] = file_digest,
                previous: Snapshot | None = None) -> Snapshot:
    """A snapshot taken as a build starts: every stamp gets its content digest and racy flag.

    A file whose stat is the same as in ``previous`` and was not racy then keeps its digest
    there: reading every input again costs ~100 ms on a site of a thousand articles.
    """
    result: Snapshot = {}
    for path, stamp in snapshot.items():
        known = previous.get(path) if previous else None
        racy = wall_ns - stamp.mtime_ns <= RACY_NS
        if (known is not None and not known.racy and not racy and known.digest is not None
                and (known.mtime_ns, known.size, known.inode) == (stamp.mtime_ns, stamp.size, stamp.inode)):
            result[path] = replace(stamp, digest=known.digest, racy=False)
        else:
            result[path] = replace(stamp, digest=digest(path), racy=racy)
    return result


def differences(before: Snapshot, after: Snapshot) -> set[str]:
    """Inputs added, removed or with other content between two fingerprints."""
    return {path for path in before.keys() | after.keys()
            if path not in before or path not in after or before[path].digest != after[path].digest}

