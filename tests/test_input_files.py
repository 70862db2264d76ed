"""What the build reads from the file system (issue #17, findings 3, 4, 7 and 9).

Never through a link out of the project, never a FIFO or device, never a dangling link, never
a folder skipped without a word: each is an error naming the link or file, exit code 1 (not a
hang, a traceback or exit 3). Links that stay inside the project are followed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest_helpers import REPO, copy_example, run_cli, site_bytes
from test_bad_input import ACTOR, ARTICLE, assert_error, check


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project", templates=True)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret file outside the project."""
    secret = tmp_path / "secret.txt"
    secret.write_text("top-secret-value\n", encoding="utf-8")
    return secret


def check_in_subprocess(root: Path, command: str = "check") -> subprocess.CompletedProcess[str]:
    """For inputs that blocked the old code forever: a timeout fails the test instead of hanging it."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), command, "--root", str(root)],
                          capture_output=True, text=True, timeout=120, cwd=REPO, check=False)


# --- content/ -----------------------------------------------------------------------------------


def test_dangling_symlink_in_content_is_named(project: Path) -> None:
    (project / "content/actors/ghost.yaml").symlink_to(project / "content/actors/nowhere.yaml")
    run = check(project)
    assert_error(run, "content/actors/ghost.yaml", 1, "does not exist")


def test_fifo_in_content_is_refused_without_blocking(project: Path) -> None:
    os.mkfifo(project / "content/actors/pipe.yaml")
    run = check_in_subprocess(project)
    assert run.returncode == 1, run.stderr
    assert "content/actors/pipe.yaml:1:1: error:" in run.stderr and "named pipe" in run.stderr, run.stderr


def test_linked_content_folder_inside_the_project_is_read(project: Path) -> None:
    shutil.move(project / "content/articles", project / "drafts")
    (project / "content/articles").symlink_to("../drafts")
    run = run_cli("build", "--root", str(project))
    assert run.code == 0, run.err
    assert (project / "site/articles/putin-us-relations-trump/index.html").is_file()


def test_linked_content_folder_out_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    shutil.move(project / "content/articles", tmp_path / "elsewhere")
    (project / "content/articles").symlink_to(tmp_path / "elsewhere")
    run = check(project)
    assert run.code == 1, run.err
    assert any(d["path"] == "content/articles" and "outside the project" in d["message"]
               for d in run.diagnostics()), run.err


def test_folder_link_back_to_a_folder_read_already_is_refused(project: Path) -> None:
    (project / "content/articles/again").symlink_to("..")
    run = check(project)
    assert run.code == 1, run.err
    assert any(d["path"] == "content/articles/again" and "read already" in d["message"]
               for d in run.diagnostics()), run.err


def test_content_folder_linked_out_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    shutil.move(project / "content", tmp_path / "content-elsewhere")
    (project / "content").symlink_to(tmp_path / "content-elsewhere")
    run = check(project)
    assert run.code == 1, run.err
    assert "content is a symbolic link to" in run.err and "outside the project" in run.err


# --- templates/ ---------------------------------------------------------------------------------


def test_static_link_out_of_the_project_is_refused(project: Path, outside: Path) -> None:
    assert run_cli("build", "--root", str(project)).code == 0
    before = site_bytes(project / "site")
    (project / "templates/static/leak.txt").symlink_to(outside)
    for command in ("check", "build"):
        run = run_cli(command, "--root", str(project))
        assert run.code == 1, run.err
        assert "templates/static/leak.txt is a symbolic link to" in run.err, run.err
        assert "top-secret-value" not in run.err
    assert site_bytes(project / "site") == before  # nothing published, the last site kept


@pytest.mark.parametrize("kind", ["dangling", "folder-link", "fifo"])
def test_static_files_that_cannot_be_copied_are_named(project: Path, kind: str) -> None:
    target = project / "templates/static/odd"
    if kind == "dangling":
        target.symlink_to(project / "nowhere.css")
    elif kind == "folder-link":
        (project / "shared").mkdir()
        (project / "shared/x.css").write_text("a{}", encoding="utf-8")
        target.symlink_to(project / "shared")
    else:
        os.mkfifo(target)
    run = check_in_subprocess(project, "build")
    assert run.returncode == 1, run.stderr
    assert "templates/static/odd" in run.stderr, run.stderr


def test_template_link_out_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.html"
    theirs.write_text("{{ site.config.title }} top-secret-value", encoding="utf-8")
    (project / "templates/404.html").unlink()
    (project / "templates/404.html").symlink_to(theirs)
    run = check(project)
    assert run.code == 1, run.err
    assert "templates/404.html is a symbolic link to" in run.err and "outside the project" in run.err, run.err


def test_template_fifo_is_refused_not_replaced_by_the_default(project: Path) -> None:
    (project / "templates/404.html").unlink()
    os.mkfifo(project / "templates/404.html")
    run = check_in_subprocess(project)
    assert run.returncode == 1, run.stderr
    assert "templates/404.html" in run.stderr and "named pipe" in run.stderr, run.stderr


@pytest.mark.parametrize("tag", ['{% extends "404.html" %}', '{% include "404.html" %}'])
def test_template_that_uses_itself_is_a_located_error(project: Path, tag: str) -> None:
    (project / "templates/404.html").write_text("<p>Lost</p>\n" + tag + "\n", encoding="utf-8")
    run = check(project)
    assert_error(run, "templates/404.html", 2, "includes itself")
    assert "internal error" not in run.err


def test_article_in_a_linked_file_inside_the_project_still_reads(project: Path) -> None:
    (project / ARTICLE).rename(project / "article-source.md")
    (project / ARTICLE).symlink_to(project / "article-source.md")
    (project / ACTOR).rename(project / "content/actors/putin-real.yaml.txt")
    (project / ACTOR).symlink_to("putin-real.yaml.txt")
    run = check(project)
    assert run.code == 0, run.err
