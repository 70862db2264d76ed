"""The resolved site: what the link stage makes from validated content, and what the renderer
reads (``Site``, the registry by kind and id, with its cross-indexes: mentions, ballots, voting
records, outcomes, agreement). Plain dataclasses and named tuples; no I/O here. What an editor
may write is in model.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from .model import Actor, ArticleMeta, Quote, SiteConfig, Vote

RELATED_SHOWN = 10  # related actors an actor page lists


@dataclass(frozen=True)
class Article:
    meta: ArticleMeta
    slug: str
    # The Markdown in UTF-8, like RenderedBody: the build holds every article's until they are
    # linked (49 MiB as str at 5,000 articles, 24 as bytes); ``body`` is the text.
    markdown: bytes
    path: str
    body_line: int
    markdown_dropped: bool = False  # see without_markdown

    @property
    def body(self) -> str:
        if self.markdown_dropped:
            # An AttributeError, so that a template reading it fails on its line (StrictUndefined).
            raise AttributeError("an article's Markdown is dropped once it is rendered; use the HTML (body)")
        return self.markdown.decode("utf-8")

    @property
    def modified(self) -> dt.date:
        """When the article last changed: its date, or its newest correction's."""
        return max([self.meta.date, *(note.date for note in self.meta.corrections)])

    def without_markdown(self) -> Article:
        """The article as pages see it: rendering reads its HTML (Site.bodies), never its Markdown,
        so a one-off build drops that before rendering, and templates never get it (a template
        reading ``article.body`` fails, in the preview as in a build)."""
        return self if self.markdown_dropped else replace(self, markdown=b"", markdown_dropped=True)


class Mention(NamedTuple):
    """An actor named in a paragraph of an article.

    Named tuples, like Ballot and VoteRecord: a site has hundreds of thousands of them, and
    page dependency keys hash them on every rebuild (a tuple hashes in C, a dataclass in Python).
    """

    actor: str
    article: str
    anchor: str  # the paragraph's; no excerpt: an actor's page links to it instead of restating it


class Ballot(NamedTuple):
    """One member's vote, resolved to the actor it links to."""

    actor: str
    code: str
    vote: str


class VoteRecord(NamedTuple):
    """How an actor voted on a vote or on one of its amendments."""

    vote: str
    amendment: str | None
    choice: str


@dataclass(frozen=True)
class Decision:
    """What a count of votes decides under a body's rule (see unrules.py), and why."""

    result: str  # "adopted" | "rejected" | "vetoed"
    vetoed_by: tuple[str, ...]  # ISO3 codes of the permanent members whose "no" blocked adoption
    rule: str  # the rule applied, in words
    reason: str  # why this result, in words


class Agreement(NamedTuple):
    """How often an actor voted like another, over the votes both cast yes, no or abstain on."""

    other: str
    alike: int
    compared: int

    @property
    def percent(self) -> int:
        return round(100 * self.alike / self.compared)


@dataclass(frozen=True)
class AgreementTable:
    """An actor's agreement with every other member (agreement.py), closest first."""

    cast: int  # ballots of the actor counted (yes, no or abstain)
    minimum: int  # votes compared for a partner to rank among the closest and farthest
    rows: tuple[Agreement, ...]
    closest: tuple[Agreement, ...]
    farthest: tuple[Agreement, ...]


class VoteChange(NamedTuple):
    """A member whose vote differs from the one it cast on the vote this one follows."""

    actor: str
    code: str
    before: str
    after: str


class VoteDiff(NamedTuple):
    """A vote (or amendment) on which two actors voted differently."""

    vote: str
    amendment: str | None
    mine: str
    theirs: str


@dataclass(frozen=True, slots=True)
class VoteDiffs:
    """The votes (and amendments) on which two actors voted differently, as the bit sets of
    agreement.py, listed as VoteDiff when read: kept as tuples, the 160,000 of a 5,000-article
    corpus's state pages were about 15 MiB of every build process (issue 24's memory target)."""

    lists: tuple[tuple[str, str | None], ...]  # bit i: the i-th ballot list, (vote, amendment)
    mine: tuple[int, int, int]  # yes, no and abstain bit sets of each of the two actors
    theirs: tuple[int, int, int]
    differ: int  # the lists on which both cast yes, no or abstain, not alike

    def __len__(self) -> int:
        return self.differ.bit_count()

    def __iter__(self) -> Iterator[VoteDiff]:
        differ = self.differ
        while differ:
            low = differ & -differ
            vote, amendment = self.lists[low.bit_length() - 1]
            yield VoteDiff(vote, amendment, _cast(self.mine, low), _cast(self.theirs, low))
            differ ^= low


def _cast(masks: tuple[int, int, int], bit: int) -> str:
    return "yes" if masks[0] & bit else "no" if masks[1] & bit else "abstain"


@dataclass(frozen=True)
class RenderedBody:
    """An article's Markdown rendered to HTML, kept as UTF-8: news text has curly quotes, which
    make Python store a str at two bytes a character, and a site holds every body until its
    pages are rendered (65 MiB as str at 5,000 articles, 33 MiB as bytes)."""

    utf8: bytes
    paragraph_ids: tuple[str, ...]

    @property
    def html(self) -> str:
        return self.utf8.decode("utf-8")


@dataclass
class Site:
    """Everything the renderer needs, resolved and cross-indexed by link.py."""

    config: SiteConfig
    articles: dict[str, Article] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    votes: dict[str, Vote] = field(default_factory=dict)
    generated_actors: set[str] = field(default_factory=set)
    broken: set[tuple[str, str]] = field(default_factory=set)  # (kind, id) of files that failed validation
    actor_by_code: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, RenderedBody] = field(default_factory=dict)
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    article_actors: dict[str, list[str]] = field(default_factory=dict)
    quote_anchors: dict[str, str] = field(default_factory=dict)
    ballots: dict[tuple[str, str | None], list[Ballot]] = field(default_factory=dict)
    voting_records: dict[str, list[VoteRecord]] = field(default_factory=dict)
    outcomes: dict[tuple[str, str | None], Decision] = field(default_factory=dict)  # (vote, amendment) -> result
    agreement: dict[str, AgreementTable] = field(default_factory=dict)  # actor -> its agreement with the others
    vote_diffs: dict[tuple[str, str], VoteDiffs] = field(default_factory=dict)  # (actor, other) -> shown
    vote_changes: dict[str, tuple[VoteChange, ...]] = field(default_factory=dict)  # vote -> since the one it follows
    # actor -> the RELATED_SHOWN actors sharing most paragraphs with it, with how many (the full
    # counts stay in link.LinkState: at 5,000 articles every pair's was 31 MiB of the site).
    related: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    quotes_by_speaker: dict[str, list[Quote]] = field(default_factory=dict)
    quotes_by_article: dict[str, list[Quote]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)  # old site path -> the page's path now
    # What the preview shows although it is not public yet: (kind, id) -> why (draft, embargo).
    unpublished: dict[tuple[str, str], str] = field(default_factory=dict)
    # The objects of kinds without a field of their own (kinds.py), by folder: see registry.
    others: dict[str, dict[str, Any]] = field(default_factory=dict)

    def registry(self, folder: str) -> dict[str, Any]:
        """The objects of the kind whose folder is ``folder`` (kinds.Kind.folder), by id."""
        found: dict[str, Any] | None = getattr(self, folder, None) if folder != "others" else None
        return found if found is not None else self.others.setdefault(folder, {})
