"""Live preview in a real browser: Debian's chromium through Playwright, against start().

Each test edits files of a scratch project and waits for the open page to change by itself:
no page.reload() anywhere. The conftest ``browser`` fixture skips when chromium or Playwright is
missing, and fails instead under CI=true.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from explainer.config import load_config
from explainer.preview.server import start

from conftest import REPO, copy_example

pytestmark = pytest.mark.browser

ARTICLE = "content/articles/putin-us-relations-trump.md"
ACTOR = "content/actors/vladimir-putin.yaml"
PAGE = "articles/putin-us-relations-trump/"
TITLE = "How Putin is playing his on-the-mend US relations with Trump"
WAIT_MS = 15_000


class Live:
    """A running preview, an open page, and edits that wait for the page to reload."""

    def __init__(self, root: Path, page: object) -> None:
        self.root, self.page, self.log = root, page, []  # type: list[str]
        self.running = start(load_config(root), port=0, reload_config=lambda: load_config(root),
                                   log=self.log.append)
        self.page.goto(self.running.url + PAGE)  # type: ignore[attr-defined]
        self.wait_connected(set())

    def clients(self) -> set[object]:
        # The client objects themselves, not their id()s: holding them keeps a closed client's
        # address from being reused by the next one, which made a new client look old.
        return set(tuple(self.running.preview.clients))

    def wait_connected(self, old: set[object], timeout: float = 15) -> None:
        """Until the page's livereload client (a new one after a reload) has said hello."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.clients() - old:
                return
            time.sleep(0.02)
        raise AssertionError(f"the page never connected to /livereload: {self.log}")

    def edit(self, relative: str, text: str) -> set[object]:
        before = self.clients()
        (self.root / relative).write_text(text, encoding="utf-8")
        return before

    def replace(self, relative: str, old: str, new: str) -> set[object]:
        text = (self.root / relative).read_text(encoding="utf-8")
        assert old in text
        return self.edit(relative, text.replace(old, new, 1))

    def expect_text(self, text: str, before: set[object]) -> None:
        from playwright.sync_api import expect

        expect(self.page.locator("body")).to_contain_text(text, timeout=WAIT_MS)  # type: ignore[attr-defined]
        self.wait_connected(before)


@pytest.fixture
def live(browser, tmp_path: Path) -> Iterator[Live]:  # type: ignore[no-untyped-def]
    root = copy_example(tmp_path / "project")
    shutil.copytree(REPO / "templates", root / "templates")  # project templates, to edit
    page = browser.new_page()
    session = Live(root, page)
    yield session
    page.close()
    session.running.stop()


def test_an_edit_to_the_markdown_appears_without_a_reload(live: Live) -> None:
    before = live.replace(ARTICLE, "The Kremlin is keeping things measured.", "LIVE-EDIT-ONE keeps things measured.")
    live.expect_text("LIVE-EDIT-ONE", before)


def test_two_saves_a_second_apart_show_the_second(live: Live) -> None:
    original = (live.root / ARTICLE).read_text(encoding="utf-8")
    live.edit(ARTICLE, original.replace("The Kremlin is keeping", "SECOND-SAVE-A The Kremlin is keeping"))
    time.sleep(1.0)
    before = live.edit(ARTICLE, original.replace("The Kremlin is keeping", "SECOND-SAVE-B The Kremlin is keeping"))
    live.expect_text("SECOND-SAVE-B", before)
    time.sleep(1.5)  # a timer on purpose: what is checked is that no late reload comes (an absence)
    body = live.page.locator("body").inner_text()  # type: ignore[attr-defined]
    assert "SECOND-SAVE-B" in body and "SECOND-SAVE-A" not in body


def test_a_broken_actor_file_shows_an_error_page_until_fixed(live: Live, artifacts: Path) -> None:
    good = (live.root / ACTOR).read_text(encoding="utf-8")
    before = live.edit(ACTOR, "id: vladimir-putin\nkind: person\nname: [Vladimir Putin\n")
    live.expect_text("The site could not be rebuilt", before)
    body = live.page.locator("body").inner_text()  # type: ignore[attr-defined]
    assert f"{ACTOR}:4" in body and "invalid YAML" in body
    live.page.screenshot(path=str(artifacts / "preview-error-page.png"))  # type: ignore[attr-defined]
    before = live.edit(ACTOR, good)
    live.expect_text(TITLE, before)
    assert "could not be rebuilt" not in live.page.locator("body").inner_text()  # type: ignore[attr-defined]


def test_template_edits_and_template_errors(live: Live) -> None:
    template = "templates/article.html"
    good = (live.root / template).read_text(encoding="utf-8")
    before = live.replace(template, "<h1>{{ article.meta.title }}</h1>",
                          "<h1>{{ article.meta.title }}</h1><p>TEMPLATE-EDIT</p>")
    live.expect_text("TEMPLATE-EDIT", before)
    before = live.replace(template, "<p>TEMPLATE-EDIT</p>", "<p>{% if %}</p>")
    live.expect_text("The site could not be rebuilt", before)
    body = live.page.locator("body").inner_text()  # type: ignore[attr-defined]
    line = next(n for n, text in enumerate(good.splitlines(), 1) if "<h1>{{ article.meta.title }}</h1>" in text)
    assert f"{template}:{line}" in body and "template syntax error" in body
    before = live.edit(template, good)
    live.expect_text(TITLE, before)
    assert "TEMPLATE-EDIT" not in live.page.locator("body").inner_text()  # type: ignore[attr-defined]
