"""Structured data (schema.org JSON-LD) for every page, as plain dicts.

Only schema.org types and properties are used (the test suite keeps the list in
``SCHEMA_TERMS`` honest). Each page gets one ``@graph`` whose first node is the page's subject:
NewsArticle, Person / Organization / NewsMediaOrganization / Country, Event (a vote),
CollectionPage, WebSite, SearchResultsPage or WebPage. Quotes are Quotation nodes with
``creator`` (and ``spokenByCharacter`` when the speaker is a person) on their speakers' pages,
referring to the speaker, the page's subject, by ``@id``;
the quotes page refers to them by ``@id``. A node described on its own page (an actor, an
article, the site) is referred to elsewhere by its ``@id`` alone: the article pages' ``mentions``
restated every actor's type, name and address, a third of the JSON-LD of a 5,000-article site.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .kinds import KINDS
from .model import Actor, Quote, Vote
from .resolved import Site
from .timeline import Event as TimelineEvent
from .unsymbols import vote_heading
from .urls import Urls, wikidata_url

CONTEXT = "https://schema.org"
ACTOR_TYPES = {"person": "Person", "state": "Country", "organisation": "Organization",
               "outlet": "NewsMediaOrganization", "group": "Organization"}
BODY_NAMES = {"security-council": "United Nations Security Council",
              "general-assembly": "United Nations General Assembly"}
Node = dict[str, Any]


def to_script_text(data: Node) -> str:
    """JSON for an inline <script>: '<', '>' and '&' escaped so no text can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class Graph:
    """Builds the nodes of one site; ``page`` returns the JSON-LD document of a page."""

    def __init__(self, site: Site, urls: Urls, image: str) -> None:
        self.site = site
        self.urls = urls
        self.image = image

    def url(self, link: str) -> str:
        return self.urls.absolute(link) or link

    def page(self, template: str, key: str, path: str, title: str, description: str,
             entries: Sequence[Any] | None = None) -> Node:
        """``entries``: what a page of a list shows (archives.py): quote ids, timeline events..."""
        nodes = self._nodes(template, key, path, title, description, entries or [])
        return {"@context": CONTEXT, "@graph": nodes}

    def _nodes(self, template: str, key: str, path: str, title: str, description: str,
               entries: Sequence[Any]) -> list[Node]:
        url = self.url(self.urls.path(path))
        builder = next((entry.jsonld for entry in KINDS if entry.page and entry.template == template), "")
        if builder:  # the page of an object: its kind names the method that describes it
            nodes: list[Node] = getattr(self, builder)(key)
            return nodes
        if template == "index.html":
            return [self.website()]
        if template == "quotes.html":
            # Each Quotation is described in full on its speaker's page; listing every one again
            # here made this page's JSON-LD 9 MB at 15,000 quotes. References by @id suffice.
            collection = self.collection(url, title, description)
            collection["hasPart"] = [self.quote_ref(quote) for quote in entries if quote.withdrawn is None]
            return [collection]
        if template == "timeline.html":
            return [self.item_list(url, title, description, list(entries))]
        if template == "search.html":
            return [self.webpage("SearchResultsPage", url, title, description)]
        if template in ("articles.html", "actors.html", "votes.html"):
            return [self.collection(url, title, description)]
        return [self.webpage("WebPage", url, title, description)]

    # --- the subjects of the kinds' pages (kinds.Kind.jsonld) ---------------------------

    def article_page(self, slug: str) -> list[Node]:
        return [self.article(slug)]

    def actor_page(self, actor_id: str) -> list[Node]:
        actor = self.site.actors[actor_id]
        return [self.actor(actor, full=True), *self.quotes(self.site.quotes_by_speaker.get(actor_id, []))]

    def vote_page(self, vote_id: str) -> list[Node]:
        return [self.vote(self.site.votes[vote_id])]

    # --- nodes --------------------------------------------------------------------------

    def id_ref(self, actor_id: str) -> Node:
        """A reference to an actor described on its own page (``actor``): its ``@id``."""
        return {"@id": self.ref(actor_id)["@id"]}

    def website_ref(self) -> Node:
        """The site, described on the home page (``website``)."""
        return {"@id": self.url(self.urls.path("")) + "#website"}

    def ref(self, actor_id: str) -> Node:
        """A short reference to an actor: its type, name and page."""
        actor = self.site.actors[actor_id]
        link = self.url(self.urls.page("actor", actor_id))
        return {"@type": ACTOR_TYPES[actor.kind], "@id": f"{link}#subject", "name": actor.name, "url": link}

    def actor(self, actor: Actor, full: bool = False) -> Node:
        node = self.ref(actor.id)
        if not full:
            return node
        if actor.aliases:
            node["alternateName"] = list(actor.aliases)
        if actor.description or actor.role:
            node["description"] = actor.description or actor.role
        if actor.kind == "person" and actor.role:
            node["jobTitle"] = actor.role
        if actor.iso3:
            node["identifier"] = actor.iso3
        if actor.wikidata:
            node["sameAs"] = wikidata_url(actor.wikidata)
        if actor.kind == "person":
            organisations = [self.ref(link.actor) for link in actor.links if link.actor in self.site.actors
                             and self.site.actors[link.actor].kind in ("organisation", "outlet", "group")]
            if organisations:
                node["affiliation"] = organisations
        return node

    def website(self) -> Node:
        config = self.site.config
        link = self.url(self.urls.path(""))
        return {"@type": "WebSite", **self.website_ref(), "name": config.title, "url": link,
                "description": config.description, "inLanguage": config.language, "image": self.image}

    def article(self, slug: str) -> Node:
        article = self.site.articles[slug]
        meta = article.meta
        link = self.url(self.urls.page("article", slug))
        actors = self.site.article_actors.get(slug, [])
        node: Node = {"@type": "NewsArticle", "@id": f"{link}#article", "headline": meta.title, "url": link,
                      "mainEntityOfPage": link, "datePublished": meta.date.isoformat(),
                      "inLanguage": self.site.config.language, "image": self.image,
                      "isPartOf": self.website_ref()}
        # No description: the summary is the page's meta description (and og:description) already.
        if meta.author:
            node["author"] = {"@type": "Person", "name": meta.author}
        if meta.outlet and meta.outlet in self.site.actors:
            node["sourceOrganization"] = self.ref(meta.outlet)
        elif meta.source:
            node["sourceOrganization"] = {"@type": "NewsMediaOrganization", "name": meta.source}
        if meta.source_url:
            node["isBasedOn"] = meta.source_url
        if meta.corrections:
            node["dateModified"] = article.modified.isoformat()
            node["correction"] = [{"@type": "CorrectionComment", "text": note.text,
                                   "datePublished": note.date.isoformat()}
                                  for note in sorted(meta.corrections, key=lambda note: note.date)]
        about = [a for a in actors if self._named_in(a, meta.title)]
        if about:
            node["about"] = [self.id_ref(a) for a in about]
        if actors:
            node["mentions"] = [self.id_ref(a) for a in actors]
        return node

    def _named_in(self, actor_id: str, text: str) -> bool:
        actor = self.site.actors[actor_id]
        return any(_whole_words_in(name, text) for name in [actor.name, *actor.aliases])

    def quotes(self, quotes: list[Quote]) -> list[Node]:
        return [self.quote(q) for q in quotes if q.withdrawn is None]  # a withdrawn quote is no Quotation

    def quote_ref(self, quote: Quote) -> Node:
        return {"@type": "Quotation", "@id": self._quote_link(quote)}

    def _quote_link(self, quote: Quote) -> str:
        return self.url(self.urls.page("article", quote.article, self.site.quote_anchors.get(quote.id)))

    def quote(self, quote: Quote) -> Node:
        link = self._quote_link(quote)
        # The speaker is the subject of the page's graph (actor_page): referred to by @id, not
        # described again for each quote (a third of an actor page's JSON-LD at 5,000 articles).
        # Its article likewise, described on the article's page (``article``).
        speaker = self.id_ref(quote.speaker)
        node: Node = {"@type": "Quotation", "@id": link, "text": quote.text, "creator": speaker,  # @id is its url
                      "isPartOf": {"@id": self.url(self.urls.page("article", quote.article)) + "#article"}}
        if self.site.actors[quote.speaker].kind == "person":
            node["spokenByCharacter"] = speaker
        if quote.said_on:
            node["dateCreated"] = quote.said_on.isoformat()
        return node

    def vote(self, vote: Vote) -> Node:
        link = self.url(self.urls.page("vote", vote.id))
        counts = [f"{n} {label}" for n, label in ((vote.tally.yes, "in favour"), (vote.tally.no, "against"),
                                                  (vote.tally.abstain, "abstaining"),
                                                  (vote.tally.absent, "not voting")) if n is not None]
        vetoes = [self.site.actors[self.site.actor_by_code.get(v, v)].name for v in vote.vetoed_by
                  if self.site.actor_by_code.get(v, v) in self.site.actors]
        result = (str(vote.result).capitalize() + (f" by {', '.join(vetoes)}" if vetoes else "")
                  + (f": {', '.join(counts)}." if counts else "."))
        body = {"@type": "Organization", "name": BODY_NAMES[vote.body]}
        name = f"Vote on {vote_heading(vote.resolution, vote.title)}"
        node: Node = {"@type": "Event", "@id": f"{link}#vote", "name": name,
                      "url": link, "startDate": vote.date.isoformat(), "endDate": vote.date.isoformat(),
                      "organizer": body, "description": result + (f" {vote.summary}" if vote.summary else ""),
                      "about": {"@type": "CreativeWork", "name": vote.title,
                                "identifier": vote.resolution if vote.result == "adopted" else vote.draft
                                or vote.resolution}}
        return node

    def collection(self, url: str, title: str, description: str) -> Node:
        return {"@type": "CollectionPage", "@id": url, "url": url, "name": title, "description": description,
                "isPartOf": self.website_ref()}

    def webpage(self, kind: str, url: str, title: str, description: str) -> Node:
        node: Node = {"@type": kind, "@id": url, "url": url, "name": title}
        if description:
            node["description"] = description
        return node

    def item_list(self, url: str, title: str, description: str, timeline: list[TimelineEvent]) -> Node:
        # Each item's address and place: its date and title are the page's own text (they were
        # 8 of a timeline page's 31 KB at 5,000 articles).
        items = [{"@type": "ListItem", "position": i, "url": self.url(e.href)} for i, e in enumerate(timeline, start=1)]
        return {"@type": "ItemList", "@id": url, "url": url, "name": title, "description": description,
                "itemListOrder": "https://schema.org/ItemListOrderDescending", "numberOfItems": len(items),
                "itemListElement": items}


def _whole_words_in(words: str, text: str) -> bool:
    """``words`` occurs in ``text`` not inside a longer word (a regex per name cost a compile per page)."""
    start = text.find(words)
    while start != -1:
        end = start + len(words)
        if (start == 0 or not _word_char(text[start - 1])) and (end == len(text) or not _word_char(text[end])):
            return True
        start = text.find(words, start + 1)
    return False


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
