"""``build.py suggest``: draft the quotes and new actors of an article for an editor to check.

The draft goes to ``content/raw/<slug>.suggested.yaml``: content/raw/ is the importer's folder,
which the build and the preview never read, so a draft cannot break a build before it is
accepted. It holds::

    article: <slug>
    quotes:            # in the shape of content/quotes/*.yaml, each with `why`
    - id: ...
      speaker: <actor id>
      text: <verbatim, without the quotation marks>
      article: <slug>
      said_on: YYYY-MM-DD   # from a weekday word against the article's date
      said_to: <actor id>   # from "told X"
      channel: ...          # from "in an emailed statement"
      why: {speaker: "...", said_on: "...", said_to: "..."}   # the words each guess rests on
    actors:            # names the site does not know yet, as stubs
    - id: ...
      kind: person | state | organisation | outlet
      name: ...
      why: ...

``build.py suggest --accept ARTICLE`` drops the ``why`` entries, writes the quotes to
``content/quotes/<slug>.yaml`` (or ``<slug>-suggested.yaml`` when that exists) and each new actor
to ``content/actors/<id>.yaml`` (never over an existing file), removes the draft, and runs check.
Quotations already annotated for the article (same text) are not drafted again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Actor, Quote
from ..resolved import Article
from .actor_names import ActorNames, Resolved
from .quote_find import (
    INDEFINITE,
    QuoteSpan,
    anonymous,
    attribution,
    blank_quotes,
    channel,
    day_word,
    is_pronoun,
    is_title,
    quote_spans,
    said_to,
)

_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]*\)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE_DAYS = {"yesterday": 1, "last night": 1, "today": 0, "this morning": 0, "tonight": 0}
_ID_WORDS = 4
# "the statement", "the ministry", "the spokesman": a speaker named by what it is, not who.
# "The Prime Minister said", "the Duke fumed": an office, not a name, so the person last named.
_TITLE_ONLY = re.compile(
    r"^(?:the\s+)?(?:(?:prime|foreign|finance|defence|defense|deputy|vice|home|health|interior|chief|first|former|"
    r"new|acting)\s+)*(?:minister|president|chancellor|secretary|governor|mayor|duke|duchess|king|queen|prince|"
    r"princess|pope|speaker|senator|premier|ambassador|general|commissioner|chairman|chairwoman|chair|"
    r"spokesman|spokeswoman|spokesperson|envoy|leader)$", re.IGNORECASE)
_DESCRIPTOR = re.compile(r"^[Tt]he\s+(?:[A-Z][\w’'.-]*\s+)*[a-z]")  # "the (Labour) leader", not "the Finance Ministry"
# Descriptors of things rather than people: "the statement", "the ministry said".
_THING = re.compile(r"\b(?:statement|ministry|agency|authority|office|department|government|company|report|"
                    r"court|council|committee|group|organisation|organization|army|military|police|embassy|"
                    r"spokesperson's office|white house|kremlin|union|party|forces|unions|parties|ministries|"
                    r"agencies|companies|groups|governments|organisations|organizations|authorities)\b", re.IGNORECASE)


@dataclass
class Draft:
    """The drafted annotations of one article."""

    article: str
    quotes: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)

    def as_data(self) -> dict[str, Any]:
        return {"article": self.article, "quotes": self.quotes, "actors": self.actors}


@dataclass
class _State:
    """What the walk through the article has seen so far."""

    names: ActorNames
    persons: list[tuple[int, str]]         # (global offset, actor id) of persons named outside quotes
    everyone: list[tuple[int, str]]        # the same for actors of every kind
    stubs: dict[str, Resolved] = field(default_factory=dict)
    last_speaker: tuple[int, str, str] | None = None  # (paragraph, speaker id, why) of the last quotation
    open_quote: bool = False  # the last quotation was not closed: the next paragraph may go on with it


def plain_paragraphs(markdown: str) -> list[str]:
    """The article's paragraphs as a reader sees their text: no headings, links as their text."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", markdown):
        text = " ".join(line.strip() for line in block.strip().splitlines())
        if not text or text.startswith("#"):
            continue
        paragraphs.append(_ESCAPE.sub(r"\1", _LINK.sub(r"\1", text)))
    return paragraphs


