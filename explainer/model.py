"""The content model: one schema for config, front matter, actors, quotes and votes.

These pydantic models are the single definition of what an editor may write. ``validate.py``
is the only place that turns raw documents into them, and ``schema.py`` publishes them as JSON
Schema for editors' YAML language servers. The resolved site the renderer reads is in
resolved.py. No I/O here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from . import colours

#: The id rule (articles' slugs, actor, quote and vote ids): used in URLs and file names.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80


def is_slug(text: str) -> bool:
    """Whether ``text`` follows the id rule (the one the models check)."""
    return len(text) <= SLUG_MAX and re.fullmatch(SLUG_PATTERN, text) is not None


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX),
    Field(description="Lowercase letters, digits and single hyphens; used in URLs."),
]
Iso3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), Field(description="ISO 3166-1 alpha-3 code.")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
WikidataId = Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]{0,11}$"),
                      Field(description="A Wikidata item id: Q followed by digits, e.g. Q7747.")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$", max_length=2000)]


def _iso_date(value: object) -> object:
    """Dates are written YYYY-MM-DD; numbers and timestamps are refused, not guessed at."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Count = Annotated[int, Field(ge=0, le=193, strict=True)]
VoteChoice = Literal["yes", "no", "abstain", "absent"]
ActorKind = Literal["person", "state", "organisation", "outlet", "group"]
Body = Literal["security-council", "general-assembly"]
LinkMentions = Literal["first", "first-per-section", "all"]
SeverityName = Literal["error", "warning", "ignore"]

ACTOR_KINDS: tuple[str, ...] = ("person", "state", "organisation", "outlet", "group")
VOTE_CHOICES: tuple[str, ...] = ("yes", "no", "abstain", "absent")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourceRef(Strict):
    """Where a fact that is not in the article comes from."""

    name: ShortText
    url: Url | None = None
    retrieved: IsoDate | None = Field(None, description="When the data was taken from the source (YYYY-MM-DD).")


# --- configuration -------------------------------------------------------------------------


class ValidationConfig(Strict):
    """Severity of each check that may be relaxed; `--strict` turns warnings into errors."""

    unknown_reference: Literal["error"] = "error"
    unattributed_quote: SeverityName = "warning"
    orphan_actor: SeverityName = "warning"
    quote_without_date: SeverityName = "ignore"
    unknown_name: SeverityName = Field(
        "warning", description="A capitalised name in an article that is no actor's name or alias (Emmanuel Macron).")


class DeployConfig(Strict):
    remote: ShortText = "origin"
    branch: ShortText = "gh-pages"
    cname: ShortText | None = Field(None, description="Custom domain written to CNAME, e.g. news.example.org.")


# No space, quote, angle bracket, backslash or control character: base_url is written into
# robots.txt, feeds and every page's links (issue #17, finding 12).
BASE_URL_PATTERN = r"""^(https?://[^\s/"'<>\\`@\x00-\x1f\x7f]+)?/([^\s"'<>\\`\x00-\x1f\x7f]*/)?$"""
# A BCP 47 language tag as HTML's lang and Atom's xml:lang take it: en, fr, pt-BR, zh-Hant-TW.
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"


class PaginationConfig(Strict):
    """How long the lists grow before they page (README, "Lists, pages and feeds")."""

    page_size: int = Field(50, ge=5, le=1000, strict=True, description=(
        "Entries on each page of the articles, quotes, votes, actors and timeline lists, and of an actor's "
        "quotes and mentions archives."))
    actor_items: int = Field(20, ge=1, le=1000, strict=True, description=(
        "Quotes, and articles naming the actor, shown on an actor's page; beyond that they get archive pages."))


class FeedConfig(Strict):
    content: Literal["summary", "full"] = Field(
        "summary", description="What the site feed's entries carry: the summary, or the full article.")


HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"
Colour = Annotated[str, StringConstraints(pattern=HEX_COLOUR), Field(description="A colour written #rrggbb.")]
StaticImage = Annotated[str, StringConstraints(pattern=r"^static/[A-Za-z0-9_./-]+\.(svg|png|webp|jpg|jpeg)$"),
                        Field(description="An image under templates/static/, e.g. static/logo.svg.")]


class ThemeConfig(Strict):
    """The default theme's colours and logo, without copying templates."""

    accent: Colour | None = Field(None, description=(
        "Links, buttons and the masthead rule on the light page; needs 4.5:1 contrast against it."))
    accent_dark: Colour | None = Field(None, description=(
        "The accent in dark mode; made from `accent` when left out. Needs 4.5:1 contrast against the dark page."))
    logo: StaticImage | None = Field(None, description="A file of your templates/static/, shown in the masthead.")

    @field_validator("accent")
    @classmethod
    def _accent_reads_on_light(cls, value: str | None) -> str | None:
        return _readable(value, colours.LIGHT_PAGE, "the light page")

    @field_validator("accent_dark")
    @classmethod
    def _accent_reads_on_dark(cls, value: str | None) -> str | None:
        return _readable(value, colours.DARK_PAGE, "the dark page")


