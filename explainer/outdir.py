"""The output folder's rules: which folder a build may replace, and what a killed build left.

A build replaces its output folder whole, so it must only ever replace a folder it wrote itself.
Every folder we write carries ``MARKER``; a build refuses any other non-empty folder, a symlink,
a file, and the project's own folders (issue #17.1). The swap in write.py keeps the old site
until the new one is in place; ``recover`` finishes or undoes what a killed swap left, and
removes stale staging folders, but only folders that carry our marker (issue #17.10).

Stdlib and errors.py only: config.py calls ``refusal`` while it validates ``--out``.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from pathlib import Path

from . import faults
from .errors import ExplainerError

MARKER = ".explainer-site"
MARKER_TEXT = (
    b"This folder is written by Explainer (python build.py build) and replaced whole by every build.\n"
    b"Keep no files of your own here. Explainer replaces or deletes only folders that hold this file.\n"
)
# What a site written before the marker existed always held (the build wrote all three).
LEGACY_SIGNS = (".nojekyll", "index.html", "pagefind")
NEW, OLD = "new", "old"


class OutputError(ExplainerError):
    """The output folder may not be replaced; the message says why and what to do."""


def check(out: Path, root: Path | None = None) -> None:
    """Raise OutputError when a build must not replace ``out`` (see ``refusal``)."""
    refused = refusal(out, root)
    if refused is not None:
        raise OutputError(" — ".join(refused))


def output_path(given: Path) -> Path:
    """The output folder made absolute, following links in its parents but not the folder itself,
    so that a ``site`` symlink is seen (and refused) rather than silently replaced through."""
    absolute = given if given.is_absolute() else Path.cwd() / given
    if absolute.name in ("", ".", ".."):
        return absolute.resolve()
    return absolute.parent.resolve() / absolute.name


def sibling(out: Path, kind: str) -> str:
    """The name prefix of the staging (``new``) and replaced (``old``) copies of ``out``."""
    return f".{out.name}.{kind}-"


def refusal(out: Path, root: Path | None = None) -> tuple[str, str] | None:
    """Why a build must not replace ``out`` (message, what to do), or None when it may.

    ``root``: the project, whose own folders are refused whatever they hold."""
    what = f"the output folder {out}"
    elsewhere = "choose an empty folder (or a new one, such as site/) with --out"
    if root is not None:
        protected = [root, root / "content", root / "templates", root / ".explainer-cache", root / "config.yaml"]
        for folder in protected:
            if out == folder or folder.is_relative_to(out) or (folder != root and out.is_relative_to(folder)):
                why = (f"{what} would overwrite {folder}, which belongs to the project "
                       "(a build replaces its output folder whole)")
                return why, elsewhere
    if ".git" in out.parts:
        return f"{what} would replace a git repository's own files", elsewhere
    if out.is_symlink():
        return (f"{what} is a symbolic link: a build would replace the folder it points to",
                f"{elsewhere}, or remove the link yourself")
    if not out.exists():
        return None
    if not out.is_dir():
        return f"{what} is a file, not a folder", elsewhere
    if is_ours(out) or looks_like_legacy_output(out):
        return None
    names = sorted(entry.name for entry in os.scandir(out))
    if not names:
        return None
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    return (f"{what} holds files Explainer did not write ({shown}); a build replaces the whole folder",
            f"{elsewhere}, or move those files away or delete the folder yourself")


def is_ours(folder: Path) -> bool:
    """A real folder holding our marker as a regular file (a link named like it does not count)."""
    try:
        return not folder.is_symlink() and (folder / MARKER).lstat().st_mode & 0o170000 == 0o100000
    except OSError:
        return False


def looks_like_legacy_output(folder: Path) -> bool:
    """A site written by a version of Explainer older than the marker: it has all the files that
    every build wrote. Accepted once; the build that replaces it adds the marker."""
    return (folder / ".nojekyll").is_file() and (folder / "index.html").is_file() and (folder / "pagefind").is_dir()


def mark(folder: Path) -> None:
    (folder / MARKER).write_bytes(MARKER_TEXT)


def lock(folder: Path) -> int:
    """Hold an exclusive lock on the folder's marker while a build uses the folder, so that a
    concurrent build's ``recover`` leaves it alone; a killed process releases it by dying."""
    descriptor = os.open(folder / MARKER, os.O_RDONLY | os.O_CLOEXEC)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def unlock(descriptor: int) -> None:
    os.close(descriptor)


def _in_use(folder: Path) -> bool:
    try:
        descriptor = os.open(folder / MARKER, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return True  # gone meanwhile: someone else is handling it
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            return True
        raise
    finally:
        os.close(descriptor)
    return False


def recover(out: Path) -> list[Path]:
    """Undo or finish what an interrupted build left beside ``out``; returns what was removed.

    A kill between the two renames of the fallback swap leaves no ``out`` but the old site
    under an ``old`` name: it is put back. Every other leftover (a staging folder, an old
    copy) is removed if it carries our marker and no running build holds it; anything else
    is left alone."""
    parent = out.parent
    try:
        names = sorted(entry.name for entry in os.scandir(parent))
    except OSError:
        return []
    leftovers = [parent / name for name in names
                 if name.startswith((sibling(out, NEW), sibling(out, OLD)))]
    mine = [path for path in leftovers if is_ours(path) and not _in_use(path)]
    olds = [path for path in mine if path.name.startswith(sibling(out, OLD))]
    if olds and not os.path.lexists(out):
        newest = max(olds, key=lambda path: (path / MARKER).stat().st_mtime_ns)
        os.rename(newest, out)
        mine.remove(newest)
    for path in mine:
        remove_ours(path)
    return mine


def remove_ours(folder: Path) -> None:
    """Delete a folder of ours, its marker last, so that a kill midway leaves it recognisable
    for the next build to finish. A failure only leaves it for the next build to retry."""
    try:
        for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
            if entry.name == MARKER:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            faults.point("removing-old")
        os.unlink(folder / MARKER)
        os.rmdir(folder)
    except OSError:
        pass
