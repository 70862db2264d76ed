"""The example site in a real browser (Debian's chromium through Playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest

from httpserve import serving

pytestmark = pytest.mark.browser


def test_home_to_actor_to_article_paragraph(browser, built_site: Path, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    failed: list[str] = []
    with serving(built_site) as origin:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.goto(origin + "/")
        assert page.locator("h1").inner_text() == "Explainer"
        page.get_by_role("link", name="Dmitry Peskov").first.click()
        page.wait_for_url("**/actors/dmitry-peskov/")
        assert page.locator("h1").inner_text() == "Dmitry Peskov"
        page.screenshot(path=str(artifacts / "actor-dmitry-peskov.png"), full_page=True)
        quote_link = page.locator("main .quote-card a[href*='/articles/putin-us-relations-trump/#quote-']").first
        href = quote_link.get_attribute("href")
        assert href is not None
        quote_link.click()
        page.wait_for_url("**/articles/putin-us-relations-trump/#quote-*")
        anchor = href.split("#", 1)[1]
        target = page.locator(f"[id='{anchor}']")
        assert target.is_visible()
        assert "Washington administration" in target.inner_text() or "damage" in target.inner_text()
        # The browser scrolled the quoted passage into view.
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < 900
        page.screenshot(path=str(artifacts / "article-at-quote.png"))
        # And from the paragraph back to the speaker.
        page.locator(f"a.quote-link:has([id='{anchor}'])").first.click()
        page.wait_for_url("**/actors/dmitry-peskov/#quote-*")
        page.close()
    assert failed == []


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_pages_fit_the_viewport(browser, built_site: Path, artifacts: Path, width: int) -> None:  # type: ignore[no-untyped-def]
    with serving(built_site) as origin:
        page = browser.new_page(viewport={"width": width, "height": 800})
        for path in ["/", "/articles/putin-us-relations-trump/", "/actors/united-states/",
                     "/votes/s-res-2774-2025/", "/votes/a-res-es-11-7/", "/quotes/", "/actors/"]:
            page.goto(origin + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        page.screenshot(path=str(artifacts / f"vote-map-{width}.png"), full_page=False)
        page.close()


def test_project_site_under_repo_path_loads_every_page_without_a_failed_request(browser, built_site_repo: Path) -> None:  # type: ignore[no-untyped-def]
    """Built for https://example.github.io/repo/ and served from the parent folder, as Pages does."""
    from sitecrawl import crawl

    failed: list[str] = []
    every = sorted(p.relative_to(built_site_repo).as_posix() for p in crawl(built_site_repo))
    # Every page but the 160-odd generated member-state pages, which share one template: a sample of those.
    actors = [p for p in every if p.startswith("actors/")]
    pages = [p for p in every if not p.startswith("actors/")] + actors[::10]
    with serving(built_site_repo.parent) as origin:
        page = browser.new_page()
        # Leaving a page aborts its pending favicon request; that is not a broken link.
        page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})")
                if "ERR_ABORTED" not in str(request.failure) else None)
        page.on("response", lambda response: failed.append(f"{response.url} {response.status}")
                if response.status >= 400 and not response.url.endswith("/repo/404.html") else None)
        for relative in pages:
            url = f"{origin}/repo/{relative.removesuffix('index.html')}"
            page.goto(url)
            assert page.locator("link[rel=stylesheet]").count() >= 1
            # The stylesheet really applied (a broken link would leave default styles).
            assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px", url
        favicon = page.locator("link[rel=icon]").get_attribute("href")
        assert favicon is not None and favicon.startswith("/repo/")
        assert page.request.get(origin + favicon).status == 200
        page.close()
    assert failed == []
    assert len(pages) > 20


@pytest.mark.parametrize("vote_id", ["s-res-2774-2025", "a-res-es-11-7"])
def test_vote_charts_render_in_the_browser(browser, built_site: Path, artifacts: Path, vote_id: str) -> None:  # type: ignore[no-untyped-def]
    with serving(built_site) as origin:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{origin}/votes/{vote_id}/")
        charts = page.locator("figure.chart svg")
        assert charts.count() >= 1
        first = charts.first
        box = first.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 50, box
        first.screenshot(path=str(artifacts / f"chart-{vote_id}.png"))
        # Every member link in the chart leads to an actor page.
        hrefs = first.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith("/actors/") for h in hrefs)
        page.close()
