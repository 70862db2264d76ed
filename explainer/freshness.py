"""Is the output already up to date? A stdlib-only check, so that a build with nothing to do
answers before the heavy modules (pydantic, jinja2, markdown-it) are even imported.

After a successful build the CLI records the stamp (path, mtime, size) of every input (content,
templates, config, the engine's own code) and of every output file. The next build is skipped
only if every input stamp and every output stamp is unchanged; anything else rebuilds.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from .resources import PACKAGE_TEMPLATES

STATE_DIR = ".explainer-cache"
STATE_FILE = "last-build.json"
ENGINE = Path(__file__).resolve().parent


def _stamps_under(folder: Path, base: Path, found: dict[str, list[int]], skip: str | None = None) -> None:
    """(mtime, size) of every file under ``folder``, keyed by its path relative to ``base``.

    Plain strings and os.scandir, in the order the file system lists them (the stamps are
    compared as dicts): this runs on every build of sites with tens of thousands of files,
    where pathlib, relpath and sorting cost more than the stat calls themselves.
    """
    prefix = len(str(base).rstrip("/")) + 1
    pending = [str(folder)]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__" and entry.path != skip:
                    pending.append(entry.path)
                continue
            try:
                status = entry.stat()
            except OSError:
                try:  # a link to nothing (or a loop) is an input too: the build reports it
                    status = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
            found[entry.path[prefix:]] = [status.st_mtime_ns, status.st_size]


def _stamp_file(path: Path, base: Path, found: dict[str, list[int]]) -> None:
    try:
        status = path.stat()
    except OSError:
        return
    found[os.path.relpath(path, base)] = [status.st_mtime_ns, status.st_size]


def input_stamps(root: Path, options: dict[str, str]) -> dict[str, object]:
    found: dict[str, list[int]] = {}
    _stamp_file(root / "config.yaml", root, found)
    _stamps_under(root / "content", root, found, skip=str(root / "content" / "raw"))
    for folder in (root / "templates", PACKAGE_TEMPLATES, ENGINE):
        if folder.is_dir():
            # Folders outside the project are keyed by their absolute path.
            _stamps_under(folder, root if folder.is_relative_to(root) else Path("/"), found)
    return {"options": options, "inputs": found}


def output_stamps(out_dir: Path) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    _stamps_under(out_dir, out_dir, found)
    return found


def _state_path(root: Path) -> Path:
    return root / STATE_DIR / STATE_FILE


def is_fresh(root: Path, out_dir: Path, inputs: dict[str, object]) -> list[str] | None:
    """The report lines of the last build when nothing changed since it, else None."""
    try:
        state = json.loads(_state_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("inputs") != inputs or not out_dir.is_dir():
        return None
    if state.get("outputs") != output_stamps(out_dir):
        return None
    until = state.get("until")
    if isinstance(until, (int, float)) and time.time() >= until:
        return None  # an embargo has ended since: the build publishes more
    lines = state.get("report", [])
    return [str(line) for line in lines] if isinstance(lines, list) else None


def record(root: Path, out_dir: Path, inputs: dict[str, object], report_lines: list[str],
           until: float | None = None) -> None:
    """Remember a successful build; a failure to write the record only costs the next build time.
    ``until``: when the build stops being current although no file changes (an embargo ends)."""
    state = {"inputs": inputs, "outputs": output_stamps(out_dir), "report": report_lines, "until": until}
    path = _state_path(root)
    try:
        path.parent.mkdir(exist_ok=True)
        (path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(state, separators=(",", ":")), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass


def forget(root: Path) -> None:
    try:
        _state_path(root).unlink()
    except OSError:
        pass
