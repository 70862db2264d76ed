"""Colour arithmetic for the theme's accent: WCAG contrast, and a dark-mode accent made from it.

Pure functions of '#rrggbb' strings. The page colours are those of templates/static/site.css
(light and dark ``--bg``); links and buttons use the accent, so it needs WCAG AA contrast (4.5:1)
against them.
"""

from __future__ import annotations

LIGHT_PAGE = "#fdfdfb"  # site.css --bg
DARK_PAGE = "#141518"  # site.css --bg in dark mode
MINIMUM = 4.5  # WCAG 2 AA for body text: links are text


def _channels(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    red, green, blue = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(c) for c in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, two: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(colour: str, other: str, share: float) -> str:
    mixed = (round((a * (1 - share) + b * share) * 255) for a, b in zip(_channels(colour), _channels(other)))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def dark_accent(accent: str) -> str:
    """The accent for dark mode: mixed with white, in steps of 5 %, until it reads on the dark page."""
    for step in range(21):
        candidate = _mix(accent, "#ffffff", step / 20)
        if contrast(candidate, DARK_PAGE) >= MINIMUM:
            return candidate
    return "#ffffff"
