"""The default theme's colours and logo from config.yaml (issue #23, item 5), without copying templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer import colours, pipeline
from explainer.config import load_config

from conftest_helpers import line_of, run_cli, write_tiny


def _with(root: Path, text: str) -> Path:
    with (root / "config.yaml").open("a", encoding="utf-8") as config:
        config.write(text)
    return root


def _home(root: Path) -> str:
    return pipeline.build(load_config(root)).outputs["index.html"].decode("utf-8")


def test_the_accent_and_logo_are_themed_on_every_page(tmp_path: Path) -> None:
    root = _with(write_tiny(tmp_path / "p"), "theme:\n  accent: '#7a1f5c'\n  logo: static/logo.svg\n")
    (root / "templates/static").mkdir(parents=True)
    (root / "templates/static/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    outputs = pipeline.build(load_config(root)).outputs
    dark = colours.dark_accent("#7a1f5c")
    assert colours.contrast(dark, colours.DARK_PAGE) >= 4.5 > colours.contrast("#7a1f5c", colours.DARK_PAGE)
    for name in ("index.html", "articles/tiny/index.html", "actors/vladimir-putin/index.html"):
        page = outputs[name].decode("utf-8")
        assert ":root { --accent: #7a1f5c; }" in page, name
        assert f"@media (prefers-color-scheme: dark) {{ :root {{ --accent: {dark}; }} }}" in page, name
        assert '<img class="site-logo" src="/static/logo.svg" alt="" height="32">' in page, name


def test_without_a_theme_the_pages_carry_no_style_of_their_own(tmp_path: Path) -> None:
    assert "<style>" not in _home(write_tiny(tmp_path / "p"))


@pytest.mark.parametrize(("theme", "key", "message"), [
    ("theme:\n  accent: '#ffdd00'\n", "accent", "contrast of 1.3:1 against the light page"),
    ("theme:\n  accent_dark: '#1d4e89'\n", "accent_dark", "against the dark page"),
    ("theme:\n  accent: blue\n", "accent", "theme.accent"),
    ("theme:\n  logo: static/missing.svg\n", "logo", "templates/static/missing.svg is not a file of the project"),
    ("theme:\n  logo: ../secret.svg\n", "logo", "theme.logo"),
])
def test_a_bad_theme_is_an_error_at_its_line(tmp_path: Path, theme: str, key: str, message: str) -> None:
    root = _with(write_tiny(tmp_path / "p"), theme)
    run = run_cli("check", "--root", str(root))
    assert run.code == 1 and "Traceback" not in run.err, run.err
    assert f"config.yaml:{line_of(root, 'config.yaml', f'  {key}:')}" in run.err, run.err
    assert message in run.err, run.err
