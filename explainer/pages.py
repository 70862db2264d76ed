"""Which pages and files the site has: one ``PageSpec`` per output, in a stable order.

Plain, language-free data (the sitemap, the cache and worker processes read it too); render.py
turns each spec into bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import exports, feeds, i18n
from .kinds import KINDS, page_kinds
from .resolved import Site
from .urls import INDEX_PAGES

N_ = i18n.N_  # page titles are marked here and translated when the page is rendered

# Pages beyond urls.INDEX_PAGES; search.html loads the Pagefind bundle written by search.index_site.
READER_PAGES = {"search": "search/", "timeline": "timeline/", "data": "data/", "corrections": "corrections/"}
SOCIAL_IMAGE = "static/social.png"
# What Pagefind indexes (data-pagefind-body) and the value of its "kind" filter, by template (kinds.py).
SEARCH_KINDS = {entry.template or f"{entry.search_page.strip('/')}.html": entry.search for entry in KINDS
                if entry.search}


@dataclass(frozen=True)
class PageMeta:
    """What base.html needs to know about every page."""

    title: str
    description: str
    path: str  # site-relative, e.g. 'actors/x/'
    kind: str
    search: str = ""  # the Pagefind "kind" filter value; empty: the page is not indexed


@dataclass(frozen=True)
class PageSpec:
    """One page to render: plain, picklable data, so pages can be rendered in worker processes."""

    template: str
    meta: PageMeta
    kind: str = ""
    key: str = ""


def page_specs(site: Site) -> list[PageSpec]:
    """Every page of the site, then the files made by code (feed, sitemap...), in a stable order."""
    config = site.config
    specs = [PageSpec("index.html", PageMeta(config.title, config.description, INDEX_PAGES["home"], "home"))]
    for entry in page_kinds():
        objects = site.registry(entry.folder)
        for key in sorted(objects) if entry.pages_sorted else objects:
            obj = objects[key]
            meta = PageMeta(entry.title(obj), entry.description(obj, config), f"{entry.folder}/{key}/", entry.name,
                            entry.search)
            specs.append(PageSpec(entry.template, meta, entry.name, key))
    specs += [
        PageSpec("actors.html", PageMeta(N_("Actors"), N_("Everyone in the story, by kind."), INDEX_PAGES["actors"],
                                         "index")),
        PageSpec("votes.html", PageMeta(N_("Votes"), N_("UN votes in the story."), INDEX_PAGES["votes"], "index")),
        PageSpec("quotes.html", _indexed(PageMeta(N_("Who said what"), N_("Every attributed quote."),
                                                  INDEX_PAGES["quotes"], "index"), "quotes.html")),
        PageSpec("articles.html", PageMeta(N_("Articles"), N_("Every article."), INDEX_PAGES["articles"], "index")),
        PageSpec("timeline.html", PageMeta(N_("Timeline"), N_("What was published, voted and said, day by day."),
                                           READER_PAGES["timeline"], "timeline")),
        # %(title)s: filled in with the site's title when the page is rendered (render._in_language)
        PageSpec("search.html", PageMeta(N_("Search"), N_("Search %(title)s: articles, actors, quotes and votes."),
                                         READER_PAGES["search"], "search")),
        PageSpec("404.html", PageMeta(N_("Page not found"), "", "404.html", "error")),
        PageSpec("corrections.html", PageMeta(N_("Corrections"),
                                              N_("Every correction and update to %(title)s, newest first."),
                                              READER_PAGES["corrections"], "corrections")),
        PageSpec("data.html", PageMeta(N_("Open data"), N_("The data of %(title)s as JSON, CSV and Popolo files."),
                                       READER_PAGES["data"], "data")),
    ]
    specs += [PageSpec("redirect.html", PageMeta(_redirect_title(site, target), "", old, "redirect"), "redirect",
                       target)
              for old, target in sorted(site.redirects.items())]
    # Files made by code (template ""): render.render_file dispatches on the kind.
    specs += [PageSpec("", PageMeta(name, "", path, "file"), kind)
              for name, path, kind in [("Atom feed", feeds.FEED_PATH, "feed"),
                                       ("Sitemap", feeds.SITEMAP_PATH, "sitemap"),
                                       ("robots.txt", feeds.ROBOTS_PATH, "robots"),
                                       ("Social image", SOCIAL_IMAGE, "social-image")]]
    specs += [PageSpec("", PageMeta(name, "", name, "file"), "data") for name in exports.site_files()]
    specs += [PageSpec("", PageMeta(path, "", path, "file"), kind, key)
              for path, kind, key in exports.slice_files(site)]
    return specs


def _redirect_title(site: Site, target: str) -> str:
    folder, key = target.strip("/").split("/", 1)
    return next(entry.title(site.registry(folder)[key]) for entry in page_kinds() if entry.folder == folder)


def _indexed(meta: PageMeta, template: str) -> PageMeta:
    return PageMeta(meta.title, meta.description, meta.path, meta.kind, SEARCH_KINDS[template])


def published_pages(site: Site) -> list[str]:
    """The paths of the pages readers and crawlers find: every HTML page but 404, search and redirects."""
    return [spec.meta.path for spec in page_specs(site) if spec.template and spec.meta.kind not in _UNLISTED]


_UNLISTED = ("error", "search", "redirect")


def sitemap_pages(site: Site) -> list[tuple[str, dt.date | None]]:
    """Every HTML page but those marked noindex (404, search, redirects), with its last change."""
    kinds = {entry.name: entry for entry in page_kinds()}
    return [(spec.meta.path, kinds[spec.kind].updated(site.registry(kinds[spec.kind].folder)[spec.key])
             if spec.kind in kinds else None)
            for spec in page_specs(site) if spec.template and spec.meta.kind not in _UNLISTED]
