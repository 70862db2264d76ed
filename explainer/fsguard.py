"""The one rule for touching files inside a project: never through a link out of it, only
regular files, and writes that are all or nothing.

Every reader of content and templates and every writer of content (the importers) goes through
these functions, so a symlink to ``/etc/hostname``, a FIFO named ``x.yaml`` or a link that
points back out of the project is refused in one place, with the same message (issue #17).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass
class UnsafePath(Exception):
    """A path the project must not read or write; ``message`` and ``hint`` are for the editor."""

    path: Path
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}"


def _normal(path: Path) -> Path:
    """``path`` made absolute and with ``..`` folded, without following any link."""
    return Path(os.path.normpath(path if path.is_absolute() else Path.cwd() / path))


def escaping_link(root: Path, path: Path) -> Path | None:
    """The first symlink on the way from ``root`` to ``path`` whose target lies outside
    ``root`` or does not exist; None when every step stays inside the project."""
    root = root.resolve()
    current = root
    for part in _normal(path).relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            try:
                target = current.resolve(strict=False)
            except (RuntimeError, OSError):  # a loop of links: it leads nowhere
                return current
            if not target.is_relative_to(root) or not target.exists():
                return current
    return None


def check_inside(root: Path, path: Path, what: str = "file") -> Path:
    """``path`` resolved, after checking that it lies under ``root`` and that no link on its way
    leads out of ``root`` or nowhere; raises UnsafePath naming the link otherwise."""
    root = root.resolve()
    normal = _normal(path)
    if not normal.is_relative_to(root):
        raise UnsafePath(path, f"the {what} {path} is outside the project {root}",
                         "keep content, templates and output inside the project folder")
    link = escaping_link(root, normal)
    if link is not None:
        target = os.readlink(link)
        if not link.exists():  # a missing target or a loop of links
            raise UnsafePath(link, f"{_shown(root, link)} is a symbolic link to {target}, which does not exist",
                             "remove the link or make it point to a file inside the project")
        raise UnsafePath(link, f"{_shown(root, link)} is a symbolic link to {target}, outside the project",
                         "copy what it points to into the project instead of linking to it")
    return normal.resolve()


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them; a FIFO, device or socket is
    refused without blocking (opened non-blocking, then checked with fstat)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise UnsafePath(path, f"{path} is not a regular file ({_file_type(status.st_mode)})",
                             "remove it or replace it with an ordinary file")
        if status.st_size > limit:
            raise UnsafePath(path, f"{path} is {status.st_size:,} bytes, over the limit of {limit:,}",
                             "split it into smaller files")
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise UnsafePath(path, f"{path} is over the limit of {limit:,} bytes", "split it into smaller files")
        return data
    finally:
        os.close(descriptor)


def is_regular(path: Path) -> bool:
    """Whether ``path`` (following links) is a regular file; never opens it."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def write_inside(root: Path, path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write ``data`` to ``path`` under ``root`` all at once (a temporary file renamed over the
    target), creating folders as needed. Refuses a path that leads out of ``root`` through a
    link, a target that is itself a link or not a regular file, and, without ``overwrite``, a
    target that exists."""
    target = check_inside(root, path.parent, "folder") / path.name
    if target.is_symlink():
        raise UnsafePath(target, f"{target} is a symbolic link", "remove the link; nothing is written through links")
    if target.exists():
        if not overwrite:
            raise UnsafePath(target, f"{target} already exists", "pass --force to overwrite it")
        if not target.is_file():
            raise UnsafePath(target, f"{target} exists and is not a regular file", "move it out of the way")
    target.parent.mkdir(parents=True, exist_ok=True)
    check_inside(root, target.parent, "folder")  # a folder made by mkdir may have raced a link in
    handle, temporary = _temporary_beside(target)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError as exc:  # already renamed or never made
            if exc.errno != errno.ENOENT:
                raise
        raise


def _temporary_beside(target: Path) -> tuple[int, str]:
    """A new file next to ``target``, created with mode 0666 less the umask like any file an
    editor saves (tempfile.mkstemp would make it 0600, unreadable to the rest of a newsroom)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        name = str(target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"
