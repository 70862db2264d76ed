"""The correctness oracle of incremental builds (#18 item 4): random sequences of edits of every
kind, and after each one the preview's rebuild and the CLI's `build` must give the files a clean
build gives, byte for byte. Each `build` is a process of its own, with its own string hashing
(PYTHONHASHSEED), that starts from the record the last one left in .explainer-cache/ (#18 item 3).

A handful of examples run in the normal suite (about a minute); set
EXPLAINER_PROPERTY_EXAMPLES=200 for a long run (with pytest's --timeout=0: the suite allows a
test five minutes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer import pipeline
from explainer.config import load_config
from explainer.preview.server import Preview

from conftest import REPO
from conftest_helpers import TINY_VOTE

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate  # noqa: E402

EXAMPLES = int(os.environ.get("EXPLAINER_PROPERTY_EXAMPLES", "3"))
NOT_COMPARED = ("pagefind/", ".explainer-site")  # the search index is Pagefind's; the folder's marker


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = time.time_ns() + 2_000_000_000  # coarse clocks: the edit is seen as a change
    os.utime(path, ns=(stamp, stamp))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    _write(path, text.replace(old, new, 1))


def _articles(root: Path) -> list[Path]:
    return sorted((root / "content/articles").glob("*.md"))


def _actors(root: Path) -> list[Path]:
    return sorted((root / "content/actors").glob("*.yaml"))


def _pick(paths: list[Path], n: int) -> Path:
    return paths[n % len(paths)]


# Each edit takes the project and a number (which file), changes files, and returns their paths.
Edit = Callable[[Path, int], list[Path]]


def article_text(root: Path, n: int) -> list[Path]:
    article, actor = _pick(_articles(root), n), _pick(_actors(root), n)
    name = actor.read_text(encoding="utf-8").split("name: ", 1)[1].split("\n", 1)[0]
    _replace(article, "## A section heading", f"{name} met the envoys again ({n}).\n\n## A section heading")
    return [article]


def article_front_matter(root: Path, n: int) -> list[Path]:
    article = _pick(_articles(root), n)
    _replace(article, "title: '", f"title: 'Edited {n}: ")
    return [article]


def actor_name(root: Path, n: int) -> list[Path]:
    actor = _pick(_actors(root), n)
    _replace(actor, "name: ", f"name: Dr {n} ")
    return [actor]


def actor_alias(root: Path, n: int) -> list[Path]:
    actor = _pick(_actors(root), n)
    _replace(actor, "aliases:\n", "aliases:\n- the envoys\n")
    return [actor]


def quote_date(root: Path, n: int) -> list[Path]:
    quotes = root / "content/quotes" / (_pick(_articles(root), n).stem + ".yaml")
    _replace(quotes, "said_on: '", f"said_on: '2023-0{1 + n % 9}-1{n % 10}'\n  context: was '")
    return [quotes]


def vote_title(root: Path, n: int) -> list[Path]:
    vote = root / "content/votes/tiny-vote.yaml"
    _replace(vote, "title: ", f"title: Retitled {n} ")
    return [vote]


def config_description(root: Path, n: int) -> list[Path]:
    _replace(root / "config.yaml", "description: ", f"description: Edited {n}. ")
    return [root / "config.yaml"]


def project_template(root: Path, n: int) -> list[Path]:
    """Add, change or remove a template of the project's own (removed: the default is used again)."""
    template = root / "templates/404.html"
    if template.exists() and n % 3 == 0:
        template.unlink()
    else:
        actor = _pick(_actors(root), n).stem
        _write(template, "{% extends 'base.html' %}{% block main %}<p>" + str(n) + " {{ site.actors['" + actor +
               "'].name }} {{ site.articles | length }}</p>{% endblock %}\n")
    return [template]


def project_partial(root: Path, n: int) -> list[Path]:
    """A copy of a default partial, changed: every page including it follows."""
    partial = root / "templates/partials/quote.html"
    if not partial.exists():
        _write(partial, (REPO / "templates/partials/quote.html").read_text(encoding="utf-8"))
    _write(partial, partial.read_text(encoding="utf-8") + f"<!-- {n} -->\n")
    return [partial]


def default_template(root: Path, n: int) -> list[Path]:
    """A copy of a default page template (every page extends base.html), changed and later removed."""
    template = root / "templates/base.html"
    if template.exists() and n % 4 == 0:
        template.unlink()
        return [template]
    if not template.exists():
        _write(template, (REPO / "templates/base.html").read_text(encoding="utf-8"))
    _replace(template, "</body>", f"<!-- base {n} --></body>")
    return [template]