def _readable(value: str | None, page: str, where: str) -> str | None:
    """Links and buttons are drawn in the accent: it must read as text (WCAG AA, 4.5:1)."""
    if value is not None and (ratio := colours.contrast(value, page)) < colours.MINIMUM:
        shade = "darker" if page == colours.LIGHT_PAGE else "lighter"
        raise PydanticCustomError("low_contrast", "{value} has a contrast of {ratio}:1 against {where} ({page}); "
                                  "links need {minimum}:1: choose a {shade} colour",
                                  {"value": value, "ratio": f"{ratio:.1f}", "where": where, "page": page,
                                   "minimum": colours.MINIMUM, "shade": shade})
    return value


class SiteConfig(Strict):
    """config.yaml at the root of a site project."""

    title: ShortText
    description: Text = ""
    base_url: Annotated[str, StringConstraints(pattern=BASE_URL_PATTERN)] = Field(
        "/", description="Where the site is hosted: '/', '/repo/' or 'https://user.github.io/repo/'. Ends with '/'."
    )
    language: Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)] = Field(
        "en", description="The site's language as a BCP 47 tag: en, fr, pt-BR.")
    link_mentions: LinkMentions = Field(
        "first", description="Which mentions of an actor are linked: first per article, first per section, or all."
    )
    data_license: ShortText | None = Field(
        None, description="The licence of the files under /data/, shown on the /data/ page, e.g. 'CC BY 4.0'.")
    validation: ValidationConfig = ValidationConfig()
    pagination: PaginationConfig = PaginationConfig()
    feed: FeedConfig = FeedConfig()
    theme: ThemeConfig = ThemeConfig()
    deploy: DeployConfig = DeployConfig()
    importer: dict[str, object] = Field(default_factory=dict, alias="import",
                                        description="Importer settings; see the README.")


# --- content -------------------------------------------------------------------------------


class Correction(Strict):
    """A dated note on what changed after publication, shown with the article or quote."""

    date: IsoDate
    kind: Literal["correction", "clarification", "update", "withdrawal"] = Field(
        "correction", description="withdrawal: on a quote only, the quote is taken back (its words are no longer "
        "in the article); its place on the speaker's page says so.")
    text: Text = Field(description="What was wrong or what changed, in a sentence or two.")


def _not_before(published: dt.date | None, corrections: list[Correction], what: str) -> None:
    """A correction cannot predate what it corrects."""
    for correction in corrections:
        if published is not None and correction.date < published:
            raise ValueError(f"a correction dated {correction.date} is older than the {what} ({published})")


class ArticleMeta(Strict):
    """The YAML front matter of content/articles/*.md."""

    title: ShortText
    slug: Slug | None = Field(None, description="Defaults to the file name without .md.")
    date: IsoDate
    source: ShortText | None = Field(None, description="The outlet that published the article.")
    outlet: Slug | None = Field(None, description="Actor id of that outlet, when it has one.")
    source_url: Url | None = None
    author: ShortText | None = None
    summary: Text | None = None
    credits: list[ShortText] = Field(default_factory=list,
                                     description="Image captions and credits removed from the body.")
    raw: ShortText | None = Field(None, description="The raw scraped file this article was cleaned from.")
    aliases: dict[ShortText, Slug] = Field(
        default_factory=dict, description="Phrases that mean a given actor in this article only: phrase -> actor id."
    )
    unlinked: list[ShortText] = Field(default_factory=list, description="Phrases never linked in this article.")
    corrections: list[Correction] = Field(default_factory=list, description="Dated corrections and updates.")
    redirect_from: list[ShortText] = Field(
        default_factory=list, description="Old paths of this page, e.g. articles/old-slug/: each gets a redirect.")
    draft: StrictBool = Field(False, description="True: shown by the preview only, never published.")
    publish_at: AwareDatetime | None = Field(
        None, description="Embargo: published by the first build after this time, e.g. 2025-03-01T09:00:00+01:00.")

    @field_validator("corrections")
    @classmethod
    def _corrections_follow_publication(cls, value: list[Correction], info: ValidationInfo) -> list[Correction]:
        _not_before(info.data.get("date"), value, "article")
        if any(note.kind == "withdrawal" for note in value):
            raise PydanticCustomError("withdrawn_article", "an article's correction cannot be a withdrawal, "
                                      "which takes back a quote")
        return value
    review: list[Literal["source", "title", "date"]] = Field(
        default_factory=list,
        description="Values the importer guessed; `check` lists the article until an editor removes them.",
    )


class ActorLink(Strict):
    actor: Slug
    relation: ShortText = Field(description="How this actor relates to the other, e.g. 'press secretary of'.")


