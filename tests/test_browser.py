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
        page.locator(f"[id='{anchor}'] ~ a.said-by").first.click()
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
