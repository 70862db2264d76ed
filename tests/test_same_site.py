"""Templates see the same site in build, check, serve and deploy (#18 item 5).

A project template reaching through ``site.*`` either renders the same bytes in all four, or
fails in all four with the same message: articles come without their Markdown everywhere
(templates read the HTML, ``site.bodies``), so ``site.articles[slug].body`` always fails.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from explainer.cli import report_lines
from explainer.config import load_config
from explainer.preview.server import Preview

from conftest_helpers import run_cli, write_tiny

READS_THE_HTML = "{% extends 'base.html' %}{% block main %}{{ site.bodies['tiny'].html | safe }}" \
                 "<p>{{ site.articles['tiny'].meta.title }}</p>{% endblock %}\n"
READS_THE_MARKDOWN = "{% extends 'base.html' %}{% block main %}\n{{ site.articles['tiny'].body }}{% endblock %}\n"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny project in a git repository with a bare origin, so that deploy can publish."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "test@example.org")
    root = write_tiny(tmp_path / "project")
    (root / "templates").mkdir()
    (root / ".gitignore").write_text("site/\n.explainer-cache/\n", encoding="utf-8")
    _git(tmp_path, "init", "--quiet", "--bare", str(tmp_path / "origin.git"))
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "remote", "add", "origin", str(tmp_path / "origin.git"))
    return root


def _use_template(root: Path, text: str) -> None:
    (root / "templates/404.html").write_text(text, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "--quiet", "--allow-empty", "-m", "content")


def _template_errors(lines: list[str]) -> list[str]:
    return [line for line in lines if "templates/404.html" in line]


def _in_four_modes(root: Path) -> dict[str, tuple[int, list[str], bytes | None]]:
    """Exit code, the template's diagnostics and the page, from each mode."""
    page = root / "site/404.html"
    found = {}
    for mode, argv in (("build", ["build", "--force"]), ("check", ["check"]), ("deploy", ["deploy"])):
        page.unlink(missing_ok=True)
        run = run_cli(*argv, "--root", str(root))
        found[mode] = (run.code, _template_errors(run.err.splitlines()),
                       page.read_bytes() if page.exists() and mode != "check" else None)
    page.unlink(missing_ok=True)
    outcome = Preview(load_config(root)).build_now()
    found["serve"] = (0 if outcome.ok else 1, _template_errors(report_lines(outcome.report)),
                      page.read_bytes() if page.exists() else None)
    return found


def test_a_template_reading_the_html_through_site_renders_the_same_everywhere(project: Path) -> None:
    _use_template(project, READS_THE_HTML)
    found = _in_four_modes(project)
    assert {mode: code for mode, (code, _, _) in found.items()} == dict.fromkeys(found, 0)
    page = found["build"][2]
    assert page is not None and b"<p>A tiny article</p>" in page and b"Vladimir Putin" in page
    assert found["serve"][2] == page and found["deploy"][2] == page


def test_a_template_reading_the_markdown_through_site_fails_the_same_everywhere(project: Path) -> None:
    _use_template(project, READS_THE_MARKDOWN)
    found = _in_four_modes(project)
    assert {mode: code for mode, (code, _, _) in found.items()} == dict.fromkeys(found, 1)
    messages = {mode: errors for mode, (_, errors, _) in found.items()}
    assert messages["build"] and all(errors == messages["build"] for errors in messages.values()), messages
    assert "templates/404.html:2" in messages["build"][0] and "body" in messages["build"][0]
    assert all(page is None for _, _, page in found.values())
