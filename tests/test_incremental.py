"""Incremental builds: after every kind of edit, the output equals a clean build's, byte for byte."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from explainer import pipeline
from explainer import write as write_module
from explainer.config import load_config
from explainer.errors import ContentError

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate  # noqa: E402


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # Some filesystems keep mtimes coarse: make sure the edit is seen as a change.
    stamp = time.time_ns() + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def _clean(root: Path) -> dict[str, bytes]:
    return pipeline.build(load_config(root)).outputs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "site"
    generate(60, root, seed=7)
    templates = root / "templates"
    templates.mkdir()
    shutil.copy(REPO / "templates" / "article.html", templates / "article.html")
    return root


def _cast(root: Path) -> tuple[list[Path], str, Path, str, str]:
    """A generated corpus's actor files, the first actor's name, the quotes of article 3, the
    speaker of its first quote, and another actor to give that quote to."""
    actors = sorted((root / "content/actors").glob("*.yaml"))
    first_name = actors[0].read_text(encoding="utf-8").split("name: ", 1)[1].split("\n", 1)[0]
    quotes = root / "content/quotes/article-00003.yaml"
    speaker = quotes.read_text(encoding="utf-8").split("speaker: ", 1)[1].split("\n", 1)[0]
    other = actors[-1].stem if actors[-1].stem != speaker else actors[-2].stem
    return actors, first_name, quotes, speaker, other


def _rename_article(root: Path, slug: str, new: str) -> None:
    (root / f"content/articles/{slug}.md").rename(root / f"content/articles/{new}.md")
    quotes = root / f"content/quotes/{slug}.yaml"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace(f"article: {slug}", f"article: {new}"),
                      encoding="utf-8")


def _build_like_clean(root: Path, cache: pipeline.BuildCache,
                      edit: str) -> tuple[pipeline.BuildResult, dict[str, bytes]]:
    """A build on the cache, checked byte for byte against a clean build of the same content."""
    incremental = pipeline.build(load_config(root), cache=cache)
    clean = _clean(root)
    assert sorted(incremental.outputs) == sorted(clean), edit
    differing = [path for path in clean if incremental.outputs[path] != clean[path]]
    assert differing == [], f"after the {edit} edit these differ from a clean build: {differing[:5]}"
    return incremental, clean


def test_incremental_builds_match_clean_builds_after_each_edit(corpus: Path) -> None:
    cache = pipeline.BuildCache()
    first = pipeline.build(load_config(corpus), cache=cache)
    total = len(first.outputs)
    assert first.outputs == _clean(corpus)

    unchanged = pipeline.build(load_config(corpus), cache=cache)
    assert unchanged.outputs == first.outputs
    assert unchanged.rendered == 0, "nothing changed, yet pages were rendered again"

    actors, first_actor, quotes, speaker, other = _cast(corpus)
    edits = [
        ("one word of an article", lambda: _edit(corpus / "content/articles/article-00005.md", "## A section heading",
                                                 "## A section heading, reworded")),
        ("article text", lambda: _edit(corpus / "content/articles/article-00002.md", "## A section heading",
                                       "## A renamed section\n\nA new paragraph naming " + first_actor + ".")),
        ("per-article override", lambda: _edit(corpus / "content/articles/article-00004.md", "source: Generated Wire",
                                               f"source: Generated Wire\nunlinked:\n- {first_actor}")),
        ("actor name", lambda: _edit(actors[0], f"name: {first_actor}", "name: Renamed Person")),
        ("quote speaker", lambda: _edit(quotes, f"speaker: {speaker}", f"speaker: {other}")),
        ("vote", lambda: _edit(corpus / "content/votes/vote-0001.yaml", "title: Resolution 1",
                               "title: Resolution one, retitled")),
        ("template", lambda: _edit(corpus / "templates/article.html", "<div class=\"article-body\">",
                                   "<div class=\"article-body edited\">")),
        ("config", lambda: _edit(corpus / "config.yaml", "title: Generated corpus", "title: Renamed corpus")),
    ]
    for name, apply in edits:
        apply()
        incremental, clean = _build_like_clean(corpus, cache, name)
        if name == "template":
            articles = sum(1 for path in clean if path.startswith("articles/") and path.count("/") == 2)
            assert incremental.rendered == articles, "a change to article.html re-renders article pages only"
        if name in ("one word of an article", "article text"):
            assert incremental.rendered < total / 4, f"an article edit re-rendered {incremental.rendered} of {total}"


@pytest.fixture()
def edited_corpus(tmp_path: Path) -> Path:
    """A small corpus with one actor that no article names yet, and the warnings that edits to an
    article's text can make or clear (unattributed quotations, actors never mentioned) turned on."""
    root = tmp_path / "site"
    generate(40, root, seed=11)
    _edit(root / "config.yaml", "unattributed_quote: ignore\n  orphan_actor: ignore",
          "unattributed_quote: warning\n  orphan_actor: warning")
    (root / "content/actors/ada-quillfeather.yaml").write_text(
        "id: ada-quillfeather\nkind: person\nname: Ada Quillfeather\nrole: Envoy\n", encoding="utf-8")
    return root


