"""Vote charts as inline SVG strings: Security Council seats and a General Assembly world map.

Pure functions of their arguments (plus the committed map data), so the same vote always gives
the same bytes, and the output can be inlined straight into an HTML5 page:

- no namespaced attributes (``href``, never ``xlink:href``), so the W3C Nu checker accepts it;
- every id starts with the caller's ``chart_id``, so two charts on a page never clash;
- the ``<svg>`` is labelled by its ``<title>`` and ``<desc>`` through ``aria-labelledby``;
  ``role="img"`` would hide the per-country links from assistive technology;
- each vote has a CSS class (``vote-yes`` …) *and* a ``fill`` attribute: the page's CSS can
  restyle it (dark theme), and it still reads without any CSS (feeds, saved files);
- a vote is never told by colour alone: seats carry a letter, countries a ``<title>``, and
  the map's ``off_map`` list feeds a text tally for the places too small to click.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources

from .i18n import ENGLISH, N_, Language

VOTES: tuple[str, ...] = ("yes", "no", "abstain", "absent", "unknown")

# Okabe-Ito-derived: blue and vermillion stay apart for every common colour-vision deficiency,
# and the abstain/absent greys differ in lightness from both. Mid tones read on light and dark
# pages alike; the site's CSS may still override them through the classes.
FILL: Mapping[str, str] = {
    "yes": "#2166ac",
    "no": "#d55e00",
    "abstain": "#cdbf7c",
    "absent": "#b4b4b4",
}
NONMEMBER_FILL = "#e4e4e4"
HATCH_BACKGROUND, HATCH_LINE = "#f2f2f2", "#7a7a7a"
# Text on a seat: white only where the contrast holds (WCAG 4.5:1), dark elsewhere.
INK: Mapping[str, str] = {"yes": "#ffffff", "no": "#111111", "abstain": "#111111",
                          "absent": "#111111", "unknown": "#111111"}
LETTER: Mapping[str, str] = {"yes": "Y", "no": "N", "abstain": "A", "absent": "–", "unknown": "?"}
# Marked for the catalog here, translated where they are drawn (``lang``, the site's language).
PHRASE: Mapping[str, str] = {"yes": N_("in favour"), "no": N_("against"), "abstain": N_("abstained"),
                             "absent": N_("did not vote"), "unknown": N_("vote not recorded")}
LEGEND_LABEL: Mapping[str, str] = {"yes": N_("Yes"), "no": N_("No"), "abstain": N_("Abstain"),
                                   "absent": N_("Not voting"), "unknown": N_("Not recorded")}

# A country drawn smaller than this (in px² on the 1000 px wide map) cannot be seen or clicked,
# so it is also listed in MapFigure.off_map. 8 px² is about a 3×3 px blot: Luxembourg, Qatar,
# Lebanon, Brunei, Trinidad and Tobago and Vanuatu at 1:110m.
MIN_VISIBLE_AREA = 8.0

# Mirrored charts' text: right-to-left runs that end (start, in RTL) at their x, whatever the
# direction of the page around the chart.
RTL_TEXT = 'direction="rtl" text-anchor="start"'

_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Ballot:
    """One member's vote as a chart shows it."""

    code: str  # ISO 3166-1 alpha-3
    name: str  # display name
    vote: str  # "yes" | "no" | "abstain" | "absent" | "unknown"
    href: str | None  # link to the member's actor page (already a full URL path), or None
    permanent: bool = False
    veto: bool = False  # a permanent member's "no" that blocked adoption
    was: str | None = None  # its vote on the vote this one follows, when that differs


@dataclass(frozen=True)
class MapFigure:
    """The world map and the members it cannot show (no shape, or too small to see)."""

    svg: str
    off_map: list[Ballot]


@dataclass(frozen=True)
class WorldMap:
    """The pre-projected map data from ``explainer/data/world-110m.json``."""

    width: int
    height: int
    source: str
    countries: Mapping[str, str]  # M49 code (or "x-name" for non-members) -> SVG path d


# ---------------------------------------------------------------------------------------------
# shared pieces


