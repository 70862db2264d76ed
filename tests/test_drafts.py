"""Drafts and embargoes (issue #20, part 2): nothing held leaks into build or deploy output, the
preview shows it marked, check lists it, and an embargo ends by itself."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import time
from pathlib import Path

import pytest

from explainer import pipeline
from explainer.config import load_config

from conftest_helpers import copy_example, edit, line_of, run_cli

SECRET = "Quokkaville"  # a word that exists only in held content
DRAFT_ARTICLE = f"""\
---
title: The {SECRET} memo
date: 2025-03-01
draft: true
---

Emmanuel Macron flew to {SECRET} on Monday. “We will not be rushed into a bad deal,” Macron said.
"""
EMBARGOED = """\
---
title: The embargoed {word} story
date: 2025-03-02
publish_at: {when}
---

Vladimir Putin spoke about {word} again.
"""
MACRON = "id: emmanuel-macron\nkind: person\nname: Emmanuel Macron\naliases: [Macron]\nrole: President of France\n"
DRAFT_QUOTES = f"""\
- id: macron-not-rushed
  speaker: emmanuel-macron
  text: We will not be rushed into a bad deal,
  article: the-{SECRET.lower()}-memo
"""


def with_held_content(root: Path, embargo: dt.datetime) -> Path:
    (root / "content/articles/the-quokkaville-memo.md").write_text(DRAFT_ARTICLE, encoding="utf-8")
    (root / "content/actors/emmanuel-macron.yaml").write_text(MACRON, encoding="utf-8")
    (root / "content/quotes/the-quokkaville-memo.yaml").write_text(DRAFT_QUOTES, encoding="utf-8")
    (root / "content/articles/embargoed.md").write_text(
        EMBARGOED.format(word="Wombatfield", when=embargo.isoformat()), encoding="utf-8")
    return root


def every_text(folder: Path) -> dict[str, str]:
    """Every output file as text, Pagefind's gzipped index files unpacked, so a grep sees all."""
    texts = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        texts[path.relative_to(folder).as_posix()] = data.decode("utf-8", errors="replace")
    return texts


def future() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=30)


def test_nothing_held_reaches_the_built_site(tmp_path: Path) -> None:
    root = with_held_content(copy_example(tmp_path / "project"), future())
    edit(root, "content/quotes/putin-us-relations-trump.yaml", "- id: peskov-much-damage\n",
         "- id: peskov-much-damage\n  draft: true\n")
    run = run_cli("build", "--root", str(root))
    assert run.code == 0, run.err
    texts = every_text(root / "site")
    assert any(name.startswith("pagefind/") for name in texts), "the search index is part of the grep"
    for word in (SECRET, "Wombatfield", "emmanuel-macron", "Emmanuel Macron", "peskov-much-damage"):
        leaks = [name for name, text in texts.items() if word in text]
        assert leaks == [], f"{word!r} leaked into {leaks[:5]}"
    assert not (root / "site/actors/emmanuel-macron").exists()
    assert (root / "site/articles/putin-us-relations-trump/index.html").is_file()
    assert "held back, not published (5):" in run.out
    assert "content/articles/embargoed.md: article embargoed: embargoed until" in run.out
    assert "actor emmanuel-macron: named only by held content" in run.out
    assert "the next embargo ends at" in run.out


def test_check_lists_held_content_with_its_times(tmp_path: Path) -> None:
    when = future().replace(microsecond=0)
    root = with_held_content(copy_example(tmp_path / "project"), when)
    run = run_cli("check", "--root", str(root))
    assert run.code == 0, run.err
    assert "content/articles/the-quokkaville-memo.md: article the-quokkaville-memo: draft" in run.out
    assert f"embargoed until {when.isoformat()}" in run.out


def test_the_preview_shows_held_content_with_a_banner_and_no_drafts_leaves_it_out(tmp_path: Path) -> None:
    root = with_held_content(copy_example(tmp_path / "project"), future())
    project = dataclasses.replace(load_config(root), show_held=True)
    shown = pipeline.build(project).outputs
    page = shown["articles/the-quokkaville-memo/index.html"].decode("utf-8")
    assert 'class="held-banner"' in page and "Not published:</strong> draft" in page
    actor = shown["actors/emmanuel-macron/index.html"].decode("utf-8")
    assert "Not published:</strong> named only by held content" in actor
    assert 'class="held-banner"' not in shown["articles/putin-us-relations-trump/index.html"].decode("utf-8")
    public = pipeline.build(load_config(root)).outputs
    assert "articles/the-quokkaville-memo/index.html" not in public
    assert not any(SECRET.encode() in data for data in public.values())


def test_an_embargo_ends_by_itself(tmp_path: Path) -> None:
    # The embargo must outlast the two builds that check it holds: on a busy machine a build can
    # take longer than 15 s, so start again with a longer one rather than assert on a lapsed one.
    wait = 15
    while True:
        when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait)
        root = with_held_content(copy_example(tmp_path / f"project-{wait}"), when)
        first = run_cli("build", "--root", str(root))
        again = run_cli("build", "--root", str(root))
        if dt.datetime.now(dt.UTC) < when - dt.timedelta(seconds=1) or wait > 600:
            break
        wait *= 4
    assert first.code == 0
    assert "up to date" in again.out, "nothing changed and the embargo still holds"
    assert not (root / "site/articles/embargoed").exists()
    time.sleep(max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds()) + 0.5)
    later = run_cli("build", "--root", str(root))
    assert "up to date" not in later.out
    assert (root / "site/articles/embargoed/index.html").is_file()


def test_a_public_quote_by_a_draft_actor_is_an_error_where_it_is_named(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    edit(root, "content/actors/dmitry-peskov.yaml", "kind: person", "kind: person\ndraft: true")
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    line = line_of(root, "content/quotes/putin-us-relations-trump.yaml", "speaker: dmitry-peskov")
    assert f"content/quotes/putin-us-relations-trump.yaml:{line}:" in run.err
    assert "which is a draft" in run.err


@pytest.mark.parametrize(("value", "phrase"), [
    ("2025-03-01T09:00:00", "timezone"),
    ("tomorrow", "datetime"),
    ("2025-13-01T09:00:00+01:00", "datetime"),
])
def test_a_bad_embargo_time_is_an_error_at_its_line(tmp_path: Path, value: str, phrase: str) -> None:
    root = copy_example(tmp_path / "project")
    edit(root, "content/articles/putin-us-relations-trump.md", "date: 2025-02-25",
         f"date: 2025-02-25\npublish_at: '{value}'")
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    line = line_of(root, "content/articles/putin-us-relations-trump.md", "publish_at:")
    assert f"content/articles/putin-us-relations-trump.md:{line}:" in run.err
    assert phrase in run.err.lower()


def test_a_held_vote_leaves_no_trace(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    edit(root, "content/votes/a-res-es-11-8.yaml", "result:", "unpublished: true\nresult:")
    assert run_cli("build", "--root", str(root)).code == 0
    texts = every_text(root / "site")
    assert not (root / "site/votes/a-res-es-11-8").exists()
    # The symbol may still stand in article text (and link to the UN library); the vote's own id not.
    assert not [name for name, text in texts.items() if "a-res-es-11-8" in text]