def draft_article(article: Article, actors: list[Actor], known: list[Quote]) -> Draft:
    """Every direct quotation of the article not annotated yet, with speaker, date and addressee."""
    names = ActorNames(actors)
    paragraphs = plain_paragraphs(article.body)
    state = _State(names, _mentions(names, paragraphs, "person"), _mentions(names, paragraphs, None))
    done = {_folded(quote.text) for quote in known if quote.article == article.slug}
    draft = Draft(article.slug)
    taken_ids = {quote.id for quote in known}
    for number, paragraph in enumerate(paragraphs):
        for span in quote_spans(paragraph, number):
            entry = _quote_entry(span, article, state)
            if entry is None or _folded(entry["text"]) in done:
                continue
            entry["id"] = _unique_id(entry, taken_ids)
            draft.quotes.append(_ordered(entry))
    draft.actors = [_actor_entry(stub) for stub in sorted(state.stubs.values(), key=lambda r: r.id)]
    return draft


def _quote_entry(span: QuoteSpan, article: Article, state: _State) -> dict[str, Any] | None:
    if is_title(span):
        return None
    found = attribution(span)
    why: dict[str, str] = {}
    speaker = _speaker(span, found.who, found.words, state, why)
    if speaker is None:
        return None
    entry: dict[str, Any] = {"speaker": speaker, "text": span.text, "article": article.slug}
    context = f"{found.words} {found.rest}"
    when = day_word(span.before + " " + span.after, span.previous_sentence)
    if when:
        entry["said_on"] = _resolve_day(when, article.meta.date).isoformat()
        why["said_on"] = f"'{when}' against the article's date {article.meta.date.isoformat()}"
    addressee = said_to(context)
    if addressee:
        resolved = state.names.resolve(addressee, "said_to")
        if resolved is not None:
            entry["said_to"] = _remember(resolved, state)
            why["said_to"] = f"'told {addressee}': {resolved.why}"
    how = channel(context)
    if how:
        entry["channel"] = how
        why["channel"] = f"'in a {how}'"
    entry["why"] = why
    return entry


def _speaker(span: QuoteSpan, who: str, words: str, state: _State, why: dict[str, str]) -> str | None:
    """The speaker's actor id from the attribution, a pronoun, or the quotation it continues."""
    position = span.paragraph * 1_000_000 + span.start
    if who and (anonymous(who) or INDEFINITE.match(who) and _spoken_for(who, state) is None):
        _said(state, span, "", f"'{words}': the speaker is not named")
        return None
    if who and INDEFINITE.match(who):  # "A BBC spokesman", "a report from Kotak": the body named
        actor_id = _spoken_for(who, state) or ""
        why["speaker"] = f"'{words}': the voice of {actor_id}, named in it"
        return _said(state, span, actor_id, why["speaker"])
    if who and is_pronoun(who) or who and (_DESCRIPTOR.match(who) or _TITLE_ONLY.match(who)) \
            and state.names.within(who) is None:
        personal = who.lower() not in ("it", "they") and not _THING.search(who)
        mentions = state.persons if personal else _non_persons(state)
        if _TITLE_ONLY.match(who) and (actor := _topic(mentions, span.paragraph, position)) is not None:
            why["speaker"] = f"'{words}': '{who}' read as {actor}, the first person named just before"
            return _said(state, span, actor, why["speaker"])
        actor = _last(mentions, position)
        if actor is None:
            return None
        what = "person" if personal else "organisation, state or outlet"
        why["speaker"] = f"'{words}': '{who}' read as {actor}, the {what} last named"
        return _said(state, span, actor, why["speaker"])
    if who:
        resolved = state.names.resolve(who, "speaker")
        if resolved is not None:
            why["speaker"] = f"'{words}': {resolved.why}"
            actor_id = _remember(resolved, state)
            if state.names.kinds.get(actor_id, resolved.kind) == "person":
                state.persons.append((position, actor_id))
                state.persons.sort()
            return _said(state, span, actor_id, why["speaker"])
    previous = state.last_speaker
    if not span.full or previous is None or not previous[1]:
        return None
    if previous[0] == span.paragraph:
        why["speaker"] = f"continues the quotation of {previous[1]} earlier in the paragraph ({previous[2]})"
        return previous[1]
    # A paragraph that is one quotation and nothing else goes on with the speaker who closed the
    # paragraph before (“…,” she said. / “I’m leaving because…”), as does a quotation left open.
    whole = span.start == 0 and not span.after.strip() and span.text.rstrip("”’\"'»“").endswith((".", "!", "?"))
    if previous[0] == span.paragraph - 1 and (state.open_quote or whole):
        why["speaker"] = f"a paragraph of quotation after one quoting {previous[1]} ({previous[2]})"
        return _said(state, span, previous[1], previous[2])
    return None


