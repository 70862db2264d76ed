"""config.yaml: every setting checked at its line (issue #17 findings 12 and 13, issue #19 item 4)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest_helpers import copy_example, edit, line_of, run_cli
from test_bad_input import CONFIG, assert_error, check

PROFILES = """\
import:
  profiles:
    cryptopolitan:
      name: Cryptopolitan
      match: 'cryptopolitan\\.com'
      drop: ['^Cryptopolitan Academy:']
      captions: 'Source: (The Washington Post|Foreign Policy)$'
      end: ['^Disclaimer:']
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_example(tmp_path / "project")
    text = (root / CONFIG).read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if not line.startswith("import:")]
    (root / CONFIG).write_text("\n".join(lines).rstrip("\n") + "\n" + PROFILES, encoding="utf-8")
    return root


def test_valid_profiles_check_clean(project: Path) -> None:
    run = check(project)
    assert run.code == 0, run.err


@pytest.mark.parametrize(("value", "phrase"), [
    ('"/a\\"<>\'/"', "quotes, angle brackets"),
    ("'/repo /'", "leave out spaces"),
    ('"https://example.org/x\\x01/"', "U+0001"),
    ("/repo", "end it with '/'"),
    ("https://editor:secret@example.org/", "user:password@"),
])
def test_base_url_is_a_clean_path_or_url(project: Path, value: str, phrase: str) -> None:
    edit(project, CONFIG, "base_url: /", f"base_url: {value}")
    assert_error(check(project), CONFIG, line_of(project, CONFIG, "base_url:"), phrase)


def test_base_url_override_is_held_to_the_same_rule(project: Path) -> None:
    run = check(project, "--base-url", "/a\"<script>/")
    assert run.code == 1 and "--base-url" in run.err
    run = check(project, "--base-url", "https://editor:secret@example.org/")
    assert run.code == 1 and "user:password@" in run.err


@pytest.mark.parametrize("value", ["English!", "EN", "e", "en_GB"])
def test_language_gets_its_own_rule_and_hint(project: Path, value: str) -> None:
    edit(project, CONFIG, "language: en", f"language: {value}")
    run = check(project)
    assert_error(run, CONFIG, line_of(project, CONFIG, "language:"), "BCP 47")
    assert "vladimir-putin" not in run.err


@pytest.mark.parametrize("value", ["fr", "pt-BR", "zh-Hant-TW"])
def test_language_tags_are_accepted(project: Path, value: str) -> None:
    edit(project, CONFIG, "language: en", f"language: {value}")
    assert check(project).code == 0


def test_misspelt_profile_key_is_named_with_a_suggestion(project: Path) -> None:
    edit(project, CONFIG, "      drop:", "      dorp:")
    run = check(project)
    assert_error(run, CONFIG, line_of(project, CONFIG, "dorp:"), "did you mean 'drop'")


def test_every_profile_problem_in_one_run(project: Path) -> None:
    edit(project, CONFIG, "match: 'cryptopolitan\\.com'", "match: 'cryptopolitan(\\.com'")
    edit(project, CONFIG, "['^Disclaimer:']", "['^Disclaimer:', '^(a+)+$']")
    edit(project, CONFIG, "      name: Cryptopolitan\n", "")
    run = check(project)
    assert_error(run, CONFIG, line_of(project, CONFIG, "match:"), "bad regular expression")
    assert_error(run, CONFIG, line_of(project, CONFIG, "end:"), "unsafe regular expression")
    assert_error(run, CONFIG, line_of(project, CONFIG, "cryptopolitan:"), "required field 'name'")


def test_profiles_with_a_bad_key_stop_the_importer_too(project: Path, tmp_path: Path) -> None:
    edit(project, CONFIG, "      drop:", "      dorp:")
    story = tmp_path / "story.txt"
    story.write_text("Title\n\nSome text of a story that is long enough to import.\n", encoding="utf-8")
    run = run_cli("import", str(story), "--root", str(project), "--date", "2025-02-25", "--dry-run")
    assert run.code == 1 and "did you mean 'drop'" in run.err, run.err


def test_config_link_out_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    (tmp_path / "their-config.yaml").write_bytes((project / CONFIG).read_bytes())
    os.remove(project / CONFIG)
    (project / CONFIG).symlink_to(tmp_path / "their-config.yaml")
    run = check(project)
    assert run.code == 1 and "config.yaml is a symbolic link to" in run.err, run.err
