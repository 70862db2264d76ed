"""Vote charts as inline SVG strings: Security Council seats and a General Assembly world map.

Pure functions of their arguments (plus the committed map data), so the same vote always gives
the same bytes, and the output can be inlined straight into an HTML5 page:

- no namespaced attributes (``href``, never ``xlink:href``), so the W3C Nu checker accepts it;
- every id starts with the caller's ``chart_id``, so two charts on a page never clash;
- the ``<svg>`` is labelled by its ``<title>`` and ``<desc>`` through ``aria-labelledby``;
  ``role="img"`` would hide the per-country links from assistive technology;
- each vote has a CSS class (``vote-yes`` …) *and* a ``fill`` attribute: the page's CSS can
  restyle it (dark theme), and it still reads without any CSS (feeds, saved files);
- a vote is never told by colour alone: seats carry a mark (✓ ✕ = –), countries a ``<title>``,
  the legend (HTML, from ``legend``) pairs each colour with its mark and word, and the map's
  ``off_map`` list feeds a text list of the places too small to click;
- one palette and one vocabulary: FILL is the only source of the vote colours (the site's CSS
  repeats them as ``--fill-*``, tests/test_votes_page.py holds the two together) and LABEL the
  only source of the vote words, in the chart, its legend and the page's text;
- no text in a chart is drawn under 12 CSS px on a 320 px wide phone: the council chart is
  five seats wide (340 units, text at 15 units), and the map carries no text at all;
- the map's shapes are the same on every General Assembly page: they are drawn once, in the
  static file ``SPRITE`` (``map_sprite``), and each page's map places them with ``<use>``, with
  its own links, names and fills (the shapes inline were 40 KB of every such page).
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
# and the abstain/absent tones differ in lightness from both. Mid tones read on light and dark
# pages alike, so the same fills serve both themes (one palette: the CSS repeats these).
FILL: Mapping[str, str] = {
    "yes": "#2166ac",
    "no": "#d55e00",
    "abstain": "#cdbf7c",
    "absent": "#b4b4b4",
}
NONMEMBER_FILL = "#e4e4e4"
HATCH_BACKGROUND, HATCH_LINE = "#f2f2f2", "#7a7a7a"
# Marks on a seat: white only where the contrast holds (WCAG 4.5:1), dark elsewhere.
INK: Mapping[str, str] = {"yes": "#ffffff", "no": "#111111", "abstain": "#111111",
                          "absent": "#111111", "unknown": "#111111"}
# A mark per vote, the same in every language (letters would need translating): on the seats,
# in the legend and beside the words on the page.
MARK: Mapping[str, str] = {"yes": "✓", "no": "✕", "abstain": "=", "absent": "–", "unknown": "?"}
# The one vocabulary of votes: the legend, the page's tables and lists, the lead sentence.
# Marked for the catalog here, translated where they are drawn (``lang``, the site's language).
LABEL: Mapping[str, str] = {"yes": N_("In favour"), "no": N_("Against"), "abstain": N_("Abstained"),
                            "absent": N_("Did not vote"), "unknown": N_("Not recorded")}
PHRASE: Mapping[str, str] = {"yes": N_("in favour"), "no": N_("against"), "abstain": N_("abstained"),
                             "absent": N_("did not vote"), "unknown": N_("vote not recorded")}

# A country drawn smaller than this (in px² on the 1000 px wide map) cannot be seen or clicked,
# so it is also listed in MapFigure.off_map. 8 px² is about a 3×3 px blot: Luxembourg, Qatar,
# Lebanon, Brunei, Trinidad and Tobago and Vanuatu at 1:110m.
MIN_VISIBLE_AREA = 8.0

# Mirrored charts' text: right-to-left runs that end (start, in RTL) at their x, whatever the
# direction of the page around the chart.
RTL_TEXT = 'direction="rtl" text-anchor="start"'

# The map's shapes, under templates/static/ (written by scripts/make_worldmap.py, held equal to
# ``map_sprite()`` by tests/test_charts.py).
SPRITE = "map.svg"

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
class LegendEntry:
    """One key of a chart's legend, drawn in HTML beside the chart (text at the page's size)."""

    css: str  # "vote-yes" …, "legend-veto", "legend-was", "map-nonmember"
    mark: str  # what the seats show for it ("" for none)
    label: str  # in the site's language


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
    """'93 in favour, 18 against, 65 abstentions, 17 did not vote' (+ not recorded, if any)."""
    numbers = {vote: lang.number(counts.get(vote, 0)) for vote in VOTES}
    text = lang.ngettext("%(yes)s in favour, %(no)s against, %(abstain)s abstention, %(absent)s did not vote",
                         "%(yes)s in favour, %(no)s against, %(abstain)s abstentions, %(absent)s did not vote",
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
    css = f' class="{css_class}"' if css_class else ""
    if href:
        return f'<a href="{escape(href)}"{css}>{title}{inner}</a>'
    return f'<g{css}>{title}{inner}</g>'


def legend(ballots: Sequence[Ballot], lang: Language = ENGLISH, *, world: bool = False) -> list[LegendEntry]:
    """The keys of a chart of ``ballots``: each vote cast (with its count), then the veto, the
    changed-vote mark and, on the map, non-members, as far as the chart shows them."""
    counts = tally(ballots)
    entries = [LegendEntry(f"vote-{vote}", MARK[vote], f"{lang.gettext(LABEL[vote])} ({lang.number(counts[vote])})")
               for vote in VOTES if counts[vote]]
    if any(b.veto for b in ballots):
        entries.append(LegendEntry("legend-veto", MARK["no"], lang.gettext("Dashed ring: a veto")))
    if any(b.was for b in ballots):
        entries.append(LegendEntry("legend-was", "", lang.gettext("Outlined: vote changed") if world
                                   else lang.gettext("“was”: the vote before")))
    if world:
        entries.append(LegendEntry("map-nonmember", "", lang.gettext("Not a UN member")))
    return entries


# ---------------------------------------------------------------------------------------------
# Security Council: a row of seats, permanent members first

# Five seats a row, permanent members first: 340 units wide, so a 288 px column (a 320 px
# phone) draws it at 0.85 and TEXT_SIZE at 12.7 px; wider screens cap it (site.css).
SEAT_R = 24
PITCH = 68  # seat centre to centre, across and down
COLUMNS = 5
MARGIN = 10
TEXT_SIZE = 15
WIDTH = 2 * MARGIN + (COLUMNS - 1) * PITCH + 2 * SEAT_R


def _seat_order(ballots: Sequence[Ballot]) -> list[Ballot]:
    return sorted(ballots, key=lambda b: (not b.permanent, b.name.casefold(), b.code))


def _seat_label(ballot: Ballot, lang: Language = ENGLISH) -> str:
    """'France (permanent member): abstained', '… : against, a veto'."""
    phrase = lang.gettext("against, a veto") if ballot.veto else lang.gettext(PHRASE[ballot.vote])
    if ballot.permanent:
        label = lang.gettext("%(name)s (permanent member): %(vote)s") % {"name": ballot.name, "vote": phrase}
    else:
        label = lang.gettext("%(name)s: %(vote)s") % {"name": ballot.name, "vote": phrase}
    return label + _was(ballot, lang)


def _was(ballot: Ballot, lang: Language = ENGLISH) -> str:
    """' (before: against)' for a member whose vote changed since the vote this one follows."""
    return lang.gettext(" (before: %(vote)s)") % {"vote": lang.gettext(PHRASE[ballot.was])} if ballot.was else ""


def _text(x: int, y: int, text: str, extra: str = "") -> str:
    return (f'<text x="{x}" y="{y}" text-anchor="middle" font-size="{TEXT_SIZE}" fill="currentColor" '
            f'aria-hidden="true"{extra}>{escape(text)}</text>')


def _seat(ballot: Ballot, cx: int, cy: int, chart_id: str, lang: Language = ENGLISH) -> str:
    vote = ballot.vote
    classes = f"seat vote-{vote}" + (" seat-permanent" if ballot.permanent else "") + (
        " seat-veto" if ballot.veto else "") + (" changed" if ballot.was else "")
    # Permanent members get a thick outline in the page's ink (so it shows on dark pages too);
    # a veto gets a second, dashed ring.
    stroke = ('stroke="currentColor" stroke-width="4"' if ballot.permanent
              else 'stroke="#777777" stroke-width="1"')
    ring = (f'<circle class="veto-marker" cx="{cx}" cy="{cy}" r="{SEAT_R + 6}" fill="none" '
            f'stroke="{FILL["no"]}" stroke-width="3" stroke-dasharray="5 3"/>') if ballot.veto else ""
    inner = (f'{ring}<circle cx="{cx}" cy="{cy}" r="{SEAT_R}" fill="{_fill(vote, chart_id)}" {stroke}/>'
             f'<text x="{cx}" y="{cy + 8}" text-anchor="middle" font-size="24" font-weight="bold" '
             f'fill="{INK[vote]}" aria-hidden="true">{MARK[vote]}</text>'
             + _text(cx, cy + SEAT_R + 20, ballot.code))
    below = cy + SEAT_R + 20
    if ballot.veto:
        below += 17
        inner += _text(cx, below, lang.gettext("veto"), ' font-weight="bold"')
    if ballot.was:  # the mark it had on the vote this one follows
        below += 17
        inner += _text(cx, below, lang.gettext("was %(letter)s") % {"letter": MARK[ballot.was]}, ' class="was"')
    return _linked(ballot.href, _seat_label(ballot, lang), inner, classes)


def _group(label: str, seats: Sequence[Ballot], top: int, row_height: int, chart_id: str,
           lang: Language, rtl: bool) -> tuple[str, int]:
    """A labelled block of seats, five to a row, from ``top``; its SVG and the y below it."""
    used = min(len(seats), COLUMNS)
    length = (used - 1) * PITCH + 2 * SEAT_R
    start = WIDTH - MARGIN - length if rtl else MARGIN
    anchor = f'x="{WIDTH - MARGIN}" y="{top + 16}" {RTL_TEXT}' if rtl else f'x="{MARGIN}" y="{top + 16}"'
    parts = [f'<g font-size="{TEXT_SIZE}" fill="currentColor" aria-hidden="true"><text {anchor}>{escape(label)}</text>'
             f'<path d="M{start} {top + 24}h{length}" stroke="currentColor"/></g>']
    first = top + 32 + SEAT_R
    for i, ballot in enumerate(seats):
        column, row = i % COLUMNS, i // COLUMNS
        cx = MARGIN + SEAT_R + column * PITCH
        parts.append(_seat(ballot, WIDTH - cx if rtl else cx, first + row * row_height, chart_id, lang))
    rows = -(-len(seats) // COLUMNS)
    return "".join(parts), top + 32 + rows * row_height


def council_chart(ballots: Sequence[Ballot], *, title: str, chart_id: str, lang: Language = ENGLISH) -> str:
    """The Security Council's seats (normally 15) as an inline SVG string.

    Each seat shows its vote by colour and mark (✓ in favour, ✕ against, = abstained, – did
    not vote, ? not recorded; a veto adds a dashed ring and the word), permanent members have a
    thick outline and sit in the first row under their own label, the elected members in rows
    of five below, and a seat links to ``href`` when given. The description states the tally
    and any veto. In a right-to-left language rows run from the right ("first" is there).
    The legend is HTML beside the chart (``legend``).
    """
    _check(ballots, chart_id)
    seats = _seat_order(ballots)
    counts = tally(seats)
    vetoes = [b.name for b in seats if b.veto]
    desc = (describe(counts, lang) + (lang.gettext(". Vetoed by %(members)s.") % {"members": lang.list(vetoes)}
                                      if vetoes else ".") + _changed(seats, lang))
    rtl = lang.direction == "rtl"
    # Every row has room for the lines any seat needs (code, "veto", "was …"), so rows align.
    row_height = 2 * SEAT_R + 28 + 17 * (any(b.veto for b in seats) + any(b.was for b in seats))
    body, y = [], 0
    for label, group in ((lang.gettext("Permanent members"), [b for b in seats if b.permanent]),
                         (lang.gettext("Elected members"), [b for b in seats if not b.permanent])):
        if group:
            svg, y = _group(label, group, y, row_height, chart_id, lang, rtl)
            body.append(svg)
    return _svg_open(chart_id, "council-chart", WIDTH, max(y, 1), title, desc) + "".join(body) + "</svg>"


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


def _shape_id(key: str) -> str:
    """The id of a shape in the sprite: a letter first, as an XML id needs ("m004", "mx-kosovo")."""
    return f"m{key}"


def map_sprite() -> str:
    """The static SVG file of every shape of the map, each a ``<path id>`` for ``<use>``: no
    fill or stroke of its own, so each page's map sets them (per vote, per changed member)."""
    world = load_world_map()
    paths = "".join(f'<path id="{_shape_id(key)}" d="{d}"/>' for key, d in world.countries.items())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {world.width} {world.height}">'
            f"<defs>{paths}</defs></svg>\n")