def _spoken_for(who: str, state: _State) -> str | None:
    """The organisation, state or outlet an indefinite speaker speaks for ("A BBC spokesman")."""
    known = state.names.within(who)
    return known[0] if known is not None and state.names.kinds.get(known[0]) != "person" else None


def _said(state: _State, span: QuoteSpan, actor_id: str, why: str) -> str:
    state.last_speaker = (span.paragraph, actor_id, why)
    state.open_quote = span.open_end
    return actor_id


def _non_persons(state: _State) -> list[tuple[int, str]]:
    return [(offset, actor_id) for offset, actor_id in state.everyone if state.names.kinds.get(actor_id) != "person"]


def _remember(resolved: Resolved, state: _State) -> str:
    if resolved.new:
        state.stubs.setdefault(resolved.id, resolved)
        state.names.kinds.setdefault(resolved.id, resolved.kind)
    return resolved.id


def _mentions(names: ActorNames, paragraphs: list[str], kind: str | None) -> list[tuple[int, str]]:
    """Known actors (of one kind, or all) named outside quotations, with a global position."""
    mentions = []
    for number, paragraph in enumerate(paragraphs):
        mentions += [(number * 1_000_000 + offset, actor_id)
                     for offset, actor_id in names.mentions(blank_quotes(paragraph), kind=kind)]
    return mentions


def _last_person(state: _State, position: int) -> str | None:
    return _last(state.persons, position)


def _topic(mentions: list[tuple[int, str]], paragraph: int, position: int) -> str | None:
    """The first person named earlier in this paragraph, else in the one before: "The Prime
    Minister said" means the story's subject ("Sunak will travel to Kyiv to meet Zelensky"), not
    whoever was named last."""
    for number in (paragraph, paragraph - 1):
        start = number * 1_000_000
        named = [actor_id for offset, actor_id in mentions if start <= offset < min(start + 1_000_000, position)]
        if named:
            return named[0]
    return None


def _last(mentions: list[tuple[int, str]], position: int) -> str | None:
    earlier = [actor_id for offset, actor_id in mentions if offset < position]
    return earlier[-1] if earlier else None


def _resolve_day(word: str, published: dt.date) -> dt.date:
    """The date a weekday word means in an article published on ``published`` (never after it)."""
    if word in _RELATIVE_DAYS:
        return published - dt.timedelta(days=_RELATIVE_DAYS[word])
    return published - dt.timedelta(days=(published.weekday() - _WEEKDAYS.index(word)) % 7)


def _folded(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _unique_id(entry: dict[str, Any], taken: set[str]) -> str:
    from .slugs import slugify

    words = [word for word in re.findall(r"[A-Za-z0-9]+", entry["text"].lower()) if len(word) > 2][:_ID_WORDS]
    base = slugify(f"{entry['speaker']} {' '.join(words)}")[:70].strip("-")
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _ordered(entry: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "speaker", "text", "article", "said_on", "said_to", "channel", "why")
    return {key: entry[key] for key in keys if key in entry}


def _actor_entry(stub: Resolved) -> dict[str, Any]:
    return {"id": stub.id, "kind": stub.kind, "name": stub.name, "why": stub.why}
