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

QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "„": "“", "‘": "’", "'": "'"}
# Scraped text mixes straight and curly marks ("And I asked…?” said Hill): either closes either.
_CLOSERS = {"“": "”\"", '"': '"”', "«": "»", "„": "“\"", "‘": "’'", "'": "'’"}
_SINGLE = "‘'"  # single marks are also apostrophes (don’t, pensioners’ incomes): see _closing_single
REPORTING_VERBS = (
    "said|says|told|tells|added|adds|noted|notes|explained|explains|asked|asks|wrote|writes|warned|warns|"
    "stressed|stresses|insisted|insists|argued|argues|declared|declares|tweeted|continued|replied|recalled|"
    "remarked|claimed|claims|stated|states|emphasised|emphasized|admitted|acknowledged|announced|observed|"
    "cautioned|concluded|complained|urged|predicted|suggested|conceded|posted|responded|praised|called|"
    "described|dismissed|reiterated|confirmed|maintained|testified|testifies|revealed|reported|saying|adding|"
    "telling|writing|"
    # Tabloid and feature verbs ("the Duke fumed", "Levin raged that …").
    "fumed|raged|blasted|slammed|gushed|boasted|joked|quipped|pleaded|demanded|vowed|pledged|promised|"
    "threatened|branded|labelled|labeled|dubbed|hailed|condemned|criticised|criticized|accused|rejected|"
    "shouted|screamed|sobbed|whispered|agreed|announced|pointed out|went on|hit out|lashed out|snapped|retorted|"
    "fired back|hit back|shot back|laughed|sighed|grumbled|moaned|cried|joked"
)
PRONOUNS = ("he", "she", "they", "it", "we", "i")
# "Duke of Sussex", "Office for Budget Responsibility": "of"/"for" join capitalised words.
_NAME = (r"(?:[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|de|van|von|al|bin|da|di|del|la|le|(?:of|for)(?:\s+the)?"
         r"(?=\s+[A-Z]))){0,6})")
_VERB = (rf"(?P<verb>(?:(?:also|later|then|has|had|have|was|is|would|will|once|further|again|earlier|previously)\s+)*"
         rf"(?:{REPORTING_VERBS}))\b")
