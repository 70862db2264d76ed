"""Corrections and updates (issue #20, part 1): shown where they happened, dated in JSON-LD and
the feed, gathered newest first on /corrections/, and refused when they make no sense."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest_helpers import copy_example, edit, line_of, run_cli

ARTICLE = "content/articles/putin-us-relations-trump.md"
QUOTES = "content/quotes/putin-us-relations-trump.yaml"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("corrected") / "project")
    edit(root, ARTICLE, "date: 2025-02-25", "date: 2025-02-25\ncorrections:\n"
         "- {date: 2025-03-03, text: An earlier version misspelt Peskov.}\n"
         "- {date: 2025-03-05, kind: update, text: The Kremlin has since confirmed the call.}")
    edit(root, QUOTES, "- id: peskov-much-damage\n", "- id: peskov-much-damage\n  corrections:\n"
         "  - {date: 2025-03-04, kind: clarification,"
         " text: Peskov said this in Russian; the words are TASS's translation.}\n")
    run = run_cli("build", "--root", str(root))
    assert run.code == 0, run.err
    return root / "site"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_article_says_when_it_changed_and_shows_every_note(corrected: Path) -> None:
    html = page(corrected, "articles/putin-us-relations-trump")
    updated = '<a class="corrected" href="#corrections">Updated <time datetime="2025-03-05">5 March 2025</time></a>'
    assert updated in html
    box = html[html.index('id="corrections"'):]
    assert box.index("misspelt Peskov") < box.index("has since confirmed"), "oldest first in the box"
    assert "Corrected <time" in box and "Updated <time" in box


def test_json_ld_has_date_modified_and_correction_comments(corrected: Path) -> None:
    html = page(corrected, "articles/putin-us-relations-trump")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    nodes = data.get("@graph", [data])
    article = next(node for node in nodes if node.get("@type") == "NewsArticle")
    assert article["datePublished"] == "2025-02-25" and article["dateModified"] == "2025-03-05"
    assert [c["@type"] for c in article["correction"]] == ["CorrectionComment", "CorrectionComment"]
    assert article["correction"][0]["datePublished"] == "2025-03-03"


def test_the_feed_entry_is_updated(corrected: Path) -> None:
    feed = ET.parse(corrected / "feed.xml").getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}published").text.startswith("2025-02-25")
    assert entry.find(f"{ATOM}updated").text.startswith("2025-03-05")
    assert feed.find(f"{ATOM}updated").text.startswith("2025-03-05")


def test_the_corrections_page_lists_every_note_newest_first_and_its_links_land(corrected: Path) -> None:
    html = page(corrected, "corrections")
    items = re.findall(r"<li><time datetime=\"([\d-]+)\">.*?href=\"([^\"]+)\"", html)
    assert [date for date, _ in items] == ["2025-03-05", "2025-03-04", "2025-03-03"]
    for _, href in items:
        path, _, anchor = href.partition("#")
        target = (corrected / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in target, href
    assert 'href="/corrections/"' in page(corrected, "")


def test_a_corrected_quote_says_so_on_its_speakers_page(corrected: Path) -> None:
    html = page(corrected, "actors/dmitry-peskov")
    assert "Clarified <time datetime=\"2025-03-04\">4 March 2025</time>: Peskov said this in Russian" in html


def test_corrections_travel_with_the_open_data(corrected: Path) -> None:
    articles = json.loads((corrected / "data" / "articles.json").read_text(encoding="utf-8"))["articles"]
    assert [note["date"] for note in articles[0]["corrections"]] == ["2025-03-03", "2025-03-05"]


@pytest.mark.parametrize(("note", "phrase"), [
    ("{date: 2025-01-03, text: Too early.}", "older than the article"),
    ("{text: No date.}", "date"),
    ("{date: 2025-03-03, kind: erratum, text: Unknown kind.}", "correction"),
    ("{date: 2025-03-03}", "text"),
])
def test_a_bad_correction_is_an_error_at_its_line(tmp_path: Path, note: str, phrase: str) -> None:
    root = copy_example(tmp_path / "project")
    edit(root, ARTICLE, "date: 2025-02-25", f"date: 2025-02-25\ncorrections:\n- {note}")
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    line = line_of(root, ARTICLE, "corrections:")
    assert re.search(rf"{re.escape(ARTICLE)}:({line}|{line + 1}):", run.err), run.err
    assert phrase in run.err