def _check(ballots: Sequence[Ballot], chart_id: str) -> None:
    # The id is used inside aria-labelledby (space-separated) and url(#…): keep it a plain token.
    if not _ID_RE.match(chart_id):
        raise ValueError(f"chart_id {chart_id!r} must be a letter followed by letters, digits, - or _")
    for ballot in ballots:
        if ballot.vote not in VOTES or ballot.was not in (None, *VOTES):
            raise ValueError(f"{ballot.code}: vote {ballot.vote!r} is not one of {', '.join(VOTES)}")


def tally(ballots: Iterable[Ballot]) -> dict[str, int]:
    """Count ballots per vote, every vote present (zero when unused), in VOTES order."""
    counts = Counter(ballot.vote for ballot in ballots)
    return {vote: counts[vote] for vote in VOTES}


def describe(counts: Mapping[str, int], lang: Language = ENGLISH) -> str:
    """'93 in favour, 18 against, 65 abstentions, 17 not voting' (+ not recorded, if any)."""
    numbers = {vote: lang.number(counts.get(vote, 0)) for vote in VOTES}
    text = lang.ngettext("%(yes)s in favour, %(no)s against, %(abstain)s abstention, %(absent)s not voting",
                         "%(yes)s in favour, %(no)s against, %(abstain)s abstentions, %(absent)s not voting",
                         counts["abstain"]) % numbers
    return text + (lang.gettext(", %(unknown)s not recorded") % numbers if counts.get("unknown") else "")


def _fill(vote: str, chart_id: str) -> str:
    return FILL.get(vote, f"url(#{chart_id}-hatch)")


def _hatch_pattern(chart_id: str) -> str:
    """Diagonal hatching for 'not recorded': tells it apart from every flat colour."""
    return (f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{HATCH_BACKGROUND}"/>'
            f'<path d="M0 0v6" stroke="{HATCH_LINE}" stroke-width="2"/></pattern>')


def _svg_open(chart_id: str, css_class: str, width: int, height: int, title: str, desc: str) -> str:
    ident = escape(chart_id)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" id="{ident}" class="vote-chart {css_class}" '
            f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-title {ident}-desc">'
            f'<title id="{ident}-title">{escape(title)}</title>'
            f'<desc id="{ident}-desc">{escape(desc)}</desc>'
            f"<defs>{_hatch_pattern(ident)}</defs>")


def _linked(href: str | None, label: str, inner: str, css_class: str) -> str:
    """Wrap a shape in a link (or a group) whose accessible name is its <title>."""
    title = f"<title>{escape(label)}</title>"
    if href:
        return f'<a href="{escape(href)}" class="{css_class}">{title}{inner}</a>'
    return f'<g class="{css_class}">{title}{inner}</g>'


def _legend(entries: Sequence[tuple[str, str, str]], y: int, width: int = 0) -> str:
    """A row of swatches: (css class, fill, label). Text uses currentColor to follow the page.
    With ``width`` (right-to-left pages) the row starts at the right edge and runs leftwards."""
    parts = ['<g class="chart-legend" font-size="13" fill="currentColor" aria-hidden="true">']
    x = 8
    for css_class, fill, label in entries:
        if width:  # mirrored: swatch at the right, its label ending just left of it
            parts.append(f'<rect class="{css_class}" x="{width - x - 14}" y="{y}" width="14" height="14" '
                         f'fill="{fill}" stroke="#777" stroke-width="0.5"/>'
                         f'<text x="{width - x - 19}" y="{y + 12}" {RTL_TEXT}>{escape(label)}</text>')
        else:
            parts.append(f'<rect class="{css_class}" x="{x}" y="{y}" width="14" height="14" '
                         f'fill="{fill}" stroke="#777" stroke-width="0.5"/>'
                         f'<text x="{x + 19}" y="{y + 12}">{escape(label)}</text>')
        x += 19 + 8 * len(label) + 18  # about 8 px per character at 13 px; generous on purpose
    parts.append("</g>")
    return "".join(parts)


