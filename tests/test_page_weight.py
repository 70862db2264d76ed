"""What the built pages weigh (issue 24: HTML per page at most half, no page over 200 KB at
5,000 articles). A 200-article generated corpus (benchmarks/corpus.py: ten votes, seven of them
General Assembly votes of all 193 members) is built in memory, and its pages must stay within
budgets its pages kept before the lean-pages work broke: 23.6 KB a page on average then, the
largest (a General Assembly vote with its map drawn inline) 60.6 KB. benchmarks/README.md has
the figures at 1,000 and 5,000 articles."""

from __future__ import annotations

import sys

import pytest

from explainer import pipeline
from explainer.config import load_config

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate  # noqa: E402


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("weight") / "site"
    generate(200, root, seed=3)
    return {path: data for path, data in pipeline.build(load_config(root)).outputs.items() if path.endswith(".html")}


def test_pages_weigh_at_most_20_kb_on_average_and_none_over_45_kb(pages: dict[str, bytes]) -> None:
    sizes = {path: len(data) for path, data in pages.items()}
    average = sum(sizes.values()) / len(sizes)
    largest = max(sizes, key=lambda path: sizes[path])
    assert len(sizes) > 500
    assert average <= 20_000, f"{average:,.0f} bytes a page"
    assert sizes[largest] <= 45_000, f"{largest}: {sizes[largest]:,} bytes"


def test_the_map_and_the_differences_are_not_repeated_on_every_page(pages: dict[str, bytes]) -> None:
    """The map's shapes are in static/map.svg, not on each vote page; a state's differences
    with another member name each pair of positions once, not on every vote's row."""
    maps = [data.decode("utf-8") for data in pages.values() if b'class="vote-chart world-map"' in data]
    assert len(maps) >= 5
    assert all("<path d=\"M" not in page.split("</defs>", 1)[1] for page in maps)
    state = pages["actors/france/index.html"].decode("utf-8")
    differed = state[state.index('<details id="with-'):state.index('<details class="agreement-all">')]
    assert differed.count("<dt>") <= 6 * differed.count('<details id="with-')  # 6 pairs of yes, no, abstain
    assert differed.count('<a href="/votes/') > differed.count("<dt>")
