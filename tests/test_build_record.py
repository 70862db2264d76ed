"""`build` after `build`: the record in .explainer-cache/ (explainer/persist.py), #18 item 3.

Each build here is its own process, with its own string hashing (PYTHONHASHSEED), as a user's
builds are: a digest that changed from process to process would show as pages rendered again.
After every build the site must be what a clean build makes, search index included, and a
record that cannot be trusted (deleted, corrupt, of another engine, of other settings) must
give a clean build, never a stale page.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explainer import persist, pipeline
from explainer.config import load_config
from explainer.preview.server import Preview

from conftest import REPO
from conftest_helpers import edit, site_bytes

GOLDEN = REPO / "tests/projects/golden"
ARTICLE = "content/articles/council-vote.md"


def _build(root: Path, *args: str, seed: int = 1) -> subprocess.CompletedProcess[str]:
    """``build`` in a new process; the freshness stamp is removed first, so that the build runs
    even when nothing changed (it is what skips such builds before anything is imported)."""
    (root / ".explainer-cache/last-build.json").unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": str(seed)}
    env.pop("EXPLAINER_FAULT", None)
    done = subprocess.run([sys.executable, "-m", "explainer", "build", "--root", str(root), *args], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done


def _rendered(done: subprocess.CompletedProcess[str]) -> int | None:
    """How many pages the build rendered (None: all of them, nothing was kept)."""
    line = next(line for line in done.stdout.splitlines() if line.startswith("built "))
    if " rendered, the others unchanged)" not in line:
        return None
    return int(line.split("(")[1].split(" rendered")[0])


def _clean(root: Path, out: Path, **options: str) -> dict[str, bytes]:
    """A clean build of ``root`` into ``out`` (no record read or written), with its search index."""
    pipeline.build_and_write(load_config(root, out, options.get("base_url")))
    return _site(out)


def _site(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in site_bytes(folder).items() if name != ".explainer-site"}


def _assert_clean(root: Path, tmp_path: Path, step: str, **options: str) -> None:
    built, clean = _site(root / "site"), _clean(root, tmp_path / f"clean-{step}", **options)
    assert sorted(built) == sorted(clean), step
    assert [name for name in clean if built[name] != clean[name]] == [], step


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN, root)
    assert _build(root, seed=1).returncode == 0
    assert persist.record_path(root).is_file()
    return root


def test_a_build_with_nothing_changed_renders_nothing_and_rewrites_nothing(project: Path, tmp_path: Path) -> None:
    before = {path: path.stat().st_ino for path in (project / "site").rglob("*") if path.is_file()}
    done = _build(project, seed=2)
    assert done.returncode == 0 and _rendered(done) == 0, done.stdout
    # Every page and every search bundle is the very file of the last build (linked, not rewritten).
    pages = [path for path in before if path.name == "index.html" or "pagefind" in path.parts]
    assert pages and [path for path in pages if path.stat().st_ino != before[path]] == []
    _assert_clean(project, tmp_path, "unchanged")


def test_an_edit_renders_only_what_read_it_and_equals_a_clean_build(project: Path, tmp_path: Path) -> None:
    edit(project, ARTICLE, "## ", "A new sentence about the vote.\n\n## ")
    actor_bundle = project / "site/pagefind/actor/pagefind-entry.json"
    inode = actor_bundle.stat().st_ino
    done = _build(project, seed=3)
    assert done.returncode == 0
    rendered = _rendered(done)
    assert rendered is not None and 0 < rendered < 10, done.stdout
    assert b"A new sentence about the vote." in (project / "site/articles/council-vote/index.html").read_bytes()
    assert actor_bundle.stat().st_ino == inode, "a search bundle without changed pages was indexed again"
    _assert_clean(project, tmp_path, "edited")  # the search index too, byte for byte


def test_a_changed_default_template_renders_the_pages_that_use_it(project: Path, tmp_path: Path) -> None:
    """A copy of a default template in the project replaces it: the pages built from it follow."""
    (project / "templates/partials").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "templates/base.html", project / "templates/base.html")
    edit(project, "templates/base.html", "</body>", "<p>project footer</p></body>")
    done = _build(project, seed=4)
    assert done.returncode == 0
    assert b"project footer" in (project / "site/index.html").read_bytes()
    _assert_clean(project, tmp_path, "template")


@pytest.mark.parametrize("damage", ["deleted", "corrupt", "truncated", "other engine", "foreign pickle"])
def test_a_record_that_cannot_be_trusted_gives_a_clean_build(project: Path, tmp_path: Path, damage: str) -> None:
    record = persist.record_path(project)
    data = record.read_bytes()
    if damage == "deleted":
        record.unlink()
    elif damage == "corrupt":
        record.write_bytes(data[:len(persist.MAGIC) + 16] + bytes(reversed(data[len(persist.MAGIC) + 16:])))
    elif damage == "truncated":
        record.write_bytes(data[:len(data) // 2])
    elif damage == "other engine":
        record.write_bytes(persist.MAGIC + bytes(16) + data[len(persist.MAGIC) + 16:])
    else:  # a pickle that would run a command: never unpickled beyond the refused global
        marker = tmp_path / "ran"
        payload = pickle.dumps(_Command(f"touch {marker}"))
        record.write_bytes(data[:len(persist.MAGIC) + 16] + payload)
    edit(project, ARTICLE, "## ", "Edited after the damage.\n\n## ")
    done = _build(project, seed=5)
    assert done.returncode == 0, done.stderr
    assert _rendered(done) is None, "an untrusted record was used"
    if damage == "foreign pickle":
        assert not (tmp_path / "ran").exists()
    _assert_clean(project, tmp_path, damage)
    assert _rendered(_build(project, seed=6)) == 0, "the clean build left no usable record"


class _Command:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, (self.command,))


def test_other_settings_render_everything_again(project: Path, tmp_path: Path) -> None:
    done = _build(project, "--base-url", "/repo/", seed=7)
    assert done.returncode == 0 and b"/repo/" in (project / "site/index.html").read_bytes()
    _assert_clean(project, tmp_path, "base-url", base_url="/repo/")
    edit(project, "config.yaml", "language: en", "language: fr") if "language: en" in (
        project / "config.yaml").read_text() else (project / "config.yaml").write_text(
        (project / "config.yaml").read_text() + "language: fr\n")
    assert _rendered(_build(project, seed=8)) is None
    _assert_clean(project, tmp_path, "language")


def test_pages_changed_in_the_site_by_hand_are_made_again(project: Path, tmp_path: Path) -> None:
    page = project / "site/articles/council-vote/index.html"
    page.write_bytes(b"changed by hand")
    entry = project / "site/pagefind/article/pagefind-entry.json"
    entry.write_bytes(b"{}")
    (project / "site/actors/ada-verne/index.html").unlink()
    done = _build(project, seed=9)
    assert done.returncode == 0 and _rendered(done) == 2, done.stdout
    _assert_clean(project, tmp_path, "by hand")


def test_a_failed_build_keeps_the_site_and_the_next_one_is_right(project: Path, tmp_path: Path) -> None:
    before = _site(project / "site")
    edit(project, ARTICLE, "title:", "title: [unclosed")
    assert _build(project, seed=10).returncode == 1
    assert _site(project / "site") == before
    edit(project, ARTICLE, "title: [unclosed", "title:")
    edit(project, ARTICLE, "## ", "Fixed again.\n\n## ")
    assert _build(project, seed=11).returncode == 0
    _assert_clean(project, tmp_path, "fixed")


def test_force_renders_everything(project: Path, tmp_path: Path) -> None:
    done = _build(project, "--force", seed=12)
    assert done.returncode == 0 and _rendered(done) is None


def test_the_preview_started_again_renders_nothing(project: Path, tmp_path: Path) -> None:
    """``serve`` starts from the record too: on an unchanged project its first build renders
    no page and indexes nothing, and the site stays a clean build's."""
    config = load_config(project)
    first = Preview(config, log=lambda line: None)
    assert first.build_now().rendered == 0  # from the record `build` left
    first.detach()
    second = Preview(load_config(project), log=lambda line: None)
    outcome = second.build_now()
    second.detach()
    assert outcome.ok and outcome.rendered == 0
    _assert_clean(project, tmp_path, "preview")