def test_edits_to_article_text_take_the_fast_path_and_match_clean_builds(edited_corpus: Path) -> None:
    """The preview passes the files its watcher saw change; an edit to articles' text is then
    relinked and re-rendered by delta. After each edit the outputs and the report must equal a
    clean build's, and edits the fast path cannot take must fall back to a full build."""
    root = edited_corpus
    cache = pipeline.BuildCache()
    pipeline.build(load_config(root), cache=cache)
    article, neighbour = root / "content/articles/article-00005.md", root / "content/articles/article-00006.md"
    speaker = re.search(r"in statement 5-0,” ([^.]+) said\.", article.read_text(encoding="utf-8"))
    assert speaker is not None
    quote = speaker.group(0)
    unattributed = "\n\n“A line nobody is credited with,” an official said.\n"
    meeting = f"\n\nAda Quillfeather met {speaker.group(1)} before the talks.\n"
    quotes = root / "content/quotes/article-00005.yaml"
    said_on = re.findall(r"said_on: '([^']+)'", quotes.read_text(encoding="utf-8"))[0]
    speakers = re.findall(r"speaker: (\S+)", quotes.read_text(encoding="utf-8"))
    assert len(set(speakers)) == 3
    steps = [
        ("one word", [article], True, lambda: _edit(article, "## A section heading", "## A section heading, reworded")),
        ("a first mention of an actor", [article], True,
         lambda: _edit(article, "## A section heading, reworded", "## A section heading, reworded" + meeting)),
        ("a quote's speaker no longer named by it", [article], True,
         lambda: _edit(article, quote, quote.replace(speaker.group(1), "the envoy"))),
        ("a quoted paragraph reworded", [article], True,
         lambda: _edit(article, "the envoy said.", "the envoy said on Monday.")),
        ("an unattributed quotation", [article], True,
         lambda: _edit(article, "## A section heading, reworded", "## A section heading, reworded" + unattributed)),
        ("the only mention of an actor removed", [article], True, lambda: _edit(article, meeting, "\n")),
        ("two articles at once", [article, neighbour], True,
         lambda: (_edit(article, "reworded", "reworded again"),
                  _edit(neighbour, "## A section heading", "## Heading"))),
        ("a quote's date", [quotes], True, lambda: _edit(quotes, f"said_on: '{said_on}'", "said_on: '2023-12-31'")),
        ("a recipient added to a quote, moving the lines after it", [quotes], True,
         lambda: _edit(quotes, "  article: article-00005\n",
                       "  article: article-00005\n  said_to: ada-quillfeather\n")),
        ("a quote's speaker", [quotes], True,
         lambda: _edit(quotes, f"speaker: {speakers[1]}", f"speaker: {speakers[2]}")),
        ("a quote's text shortened", [quotes], True, lambda: _edit(quotes, "in statement 5-2,", "in statement 5-2")),
        ("a quote added", [quotes], False, lambda: quotes.write_text(
            quotes.read_text(encoding="utf-8") + "- id: q-late\n  speaker: ada-quillfeather\n"
            "  text: A line nobody is credited with,\n  article: article-00005\n", encoding="utf-8")),
        ("front matter", [article], False, lambda: _edit(article, "title: 'Story number 5", "title: 'Tale number 5")),
        ("a new article", [root / "content/articles/article-09999.md"], False,
         lambda: (root / "content/articles/article-09999.md").write_text(
             "---\ntitle: A late story\ndate: '2024-03-01'\n---\n\nAda Quillfeather spoke.\n", encoding="utf-8")),
    ]
    for name, changed, fast, apply in steps:
        apply()
        result = pipeline.build(load_config(root), cache=cache, changed=[str(path) for path in changed])
        clean = pipeline.build(load_config(root))
        assert (result.touched is not None) == fast, f"{name}: fast path expected {fast}"
        assert list(result.outputs) == list(clean.outputs), name
        differing = [path for path in clean.outputs if result.outputs[path] != clean.outputs[path]]
        assert differing == [], f"after '{name}' these differ from a clean build: {differing[:5]}"
        assert result.report.diagnostics == clean.report.diagnostics, name
        assert result.site is not None and clean.site is not None
        for index in ("mentions", "related", "article_actors", "quote_anchors", "bodies"):
            assert list(getattr(result.site, index).items()) == list(getattr(clean.site, index).items()), (name, index)
        if name == "one word":
            # the feed carries summaries (feed: {content: summary}, the default), not the text
            assert sorted(result.touched or []) == ["articles/article-00005/index.html"]
        if name in ("a first mention of an actor", "the only mention of an actor removed"):
            assert "actors/ada-quillfeather/index.html" in (result.touched or [])
        codes = {d.code for d in result.report.diagnostics}
        if name in ("a first mention of an actor", "a recipient added to a quote, moving the lines after it"):
            assert "orphan-actor" not in codes
        if name == "a quote's date":  # shown by the speakers' pages, the quotes page, the timeline, home
            touched = set(result.touched or [])
            assert {"quotes/index.html", "timeline/index.html", "index.html"} <= touched, touched
            assert not touched & {"articles/index.html", "actors/index.html", "votes/index.html", "sitemap.xml",
                                  "search/index.html", "404.html", "feed.xml"}, touched
        if name == "a quote's speaker":
            assert {"actors/" + speakers[1] + "/index.html",
                    "actors/" + speakers[2] + "/index.html"} <= set(result.touched or [])
        if name == "the only mention of an actor removed":
            assert {"unattributed-quote", "orphan-actor"} <= codes, "the edits exercised no per-article warning"
    # Every page key the fast path kept must be what a full computation gives: a full build
    # with the same cache then finds nothing to render.
    assert pipeline.build(load_config(root), cache=cache).rendered == 0


