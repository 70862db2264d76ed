"""Kinds as data: adding a kind is one entry in kinds.py, a model and a template (README)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from explainer import kinds, load, search, urls

from conftest import REPO
from conftest_helpers import write_tiny


def _readme_block(language: str, contains: str) -> str:
    """The README's code block in ``language`` that contains ``contains`` (the worked example)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Adding a kind of content", 1)[1]
    blocks = re.findall(rf"```{language}\n(.*?)```", section, re.S)
    return next(block for block in blocks if contains in block)


def test_the_table_feeds_the_loader_search_and_urls() -> None:
    assert {k.folder: (k.document, k.suffix) for k in kinds.KINDS} == load.KINDS
    assert {k.name: k.folder for k in kinds.KINDS if k.page} == urls.PAGE_KINDS
    assert set(search.BUNDLES) == {k.name for k in kinds.KINDS if k.search}


def test_a_kind_added_as_the_readme_shows_gets_its_pages(tmp_path: Path) -> None:
    # A copy of the package and its default theme, changed only as the README says.
    engine = tmp_path / "engine"
    shutil.copytree(REPO / "explainer", engine / "explainer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", engine / "templates")
    python = _readme_block("python", "class Event")
    model_part, kinds_part = python.split("# explainer/kinds.py: one entry in KINDS")
    model_code = model_part.split("\n", 1)[1]
    with (engine / "explainer/model.py").open("a", encoding="utf-8") as model:
        model.write("\n\n" + model_code)
    entry = kinds_part.strip().rstrip(",")
    with (engine / "explainer/kinds.py").open("a", encoding="utf-8") as table:
        table.write(f"\n\nfrom .model import Event  # noqa: E402\n\nKINDS = (*KINDS, {entry})\n")
    site = write_tiny(tmp_path / "site")
    (site / "content/events").mkdir()
    (site / "content/events/talks-open.yaml").write_text("id: talks-open\ntitle: Talks open\ndate: 2025-02-20\n",
                                                         encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates/event.html").write_text(_readme_block("jinja", "event.title"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(engine)}
    run = subprocess.run([sys.executable, "-c", "import sys; from explainer.cli import main; sys.exit(main())",
                          "build", "--root", str(site)],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    page = (site / "site/events/talks-open/index.html").read_text(encoding="utf-8")
    assert "<h1>Talks open</h1>" in page and "20 February 2025" in page
    assert "<title>Talks open" in page
    # A broken event is reported like any content, with its file.
    (site / "content/events/talks-open.yaml").write_text("id: talks-open\ntitle: Talks open\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", "import sys; from explainer.cli import main; sys.exit(main())",
                          "check", "--root", str(site)],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "content/events/talks-open.yaml" in run.stderr, run.stderr
