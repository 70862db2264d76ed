"""The one place that makes URLs: every link, asset and feed URL goes through ``Urls``.

The site may live at '/', under a GitHub Pages project path such as '/repo/', or on a full
'https://host/repo/' base; internal links are path-absolute under that base, so a page works
at any depth, and ``absolute`` gives canonical URLs when the host is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote, urlsplit

from .kinds import page_kinds

# Kind name -> the folder its pages are under (kinds.py).
PAGE_KINDS = {entry.name: entry.folder for entry in page_kinds()}
INDEX_PAGES = {"home": "", "actors": "actors/", "votes": "votes/", "quotes": "quotes/", "articles": "articles/"}


@dataclass(frozen=True)
class Urls:
    base_url: str
    # Links are asked for again and again (every page links every actor it shows).
    _links: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def base_path(self) -> str:
        """'/repo/' for 'https://user.github.io/repo/' or '/repo/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @cached_property
    def origin(self) -> str | None:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None

    def path(self, relative: str) -> str:
        """A site-relative path ('actors/x/', 'static/site.css') as a link under the base path."""
        link = self._links.get(relative)
        if link is None:
            link = self._links[relative] = self.base_path + quote(relative.lstrip("/"), safe="/#?=&-._~")
        return link

    def page(self, kind: str, key: str, anchor: str | None = None) -> str:
        link = self.path(f"{PAGE_KINDS[kind]}/{key}/")
        return f"{link}#{anchor}" if anchor else link

    def index(self, name: str) -> str:
        return self.path(INDEX_PAGES[name])

    def static(self, name: str) -> str:
        return self.path(f"static/{name}")

    def absolute(self, link: str) -> str | None:
        """The canonical absolute URL of an internal link, when the configured base names a host."""
        return f"{self.origin}{link}" if self.origin else None


def output_file(relative_page: str) -> str:
    """The file a pretty URL is written to: 'actors/x/' -> 'actors/x/index.html'."""
    return f"{relative_page}index.html" if relative_page.endswith("/") or relative_page == "" else relative_page


def wikidata_url(item: str) -> str:
    """The page of a Wikidata item ('Q7747')."""
    return f"https://www.wikidata.org/wiki/{item}"
