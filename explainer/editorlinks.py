"""Editors' links: what an editor wrote in an article or in YAML text, resolved against the site
being built, rewritten through the base path, and checked (#20.4).

A link is internal when it is root-relative (``/actors/x/``: from the site's root, whatever the
base path), relative (``../other/``, ``#p-1a2b3c4d``: from the page it is on) or an absolute URL
of the site itself (``https://host/repo/actors/x/`` when ``base_url`` names that host). Internal
links are written out path-absolute under the base path (urls.py), so they work under ``/repo/``
and in feeds; the others are left as written. Each internal link must name a page the build
makes (or a file it writes) and, on an article page, an anchor that page has; a broken one is
an error at its file, line and column with the closest existing page or anchor.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .errors import Location, Report
from .urls import Urls, output_file


@dataclass(frozen=True)
class Resolved:
    """An internal link: where it goes on the site, and what to write in the page instead."""

    href: str  # path-absolute under the base path, with query and fragment
    target: str  # site-relative page or file ('' the home page, 'actors/x/', 'static/a.png')
    fragment: str  # '' for none
    problem: str = ""  # why it cannot be used as written (then href is the original)


@dataclass(frozen=True)
class SiteLinks:
    """Resolves the links of a text shown on ``page`` (site-relative, e.g. 'articles/x/'), or,
    with ``page`` None, of YAML text shown on several pages, where only root-relative and
    absolute links mean one thing. Plain data, so that article rendering workers receive it."""

    base_url: str
    page: str | None = None

    def __call__(self, href: str) -> Resolved | None:
        """The link resolved, or None when it leaves the site (another host, mailto:, ...)."""
        try:
            parts = urlsplit(href)
        except ValueError:  # 'http://[a': not a URL of this site, whatever it is
            return None
        urls = Urls(self.base_url)
        if parts.scheme or parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
            path = parts.path if parts.path.endswith("/") or parts.path + "/" != urls.base_path else urls.base_path
            if origin is None or origin != urls.origin or not (path or "/").startswith(urls.base_path):
                return None
            path = (path or "/")[len(urls.base_path):]
        elif parts.path.startswith("/"):
            path = parts.path.lstrip("/")
        elif self.page is None:
            return Resolved(href, "", parts.fragment, "relative")
        elif not parts.path:  # '#anchor' or '?query': this page
            path = self.page
        else:
            path = posixpath.normpath(posixpath.join("/" + self.page, parts.path)).lstrip("/")
            if parts.path.endswith("/") and path:
                path += "/"
        target = unquote(path)
        written = urls.path(target) + (f"?{parts.query}" if parts.query else "")
        if not parts.path and not parts.query and self.page is not None:
            written = href  # an anchor on this page stays as written (no reload, and it works on any copy)
        else:
            written += f"#{parts.fragment}" if parts.fragment else ""
        return Resolved(written, target, unquote(parts.fragment))


@dataclass(frozen=True)
class WrittenLink:
    """An internal link found in an editor's text, where it was written."""

    location: Location
    written: str
    resolved: Resolved


@dataclass(frozen=True)
class SiteTargets:
    """What links may point to: every page and file of the build, and the anchors known of some
    pages (a page not in ``anchors`` has its fragments left unchecked)."""

    pages: Collection[str]
    anchors: Mapping[str, Collection[str]]


def check_links(links: Iterable[WrittenLink], targets: SiteTargets, report: Report) -> None:
    """An error for each link to a page the site does not have, or to an anchor its page lacks."""
    files = {output_file(page): page for page in targets.pages}
    for link in links:
        resolved = link.resolved
        if resolved.problem:
            report.error("broken-link", f"link '{link.written}' is relative, but this text is shown on several "
                         "pages", link.location, "write the page's path from the site's root, e.g. /articles/<slug>/ "
                         "or /actors/<id>/#quote-<id>")
            continue
        page = resolved.target if resolved.target in targets.pages else files.get(resolved.target)
        if page is None:
            report.error("broken-link", f"link '{link.written}' points to no page of the site"
                         f"{_closest('/' + resolved.target, ['/' + p for p in targets.pages])}", link.location,
                         "link to a page the build makes, from the site's root: /articles/<slug>/, /actors/<id>/, "
                         "/votes/<id>/")
            continue
        anchors = targets.anchors.get(page)
        if resolved.fragment and anchors is not None and resolved.fragment not in anchors:
            report.error("broken-link", f"link '{link.written}': page /{page} has no anchor "
                         f"'#{resolved.fragment}'{_closest(resolved.fragment, anchors, '#')}", link.location,
                         "use an anchor the page has: a paragraph's is p-<8 letters and digits>, "
                         "a heading's h-<its words>")


def _closest(word: str, choices: Iterable[str], prefix: str = "") -> str:
    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{prefix}{found[0]}'?)" if found else ""