def _vote_legend(counts: Mapping[str, int], chart_id: str, lang: Language = ENGLISH) -> list[tuple[str, str, str]]:
    return [(f"vote-{vote}", _fill(vote, chart_id), f"{lang.gettext(LEGEND_LABEL[vote])} ({lang.number(counts[vote])})")
            for vote in VOTES if vote != "unknown" or counts[vote]]


# ---------------------------------------------------------------------------------------------
# Security Council: a row of seats, permanent members first

SEAT_R = 22
SEAT_GAP = 62  # centre to centre
SEAT_LEFT = 40
SEAT_Y = 58


def _seat_order(ballots: Sequence[Ballot]) -> list[Ballot]:
    return sorted(ballots, key=lambda b: (not b.permanent, b.name.casefold(), b.code))


def _seat_label(ballot: Ballot, lang: Language = ENGLISH) -> str:
    """'France (permanent member): abstained', '… : against (veto)'."""
    phrase = lang.gettext("against, a veto") if ballot.veto else lang.gettext(PHRASE[ballot.vote])
    if ballot.permanent:
        label = lang.gettext("%(name)s (permanent member): %(vote)s") % {"name": ballot.name, "vote": phrase}
    else:
        label = lang.gettext("%(name)s: %(vote)s") % {"name": ballot.name, "vote": phrase}
    return label + _was(ballot, lang)


def _was(ballot: Ballot, lang: Language = ENGLISH) -> str:
    """' (before: against)' for a member whose vote changed since the vote this one follows."""
    return lang.gettext(" (before: %(vote)s)") % {"vote": lang.gettext(PHRASE[ballot.was])} if ballot.was else ""


def _seat(ballot: Ballot, cx: int, chart_id: str, lang: Language = ENGLISH) -> str:
    vote = ballot.vote
    classes = f"seat vote-{vote}" + (" seat-permanent" if ballot.permanent else "") + (
        " seat-veto" if ballot.veto else "") + (" changed" if ballot.was else "")
    # Permanent members get a thick dark outline; a veto gets a second, dashed ring.
    stroke = 'stroke="#222" stroke-width="4"' if ballot.permanent else 'stroke="#666" stroke-width="1"'
    ring = (f'<circle class="veto-marker" cx="{cx}" cy="{SEAT_Y}" r="{SEAT_R + 6}" fill="none" '
            f'stroke="{FILL["no"]}" stroke-width="3" stroke-dasharray="5 3"/>') if ballot.veto else ""
    letter = "V" if ballot.veto else LETTER[vote]
    inner = (f'{ring}<circle cx="{cx}" cy="{SEAT_Y}" r="{SEAT_R}" fill="{_fill(vote, chart_id)}" {stroke}/>'
             f'<text x="{cx}" y="{SEAT_Y + 7}" text-anchor="middle" font-size="20" font-weight="bold" '
             f'fill="{INK[vote]}" aria-hidden="true">{letter}</text>'
             f'<text x="{cx}" y="{SEAT_Y + SEAT_R + 24}" text-anchor="middle" font-size="13" '
             f'fill="currentColor" aria-hidden="true">{escape(ballot.code)}</text>')
    if ballot.veto:
        inner += (f'<text x="{cx}" y="{SEAT_Y + SEAT_R + 40}" text-anchor="middle" font-size="12" '
                  f'font-weight="bold" fill="currentColor" aria-hidden="true">{escape(lang.gettext("veto"))}</text>')
    if ballot.was:
        # The letter it had on the vote this one follows, under the code (and the veto mark).
        y = SEAT_Y + SEAT_R + (54 if ballot.veto else 40)
        was = escape(lang.gettext("was %(letter)s") % {"letter": LETTER[ballot.was]})
        inner += (f'<text class="was" x="{cx}" y="{y}" text-anchor="middle" font-size="12" '
                  f'fill="currentColor" aria-hidden="true">{was}</text>')
    return _linked(ballot.href, _seat_label(ballot, lang), inner, classes)