class Actor(Strict):
    """content/actors/<id>.yaml: a person, state, organisation, outlet or group."""

    id: Slug
    kind: ActorKind
    name: ShortText
    aliases: list[ShortText] = Field(default_factory=list, description="Other names, matched in article text.")
    search_aliases: list[ShortText] = Field(default_factory=list, description=(
        "Other spellings readers may search for (transliterations such as Nebenzia, Peskow): they find this "
        "actor and the articles naming it, and are never matched in article text."))
    role: ShortText | None = None
    description: Text | None = None
    iso3: Iso3 | None = Field(None, description="For states: ISO 3166-1 alpha-3, links the state to its UN votes.")
    wikidata: WikidataId | None = Field(None, description="The actor's Wikidata item, e.g. Q7747 for Vladimir Putin.")
    links: list[ActorLink] = Field(default_factory=list)
    source: SourceRef | None = None
    redirect_from: list[ShortText] = Field(
        default_factory=list, description="Old paths of this page, e.g. articles/old-slug/: each gets a redirect.")
    draft: StrictBool = Field(False, description="True: shown by the preview only, never published.")


class Quote(Strict):
    """One entry of a list in content/quotes/*.yaml: who said what, to whom, when."""

    id: Slug
    speaker: Slug = Field(description="Actor id of who said it.")
    text: Text = Field(description="Verbatim, as it appears in the article (without the quotation marks).")
    article: Slug = Field(description="Slug of the article the quote appears in.")
    said_on: IsoDate | None = None
    said_to: Slug | None = Field(None, description="Actor id of the outlet or person it was said to.")
    channel: ShortText | None = Field(None, description="How it was said, e.g. 'emailed statement', 'interview'.")
    context: Text | None = None
    source: SourceRef | None = None
    corrections: list[Correction] = Field(default_factory=list, description="Dated corrections of the quote.")
    draft: StrictBool = Field(False, description="True: shown by the preview only, never published.")

    @field_validator("corrections")
    @classmethod
    def _corrections_follow_saying(cls, value: list[Correction], info: ValidationInfo) -> list[Correction]:
        _not_before(info.data.get("said_on"), value, "quote")
        return value

    @property
    def withdrawn(self) -> Correction | None:
        """The note that withdrew the quote, if one did: the quote keeps its place on the speaker's
        page, marked, and is no longer looked for or marked in the article."""
        return next((note for note in self.corrections if note.kind == "withdrawal"), None)


class Tally(Strict):
    """Declared counts; leave a count out when it is not known."""

    yes: Count | None = None
    no: Count | None = None
    abstain: Count | None = None
    absent: Count | None = None

    def get(self, choice: str) -> int | None:
        value: int | None = getattr(self, choice)
        return value


Result = Literal["adopted", "rejected", "vetoed"]
Question = Literal["substantive", "procedural"]
Majority = Literal["simple", "two-thirds"]
RESULT_HELP = ("adopted | rejected (too few votes) | vetoed (a permanent member's 'no'); computed from the "
               "votes when left out, and must agree with them when written")


class Amendment(Strict):
    id: Slug
    title: ShortText
    document: ShortText | None = None
    proposers: list[Slug] = Field(default_factory=list, description="Actor ids or ISO3 codes.")
    result: Result | None = Field(None, description=RESULT_HELP)
    question: Question | None = Field(None, description="Security Council: substantive (default) or procedural.")
    vetoed_by: list[ShortText] = Field(default_factory=list, description="Permanent members whose 'no' blocked it.")
    tally: Tally = Tally()
    members: dict[ShortText, VoteChoice] = Field(default_factory=dict)
    note: Text | None = None
    source: SourceRef | None = None


class Claim(Strict):
    """A statement in an article that the record contradicts; shown beside it and on the vote page."""

    article: Slug
    text: Text = Field(description="The passage of the article, verbatim.")
    note: Text = Field(description="What the record says instead.")


class Vote(Strict):
    """content/votes/<id>.yaml: one UN vote."""

    id: Slug
    body: Body
    resolution: ShortText
    title: ShortText
    date: IsoDate
    meeting: ShortText | None = None
    draft: ShortText | None = None
    drafter: ShortText | None = Field(None, description="Actor id or ISO3 code of the drafter.")
    sponsors: list[ShortText] = Field(default_factory=list)
    full_title: Text | None = Field(None, description="The catalogue's whole title when `title` shortens it.")
    result: Result | None = Field(None, description=RESULT_HELP)
    question: Question | None = Field(None, description="Security Council only: substantive (default) or procedural.")
    majority: Majority | None = Field(None, description="General Assembly only: simple (default) or two-thirds "
                                      "(important questions, Charter Art. 18(2)).")
    vetoed_by: list[ShortText] = Field(default_factory=list, description="Permanent members whose 'no' blocked it; "
                                       "computed from `members` when they are recorded.")
    follows: Slug | None = Field(None, description="Id of the earlier vote this one continues.")
    tally: Tally
    members_complete: StrictBool = Field(False, description="True when `members` lists every member's vote.")
    members: dict[ShortText, VoteChoice] = Field(
        default_factory=dict, description="Member (ISO3 code or actor id) -> yes | no | abstain | absent."
    )
    amendments: list[Amendment] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    summary: Text | None = None
    source: SourceRef | None = None
    redirect_from: list[ShortText] = Field(
        default_factory=list, description="Old paths of this page, e.g. articles/old-slug/: each gets a redirect.")
    # Not "draft": that is the symbol of the draft resolution (A/ES-11/L.10).
    unpublished: StrictBool = Field(False, description="True: shown by the preview only, never published.")
