"""Shared helpers for tests that run the CLI on a scratch copy of a site project.

Plain functions rather than fixtures, so that hypothesis tests (which must not reuse
function-scoped fixtures between examples) can call them too.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from explainer.cli import main

REPO = Path(__file__).resolve().parent.parent
# One diagnostic line: path:line:col: severity: message — hint (line and col absent when unknown)
DIAGNOSTIC = re.compile(r"^(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<severity>error|warning): "
                        r"(?P<message>.*?)(?: — (?P<hint>.*))?$")


def copy_example(dest: Path, *, templates: bool = False) -> Path:
    """A copy of the repository's example project in ``dest``: config.yaml and content/, and with
    ``templates`` also a copy of the default theme as the project's own templates/ (otherwise the
    project uses the package's default templates, as a new site does)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "config.yaml", dest / "config.yaml")
    shutil.copytree(REPO / "content", dest / "content", symlinks=True)
    if templates:
        shutil.copytree(REPO / "templates", dest / "templates", symlinks=True)
    return dest


TINY_ARTICLE = """\
---
title: A tiny article
date: 2025-02-25
---

Vladimir Putin spoke. “We are ready to talk about anything at all,” he said.
"""
TINY_ACTOR = "id: vladimir-putin\nkind: person\nname: Vladimir Putin\n"
TINY_QUOTES = """\
- id: putin-ready
  speaker: vladimir-putin
  text: We are ready to talk about anything at all,
  article: tiny
"""
TINY_VOTE = """\
id: tiny-vote
body: general-assembly
resolution: A/RES/ES-11/99
title: A tiny vote
date: 2025-02-24
result: adopted
tally:
  yes: 2
  no: 1
members:
  RUS: no
  FRA: yes
  DEU: yes
"""


def write_tiny(dest: Path) -> Path:
    """A minimal valid project: one article, actor, quotes file and vote; checks in milliseconds."""
    files = {
        "config.yaml": "title: Tiny\nbase_url: /\nvalidation:\n  orphan_actor: ignore\n",
        "content/articles/tiny.md": TINY_ARTICLE,
        "content/actors/vladimir-putin.yaml": TINY_ACTOR,
        "content/quotes/tiny.yaml": TINY_QUOTES,
        "content/votes/tiny-vote.yaml": TINY_VOTE,
    }
    for relative, text in files.items():
        path = dest / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dest


@contextlib.contextmanager
def tiny_project() -> Iterator[Path]:
    """A fresh minimal project in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="explainer-") as folder:
        yield write_tiny(Path(folder))


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def diagnostics(self) -> list[dict[str, str]]:
        found = []
        for line in self.err.splitlines():
            match = DIAGNOSTIC.match(line)
            if match:
                found.append(match.groupdict())
        return found


def run_cli(*argv: str) -> Run:
    """Run ``main(argv)`` in-process, capturing stdout and stderr (works inside hypothesis too)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return Run(code, out.getvalue(), err.getvalue())


def edit(root: Path, relative: str, old: str, new: str) -> None:
    """Replace the first ``old`` in a project file; fail loudly if the example changed under us."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer contains {old!r}: update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, relative: str, marker: str) -> int:
    """The 1-based line of the first line of ``relative`` that contains ``marker``."""
    text = (root / relative).read_bytes().decode("utf-8", errors="replace")
    for number, line in enumerate(text.split("\n"), start=1):  # the engine counts \n only
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not found in {relative}")


def site_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), to compare two states of a site."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
