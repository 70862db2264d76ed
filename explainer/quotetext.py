"""How a stored quote is shown on its own (quote cards, the speaker's page, the quotes page).

Quotes are stored verbatim, as the article prints them, and articles usually break a sentence
off with a comma before the attribution ("… to be done,” Peskov told CNBC). Shown on its own,
such a quote ends with a full stop instead: only the display changes, never the stored text,
the article or the open data.

A quote of at most SHORT_QUOTE_WORDS words ("Axis of Autocracies") is a phrase, not a
statement: it is shown inline in a line of text, not as a card of its own.
"""

from __future__ import annotations

import re

SHORT_QUOTE_WORDS = 3

_BROKEN_OFF = re.compile(r"[\s,;:]+$")
_ENDS_IN_WORD = re.compile(r"\w$")


def display_text(text: str) -> str:
    """The quote as shown alone: a trailing comma, semicolon or colon becomes a full stop, and a
    quote ending in a word gets one; '?', '!', '…' and closing quotation marks are kept."""
    text = text.strip()
    if _BROKEN_OFF.search(text):
        return _BROKEN_OFF.sub("", text) + "."
    return text + "." if _ENDS_IN_WORD.search(text) else text


def is_short(text: str) -> bool:
    """A phrase of at most SHORT_QUOTE_WORDS words, shown inline rather than as a card."""
    return len(text.split()) <= SHORT_QUOTE_WORDS
