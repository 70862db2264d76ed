"""Stage 6, write: rendered outputs + static files -> the output folder, all or nothing.

Everything is written into a fresh sibling folder first and swapped in with renames only
after every file is in place, so a failed or interrupted build leaves the previous site as
it was, and the preview server never serves a half-written site.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path


def write_site(outputs: Mapping[str, bytes], static: Mapping[str, Path], out_dir: Path,
               extra: Mapping[str, bytes] | None = None,
               before_swap: Callable[[Path], None] | None = None) -> None:
    """Write everything into a staging folder, let ``before_swap`` finish it (search index), swap in."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for relative, source in sorted(static.items()):
            target = _safe_target(staging, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        for relative, data in sorted({**outputs, **(extra or {})}.items()):
            target = _safe_target(staging, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if before_swap is not None:
            before_swap(staging)
        os.chmod(staging, 0o755)
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
    old = out_dir.with_name(f".{out_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)


def update_site(outputs: Mapping[str, bytes], static: Mapping[str, Path], out_dir: Path,
                previous: Mapping[str, bytes], extra: Mapping[str, bytes] | None = None) -> int:
    """Bring an existing output folder up to date in place, writing only what changed.

    For the preview server: after a small edit this writes a handful of files instead of the
    whole site. Each file is replaced atomically; ``previous`` is what the last write put there.
    Returns the number of files written.
    """
    wanted = {**outputs, **(extra or {})}
    for relative, source in static.items():
        wanted[relative] = source.read_bytes()
    written = 0
    for relative, data in sorted(wanted.items()):
        target = _safe_target(out_dir, relative)
        if previous.get(relative) == data and target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(data)
        os.replace(partial, target)
        written += 1
    for relative in sorted(set(previous) - set(wanted)):
        target = _safe_target(out_dir, relative)
        if target.is_file():
            target.unlink()
    return written