def _group_labels(seats: Sequence[Ballot], lang: Language = ENGLISH, width: int = 0) -> str:
    """'Permanent members' over the first seats, 'Elected members' over the rest; with
    ``width`` (right-to-left pages) the seats run from the right, so the labels do too."""
    permanent = sum(1 for b in seats if b.permanent)
    parts = ['<g font-size="13" fill="currentColor" aria-hidden="true">']
    for label, first, count in ((lang.gettext("Permanent members"), 0, permanent),
                                (lang.gettext("Elected members"), permanent, len(seats) - permanent)):
        if count:
            x = SEAT_LEFT + first * SEAT_GAP - SEAT_R
            length = (count - 1) * SEAT_GAP + 2 * SEAT_R
            if width:
                parts.append(f'<text x="{width - x}" y="16" {RTL_TEXT}>{escape(label)}</text>'
                             f'<path d="M{width - x - length} 24h{length}" stroke="currentColor"/>')
            else:
                parts.append(f'<text x="{x}" y="16">{escape(label)}</text>'
                             f'<path d="M{x} 24h{length}" stroke="currentColor"/>')
    parts.append("</g>")
    return "".join(parts)


def council_chart(ballots: Sequence[Ballot], *, title: str, chart_id: str, lang: Language = ENGLISH) -> str:
    """The Security Council's seats (normally 15) as an inline SVG string.

    Each seat shows its vote by colour and letter (Y, N, A, – not voting, ? not recorded,
    V veto), permanent members have a thick outline and sit first under their own label, and a
    seat links to ``href`` when given. The description states the tally and any veto. In a
    right-to-left language the seats, labels and legend run from the right ("first" is there).
    """
    _check(ballots, chart_id)
    seats = _seat_order(ballots)
    counts = tally(seats)
    vetoes = [b.name for b in seats if b.veto]
    desc = (describe(counts, lang) + (lang.gettext(". Vetoed by %(members)s.") % {"members": lang.list(vetoes)}
                                      if vetoes else ".") + _changed(seats, lang))
    width = SEAT_LEFT * 2 + max(len(seats) - 1, 0) * SEAT_GAP
    mirror = width if lang.direction == "rtl" else 0
    legend_y = SEAT_Y + SEAT_R + 56 + (14 if any(b.was for b in seats) else 0)
    legend = _vote_legend(counts, chart_id, lang)
    if vetoes:
        legend.append(("vote-no legend-veto", FILL["no"], lang.gettext("V = veto")))
    if any(b.was for b in seats):
        legend.append(("legend-was", "none", lang.gettext("was = vote before")))
    body = "".join(_seat(b, abs(mirror - (SEAT_LEFT + i * SEAT_GAP)), chart_id, lang) for i, b in enumerate(seats))
    return (_svg_open(chart_id, "council-chart", width, legend_y + 22, title, desc)
            + _group_labels(seats, lang, mirror) + body + _legend(legend, legend_y, mirror) + "</svg>")


# ---------------------------------------------------------------------------------------------
# General Assembly: the world map


@functools.cache
def load_world_map() -> WorldMap:
    """The committed, pre-projected map (see scripts/make_worldmap.py); read once per process."""
    text = resources.files("explainer").joinpath("data", "world-110m.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return WorldMap(int(data["width"]), int(data["height"]), str(data["source"]),
                    dict(sorted(data["countries"].items())))


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@functools.lru_cache(maxsize=1024)  # the same 177 shapes on every map of a build
def path_area(d: str) -> float:
    """Area in px² of a path of ``M x y l dx dy … z`` subpaths, the only shape the map data uses."""
    return sum(_shoelace(_subpath_points(sub)) for sub in d.split("M") if sub)


def _subpath_points(subpath: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in _NUMBER.findall(subpath)]
    x, y = numbers[0], numbers[1]
    points = [(x, y)]
    for i in range(2, len(numbers) - 1, 2):
        x, y = x + numbers[i], y + numbers[i + 1]
        points.append((x, y))
    return points


def _shoelace(ring: Sequence[tuple[float, float]]) -> float:
    if len(ring) < 3:
        return 0.0
    pairs = zip(ring, [*ring[1:], ring[0]])
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs)) / 2


