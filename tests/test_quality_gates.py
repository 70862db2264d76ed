"""Quality gates on every page type of the example site: the W3C Nu Html Checker, axe-core in
Chromium at two widths (and in dark mode), screenshots, page weight and no outside requests.

Missing tools (java, vnu.jar, axe-core, chromium) skip locally and fail under CI=true.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from explainer import pipeline
from explainer.config import load_config
from explainer.search import index_site
from explainer.static import static_files
from explainer.write import write_site

from conftest import REPO, copy_example, require
from httpserve import serving

VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE = REPO / "node_modules/axe-core/axe.min.js"
ARTICLE = "articles/putin-us-relations-trump/"
# Every page type: name -> path under the site root.
PAGES = {
    "home": "",
    "article": ARTICLE,
    "actor": "actors/dmitry-peskov/",
    "actor-state": "actors/united-states/",
    "actor-generated": "actors/algeria/",
    "vote-sc": "votes/s-res-2774-2025/",
    "vote-ga": "votes/a-res-es-11-7/",
    "vote-ga-partial": "votes/a-res-es-11-8/",
    "articles": "articles/",
    "actors": "actors/",
    "votes": "votes/",
    "quotes": "quotes/",
    "timeline": "timeline/",
    # pages of lists and an actor's archives (the fixture pages the lists by five, see site())
    "quotes-page": "quotes/page/2/",
    "timeline-page": "timeline/page/2/",
    "actor-quotes": "actors/david-roche/quotes/",
    "actor-votes": "actors/united-states/votes/",
    "search": "search/?q=Peskov",
    "404": "404.html",
}
VIEWS = [(1280, "light"), (375, "light"), (1280, "dark")]


def build_indexed(root: Path, out: Path, base_url: str | None = None) -> Path:
    """Build the example and index it with Pagefind in write_site's before_swap hook."""
    project = load_config(root, out, base_url)
    result = pipeline.build(project)
    write_site(result.outputs, static_files(project), out, {".nojekyll": b""},
               before_swap=lambda folder: index_site(folder, project))
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("gates"))
    with (root / "config.yaml").open("a", encoding="utf-8") as config:  # lists in pages, actors' archives
        config.write("pagination:\n  page_size: 5\n  actor_items: 1\n")
    return build_indexed(root, root / "site")


# --- W3C Nu Html Checker ------------------------------------------------------------------


def _vnu(files: list[Path]) -> list[dict[str, object]]:
    """One run of vnu over HTML, CSS and SVG files (it is slow to start); its error messages."""
    command = ["java", "-jar", str(VNU), "--format", "json", "--errors-only", "--also-check-css",
               "--also-check-svg", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    report = json.loads(done.stderr or done.stdout)
    return list(report["messages"])


def test_nu_html_checker_finds_no_error_in_html_css_or_svg(site: Path, tmp_path: Path) -> None:
    require(shutil.which("java") is not None, "java (default-jre-headless)")
    require(VNU.is_file(), f"the Nu Html Checker ({VNU.relative_to(REPO)})")
    pages = sorted(site.rglob("*.html"))
    styles = sorted((site / "static").rglob("*.css"))
    svgs = sorted(p for p in site.rglob("*.svg") if "pagefind" not in p.parts)
    for path in PAGES.values():
        relative = path.split("?")[0]
        assert (site / relative if relative.endswith(".html") else site / relative / "index.html") in pages, path
    assert styles and svgs
    # Canaries: one known error per file type proves that each type was really checked.
    canaries = {"bad.html": '<!DOCTYPE html><html lang="en"><title>x</title><foo></foo>',
                "bad.css": "p { colour: red; }", "bad.svg": '<svg xmlns="http://www.w3.org/2000/svg"><foo/></svg>'}
    for name, text in canaries.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    messages = _vnu([*pages, *styles, *svgs, *(tmp_path / name for name in canaries)])
    flagged = {str(m.get("url", "")).rsplit("/", 1)[-1]
               for m in messages if str(m.get("url", "")).find(str(tmp_path)) >= 0}
    assert flagged == set(canaries), f"the checker missed a canary: {flagged} {messages}"
    real = [m for m in messages if str(tmp_path) not in str(m.get("url", ""))]
    for message in real:
        print(f"{message.get('url')}:{message.get('lastLine')}: {message.get('message')}\n    {message.get('extract')}")
    assert real == [], f"{len(real)} errors from the Nu Html Checker (printed above)"


# --- axe-core in Chromium, screenshots, outside requests ----------------------------------


def _axe_violations(page: object) -> list[dict[str, object]]:
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")  # type: ignore[attr-defined]
    return list(result["violations"])


@pytest.mark.browser
@pytest.mark.parametrize(("width", "scheme"), VIEWS, ids=[f"{w}-{s}" for w, s in VIEWS])
def test_axe_finds_no_violation_and_nothing_is_fetched_elsewhere(browser, site: Path, artifacts: Path,  # type: ignore[no-untyped-def]
                                                                  width: int, scheme: str) -> None:
    require(AXE.is_file(), f"axe-core ({AXE.relative_to(REPO)})")
    problems: list[str] = []
    with serving(site) as origin:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.on("request", lambda r: problems.append(f"request to another host: {r.url}")
                if not r.url.startswith((origin, "data:", "blob:")) else None)
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
        for name, path in PAGES.items():
            page.goto(f"{origin}/{path}")
            if name == "search":
                page.locator(".search-result a").first.wait_for()
            for violation in _axe_violations(page):
                nodes = "; ".join(str(n["target"]) for n in violation["nodes"][:5])  # type: ignore[index]
                problems.append(f"/{path} {width}px {scheme}: {violation['id']} ({violation['impact']}): "
                                f"{violation['help']}: {nodes}")
            page.screenshot(path=str(artifacts / f"gate-{name}-{width}-{scheme}.png"), full_page=True)
        context.close()
    print("\n".join(problems))
    assert problems == []


# --- weight ---------------------------------------------------------------------------------


def test_article_page_weighs_under_60_kb_before_search_assets(site: Path) -> None:
    files = [site / ARTICLE / "index.html", site / "static/site.css", site / "static/favicon.svg"]
    weight = sum(f.stat().st_size for f in files)
    print(f"article page: {weight} bytes ({', '.join(f'{f.name} {f.stat().st_size}' for f in files)})")
    assert weight < 60 * 1024
