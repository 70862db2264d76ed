"""Redirects from old URLs, and the record of what the site has published.

A page's ``redirect_from:`` lists the site paths it used to have (``articles/old-slug/``); each
gets a small page that sends readers and crawlers on (meta refresh, canonical link, a visible
link, noindex). ``published-urls.txt`` in the project, written by ``build`` and meant to be
committed, lists every page the last build published, so that a page that disappears without a
redirect is reported instead of silently breaking every link shared to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import Location, Report
from .fsguard import UnsafePath, write_inside
from .kinds import page_kinds
from .resolved import Site
from .validate import Content

RECORD = "published-urls.txt"
_HEADER = ("# Every page the last build published, written by `build`: commit it. A page that\n"
           "# disappears from here without a redirect_from: on its successor is reported.\n")
_PATH = re.compile(r"^[A-Za-z0-9._~\-/%]+$")


@dataclass(frozen=True)
class Redirect:
    old: str  # site path, "articles/old-slug/"
    target: str  # site path of the page it now is
    kind: str
    key: str


def normal_path(text: str) -> str | None:
    """'/articles/x', 'articles/x/' -> 'articles/x/'; None for what is not a path inside the site
    (a full URL, '..', a query, a fragment)."""
    path = text.strip().lstrip("/")
    if not path or "//" in path or not _PATH.match(path) or any(part in (".", "..") for part in path.split("/")):
        return None
    if path.endswith(".html") or path.endswith("/"):
        return path
    return path + "/"


def redirects(site: Site, content: Content, page_paths: Iterable[str], report: Report) -> list[Redirect]:
    """The redirects the content asks for; a path outside the site, one that is a page already, a
    loop, or one claimed twice is an error naming the files."""
    pages = set(page_paths)
    claimed: dict[str, tuple[str, Location]] = {}
    found = []
    for entry in page_kinds():
        for key, obj in site.registry(entry.folder).items():
            meta = getattr(obj, "meta", obj)
            sources = getattr(meta, "redirect_from", None)
            if not sources:
                continue
            target = f"{entry.folder}/{key}/"
            origin = content.origins.get((entry.name, key))
            for index, text in enumerate(sources):
                where = origin.at("redirect_from", index) if origin else Location(target)
                old = normal_path(text)
                if old is None:
                    report.error("redirect", f"'{text}' is not a path inside the site", where,
                                 "write the old page's path, e.g. articles/old-slug/")
                    continue
                if old == target:
                    report.error("redirect", f"'{text}' redirects the page to itself", where, "remove it")
                    continue
                if old in pages:
                    report.error("redirect", f"'{text}' is the address of a page the site still has", where,
                                 "remove the redirect, or the page that holds that address")
                    continue
                if old in claimed:
                    other, other_where = claimed[old]
                    report.error("redirect", f"'{text}' is claimed by two pages: {target} and {other} "
                                             f"({other_where})", where, "keep one redirect_from for it")
                    continue
                claimed[old] = (target, where)
                found.append(Redirect(old, target, entry.name, key))
    return sorted(found, key=lambda redirect: redirect.old)


def read_record(root: Path) -> list[str]:
    try:
        text = (root / RECORD).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [line.strip().removeprefix("/") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def check_record(root: Path, published: Iterable[str], redirected: Iterable[str], report: Report) -> None:
    """Warn for every page of the last build's record that is gone without a redirect."""
    now = set(published) | set(redirected)
    for number, path in enumerate(read_record(root), start=1):
        if path not in now:
            report.warning("lost-url", f"/{path} was published and is gone: links to it will break",
                           Location(RECORD, number + _HEADER.count("\n")),
                           f"add redirect_from: [{path}] to the page that replaces it, or remove the line "
                           "if it is gone on purpose")


def write_record(root: Path, published: Iterable[str], redirected: Iterable[str]) -> None:
    """Record what this build published. A page of the old record that is gone without a
    redirect stays in it, so every build reports it until a redirect is added or the line is
    removed by hand. Written only when it changed, so the file's time means something."""
    lost = set(read_record(root)) - set(redirected)
    text = _HEADER + "".join(f"/{path}\n" for path in sorted(set(published) | lost))
    path = root / RECORD
    try:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return
        write_inside(root, path, text.encode("utf-8"), overwrite=True)
    except (OSError, UnsafePath):
        pass  # the record is a convenience: a read-only project still builds
