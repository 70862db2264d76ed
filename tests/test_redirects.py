"""Redirects and the record of published URLs (issue #20, part 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest_helpers import copy_example, edit, line_of, run_cli

ARTICLE = "content/articles/putin-us-relations-trump.md"
OLD = "articles/putin-us-relations-trump/"


def renamed(root: Path, redirect: bool) -> None:
    extra = f"\nredirect_from: [{OLD}]" if redirect else ""
    edit(root, ARTICLE, "slug: putin-us-relations-trump", f"slug: putin-thaw{extra}")
    for path in (root / "content").rglob("*.yaml"):  # what refers to the article follows it
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("article: putin-us-relations-trump", "article: putin-thaw"), encoding="utf-8")


@pytest.mark.parametrize("base", ["/", "https://example.github.io/repo/"])
def test_a_renamed_page_leaves_a_redirect_at_its_old_address(tmp_path: Path, base: str) -> None:
    root = copy_example(tmp_path / "project")
    assert run_cli("build", "--root", str(root), "--base-url", base).code == 0
    renamed(root, redirect=True)
    run = run_cli("build", "--root", str(root), "--base-url", base)
    assert run.code == 0, run.err
    assert "was published and is gone" not in run.err
    prefix = "/repo/" if "repo" in base else "/"
    html = (root / "site" / OLD / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="refresh" content="0; url={prefix}articles/putin-thaw/">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert f'<a href="{prefix}articles/putin-thaw/">How Putin is playing' in html
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    assert canonical.endswith(f"{prefix}articles/putin-thaw/")
    assert (root / "site/articles/putin-thaw/index.html").is_file()
    if (root / "site/sitemap.xml").exists():
        assert OLD not in (root / "site/sitemap.xml").read_text(encoding="utf-8")
    record = (root / "published-urls.txt").read_text(encoding="utf-8")
    assert "/articles/putin-thaw/\n" in record and f"/{OLD}\n" not in record


def test_a_page_gone_without_a_redirect_is_reported_at_the_record(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    assert run_cli("build", "--root", str(root)).code == 0
    line = line_of(root, "published-urls.txt", f"/{OLD}")
    renamed(root, redirect=False)
    run = run_cli("build", "--root", str(root))
    assert run.code == 0
    assert f"published-urls.txt:{line}:1: warning: /{OLD} was published and is gone" in run.err
    assert "redirect_from:" in run.err
    assert run_cli("build", "--root", str(root), "--strict", "--force").code == 1, "reported until resolved"
    edit(root, "published-urls.txt", f"/{OLD}\n", "")  # gone on purpose
    assert run_cli("build", "--root", str(root), "--strict").code == 0


@pytest.mark.parametrize(("value", "phrase"), [
    ("https://elsewhere.example/x/", "not a path inside the site"),
    ("../../etc/", "not a path inside the site"),
    ("articles/putin-us-relations-trump/", "to itself"),
    ("actors/vladimir-putin/", "a page the site still has"),
])
def test_a_bad_redirect_is_an_error_at_its_line(tmp_path: Path, value: str, phrase: str) -> None:
    root = copy_example(tmp_path / "project")
    edit(root, ARTICLE, "date: 2025-02-25", f"date: 2025-02-25\nredirect_from: ['{value}']")
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    line = line_of(root, ARTICLE, "redirect_from:")
    assert f"{ARTICLE}:{line}:" in run.err and phrase in run.err, run.err


def test_two_pages_claiming_one_old_address_name_both_files(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    for actor in ("vladimir-putin", "dmitry-peskov"):
        edit(root, f"content/actors/{actor}.yaml", "kind: person", "kind: person\nredirect_from: [people/old/]")
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    assert "claimed by two pages" in run.err
    assert "content/actors/vladimir-putin.yaml" in run.err and "content/actors/dmitry-peskov.yaml" in run.err
