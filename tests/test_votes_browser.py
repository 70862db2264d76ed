"""Vote, actor and article pages in Chromium (issue #23, items 1, 2 and 6): no text under 12 CSS
px on a 320 px phone (SVG text measured at its drawn scale), the permanent-member ring visible in
dark mode, legend swatches painted with the chart's own fills, the skip link past the map, tally
headers that never break inside a word, and screenshots at 360 and 1,280 px, light and dark, in
test-artifacts/screenshots/ for review."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer import charts

from conftest import require
from httpserve import serving
from test_quality_gates import AXE, _axe_violations

pytestmark = pytest.mark.browser

PAGES = {
    "vote-sc": "votes/s-res-2774-2025/",
    "vote-ga": "votes/a-res-es-11-7/",
    "vote-ga-partial": "votes/a-res-es-11-8/",
    "actor-state": "actors/united-states/",
    "actor-quoted": "actors/david-roche/",
    "article": "articles/putin-us-relations-trump/",
}

# The drawn size of every piece of text a reader can see: its computed font size, times the
# scale its <svg> is drawn at (the viewBox's width against the width on screen).
SMALLEST_TEXT = """() => {
  let smallest = {size: Infinity, text: ""};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (!node.textContent.trim() || element.closest("title, desc, script, style")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (!rects.length || getComputedStyle(element).visibility === "hidden") continue;
    if (element.closest(".visually-hidden, .skip-link")) continue;  // shown at full size when focused
    let size = parseFloat(getComputedStyle(element).fontSize);
    const svg = element.closest("svg");
    if (svg) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    if (size < smallest.size) smallest = {size, text: node.textContent.trim().slice(0, 40)};
  }
  return smallest;
}"""


def _luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _rgb(hex_colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)))


def test_no_text_under_12_css_px_at_320_px(browser, built_site: Path) -> None:  # type: ignore[no-untyped-def]
    found = {}
    with serving(built_site) as origin:
        page = browser.new_page(viewport={"width": 320, "height": 800})
        for name, path in PAGES.items():
            page.goto(f"{origin}/{path}")
            found[name] = page.evaluate(SMALLEST_TEXT)
        page.close()
    print({name: (round(f["size"], 2), f["text"]) for name, f in found.items()})
    assert {name: f for name, f in found.items() if f["size"] < 12} == {}
    assert found["vote-sc"]["size"] < 14  # the seats' codes were measured, at their drawn scale


def test_the_council_chart_keeps_its_text_at_12_px_and_fits_at_320(browser, built_site: Path) -> None:  # type: ignore[no-untyped-def]
    with serving(built_site) as origin:
        page = browser.new_page(viewport={"width": 320, "height": 800})
        page.goto(f"{origin}/votes/s-res-2774-2025/")
        chart = page.locator(".council-chart")
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
        sizes = page.evaluate("""() => [...document.querySelectorAll('.council-chart text')].map(t =>
            t.getBoundingClientRect().height)""")
        assert len(sizes) >= 2 * 15 and min(sizes) >= 12  # codes and marks, by their drawn boxes
        page.close()


def test_the_permanent_ring_and_the_palette_in_dark_mode(browser, built_site: Path) -> None:  # type: ignore[no-untyped-def]
    with serving(built_site) as origin:
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
            page = context.new_page()
            page.goto(f"{origin}/votes/s-res-2774-2025/")
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            ring = page.evaluate("getComputedStyle(document.querySelector('.seat-permanent circle')).stroke")
            assert _contrast(ring, background) >= 3, (scheme, ring, background)
            for vote in ("yes", "abstain"):
                swatch = page.evaluate(
                    f"getComputedStyle(document.querySelector('.swatch.vote-{vote}')).backgroundColor")
                seat = page.evaluate(f"getComputedStyle(document.querySelector('.seat.vote-{vote} circle')).fill")
                dot = page.evaluate(f"""getComputedStyle(document.querySelector('.vote-badge.vote-{vote}'),
                                        '::before').backgroundColor""")
                assert swatch == seat == dot == _rgb(charts.FILL[vote]), (scheme, vote, swatch, seat, dot)
            context.close()


def test_the_skip_link_jumps_past_the_map(browser, built_site: Path) -> None:  # type: ignore[no-untyped-def]
    with serving(built_site) as origin:
        page = browser.new_page(viewport={"width": 360, "height": 800})
        page.goto(f"{origin}/votes/a-res-es-11-7/")
        in_map = page.locator(".world-map a").count()
        assert in_map > 150
        page.locator("a[href='#breakdown-members']").focus()
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        where = page.evaluate("""(() => { const a = document.activeElement;
            return [a.closest('.members') !== null, a.closest('svg') !== null, a.textContent]; })()""")
        assert where[0] and not where[1], where
        # On a phone the map is drawn wider than the screen, in a frame that slides; the page does not.
        frame = page.evaluate("""(() => { const f = document.querySelector('.chart-map .chart-frame');
            return [f.scrollWidth, f.clientWidth, document.documentElement.scrollWidth]; })()""")
        assert frame[0] > 1.8 * frame[1] and frame[2] <= 360
        page.close()


def test_the_map_draws_its_shapes_from_the_shared_sprite(browser, built_site: Path) -> None:  # type: ignore[no-untyped-def]
    """Every member's shape is a <use> of static/map.svg: drawn (it has a size on the page), in
    its vote's colour, under the link named by its title, and the place a click lands."""
    with serving(built_site) as origin:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{origin}/votes/a-res-es-11-7/")
        page.wait_for_function("""() => [...document.querySelectorAll('.world-map use')]
                                  .every(u => u.getBBox().width > 0)""", timeout=10_000)
        page.evaluate("document.querySelector('.world-map').scrollIntoView()")
        members = page.evaluate("""() => [...document.querySelectorAll('.world-map a')].map(a => {
            const use = a.querySelector('use'), box = use.getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return {name: a.querySelector('title').textContent, href: use.getAttribute('href'),
                    fill: getComputedStyle(use).fill, vote: a.parentElement.getAttribute('class'),
                    area: box.width * box.height, hit: hit !== null && hit.closest('a') === a};
        })""")
        page.close()
    assert len(members) > 150
    assert all(m["href"].startswith("/static/map.svg#m") and ": " in m["name"] for m in members)
    for member in members:
        vote = member["vote"].removeprefix("vote-")
        assert member["fill"] == _rgb(charts.FILL[vote]), member
    # a large country is clicked where it is drawn (small or island ones may lie under another)
    big = sorted(members, key=lambda m: -m["area"])[:20]
    assert sum(m["hit"] for m in big) >= 15, [(m["name"], m["hit"]) for m in big]