def _country(ballot: Ballot, d: str, lang: Language) -> str:
    label = (lang.gettext("%(name)s: %(vote)s") % {"name": ballot.name, "vote": lang.gettext(PHRASE[ballot.vote])}
             + _was(ballot, lang))
    # A changed vote is outlined in the page's ink: seen against any fill, and in the legend.
    shape = (f'<path d="{d}" stroke="currentColor" stroke-width="1.5"/>' if ballot.was else f'<path d="{d}"/>')
    return _linked(ballot.href, label, shape, "country changed" if ballot.was else "country")


def _changed(ballots: Sequence[Ballot], lang: Language = ENGLISH) -> str:
    """' 3 members voted otherwise than before.' for a chart's description."""
    changed = sum(1 for b in ballots if b.was)
    return (" " + lang.ngettext("%(num)s member voted otherwise than before.",
                                "%(num)s members voted otherwise than before.", changed) % {"num": changed}
            if changed else "")


def _vote_layer(vote: str, shapes: Sequence[tuple[Ballot, str]], chart_id: str, lang: Language) -> str:
    # One group per vote carries class and fill, so 193 paths don't repeat the same attributes.
    inner = "".join(_country(ballot, d, lang) for ballot, d in shapes)
    return f'<g class="vote-{vote}" fill="{_fill(vote, chart_id)}">{inner}</g>' if inner else ""


def _place(ballots: Sequence[Ballot], world: WorldMap, m49_of: Mapping[str, str],
           ) -> tuple[list[tuple[Ballot, str]], list[Ballot]]:
    """Split ballots into (ballot, path) pairs to draw and the ballots to list off the map."""
    drawn, off_map = [], []
    for ballot in sorted(ballots, key=lambda b: (b.name.casefold(), b.code)):
        d = world.countries.get(m49_of.get(ballot.code, ""), "")
        if d:
            drawn.append((ballot, d))
        if not d or path_area(d) < MIN_VISIBLE_AREA:
            off_map.append(ballot)
    return drawn, off_map


def world_map(ballots: Sequence[Ballot], *, title: str, chart_id: str,
              m49_of: Mapping[str, str], lang: Language = ENGLISH) -> MapFigure:
    """The General Assembly vote on a world map (Equal Earth), as an inline SVG string.

    ``m49_of`` maps ISO alpha-3 codes to the map's M49 keys (see ``unstates.m49_by_iso3``).
    Countries without a ballot (non-members such as Taiwan, Kosovo, Western Sahara, or
    Greenland, a part of Denmark drawn on its own) are drawn in a neutral grey without a link.
    Members with no shape, or one under MIN_VISIBLE_AREA, come back in ``off_map`` (sorted by
    name) for a text tally beside the map; the tiny ones are drawn as well.
    """
    _check(ballots, chart_id)
    world = load_world_map()
    drawn, off_map = _place(ballots, world, m49_of)
    used = {d for _, d in drawn}
    # Every neutral shape in a single path: no title or link to carry, so no reason to split.
    neutral = "".join(d for d in world.countries.values() if d not in used)
    layers = "".join(_vote_layer(vote, [(b, d) for b, d in drawn if b.vote == vote], chart_id, lang)
                     for vote in VOTES)
    counts = tally(ballots)
    # The map itself never mirrors (it is geography); its legend follows the reading direction.
    legend = _vote_legend(counts, chart_id, lang) + [("map-nonmember", NONMEMBER_FILL, lang.gettext("Not a UN member"))]
    if any(b.was for b in ballots):
        legend.append(("legend-was", "none", lang.gettext("Outlined: vote changed")))
    mirror = world.width if lang.direction == "rtl" else 0
    svg = (_svg_open(chart_id, "world-map", world.width, world.height + 30, title, describe(counts, lang) + "."
                     + _changed(ballots, lang))
           + '<g stroke="#ffffff" stroke-width="0.5" stroke-linejoin="round">'
           + f'<path class="map-nonmember" fill="{NONMEMBER_FILL}" aria-hidden="true" d="{neutral}"/>'
           + layers + "</g>" + _legend(legend, world.height + 8, mirror) + "</svg>")
    return MapFigure(svg=svg, off_map=off_map)
