"""Escape scraped text so that Markdown shows it as it was written (issue #25.5).

A scraped paragraph "# Not a heading" must not become an ``<h1>``, "1. In 2019" a list, "> x" a
quote, "---" a rule, ``*stars*`` emphasis, ``[1](x)`` a link or ``<b>`` raw HTML. Only the
characters that could change meaning where they stand get a backslash (CommonMark renders ``\\#``
as ``#``), so ordinary text stays readable in the Markdown file: a hyphen inside a word, an
underscore in ``snake_case`` or a ``<`` before a digit are left alone.
"""

from __future__ import annotations

import re

# Block starts: ATX headings, quotes, list bullets, ordered list numbers, fences, tables, rules.
_BLOCK_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|`{3,}|~{3,}|\||=+\s*$)")
_RULE_LINE = re.compile(r"^(?:(?:-\s*){3,}|(?:_\s*){3,}|(?:\*\s*){3,})$")
# Inline: emphasis markers and code, link brackets, an autolink or HTML tag start, entities, escapes.
# A "[" only where a link could start: "[x](", "[x][" or a "[x]:" definition at the line's start;
# "What does [Trump] want" stays as written (a bracket with no definition is literal).
_INLINE = re.compile(r"[*`]|\\(?=[!-/:-@\[-`{-~])|<(?=[A-Za-z/!?])|&(?=#?\w+;)|(?<!\w)_|_(?!\w)|"
                     r"\[(?=[^\]]*\][(\[])|^\[(?=[^\]]*\]:)")


def escape_line(text: str) -> str:
    """One paragraph or heading text (a single line) made literal in Markdown."""
    text = _INLINE.sub(lambda found: "\\" + found.group(0), text)
    if _RULE_LINE.match(text):
        return "\\" + text
    found = _BLOCK_START.match(text)
    if found is None:
        return text
    if found.group(0)[:1].isdigit():
        end = found.end()
        return text[:end] + "\\" + text[end:]
    return "\\" + text
