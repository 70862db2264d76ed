"""Every template error of a run reported in one go, with the warnings of the content (issue
#19, item 4): a template error used to stop the run at once and hide everything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest_helpers import copy_example, line_of, run_cli
from test_bad_input import ARTICLE, add_unattributed_quote, check


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project", templates=True)


def break_template(root: Path, name: str, after: str, broken: str) -> int:
    """Insert ``broken`` after the first line holding ``after``; returns the line it is on."""
    path = root / "templates" / name
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if after in line) + 1
    lines.insert(index, broken)
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def test_two_broken_templates_and_a_warning_in_one_run(project: Path) -> None:
    warning_line = add_unattributed_quote(project)
    actor_line = break_template(project, "actor.html", "{% block", "{% if %}")
    vote_line = break_template(project, "vote.html", "{% block", "{{ vote.title }")
    run = check(project)
    assert run.code == 1, run.err
    found = {(d["path"], int(d["line"]), d["severity"]) for d in run.diagnostics()}
    assert ("templates/actor.html", actor_line, "error") in found, run.err
    assert ("templates/vote.html", vote_line, "error") in found, run.err
    assert (ARTICLE, warning_line, "warning") in found, run.err
    assert run.err.strip().splitlines()[-1] == "2 errors, 1 warning", run.err


def test_undefined_names_in_two_templates_each_reported_once(project: Path) -> None:
    actor_line = break_template(project, "actor.html", "{% block", "{{ no_such_thing.here }}")
    article_line = break_template(project, "article.html", "{% block", "{{ article.nonexistent_field.x }}")
    run = run_cli("build", "--root", str(project))
    assert run.code == 1, run.err
    errors = [d for d in run.diagnostics() if d["severity"] == "error"]
    assert {(d["path"], int(d["line"])) for d in errors} == {("templates/actor.html", actor_line),
                                                            ("templates/article.html", article_line)}, run.err
    actor = next(d for d in errors if d["path"] == "templates/actor.html")
    assert "other pages" in actor["message"], run.err  # every actor page broke, reported once
    assert not (project / "site").exists()


def test_a_broken_partial_is_reported_once_with_its_line(project: Path) -> None:
    partials = sorted((project / "templates/partials").glob("*.html"))
    assert partials
    partial = partials[0]
    partial.write_text(partial.read_text(encoding="utf-8") + "\n{% endfor %}{# broken #}\n", encoding="utf-8")
    run = check(project)
    assert run.code == 1, run.err
    relative = partial.relative_to(project).as_posix()
    lines = [d for d in run.diagnostics() if d["path"] == relative]
    assert len(lines) == 1 and int(lines[0]["line"]) == line_of(project, relative, "{# broken #}"), run.err


def test_an_include_of_a_missing_template_names_the_line_that_includes_it(project: Path) -> None:
    line = break_template(project, "actor.html", "{% block", '{% include "partials/nowhere.html" %}')
    run = check(project)
    assert run.code == 1, run.err
    found = {(d["path"], int(d["line"])) for d in run.diagnostics() if "nowhere.html" in d["message"]}
    assert found == {("templates/actor.html", line)}, run.err
