"""Find direct quotations in article text and the words that attribute them (issue #25.4).

Rule-based and explainable: each quotation comes with the attribution words it rests on.

- A quotation is the text between paired quotation marks (“…”, "…", «…», „…“); a quotation inside
  another (‘lay the groundwork’) stays part of the outer one.
- It is *full* when it ends with sentence or clause punctuation inside the marks (“…,” he said) or
  stands alone as a sentence, *partial* when it is worked into a sentence (calling for “a swift end”).
- Its attribution is, in order: a reporting clause right after it (“…,” Peskov told CNBC / “…,”
  said Liam Peach / “…,” he added); a reporting verb with its subject before it in the same
  sentence (Roche said: “…” / He warned that … “Axis of Autocracies”). A full quotation with
  neither continues the previous quotation of the paragraph (“A,” he said. “B.”). A partial one
  with neither is taken for a scare quote and left out.
- The words around the quotation are also searched for whom it was said to (told X), how (in an
  emailed statement) and when (a weekday, "yesterday"), in its sentence and then the sentence
  before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "„": "“"}
# Scraped text mixes straight and curly marks ("And I asked…?” said Hill): either closes either.
_CLOSERS = {"“": "”\"", '"': '"”', "«": "»", "„": "“\""}
REPORTING_VERBS = (
    "said|says|told|tells|added|adds|noted|notes|explained|explains|asked|asks|wrote|writes|warned|warns|"
    "stressed|stresses|insisted|insists|argued|argues|declared|declares|tweeted|continued|replied|recalled|"
    "remarked|claimed|claims|stated|states|emphasised|emphasized|admitted|acknowledged|announced|observed|"
    "cautioned|concluded|complained|urged|predicted|suggested|conceded|posted|responded|praised|called|"
    "described|dismissed|reiterated|confirmed|maintained|testified|testifies|revealed|reported|saying|adding|"
    "telling|writing"
)
PRONOUNS = ("he", "she", "they", "it", "we", "i")
_NAME = r"(?:[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|de|van|von|al|bin|da|di|del|la|le)){0,6})"
_VERB = rf"(?P<verb>(?:(?:also|later|then|has|had|have|was|is|would|will|once)\s+)*(?:{REPORTING_VERBS}))\b"
# “…,” Peskov told CNBC / “…,” he said Monday / “…,” Taliban spokesman Zabihullah Mujahid said: the
# words up to the first reporting verb name the speaker (resolved by actor_names).
_AFTER_SUBJECT_VERB = re.compile(rf"^\s*[,—–-]?\s*(?P<who>[^.!?;:“”\"]{{1,80}}?)\s+(?:\w+ly\s+)?{_VERB}"
                                 r"(?P<rest>[^.!?]*)")
# “…,” said Liam Peach, a senior economist / said White House Press Secretary Stephanie Grisham.
_AFTER_VERB_SUBJECT = re.compile(rf"^\s*[,—–-]?\s*{_VERB}\s+(?P<who>[^,.;!?“”\"]{{1,80}})(?P<rest>[^.!?]*)")
# He warned that … “x” / Lavrov said: “…” / Mark Milley, chairman of the Joint Chiefs, told …
_BEFORE = re.compile(rf"(?:^|[\s(,;:—–])(?P<who>{_NAME}|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Tt]he\s+[a-z][\w-]*)"
                     rf"(?:,\s[^,]{{1,80}},)?\s+(?:\w+ly\s+)?{_VERB}")
_LATER_VERB_SUBJECT = re.compile(rf",\s*{_VERB}\s+(?P<who>[^,.;!?“”\"]{{1,80}})(?P<rest>[^.!?]*)")
_ACCORDING = re.compile(rf"according to (?P<who>(?:the\s+)?{_NAME})")
_TOLD = re.compile(r"\btold\s+(?P<to>[^,.;:!?“”\"]{2,80}?)"
                   r"(?=\s+(?:on|in|at|during|after|before|last|this|that)\b|[,.;:!?]|$)")
_CHANNEL = re.compile(r"\bin an? (?P<channel>(?:emailed |written |televised |radio |video |joint )?"
                      r"(?:statement|interview|press conference|news conference|briefing|speech|post|op-ed|letter"
                      r"|podcast))\b")
_WEEKDAY = re.compile(r"\b(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
                      r"this morning|last night|tonight)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s+(?:[A-Z“\"‘«„]|$))|[.!?]$")
_FULL_END = re.compile(r"[,.!?…:;—–-]$")
_NOT_NAMES = frozenset({"but", "and", "this", "that", "these", "those", "there", "it's", "if", "when", "while", "as",
                        "so", "yet", "also", "then", "now", "in", "on", "at", "for", "with", "who"})
MAX_WHO_WORDS = 8  # "Taliban spokesman Zabihullah Mujahid"; longer runs before a verb are clauses


@dataclass(frozen=True)
class Attribution:
    """Who said it, by which words; empty ``who`` when nothing attributes it."""

    who: str = ""
    words: str = ""
    rest: str = ""


@dataclass(frozen=True)
class QuoteSpan:
    """One quotation in a paragraph, with the text around it."""

    paragraph: int
    start: int           # offset of the opening mark in the paragraph
    end: int             # offset just after the closing mark
    text: str            # between the marks, verbatim
    full: bool
    before: str          # the sentence's text before the quotation
    after: str           # the sentence's text after it
    previous_sentence: str
    open_end: bool = False  # not closed in its paragraph: it goes on in the next one


def quote_spans(paragraph: str, number: int) -> list[QuoteSpan]:
    """Every top-level quotation of a paragraph, in order."""
    spans: list[QuoteSpan] = []
    index = 0
    while index < len(paragraph):
        char = paragraph[index]
        if char not in QUOTE_PAIRS or (char == '"' and not _opens_straight(paragraph, index)):
            index += 1
            continue
        end = _closing(paragraph, index)
        if end < 0:
            # News style: a quotation that goes on in the next paragraph is not closed at the end
            # of this one ('Ms Persson said: "I would like…' / '"Her statements…"').
            text = paragraph[index + 1:].strip()
            if len(text.split()) >= 3:
                spans.append(_span(paragraph, number, index, len(paragraph), text, open_end=True))
            break
        text = paragraph[index + 1: end].strip()
        if text:
            spans.append(_span(paragraph, number, index, end + 1, text))
        index = end + 1
    return spans


def _closing(text: str, index: int) -> int:
    """Offset of the mark closing the quotation opened at ``index``; -1 when it never closes."""
    ends = [found for mark in _CLOSERS[text[index]] if (found := text.find(mark, index + 1)) >= 0]
    return min(ends) if ends else -1


def _opens_straight(text: str, index: int) -> bool:
    """A straight quote opens when it follows a space, a bracket or the start of the text."""
    return index == 0 or text[index - 1] in " \t([{—–-:"


def _span(paragraph: str, number: int, start: int, end: int, text: str, open_end: bool = False) -> QuoteSpan:
    sentence_start = _sentence_start(paragraph, start)
    after_end = _sentence_end(paragraph, end)
    previous_end = len(paragraph[:sentence_start].rstrip())  # just after the previous sentence's full stop
    previous_start = _sentence_start(paragraph, max(previous_end - 1, 0)) if sentence_start else 0
    full = bool(_FULL_END.search(text)) or sentence_start == start and _sentence_end(paragraph, end) == end
    return QuoteSpan(number, start, end, text, full or open_end, paragraph[sentence_start:start],
                     paragraph[end:after_end], paragraph[previous_start:previous_end] if sentence_start else "",
                     open_end)


def _sentence_start(paragraph: str, offset: int) -> int:
    """Where the sentence holding ``offset`` starts: after the last sentence end outside quotes."""
    outside = blank_quotes(paragraph[:offset])
    ends = [found.end() for found in _SENTENCE_END.finditer(outside)]
    position = ends[-1] if ends else 0
    while position < offset and paragraph[position].isspace():
        position += 1
    return position


def _sentence_end(paragraph: str, offset: int) -> int:
    outside = blank_quotes(paragraph[offset:])
    found = _SENTENCE_END.search(outside)
    next_quote = min((i for i in (outside.find(mark) for mark in QUOTE_PAIRS) if i >= 0), default=len(outside))
    return offset + min(found.end() if found else len(outside), next_quote)


def blank_quotes(text: str) -> str:
    """The text with every quotation's inside replaced by spaces (same length)."""
    chars = list(text)
    index = 0
    while index < len(chars):
        if chars[index] not in QUOTE_PAIRS or (chars[index] == '"' and not _opens_straight(text, index)):
            index += 1
            continue
        end = _closing(text, index)
        stop = end if end >= 0 else len(chars)
        for position in range(index + 1, stop):
            chars[position] = " "
        index = stop + 1
    return "".join(chars)


