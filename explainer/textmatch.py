"""Find quoted passages in article text the way a reader would, not byte for byte.

Quotes are compared after normalising whitespace, curly and straight quotes, dashes and
ellipses; a bracketed editorial insertion such as "What does [Trump] want" matches the same
words with or without the brackets, or a short other wording ("What does he want").
"""

from __future__ import annotations

import difflib
import functools
import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass

_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}


_QUOTE_MARKS = " \"'\u201c\u201d\u2018\u2019"


def normalize(text: str, drop: str = "") -> tuple[str, list[int]]:
    """Folded text plus, for each of its characters, the index it came from in ``text``.

    Characters in ``drop`` are left out (brackets, when matching quotes).
    """
    out: list[str] = []
    origin: list[int] = []
    previous_space = True
    for index, char in enumerate(text):
        if char in drop:
            continue
        if char == "\u2026":
            out.extend("...")
            origin.extend((index, index, index))
            previous_space = False
            continue
        char = _FOLD.get(char, char)
        if char.isspace():
            if previous_space:
                continue
            char = " "
            previous_space = True
        else:
            previous_space = False
        out.append(char)
        origin.append(index)
    while out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


def fold(text: str) -> str:
    return normalize(text)[0]


_BRACKETED = re.compile(r"\[([^\]]{1,60})\]")


@functools.lru_cache(maxsize=4096)
def quote_pattern(quote: str) -> re.Pattern[str]:
    """A regex over normalised text matching the quote, with bracketed insertions made flexible."""
    folded = fold(quote).strip(_QUOTE_MARKS)
    parts: list[str] = []
    last = 0
    for match in _BRACKETED.finditer(folded):
        parts.append(re.escape(folded[last:match.start()]))
        inserted = re.escape(match.group(1))
        parts.append(rf"(?:{inserted}|[^ ]+(?: [^ ]+){{0,2}})")
        last = match.end()
    parts.append(re.escape(folded[last:]))
    return re.compile("".join(parts).replace(r"\ ", " "))


@dataclass(frozen=True)
class Span:
    start: int
    end: int


_FOLDED_CHARS = re.compile("[" + re.escape("".join(_FOLD) + "'\"-.\u2026[]") + "]")


@functools.lru_cache(maxsize=4096)
def _anchor(quote: str) -> str:
    """The longest stretch of the quote that normalising cannot change, whitespace collapsed.

    Any text that holds the quote holds this stretch too (once its whitespace is collapsed),
    so a cheap substring test rules out most texts before the slow normalisation.
    """
    pieces = _FOLDED_CHARS.split(_BRACKETED.sub("[", quote))
    collapsed = (" ".join(piece.split()) for piece in pieces)
    return max(collapsed, key=len, default="")


def find_quote(text: str, quote: str) -> Span | None:
    """Where ``quote`` stands in ``text`` (indices into the original text), or None."""
    # Fast paths: most quotes are copied verbatim, and most texts do not hold a given quote;
    # the character-by-character normalisation below is only for the remaining cases.
    exact = quote.strip(_QUOTE_MARKS)
    at = text.find(exact) if exact and "[" not in exact else -1
    if at >= 0:
        return Span(at, at + len(exact))
    anchor = _anchor(quote)
    if anchor and anchor not in " ".join(text.split()):
        return None
    folded, origin = normalize(text, drop="[]")
    match = quote_pattern(quote).search(folded)
    if match is None or match.end() == match.start():
        return None
    return Span(origin[match.start()], origin[match.end() - 1] + 1)


_COMPARED_AT_MOST = 200  # windows compared with difflib; short articles compare them all


def closest_passage(text: str, quote: str) -> str:
    """The sentence-sized passage of ``text`` most like ``quote``, for "did you mean" messages."""
    folded = fold(text)
    target = fold(quote)
    words = folded.split(" ")
    size = max(1, len(target.split(" ")))
    best, best_ratio = "", 0.0
    step = max(1, size // 4)
    starts: Sequence[int] = range(0, max(1, len(words) - size + 1), step)
    if len(starts) > _COMPARED_AT_MOST:
        # difflib on every window is quadratic in practice (a 40,000-word article took minutes):
        # compare only the windows sharing the most words with the quote.
        wanted = set(target.split(" "))
        shared = [(sum(word in wanted for word in words[start:start + size]), -start) for start in starts]
        starts = sorted(-start for _, start in heapq.nlargest(_COMPARED_AT_MOST, shared))
    for start in starts:
        candidate = " ".join(words[start:start + size])
        ratio = difflib.SequenceMatcher(None, target, candidate, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best


# Opening and closing marks of a direct quotation; straight double quotes pair with each other.
_DIRECT_QUOTE = re.compile(r"\u201c([^\u201c\u201d]{12,}?)\u201d|\"([^\"\n]{12,}?)\"")


def direct_quotes(text: str) -> list[str]:
    """Quoted passages of at least a few words: the candidates an annotation should attribute."""
    found = []
    for match in _DIRECT_QUOTE.finditer(text):
        passage = (match.group(1) or match.group(2)).strip()
        if len(passage.split()) >= 3:
            found.append(passage)
    return found
