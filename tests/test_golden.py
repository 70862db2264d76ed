"""The golden test: the whole site built from tests/projects/golden/ equals tests/golden/golden/.

A small project with every kind of content (two articles, three actors, quotes, a Security
Council and a General Assembly vote) is built with the real ``build`` command, and every output
file is compared with the committed one; a mismatch shows a unified diff. After a deliberate
change to the output, regenerate the expected files with ``make golden`` (which runs
``UPDATE_GOLDEN=1 pytest tests/test_golden.py``) and review the diff in git.

Pagefind's folder is compared as the list of its file names: its index files are named after
their content, so the list changes whenever what is indexed does, while the bytes (1 MB, mostly
Pagefind's own JavaScript and WebAssembly, which change with each Pagefind release) stay out of
the repository.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from conftest import REPO
from conftest_helpers import run_cli, site_bytes

PROJECT = REPO / "tests" / "projects" / "golden"
EXPECTED = REPO / "tests" / "golden" / "golden"
PAGEFIND = "pagefind/"
PAGEFIND_LISTING = "pagefind/FILES.txt"
MAX_DIFF_LINES = 400


def built_site(tmp_path: Path) -> dict[str, bytes]:
    """The golden project built into tmp_path, with pagefind/ reduced to a list of its files."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    run = run_cli("build", "--root", str(root), "--out", str(tmp_path / "site"), "--strict")
    assert run.code == 0, run.err
    files = site_bytes(tmp_path / "site")
    index = sorted(name for name in files if name.startswith(PAGEFIND))
    assert index, "the build wrote no search index"
    site = {name: data for name, data in files.items() if not name.startswith(PAGEFIND)}
    site[PAGEFIND_LISTING] = "".join(f"{name}\n" for name in index).encode("utf-8")
    return site


def differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    """What differs, as lines a person can read: missing and extra files, then unified diffs."""
    lines = [f"missing from the build: {name}" for name in sorted(expected.keys() - actual.keys())]
    lines += [f"not expected: {name}" for name in sorted(actual.keys() - expected.keys())]
    for name in sorted(expected.keys() & actual.keys()):
        old, new = expected[name], actual[name]
        if old == new:
            continue
        try:
            old_text, new_text = old.decode("utf-8"), new.decode("utf-8")
        except UnicodeDecodeError:
            lines.append(f"{name}: binary file differs ({len(old)} bytes expected, {len(new)} built)")
            continue
        lines += difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), f"expected/{name}",
                                      f"built/{name}", lineterm="")
    return lines


def test_the_golden_project_builds_exactly_the_expected_site(tmp_path: Path) -> None:
    actual = built_site(tmp_path)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for name, data in actual.items():
            (EXPECTED / name).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / name).write_bytes(data)
    assert EXPECTED.is_dir(), "no expected files: run 'make golden'"
    lines = differences(site_bytes(EXPECTED), actual)
    shown = "\n".join(lines[:MAX_DIFF_LINES]) + (f"\n... {len(lines) - MAX_DIFF_LINES} more lines" if
                                                   len(lines) > MAX_DIFF_LINES else "")
    assert not lines, f"the built site differs from tests/golden/golden/ (if intended: make golden):\n{shown}"


def test_a_changed_output_is_shown_as_a_unified_diff() -> None:
    lines = differences({"a.html": b"<p>one</p>\n<p>two</p>\n", "gone.txt": b"x", "img.png": b"\x89PNG\xff"},
                        {"a.html": b"<p>one</p>\n<p>2</p>\n", "new.txt": b"y", "img.png": b"\x89PNG\xfe"})
    assert lines[:2] == ["missing from the build: gone.txt", "not expected: new.txt"]
    assert "--- expected/a.html" in lines and "+++ built/a.html" in lines
    assert "-<p>two</p>" in lines and "+<p>2</p>" in lines
    assert "img.png: binary file differs (5 bytes expected, 5 built)" in lines
