"""Lists that grow with the site page (issue #23, item 3): the articles, quotes, votes, actors and
timeline lists, an actor's quotes and mentions beyond what its page shows, the feeds.

Each test builds a generated project (benchmarks/corpus.py) with small pages, so that every
list has several, and reads the HTML it wrote.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

from explainer import archives, pipeline
from explainer.config import load_config

from conftest_helpers import REPO, line_of, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate  # noqa: E402

PAGING = "pagination:\n  page_size: 5\n  actor_items: 2\n"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    stamp = time.time_ns() + 1_000_000_000  # coarse mtimes: make sure the edit is seen
    os.utime(path, ns=(stamp, stamp))


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A 120-article project (six votes) with five entries a page, and its built pages as text."""
    root = tmp_path_factory.mktemp("lists") / "site"
    generate(120, root, seed=3)
    with (root / "config.yaml").open("a", encoding="utf-8") as config:
        config.write(PAGING)
    outputs = pipeline.build(load_config(root)).outputs
    return root, {name: data.decode("utf-8") for name, data in outputs.items() if name.endswith((".html", ".xml"))}


def _pages(pages: dict[str, str], base: str) -> list[str]:
    """The pages of the list at ``base``, in order: base, base/page/2/, ..."""
    found = [f"{base}index.html"]
    while f"{base}page/{len(found) + 1}/index.html" in pages:
        found.append(f"{base}page/{len(found) + 1}/index.html")
    return found


def test_every_list_pages_with_prev_next_links_and_a_labelled_nav(paged: tuple[Path, dict[str, str]]) -> None:
    _, pages = paged
    articles = _pages(pages, "articles/")
    assert len(articles) == 24  # 120 articles, five a page
    assert "articles/page/1/index.html" not in pages  # the first page keeps the list's address
    cards = [re.findall(r'<li class="card">\s*<h2><a href="/articles/([^/]+)/"', pages[p]) for p in articles]
    assert [len(c) for c in cards] == [5] * 24
    slugs = [slug for page in cards for slug in page]
    assert slugs == sorted(slugs, reverse=True)  # article-00119 first: newest first, none twice
    second = pages["articles/page/2/index.html"]
    assert '<link rel="prev" href="/articles/">' in second
    assert '<link rel="next" href="/articles/page/3/">' in second
    assert '<nav class="pagination" aria-label="Pages">' in second
    assert '<a href="/articles/page/2/" aria-label="Page 2" aria-current="page">2</a>' in second
    assert "Page 2 of 24, entries 6 to 10 of 120" in second
    assert 'rel="prev"' not in pages["articles/index.html"].split("<body")[0]
    assert '<link rel="next"' not in pages["articles/page/24/index.html"]
    for base in ("quotes/", "votes/", "actors/", "timeline/"):
        assert len(_pages(pages, base)) > 1, base
        assert '<nav class="pagination" aria-label="Pages">' in pages[f"{base}index.html"], base
    # page titles say which page they are
    assert "<title>Articles, page 2 · " in second


def test_every_quote_is_on_one_page_of_the_quotes_list(paged: tuple[Path, dict[str, str]]) -> None:
    root, pages = paged
    listed = [q for p in _pages(pages, "quotes/") for q in re.findall(r'<a href="/articles/[^/]+/#(quote-[^"]+)"',
                                                                      pages[p])]
    expected = re.findall(r"^- id: (\S+)", "".join(p.read_text(encoding="utf-8")
                                                  for p in (root / "content/quotes").glob("*.yaml")), re.M)
    assert sorted(listed) == sorted(f"quote-{q}" for q in expected)
    assert all(len(re.findall(r'<figure class="quote-card">', pages[p])) <= 5 for p in _pages(pages, "quotes/"))
    # every page of the list is searchable as quotes
    assert all('data-pagefind-filter="kind:Quote"' in pages[p] for p in _pages(pages, "quotes/"))


def test_the_timeline_runs_newest_first_and_jumps_to_a_month(paged: tuple[Path, dict[str, str]]) -> None:
    _, pages = paged
    timeline = _pages(pages, "timeline/")
    days = [d for p in timeline for d in re.findall(r'<h2 id="day-(\d{4}-\d\d-\d\d)">', pages[p])]
    assert days == sorted(days, reverse=True)
    first = pages["timeline/index.html"]
    months = re.findall(r'<a href="(/timeline/(?:page/\d+/)?)#month-(\d{4}-\d\d)">', first)
    assert len(months) >= 2
    for link, month in months:  # each month's link lands on the page with its newest day
        target = pages[link.removeprefix("/") + "index.html"]
        assert f'id="month-{month}"' in target, (link, month)
        newest = re.search(rf'id="month-{month}">\s*<h2 id="day-({month}-\d\d)"', target)
        assert newest is not None and newest.group(1) == max(d for d in days if d.startswith(month))