def static_file(root: Path, n: int) -> list[Path]:
    """The stylesheet, a copy of the default one changed: copied, never rendered."""
    sheet = root / "templates/static/site.css"
    if not sheet.exists():
        _write(sheet, (REPO / "templates/static/site.css").read_text(encoding="utf-8"))
    _write(sheet, sheet.read_text(encoding="utf-8") + f"/* {n} */\n")
    return [sheet]


def actor_added(root: Path, n: int) -> list[Path]:
    actor = root / f"content/actors/zz-new-{n}.yaml"
    _write(actor, f"id: zz-new-{n}\nkind: person\nname: Quillon Ferd{n}\n")
    return [actor]


def article_added(root: Path, n: int) -> list[Path]:
    article = root / f"content/articles/new-story-{n}.md"
    _write(article, f"---\ntitle: A new story {n}\ndate: '2024-0{1 + n % 9}-15'\n---\n\nThe envoys met again.\n")
    return [article]


def article_renamed(root: Path, n: int) -> list[Path]:
    article = _pick(_articles(root), n)
    slug, new = article.stem, f"renamed-{n}-{article.stem}"
    if new in {path.stem for path in _articles(root)}:
        return []
    article.rename(article.with_name(new + ".md"))
    quotes = root / f"content/quotes/{slug}.yaml"
    moved = []
    if quotes.exists():
        _write(quotes.with_name(new + ".yaml"), quotes.read_text(encoding="utf-8").replace(
            f"article: {slug}", f"article: {new}"))
        quotes.unlink()
        moved = [quotes, quotes.with_name(new + ".yaml")]
    return [article, article.with_name(new + ".md"), *moved]


def article_removed(root: Path, n: int) -> list[Path]:
    articles = _articles(root)
    if len(articles) <= 3:
        return []
    article = _pick(articles, n)
    quotes = root / f"content/quotes/{article.stem}.yaml"
    article.unlink()
    quotes.unlink(missing_ok=True)
    return [article, quotes]


EDITS: list[Edit] = [article_text, article_front_matter, actor_name, actor_alias, quote_date, vote_title,
                     config_description, project_template, project_partial, default_template, static_file,
                     actor_added, article_added, article_renamed, article_removed]


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.relative_to(folder).as_posix().startswith(NOT_COMPARED)}


def _project(folder: Path) -> Path:
    root = folder / "project"
    generate(6, root, seed=11)
    _write(root / "content/votes/tiny-vote.yaml", TINY_VOTE)
    return root


def _build(root: Path, seed: int) -> None:
    """``build`` in a process of its own; the freshness stamp goes first, so the record is used
    even for an edit that the stamps would not show."""
    (root / ".explainer-cache/last-build.json").unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": str(seed)}
    done = subprocess.run([sys.executable, "-m", "explainer", "build", "--root", str(root)], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr


def _assert_same(name: str, built: dict[str, bytes], clean: dict[str, bytes], step: str) -> None:
    assert sorted(built) == sorted(clean), f"{name} after {step}: files differ"
    differing = [path for path in clean if built[path] != clean[path]]
    assert differing == [], f"{name} after {step}: these differ from a clean build: {differing[:5]}"


@settings(max_examples=EXAMPLES, deadline=None, derandomize="EXPLAINER_PROPERTY_EXAMPLES" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 50)), min_size=2, max_size=4))
def test_incremental_builds_equal_clean_builds_after_any_edits(edits: list[tuple[Edit, int]]) -> None:
    with tempfile.TemporaryDirectory(prefix="explainer-oracle-") as folder:
        base = Path(folder)
        preview_root = _project(base / "preview")
        cli_root = base / "cli/project"
        shutil.copytree(preview_root, cli_root)
        preview = Preview(load_config(preview_root), reload_config=lambda: load_config(preview_root),
                          log=lambda line: None)
        assert preview.build_now().ok
        _build(cli_root, seed=100)
        for number, (edit, n) in enumerate(edits):
            step = f"{number + 1}. {edit.__name__}({n})"
            changed = edit(preview_root, n)
            assert edit(cli_root, n) == [cli_root / path.relative_to(preview_root) for path in changed]
            built, outcome = preview._job(preview.project, preview_root / "config.yaml" in changed,
                                          [str(path) for path in changed])
            preview._apply(built, outcome)
            assert outcome.ok, (step, outcome.message, outcome.report.diagnostics)
            _build(cli_root, seed=101 + number)
            clean_out = base / f"clean-{number}"
            pipeline.build_and_write(load_config(preview_root, clean_out), search=False)
            clean = _files(clean_out)
            _assert_same("the preview", _files(preview_root / "site"), clean, step)
            _assert_same("build", _files(cli_root / "site"), clean, step)
        preview.detach()
