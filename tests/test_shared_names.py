"""A name or alias two actors claim (issue #20.5): an error naming both files, unless an
article's aliases: settles which actor the name means there."""

from __future__ import annotations

from pathlib import Path

from conftest_helpers import copy_example, edit, line_of, run_cli


def test_an_alias_claimed_by_two_actors_is_an_error_naming_both(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    edit(root, "content/actors/dmitry-peskov.yaml", "- Peskov", "- Peskov\n- Putin")
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    line = line_of(root, "content/actors/vladimir-putin.yaml", "- Putin")
    assert (f"content/actors/vladimir-putin.yaml:{line}:" in run.err
            and "'Putin' names both 'dmitry-peskov' (content/actors/dmitry-peskov.yaml) and 'vladimir-putin'"
            in run.err), run.err


def test_an_article_that_says_which_actor_it_means_settles_it(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    edit(root, "content/actors/dmitry-peskov.yaml", "- Peskov", "- Peskov\n- Putin")
    edit(root, "content/articles/putin-us-relations-trump.md", "date: 2025-02-25",
         "date: 2025-02-25\naliases: {Putin: vladimir-putin}")
    run = run_cli("check", "--root", str(root))
    assert run.code == 0, run.err
