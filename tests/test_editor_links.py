"""Every editor's link checked in every build (#20.4): links written in articles and in YAML text
to the site's own pages and anchors are resolved against the site being built, a broken one is an
error at its file, line and column with the closest page or anchor, and links to the site itself
are written out under the base path."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from explainer import pipeline
from explainer.config import load_config
from explainer.errors import ContentError, Diagnostic

from conftest_helpers import copy_example, edit, line_of, run_cli, site_bytes

ARTICLE = "content/articles/putin-us-relations-trump.md"
QUOTES = "content/quotes/putin-us-relations-trump.yaml"
SECOND = "content/articles/second-look.md"
HEADING = "## At the UN, Washington shifts, Europe panics"
HEADING_ID = "h-at-the-un-washington-shifts-europe-panics"
FIRST_LINE = "The Kremlin is keeping things measured."


def _second(root: Path, body: str) -> None:
    (root / SECOND).write_text(f"---\ntitle: A second look\ndate: 2025-02-26\n---\n\n{body}\n", encoding="utf-8")


def _links(root: Path, links: str) -> None:
    edit(root, ARTICLE, FIRST_LINE, f"{FIRST_LINE} {links}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


def test_broken_links_of_every_kind_are_errors_at_their_place(project: Path) -> None:
    assert run_cli("build", "--root", str(project)).code == 0
    before = site_bytes(project / "site")
    _second(project, "See [the UN section](../putin-us-relations-trump/#h-at-the-un-washington-shifts-europ).\n\n"
                     "And [Lavrov](/actors/sergey-lavrof/) and [the story](https://example.org/articles/x/).")
    _links(project, "[Putin](/actors/vladimir-putn/) [here](#p-nowhere) [votes](/votes/a-res-es-11-7)")
    run = run_cli("build", "--root", str(project), "--base-url", "https://example.org/")
    assert run.code == 1, run.err
    found = {(d["path"], d["message"]) for d in run.diagnostics()}
    line = line_of(project, ARTICLE, FIRST_LINE)
    text = (project / ARTICLE).read_text(encoding="utf-8").split("\n")[line - 1]
    by_message = {d["message"]: d for d in run.diagnostics()}
    putin = by_message["link '/actors/vladimir-putn/' points to no page of the site "
                       "(did you mean '/actors/vladimir-putin/'?)"]
    column = text.index("/actors/vladimir-putn/") + 1
    assert (putin["path"], int(putin["line"]), int(putin["col"])) == (ARTICLE, line, column)
    assert (ARTICLE, "link '/votes/a-res-es-11-7' points to no page of the site "
                     "(did you mean '/votes/a-res-es-11-7/'?)") in found
    assert (ARTICLE, "link '#p-nowhere': page /articles/putin-us-relations-trump/ has no anchor '#p-nowhere'") in found
    assert (SECOND, "link '../putin-us-relations-trump/#h-at-the-un-washington-shifts-europ': page "
                    "/articles/putin-us-relations-trump/ has no anchor '#h-at-the-un-washington-shifts-europ' "
                    f"(did you mean '#{HEADING_ID}'?)") in found
    assert (SECOND, "link '/actors/sergey-lavrof/' points to no page of the site "
                    "(did you mean '/actors/sergey-lavrov/'?)") in found
    assert any(d["path"] == SECOND and "articles/x/" in d["message"] for d in run.diagnostics()), \
        "an absolute URL of the site itself is checked too"
    assert site_bytes(project / "site") == before, "a failed build leaves site/ as it was"


def test_links_to_the_site_are_written_under_the_base_path(project: Path) -> None:
    _second(project, f"See [the UN section](../putin-us-relations-trump/#{HEADING_ID}), "
                     "[Lavrov](/actors/sergey-lavrov/), "
                     "[the home page](https://example.org/repo/), [elsewhere](https://example.com/actors/x/), "
                     "[the feed](/feed.xml) and [below](#top-of-nothing-checked-here).")
    edit(project, SECOND, "[below](#top-of-nothing-checked-here).", "[mail](mailto:desk@example.org).")
    run = run_cli("build", "--root", str(project), "--base-url", "https://example.org/repo/")
    assert run.code == 0, run.err
    html = (project / "site/articles/second-look/index.html").read_text(encoding="utf-8")
    assert f'<a href="/repo/articles/putin-us-relations-trump/#{HEADING_ID}">the UN section</a>' in html
    assert '<a href="/repo/actors/sergey-lavrov/">Lavrov</a>' in html
    assert '<a href="/repo/">the home page</a>' in html
    assert '<a href="https://example.com/actors/x/">elsewhere</a>' in html
    assert '<a href="/repo/feed.xml">the feed</a>' in html
    assert '<a href="mailto:desk@example.org">mail</a>' in html
    target = (project / "site/articles/putin-us-relations-trump/index.html").read_text(encoding="utf-8")
    assert f'id="{HEADING_ID}"' in target


def test_links_in_yaml_text_are_checked_and_rendered(project: Path) -> None:
    edit(project, QUOTES, "context: Said on Tuesday, the day of the article.",
         "context: Said again [to TASS](/actors/tass/) and [in the story](/articles/putin-us-relations-trump/).")
    assert run_cli("build", "--root", str(project), "--base-url", "/repo/").code == 0
    html = (project / "site/actors/dmitry-peskov/index.html").read_text(encoding="utf-8")
    assert 'Said again <a href="/repo/actors/tass/">to TASS</a>' in html
    edit(project, QUOTES, "(/actors/tass/)", "(/actors/tas/)")
    edit(project, QUOTES, "(/articles/putin-us-relations-trump/)", "(../putin-us-relations-trump/)")
    run = run_cli("check", "--root", str(project))
    assert run.code == 1
    line = line_of(project, QUOTES, "Said again")
    messages = {(d["path"], int(d["line"]), d["message"]) for d in run.diagnostics()}
    assert (QUOTES, line, "link '/actors/tas/' points to no page of the site "
                          "(did you mean '/actors/tass/'?)") in messages
    assert (QUOTES, line, "link '../putin-us-relations-trump/' is relative, but this text is shown on several pages") \
        in messages


def _touch(path: Path) -> None:
    stamp = time.time_ns() + 2_000_000_000  # coarse clocks: the edit is seen as a change
    os.utime(path, ns=(stamp, stamp))


def test_an_edit_that_breaks_or_heals_a_link_elsewhere_gives_the_clean_result(project: Path) -> None:
    """The link is in one article, its anchor in another: editing only the target (the quick
    path of text edits) must break and heal the link exactly as a clean build does."""
    _second(project, f"See [the UN section](/articles/putin-us-relations-trump/#{HEADING_ID}).")
    cache = pipeline.BuildCache()
    pipeline.build(load_config(project), cache=cache)
    edit(project, ARTICLE, HEADING, "## At the UN, Washington moves")
    errors = _quick_errors_as_clean(project, cache, ARTICLE)
    assert any(d.location.path == SECOND and HEADING_ID in d.message for d in errors)
    edit(project, ARTICLE, "## At the UN, Washington moves", HEADING)
    _touch(project / ARTICLE)
    healed = pipeline.build(load_config(project), cache=cache, changed=[str(project / ARTICLE)])
    assert not healed.report.errors
    assert healed.outputs == pipeline.build(load_config(project), cache=pipeline.BuildCache()).outputs


@pytest.mark.parametrize(("href", "expected"), [
    ("#p-1", ("#p-1", "articles/a/", "p-1")),
    ("#", ("#", "articles/a/", "")),
    ("../b/", ("/repo/articles/b/", "articles/b/", "")),
    ("/actors/x/#quote-q", ("/repo/actors/x/#quote-q", "actors/x/", "quote-q")),
    ("https://example.org/repo", ("/repo/", "", "")),
    ("https://example.org/repo/votes/v/", ("/repo/votes/v/", "votes/v/", "")),
    ("https://example.org/other/", None),
    ("https://example.com/repo/x/", None),
    ("http://[broken", None),
    ("mailto:desk@example.org", None),
])
def test_how_a_link_is_resolved(href: str, expected: tuple[str, str, str] | None) -> None:
    from explainer.editorlinks import SiteLinks

    found = SiteLinks("https://example.org/repo/", "articles/a/")(href)
    assert (found if found is None else (found.href, found.target, found.fragment)) == expected


def test_a_quick_edit_of_quotes_checks_their_links_again(project: Path) -> None:
    """The preview keeps each object's YAML links between quick rebuilds (linkcheck.LinkCheckMemo):
    an edited quote's context is checked again, as a clean build checks it."""
    context = "  context: The article says Peskov spoke on Monday"
    cache = pipeline.BuildCache()
    pipeline.build(load_config(project), cache=cache)
    edit(project, QUOTES, context, "  context: See [the Kremlin](/actors/kremlin-nobody/). " + context[11:])
    assert any("kremlin-nobody" in d.message for d in _quick_errors_as_clean(project, cache, QUOTES))


def _quick_errors_as_clean(project: Path, cache: pipeline.BuildCache, edited: str) -> list[Diagnostic]:
    """The errors of the quick rebuild after editing ``edited``, checked to be a clean build's."""
    _touch(project / edited)
    with pytest.raises(ContentError) as quick:
        pipeline.build(load_config(project), cache=cache, changed=[str(project / edited)])
    with pytest.raises(ContentError) as clean:
        pipeline.build(load_config(project))
    assert [d.format() for d in quick.value.report.sorted()] == [d.format() for d in clean.value.report.sorted()]
    return quick.value.report.errors