def _use(sprite: str, key: str, extra: str = "") -> str:
    return f'<use href="{escape(sprite)}#{_shape_id(key)}"{extra}/>'


def _country(ballot: Ballot, key: str, sprite: str, lang: Language) -> str:
    label = (lang.gettext("%(name)s: %(vote)s") % {"name": ballot.name, "vote": lang.gettext(PHRASE[ballot.vote])}
             + _was(ballot, lang))
    # A changed vote is outlined in the page's ink: seen against any fill, and in the legend.
    shape = _use(sprite, key, ' stroke="currentColor" stroke-width="1.5"' if ballot.was else "")
    # No class on every country: the map's links and groups are its countries (CSS: .world-map a).
    return _linked(ballot.href, label, shape, "changed" if ballot.was else "")


def _changed(ballots: Sequence[Ballot], lang: Language = ENGLISH) -> str:
    """' 3 members voted otherwise than before.' for a chart's description."""
    changed = sum(1 for b in ballots if b.was)
    return (" " + lang.ngettext("%(num)s member voted otherwise than before.",
                                "%(num)s members voted otherwise than before.", changed) % {"num": changed}
            if changed else "")


def _vote_layer(vote: str, shapes: Sequence[tuple[Ballot, str]], chart_id: str, sprite: str, lang: Language) -> str:
    # One group per vote carries class and fill, so 193 shapes don't repeat the same attributes.
    inner = "".join(_country(ballot, key, sprite, lang) for ballot, key in shapes)
    return f'<g class="vote-{vote}" fill="{_fill(vote, chart_id)}">{inner}</g>' if inner else ""


