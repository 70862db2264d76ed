"""Is the output already up to date? A stdlib-only check, so that a build with nothing to do
answers before the heavy modules (pydantic, jinja2, markdown-it) are even imported.

After a successful build the CLI records the stamp (path, mtime, size) of every input (content,
templates, config, the engine's own code) and of every output file. The next build is skipped
only if every input stamp and every output stamp is unchanged; anything else rebuilds.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

STATE_DIR = ".explainer-cache"
STATE_FILE = "last-build.json"
ENGINE = Path(__file__).resolve().parent
DEFAULT_TEMPLATES = ENGINE.parent / "templates"


def _walk(folder: Path, skip: Iterable[Path] = ()) -> Iterable[Path]:
    skipped = {p.resolve() for p in skip}
    for current, dirs, files in os.walk(folder):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if (here / d).resolve() not in skipped and d != "__pycache__")
        for name in sorted(files):
            yield here / name


def _stamps(paths: Iterable[Path], base: Path) -> dict[str, list[int]]:
    found = {}
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            continue
        found[os.path.relpath(path, base)] = [status.st_mtime_ns, status.st_size]
    return found


def input_stamps(root: Path, options: dict[str, str]) -> dict[str, object]:
    inputs: list[Path] = [root / "config.yaml"]
    inputs += _walk(root / "content", skip=[root / "content" / "raw"])
    for folder in (root / "templates", DEFAULT_TEMPLATES, ENGINE):
        if folder.is_dir():
            inputs += _walk(folder)
    return {"options": options, "inputs": _stamps(inputs, root)}


def output_stamps(out_dir: Path) -> dict[str, list[int]]:
    return _stamps(_walk(out_dir), out_dir)


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
    lines = state.get("report", [])
    return [str(line) for line in lines] if isinstance(lines, list) else None


def record(root: Path, out_dir: Path, inputs: dict[str, object], report_lines: list[str]) -> None:
    """Remember a successful build; a failure to write the record only costs the next build time."""
    state = {"inputs": inputs, "outputs": output_stamps(out_dir), "report": report_lines}
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
