"""Names the site does not know (#20.5): capitalised names and organisations in an article's
running text that match no actor or alias (Emmanuel Macron, NATO), for a warning and an actor stub.

Found while an article is rendered (markdown.py hands over each run of text outside links and
code, with the actors' names already taken out), counted per article, and reported by link.py
against the site's names. A name is a run of capitalised words ("Bank of England" keeps its
"of"); runs made only of titles, nationality adjectives, months, weekdays and common words
("Russian Foreign Minister", "On Tuesday") are not names, nor is a run in quotation marks of its own
(a term: the “Axis of Autocracies”). The first word of a sentence is
capitalised whatever it is, so it counts only when the article also writes it capitalised in the
middle of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import Diagnostic, Location, Report
from .importing.actor_names import is_title

# A capitalised word (letters and digits with inner apostrophes; a hyphen or any other mark ends
# it), and runs of them with lowercase connectors between: the first letter is any letter but the
# lowercase ones of Latin-1 (other scripts' are told apart by str.isupper in ``_add``).
_CAPITAL_WORD = r"[^\W\d_a-z\u00df-\u00f6\u00f8-\u00ff][\w’']*"
_RUN = re.compile(rf"(?<![\w’']){_CAPITAL_WORD}(?:[ \u00a0](?:(?:of|de|van|von|der|al|bin|da|di|del|du|la|le)"
                  rf"[ \u00a0])*{_CAPITAL_WORD})*")
_POSSESSIVE = re.compile(r"[’']s$")
_SENTENCE_END = re.compile(r"[.!?:;…][”’\"]?\s*[“‘\"(]?\s*$")
# Lowercase words that may sit inside a name ("Bank of England", "Charles de Gaulle").
_CONNECTORS = frozenset("of de van von der al bin da di del du la le".split())
_CALENDAR = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
# Capitalised words that are not names when they stand alone or at a name's edge.
_COMMON = frozenset(
    "The A An This That These Those It Its He His She Her They Their Them We Our You Your I My Me There Here "
    "But And Or Nor If When While As At In On Of For With By To From After Before Also So Yet Not No Yes All "
    "Some Any Many Most Much More One Two Three Four Five Six Seven Eight Nine Ten First Second Third Last Next "
    "New Old Who What Which Where Why How Each Every Both Such Than Then Now Today Yesterday Tomorrow Despite "
    "According Meanwhile However Earlier Later Since Until Unlike Like Even Still Only Just Over Under Between "
    "CEO GDP TV AI PM AM OK ID DNA "
    # Words of titles ("Press Secretary", "Foreign Minister"); importing/actor_names.py has the titles.
    "Press Foreign Prime Deputy Vice Defence Defense Interior Finance Trade Senior Acting Former".split())
_NATIONALITY = re.compile(r"(?:ian|ean|ese|ish|ic)$")
_NATIONALITIES = frozenset(
    "American German Mexican Moroccan Cuban Venezuelan Kenyan Afghan Arab Dutch French Greek Swiss Thai Czech "
    "Slovak Israeli Iraqi Pakistani Saudi Emirati Kuwaiti Qatari Yemeni Omani Bangladeshi Nepali Somali Filipino "
    "Welsh Scots Western Eastern Northern Southern Soviet Allied "
    # Regions: names, but not of anyone who acts (a run made only of these is dropped).
    "West East North South Middle Far Central".split())


@dataclass(frozen=True)
class Occurrence:
    """One run of capitalised words in the text, and whether it starts a sentence."""

    words: tuple[str, ...]
    initial: bool
    line: int
    column: int


@dataclass(frozen=True)
class NameCount:
    """A name an article uses, how often, and where first."""

    name: str
    count: int
    line: int
    column: int


def occurrences(text: str, starts_block: bool, line: int, at: int) -> list[Occurrence]:
    """The runs of capitalised words in one run of text (``starts_block``: it opens a paragraph),
    placed at ``line``; ``at``: the text's 0-based column in that line (-1: unknown, column 0)."""
    found: list[Occurrence] = []
    # One regex finds the candidate runs (most words of a text are in none): a loop over every
    # word in Python doubled the time of rendering an article.
    for match in _RUN.finditer(text):
        if match.group(0) in _COMMON:
            continue  # "The", "But": most runs, and never a name alone
        start, words = match.start(), []
        for word in match.group(0).replace("\u00a0", " ").split(" "):
            possessive = _POSSESSIVE.search(word)
            words.append(word[:possessive.start()] if possessive else word)
            if possessive:  # "Russia’s UN envoy": the name ends with its possessive
                _add(found, text, list(words), start, starts_block, line, at)
                start += len(" ".join(words)) + 3  # and the possessive's two characters and a space
                words = []
        _add(found, text, words, start, starts_block, line, at)
    return found


