"""An Arabic site in Chromium: the page runs right to left, and so do the navigation, the
quote rules and the Security Council chart (computed styles and positions, not markup)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest_helpers import run_cli
from httpserve import serving

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser

# A project's own catalog (templates/locale/ar.po): Explainer ships no Arabic, so these few
# strings are Arabic and the rest falls back to English, as for any language not shipped.
ARABIC = '''\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Articles"
msgstr "المقالات"

msgid "Actors"
msgstr "الأطراف"

msgid "Quotes"
msgstr "الاقتباسات"

msgid "Votes"
msgstr "التصويتات"

msgid "Timeline"
msgstr "التسلسل الزمني"

msgid "Permanent members"
msgstr "الأعضاء الدائمون"

msgid "Elected members"
msgstr "الأعضاء المنتخبون"
'''


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ar") / "site-ar"
    assert run_cli("new", str(root), "--language", "ar").code == 0
    (root / "templates" / "locale").mkdir()
    (root / "templates" / "locale" / "ar.po").write_text(ARABIC, encoding="utf-8")
    csv = root.parent / "sc.csv"
    shutil.copy(REPO / "tests" / "data" / "un" / "sc-S-RES-2774-2025.csv", csv)
    imported = run_cli("import-vote", str(csv), "--resolution", "S/RES/2774 (2025)", "--root", str(root))
    assert imported.code == 0, imported.err
    built = run_cli("build", "--root", str(root))
    assert built.code == 0, built.err
    return root / "site"


def test_arabic_layout_and_chart_mirror(browser, arabic_site: Path, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    with serving(arabic_site) as origin:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(origin + "/votes/s-res-2774-2025/")
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        # Navigation: the first item (Articles) is the rightmost, the next ones follow leftwards.
        boxes = [page.get_by_role("link", name=name, exact=True).first.bounding_box()
                 for name in ("المقالات", "الأطراف", "الاقتباسات")]
        assert all(boxes)
        assert boxes[0]["x"] > boxes[1]["x"] > boxes[2]["x"]  # type: ignore[index]
        # The site title sits at the right end of the header.
        title = page.locator(".site-title").bounding_box()
        assert title is not None and title["x"] + title["width"] > 1280 / 2
        # The Security Council: permanent members first, so at the right; their label is Arabic.
        seats = page.locator(".council-chart .seat")
        first, last = seats.first.bounding_box(), seats.last.bounding_box()
        assert first is not None and last is not None and first["x"] > last["x"]
        assert "seat-permanent" in (seats.first.get_attribute("class") or "")
        label = page.locator(".council-chart text", has_text="الأعضاء الدائمون").bounding_box()
        chart = page.locator(".council-chart").bounding_box()
        assert label is not None and chart is not None and label["x"] > last["x"]
        # Labels stay inside the chart and never run over their swatches.
        assert label["x"] + label["width"] <= chart["x"] + chart["width"] + 1
        # The legend (HTML under the chart) runs from the right, each swatch right of its words.
        entries = [e.bounding_box() for e in page.locator(".chart-council .chart-legend li").all()]
        assert len(entries) >= 2 and all(entries)
        assert entries[0]["x"] > entries[1]["x"]  # type: ignore[index]
        for entry in page.locator(".chart-council .chart-legend li").all():
            swatch, box = entry.locator(".swatch").bounding_box(), entry.bounding_box()
            assert swatch is not None and box is not None
            assert abs((swatch["x"] + swatch["width"]) - (box["x"] + box["width"])) < 2
        # Tables and captions start at the right.
        assert page.evaluate("getComputedStyle(document.querySelector('caption')).textAlign") == "start"
        cell = page.locator("table.tally th").first.bounding_box()
        table = page.locator("table.tally").bounding_box()
        assert cell is not None and table is not None
        assert abs((cell["x"] + cell["width"]) - (table["x"] + table["width"])) < 2
        page.screenshot(path=str(artifacts / "rtl-ar-vote.png"), full_page=True)

        # A quote's rule is on its right-hand side.
        page.goto(origin + "/actors/sam-editor/")
        rule = page.evaluate("""(() => { const s = getComputedStyle(document.querySelector('.quote-card blockquote'));
                                return [s.borderRightWidth, s.borderLeftWidth]; })()""")
        assert rule == ["3px", "0px"]
        page.screenshot(path=str(artifacts / "rtl-ar-actor.png"), full_page=True)
        page.close()
