"""Which pages and files the site has: one ``PageSpec`` per output, in a stable order.

Plain, language-free data (the sitemap, the cache and worker processes read it too); render.py
turns each spec into bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import archives, exports, feeds, i18n
from .kinds import KINDS, page_kinds
from .resolved import Site
from .urls import INDEX_PAGES

N_ = i18n.N_  # page titles are marked here and translated when the page is rendered

# Pages beyond urls.INDEX_PAGES; search.html loads the Pagefind bundle written by search.index_site.
READER_PAGES = {"search": "search/", "timeline": archives.TIMELINE, "data": "data/", "corrections": "corrections/"}
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
    page: int = 0  # a list's page number (archives.py); 0: not a page of a list
    subject: str = ""  # an archive page's object title, the %(name)s of its title


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
            if entry.feed is not None and key not in site.generated_actors:
                specs.append(PageSpec("", PageMeta("Atom feed", "", f"{entry.folder}/{key}/{feeds.FEED_PATH}", "file"),
                                      "object-feed", f"{entry.name}/{key}"))
            if entry.archives:
                specs += [_list_spec(page) for page in archives.archive_pages(site, entry, key, meta.title)]
    # The lists, paged (archives.py): their kinds' lists are in the kind table.
    specs += [_list_spec(page) for page in archives.list_pages(site)]
    specs += [
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


def _list_spec(page: archives.ListPage) -> PageSpec:
    meta = PageMeta(page.title, page.description, page.path, page.kind, SEARCH_KINDS.get(page.template, ""),
                    page.number, page.subject)
    return PageSpec(page.template, meta, page.kind, page.key)


def published_pages(site: Site) -> list[str]:
    """The paths of the pages readers and crawlers find: every HTML page but 404, search and
    redirects, and the pages of lists that come and go as the lists grow and shrink (page 2
    on, an actor's archives): those are not in the published record, whose lost pages warn."""
    return [spec.meta.path for spec in page_specs(site) if spec.template and spec.meta.kind not in _UNLISTED
            and spec.meta.page <= 1 and spec.meta.kind != "archive"]


_UNLISTED = ("error", "search", "redirect")


def sitemap_pages(site: Site) -> list[tuple[str, dt.date | None]]:
    """Every HTML page but those marked noindex (404, search, redirects), with its last change."""
    kinds = {entry.name: entry for entry in page_kinds()}
    return [(spec.meta.path, kinds[spec.kind].updated(site.registry(kinds[spec.kind].folder)[spec.key])
             if spec.kind in kinds else None)
            for spec in page_specs(site) if spec.template and spec.meta.kind not in _UNLISTED]
