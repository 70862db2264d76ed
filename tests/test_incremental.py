"""Incremental builds: after every kind of edit, the output equals a clean build's, byte for byte."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from explainer import pipeline
from explainer.config import load_config

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate  # noqa: E402


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # Some filesystems keep mtimes coarse: make sure the edit is seen as a change.
    stamp = time.time_ns() + 1_000_000_000
    import os

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


def test_incremental_builds_match_clean_builds_after_each_edit(corpus: Path) -> None:
    cache = pipeline.BuildCache()
    first = pipeline.build(load_config(corpus), cache=cache)
    total = len(first.outputs)
    assert first.outputs == _clean(corpus)

    unchanged = pipeline.build(load_config(corpus), cache=cache)
    assert unchanged.outputs == first.outputs
    assert unchanged.rendered == 0, "nothing changed, yet pages were rendered again"

    actors = sorted((corpus / "content/actors").glob("*.yaml"))
    first_actor = actors[0].read_text(encoding="utf-8").split("name: ", 1)[1].split("\n", 1)[0]
    quotes = corpus / "content/quotes/article-00003.yaml"
    speaker = quotes.read_text(encoding="utf-8").split("speaker: ", 1)[1].split("\n", 1)[0]
    other = actors[-1].stem if actors[-1].stem != speaker else actors[-2].stem
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
        incremental = pipeline.build(load_config(corpus), cache=cache)
        clean = _clean(corpus)
        assert sorted(incremental.outputs) == sorted(clean), name
        differing = [path for path in clean if incremental.outputs[path] != clean[path]]
        assert differing == [], f"after the {name} edit these differ from a clean build: {differing[:5]}"
        if name == "template":
            articles = sum(1 for path in clean if path.startswith("articles/") and path.count("/") == 2)
            assert incremental.rendered == articles, "a change to article.html re-renders article pages only"
        if name in ("one word of an article", "article text"):
            assert incremental.rendered < total / 4, f"an article edit re-rendered {incremental.rendered} of {total}"
