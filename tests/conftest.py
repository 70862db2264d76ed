"""Shared fixtures: tiny projects written into tmp_path, the built example site, a browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from explainer import pipeline
from explainer.config import load_config

from conftest_helpers import REPO, copy_example  # noqa: F401  (re-exported: one copy helper for all tests)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts"


def require(condition: bool, what: str) -> None:
    """Skip when a test tool is missing, but fail under CI=true: CI must never skip silently."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing (CI=true: run 'make test', which installs it)")
    pytest.skip(f"{what} is missing; 'make test' installs it")


def build_into(root: Path, out: Path, base_url: str | None = None) -> Path:
    project = load_config(root, out, base_url)
    pipeline.write(project, pipeline.build(project))
    return out


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("example"))
    return build_into(root, root / "site")


@pytest.fixture(scope="session")
def built_site_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built for a GitHub Pages project site, under /repo/."""
    root = copy_example(tmp_path_factory.mktemp("example-repo"))
    return build_into(root, root / "public" / "repo", base_url="https://example.github.io/repo/")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require(Path(CHROMIUM).exists(), "Debian's chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright for Python")
        raise
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
