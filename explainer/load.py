"""Stage 2, load: content/** -> RawDocument objects (parsed YAML + Markdown body, with locations)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Diagnostic, Location, Report, Severity, YamlError
from .fsguard import UnsafePath, check_inside, read_regular
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


def content_files(content_dir: Path, report: Report) -> list[Path]:
    """Every file under content/ in a stable order (each folder's files, then its folders),
    skipping editor litter and content/raw/.

    A link is followed only if it stays inside the project: a link out of it, one that leads
    nowhere or back to a folder already read is reported (naming the link) and skipped, never
    ignored silently (issue #17). Links to folders inside the project (``content/articles ->
    ../drafts``) are read as if the folder were there.
    """
    root = content_dir.parent
    found: list[Path] = []
    walked: dict[Path, Path] = {}  # real folder -> the path it was first read under
    stack = [content_dir]
    while stack:
        folder = stack.pop()
        real = folder.resolve()
        if real in walked:
            display = folder.relative_to(root).as_posix()
            report.error("load", f"{display} links to {walked[real].relative_to(root).as_posix()}, which is read "
                         "already", Location(display), "remove the link: a folder is read once")
            continue
        walked[real] = folder
        files, folders = _entries(root, folder, top=folder == content_dir, report=report)
        found.extend(files)
        stack.extend(reversed(folders))
    return found


def _entries(root: Path, folder: Path, *, top: bool, report: Report) -> tuple[list[Path], list[Path]]:
    """The files and sub-folders of ``folder`` worth reading, each sorted by name."""
    files: list[Path] = []
    folders: list[Path] = []
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        if is_litter(entry.name) or (top and entry.name in IGNORED_DIRS):
            continue
        path = folder / entry.name
        if entry.is_symlink():
            try:
                check_inside(root, path)
            except UnsafePath as exc:
                display = path.relative_to(root).as_posix()
                report.error("load", exc.message, Location(display, 0 if _is_dir(entry) else 1), exc.hint)
                continue
        (folders if _is_dir(entry) else files).append(path)
    return files, folders


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """A folder, following links; a loop of links is no folder (the reader reports it)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def is_content_file(content_dir: Path, path: Path) -> bool:
    """Whether ``content_files`` would list ``path`` (if it exists)."""
    if not path.is_relative_to(content_dir):
        return False
    parts = path.relative_to(content_dir).parts
    ignored = len(parts) > 1 and parts[0] in IGNORED_DIRS
    return bool(parts) and not any(is_litter(part) for part in parts) and not ignored


def source_files(root: Path, report: Report) -> list[Path]:
    """The content files of a project; a missing content/ folder is reported."""
    content_dir = root / "content"
    try:
        check_inside(root, content_dir, "folder")
    except UnsafePath as exc:
        report.error("load", exc.message, Location("content"), exc.hint)
        return []
    if not content_dir.is_dir():
        report.error("load", "there is no content/ folder", Location(str(content_dir)),
                     "create content/articles/, content/actors/, content/quotes/ and content/votes/")
        return []
    return content_files(content_dir, report)


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
    try:
        data = read_regular(_inside(root, path), MAX_FILE_BYTES)
    except UnsafePath as exc:  # a link out of the project or to nowhere, a FIFO, a device, too big
        report.error("load", exc.message.replace(str(exc.path), display), Location(display, 1), exc.hint)
        return RawDocument(kind, display, None, failed=True)
    except OSError as exc:  # removed or made unreadable since the folder was listed
        report.error("load", f"{display} cannot be read: {exc.strerror or exc}", Location(display, 1),
                     "check that the file exists and that you may read it")
        return RawDocument(kind, display, None, failed=True)
    try:
        text = decode_text(data, display)
        if kind == "article":
            return _parse_article(display, text)
        return RawDocument(kind, display, load_yaml(text, display))
    except YamlError as exc:
        report.add(exc.diagnostic)
        return RawDocument(kind, display, None, failed=True)


def _inside(root: Path, path: Path) -> Path:
    """``path`` when it lies below ``root`` with no link on its way (one realpath: the common
    case; ``root`` is canonical when it comes from load_config), else fsguard's full rule,
    which names a link that leads out. At 1,000 articles the full rule for every file cost
    a third of the load stage's CPU time."""
    normal = os.path.normpath(path)
    if normal.startswith(str(root) + os.sep) and os.path.realpath(normal) == normal:
        return path
    return check_inside(root, path)


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
