"""The one rule for files inside a project (explainer/fsguard.py): links out, FIFOs, overwrites."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explainer.fsguard import UnsafePath, check_inside, read_regular, write_inside


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "project"
    (root / "content").mkdir(parents=True)
    (root / "content" / "a.yaml").write_text("a: 1\n")
    os.symlink("a.yaml", root / "content" / "inside.yaml")
    os.symlink(str(tmp_path), root / "content" / "out")
    os.symlink("missing.yaml", root / "content" / "dangling.yaml")
    return root


def test_a_link_inside_the_project_is_followed(tree: Path) -> None:
    assert check_inside(tree, tree / "content" / "inside.yaml") == tree / "content" / "a.yaml"


@pytest.mark.parametrize(("path", "says"), [
    ("content/out/secret", "content/out is a symbolic link to"),
    ("content/dangling.yaml", "which does not exist"),
    ("../elsewhere", "is outside the project"),
])
def test_links_out_and_paths_out_are_refused_naming_the_link(tree: Path, path: str, says: str) -> None:
    with pytest.raises(UnsafePath, match=says):
        check_inside(tree, tree / path)


def test_a_fifo_is_refused_without_blocking(tree: Path) -> None:
    os.mkfifo(tree / "content" / "pipe.yaml")
    with pytest.raises(UnsafePath, match="named pipe"):
        read_regular(tree / "content" / "pipe.yaml", 1000)


def test_reading_stops_at_the_limit(tree: Path) -> None:
    assert read_regular(tree / "content" / "a.yaml", 100) == b"a: 1\n"
    with pytest.raises(UnsafePath, match="over the limit"):
        read_regular(tree / "content" / "a.yaml", 3)


def test_writes_never_go_through_links_nor_over_files_without_leave(tree: Path) -> None:
    write_inside(tree, tree / "content" / "new" / "b.yaml", b"b: 2\n", overwrite=False)
    assert (tree / "content" / "new" / "b.yaml").read_bytes() == b"b: 2\n"
    with pytest.raises(UnsafePath, match="content/out is a symbolic link"):
        write_inside(tree, tree / "content" / "out" / "escaped.yaml", b"x", overwrite=True)
    assert not (tree.parent / "escaped.yaml").exists()
    with pytest.raises(UnsafePath, match="is a symbolic link"):
        write_inside(tree, tree / "content" / "inside.yaml", b"x", overwrite=True)
    with pytest.raises(UnsafePath, match="already exists"):
        write_inside(tree, tree / "content" / "a.yaml", b"x", overwrite=False)
    write_inside(tree, tree / "content" / "a.yaml", b"a: 3\n", overwrite=True)
    assert (tree / "content" / "a.yaml").read_bytes() == b"a: 3\n"
    assert sorted(p.name for p in (tree / "content").iterdir() if p.name.endswith(".tmp")) == []


def test_a_loop_of_links_is_refused_not_a_crash(tree: Path) -> None:
    os.symlink("loop.yaml", tree / "content" / "loop.yaml")
    with pytest.raises(UnsafePath, match="content/loop.yaml is a symbolic link"):
        check_inside(tree, tree / "content" / "loop.yaml")


def test_written_files_get_the_usual_permissions(tree: Path) -> None:
    old = os.umask(0o022)
    try:
        write_inside(tree, tree / "content" / "mode.yaml", b"x: 1\n", overwrite=False)
    finally:
        os.umask(old)
    assert (tree / "content" / "mode.yaml").stat().st_mode & 0o777 == 0o644
