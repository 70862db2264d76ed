"""Which folders a build may replace (issue #17.1): only its own, marked ones.

A build replaces its output folder whole, so every folder it writes carries ``.explainer-site``
and it refuses anything else that could hold someone's files: a non-empty folder without the
marker, a symlink, a file, the project's own folders and git's.
"""

from __future__ import annotations

import gzip
import os
import subprocess
from pathlib import Path

import pytest

from explainer import outdir
from explainer.write import write_site
from tests.conftest_helpers import run_cli, site_bytes, write_tiny


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tiny(tmp_path / "project")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file and link under ``folder``, links by their target, to see that nothing changed."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = b"-> " + os.fsencode(os.readlink(path))
        elif path.is_file():
            found[relative] = path.read_bytes()
    return found


def refused(project: Path, out: Path | str, command: str = "build") -> str:
    run = run_cli(command, "--root", str(project), "--out", str(out))
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    return run.err


def test_a_folder_with_a_hand_written_file_is_refused_and_kept(project: Path) -> None:
    docs = project / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("# About us\n", encoding="utf-8")
    err = refused(project, docs)
    assert "holds files Explainer did not write (about.md)" in err
    assert "delete the folder yourself" in err
    assert (docs / "about.md").read_text(encoding="utf-8") == "# About us\n"
    assert sorted(os.listdir(docs)) == ["about.md"]


def test_check_refuses_the_same_folder(project: Path) -> None:
    docs = project / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("# About us\n", encoding="utf-8")
    assert "did not write" in refused(project, docs, "check")


@pytest.mark.parametrize("target_is_a_site", [False, True], ids=["folder", "previous-site"])
def test_a_symlinked_output_folder_is_refused_and_its_target_kept(project: Path, tmp_path: Path,
                                                                  target_is_a_site: bool) -> None:
    elsewhere = tmp_path / "elsewhere"
    if target_is_a_site:  # even a folder we wrote: the link itself may not be replaced through
        assert run_cli("build", "--root", str(project), "--out", str(elsewhere)).code == 0
    else:
        elsewhere.mkdir()
        (elsewhere / "precious.txt").write_text("keep me\n", encoding="utf-8")
    before = tree_bytes(elsewhere)
    (project / "site").symlink_to(elsewhere)
    err = run_cli("build", "--root", str(project)).err  # the default output folder
    assert "is a symbolic link" in err and "remove the link yourself" in err
    assert tree_bytes(elsewhere) == before
    assert (project / "site").is_symlink()


def test_the_git_folder_is_refused(project: Path) -> None:
    subprocess.run(["git", "init", "--quiet", str(project)], check=True)
    before = tree_bytes(project / ".git")
    assert "git repository" in refused(project, project / ".git")
    assert "git repository" in refused(project, project / ".git" / "site")
    assert tree_bytes(project / ".git") == before


def test_a_file_is_refused(project: Path) -> None:
    (project / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert "is a file, not a folder" in refused(project, project / "notes.txt")
    assert (project / "notes.txt").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("out", [".", "..", "content", "content/articles", "content/new", "templates",
                                 "config.yaml", ".explainer-cache"])
def test_the_project_and_its_own_folders_are_refused(project: Path, out: str) -> None:
    (project / "templates").mkdir()
    before = tree_bytes(project)
    err = refused(project, project / out)
    assert "belongs to the project" in err and "choose an empty folder" in err
    assert tree_bytes(project) == before


def test_the_output_folder_carries_the_marker_and_may_be_rebuilt(project: Path) -> None:
    assert run_cli("build", "--root", str(project)).code == 0
    site = project / "site"
    assert (site / outdir.MARKER).read_bytes() == outdir.MARKER_TEXT
    (project / "content/articles/tiny.md").write_text(
        (project / "content/articles/tiny.md").read_text(encoding="utf-8").replace("A tiny", "A small"),
        encoding="utf-8")
    assert run_cli("build", "--root", str(project)).code == 0
    assert "A small article" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / outdir.MARKER).is_file()


def test_the_marker_is_not_in_the_search_index(project: Path) -> None:
    assert run_cli("build", "--root", str(project)).code == 0
    index = [path for path in (project / "site" / "pagefind").rglob("*.pf_*") if path.is_file()]
    assert index
    for path in index:
        data = path.read_bytes()
        text = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        assert b"Keep no files" not in text and outdir.MARKER.encode() not in text


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_a_missing_or_empty_folder_is_accepted(project: Path, tmp_path: Path, state: str) -> None:
    out = tmp_path / "new" / "public"
    if state == "empty":
        out.mkdir(parents=True)
    assert run_cli("build", "--root", str(project), "--out", str(out)).code == 0
    assert (out / "index.html").is_file() and outdir.is_ours(out)


def test_a_site_of_an_older_version_without_the_marker_is_replaced(project: Path) -> None:
    assert run_cli("build", "--root", str(project)).code == 0
    site = project / "site"
    (site / outdir.MARKER).unlink()  # as a version before the marker wrote it
    assert run_cli("build", "--root", str(project), "--force").code == 0
    assert outdir.is_ours(site)
    # Without every sign of our output, the same folder is someone's: refused.
    (site / outdir.MARKER).unlink()
    (site / ".nojekyll").unlink()
    assert "did not write" in refused(project, site)


def test_a_folder_that_gains_foreign_files_during_the_build_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site({"index.html": b"first"}, {}, out)
    before = site_bytes(out)

    def meanwhile(_staged: Path) -> None:
        (out / outdir.MARKER).unlink()
        (out / "mine.txt").write_text("mine\n", encoding="utf-8")

    with pytest.raises(outdir.OutputError, match=r"did not write \(index.html, mine.txt\)"):
        write_site({"index.html": b"second"}, {}, out, before_swap=meanwhile)
    assert site_bytes(out) == {**{k: v for k, v in before.items() if k != outdir.MARKER}, "mine.txt": b"mine\n"}
    assert sorted(os.listdir(tmp_path)) == ["site"]  # the staging folder is gone
