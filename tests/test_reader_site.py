"""The reader's site: feed, sitemap, robots.txt, social tags, JSON-LD, timeline and search."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest

from explainer.config import load_config
from explainer.search import BUNDLES, SearchIndexError, index_site
from explainer.yamlio import load_yaml

from conftest import REPO, build_into, copy_example
from conftest_helpers import TINY_ARTICLE
from httpserve import serving
from sitecrawl import broken_links, crawl, parse, resolve
from test_quality_gates import build_indexed

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOST = "https://example.github.io/repo/"
ARTICLE = "putin-us-relations-trump"


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example for https://example.github.io/repo/, indexed; serve its parent for /repo/."""
    root = copy_example(tmp_path_factory.mktemp("reader"))
    return build_indexed(root, root / "public" / "repo", base_url=HOST)


@pytest.fixture(scope="module")
def root_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example at '/' (no host known), indexed."""
    root = copy_example(tmp_path_factory.mktemp("reader-root"))
    return build_indexed(root, root / "site")


def _yaml_dir(name: str) -> list[dict]:
    return [load_yaml(p.read_text(encoding="utf-8"), str(p)) for p in sorted((REPO / "content" / name).glob("*.yaml"))]  # type: ignore[misc]


def _quotes() -> list[dict]:
    return [q for items in _yaml_dir("quotes") for q in items]  # type: ignore[union-attr]


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _url_of(site: Path, page: Path, base: str) -> str:
    relative = page.relative_to(site).as_posix()
    return base + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def _target(site: Path, url: str, base_path: str) -> Path:
    path = urlsplit(url).path
    assert path.startswith(base_path), url
    target = site / path[len(base_path):]
    return target / "index.html" if path.endswith("/") else target


# --- Atom feed ----------------------------------------------------------------------------


def test_feed_is_atom_with_every_article_and_absolute_links(repo_site: Path) -> None:
    feed = ET.parse(repo_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == HOST + "feed.xml"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", feed.findtext(f"{ATOM}updated") or "")
    assert feed.findtext(f"{ATOM}title") == "Explainer"
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == HOST + "feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    slugs = sorted(p.stem for p in (REPO / "content/articles").glob("*.md"))
    assert len(entries) == len(slugs)
    for entry in entries:
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        href = link.get("href", "")
        assert href.startswith(HOST + "articles/"), href
        assert entry.findtext(f"{ATOM}id") == href
        assert _target(repo_site, href, "/repo/").is_file()
        for tag in ("title", "updated", "published", "summary"):
            assert entry.findtext(f"{ATOM}{tag}"), tag
        assert entry.find(f"{ATOM}content") is None  # summaries, unless feed: {content: full}


def test_feed_and_sitemap_leave_the_process_wide_namespace_table_alone(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """ET.register_namespace changes one table for the whole process (the preview's threads
    included); the feed and the sitemap declare their namespace in the document instead."""
    from explainer import pipeline

    monkeypatch.setenv("EXPLAINER_WORKERS", "1")  # render here, not in forked workers, to see the table
    before = dict(ET._namespace_map)  # the table ET.register_namespace writes to
    outputs = pipeline.build(load_config(copy_example(tmp_path / "p"), base_url="https://example.org/")).outputs
    assert dict(ET._namespace_map) == before
    assert ET.fromstring(outputs["feed.xml"]).tag == f"{ATOM}feed"
    assert ET.fromstring(outputs["sitemap.xml"]).tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"


def test_feed_without_a_host_uses_paths_and_stable_uuid_ids(root_site: Path) -> None:
    feed = ET.parse(root_site / "feed.xml").getroot()
    assert (feed.findtext(f"{ATOM}id") or "").startswith("urn:uuid:")
    for entry in feed.findall(f"{ATOM}entry"):
        assert (entry.findtext(f"{ATOM}id") or "").startswith("urn:uuid:")
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href", "").startswith("/articles/")
    # Every page announces the feed.
    for page in _pages(root_site):
        assert '<link rel="alternate" type="application/atom+xml"' in page.read_text(encoding="utf-8"), page


# --- sitemap and robots.txt ---------------------------------------------------------------


def test_sitemap_lists_every_page_and_nothing_else(repo_site: Path) -> None:
    root = ET.parse(repo_site / "sitemap.xml").getroot()
    listed = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert len(listed) == len(set(listed))
    # Every page but the two that ask not to be indexed (<meta name="robots" content="noindex">).
    noindex = {p
               for p in _pages(repo_site) if '<meta name="robots" content="noindex">' in p.read_text(encoding="utf-8")}
    assert noindex == {repo_site / "404.html", repo_site / "search/index.html"}
    expected = {_url_of(repo_site, p, HOST) for p in _pages(repo_site) if p not in noindex}
    assert set(listed) == expected
    article = next(u for u in root.iter(f"{SITEMAP}url") if u.findtext(f"{SITEMAP}loc", "").endswith(f"/{ARTICLE}/"))
    assert article.findtext(f"{SITEMAP}lastmod") == "2025-02-25"


def test_robots_txt_points_to_the_sitemap(repo_site: Path, root_site: Path) -> None:
    lines = (repo_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {HOST}sitemap.xml" in lines
    # Without a host there is no valid sitemap to point to: none is written.
    assert not (root_site / "sitemap.xml").exists()
    assert "Sitemap" not in (root_site / "robots.txt").read_text(encoding="utf-8")


# --- Open Graph and Twitter cards ---------------------------------------------------------


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.scripts: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"]
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in_ld = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_ld = False if tag == "script" else self._in_ld

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.scripts[-1] += data


def _head(page: Path) -> _Meta:
    parser = _Meta()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_open_graph_and_twitter_tags_on_every_page(repo_site: Path) -> None:
    for page in _pages(repo_site):
        meta = _head(page).meta
        for key in ("og:title", "og:type", "og:image", "og:site_name", "twitter:card"):
            assert meta.get(key), (page, key)
        assert meta["og:image"] == HOST + "static/social.png"
        assert meta["twitter:card"] == "summary_large_image"
        if page.name != "404.html":
            assert meta["og:url"] == _head(page).canonical == _url_of(repo_site, page, HOST)
    article = _head(repo_site / f"articles/{ARTICLE}/index.html").meta
    assert article["og:type"] == "article" and article["article:published_time"] == "2025-02-25"
    png = (repo_site / "static/social.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (1200, 630)


def test_social_image_is_deterministic_and_a_projects_own_wins(tmp_path: Path) -> None:
    from explainer.social import social_image

    assert social_image("Explainer") == social_image("Explainer") != social_image("Other")
    root = copy_example(tmp_path / "p")
    (root / "templates/static").mkdir(parents=True)
    (root / "templates/static/social.png").write_bytes(b"own")
    out = build_into(root, tmp_path / "out")
    assert (out / "static/social.png").read_bytes() == b"own"


# --- JSON-LD --------------------------------------------------------------------------------

# Every schema.org type used, with its ancestors; and for every property the types it belongs to.
TYPES = {
    "Thing": set(), "CreativeWork": {"Thing"}, "WebSite": {"CreativeWork"}, "WebPage": {"CreativeWork"},
    "CollectionPage": {"WebPage"}, "SearchResultsPage": {"WebPage"}, "Article": {"CreativeWork"},
    "NewsArticle": {"Article"}, "Quotation": {"CreativeWork"}, "Person": {"Thing"}, "Organization": {"Thing"},
    "NewsMediaOrganization": {"Organization"}, "Place": {"Thing"}, "AdministrativeArea": {"Place"},
    "Country": {"AdministrativeArea"}, "Event": {"Thing"}, "Intangible": {"Thing"}, "ItemList": {"Intangible"},
    "ListItem": {"Intangible"},
}
PROPERTIES = {
    "name": "Thing", "url": "Thing", "description": "Thing", "alternateName": "Thing", "identifier": "Thing",
    "sameAs": "Thing", "image": "Thing", "mainEntityOfPage": "Thing",
    "headline": "CreativeWork", "inLanguage": "CreativeWork", "isPartOf": "CreativeWork", "about": "CreativeWork",
    "mentions": "CreativeWork", "author": "CreativeWork", "creator": "CreativeWork", "dateCreated": "CreativeWork",
    "datePublished": "CreativeWork", "sourceOrganization": "CreativeWork", "isBasedOn": "CreativeWork",
    "text": "CreativeWork", "hasPart": "CreativeWork", "spokenByCharacter": "Quotation", "jobTitle": "Person",
    "affiliation": "Person",
    "startDate": "Event", "endDate": "Event", "organizer": "Event", "about@Event": "Event",
    "itemListElement": "ItemList", "itemListOrder": "ItemList", "numberOfItems": "ItemList", "position": "ListItem",
}


def _ancestors(kind: str) -> set[str]:
    found = {kind}
    for parent in TYPES[kind]:
        found |= _ancestors(parent)
    return found


def _check_node(node: object, where: str) -> None:
    if isinstance(node, list):
        for item in node:
            _check_node(item, where)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("@type")
    if kind is not None:
        assert kind in TYPES, f"{where}: {kind} is not a schema.org type we checked"
        lineage = _ancestors(kind)
        for key, value in node.items():
            if key.startswith("@"):
                continue
            assert key in PROPERTIES, f"{where}: unknown property {key}"
            allowed = {PROPERTIES[key]} | ({PROPERTIES.get(f"{key}@{kind}", "")} - {""})
            assert lineage & allowed, f"{where}: {kind} has no property {key}"
            _check_node(value, where)


def _json_ld(page: Path) -> dict:
    scripts = _head(page).scripts
    assert len(scripts) == 1, page
    assert "</" not in scripts[0] and "<" not in scripts[0], page
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org"
    return data  # type: ignore[no-any-return]


EXPECTED_TYPES = {
    "index.html": "WebSite", f"articles/{ARTICLE}/index.html": "NewsArticle",
    "actors/dmitry-peskov/index.html": "Person", "actors/kremlin/index.html": "Organization",
    "actors/cryptopolitan/index.html": "NewsMediaOrganization", "actors/united-states/index.html": "Country",
    "actors/algeria/index.html": "Country", "votes/s-res-2774-2025/index.html": "Event",
    "votes/a-res-es-11-7/index.html": "Event", "actors/index.html": "CollectionPage",
    "votes/index.html": "CollectionPage", "articles/index.html": "CollectionPage",
    "quotes/index.html": "CollectionPage", "timeline/index.html": "ItemList",
    "search/index.html": "SearchResultsPage", "404.html": "WebPage",
}


def test_json_ld_on_every_page_parses_with_schema_org_terms_only(repo_site: Path) -> None:
    for page in _pages(repo_site):
        data = _json_ld(page)
        _check_node(data["@graph"], str(page.relative_to(repo_site)))
    for relative, kind in EXPECTED_TYPES.items():
        assert _json_ld(repo_site / relative)["@graph"][0]["@type"] == kind, relative


def test_json_ld_links_articles_actors_quotes_and_votes(repo_site: Path) -> None:
    article = _json_ld(repo_site / f"articles/{ARTICLE}/index.html")["@graph"][0]
    # what is described on its own page is referred to by its @id alone, and that page describes it
    assert all(list(node) == ["@id"] for node in [*article["mentions"], *article["about"], article["isPartOf"]])
    assert _described(repo_site, article["isPartOf"]["@id"])["@type"] == "WebSite"
    mentioned = {m["@id"]: _described(repo_site, m["@id"]) for m in article["mentions"]}
    assert HOST + "actors/dmitry-peskov/#subject" in mentioned
    assert {_described(repo_site, a["@id"])["name"] for a in article["about"]} >= {"Vladimir Putin", "Donald Trump"}
    described = {}  # every Quotation is described in full once, on its speaker's page
    for speaker in {q["speaker"] for q in _quotes()}:
        graph = _json_ld(repo_site / f"actors/{speaker}/index.html")["@graph"]
        subject = graph[0]  # the speaker, described once; its quotes refer to it by @id
        assert subject["url"] == f"{HOST}actors/{speaker}/"
        for node in graph:
            if node["@type"] == "Quotation":
                assert node["creator"] == {"@id": subject["@id"]}
                assert _described(repo_site, node["isPartOf"]["@id"])["@type"] == "NewsArticle"
                assert ("spokenByCharacter" in node) == (subject["@type"] == "Person")
                described[node["@id"]] = {**node, "speaker": subject}
    assert len(described) == len(_quotes())
    listed = _json_ld(repo_site / "quotes/index.html")["@graph"]
    assert len(listed) == 1  # the quotes page refers to them
    assert {part["@id"] for part in listed[0]["hasPart"]} == set(described)
    assert all(part == {"@type": "Quotation", "@id": part["@id"]} for part in listed[0]["hasPart"])
    peskov = _json_ld(repo_site / "actors/dmitry-peskov/index.html")["@graph"]
    said = [n for n in peskov if n["@type"] == "Quotation"]
    assert peskov[0]["name"] == "Dmitry Peskov"
    assert said and all(n["creator"] == n["spokenByCharacter"] == {"@id": peskov[0]["@id"]} for n in said)
    assert any(n["speaker"]["@type"] != "Person" for n in described.values())  # the Kremlin says things too
    timeline = _json_ld(repo_site / "timeline/index.html")["@graph"][0]["itemListElement"]
    assert [item["position"] for item in timeline] == list(range(1, len(timeline) + 1))
    assert all(_target(repo_site, item["url"].split("#")[0], "/repo/").is_file() for item in timeline)
    vote = _json_ld(repo_site / "votes/s-res-2774-2025/index.html")["@graph"][0]
    assert vote["startDate"] == "2025-02-24" and vote["description"].startswith("Adopted: 10 in favour")
    assert vote["organizer"]["name"] == "United Nations Security Council"


def _described(site: Path, node_id: str) -> dict:
    """The node of ``node_id`` in the JSON-LD of the page at its address (without the fragment)."""
    graph = _json_ld(_target(site, node_id.split("#")[0], "/repo/"))["@graph"]
    found = [node for node in graph if node.get("@id") == node_id]
    assert len(found) == 1 and found[0]["@type"], node_id
    return found[0]  # type: ignore[no-any-return]


def test_json_ld_cannot_break_out_of_its_script() -> None:
    from explainer.jsonld import to_script_text

    text = to_script_text({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & <!--"


# --- timeline -------------------------------------------------------------------------------


def test_timeline_is_in_order_and_every_link_resolves(repo_site: Path) -> None:
    page = repo_site / "timeline/index.html"
    html = page.read_text(encoding="utf-8")
    days = re.findall(r'<h2 id="day-([\d-]+)">', html)
    assert days and days == sorted(days, reverse=True) and len(days) == len(set(days))  # newest first
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    links = re.findall(r'href="([^"]+)"', main)
    assert len(links) > 10
    for url in links:
        target, fragment = resolve(repo_site, "/repo/", page, url)
        assert target is not None and target.is_file(), url
        if fragment:
            assert fragment in parse(target).ids, url
    dated = [q for q in _quotes() if q.get("said_on")]
    for quote in dated:
        assert f'/articles/{ARTICLE}/#quote-{quote["id"]}' in main, quote["id"]
    for vote in _yaml_dir("votes"):
        assert f'/votes/{vote["id"]}/' in main
    assert f"/articles/{ARTICLE}/" in main
    undated = [q for q in _quotes() if not q.get("said_on")]
    for quote in undated:
        assert f'#quote-{quote["id"]}"' not in main
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert 'href="/repo/timeline/"' in nav


def test_events_are_newest_first_then_by_kind() -> None:
    from explainer import pipeline
    from explainer.timeline import KIND_ORDER, events
    from explainer.urls import Urls

    result = pipeline.build(load_config(REPO, REPO / "site"))
    assert result.site is not None
    found = events(result.site, Urls("/"))
    keys = [(-e.date.toordinal(), KIND_ORDER[e.kind]) for e in found]
    assert keys == sorted(keys)
    assert {e.kind for e in found} == {"article", "vote", "quote"}


def test_no_broken_links_with_the_reader_pages(repo_site: Path) -> None:
    assert broken_links(repo_site, base_path="/repo/") == []


# --- search ---------------------------------------------------------------------------------


def test_search_index_lists_the_indexed_pages(repo_site: Path) -> None:
    counts = {}
    for kind in BUNDLES:
        entry = json.loads((repo_site / f"pagefind/{kind}/pagefind-entry.json").read_text(encoding="utf-8"))
        counts[kind] = entry["languages"]["en"]["page_count"]
        assert not (repo_site / f"pagefind/{kind}/pagefind-ui.js").exists()  # unused UIs are not shipped
    marked = {kind: 0 for kind in BUNDLES}
    for page in _pages(repo_site):
        found = re.search(r'<main id="main" data-pagefind-body data-pagefind-filter="kind:(\w+)">',
                          page.read_text(encoding="utf-8"))
        if found:
            marked[found.group(1).lower()] += 1
    assert counts == marked
    assert counts["article"] == len(list((REPO / "content/articles").glob("*.md")))
    assert counts["vote"] == len(list((REPO / "content/votes").glob("*.yaml")))
    assert counts["actor"] > len(list((REPO / "content/actors").glob("*.yaml")))  # generated states too
    assert counts["quote"] == 1
    for relative in ("index.html", "search/index.html", "timeline/index.html", "404.html", "actors/index.html"):
        assert "data-pagefind-body" not in (repo_site / relative).read_text(encoding="utf-8"), relative


def _indexed_text(site: Path, bundle: str) -> dict[str, str]:
    """What Pagefind indexed of each page of a bundle: url -> text (fragments are gzipped JSON)."""
    found = {}
    for fragment in (site / "pagefind" / bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        record = json.loads(data)
        found[record["url"]] = record["content"]
    return found


def test_actor_pages_are_found_by_who_they_are_not_by_what_other_bundles_hold(repo_site: Path) -> None:
    # An actor's quotes, votes and mentions have bundles of their own (quotes page, vote pages,
    # articles); indexing them again on every actor page would rank a state's page for any
    # resolution it voted on, and at 5,000 articles cost Pagefind 200 MB more and twice the time.
    actors = _indexed_text(repo_site, "actor")
    peskov = actors["/actors/dmitry-peskov/"]
    assert "Dmitry Peskov" in peskov and "Press Secretary of the Kremlin" in peskov
    said = [q["text"] for q in _quotes() if q["speaker"] == "dmitry-peskov"]
    assert said and not any(text[:40] in peskov for text in said)
    assert all(text[:40] in " ".join(_indexed_text(repo_site, "quote").values()) for text in said)
    algeria = actors["/actors/algeria/"]
    assert "Algeria" in algeria and "S/RES/2774" not in algeria and "Voted" not in algeria
    assert "S/RES/2774" in " ".join(_indexed_text(repo_site, "vote").values())


@pytest.mark.parametrize("story", ["example", "without votes", "one article only"])
def test_a_story_without_votes_or_actors_builds_and_searches_what_it_has(tmp_path: Path, story: str) -> None:
    """Pagefind refuses to build an empty index: a kind with no pages gets no bundle, and the
    search page loads exactly the bundles that were built."""
    root = copy_example(tmp_path / "project")
    if story == "without votes":
        shutil.rmtree(root / "content/votes")
    if story == "one article only":
        shutil.rmtree(root / "content")
        (root / "content/articles").mkdir(parents=True)
        (root / "content/articles/tiny.md").write_text(TINY_ARTICLE, encoding="utf-8")
    out = build_into(root, tmp_path / "site")
    built = sorted(p.name for p in (out / "pagefind").iterdir())
    search = (out / "search/index.html").read_text()
    listed = re.search(r"const \[\[first, weight\], \.\.\.others\] = (\[.*?\]);", search)
    assert listed is not None and sorted(name for name, _ in json.loads(listed.group(1))) == built
    assert ("vote" in built) == (story == "example") and ("actor" in built) == (story != "one article only")


def test_search_index_is_the_same_on_every_build(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "p")
    one, two = build_indexed(root, tmp_path / "one"), build_indexed(root, tmp_path / "two")
    files = sorted(p.relative_to(one) for p in (one / "pagefind").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in (two / "pagefind").rglob("*") if p.is_file())
    for relative in files:
        assert (one / relative).read_bytes() == (two / relative).read_bytes(), relative


def test_header_search_is_a_plain_labelled_get_form(repo_site: Path) -> None:
    html = (repo_site / "index.html").read_text(encoding="utf-8")
    form = re.search(r'<form class="site-search" role="search" action="/repo/search/" method="get">(.*?)</form>',
                     html, re.S)
    assert form is not None
    assert '<label class="visually-hidden" for="site-search-q">' in form.group(1)
    assert 'id="site-search-q" name="q"' in form.group(1)
    search = (repo_site / "search/index.html").read_text(encoding="utf-8")
    assert "<noscript>" in search and 'href="/repo/articles/"' in search.split("<noscript>")[1]


def test_index_site_fails_with_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = load_config(copy_example(tmp_path / "p"))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(SearchIndexError, match="PAGEFIND_BINARY_PATH .* not a file"):
        index_site(tmp_path, project)
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: boom' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    with pytest.raises(SearchIndexError, match=r"Pagefind failed \(exit code 3\): Error: boom"):
        index_site(tmp_path, project)


def test_a_missing_pagefind_is_an_error_message_not_a_traceback(tmp_path: Path) -> None:
    """The CLI shows an ExplainerError as one line; SearchIndexError is one."""
    from explainer.errors import ExplainerError

    assert issubclass(SearchIndexError, ExplainerError)
    code = ("import sys; sys.modules['pagefind_bin'] = None\n"
            "from explainer.search import pagefind_binary, SearchIndexError\n"
            "try:\n    pagefind_binary()\nexcept SearchIndexError as e:\n    print(e)\n")
    # This interpreter, importing this checkout: the test runs wherever pytest does.
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})
    assert "Pagefind is not installed; install it with: pip install 'pagefind[bin]" in done.stdout, done.stderr


def _search_in_browser(browser, origin: str, prefix: str, artifacts: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    failed: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("pageerror", lambda e: failed.append(str(e)))
    page.goto(f"{origin}{prefix}")
    page.get_by_label("Search the site").fill("Peskov")
    page.get_by_label("Search the site").press("Enter")
    page.wait_for_url(f"**{prefix}search/?q=Peskov")
    box = page.get_by_label("Search articles, actors, quotes and votes")
    expect(box).to_have_value("Peskov")  # filled from ?q= once the index is loaded
    box.fill("")
    box.press_sequentially("Peskov", delay=20)
    # A search runs while typing ("3 results for “Pes”"): wait for the one of the whole word.
    expect(page.locator("#search-status")).to_contain_text("for \u201cPeskov\u201d.")
    result = page.locator(".search-result h2 a", has_text="Dmitry Peskov").first
    result.wait_for()
    assert result.get_attribute("href") == f"{prefix}actors/dmitry-peskov/"
    page.screenshot(path=str(artifacts / f"search-{name}.png"), full_page=True)
    page.get_by_role("radio", name="Quotes").check()
    page.wait_for_function("() => [...document.querySelectorAll('.search-result .kicker')]"
                           ".every((k) => k.textContent === 'Quotes') && document.querySelector('.search-result')")
    page.get_by_role("radio", name="Everything").check()
    # Not a link left from the Quotes results: wait until the unfiltered ones are shown.
    page.wait_for_function("() => [...document.querySelectorAll('.search-result .kicker')]"
                           ".some((k) => k.textContent !== 'Quotes')")
    page.locator(".search-result h2 a", has_text="Dmitry Peskov").first.click()
    page.wait_for_url(f"**{prefix}actors/dmitry-peskov/")
    assert page.locator("h1").inner_text() == "Dmitry Peskov"
    page.close()
    assert failed == []


@pytest.mark.browser
def test_search_finds_peskov_at_the_root(browser, root_site: Path, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    with serving(root_site) as origin:
        _search_in_browser(browser, origin, "/", artifacts, "root")


@pytest.mark.browser
def test_search_finds_peskov_under_a_base_path(browser, repo_site: Path, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    with serving(repo_site.parent) as origin:
        _search_in_browser(browser, origin, "/repo/", artifacts, "repo")


@pytest.mark.browser
def test_search_page_without_javascript_says_how_to_browse(browser, root_site: Path) -> None:  # type: ignore[no-untyped-def]
    with serving(root_site) as origin:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{origin}/search/?q=Peskov")
        assert not page.locator("#search-form").is_visible()
        assert "needs JavaScript" in page.locator("main").inner_text()
        page.get_by_role("link", name="who said what").click()
        page.wait_for_url("**/quotes/")
        context.close()


@pytest.mark.browser
def test_search_page_says_so_when_the_index_is_missing(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = build_into(copy_example(tmp_path / "p"), tmp_path / "out")
    for path in sorted((site / "pagefind").rglob("*"), reverse=True) if (site / "pagefind").exists() else []:
        path.unlink() if path.is_file() else path.rmdir()
    with serving(site) as origin:
        page = browser.new_page()
        page.goto(f"{origin}/search/?q=Peskov")
        page.wait_for_function("() => document.querySelector('#search-status').textContent.length > 0")
        assert "index was not built" in page.locator("#search-status").inner_text()
        page.close()


def test_every_page_has_the_crawl_invariants(repo_site: Path) -> None:
    for path, page in crawl(repo_site).items():
        assert len(page.h1) == 1, path


def test_feed_holds_the_newest_articles_only(tmp_path: Path) -> None:
    import sys
    import xml.etree.ElementTree as ElementTree

    from explainer import pipeline
    from explainer.config import load_config
    from explainer.feeds import FEED_ENTRIES

    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import generate

    generate(FEED_ENTRIES + 10, tmp_path / "c", seed=3)
    outputs = pipeline.build(load_config(tmp_path / "c")).outputs
    entries = ElementTree.fromstring(outputs["feed.xml"]).findall(f"{ATOM}entry")
    assert len(entries) == FEED_ENTRIES
    published = [e.findtext(f"{ATOM}published") or "" for e in entries]
    assert published == sorted(published, reverse=True)
