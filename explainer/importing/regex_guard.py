"""Refuse editor-written patterns that can make Python's regex engine run for hours.

Python's ``re`` backtracks; a pattern such as ``^(a+)+$`` takes exponential time on a line of
``a``s that ends in another letter, and a running match cannot be interrupted (issue #25.5).
The classic cause is a repeat inside a repeat, where both can grow without bound, or a repeated
group whose alternatives overlap. We read the pattern's parse tree (the standard library's own
parser, so what we check is what ``re`` runs) and refuse both shapes with an explanation.
"""

from __future__ import annotations

import re

# The standard library's own regex parser, at its home since Python 3.11 (which Explainer requires).
from re import _constants as _sre_constants  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any

_REPEATS = {_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT,
            getattr(_sre_constants, "POSSESSIVE_REPEAT", None)} - {None}
_UNBOUNDED = _sre_constants.MAXREPEAT
_MAX_BOUND = 50  # {0,50} inside {0,50} is already 2,500 ways to split a line


class UnsafePattern(ValueError):
    """A pattern with catastrophic backtracking; the message says which part and why."""


def compile_safe(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """``re.compile`` after checking the pattern for nested unbounded repeats."""
    compiled = re.compile(pattern, flags)
    _check(_sre_parse.parse(pattern, flags), inside_repeat=False)
    return compiled


def _check(items: Any, inside_repeat: bool) -> None:
    for op, value in items:
        if op in _REPEATS:
            _low, high, sub = value
            big = high == _UNBOUNDED or high > _MAX_BOUND
            if big and inside_repeat:
                raise UnsafePattern("a repeat (+, * or {n,}) inside another repeat can take exponential time")
            _check(sub, inside_repeat or big)
            if big and _has_overlapping_branches(sub):
                raise UnsafePattern("a repeated group of alternatives that can match the same text "
                                    "can take exponential time")
        elif op == _sre_constants.SUBPATTERN:
            _check(value[-1], inside_repeat)
        elif op == _sre_constants.BRANCH:
            for branch in value[1]:
                _check(branch, inside_repeat)
        elif op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
            _check(value[1], inside_repeat)


def _has_overlapping_branches(items: Any) -> bool:
    """``(a|ab)*`` style: a repeated alternation whose branches start with the same literal."""
    for op, value in items:
        if op == _sre_constants.SUBPATTERN:
            return _has_overlapping_branches(value[-1])
        if op == _sre_constants.BRANCH:
            firsts = [branch[0] if len(branch) else None for branch in value[1]]
            literals = [item for item in firsts if item is not None and item[0] == _sre_constants.LITERAL]
            return len(literals) != len({item[1] for item in literals})
    return False