def _actor_with_most_quotes(root: Path) -> tuple[str, int]:
    speakers: dict[str, int] = {}
    for path in (root / "content/quotes").glob("*.yaml"):
        for speaker in re.findall(r"speaker: (\S+)", path.read_text(encoding="utf-8")):
            speakers[speaker] = speakers.get(speaker, 0) + 1
    return max(speakers.items(), key=lambda item: (item[1], item[0]))


def test_an_actor_page_shows_the_first_entries_and_links_its_archives(paged: tuple[Path, dict[str, str]]) -> None:
    root, pages = paged
    actor, count = _actor_with_most_quotes(root)
    assert count > 5  # more than one archive page at five a page
    page = pages[f"actors/{actor}/index.html"]
    quotes_section = page.split('<h2 id="quotes">', 1)[1].split("</section>", 1)[0]
    assert len(re.findall(r'<figure id="quote-[^"]+" class="quote-card">', quotes_section)) == 2
    assert f'<a href="/actors/{actor}/quotes/">All {count} quotes by ' in quotes_section
    archive = _pages(pages, f"actors/{actor}/quotes/")
    assert len(archive) == -(-count // 5)
    anchors = [a for p in archive for a in re.findall(r'<(?:figure|p) id="quote-([^"]+)"', pages[p])]
    assert len(anchors) == count and len(set(anchors)) == count
    assert '<link rel="next" href="/actors/' + actor + '/quotes/page/2/">' in pages[archive[0]]
    # every quote's anchor is on the actor's page, where articles link it: those left to the
    # archive land on the link to it
    for quote_id in anchors:
        assert f'id="quote-{quote_id}"' in page, quote_id
    mentions = pages[f"actors/{actor}/mentions/index.html"]
    assert "<h1>Articles naming " in mentions
    assert f'<a href="/actors/{actor}/mentions/">All ' in page


def test_actor_feeds_and_the_site_feed_carry_summaries(paged: tuple[Path, dict[str, str]]) -> None:
    root, pages = paged
    actor, _ = _actor_with_most_quotes(root)
    page = pages[f"actors/{actor}/index.html"]
    assert '<link rel="alternate" type="application/atom+xml" title="' in page
    assert f'href="/actors/{actor}/feed.xml"' in page
    feed = pages[f"actors/{actor}/feed.xml"]
    entries = re.findall(r"<link rel=\"alternate\" type=\"text/html\" href=\"/articles/([^/]+)/\"", feed)
    named = re.findall(r'<li><a href="/articles/([^/]+)/#[^"]+">', pages[f"actors/{actor}/mentions/index.html"])
    assert entries and set(named) <= set(entries)
    assert f'<link rel="self" type="application/atom+xml" href="/actors/{actor}/feed.xml"' in feed
    assert "<summary>" in feed and "<content" not in feed
    site_feed = pages["feed.xml"]
    assert "<summary>" in site_feed and "<content" not in site_feed  # summaries unless configured


def test_feed_content_full_puts_the_articles_in_the_site_feed(tmp_path: Path) -> None:
    root = tmp_path / "site"
    generate(5, root, seed=2)
    with (root / "config.yaml").open("a", encoding="utf-8") as config:
        config.write("feed:\n  content: full\n")
    feed = pipeline.build(load_config(root)).outputs["feed.xml"].decode("utf-8")
    assert feed.count('<content type="html">') == 5


@pytest.mark.parametrize(("setting", "message"), [
    ("pagination:\n  page_size: 0\n", "pagination.page_size"),
    ("pagination:\n  page_size: many\n", "pagination.page_size"),
    ("feed:\n  content: everything\n", "feed.content"),
])
def test_bad_list_settings_are_errors_at_their_line(tmp_path: Path, setting: str, message: str) -> None:
    root = tmp_path / "site"
    generate(3, root, seed=2)
    with (root / "config.yaml").open("a", encoding="utf-8") as config:
        config.write(setting)
    run = run_cli("check", "--root", str(root))
    assert run.code == 1, run.err
    line = line_of(root, "config.yaml", setting.split("\n")[1].split(":")[0].strip() + ":")
    assert f"config.yaml:{line}" in run.err and message in run.err, run.err
    assert "Traceback" not in run.err


def test_a_fast_edit_that_gives_an_actor_an_archive_matches_a_clean_build(tmp_path: Path) -> None:
    """Naming an actor in a third article's text (the preview's fast path) makes its mentions
    archive; a clean build has it, and so must the cached build."""
    root = tmp_path / "site"
    generate(12, root, seed=5)
    with (root / "config.yaml").open("a", encoding="utf-8") as config:
        config.write(PAGING)
    (root / "content/actors/ada-quillfeather.yaml").write_text(
        "id: ada-quillfeather\nkind: person\nname: Ada Quillfeather\nrole: Envoy\n", encoding="utf-8")
    cache = pipeline.BuildCache()
    pipeline.build(load_config(root), cache=cache)
    for number in range(3):
        article = root / f"content/articles/article-0000{number}.md"
        _edit(article, "## A section heading", "Ada Quillfeather said so.\n\n## A section heading")
        result = _assert_fast_as_clean(root, cache, article, number)
    assert "actors/ada-quillfeather/mentions/index.html" in result.outputs
    # A quote's date moved: the timeline is counted again by the fast path, and its pages follow.
    quotes = sorted((root / "content/quotes").glob("*.yaml"))[0]
    _edit(quotes, "  said_on: '2024-01-01'\n", "  said_on: '2024-01-09'\n")
    assert _assert_fast_as_clean(root, cache, quotes, "quote").touched is not None  # the fast path


def _assert_fast_as_clean(root: Path, cache: pipeline.BuildCache, edited: Path, step: object) -> pipeline.BuildResult:
    """The cached build after ``edited`` changed makes what a clean build makes, and the paging
    signature it kept for the next edit (counted again only where the edit reached) is the
    whole site's."""
    result = pipeline.build(load_config(root), cache=cache, changed=[str(edited)])
    clean = pipeline.build(load_config(root)).outputs
    assert sorted(result.outputs) == sorted(clean), step
    assert [name for name in clean if result.outputs[name] != clean[name]] == [], step
    linked = cache.linked
    assert linked is not None
    assert linked.paging is None or linked.paging == archives.paging_signature(linked.site), step
    return result


def test_a_member_states_voting_record_pages_beyond_its_first_rows(paged: tuple[Path, dict[str, str]]) -> None:
    _, pages = paged
    page = pages["actors/france/index.html"]
    section = page.split('<h2 id="voting-record">', 1)[1].split("</section>", 1)[0]
    assert section.count("<tr><td>") == 2
    found = re.search(r'<a href="/actors/france/votes/">All (\d+) votes of France</a>', section)
    assert found is not None
    total = int(found.group(1))
    rows = [row for number in _pages(pages, "actors/france/votes/")
            for row in re.findall(r'<tr><td><a href="([^"]+)"', pages[number])]
    assert len(rows) == total == len(set(rows)) and total > 5
    assert "<title>Voting record of France, page 2 · " in pages["actors/france/votes/page/2/index.html"]


@pytest.mark.browser
def test_a_reader_pages_through_a_list_and_jumps_to_a_month(browser, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             artifacts: Path) -> None:
    """In Chromium, at phone and desktop widths: the pagination nav is reached by keyboard, its
    "Next page" link leads to page 2 (marked current), and a month of the timeline's menu lands on
    its first day."""
    from httpserve import serving

    root = tmp_path / "site"
    generate(60, root, seed=3)
    with (root / "config.yaml").open("a", encoding="utf-8") as config:
        config.write(PAGING)
    out = tmp_path / "out"
    pipeline.build_and_write(load_config(root, out), search=False)
    with serving(out) as origin:
        for width in (360, 1280):
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(f"{origin}/articles/")
            nav = page.get_by_role("navigation", name="Pages")
            nav.get_by_role("link", name="Next page").focus()
            page.keyboard.press("Enter")
            page.wait_for_url("**/articles/page/2/")
            current = page.locator('.pagination a[aria-current="page"]')
            assert current.inner_text() == "2" and current.is_visible()
            box = current.bounding_box()
            assert box is not None and box["width"] >= 44 and box["height"] >= 44  # a target a thumb can hit
            page.screenshot(path=str(artifacts / f"lists-articles-page-2-{width}.png"), full_page=True)
            page.goto(f"{origin}/timeline/")
            link = page.get_by_role("navigation", name="Jump to a month").get_by_role("link").last
            month = (link.get_attribute("href") or "").rsplit("#month-", 1)[1]
            link.click()
            page.wait_for_url(f"**#month-{month}")
            assert page.locator(f"#month-{month} h2 time").get_attribute("datetime").startswith(month)  # type: ignore[union-attr]
            page.close()
