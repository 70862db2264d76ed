"""Feeds and discovery files: the Atom feed of articles, sitemap.xml and robots.txt.

Pure functions of the site and its URLs; the dates come from the content, never from the
clock, so two builds of the same content give the same bytes.

When ``base_url`` names no host ('/' or '/repo/'), the site cannot know its own address:
- the feed's links are path-absolute ('/articles/x/'), which a feed reader resolves against the
  address it fetched the feed from (RFC 4287 allows relative references); entry and feed ids
  are stable ``urn:uuid:`` names derived from the site title and the page path, because an
  Atom id must be an absolute IRI;
- sitemap.xml is not written (the sitemap protocol requires absolute URLs) and robots.txt has
  no Sitemap line.
Set a full ``base_url`` ('https://user.github.io/repo/') to get absolute links everywhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from .resolved import Article, Site
from .urls import Urls

# Tags are written unqualified, and each root declares its namespace as an xmlns attribute:
# the same bytes as namespaced tags with ET.register_namespace, which would change a table
# shared by the whole process (and by the preview's threads) on every feed.
ATOM = "http://www.w3.org/2005/Atom"
XML = "http://www.w3.org/XML/1998/namespace"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_PATH = "feed.xml"
# Feed readers poll the feed: the newest entries are what they need, and a feed of thousands of
# full articles would be megabytes re-rendered on every edit.
FEED_ENTRIES = 50
SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"


def link_for(urls: Urls, relative: str) -> str:
    """The absolute URL of a site-relative path when the host is known, else the path-absolute link."""
    link = urls.path(relative)
    return urls.absolute(link) or link


def atom_id(urls: Urls, title: str, relative: str) -> str:
    """A permanent Atom id: the page's absolute URL, or a name-based UUID without a host."""
    absolute = urls.absolute(urls.path(relative))
    if absolute:
        return absolute
    return uuid.uuid5(uuid.NAMESPACE_URL, f"explainer:{title}:{urls.base_path}{relative}").urn


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def newest_articles(site: Site, slugs: Iterable[str] | None = None) -> list[tuple[str, Article]]:
    """The newest FEED_ENTRIES articles of the site, or of ``slugs``."""
    chosen = site.articles.items() if slugs is None else [(slug, site.articles[slug]) for slug in slugs]
    ranked = sorted(chosen, key=lambda item: (item[1].meta.date, item[0]), reverse=True)
    return ranked[:FEED_ENTRIES]


def atom_feed(site: Site, urls: Urls, bodies: dict[str, str] | None = None, *, path: str = FEED_PATH,
              title: str = "", page: str = "", slugs: Iterable[str] | None = None) -> bytes:
    """The Atom 1.0 feed of the newest FEED_ENTRIES articles, or of those of ``slugs`` (an actor's
    feed at ``path``, titled ``title``, whose web page is ``page``); ``bodies``: slug -> HTML, for
    feeds that carry the full articles (``feed: {content: full}``), else each entry has its summary."""
    config = site.config
    articles = newest_articles(site, slugs)
    attributes = {"xmlns": ATOM, f"{{{XML}}}lang": config.language}
    if urls.origin:  # so that readers resolve the path-absolute links inside entry content
        attributes[f"{{{XML}}}base"] = link_for(urls, "")
    feed = ET.Element("feed", attributes)
    _text(feed, "id", atom_id(urls, config.title, path))
    _text(feed, "title", title or config.title)
    if not title and config.description:  # the site feed's (an actor's feed does not read it)
        _text(feed, "subtitle", config.description)
    newest = max((a.modified for _, a in articles), default=dt.date(1970, 1, 1))
    _text(feed, "updated", _timestamp(newest))
    _text(ET.SubElement(feed, "author"), "name", config.title)
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": link_for(urls, path)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": link_for(urls, page)})
    ET.SubElement(feed, "icon").text = link_for(urls, "static/favicon.svg")
    ET.SubElement(feed, "generator").text = "Explainer"
    for slug, article in articles:
        relative = f"articles/{slug}/"
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", atom_id(urls, config.title, relative))
        _text(entry, "title", article.meta.title)
        ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html",
                                                  "href": link_for(urls, relative)})
        _text(entry, "published", _timestamp(article.meta.date))
        _text(entry, "updated", _timestamp(article.modified))
        if article.meta.author:
            _text(ET.SubElement(entry, "author"), "name", article.meta.author)
        if article.meta.summary:
            _text(entry, "summary", article.meta.summary)
        if bodies and slug in bodies:
            content = ET.SubElement(entry, "content", {"type": "html"})
            content.text = bodies[slug]
    ET.indent(feed)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def sitemap(urls: Urls, pages: Iterable[tuple[str, dt.date | None]]) -> bytes | None:
    """sitemap.xml for (site-relative path, last modified) pairs; None without a known host."""
    if urls.origin is None:
        return None
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for relative, modified in pages:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = link_for(urls, relative)
        if modified is not None:
            ET.SubElement(url, "lastmod").text = modified.isoformat()
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def robots(urls: Urls, has_sitemap: bool) -> bytes:
    """robots.txt: everything may be crawled; the sitemap's absolute URL when there is one.

    Crawlers read robots.txt only at a host's root, so under '/repo/' this file is advisory; the
    Sitemap line is still useful to anyone who submits the sitemap by hand.
    """
    lines = ["User-agent: *", "Allow: /"]
    if has_sitemap:
        lines.append(f"Sitemap: {link_for(urls, SITEMAP_PATH)}")
    return ("\n".join(lines) + "\n").encode("utf-8")
