"""Search ranks what a reader looks for first (issue #23, item 4): the fixed queries of
tests/search_queries.yaml typed into the example site's search page, against its real Pagefind
index, in Chromium; results read from the page as a reader sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer.yamlio import load_yaml

from conftest_helpers import copy_example
from httpserve import serving
from test_quality_gates import build_indexed

QUERIES = load_yaml((Path(__file__).parent / "search_queries.yaml").read_text(encoding="utf-8"), "search_queries.yaml")


@pytest.fixture(scope="module")
def indexed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("ranking"))
    return build_indexed(root, root / "site")


@pytest.mark.browser
def test_the_fixed_queries_give_the_expected_top_results(browser, indexed_site: Path) -> None:  # type: ignore[no-untyped-def]
    failures = []
    with serving(indexed_site) as origin:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for case in QUERIES:
            query = case["query"]
            page.goto(f"{origin}/search/?q={query}")
            page.wait_for_function("(q) => document.getElementById('search-status').textContent.includes(q)", arg=query)
            if case.get("count") == 0:
                assert page.locator("#search-status").inner_text().startswith("No results"), query
                continue
            page.locator(".search-result").first.wait_for()
            found = page.eval_on_selector_all(".search-result h2 a", "links => links.map(a => a.getAttribute('href'))")
            top = case.get("top", [])
            if found[:len(top)] != top:
                failures.append(f"{query!r}: expected {top} first, got {found[:len(top) + 2]}")
            excerpts = page.eval_on_selector_all(".search-result > p:not(.kicker)", "ps => ps.map(p => p.textContent)")
            for text in case.get("excerpts_without", []):
                if any(text in excerpt for excerpt in excerpts):
                    failures.append(f"{query!r}: an excerpt shows {text!r}")
        page.close()
    assert failures == []