def attribution(span: QuoteSpan) -> Attribution:
    """The words that say who said the quotation (see the module docstring)."""
    after = span.after
    for pattern in (_AFTER_SUBJECT_VERB, _AFTER_VERB_SUBJECT):
        found = pattern.match(after)
        if found is None:
            continue
        # "” impeachment, Trump said": the subject is what follows the last comma before the verb.
        who = found.group("who").rsplit(",", 1)[-1].strip() if pattern is _AFTER_SUBJECT_VERB else found.group("who")
        if _plausible(who):
            words = after[: found.end("verb") if pattern is _AFTER_SUBJECT_VERB else found.end("who")].strip(" ,—–-")
            return Attribution(who, words, found.group("rest"))
    inverted = _LATER_VERB_SUBJECT.search(after)  # “…” announced in October, said Derek Scissors
    if inverted is not None and _plausible(inverted.group("who")):
        return Attribution(inverted.group("who"), inverted.group(0).strip(" ,"), inverted.group("rest"))
    before = blank_quotes(span.before)
    candidates = [found for found in _BEFORE.finditer(before) if _plausible(found.group("who"))]
    if candidates:
        found = candidates[-1]
        return Attribution(found.group("who"), found.group(0).strip(" ,;:(—–"), before[found.end():])
    according = _ACCORDING.search(after) or _ACCORDING.search(before)
    if according is not None:
        return Attribution(according.group("who"), according.group(0), "")
    return Attribution()


def _plausible(who: str) -> bool:
    """A short phrase without a comma (a comma means a clause: the speaker comes later), not
    starting with a word that merely looks like a name ("But", "This")."""
    words = who.split()
    # An acronym is a name even when it spells a small word ("says WHO").
    first = words[0].lower() if words and not words[0].isupper() else ""
    return 0 < len(words) <= MAX_WHO_WORDS and "," not in who and first not in _NOT_NAMES


def said_to(words: str) -> str:
    """The phrase after "told", if any: "CNBC", "state-run Tass news agency"."""
    found = _TOLD.search(words)
    return found.group("to").strip() if found else ""


def channel(words: str) -> str:
    found = _CHANNEL.search(words)
    return found.group("channel") if found else ""


def day_word(*texts: str) -> str:
    """The first weekday (or "yesterday", "today") written outside quotations in ``texts``."""
    for text in texts:
        found = _WEEKDAY.search(blank_quotes(text))
        if found is not None:
            return found.group("day").lower()
    return ""


def is_pronoun(who: str) -> bool:
    return who.lower() in PRONOUNS
