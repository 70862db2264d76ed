"""Stage 6, write: rendered outputs + static files -> the output folder, all or nothing.

Everything is written into a fresh sibling folder first and swapped in only after every file
is in place, so a failed or interrupted build leaves the previous site as it was, and the
preview server never serves a half-written site. The swap is one atomic exchange of the two
folders where the file system offers it (Linux), so a kill at any moment leaves the old site or
the new one; elsewhere it is two renames, and the next build puts back the old site if a kill
fell between them (outdir.recover). Which folders may be replaced at all: outdir.py.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

from . import faults, outdir


class Staging:
    """A fresh sibling of the output folder that files are put into, swapped in whole.

    Used as a context manager: leaving it with an error removes the folder and leaves the
    previous site as it was; ``commit`` swaps it in. Forked worker processes may ``put`` into
    the same staging folder (each keeps its own record of the folders it made).
    """

    def __init__(self, out_dir: Path) -> None:
        """Made before the build starts: what a killed build left beside ``out_dir`` is cleaned
        up here, so that even a build that then fails puts back a site a kill took away."""
        self.out_dir = out_dir
        outdir.recover(out_dir)
        self._folder: Path | None = None
        self._folders: set[Path] = set()
        self._lock: int | None = None
        self._committed = False

    def prepare(self) -> Path:
        """Make the folder, once. It is made on first use, so a build that fails before writing
        leaves nothing behind; forked workers must find it made, so the parent prepares it.

        The output folder is checked first (a build must never replace a folder it did not
        write). The staging folder gets
        our marker before anything else, so that a kill leaves it recognisable as ours, and is
        locked, so that a concurrent build does not take it for a leftover."""
        if self._folder is None:
            outdir.check(self.out_dir)
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix=outdir.sibling(self.out_dir, outdir.NEW), dir=self.out_dir.parent))
            outdir.mark(folder)
            self._lock = outdir.lock(folder)
            self._folder = folder
            self._folders.add(folder)
        return self._folder

    @property
    def folder(self) -> Path:
        return self.prepare()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if self._folder is not None and not self._committed:  # a failure or an interruption
            shutil.rmtree(self._folder, ignore_errors=True)
        if self._lock is not None:
            outdir.unlock(self._lock)
            self._lock = None

    def put(self, relative: str, data: bytes | Iterable[bytes]) -> None:
        """Write a file, given whole or in pieces (written as they come)."""
        target = _safe_target(self.folder, relative)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        if isinstance(data, bytes):
            target.write_bytes(data)
            return
        with target.open("wb") as file:
            for piece in data:
                file.write(piece)

    def copy(self, relative: str, source: Path) -> None:
        self.put(relative, source.read_bytes())

    def link(self, relative: str, source: Path) -> None:
        """Put a file of the site being replaced into the new one as it is: a hard link (no
        bytes copied; the old site's name for it goes when the old site is removed), or a copy
        where the file system has no hard links. Files in a site are only ever replaced
        (renamed over), never written in place, so the two names never see different bytes."""
        target = _safe_target(self.folder, relative)
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            target.write_bytes(source.read_bytes())

    def link_tree(self, relative: str, source: Path) -> None:
        """``link`` every file under the folder ``source`` into ``relative``."""
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.is_symlink():
                self.link(f"{relative}/{path.relative_to(source).as_posix()}", path)

    def commit(self) -> None:
        os.chmod(self.folder, 0o755)
        faults.point("staged")
        _swap_in(self.folder, self.out_dir)
        self._committed = True


def write_site(outputs: Mapping[str, bytes], static: Mapping[str, Path], out_dir: Path,
               extra: Mapping[str, bytes] | None = None,
               before_swap: Callable[[Path], object] | None = None) -> None:
    """Write everything into a staging folder, let ``before_swap`` finish it (search index), swap in."""
    with Staging(out_dir) as staging:
        for relative, data in outputs.items():
            staging.put(relative, data)
        finish_site(staging, outputs.keys(), static, extra or {}, before_swap)


def finish_site(staging: Staging, rendered: Collection[str], static: Mapping[str, Path],
                extra: Mapping[str, bytes], before_swap: Callable[[Path], object] | None = None) -> None:
    """Add the static and extra files to a staged site, let ``before_swap`` finish it, swap it in.

    A rendered file wins over a static one of the same name (the generated social image is
    made only when the project has no static one, so they never meet in practice)."""
    for relative, source in sorted(static.items()):
        if relative not in rendered:
            staging.copy(relative, source)
    for relative, data in sorted(extra.items()):
        staging.put(relative, data)
    if before_swap is not None:
        before_swap(staging.folder)
    staging.commit()


def _safe_target(root: Path, relative: str) -> Path:
    """Refuse an output path that would land outside the output folder.

    A string check, not resolve(): output names are made by our own code (ids are slugs), and
    resolving thousands of paths was a quarter of an incremental write.
    """
    parts = relative.split("/")
    if not relative or relative.startswith("/") or "\\" in relative or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"output path escapes the site folder: {relative!r}")
    return root.joinpath(*parts)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Put the staged site in place of ``out_dir``, then remove the old site.

    Checked again first: the folder may have changed while the site was built. An accepted
    folder without our marker (empty, or a site of an older version) gets it, so that a kill
    below leaves the old site recognisable for ``outdir.recover``."""
    outdir.check(out_dir)
    if not os.path.lexists(out_dir):
        os.rename(staging, out_dir)
        return
    if not outdir.is_ours(out_dir):
        outdir.mark(out_dir)
    if not faults.active("no-exchange") and _exchange(staging, out_dir):
        faults.point("swapped")
        outdir.remove_ours(staging)  # the old site, now under the staging name
        return
    suffix = staging.name[len(outdir.sibling(out_dir, outdir.NEW)):]
    old = out_dir.with_name(outdir.sibling(out_dir, outdir.OLD) + suffix)
    held = outdir.lock(out_dir)  # a concurrent build's recover must not put it back meanwhile
    try:
        os.rename(out_dir, old)
        faults.point("renamed-old")
        try:
            os.rename(staging, out_dir)
        except OSError:
            os.rename(old, out_dir)
            raise
    finally:
        outdir.unlock(held)
    faults.point("swapped")
    outdir.remove_ours(old)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 with RENAME_EXCHANGE); False where
    the C library or the file system does not offer it."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


def update_site(outputs: Mapping[str, bytes], static: Mapping[str, Path], out_dir: Path,
                previous: Mapping[str, bytes], extra: Mapping[str, bytes] | None = None,
                only: Collection[str] | None = None) -> list[str]:
    """Bring an existing output folder up to date in place, writing only what changed.

    For the preview server: after a small edit this writes a handful of files instead of the
    whole site. Each file is replaced atomically; ``previous`` is what the last write put there.
    ``only``: the rendered outputs that may have changed, when the caller knows that nothing
    else did (static and extra files included). Returns the names of the files written or removed.
    """
    if only is not None:
        wanted = {name: outputs[name] for name in only if name in outputs}
        previous = {name: previous[name] for name in only if name in previous}
    else:
        wanted = {**outputs, **(extra or {})}
        for relative, source in static.items():
            wanted[relative] = source.read_bytes()
    changed = []
    for relative, data in sorted(wanted.items()):
        target = _safe_target(out_dir, relative)
        if previous.get(relative) == data and target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(data)
        os.replace(partial, target)
        changed.append(relative)
    for relative in sorted(set(previous) - set(wanted)):
        target = _safe_target(out_dir, relative)
        if target.is_file():
            target.unlink()
            changed.append(relative)
    return changed
