"""The output audit (#20.4): every URL a generated page links or loads stays under the base path.

A site built for ``/repo/`` that links ``/static/site.css`` works on the preview at ``/`` and
breaks once published; templates that write URLs through ``urls`` never do, but a project's own
template may have one written by hand. Each HTML page is searched, as it is rendered, for URL
attributes (href, src, srcset, action, poster, cite, data, formaction, and content, which carries
og:url and og:image) and CSS ``url()`` whose URL is root-relative or on the site's own host but
outside the base path, or relative and climbing out of it. Other hosts, ``data:``, ``mailto:``
and the like are not the site's. The place to fix is found by looking for the URL as written in
the template files the page is made of.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stray:
    """A URL of a page that leaves the base path, as written in the page."""

    where: str  # 'href', 'src', ... or 'url()'
    url: str


@dataclass(frozen=True)
class Audit:
    """The audit of one site's pages: its base path and host (None: links only by path)."""

    base_path: str
    origin: str | None

    def strays(self, text: str, page: str) -> list[Stray]:
        """The URLs of ``text`` (some of page ``page``'s HTML, site-relative) that leave the site."""
        if self.base_path == "/":
            return []  # at the root every path is the site's (browsers stop '../' there): most builds
        found = []
        for match in _URL.finditer(text):
            where = (match.group("attr") or "url()").lower()
            value = html.unescape(match.group("value") or match.group("value2") or match.group("css") or "")
            refresh = _REFRESH.match(value) if where == "content" else None
            value = refresh.group(1) if refresh else value
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if where == "srcset" else [value]
            found += [Stray(where, url) for url in urls if url and self._leaves(url.strip(), page)]
        return found

    def _leaves(self, url: str, page: str) -> bool:
        if url.startswith("//"):
            return False  # another host
        scheme = _SCHEME.match(url)
        if scheme:
            if self.origin is None or not url.startswith(self.origin + "/") and url != self.origin:
                return False  # another host, or mailto:, data:, javascript:, tel:
            path = url[len(self.origin):] or "/"
        elif url.startswith("/"):
            path = url
        elif url.startswith(("#", "?")):
            return False
        else:  # relative to the page
            path = posixpath.normpath(posixpath.join(self.base_path + page.rsplit("/", 1)[0] + "/", url))
            path += "/" if url.endswith("/") and not path.endswith("/") else ""
        return not (path + ("" if path.endswith("/") else "/")).startswith(self.base_path)


# Attribute values, and url() in CSS; any quoting. Matched in the whole page (attributes of any
# element, <style> blocks, style attributes).
_URL = re.compile(
    r"""\b(?P<attr>href|src|srcset|action|poster|cite|data|formaction|content)\s*=\s*"""
    r"""(?:"(?P<value>[^"]*)"|'(?P<value2>[^']*)')"""
    r"""|url\(\s*["']?(?P<css>[^"')\s]+)""", re.IGNORECASE)
_REFRESH = re.compile(r"^\s*\d+\s*;\s*url=(.*)$", re.IGNORECASE)  # <meta http-equiv="refresh" content=...>
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def where_written(url: str, sources: Iterable[tuple[str, str]]) -> tuple[str, int, int] | None:
    """(file, line, column) of the first place ``url`` is written in template ``sources``
    ((file, text) pairs), as written in the page or with its entities decoded; None if nowhere."""
    for filename, text in sources:
        for candidate in dict.fromkeys((url, html.escape(url, quote=False))):
            at = text.find(candidate)
            if at >= 0:
                line = text.count("\n", 0, at) + 1
                return filename, line, at - (text.rfind("\n", 0, at) + 1) + 1
    return None
