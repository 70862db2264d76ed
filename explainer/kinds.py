"""The content kinds, as data: one entry per kind of file under ``content/``.

Everything the engine knows about a kind is in its entry: where its files are and what shape
they have, the model they validate to, the id field, the pages it gets (URL folder, template,
title and description), the search bundle, the JSON-LD builder, its place in the render order
and whether it joins the sitemap. The loader, the validator, the renderer, search, the URL
helper and the incremental build read this table; adding a kind is an entry here, a model in
``model.py`` and a template (the README's development section shows it).

A kind's name is the one name of its pages: the template is ``<name>.html``, and it is the
``kind`` of its ``PageSpec`` and of its ``PageMeta``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import listings
from .i18n import N_
from .model import Actor, ArticleMeta, Quote, SiteConfig, Vote
from .resolved import Site
from .unsymbols import vote_heading


@dataclass(frozen=True)
class Archive:
    """A list on each page of a kind that gets pages of its own when it grows (an actor's
    quotes): the page shows the first ``pagination.actor_items`` entries and links the archive
    at ``<folder>/<id>/<name>/`` (then ``page/2/``...), made from the template
    ``<kind>_<name>.html``, which gets the page's entries as ``entries`` and ``paging``."""

    name: str  # 'quotes'
    title: str  # the archive page's title, marked for translation; %(name)s: the object's title
    entries: Callable[[Site, str], list[Any]]  # the object's list, in page order
    count: Callable[[Site, str], int]  # len(entries(...)), cheaper: page_specs asks it of every object


@dataclass(frozen=True)
class Kind:
    """One kind of content (see the module docstring)."""

    name: str  # 'article': the template article.html, the kind of its pages
    folder: str  # 'articles': content/articles/, the URL folder articles/<id>/, Site.articles
    suffix: str  # '.md' (front matter + Markdown) or '.yaml'
    model: type[Any]  # what a file (or, for list files, an item) validates to
    id_field: str = "id"  # the field that holds the id ('slug' for articles, from the file name by default)
    list_file: bool = False  # a file holds a YAML list of objects (quotes), not one object
    page: bool = True  # each object gets a page at <folder>/<id>/
    search: str = ""  # the Pagefind "kind" filter value of its pages; '' not indexed
    search_page: str = ""  # for a kind without pages of its own: the page its search bundle indexes
    search_shards: bool = False  # its bundle is split by ARTICLES_PER_BUNDLE (search.py)
    # How its pages rank against the other kinds' (Pagefind's indexWeight for its bundles): a
    # topic's articles come before the actor and country pages that name it in a line.
    search_weight: float = 1.0
    jsonld: str = ""  # the jsonld.Graph method that makes its page's subject node; '' a plain WebPage
    # The page's title and description (for <title>, meta tags, JSON-LD and the sitemap).
    title: Callable[[Any], str] = str
    description: Callable[[Any, SiteConfig], str] = lambda obj, config: ""
    render_order: int = 9  # the workers render slow kinds first (lower first)
    updated: Callable[[Any], dt.date | None] = lambda obj: None  # the sitemap's lastmod of its pages
    pages_sorted: bool = False  # its pages in id order, not in the registry's (articles: newest first)
    # The kind's list, at <folder>/ and then <folder>/page/2/...: its objects in list order (listings.py),
    # its title and description (marked for translation) and template (<folder>.html).
    listing: Callable[[Site], list[Any]] | None = None
    list_title: str = ""
    list_description: str = ""
    archives: tuple[Archive, ...] = ()
    # Each object's Atom feed at <folder>/<id>/feed.xml: the slugs of the articles it carries.
    feed: Callable[[Site, str], list[str]] | None = None

    @property
    def template(self) -> str:
        return f"{self.name}.html" if self.page else ""

    @property
    def list_template(self) -> str:
        return f"{self.folder}.html" if self.listing is not None else ""

    @property
    def document(self) -> str:
        """What load.py calls one file of this kind: the kind, or the folder for list files."""
        return self.folder if self.list_file else self.name


def _actor_description(actor: Actor, config: SiteConfig) -> str:
    return actor.role or actor.description or f"{actor.name} in {config.title}"


# Render order measured at 5,000 articles: an actor page 2 ms, a vote page 1.4 ms, an article
# page 0.4 ms; pages of other kinds and the site-wide pages (order 0) come first.
KINDS: tuple[Kind, ...] = (
    Kind("article", "articles", ".md", ArticleMeta, id_field="slug", search="Article", search_shards=True,
         search_weight=4.0, jsonld="article_page", title=lambda a: a.meta.title,
         description=lambda a, config: a.meta.summary or "", updated=lambda a: a.modified, render_order=3,
         listing=listings.articles, list_title=N_("Articles"), list_description=N_("Every article, newest first.")),
    Kind("actor", "actors", ".yaml", Actor, search="Actor", search_weight=0.25, jsonld="actor_page",
         title=lambda a: a.name,
         description=_actor_description, render_order=1, pages_sorted=True,
         listing=listings.actors, list_title=N_("Actors"), list_description=N_("Everyone in the story, by kind."),
         archives=(Archive("quotes", N_("Quotes by %(name)s"), listings.actor_quotes, listings.actor_quotes_count),
                   Archive("mentions", N_("Articles naming %(name)s"), listings.actor_mentions,
                           listings.actor_mentions_count),
                   Archive("votes", N_("Voting record of %(name)s"), listings.actor_votes, listings.actor_votes_count)),
         feed=listings.actor_articles),
    Kind("quote", "quotes", ".yaml", Quote, list_file=True, page=False, search="Quote", search_page="quotes/",
         listing=listings.quotes, list_title=N_("Who said what"), list_description=N_("Every attributed quote.")),
    Kind("vote", "votes", ".yaml", Vote, search="Vote", jsonld="vote_page",
         title=lambda v: vote_heading(v.resolution, v.title), description=lambda v, config: v.summary or v.title,
         render_order=2, listing=listings.votes, list_title=N_("Votes"), list_description=N_("UN votes in the story.")),
)


def kind(name: str) -> Kind:
    """The kind called ``name``; KeyError for none."""
    for entry in KINDS:
        if entry.name == name:
            return entry
    raise KeyError(name)


def page_kinds() -> tuple[Kind, ...]:
    """The kinds whose objects get pages of their own, in the table's order."""
    return tuple(entry for entry in KINDS if entry.page)