def _add(found: list[Occurrence], text: str, words: list[str], start: int, starts_block: bool, line: int,
         at: int) -> None:
    """A run of ``words`` at ``start`` of ``text``, unless there is none or it is a quoted term."""
    while words and (words[-1] in _CONNECTORS or not words[-1][:1].isupper()):
        words.pop()
    while words and (words[0] in _CONNECTORS or not words[0][:1].isupper()):
        start += len(words.pop(0)) + 1
    if not words:
        return
    end = start + len(" ".join(words))
    # A run in quotation marks of its own is a term ("the “Axis of Autocracies”"), not a name.
    if text[start - 1:start] in ("“", "‘", '"') and text[end:end + 1] in ("”", "’", '"'):
        return
    # A few characters before the run tell a sentence's start.
    initial = (starts_block and start <= 4 and not text[:start].strip(" \u00a0“‘\"(")) or bool(
        _SENTENCE_END.search(text[max(0, start - 8):start]))
    found.append(Occurrence(tuple(words), initial, line, at + start + 1 if at >= 0 else 0))


def count_names(found: Iterable[Occurrence]) -> tuple[NameCount, ...]:
    """The names of an article's runs, with their counts and first place, in order of first use."""
    runs = list(found)
    midsentence = {word for occurrence in runs if not occurrence.initial for word in occurrence.words[:1]}
    midsentence |= {word for occurrence in runs for word in occurrence.words[1:]}
    counts: dict[str, NameCount] = {}
    for occurrence in runs:
        words = list(occurrence.words)
        if occurrence.initial and len(words) == 1 and words[0] not in midsentence:
            continue  # any word starts a sentence capitalised; a run of several is a name
        name = _trimmed(words)
        if name is None:
            continue
        first = counts.get(name)
        column = occurrence.column + _offset(occurrence.words, name) if occurrence.column else 0
        counts[name] = NameCount(name, 1, occurrence.line, column) if first is None else \
            NameCount(name, first.count + 1, first.line, first.column)
    return tuple(counts.values())


def _trimmed(words: Sequence[str]) -> str | None:
    """The name in a run: without common words, titles and dates at its edges; None when the run
    is no name at all (only such words and nationality adjectives, or a single letter)."""
    # "French President Emmanuel Macron": a nationality before a title goes with the title.
    lead = 0
    for index, word in enumerate(words):
        if not (_edge_word(word) or is_nationality(word)):
            break
        if _edge_word(word):
            lead = index + 1
    edge = [index for index, word in enumerate(words) if index >= lead and not _edge_word(word)]
    if not edge:
        return None
    kept = list(words[edge[0]:edge[-1] + 1])
    if all(_edge_word(word) or is_nationality(word) or word in _CONNECTORS for word in kept):
        return None
    return " ".join(kept)


def _edge_word(word: str) -> bool:
    # "General" is a title ("General Milley") but more often starts a name ("General Assembly").
    return word in _COMMON or word in _CALENDAR or word in _CONNECTORS or len(word) < 2 or (
        is_title(word) and word != "General")


def is_nationality(word: str) -> bool:
    """'Russian', 'Chinese', 'British': an adjective, not a name, when it stands alone."""
    return word in _NATIONALITIES or (word[:1].isupper() and not word.isupper() and bool(_NATIONALITY.search(word)))


def _offset(words: Sequence[str], name: str) -> int:
    return max(" ".join(words).find(name), 0)


CODE = "unknown-name"


def report_unknown_names(path: str, names: Iterable[NameCount], known: Collection[str], actors: Mapping[str, str],
                         level: str, report: Report) -> None:
    """A diagnostic (``level``: error or warning) at the first use of each name of an article
    that is no actor's name or alias (``known``, with the article's own aliases and unlinked
    phrases); ``actors``: actor id -> name, for the hint when the name is part of one."""
    for found in names:
        if found.name in known:
            continue
        times = "once" if found.count == 1 else f"{found.count} times"
        part_of = sorted(actor for actor, name in actors.items() if f" {found.name} " in f" {name} ")
        hint = (f"add '{found.name}' to the aliases of {part_of[0]}" if part_of else
                "add an actor for it (python build.py check --suggest-actors prints one to edit), or list it "
                "under the article's unlinked:")
        message = f"'{found.name}' ({times}) is not the name or alias of any actor"
        where = Location(path, found.line, found.column)
        (report.error if level == "error" else report.warning)(CODE, message, where, hint)


_MESSAGE = re.compile(r"^'(?P<name>.+)' \((?:once|(?P<count>\d+) times)\) is not the name")


def reported_name(diagnostic: Diagnostic) -> tuple[str, int] | None:
    """The name and count of a diagnostic made by ``report_unknown_names``; None for others."""
    match = _MESSAGE.match(diagnostic.message) if diagnostic.code == CODE else None
    return None if match is None else (match.group("name"), int(match.group("count") or 1))