def test_a_quote_broken_by_a_fast_edit_is_reported_and_a_fix_builds_in_full(edited_corpus: Path) -> None:
    root = edited_corpus
    cache = pipeline.BuildCache()
    pipeline.build(load_config(root), cache=cache)
    article, quotes = root / "content/articles/article-00005.md", root / "content/quotes/article-00005.yaml"
    # Two more lines before the last quote, through the fast path: its error must still point at its line.
    _edit(quotes, "  article: article-00005\n",
          "  article: article-00005\n  said_to: ada-quillfeather\n  channel: radio\n")
    assert pipeline.build(load_config(root), cache=cache, changed=[str(quotes)]).touched is not None
    changed = [str(article)]
    _edit(article, "in statement 5-2,", "in a statement,")
    with pytest.raises(ContentError) as failure:
        pipeline.build(load_config(root), cache=cache, changed=changed)
    errors = [d for d in failure.value.report.diagnostics if d.severity.name == "ERROR"]
    assert [d.code for d in errors] == ["quote-not-in-article"]
    with pytest.raises(ContentError) as clean_failure:
        pipeline.build(load_config(root))
    assert failure.value.report.diagnostics == clean_failure.value.report.diagnostics
    assert errors[0].location.path.endswith("content/quotes/article-00005.yaml")
    _edit(article, "in a statement,", "in statement 5-2,")
    changed = [str(article)]
    fixed = pipeline.build(load_config(root), cache=cache, changed=changed)
    assert fixed.touched is None, "after a failed build the next one must be a full build"
    assert fixed.outputs == pipeline.build(load_config(root)).outputs
    again = pipeline.build(load_config(root), cache=cache, changed=changed)
    assert again.touched == [], "an unchanged file takes the fast path and renders nothing"


