"""Large-site paths (issue 10): pages written by worker processes, search split over bundles."""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path

import pytest

from explainer import pipeline, reading, render, search
from explainer.config import load_config
from explainer.errors import ContentError
from explainer.outdir import MARKER

from conftest import REPO, copy_example
from httpserve import serving

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate  # noqa: E402


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Enough pages (over parallel.map_chunks' 400) that rendering is spread over forked workers.
    root = tmp_path_factory.mktemp("scale") / "site"
    generate(420, root, seed=3)
    return root


def test_pages_written_by_workers_equal_the_in_memory_build(corpus: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLAINER_WORKERS", "2")
    in_memory = load_config(corpus, tmp_path / "memory")
    pipeline.write(in_memory, pipeline.build(in_memory), search=False)
    # Workers write pages in batches of the strings Jinja yields; small batches here, so that
    # every page is written in many pieces, as the quotes page and timeline are at scale.
    monkeypatch.setattr(render, "PIECES_PER_WRITE", 7)
    streamed = load_config(corpus, tmp_path / "streamed")
    result = pipeline.build_and_write(streamed, search=False)
    assert result.outputs == {}  # nothing was held in memory
    one, two = _files(tmp_path / "streamed"), _files(tmp_path / "memory")
    assert len(one) > 500
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    rendered = sorted(n for n in one if n not in (".nojekyll", MARKER) and not n.startswith("static/")
                      or n == "static/social.png")
    assert sorted(result.files) == rendered
    assert not list(tmp_path.glob(".streamed.*"))  # the staging folder was swapped in, nothing left over


def test_a_one_off_build_renders_without_the_markdown_it_drops(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One-off builds drop the articles' Markdown before rendering (memory at scale); a page
    # that read it would come out different from a build that keeps it (the preview's).
    monkeypatch.setenv("EXPLAINER_WORKERS", "2")
    one_off = pipeline.build(load_config(corpus))
    assert one_off.site is not None and all(a.markdown_dropped for a in one_off.site.articles.values())
    kept = pipeline.build(load_config(corpus), cache=pipeline.BuildCache())
    assert kept.site is not None and all(a.body for a in kept.site.articles.values())
    assert sorted(one_off.outputs) == sorted(kept.outputs)
    assert [name for name in one_off.outputs if one_off.outputs[name] != kept.outputs[name]] == []


@pytest.mark.parametrize("cached", [False, True], ids=["build", "preview"])
def test_a_template_reading_the_markdown_fails_on_its_line(tmp_path: Path, cached: bool) -> None:
    # Templates get the rendered HTML: the Markdown is dropped before rendering in one-off
    # builds, and a template reading it must fail the same way in the preview, not publish "".
    root = copy_example(tmp_path / "project")
    (root / "templates").mkdir()
    template = (REPO / "templates" / "article.html").read_text(encoding="utf-8")
    (root / "templates" / "article.html").write_text(
        template.replace("{{ body }}", "{{ body }}\n<p>{{ article.body | wordcount }} words</p>"), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        pipeline.build(load_config(root), cache=pipeline.BuildCache() if cached else None)
    [error] = [d for d in raised.value.report.diagnostics if d.code == "template"]
    line = template.split("\n").index(next(text for text in template.split("\n") if "{{ body }}" in text)) + 2
    assert error.location.path == "templates/article.html" and error.location.line == line, error
    assert "body" in error.message


def test_a_failed_streamed_build_leaves_the_previous_site(corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    project = load_config(corpus, tmp_path / "out")
    pipeline.build_and_write(project, search=False)
    before = _files(tmp_path / "out")
    template = corpus / "templates" / "actor.html"
    template.parent.mkdir(exist_ok=True)
    template.write_text("{% extends 'base.html' %}{% block main %}{{ actor.nonexistent }}{% endblock %}\n",
                        encoding="utf-8")
    try:
        with pytest.raises(Exception, match="rendering failed"):
            pipeline.build_and_write(load_config(corpus, tmp_path / "out"), search=False)
    finally:
        template.unlink()
    assert _files(tmp_path / "out") == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind

    # A content error stops the build before any page is written: no staging folder is made.
    quotes = corpus / "content/quotes/article-00001.yaml"
    original = quotes.read_text(encoding="utf-8")
    quotes.write_text("- id: [broken\n", encoding="utf-8")
    made: list[Path] = []
    real_mkdtemp = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda *a, **k: made.append(Path(real_mkdtemp(*a, **k))) or made[-1])
    try:
        with pytest.raises(Exception, match="the content has errors"):
            pipeline.build_and_write(load_config(corpus, tmp_path / "out"), search=False)
    finally:
        quotes.write_text(original, encoding="utf-8")
    assert made == [] and _files(tmp_path / "out") == before


def _fragment_urls(bundle: Path) -> set[str]:
    urls = set()
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        text = gzip.decompress(fragment.read_bytes()).decode("utf-8")
        urls.add(json.loads(text[text.index("{"):])["url"])
    return urls


def test_articles_are_split_over_search_bundles(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                browser, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(search, "ARTICLES_PER_BUNDLE", 150)
    out = tmp_path / "site"
    pipeline.build_and_write(load_config(corpus, out))
    names = search.bundle_names({"article": 420, "actor": 1, "vote": 1})
    assert names == ["article-1", "article-2", "article-3", "actor", "vote", "quote"]
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == sorted(names)
    slugs = sorted(p.stem for p in (corpus / "content/articles").glob("*.md"))
    seen: dict[str, set[str]] = {}
    for name in names[:3]:
        seen[name] = _fragment_urls(out / "pagefind" / name)
        assert seen[name], name
    assert sorted(u for urls in seen.values() for u in urls) == sorted(f"/articles/{s}/" for s in slugs)
    for slug in slugs:  # each article is in the bundle its slug hashes to, and only there
        assert f"/articles/{slug}/" in seen[search.article_bundle(slug, len(slugs))]
    assert not list(tmp_path.glob(".site.*"))  # no staging or other temporary folder is left
    weighted = [[name, 4.0 if name.startswith("article") else 0.25 if name == "actor" else 1.0] for name in names]
    assert json.dumps(weighted) in (out / "search/index.html").read_text(encoding="utf-8")  # each with its weight

    # The search page merges every bundle: every article is found (the word is in each of them).
    page = browser.new_page()
    failed: list[str] = []
    page.on("pageerror", lambda e: failed.append(str(e)))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    with serving(out) as origin:
        page.goto(f"{origin}/search/?q=government&kind=Article")
        page.wait_for_function("() => document.querySelector('#search-status').textContent.includes('results')")
        assert page.locator("#search-status").inner_text() == f"{len(slugs)} results for \u201cgovernment\u201d."
        page.screenshot(path=str(artifacts / "search-sharded.png"))
    page.close()
    assert failed == []


def test_a_bundle_glob_of_the_longest_slugs_fits_in_one_argument() -> None:
    # Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN); slugs are at most 80 characters.
    slugs = [f"{n:05d}-" + "x" * 74 for n in range(3 * search.ARTICLES_PER_BUNDLE - 1)]
    globs = search._bundle_globs(slugs)
    assert sorted(globs) == ["actor", "article-1", "article-2", "article-3", "quote", "vote"]
    assert all(len(glob.encode()) < 128 * 1024 for glob in globs.values())
    listed = [s for name in ("article-1", "article-2", "article-3")
              for s in globs[name].split("{")[1].split("}")[0].split(",")]
    assert sorted(listed) == slugs


def test_an_empty_search_bundle_is_a_clear_error() -> None:
    # Two bundles, every slug hashing to the first: Pagefind would refuse the empty second one.
    count = search.ARTICLES_PER_BUNDLE + 1
    slugs = [slug for slug in (f"a-{n}" for n in range(20_000)) if search.article_bundle(slug, count) == "article-1"]
    slugs = slugs[:count]
    assert search._shards(len(slugs)) == 2
    with pytest.raises(search.SearchIndexError, match="no article falls in search bundle article-2"):
        search._bundle_globs(slugs)


def _bundle_files(site: Path) -> dict[str, bytes]:
    return _files(site / "pagefind")


def _entry_ids(site: Path) -> dict[str, int]:
    """Which bundles were written again: a re-indexed bundle's entry file is a new file."""
    return {p.name: (p / "pagefind-entry.json").stat().st_mtime_ns for p in (site / "pagefind").iterdir()}


def test_the_search_index_is_updated_bundle_by_bundle(corpus: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import threading

    monkeypatch.setattr(search, "ARTICLES_PER_BUNDLE", 140)  # 420 articles: 3 bundles, 421: 4
    root = tmp_path / "project"
    shutil.copytree(corpus, root, ignore=shutil.ignore_patterns("site"))
    project = load_config(root, tmp_path / "site")
    cache = pipeline.BuildCache()
    pipeline.write(project, pipeline.build(project, cache=cache), cache)
    assert cache.search_layout == ("article-1", "article-2", "article-3", "actor", "vote", "quote")

    def clean_index() -> dict[str, bytes]:
        fresh = load_config(root, tmp_path / "clean")
        pipeline.build_and_write(fresh)
        return _bundle_files(tmp_path / "clean")

    # An article's wording: only its own bundle is indexed again (no actor page shows body text).
    slug = "article-00042"
    article = root / "content/articles" / f"{slug}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("## A section heading", "## Quartzite ahead"),
                       encoding="utf-8")
    before = _entry_ids(project.out_dir)
    written = pipeline.write(project, pipeline.build(project, cache=cache), cache)
    assert written == [f"articles/{slug}/index.html"]
    after = _entry_ids(project.out_dir)
    assert [name for name in before if before[name] != after[name]] == [search.article_bundle(slug, 420)]
    assert _bundle_files(project.out_dir) == clean_index()

    # A run cancelled half-way leaves its bundles missing; the next update re-indexes them.
    cancelled = threading.Event()
    cancelled.set()
    assert not pipeline.update_index(project, cache, ["actors/x/index.html", "quotes/index.html"], cancelled)
    assert not (project.out_dir / "pagefind/actor").exists() and not (project.out_dir / "pagefind/quote").exists()
    assert pipeline.update_index(project, cache, [])
    assert _bundle_files(project.out_dir) == clean_index()

    # One article more moves the site to four article bundles: every bundle is indexed again,
    # and the bundles of the old layout are gone.
    (root / "content/articles/zz-extra.md").write_text(
        "---\ntitle: An extra story\ndate: '2024-03-01'\n---\n\nThe government said so.\n", encoding="utf-8")
    pipeline.write(project, pipeline.build(project, cache=cache), cache)
    assert cache.search_layout == ("article-1", "article-2", "article-3", "article-4", "actor", "vote", "quote")
    assert _bundle_files(project.out_dir) == clean_index()


def _build_report(root: Path) -> list[str]:
    try:
        pipeline.build(load_config(root))
    except Exception as exc:  # the ContentError carries every diagnostic
        return [d.format() for d in exc.report.sorted()]  # type: ignore[attr-defined]
    return []


def test_files_parsed_by_workers_give_the_same_site_and_errors(corpus: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(reading, "PARALLEL_LOAD_FILES", 100)  # the corpus has about 950 files
    monkeypatch.setenv("EXPLAINER_WORKERS", "2")
    parallel = pipeline.build(load_config(corpus)).outputs
    monkeypatch.setenv("EXPLAINER_WORKERS", "1")
    assert pipeline.build(load_config(corpus)).outputs == parallel

    root = tmp_path / "broken"
    shutil.copytree(corpus, root, ignore=shutil.ignore_patterns("site"))
    (root / "content/quotes/article-00003.yaml").write_text("- id: q\n  speaker: [unclosed\n", encoding="utf-8")
    actor = next((root / "content/actors").glob("*.yaml"))
    actor.write_text(actor.read_text(encoding="utf-8") + "kind: person\n", encoding="utf-8")  # a duplicate key
    serial = _build_report(root)
    monkeypatch.setenv("EXPLAINER_WORKERS", "2")
    assert _build_report(root) == serial
    assert any("article-00003.yaml:3" in line and "invalid YAML" in line for line in serial)
    assert any("duplicate key" in line for line in serial)
