"""Every editor's link of the site, checked in every build (#20.4): the links of articles (found
while their Markdown was rendered, link.py) and of the YAML texts shown as inline Markdown, against
the pages and files the build makes and the anchors of article pages."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import Project
from .editorlinks import Resolved, SiteLinks, SiteTargets, WrittenLink, check_links
from .errors import ContentError, Location, Report
from .markdown import make_markdown, render_inline
from .pages import page_specs
from .resolved import Site
from .static import static_files
from .urls import Urls
from .validate import Content

# Ids the default article template gives its page besides the body's (templates/article.html,
# base.html): links to them are checked like the body's.
ARTICLE_PAGE_IDS = ("main", "in-this-story")
# The YAML texts shown as inline Markdown (render.py's ``inline_markdown`` filter), by kind:
# each a path of keys, '*' for every item of a list.
YAML_TEXTS: Mapping[str, Sequence[tuple[str, ...]]] = {
    "article": (("corrections", "*", "text"),),
    "actor": (("description",),),
    "quote": (("context",), ("corrections", "*", "text")),
    "vote": (("claims", "*", "note"), ("amendments", "*", "note")),
}

ArticleLinks = Sequence[tuple[str, int, int, Resolved]]  # (as written, line, column, resolved)


@dataclass
class LinkCheckMemo:
    """What checking took from objects that an edit leaves alone, kept by the preview between
    its quick rebuilds (link.LinkState): each object's YAML links and each article's anchors,
    by the identity of what they were made from (the site's values are replaced, never changed
    in place). At 5,000 articles these were three quarters of a text edit's rebuild."""

    yaml: dict[tuple[str, str], tuple[object, object, list[WrittenLink]]] = field(default_factory=dict)
    anchors: dict[str, tuple[object, object, object, str, set[str]]] = field(default_factory=dict)


def check_site_links(site: Site, content: Content, articles: Mapping[str, tuple[ArticleLinks, Collection[str]]],
                     project: Project, report: Report, *, pages: Sequence[str] | None = None,
                     memo: LinkCheckMemo | None = None) -> None:
    """Check the links of every article (slug -> its links and its body's ids, as rendered) and
    of every YAML text, against the site's pages and files and the project's static files.
    ``pages``: the site's page paths when the caller has them (the preview's quick rebuild, whose
    edits add or remove none)."""
    memo = memo if memo is not None else LinkCheckMemo()
    try:
        static = list(static_files(project))
    except ContentError:
        static = []  # a refused static file is reported by rendering, together with the rest
    paths = list(pages) if pages is not None else [spec.meta.path for spec in page_specs(site)]
    targets = SiteTargets(paths + static, _article_anchors(site, articles, memo))
    found: list[WrittenLink] = []
    for slug, (links, _) in articles.items():
        path = site.articles[slug].path
        found += [WrittenLink(Location(path, line, column), written, resolved)
                  for written, line, column, resolved in links]
    found += yaml_links(site, content, memo)
    check_links(found, targets, report)


def _article_anchors(site: Site, articles: Mapping[str, tuple[ArticleLinks, Collection[str]]],
                     memo: LinkCheckMemo) -> dict[str, set[str]]:
    urls = Urls(site.config.base_url)
    anchors = {}
    for slug, (_, ids) in articles.items():
        meta = site.articles[slug].meta
        quotes = site.quotes_by_article.get(slug)
        kept = memo.anchors.get(slug)
        if kept is not None and kept[0] is ids and kept[1] is meta and kept[2] is quotes:
            page, own = kept[3], kept[4]
        else:
            noted = meta.corrections or any(quote.corrections for quote in quotes or [])
            own = {*ids, *ARTICLE_PAGE_IDS, *(("corrections", "corrections-title") if noted else ()),
                   *(("credits",) if meta.credits else ())}
            page = urls.page("article", slug)[len(urls.base_path):]
            memo.anchors[slug] = (ids, meta, quotes, page, own)
        anchors[page] = own
    return anchors


def yaml_links(site: Site, content: Content, memo: LinkCheckMemo) -> list[WrittenLink]:
    """The internal links written in the YAML texts of the site's actors, quotes, votes and
    articles' front matter, at the line of their text."""
    resolve = SiteLinks(site.config.base_url)
    md = None
    found = []
    for kind, paths in YAML_TEXTS.items():
        for key, obj in site.registry(f"{kind}s").items():
            origin = content.origins.get((kind, key))  # generated actors (UN members) have none
            kept = memo.yaml.get((kind, key))
            if kept is not None and kept[0] is obj and kept[1] is origin:
                found += kept[2]
                continue
            links = []
            for keys, text in _texts(getattr(obj, "meta", obj), paths):
                if "](" not in text:  # no inline link: most texts, not parsed at all
                    continue
                md = md or make_markdown()
                where = content.origin(kind, key).at(*keys)
                links += [WrittenLink(where, written, resolved)
                          for written, resolved in render_inline(md, text, resolve)[1]
                          if isinstance(resolved, Resolved)]
            memo.yaml[(kind, key)] = (obj, origin, links)
            found += links
    return found


def _texts(obj: Any, paths: Sequence[tuple[str, ...]]) -> Iterator[tuple[tuple[object, ...], str]]:
    for path in paths:
        yield from _walk(obj, path, ())


def _walk(value: Any, path: tuple[str, ...], keys: tuple[object, ...]) -> Iterator[tuple[tuple[object, ...], str]]:
    if not path:
        if isinstance(value, str):
            yield keys, value
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for index, item in enumerate(value or ()):
            yield from _walk(item, rest, (*keys, index))
    else:
        yield from _walk(getattr(value, head, None), rest, (*keys, head))