def test_pages_of_a_fast_build_whose_write_failed_are_written_by_the_next(edited_corpus: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = edited_corpus
    project = load_config(root, root / "site")
    cache = pipeline.BuildCache()
    pipeline.write(project, pipeline.build(project, cache=cache), cache, search=False)
    first, second = root / "content/articles/article-00005.md", root / "content/articles/article-00006.md"
    _edit(first, "## A section heading", "## A section heading, edit one")
    result = pipeline.build(project, cache=cache, changed=[str(first)])

    def no_space(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(write_module.os, "replace", no_space)
        with pytest.raises(OSError):
            pipeline.write(project, result, cache, search=False)
    _edit(second, "## A section heading", "## A section heading, edit two")
    result = pipeline.build(project, cache=cache, changed=[str(second)])
    assert result.touched is not None and "articles/article-00005/index.html" not in result.touched
    written = pipeline.write(project, result, cache, search=False)
    assert written is not None and "articles/article-00005/index.html" in written
    clean = pipeline.build_and_write(load_config(root, root / "clean"), search=False)
    assert clean.files
    for name in ["articles/article-00005/index.html", "articles/article-00006/index.html", "feed.xml"]:
        assert (root / "site" / name).read_bytes() == (root / "clean" / name).read_bytes(), name


def test_changed_since_read_names_inputs_whose_stamps_moved(edited_corpus: Path) -> None:
    """The preview gives the build the files its watcher saw differ from what the last build
    read, not only the saves that started it: a save just after the poll, or an edit undone
    while the last build ran, must still be read."""
    root = edited_corpus
    project = load_config(root)
    cache = pipeline.BuildCache()
    pipeline.build(project, cache=cache)
    stamps = {str(path): entry[0] for path, entry in cache.documents.items()}
    stamps[str(root / "config.yaml")] = (1, 1)  # not content: the watcher's own digests cover it
    assert pipeline.changed_since_read(cache, project, stamps) == []
    article, quotes = root / "content/articles/article-00005.md", root / "content/quotes/article-00005.yaml"
    stamps[str(article)] = (stamps[str(article)][0] + 1, stamps[str(article)][1])
    del stamps[str(quotes)]
    stamps[str(root / "content/articles/new.md")] = (5, 5)
    stamps[str(root / "content/raw/source.txt")] = (5, 5)  # the importer's copies are never built
    assert sorted(pipeline.changed_since_read(cache, project, stamps)) == sorted(
        [str(article), str(quotes), str(root / "content/articles/new.md")])


def test_a_template_rewritten_within_one_clock_tick_is_seen(corpus: Path) -> None:
    """Same size, same mtime (a coarse file system clock): the watcher's digests name the file,
    and the page keys follow the template's text, not its stat."""
    template = corpus / "templates/article.html"
    project = load_config(corpus)
    cache = pipeline.BuildCache()
    pipeline.build(project, cache=cache)
    status = template.stat()
    text = template.read_text(encoding="utf-8")
    assert "<div class=\"article-body" in text
    template.write_text(text.replace("<div class=\"article-body", "<div class=\"article-bodx"), encoding="utf-8")
    os.utime(template, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert template.stat().st_size == status.st_size
    result = pipeline.build(project, cache=cache, changed=[str(template)])
    assert any(b"article-bodx" in data for data in result.outputs.values())
    assert result.outputs == pipeline.build(load_config(corpus)).outputs
    template.write_text(text, encoding="utf-8")


def test_a_new_or_renamed_actor_renders_again_only_the_articles_that_may_name_it(
        edited_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every article is matched against every actor's names, but a changed name can only
    match in an article containing its first word: the others' Markdown is not rendered again."""
    from explainer import article_bodies

    root = edited_corpus
    rendered: list[str] = []
    render_jobs = article_bodies._render_jobs

    def counting(jobs: list, indices: object) -> list:  # type: ignore[type-arg]
        outcomes = render_jobs(jobs, indices)  # type: ignore[arg-type]
        rendered.extend(outcome.slug for outcome in outcomes)
        return outcomes

    monkeypatch.setattr(article_bodies, "_render_jobs", counting)
    cache = pipeline.BuildCache()
    pipeline.build(load_config(root), cache=cache)
    articles = sorted((root / "content/articles").glob("*.md"))
    (root / "content/actors/zorblax-quentin.yaml").write_text(
        "id: zorblax-quentin\nkind: person\nname: Zorblax Quentin\n", encoding="utf-8")
    rendered.clear()
    result = pipeline.build(load_config(root), cache=cache)
    assert rendered == [], "an actor no article names made articles render again"
    assert result.outputs == pipeline.build(load_config(root)).outputs
    _edit(articles[3], "## A section heading", "## A section heading\n\nZorblax Quentin arrived.")
    _edit(root / "content/actors/ada-quillfeather.yaml", "name: Ada Quillfeather", "name: Zorblax Quentin-Ada")
    rendered.clear()
    result = pipeline.build(load_config(root), cache=cache)
    assert rendered == [articles[3].stem], rendered
    clean = pipeline.build(load_config(root))
    assert result.outputs == clean.outputs and result.report.diagnostics == clean.report.diagnostics


def _same_stat_rewrite(path: Path, old: str, new: str) -> None:
    """Rewrite keeping size and mtime, as a coarse file system clock may."""
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    rewritten = text.replace(old, new, 1)
    assert rewritten != text and len(rewritten) == len(text)
    path.write_text(rewritten, encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


@pytest.mark.parametrize("case", ["base_url", "entity", "escape", "same stamp"])
def test_cached_articles_follow_what_they_cannot_see_in_their_text(edited_corpus: Path, case: str) -> None:
    """Regressions found by review: a quote's link follows the base path even in an article that
    names no actor; a new actor written with an entity or an escape in an article is found; a
    file the watcher names is read again even if its stamp did not move."""
    root = edited_corpus
    (root / "content/articles/lonely.md").write_text(
        "---\ntitle: Lonely\ndate: '2024-03-01'\n---\n\nSomeone said \u201chello there world\u201d. "
        "Caf&eacute; Noir and Foo\\_Bar were there.\n", encoding="utf-8")
    speaker = next(path.stem for path in sorted((root / "content/actors").glob("*.yaml"))
                   if "role: Role" in path.read_text(encoding="utf-8"))
    (root / "content/quotes/lonely.yaml").write_text(
        f"- id: q-lonely\n  speaker: {speaker}\n  text: hello there world\n  article: lonely\n"
        "  said_on: '2024-03-01'\n",
        encoding="utf-8")
    cache = pipeline.BuildCache()
    pipeline.build(load_config(root), cache=cache)
    changed = None
    if case == "base_url":
        _edit(root / "config.yaml", "base_url: /", "base_url: /sub/")
    elif case in ("entity", "escape"):
        name, actor_id = ("Café Noir", "cafe-noir") if case == "entity" else ("Foo_Bar", "foo-bar")
        (root / "content/actors" / f"{actor_id}.yaml").write_text(
            f"id: {actor_id}\nkind: person\nname: {name}\n", encoding="utf-8")
    else:
        actor = root / "content/actors" / f"{speaker}.yaml"
        _same_stat_rewrite(actor, "role: Role", "role: Rolf")
        changed = [str(actor)]
    result = pipeline.build(load_config(root), cache=cache, changed=changed)
    clean = pipeline.build(load_config(root))
    assert [name for name in clean.outputs if result.outputs.get(name) != clean.outputs[name]] == []
    assert result.report.diagnostics == clean.report.diagnostics


def test_index_pages_with_the_default_templates_follow_every_kind_of_edit(tmp_path: Path) -> None:
    # Each index page and generated file renders again when something it read changed
    # (record.py); after each edit all must equal a clean build.
    root = tmp_path / "site"
    generate(40, root, seed=5)
    assert not (root / "templates").exists()
    _edit(root / "config.yaml", "base_url: /", "base_url: https://news.example.org/")  # a sitemap is written
    cache = pipeline.BuildCache()
    pipeline.build(load_config(root), cache=cache)
    actors, name, quotes, speaker, other = _cast(root)
    edits = [
        ("actor name", lambda: _edit(actors[0], f"name: {name}", "name: Renamed Person")),
        ("actor role", lambda: _edit(actors[1], "role: ", "role: Acting ")),
        ("a quoted actor's name", lambda: _edit(root / f"content/actors/{speaker}.yaml", "name: ", "name: Quoted ")),
        ("vote title", lambda: _edit(root / "content/votes/vote-0001.yaml", "title: Resolution 1",
                                     "title: Resolution one, retitled")),
        ("article title", lambda: _edit(root / "content/articles/article-00004.md", "title: 'Story number 4",
                                        "title: 'Tale number 4")),
        ("quote speaker", lambda: _edit(quotes, f"speaker: {speaker}", f"speaker: {other}")),
        ("actor added", lambda: (root / "content/actors/zz-newcomer.yaml").write_text(
            "id: zz-newcomer\nkind: person\nname: Zorblax Quentin\n", encoding="utf-8")),
        ("a quote's recipient", lambda: _edit(quotes, "  article: article-00003\n",
                                              "  article: article-00003\n  said_to: zz-newcomer\n")),
        ("the recipient's name", lambda: _edit(root / "content/actors/zz-newcomer.yaml", "name: ", "name: Told ")),
        ("article file renamed (its slug)", lambda: _rename_article(root, "article-00035", "story-35")),
        ("article removed", lambda: (root / "content/articles/article-00007.md").unlink()
         or (root / "content/quotes/article-00007.yaml").unlink()),
    ]
    for edit, apply in edits:
        apply()
        _build_like_clean(root, cache, edit)


def test_a_quote_given_a_generated_member_state_fails_in_the_preview_as_in_a_build(edited_corpus: Path) -> None:
    # Member states no one annotated get pages from the UN list, but quotes may not name them
    # (a full link checks quotes before they exist); the preview's fast path must agree.
    cache = pipeline.BuildCache()
    first = pipeline.build(load_config(edited_corpus), cache=cache)
    assert first.site is not None and first.site.generated_actors
    state = sorted(first.site.generated_actors)[0]
    quotes = edited_corpus / "content/quotes/article-00005.yaml"
    speaker = re.findall(r"speaker: (\S+)", quotes.read_text(encoding="utf-8"))[0]
    _edit(quotes, f"speaker: {speaker}", f"speaker: {state}")
    for cached in (cache, None):
        with pytest.raises(ContentError) as raised:
            pipeline.build(load_config(edited_corpus), cache=cached, changed=[str(quotes)] if cached else None)
        assert [d.message for d in raised.value.report.diagnostics if d.code == "unknown-reference"] == [
            f"speaker '{state}' is not defined"], raised.value.report.diagnostics


def test_a_project_template_renders_again_exactly_when_what_it_read_changed(tmp_path: Path) -> None:
    # Nothing predicts what a template of the project's own reads: the renderer records it.
    root = tmp_path / "site"
    generate(30, root, seed=3)
    actors = sorted((root / "content/actors").glob("*.yaml"))
    shown, other = actors[0].stem, actors[1].stem
    (root / "templates").mkdir()
    (root / "templates/404.html").write_text(
        "{% extends 'base.html' %}{% block main %}<p>{{ site.actors['" + shown + "'].name }}</p>"
        "<p>{{ site.config.description }}</p>{% endblock %}\n", encoding="utf-8")
    cache = pipeline.BuildCache()
    pipeline.build(load_config(root), cache=cache)

    def rendered_after(edit: str, path: Path, old: str, new: str) -> set[str]:
        _edit(path, old, new)
        result, _ = _build_like_clean(root, cache, edit)
        return set(result.rendered_files)

    assert "404.html" in rendered_after("the actor it shows", actors[0], "name: ", "name: Shown ")
    assert "404.html" not in rendered_after("another actor", actors[1], "name: ", "name: Other ")
    # The home page and the site feed show the description too (an actor's feed does not); a site
    # without a host has no sitemap, which then reads nothing.
    assert rendered_after("the description", root / "config.yaml", "description: ",
                          "description: Redescribed ") == {"404.html", "index.html", "feed.xml"}
    # A setting no page reads (warnings' severity) renders nothing again.
    assert rendered_after("a setting", root / "config.yaml", "validation:\n",
                          "validation:\n  quote_without_date: ignore\n") == set()
    assert other != shown


def test_the_frozen_heap_belongs_to_the_cache_and_goes_with_it(tmp_path: Path) -> None:
    # gc.freeze is process-wide: a one-off build leaves nothing frozen; a build whose cache is
    # kept leaves its objects frozen in the cache's heap until released (#19 item 7).
    import gc

    from conftest_helpers import write_tiny

    root = write_tiny(tmp_path / "project")
    gc.unfreeze()
    pipeline.build(load_config(root))
    assert gc.get_freeze_count() == 0
    cache = pipeline.BuildCache()
    pipeline.build(load_config(root), cache=cache)
    assert cache.heap.frozen and gc.get_freeze_count() > 0
    cache.heap.release()
    assert not cache.heap.frozen and gc.get_freeze_count() == 0


def test_newsroom_edits_match_clean_builds(tmp_path: Path) -> None:
    """Corrections, redirects, drafts and the open data they feed, edited one after another on
    one cache: every output equals a clean build's (issue #20's inputs, #21's outputs)."""
    root = tmp_path / "site"
    generate(20, root, seed=11)
    cache = pipeline.BuildCache()
    _build_like_clean(root, cache, "first")
    article = sorted((root / "content" / "articles").glob("*.md"))[3]
    text = article.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n---\n")
    steps = [
        ("a correction", "\ncorrections:\n- {date: '2099-01-01', kind: update, text: A later note.}"),
        ("a redirect", "\nredirect_from: [articles/an-old-name/]"),
        ("a draft", "\ndraft: true"),
    ]
    extra = ""
    for name, lines in steps:
        extra += lines
        article.write_text(head + extra + "\n---\n" + rest, encoding="utf-8")
        _build_like_clean(root, cache, name)
    article.write_text(text, encoding="utf-8")
    _build_like_clean(root, cache, "all undone")