def test_pages_sharing_a_list_read_it_once_and_follow_its_changes(project: Path, tmp_path: Path) -> None:
    """The timeline's pages read the timeline as one memo key (record.Memo), not each of the
    keys making it (8.5 million reads at 5,000 articles); a change to one of those keys still
    renders them again."""
    cache = persist.load(load_config(project))
    assert cache is not None
    events = cache.key_ids[("memo", ("events",))]
    timeline = [page for name, page in cache.pages.items() if name.startswith("timeline/")]
    assert len(timeline) > 1 and all(events in page.reads for page in timeline)
    made_of = set(cache.memo_reads[events])
    assert cache.key_ids[("articles", "council-vote")] in made_of
    assert all(not made_of <= set(page.reads) for page in timeline)  # not copied into each page
    edit(project, ARTICLE, "title: The Council", "title: Retitled, the Council")
    done = _build(project, seed=5)
    assert done.returncode == 0
    timeline = (project / "site/timeline").rglob("index.html")
    assert any(b"Retitled, the Council" in path.read_bytes() for path in timeline)
    _assert_clean(project, tmp_path, "retitled")


def test_an_article_with_names_of_its_own_is_not_rendered_again_by_a_new_process(project: Path) -> None:
    """The rendered-articles cache is kept by stable digests, never ``hash()`` (which changes
    with each process's string hashing): an article that sets its own aliases keeps its entry."""
    def entries() -> list[object]:
        cache = persist.load(load_config(project))
        assert cache is not None
        return sorted(repr(key) for key in cache.articles if isinstance(key, tuple) and key[0] == "assembly-vote")

    before = entries()
    edit(project, ARTICLE, "## ", "Another sentence.\n\n## ")
    assert _build(project, seed=7).returncode == 0
    assert entries() == before and len(before) == 1