def _place(ballots: Sequence[Ballot], world: WorldMap, m49_of: Mapping[str, str],
           ) -> tuple[list[tuple[Ballot, str]], list[Ballot]]:
    """Split ballots into (ballot, shape key) pairs to draw and the ballots to list off the map."""
    drawn, off_map = [], []
    for ballot in sorted(ballots, key=lambda b: (b.name.casefold(), b.code)):
        key = m49_of.get(ballot.code, "")
        d = world.countries.get(key, "")
        if d:
            drawn.append((ballot, key))
        if not d or path_area(d) < MIN_VISIBLE_AREA:
            off_map.append(ballot)
    return drawn, off_map


def world_map(ballots: Sequence[Ballot], *, title: str, chart_id: str,
              m49_of: Mapping[str, str], sprite: str, lang: Language = ENGLISH) -> MapFigure:
    """The General Assembly vote on a world map (Equal Earth), as an inline SVG string whose
    shapes are ``<use>`` of those of the static file at the address ``sprite`` (``map_sprite``).

    ``m49_of`` maps ISO alpha-3 codes to the map's M49 keys (see ``unstates.m49_by_iso3``).
    Countries without a ballot (non-members such as Taiwan, Kosovo, Western Sahara, or
    Greenland, a part of Denmark drawn on its own) are drawn in a neutral grey without a link.
    Members with no shape, or one under MIN_VISIBLE_AREA, come back in ``off_map`` (sorted by
    name) for a text tally beside the map; the tiny ones are drawn as well.
    """
    _check(ballots, chart_id)
    world = load_world_map()
    drawn, off_map = _place(ballots, world, m49_of)
    used = {key for _, key in drawn}
    # Every neutral shape in one group: no title or link to carry.
    neutral = "".join(_use(sprite, key) for key in world.countries if key not in used)
    layers = "".join(_vote_layer(vote, [(b, key) for b, key in drawn if b.vote == vote], chart_id, sprite, lang)
                     for vote in VOTES)
    counts = tally(ballots)
    # The map never mirrors (it is geography) and holds no text: its legend is HTML (``legend``).
    svg = (_svg_open(chart_id, "world-map", world.width, world.height, title, describe(counts, lang) + "."
                     + _changed(ballots, lang))
           + '<g stroke="#ffffff" stroke-width="0.5" stroke-linejoin="round">'
           + f'<g class="map-nonmember" fill="{NONMEMBER_FILL}" aria-hidden="true">{neutral}</g>'
           + layers + "</g></svg>")
    return MapFigure(svg=svg, off_map=off_map)
