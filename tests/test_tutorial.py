"""The README's "Your first explainer", followed literally: its ```sh blocks run in order in a
temporary folder and its ```yaml blocks are written to the file named in their first line, so
the tutorial cannot drift from what the commands do."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SECTION = "## Your first explainer"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# What the tutorial asks the reader to have next to the project, and where this repository has it.
INPUTS = {"cryptopolitan-putin-us-relations.txt": REPO / "content" / "raw" / "cryptopolitan-putin-us-relations.txt",
          "sc-S-RES-2774-2025.csv": REPO / "tests" / "data" / "un" / "sc-S-RES-2774-2025.csv"}


@dataclass(frozen=True)
class Step:
    kind: str  # "sh": commands to run; "yaml": a file to write
    text: str


def tutorial_steps(readme: str) -> list[Step]:
    start = readme.index(SECTION) + len(SECTION)
    end = readme.index("\n## ", start)
    return [Step(kind, text) for kind, text in FENCE.findall(readme[start:end]) if kind in ("sh", "yaml")]


def explainer_on_path(folder: Path) -> Path:
    """An ``explainer`` command running this checkout (the console script of an installed wheel)."""
    shim = folder / "explainer"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{REPO / "build.py"}" "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return folder


def test_the_tutorial_blocks_are_what_this_test_follows() -> None:
    steps = tutorial_steps((REPO / "README.md").read_text(encoding="utf-8"))
    commands = [line for step in steps if step.kind == "sh" for line in step.text.splitlines()]
    assert commands[:2] == ["explainer new my-explainer", "cd my-explainer"]
    assert any(c.startswith("explainer import ../cryptopolitan") for c in commands)
    assert any(c.startswith("explainer import-vote ../sc-S-RES-2774-2025.csv") for c in commands)
    assert "explainer build" in commands and "explainer deploy --remote origin" in commands
    files = [step.text.splitlines()[0] for step in steps if step.kind == "yaml"]
    assert files == ["# content/actors/dmitry-peskov.yaml", "# content/quotes/putin-us-relations.yaml",
                     "# content/actors/tass.yaml"]


@pytest.mark.slow
def test_following_the_tutorial_word_for_word(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "work"
    work.mkdir()
    for name, source in INPUTS.items():
        shutil.copy(source, work / name)
    bin_dir = explainer_on_path(tmp_path)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(REPO),
           "GIT_AUTHOR_NAME": "Tutorial", "GIT_AUTHOR_EMAIL": "tutorial@example.org",
           "GIT_COMMITTER_NAME": "Tutorial", "GIT_COMMITTER_EMAIL": "tutorial@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    cwd = work
    for step in tutorial_steps((REPO / "README.md").read_text(encoding="utf-8")):
        if step.kind == "yaml":
            relative = step.text.splitlines()[0].removeprefix("# ")
            (cwd / relative).write_text(step.text, encoding="utf-8")
            continue
        # One shell per block; the folder it ends in is where the next block starts (the `cd`).
        script = f"set -e\n{step.text}\npwd > {tmp_path / 'cwd'}\n"
        done = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=300, check=False)
        assert done.returncode == 0, f"{step.text}\n{done.stdout}{done.stderr}"
        assert "error" not in done.stderr.replace("0 errors", ""), done.stderr
        cwd = Path((tmp_path / "cwd").read_text(encoding="utf-8").strip())

    project = work / "my-explainer"
    assert cwd == project
    site = project / "site"
    slug = "how-putin-is-playing-his-on-the-mend-us-relations-with-trump"
    article = (site / "articles" / slug / "index.html").read_text(encoding="utf-8")
    assert 'href="/actors/dmitry-peskov/"' in article and '<q id="quote-peskov-much-damage"' in article
    peskov = (site / "actors" / "dmitry-peskov" / "index.html").read_text(encoding="utf-8")
    assert "Much damage was done" in peskov and f"/articles/{slug}/" in peskov
    vote = (site / "votes" / "s-res-2774-2025" / "index.html").read_text(encoding="utf-8")
    assert "S/RES/2774 (2025)" in vote
    published = subprocess.run(["git", "--git-dir", str(work / "published.git"), "ls-tree", "-r", "--name-only",
                                "gh-pages"], capture_output=True, text=True, env=env, check=True).stdout.split()
    assert {"index.html", f"articles/{slug}/index.html", "actors/dmitry-peskov/index.html",
            "votes/s-res-2774-2025/index.html", ".nojekyll"} <= set(published)