BROKEN_WORDS = """selector => {
          const out = [];
          for (const th of document.querySelectorAll(selector)) {
            const text = th.firstChild && th.firstChild.nodeType === 3 ? th.firstChild : null;
            if (!text) continue;
            let start = 0;
            for (const word of text.textContent.split(' ')) {
              const range = document.createRange();
              range.setStart(text, start); range.setEnd(text, start + word.length);
              const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
              if (lines.size > 1) out.push(word);
              start += word.length + 1;
            }
          }
          return out;
        }"""


def test_tally_headers_and_voting_records_never_break_inside_a_word(browser, built_site: Path) -> None:  # type: ignore[no-untyped-def]
    with serving(built_site) as origin:
        page = browser.new_page(viewport={"width": 320, "height": 800})
        page.goto(f"{origin}/votes/a-res-es-11-8/")
        broken = page.evaluate(BROKEN_WORDS, "table.tally th")
        headers = page.locator("table.tally thead th").all_inner_texts()
        page.goto(f"{origin}/actors/united-states/")
        broken += page.evaluate(BROKEN_WORDS, ".voting-record th, .voting-record time")
        dates = page.locator(".voting-record time").count()
        page.close()
    assert headers == ["Vote", "Declared", "Recorded here"] and dates == 3
    assert broken == []


@pytest.mark.parametrize(("width", "scheme"), [(360, "light"), (360, "dark"), (1280, "light"), (1280, "dark")])
def test_screenshots_for_review_and_axe(browser, built_site: Path, artifacts: Path, width: int, scheme: str) -> None:  # type: ignore[no-untyped-def]
    require(AXE.is_file(), "axe-core (node_modules/axe-core)")
    folder = artifacts / "screenshots"
    folder.mkdir(exist_ok=True)
    problems = []
    with serving(built_site) as origin:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        for name, path in PAGES.items():
            page.goto(f"{origin}/{path}")
            target = folder / f"{name}-{width}-{scheme}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
            problems += [f"{name} {width} {scheme}: {v['id']}: {v['help']}" for v in _axe_violations(page)]
        context.close()
    assert problems == []
