"""Vote charts: seats, permanent members, vetoes, links, the world map, escaping, determinism."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from explainer.charts import (
    MIN_VISIBLE_AREA,
    SPRITE,
    Ballot,
    council_chart,
    load_world_map,
    map_sprite,
    path_area,
    world_map,
)
from explainer.unstates import PERMANENT_MEMBERS, load_member_states, m49_by_iso3

SVG = "{http://www.w3.org/2000/svg}"
SPRITE_URL = "/repo/static/map.svg"
VOTES = ("yes", "no", "abstain", "absent", "unknown")
COUNCIL = ("CHN", "FRA", "GBR", "RUS", "USA", "DZA", "DNK", "GRC", "GUY", "KOR",
           "PAK", "PAN", "SLE", "SOM", "SVN")


def _council(veto: bool = False) -> list[Ballot]:
    states = load_member_states()
    ballots = []
    for i, code in enumerate(COUNCIL):
        vote = "no" if (veto and code == "RUS") else VOTES[i % 4]
        ballots.append(Ballot(code, states[code].name, vote, f"/actors/{code.lower()}/",
                              permanent=code in PERMANENT_MEMBERS, veto=veto and code == "RUS"))
    return ballots


def _assembly() -> list[Ballot]:
    """Every member state, votes spread over all five values; one has no page."""
    states = sorted(load_member_states().values(), key=lambda s: s.iso3)
    return [Ballot(s.iso3, s.name, VOTES[i % 5], None if s.iso3 == "AFG" else f"/actors/{s.iso3.lower()}/")
            for i, s in enumerate(states)]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_council_chart_seats_permanent_members_and_links() -> None:
    ballots = _council()
    svg = council_chart(ballots, title="S/RES/2774 (2025)", chart_id="sc-2774")
    root = _parse(svg)
    seats = [el for el in root.iter() if "seat" in (el.get("class") or "").split()]
    assert len(seats) == 15
    assert sum("seat-permanent" in (el.get("class") or "") for el in seats) == 5
    for ballot in ballots:
        assert f'href="{ballot.href}"' in svg
    assert "<title>France (permanent member): against</title>" in svg
    assert "veto" not in svg.split("</desc>")[0]
    assert "seat-veto" not in svg


def test_council_chart_every_seat_has_an_accessible_name_and_mark() -> None:
    root = _parse(council_chart(_council(), title="t", chart_id="sc"))
    seats = [el for el in root.iter() if "seat" in (el.get("class") or "").split()]
    for seat in seats:
        title = seat.find(f"{SVG}title")
        assert title is not None and ": " in (title.text or "")
        letters = [t.text for t in seat.iter(f"{SVG}text")]
        assert letters[0] in {"✓", "✕", "=", "–", "?"}


def test_council_chart_marks_a_veto() -> None:
    svg = council_chart(_council(veto=True), title="Vetoed draft", chart_id="sc-veto")
    root = _parse(svg)
    vetoed = [el for el in root.iter() if "seat-veto" in (el.get("class") or "")]
    assert len(vetoed) == 1
    assert vetoed[0].find(f"{SVG}title").text == "Russian Federation (permanent member): against, a veto"
    assert [t.text for t in vetoed[0].iter(f"{SVG}text")][:3] == ["✕", "RUS", "veto"]
    assert 'class="veto-marker"' in svg
    assert "Vetoed by Russian Federation" in root.find(f"{SVG}desc").text


def test_council_chart_without_links_uses_groups() -> None:
    ballots = [Ballot(b.code, b.name, b.vote, None, b.permanent) for b in _council()]
    svg = council_chart(ballots, title="t", chart_id="sc")
    assert "<a " not in svg and "href" not in svg


def test_svg_is_labelled_not_an_image() -> None:
    svg = council_chart(_council(), title="The title", chart_id="c1")
    root = _parse(svg)
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.get("role") is None
    assert root.find(f"{SVG}title").get("id") == "c1-title"
    assert root.find(f"{SVG}desc").text == "4 in favour, 4 against, 4 abstentions, 3 did not vote."
    assert "xlink" not in svg


def test_ids_are_prefixed_and_unique() -> None:
    for svg in (council_chart(_council(), title="t", chart_id="one"),
                world_map(_assembly(), title="t", chart_id="two", m49_of=m49_by_iso3(), sprite=SPRITE_URL).svg):
        ids = re.findall(r'\bid="([^"]+)"', svg)
        assert len(ids) == len(set(ids))
        assert all(i == ids[0] or i.startswith(ids[0] + "-") for i in ids)


def test_world_map_draws_every_member_with_a_shape() -> None:
    ballots = _assembly()
    m49 = m49_by_iso3()
    figure = world_map(ballots, title="A/RES/ES-11/7", chart_id="ga", m49_of=m49, sprite=SPRITE_URL)
    root = _parse(figure.svg)
    world = load_world_map()
    with_shape = {b.code for b in ballots if m49[b.code] in world.countries}
    assert len(with_shape) > 150
    named = {}  # each member drawn is a link (or, without a page, a group) named by its title
    for el in root.iter():
        title = el.find(f"{SVG}title")
        if el.tag in (f"{SVG}a", f"{SVG}g") and title is not None:
            named[title.text.split(":")[0]] = el
    names = {b.code: b.name for b in ballots}
    assert set(named) == {names[c] for c in with_shape}
    # ...and its shape is the one of the shared sprite, placed by <use>
    sprite_ids = set(re.findall(r'<path id="([^"]+)"', map_sprite()))
    for code in with_shape:
        (use,) = named[names[code]].findall(f"{SVG}use")
        assert use.get("href") == f"{SPRITE_URL}#m{m49[code]}" and f"m{m49[code]}" in sprite_ids
    assert "<path" not in figure.svg.split("</defs>", 1)[1]  # no shape drawn inline
    tiny = {c for c in with_shape if path_area(world.countries[m49[c]]) < MIN_VISIBLE_AREA}
    assert {b.code for b in figure.off_map} == (set(names) - with_shape) | tiny
    assert "LUX" in tiny and "SGP" not in with_shape  # too small to see; no shape at 1:110m
    for ballot in ballots:
        if ballot.code in with_shape and ballot.href:
            assert f'href="{ballot.href}"' in figure.svg
    assert 'href="/actors/afg/"' not in figure.svg


def test_world_map_colours_by_vote_and_keeps_non_members_neutral() -> None:
    figure = world_map(_assembly(), title="t", chart_id="ga", m49_of=m49_by_iso3(), sprite=SPRITE_URL)
    root = _parse(figure.svg)
    classes = {el.get("class") for el in root.iter()}
    assert {f"vote-{v}" for v in VOTES} <= classes
    assert "map-nonmember" in classes
    assert 'fill="url(#ga-hatch)"' in figure.svg and 'id="ga-hatch"' in figure.svg
    desc = root.find(f"{SVG}desc").text
    assert desc == "39 in favour, 39 against, 39 abstentions, 38 did not vote, 38 not recorded."


def test_world_map_size_budget() -> None:
    figure = world_map(_assembly(), title="A/RES/ES-11/7", chart_id="ga-a-res-es-11-7",
                       m49_of=m49_by_iso3(), sprite=SPRITE_URL)
    assert len(figure.svg.encode("utf-8")) < 25_000  # 40 KB with the shapes inline


def test_the_static_sprite_is_the_map_data() -> None:
    """templates/static/map.svg is what charts.map_sprite makes of explainer/data/world-110m.json
    (scripts/make_worldmap.py writes both)."""
    shipped = Path(__file__).resolve().parent.parent / "templates" / "static" / SPRITE
    assert shipped.read_text(encoding="utf-8") == map_sprite()
    root = ET.fromstring(map_sprite())
    paths = root.findall(f"{SVG}defs/{SVG}path")
    assert len(paths) == len(load_world_map().countries)
    assert all(p.get("fill") is None and p.get("stroke") is None for p in paths)  # set by each page


def test_output_is_deterministic() -> None:
    first = world_map(_assembly(), title="t", chart_id="m", m49_of=m49_by_iso3(), sprite=SPRITE_URL)
    again = world_map(list(reversed(_assembly())), title="t", chart_id="m", m49_of=m49_by_iso3(), sprite=SPRITE_URL)
    assert first == again
    assert council_chart(_council(), title="t", chart_id="c") == council_chart(
        list(reversed(_council())), title="t", chart_id="c")


def test_text_is_escaped() -> None:
    evil = "<script>alert(1)</script> & \"quoted\""
    ballots = [Ballot("FRA", evil, "yes", '/actors/"x"/?a=1&b=2', permanent=True)]
    for svg in (council_chart(ballots, title=evil, chart_id="c"),
                world_map(ballots, title=evil, chart_id="m", m49_of=m49_by_iso3(), sprite=SPRITE_URL).svg):
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg
        assert 'href="/actors/&quot;x&quot;/?a=1&amp;b=2"' in svg
        assert _parse(svg).find(f"{SVG}title").text == evil


@pytest.mark.parametrize("chart_id", ["", "two words", "1abc", 'x"y'])
def test_bad_chart_id_is_refused(chart_id: str) -> None:
    with pytest.raises(ValueError):
        council_chart(_council(), title="t", chart_id=chart_id)


def test_bad_vote_is_refused() -> None:
    with pytest.raises(ValueError):
        council_chart([Ballot("FRA", "France", "maybe", None)], title="t", chart_id="c")


def test_map_data_covers_members_and_is_pre_projected() -> None:
    world = load_world_map()
    assert world.width == 1000 and 300 < world.height < 600
    m49s = set(m49_by_iso3().values())
    assert len(m49s & set(world.countries)) >= 160
    assert all(d.startswith("M") and d.endswith("z") for d in world.countries.values())
