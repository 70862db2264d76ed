"""Resolve the names written in an article to actor ids, or describe a new actor (issue #25.4).

Known actors are matched by their name and aliases (the longest phrase first, whole words);
inside an attribution phrase ("state-run Tass news agency") case is ignored, in running text it
is not (the alias "US" must not match "us"). A name that matches no actor becomes a stub whose
kind is guessed from its words: an outlet when someone "told" it and it looks like a newsroom, an
organisation when it holds words such as Ministry or Council, a state when it is a country we
know, else a person. Every guess says which words it rests on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Actor
from .slugs import slugify

_ORGANISATION_WORDS = re.compile(
    r"\b(?:ministry|council|bank|agency|committee|party|company|group|inc|corp|corporation|university|institute|"
    r"commission|office|department|union|association|federation|authority|court|parliament|government|army|"
    r"police|board|fund|foundation|organisation|organization|capital|economics|strategy|partners|securities|"
    r"kremlin|pentagon|nato)\b", re.IGNORECASE)
_OUTLET_WORDS = re.compile(r"\b(?:news|times|post|journal|tv|television|radio|agency|daily|gazette|herald|press|"
                           r"channel|magazine|network|tribune|telegraph|guardian)\b", re.IGNORECASE)
_STATES = frozenset(
    ["afghanistan", "albania", "algeria", "argentina", "armenia", "australia", "austria", "azerbaijan", "belarus",
     "belgium", "brazil", "bulgaria", "canada", "chile", "china", "colombia", "croatia", "cuba", "cyprus", "czechia",
     "denmark", "egypt", "estonia", "finland", "france", "georgia", "germany", "greece", "hungary", "india",
     "indonesia", "iran", "iraq", "ireland", "israel", "italy", "japan", "jordan", "kazakhstan", "kenya", "latvia",
     "lebanon", "libya", "lithuania", "mexico", "moldova", "morocco", "netherlands", "nigeria", "norway", "pakistan",
     "poland", "portugal", "qatar", "romania", "russia", "serbia", "slovakia", "slovenia", "spain", "sweden",
     "switzerland", "syria", "taiwan", "turkey", "ukraine", "venezuela", "vietnam", "yemen"])
_TITLES = re.compile(r"^(?:mr|mrs|ms|dr|prof|president|minister|senator|sen|rep|gov|governor|judge|general|gen|"
                     r"ambassador|chancellor|mayor|spokesman|spokeswoman|secretary)\.?\s+", re.IGNORECASE)
_WORD_CHARS = r"[\w’'-]"
_TITLE_WORDS = re.compile(r"(?:Mr|Mrs|Ms|Dr|Prof|President|Minister|Secretary|Senator|Sen|Rep|Governor|Gov|Judge|"
                          r"General|Gen|Ambassador|Chancellor|Mayor|Spokesman|Spokeswoman|Spokesperson|Chairman|"
                          r"Chair|Director|Chief|Officer|Adviser|Advisor|Envoy|Commander|Col|Lt|Sgt|Captain|Capt)",
                          re.IGNORECASE)


def is_title(word: str) -> bool:
    """'President', 'Minister', 'Dr.': a title written before a name, not a name."""
    return _TITLE_WORDS.fullmatch(word.rstrip(".")) is not None


@dataclass(frozen=True)
class Resolved:
    """An actor id for some words, whether it is new (a stub), its kind, and why."""

    id: str
    kind: str
    name: str
    new: bool
    why: str


class ActorNames:
    """Name and alias phrases of the site's actors, longest first."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.kinds: dict[str, str] = {}
        phrases: list[tuple[str, str]] = []
        for actor in actors:
            self.kinds[actor.id] = actor.kind
            phrases += [(phrase, actor.id) for phrase in (actor.name, *actor.aliases) if phrase.strip()]
        self.phrases = sorted(phrases, key=lambda item: (-len(item[0]), item[0]))
        self._exact = [(re.compile(rf"(?<!{_WORD_CHARS}){re.escape(p)}(?!{_WORD_CHARS})"), i) for p, i in self.phrases]
        self._folded = [(re.compile(rf"(?<!{_WORD_CHARS}){re.escape(p)}(?!{_WORD_CHARS})", re.IGNORECASE), i)
                        for p, i in self.phrases]

    def mentions(self, text: str, kind: str | None = None) -> list[tuple[int, str]]:
        """(offset, actor id) of every known name in running text, case-sensitive, in order."""
        found: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for pattern, actor_id in self._exact:
            if kind is not None and self.kinds[actor_id] != kind:
                continue
            for match in pattern.finditer(text):
                if not any(start < match.end() and match.start() < end for start, end in taken):
                    taken.append((match.start(), match.end()))
                    found.append((match.start(), match.end(), actor_id))
        return [(start, actor_id) for start, _, actor_id in sorted(found)]

    def within(self, phrase: str) -> tuple[str, str] | None:
        """(actor id, matched words) of the known name an attribution phrase is about: a person
        before anything else ("Taliban spokesman Zabihullah Mujahid"), then the rightmost, longest
        name (descriptors come first in English: "Russia's UN ambassador Vasily Nebenzya")."""
        found = [(self.kinds[actor_id] == "person", match.end(), len(match.group(0)), actor_id, match.group(0))
                 for pattern, actor_id in self._folded if (match := pattern.search(phrase)) is not None]
        if not found:
            return None
        best = max(found)
        return best[3], best[4]

    def resolve(self, phrase: str, role: str) -> Resolved | None:
        """A known actor named in ``phrase``, else a stub for a plausible new name, else None.

        ``role`` is "speaker" or "said_to": it steers the guessed kind of a new actor."""
        known = self.within(phrase)
        if known is not None:
            actor_id, words = known
            return Resolved(actor_id, self.kinds[actor_id], words, False, f"'{words}' names {actor_id}")
        name = _TITLES.sub("", _proper_name(phrase))
        if not name:
            return None
        kind, reason = guess_kind(name, role)
        return Resolved(slug_of(name), kind, name, True, f"'{name}' is no actor yet; {reason}")


def _proper_name(phrase: str) -> str:
    """The name in a phrase: the longest run of capitalised words ("state media correspondent
    Pavel Zarubin"), after the last title word in it ("White House Press Secretary Stephanie
    Grisham" -> "Stephanie Grisham")."""
    found: list[str] = re.findall(r"(?:[A-Z][\w’'.-]*)(?:\s+(?:[A-Z][\w’'.-]*|de|van|von|al|bin|da|di|del))*", phrase)
    runs = [run for run in found if run.lower() not in {"the", "a", "an"}]
    if not runs:
        return ""
    name = max(runs, key=len).strip(" .")
    words = name.split()
    titled = [index for index, word in enumerate(words) if is_title(word)]
    if titled and titled[-1] + 1 < len(words):
        name = " ".join(words[titled[-1] + 1:])
    return name


def guess_kind(name: str, role: str) -> tuple[str, str]:
    """An actor kind for a new name, and the words the guess rests on."""
    if name.lower() in _STATES:
        return "state", f"'{name}' is a country"
    if role == "said_to" and (_OUTLET_WORDS.search(name) or (name.isupper() and len(name) <= 6)):
        return "outlet", f"something was told to '{name}', which reads like a newsroom"
    if (found := _ORGANISATION_WORDS.search(name)) is not None:
        return "organisation", f"'{found.group(0)}' names an organisation"
    if name.isupper() and len(name) <= 6:
        return "organisation", f"'{name}' is an acronym"
    return "person", "a capitalised name in a reporting clause"


def slug_of(name: str) -> str:
    return slugify(name)
