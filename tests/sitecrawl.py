"""Read a built site the way a crawler does: pages, links, ids, and broken references."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Page:
    path: Path
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    ids: set[str] = field(default_factory=set)
    h1: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(str(values["id"]))
        for attr in ("href", "src"):
            value = values.get(attr)
            if value is not None and not (tag == "link" and values.get("rel") == "canonical"):
                self.page.links.append((tag, value))
        if tag == "h1":
            self.in_h1 = True
            self.page.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data: str) -> None:
        if self.in_h1:
            self.page.h1[-1] += data


def parse(path: Path) -> Page:
    page = Page(path)
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    return page


def crawl(site: Path) -> dict[Path, Page]:
    return {path: parse(path) for path in sorted(site.rglob("*.html"))}


def resolve(site: Path, base_path: str, page: Path, url: str) -> tuple[Path | None, str]:
    """The file an internal URL points to (None for external links) and its fragment."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None, ""
    if not parts.path:
        return page, parts.fragment
    if parts.path.startswith("/"):
        assert parts.path.startswith(base_path), f"{url} in {page} is outside the base path {base_path}"
        target = site / unquote(parts.path[len(base_path):])
    else:
        target = page.parent / unquote(parts.path)
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    pages = crawl(site)
    problems = []
    for path, page in pages.items():
        for tag, url in page.links:
            target, fragment = resolve(site, base_path, path, url)
            if target is None:
                continue
            if not target.exists():
                problems.append(f"{path.relative_to(site)}: <{tag}> {url} -> missing {target}")
            elif fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(fragment) not in ids:
                    problems.append(f"{path.relative_to(site)}: {url} -> no #{fragment} in {target.relative_to(site)}")
    return problems
