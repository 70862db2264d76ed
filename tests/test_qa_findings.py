"""Failures a QA pass over the #17 fixes found: a dangling link after a build, a loop of links,
very long articles with a missing quote, and workers outliving a killed build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from explainer.textmatch import closest_passage

from conftest import REPO
from conftest_helpers import copy_example, run_cli


def test_a_dangling_link_added_after_a_build_is_not_up_to_date(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    assert run_cli("build", "--root", str(root)).code == 0
    os.symlink("/nonexistent/none.yaml", root / "content" / "actors" / "dangling.yaml")
    run = run_cli("build", "--root", str(root))
    assert run.code == 1 and "up to date" not in run.out
    assert "content/actors/dangling.yaml is a symbolic link" in run.err


def test_a_loop_of_links_in_content_is_a_content_error(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    os.symlink("loop.yaml", root / "content" / "actors" / "loop.yaml")
    run = run_cli("check", "--root", str(root))
    assert run.code == 1, run.err
    assert "content/actors/loop.yaml is a symbolic link" in run.err


def test_the_closest_passage_is_found_in_a_long_article() -> None:
    filler = " ".join(f"word{i % 997}" for i in range(40_000))
    text = f"{filler} The Kremlin said talks would take a very long time indeed. {filler}"
    assert "would take a very long time indeed" in closest_passage(text, "talks would take a long time indeed")


def test_workers_end_when_the_build_that_forked_them_is_killed(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from explainer.parallel import map_chunks

        def nap(shared, indices):
            time.sleep(60)
            return list(indices)

        map_chunks(nap, None, 1000, min_items=1, workers=2)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        children: list[str] = []
        while time.monotonic() < deadline and len(children) < 2:
            time.sleep(0.2)
            found = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True, text=True).stdout.split()
            children = found
        assert len(children) >= 2, "the pool never started"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in children):
            time.sleep(0.2)
        alive = [pid for pid in children if Path(f"/proc/{pid}").exists()
                 and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]]
        assert alive == [], f"workers {alive} outlived the killed build"
    finally:
        os.killpg(parent.pid, signal.SIGKILL) if parent.poll() is None else None
