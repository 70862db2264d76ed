"""UN document symbols (S/RES/2774 (2025), A/RES/ES-11/7, S/PV.9866, A/ES-11/L.10 ...) and the
UN Digital Library search link for each.

The grammar follows the UN's own "United Nations Document Series Symbols" conventions
(Dag Hammarskjöld Library, research guide "UN Documentation: Document symbols"): a body
prefix, then series components separated by slashes, then optional revision suffixes. Only the
General Assembly (A/) and Security Council (S/) series are recognised, the two bodies whose votes
the site shows; anything else is left as text rather than linked to a wrong record.

| form | examples |
|---|---|
| Security Council resolution, year in parentheses | S/RES/2774 (2025), S/RES/242(1967) |
| Security Council document (drafts, letters, reports) | S/2025/112, S/1994/674 (pre-1994: S/23500) |
| presidential statement | S/PRST/2025/1 |
| meeting record, optionally a resumption | S/PV.9866, S/PV.7138 (Resumption 1) |
| General Assembly resolution: session, emergency special or special session | A/RES/77/1, A/RES/ES-11/7, A/RES/S-27/2 |
| older General Assembly resolution, session in Roman numerals | A/RES/3379 (XXX), A/RES/181(II) |
| General Assembly decision | A/DEC/77/551 |
| draft (plenary or Main Committee) | A/ES-11/L.10, A/77/L.1, A/C.3/78/L.41 |
| meeting record | A/ES-11/PV.15, A/78/PV.50 |
| General Assembly document | A/78/481, A/78/481/Add.3 |

Any form may end in revision, addendum, corrigendum or amendment suffixes: /Rev.1, /Add.3,
/Corr.1, /Amend.1, also combined (A/78/L.41/Rev.1/Corr.1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

_SUFFIXES = r"(?:/(?:Rev|Add|Corr|Amend)\.\d{1,3})*"
_SESSION = r"(?:ES-\d{1,2}|S-\d{1,2}|\d{1,3})"
_FORMS = (
    r"S/RES/\d{1,4} ?\(\d{4}\)",
    r"S/PRST/\d{4}/\d{1,3}",
    r"S/PV\.\d{1,5}(?: ?\((?:Resumption|Part) ?\d{1,2}\))?",
    r"S/\d{4}/\d{1,4}",
    r"S/\d{4,5}",
    rf"A/RES/{_SESSION}/\d{{1,4}}(?: ?[A-Z](?![\w/]))?",
    r"A/RES/\d{1,4} ?\([IVXL]{1,7}\)",
    r"A/DEC/\d{1,3}/\d{1,4}",
    r"A/C\.\d/\d{1,3}/L\.\d{1,4}",
    rf"A/{_SESSION}/L\.\d{{1,4}}",
    rf"A/{_SESSION}/PV\.\d{{1,4}}",
    r"A/\d{1,3}/\d{1,4}",
)
# Not glued to a word, a slash or a dot on either side, so "XS/2025/1" or "S/2025/1.5" is no symbol.
SYMBOL = re.compile(rf"(?<![\w/.])(?:{'|'.join(_FORMS)}){_SUFFIXES}(?![\w/]|\.\d)")

LIBRARY_SEARCH = "https://digitallibrary.un.org/search?ln=en&p="


def find_symbols(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, symbol) of every UN document symbol in ``text``, left to right."""
    for match in SYMBOL.finditer(text):
        yield match.start(), match.end(), match.group(0)


def is_symbol(text: str) -> bool:
    return SYMBOL.fullmatch(text.strip()) is not None


def library_url(symbol: str) -> str:
    """The UN Digital Library's search for this symbol, as a phrase (quoted, so that the year in
    'S/RES/2774 (2025)' is part of the query); the record is the first hit."""
    normal = re.sub(r"\s*\(", " (", " ".join(symbol.split()))
    return LIBRARY_SEARCH + quote(f'"{normal}"', safe="")


def un_document_url(text: str | None) -> str:
    """For templates: the library link of a field holding a symbol, "" for any other text."""
    return library_url(text) if text and is_symbol(text) else ""


_TITLE_WORDS = re.compile(r"\b(?:draft\s+)?resolution\b", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[\W_]+")


def title_repeats_symbol(symbol: str, title: str) -> bool:
    """Whether a vote's title only restates its symbol: 'Resolution 2774 (2025)' for
    S/RES/2774 (2025), as the UN catalogue titles many Security Council resolutions."""
    rest = _NOT_ALNUM.sub("", _TITLE_WORDS.sub("", title)).casefold()
    return not rest or _NOT_ALNUM.sub("", symbol).casefold().endswith(rest)


def vote_heading(symbol: str, title: str) -> str:
    """'S/RES/2774 (2025)' when the title adds nothing to the symbol, else 'symbol: title'."""
    return symbol if title_repeats_symbol(symbol, title) else f"{symbol}: {title}"
