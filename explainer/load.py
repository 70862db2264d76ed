"""Stage 2, load: content/** -> RawDocument objects (parsed YAML + Markdown body, with locations)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Diagnostic, Location, Report, Severity, YamlError
from .kinds import KINDS as KIND_TABLE
from .yamlio import decode_text, load_yaml

MAX_FILE_BYTES = 5_000_000
# Folder under content/ -> (document kind, file suffix), from the kinds table (kinds.py).
# content/raw/ holds the importer's provenance copies and is never read by the build.
KINDS = {entry.folder: (entry.document, entry.suffix) for entry in KIND_TABLE}
IGNORED_DIRS = {"raw"}


@dataclass(frozen=True)
class RawDocument:
    kind: str
    path: str
    data: Any
    body: str = ""
    body_line: int = 0
    failed: bool = False  # unreadable: already reported; later stages must not report its id as missing

    @property
    def stem(self) -> str:
        return Path(self.path).stem


# Files editors and operating systems leave next to the ones being edited. The build and the
# preview's watcher share this list, so the watcher sees every file the build reads.
_LITTER_NAMES = re.compile(r"""^(?:
      [.#~].*            # dotfiles (.foo.swp, .#lock), emacs autosave (#x#), ~x
    | .*~                # backup files
    | .*\.(?:sw[a-p]|swx|tmp|temp|bak|orig|rej|part|crdownload|kate-swp|pyc)
    | 4913               # vim's probe file
    | __pycache__ | Thumbs\.db | desktop\.ini
)$""", re.VERBOSE | re.IGNORECASE)


def is_litter(name: str) -> bool:
    return _LITTER_NAMES.match(name) is not None


def content_files(content_dir: Path) -> list[Path]:
    """Every file under content/ in a stable order, skipping editor litter and content/raw/."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(content_dir, followlinks=False):
        rel = Path(folder).relative_to(content_dir)
        dirs[:] = sorted(d for d in dirs if not is_litter(d) and not (rel == Path(".") and d in IGNORED_DIRS))
        found.extend(Path(folder) / name for name in sorted(files) if not is_litter(name))
    return found


def is_content_file(content_dir: Path, path: Path) -> bool:
    """Whether ``content_files`` would list ``path`` (if it exists)."""
    if not path.is_relative_to(content_dir):
        return False
    parts = path.relative_to(content_dir).parts
    return bool(parts) and not any(is_litter(part) for part in parts) and not (len(parts) > 1 and parts[0] in IGNORED_DIRS)


def source_files(root: Path, report: Report) -> list[Path]:
    """The content files of a project; a missing content/ folder is reported."""
    content_dir = root / "content"
    if not content_dir.is_dir():
        report.error("load", "there is no content/ folder", Location(str(content_dir)),
                     "create content/articles/, content/actors/, content/quotes/ and content/votes/")
        return []
    return content_files(content_dir)


def load_content(root: Path, report: Report) -> list[RawDocument]:
    """Read and parse every content file; problems go to ``report`` and the file is skipped."""
    documents = (load_file(root, path, report) for path in source_files(root, report))
    return [document for document in documents if document is not None]


def load_file(root: Path, path: Path, report: Report) -> RawDocument | None:
    display = path.relative_to(root).as_posix()
    rel = path.relative_to(root / "content")
    folder = rel.parts[0] if len(rel.parts) > 1 else ""
    if folder not in KINDS:
        folders = ", ".join(f"{name}/" for name in KINDS)
        report.warning("load", f"ignored: {display} is not in one of the content folders ({folders})",
                       Location(display), "move it into one of those folders")
        return None
    kind, suffix = KINDS[folder]
    if path.suffix != suffix:
        report.warning("load", f"ignored: {display} is not a {suffix} file", Location(display),
                       f"rename it to end in {suffix} if it is content")
        return None
    resolved = path.resolve()
    if path.is_symlink() and not resolved.is_relative_to(root.resolve()):
        report.error("load", f"{display} links to {resolved}, outside the project", Location(display, 1),
                     "copy the file into the project instead of linking to it")
        return None
    size = resolved.stat().st_size
    if size > MAX_FILE_BYTES:
        report.error("load", f"{display} is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                     Location(display, 1), "split it into smaller files")
        return RawDocument(kind, display, None, failed=True)
    try:
        text = decode_text(resolved.read_bytes(), display)
        if kind == "article":
            return _parse_article(display, text)
        return RawDocument(kind, display, load_yaml(text, display))
    except YamlError as exc:
        report.add(exc.diagnostic)
        return RawDocument(kind, display, None, failed=True)


def _parse_article(display: str, text: str) -> RawDocument:
    """Split '---' front matter from the Markdown body, keeping line numbers for both."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise _front_matter_error(display, 1, "the article does not start with '---' front matter",
                                  "begin the file with ---, the title/date fields, and another ---")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            yaml_text = "\n".join(lines[1:index])
            data = load_yaml(yaml_text, display, line_offset=1)
            body = "\n".join(lines[index + 1:])
            return RawDocument("article", display, data, body, body_line=index + 2)
    raise _front_matter_error(display, 1, "the front matter is never closed",
                              "add a line with just --- after the front matter fields")


def _front_matter_error(path: str, line: int, message: str, hint: str) -> YamlError:
    return YamlError(Diagnostic(Severity.ERROR, "front-matter", message, Location(path, line), hint))
