"""explainer.freshness: a build is skipped only when no input and no output changed since the last one.

The CLI's use of it is tested end to end in test_cli.py; these call its functions on a tiny
project without building, to pin down what counts as a change.
"""

from __future__ import annotations

import os
from pathlib import Path

from explainer import freshness

from conftest_helpers import write_tiny

OPTIONS = {"out": "site", "base_url": "None", "strict": "False"}


def _recorded(root: Path) -> dict[str, object]:
    """A project whose last build is recorded, with its site folder."""
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<p>built</p>\n", encoding="utf-8")
    inputs = freshness.input_stamps(root, OPTIONS)
    freshness.record(root, root / "site", inputs, ["1 warning"])
    return inputs


def _touch(path: Path, text: str) -> None:
    """Write ``text`` with an mtime one second later than before, so the stamp surely changes."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_nothing_changed_gives_the_last_report_back(tmp_path: Path) -> None:
    root = write_tiny(tmp_path)
    inputs = _recorded(root)
    assert freshness.is_fresh(root, root / "site", freshness.input_stamps(root, OPTIONS)) == ["1 warning"]
    assert "content/articles/tiny.md" in inputs["inputs"]  # type: ignore[operator]
    # Other options are another build.
    assert freshness.is_fresh(root, root / "site", freshness.input_stamps(root, {**OPTIONS, "strict": "True"})) is None


def test_inputs_outputs_and_own_templates_count_raw_copies_do_not(tmp_path: Path) -> None:
    root = write_tiny(tmp_path)
    _recorded(root)

    def fresh() -> bool:
        return freshness.is_fresh(root, root / "site", freshness.input_stamps(root, OPTIONS)) is not None

    _touch(root / "content" / "raw" / "story.txt", "kept for provenance, never built")
    assert fresh()
    _touch(root / "content" / "articles" / "tiny.md", "changed")
    assert not fresh()
    _recorded_again(root)
    _touch(root / "templates" / "base.html", "{# a template of the site's own #}")
    assert not fresh()
    _recorded_again(root)
    _touch(root / "site" / "index.html", "<p>edited by hand</p>\n")
    assert not fresh()


def _recorded_again(root: Path) -> None:
    freshness.record(root, root / "site", freshness.input_stamps(root, OPTIONS), [])


def test_forget_and_a_broken_record_mean_rebuild(tmp_path: Path) -> None:
    root = write_tiny(tmp_path)
    _recorded(root)
    freshness.forget(root)
    assert freshness.is_fresh(root, root / "site", freshness.input_stamps(root, OPTIONS)) is None
    _recorded_again(root)
    state = root / freshness.STATE_DIR / freshness.STATE_FILE
    state.write_text("{not json", encoding="utf-8")
    assert freshness.is_fresh(root, root / "site", freshness.input_stamps(root, OPTIONS)) is None
    assert (root / freshness.STATE_DIR / ".gitignore").read_text(encoding="utf-8") == "*\n"