# A full stop after an initial or a title is part of a name ("the U.S. Coast Guard", "S. Somanath",
# "Gov. Ron DeSantis"), and ends no sentence.
_TITLES = ("Mr", "Mrs", "Ms", "Dr", "St", "Gov", "Sen", "Rep", "Gen", "Lt", "Col", "Sgt", "Capt", "Cmdr", "Adm",
           "Prof", "Jr", "Sr", "Inc", "Corp", "Co", "No", "vs", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec")
_ABBREVIATIONS = "".join(rf"(?<!\b{word})" for word in _TITLES)
_INITIAL = "(?:" + "|".join(rf"(?<=\b{word})" for word in ("[A-Z]", *_TITLES)) + r")\."
_SENTENCE_END = re.compile(rf"(?<!\b[A-Z]){_ABBREVIATIONS}[.](?=\s+(?:[A-Z“\"‘«„]|$))|[!?](?=\s+(?:[A-Z“\"‘«„]|$))"
                           r"|[.!?]$")
# “…,” Peskov told CNBC / “…,” he said Monday / “…,” Taliban spokesman Zabihullah Mujahid said: the
# words up to the first reporting verb name the speaker (resolved by actor_names).
_AFTER_SUBJECT_VERB = re.compile(rf"^\s*[,—–-]?\s*(?P<who>(?:[^.!?;:“”\"]|{_INITIAL}){{1,80}}?)\s+(?:\w+ly\s+)?{_VERB}"
                                 r"(?P<rest>[^.!?]*)")
# “…,” said Liam Peach, a senior economist / said White House Press Secretary Stephanie Grisham.
_AFTER_VERB_SUBJECT = re.compile(rf"^\s*[,—–-]?\s*{_VERB}\s+(?P<who>(?:[^,.;!?“”\"]|{_INITIAL}){{1,80}})"
                                 r"(?P<rest>[^.!?]*)")
# He warned that … “x” / Lavrov said: “…” / Mark Milley, chairman of the Joint Chiefs, told …
_BEFORE = re.compile(rf"(?:^|[\s(,;:—–])(?P<who>{_NAME}|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|"
                     rf"[Tt]he\s+[a-z][\w-]*|[Aa]n?\s+(?:{_NAME}\s+)?[a-z][\w-]*)"
                     rf"(?:,\s(?P<appositive>[^,]{{1,80}}),(?:\s[^,]{{1,80}},)?)?\s+(?:\w+ly\s+)?{_VERB}")
# "The SNP’s leader at Westminster, Ian Blackford, said": an appositive that is a name is the speaker.
_APPOSITIVE_NAME = re.compile(r"(?:[A-Z][\w’'.-]*\s+){1,3}[A-Z][\w’'-]*")
_LATER_VERB_SUBJECT = re.compile(rf",\s*{_VERB}\s+(?P<who>(?:[^,.;!?“”\"]|{_INITIAL}){{1,80}})(?P<rest>[^.!?]*)")
# "Ruto declined to sign the Bill, saying he had “…”": a participle after a comma reports the words
# of the sentence's subject, its first words.
_PARTICIPLE = re.compile(r",\s*(?:\w+ly\s+)?(?:saying|adding|telling|writing|calling|describing|warning|arguing|"
                         r"insisting|noting|stressing|accusing|branding|declaring|urging|claiming|explaining)\b")
# A dateline before the subject is no name: "ROME – Premier Giorgia Meloni …", "BENGALURU: …".
_DATELINE = r"(?:[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Za-z.'-]*){0,3}\s*(?:\([^)]{1,20}\)\s*)?[—–:-]\s+)?"
_SUBJECT = re.compile(rf"^\W*{_DATELINE}(?P<who>(?:{_NAME}\s+)?(?:[a-z][\w-]*\s+){{0,2}}{_NAME}|He|She|They|It)\b")
_ACCORDING = re.compile(rf"according to (?P<who>(?:the\s+)?{_NAME})")
_TOLD = re.compile(r"\btold\s+(?P<to>[^,.;:!?“”\"]{2,80}?)"
                   r"(?=\s+(?:on|in|at|during|after|before|last|this|that)\b|[,.;:!?]|$)")
_CHANNEL = re.compile(r"\bin an? (?P<channel>(?:emailed |written |televised |radio |video |joint )?"
                      r"(?:statement|interview|press conference|news conference|briefing|speech|post|op-ed|letter"
                      r"|podcast))\b")
_WEEKDAY = re.compile(r"\b(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
                      r"this morning|last night|tonight)\b", re.IGNORECASE)
_FULL_END = re.compile(r"[,.!?…:;—–-]$")
# Words a speaker's name never starts with: conjunctions, demonstratives and prepositions ("“step
# back” from the show until an agreed position": "agreed" is no reporting verb there).
_NOT_NAMES = frozenset({"but", "and", "this", "that", "these", "those", "there", "it's", "if", "when", "while", "as",
                        "so", "yet", "also", "then", "now", "in", "on", "at", "for", "with", "who", "from", "to",
                        "until", "after", "before", "about", "over", "under", "into", "of", "than", "by", "without",
                        "despite", "because", "since", "during", "through", "against"})
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
        if not opens(paragraph, index):
            index += 1
            continue
        end = _closing(paragraph, index)
        if end < 0:
            if paragraph[index] in _SINGLE and index > 0:
                index += 1  # an apostrophe ('90s, ‘n’), not a quotation going on in the next paragraph
                continue
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
    if text[index] in _SINGLE:
        return _closing_single(text, index)
    ends = [found for mark in _CLOSERS[text[index]] if (found := text.find(mark, index + 1)) >= 0]
    return min(ends) if ends else -1


def _closing_single(text: str, index: int) -> int:
    """The closing single mark: one that ends a word and is not an apostrophe, i.e. not followed by
    a letter (don’t) and not the plural possessive "pensioners’ incomes" (after an s, before a word
    in lower case). British broadsheets (FT style) quote with single marks."""
    for found in re.finditer(r"[’']", text[index + 1:]):
        at = index + 1 + found.start()
        before, after = text[at - 1], text[at + 1: at + 3]
        if before.isspace() or after[:1].isalnum():
            continue
        if before in "sS" and re.match(r"\s[a-z]", after):
            continue
        return at
    return -1


def opens(text: str, index: int) -> bool:
    """Whether the mark at ``index`` opens a quotation. Curly double marks, « and „ always do; a
    straight or single mark only after a space, a bracket, a dash, a colon or the start of the text,
    and a single one only before a letter or digit (not the apostrophe of "the ’90s")."""
    char = text[index]
    if char not in QUOTE_PAIRS:
        return False
    if char not in "\"'‘":
        return True
    if index > 0 and text[index - 1] not in " \t([{—–-:“\"«„":
        return False
    return char == '"' or text[index + 1: index + 2].isalnum()


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
    next_quote = next((i for i in range(len(outside)) if opens(outside, i)), len(outside))
    return offset + min(found.end() if found else len(outside), next_quote)


def blank_quotes(text: str) -> str:
    """The text with every quotation's inside replaced by spaces (same length)."""
    chars = list(text)
    index = 0
    while index < len(chars):
        if not opens(text, index):
            index += 1
            continue
        end = _closing(text, index)
        if end < 0 and text[index] in _SINGLE and index > 0:
            index += 1  # an apostrophe (see quote_spans)
            continue
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
        appositive = (found.group("appositive") or "").strip()
        who = appositive if _APPOSITIVE_NAME.fullmatch(appositive) else found.group("who")
        close = _CLOSE_TO.search(before[: found.start("who")])
        if close is not None:  # "a source close to Lineker said": not Lineker
            who = close.group(0) + who
        return Attribution(who, found.group(0).strip(" ,;:(—–"), before[found.end():])
    participle = _PARTICIPLE.search(before)
    subject = _SUBJECT.match(before)
    if participle is not None and subject is not None and _plausible(subject.group("who")):
        return Attribution(subject.group("who"), f"{subject.group('who')} … {participle.group(0).strip(' ,')}",
                           before[participle.end():])
    according = _ACCORDING.search(after) or _ACCORDING.search(before)
    if according is not None:
        return Attribution(according.group("who"), according.group(0), "")
    return _indirect_before(span)


def _indirect_before(span: QuoteSpan) -> Attribution:
    """'She said there was no secret reason. “I am human.”': a full quotation that opens its
    sentence without attribution is the subject's of the sentence before, when that sentence
    reports speech (its subject and a reporting verb)."""
    if not span.full or span.before.strip() or not span.previous_sentence:
        return Attribution()
    previous = blank_quotes(span.previous_sentence)
    found = _BEFORE.search(previous)
    if found is None or not _plausible(found.group("who")) or found.start("who") > 2:
        return Attribution()
    words = found.group(0).strip(" ,;:(—–")
    return Attribution(found.group("who"), f"{words} … (the sentence before)", "")


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


# Speakers the story does not name ("a source close to X", "One raged", "a palace insider"):
# their words are not drafted, nor what follows them in the paragraph.
INDEFINITE = re.compile(r"^(?:an?|one|some|several|many|two|three|another|other|sources|officials|insiders|"
                        r"someone|friends|aides|allies)\b", re.IGNORECASE)
_ANONYMOUS = re.compile(r"^(?:the|an?|one|some|several|two|three|another|other)?\b.*?"
                        r"\b(?:source|sources|insider|insiders|friend|friends|ally|allies|aide|aides|confidant)\b",
                        re.IGNORECASE)


_CLOSE_TO = re.compile(r"(?:\b(?:an?|the|one|some)\s+)?(?:\w+\s+)?\b(?:source|sources|insider|insiders|friend|friends|"
                       r"ally|allies|aide|aides|confidant)\s+(?:close\s+to|near|of|around|familiar\s+with)\s+"
                       r"(?:the\s+)?$", re.IGNORECASE)


def anonymous(who: str) -> bool:
    """"a source close to X", "the source", "a palace insider": someone the story keeps unnamed."""
    return bool(_ANONYMOUS.match(who))


_TITLE_BEFORE = re.compile(r"\b(?:told|on|to|with|in|for|from)\s*$")


def is_title(span: QuoteSpan) -> bool:
    """A programme's or paper's name, not a quotation: a few capitalised words right after
    "told", "on", "in"... ('told “Good Morning America.”', 'appeared on “Face the Nation”')."""
    words = span.text.rstrip(".,").split()
    capitalised = all(word[:1].isupper() or len(word) <= 3 for word in words)
    return 0 < len(words) <= 6 and capitalised and bool(_TITLE_BEFORE.search(blank_quotes(span.before)))


def is_pronoun(who: str) -> bool:
    return who.lower() in PRONOUNS
