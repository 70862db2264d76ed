"""``explainer new DIR``: a ready project that builds, passes check, and is never written over."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from explainer import __version__
from explainer.schema import generate
from explainer.yamlio import load_yaml

from conftest_helpers import run_cli
from test_workflow import describe, run_actionlint, run_check_jsonschema

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = ["content/articles/welcome.md", "content/actors/sam-editor.yaml", "content/actors/ukraine.yaml",
            "content/quotes/welcome.yaml", "content/votes/a-res-es-11-7.yaml"]
ALWAYS = ["config.yaml", ".gitignore", "requirements.txt", "templates/README.md", ".vscode/settings.json",
          ".github/workflows/pages.yml"] + [f".schemas/{name}" for name in generate()]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "my-site"
    run = run_cli("new", str(root))
    assert run.code == 0, run.err
    assert f"created {len(ALWAYS) + len(EXAMPLES)} files" in run.out
    return root


def test_new_project_has_every_file_and_builds_cleanly(project: Path) -> None:
    assert files_in(project) == set(ALWAYS + EXAMPLES)
    check = run_cli("check", "--root", str(project), "--strict")
    assert (check.code, check.err) == (0, "")
    build = run_cli("build", "--root", str(project), "--strict")
    assert (build.code, build.err) == (0, "")
    site = project / "site"
    article = (site / "articles" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert 'href="/actors/sam-editor/"' in article and "<q" in article
    assert (site / "votes" / "a-res-es-11-7" / "index.html").is_file()
    assert (site / "actors" / "ukraine" / "index.html").is_file()


def test_config_is_commented_and_names_the_language(tmp_path: Path) -> None:
    run = run_cli("new", str(tmp_path / "fr"), "--language", "fr")
    assert run.code == 0, run.err
    text = (tmp_path / "fr" / "config.yaml").read_text(encoding="utf-8")
    config = load_yaml(text, "config.yaml")
    assert config["language"] == "fr"
    assert {"title", "description", "base_url", "language", "deploy"} <= set(config)
    assert config["deploy"] == {"remote": "origin", "branch": "gh-pages"}
    assert text.count("\n#") >= 10, "every setting is explained in a comment"


def test_bare_project_has_no_examples_and_checks(tmp_path: Path) -> None:
    root = tmp_path / "bare"
    assert run_cli("new", str(root), "--bare").code == 0
    assert files_in(root) == set(ALWAYS)
    for folder in ("articles", "actors", "quotes", "votes"):
        assert (root / "content" / folder).is_dir()
    check = run_cli("check", "--root", str(root), "--strict")
    assert check.code == 0, check.err


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"mine")
    run = run_cli("new", str(tmp_path))
    assert run.code == 1
    assert "is not empty" in run.err and "--force" in run.err and "Traceback" not in run.err
    assert files_in(tmp_path) == {"notes.txt"}


def test_refuses_a_file_and_a_bad_language(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"x")
    assert run_cli("new", str(tmp_path / "file")).code == 1
    run = run_cli("new", str(tmp_path / "site"), "--language", "French!")
    assert run.code == 1 and "not a language code" in run.err
    assert not (tmp_path / "site").exists()


def test_force_adds_what_is_missing_and_overwrites_nothing(tmp_path: Path) -> None:
    mine = b"# my own settings\ntitle: Mine\nbase_url: /\n"
    (tmp_path / "config.yaml").write_bytes(mine)
    (tmp_path / "content" / "actors").mkdir(parents=True)
    (tmp_path / "content" / "actors" / "ukraine.yaml").write_bytes(b"id: ukraine\nkind: state\nname: Ukraine\n")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    stamps = {p: p.stat().st_mtime_ns for p in before}

    run = run_cli("new", str(tmp_path), "--force")

    assert run.code == 0, run.err
    assert "kept config.yaml (already there)" in run.out
    assert "kept content/actors/ukraine.yaml (already there)" in run.out
    for path, data in before.items():
        assert path.read_bytes() == data and path.stat().st_mtime_ns == stamps[path]
    assert files_in(tmp_path) == set(ALWAYS + EXAMPLES)


def test_schemas_and_editor_settings_point_at_real_files(project: Path) -> None:
    for name, text in generate().items():
        assert (project / ".schemas" / name).read_text(encoding="utf-8") == text
        assert (project / ".schemas" / name).read_bytes() == (REPO / "schemas" / name).read_bytes()
    settings: dict[str, Any] = json.loads((project / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema, pattern in settings["yaml.schemas"].items():
        assert (project / schema).is_file(), schema
        assert list(project.glob(pattern)), f"{pattern} matches no file of the new project"
    for relative in [*EXAMPLES, "config.yaml"]:
        if not relative.endswith(".yaml"):
            continue
        path = project / relative
        text = path.read_text(encoding="utf-8")
        match = MODELINE.search(text.splitlines()[0])
        assert match, f"{relative} has no yaml-language-server line"
        schema = json.loads((path.parent / match.group(1)).read_text(encoding="utf-8"))
        # The editor's view must agree with the build's: each example is valid for its schema.
        jsonschema.validate(load_yaml(text, relative), schema)


def test_workflow_installs_the_pinned_release_and_builds_with_the_pages_address(project: Path,
                                                                                tmp_path: Path) -> None:
    workflow = project / ".github" / "workflows" / "pages.yml"
    result = run_check_jsonschema(workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    findings = run_actionlint(workflow)
    assert findings == [], describe(findings)
    assert f"explainer=={__version__}\n" in (project / "requirements.txt").read_text(encoding="utf-8")
    steps = load_yaml(workflow.read_text(encoding="utf-8"), "pages.yml")["jobs"]["build"]["steps"]
    runs = [step for step in steps if "run" in step]
    assert "pip install -r requirements.txt" in runs[0]["run"]
    # Run the workflow's own commands, with `explainer` being this checkout's CLI.
    shim = tmp_path / "bin" / "explainer"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{REPO / "build.py"}" "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(REPO),
           "PAGES_BASE_URL": "https://owner.github.io/my-site"}
    for step in runs[1:]:
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=project, env=env, capture_output=True,
                              text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    index = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="/my-site/actors/' in index or 'href="https://owner.github.io/my-site/actors/' in index


def test_gitignore_keeps_output_and_cache_out(project: Path) -> None:
    lines = (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/site/" in lines and "/.explainer-cache/" in lines
