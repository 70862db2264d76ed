"""The output audit (#20.4): every URL of every generated page stays under the base path; a
project template that writes one by hand outside it is an error at the template's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer.outputaudit import Audit, Stray

from conftest_helpers import REPO, copy_example, line_of, run_cli, site_bytes

BAD_LINK = '<link rel="stylesheet" href="/static/site.css">'


def _with_base_template(root: Path, extra: str) -> Path:
    base = (REPO / "templates/base.html").read_text(encoding="utf-8")
    assert "<head>" in base
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/base.html").write_text(base.replace("<head>", f"<head>\n{extra}", 1), encoding="utf-8")
    return root


def test_a_hand_written_root_path_is_an_error_at_its_template_line(tmp_path: Path) -> None:
    root = _with_base_template(copy_example(tmp_path / "project"), BAD_LINK)
    assert run_cli("build", "--root", str(root), "--base-url", "/").code == 0, "at / the path is the site's"
    before = site_bytes(root / "site")
    run = run_cli("build", "--root", str(root), "--base-url", "/repo/")
    assert run.code == 1, run.err
    [found] = [d for d in run.diagnostics() if "outside the base path" in d["message"]]
    assert found["path"] == "templates/base.html"
    assert int(found["line"]) == line_of(root, "templates/base.html", BAD_LINK)
    assert int(found["col"]) == BAD_LINK.index("/static") + 1
    assert "href '/static/site.css' is outside the base path /repo/" in found["message"]
    assert "urls.path('static/site.css')" in found["hint"]
    assert site_bytes(root / "site") == before, "a failed build leaves site/ as it was"


def test_the_default_theme_stays_under_a_base_path_with_a_host(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    run = run_cli("build", "--root", str(root), "--base-url", "https://example.org/repo/")
    assert run.code == 0, run.err
    home = (root / "site/index.html").read_text(encoding="utf-8")
    assert 'content="https://example.org/repo/"' in home, "og:url is among what the audit looked at"


AUDIT = Audit("/repo/", "https://example.org")


@pytest.mark.parametrize(("html", "strays"), [
    ('<a href="/repo/actors/x/">', []),
    ('<a href="/actors/x/">', [Stray("href", "/actors/x/")]),
    ('<img src="/img/a.png" srcset="/repo/a.png 1x, /b.png 2x">',
     [Stray("src", "/img/a.png"), Stray("srcset", "/b.png")]),
    ("<form action='/search'>", [Stray("action", "/search")]),
    ('<meta property="og:url" content="https://example.org/other/">', [Stray("content", "https://example.org/other/")]),
    ('<meta property="og:url" content="https://example.org/repo/x/">', []),
    ('<meta http-equiv="refresh" content="0; url=/x/">', [Stray("content", "/x/")]),
    ('<style>body { background: url("/bg.png") }</style><div style="background:url(/repo/ok.png)">',
     [Stray("url()", "/bg.png")]),
    ('<a href="../../../../x/">', [Stray("href", "../../../../x/")]),
    ('<a href="../other/">', []),
    ('<a href="https://other.example/x/"><a href="//cdn.example/x.js"><a href="mailto:a@b.c">'
     '<img src="data:image/png;base64,AAAA"><a href="#top"><a href="?q=1">', []),
])
def test_what_leaves_the_base_path(html: str, strays: list[Stray]) -> None:
    assert AUDIT.strays(html, "actors/x/") == strays


def test_at_the_root_nothing_can_leave() -> None:
    assert Audit("/", None).strays('<a href="/actors/x/"><a href="../../../x">', "actors/x/") == []
