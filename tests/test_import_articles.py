"""Tests for `build.py import` (explainer.importing.articles.run_import).

Golden cases live in tests/import_cases/<name>/ (see the README there). Regenerate after a
deliberate change with: UPDATE_IMPORT_CASES=1 .venv/bin/pytest tests/test_import_articles.py -k golden
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from explainer.errors import ContentError
from explainer.importing.articles import raw_extension, run_import, slugify
from explainer.importing.text_decode import DecodeError, decode

CASES = Path(__file__).parent / "import_cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _input_of(case: Path) -> Path:
    return next(p for p in sorted(case.iterdir()) if p.name.startswith("input."))


def _run(files: list[Path], root: Path, **kwargs: Any) -> list[Path]:
    options: dict[str, Any] = {"profiles": {}, "config_path": "config.yaml", "source": None, "date": None,
                               "dry_run": False, "force": False, "out": io.StringIO()}
    options.update(kwargs)
    return run_import(files, root=root, **options)


def _import_case(name: str, root: Path) -> Path:
    case = CASES / name
    settings = json.loads((case / "case.json").read_text()) if (case / "case.json").exists() else {}
    source_file = root / "incoming" / _input_of(case).name
    source_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_input_of(case), source_file)
    written = _run([source_file], root, profiles=settings.get("profiles", {}), source=settings.get("source"),
                   date=settings.get("date"))
    assert len(written) == 1
    return written[0]


def _article_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "content").rglob("*") if p.is_file()) if (root / "content").exists() else []


@pytest.mark.parametrize("name", CASE_NAMES)
def test_golden_case(name: str, tmp_path: Path) -> None:
    article = _import_case(name, tmp_path)
    got = article.read_text(encoding="utf-8")
    expected_path = CASES / name / "expected.md"
    if os.environ.get("UPDATE_IMPORT_CASES"):
        expected_path.write_text(got, encoding="utf-8")
    assert got == expected_path.read_text(encoding="utf-8")
    raw_copy = tmp_path / got.split("\nraw: ", 1)[1].split("\n", 1)[0]
    assert raw_copy.read_bytes() == _input_of(CASES / name).read_bytes()


def test_raw_story_keeps_every_paragraph_in_order(tmp_path: Path) -> None:
    article = _import_case("cryptopolitan", tmp_path).read_text(encoding="utf-8")
    raw = (CASES / "cryptopolitan" / "input.txt").read_text(encoding="utf-8").splitlines()
    junk_from = next(i for i, line in enumerate(raw) if line.startswith("Cryptopolitan Academy"))
    story = raw[raw.index("Source Cryptopolitan") + 1: junk_from]
    captions = [line for line in story if line.endswith(("Source: The Washington Post", "Source: Foreign Policy"))]
    headings = ["Russia and the US reopen Ukraine negotiations, leaving Europe out",
                "At the UN, Washington shifts, Europe panics", "Economic fallout and geopolitical winners"]
    expected_body = [f"## {line}" if line in headings else line
                     for line in story if line.strip() and line not in captions]
    body = article.split("\n---\n\n", 1)[1]
    assert body == "\n\n".join(expected_body) + "\n"
    assert "source: Cryptopolitan\n" in article
    assert "date: '2025-02-25'" in article
    for caption in captions:
        assert caption[:40] in article.split("\n---\n\n", 1)[0]


def test_import_twice_gives_same_bytes(tmp_path: Path) -> None:
    first = _import_case("wire-dateline", tmp_path / "a").read_bytes()
    second = _import_case("wire-dateline", tmp_path / "b").read_bytes()
    assert first == second


def test_reimport_refused_without_force_then_overwritten_with_force(tmp_path: Path) -> None:
    article = _import_case("teaser-cards", tmp_path)
    before = article.read_bytes()
    article.write_text("edited by hand\n")
    source_file = tmp_path / "incoming" / "input.txt"
    with pytest.raises(ContentError) as failure:
        _run([source_file], tmp_path, date="2025-03-07")
    assert "already imported as content/articles/port-city-bets-on-tidal-power.md" in str(failure.value)
    assert "--force" in failure.value.report.errors[0].hint
    assert article.read_text() == "edited by hand\n"
    _run([source_file], tmp_path, date="2025-03-07", force=True)
    assert article.read_bytes() == before


def test_different_input_with_same_title_gets_next_slug(tmp_path: Path) -> None:
    _import_case("teaser-cards", tmp_path)
    other = tmp_path / "other.txt"
    other.write_text((CASES / "teaser-cards" / "input.txt").read_text().replace("six turbines", "eight turbines"))
    written = _run([other], tmp_path, date="2025-03-07")
    assert written[0].name == "port-city-bets-on-tidal-power-2.md"
    assert "raw: content/raw/port-city-bets-on-tidal-power-2.txt" in written[0].read_text()


def test_dry_run_lists_removed_lines_with_rules_and_writes_nothing(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    out = io.StringIO()
    assert _run([source_file], tmp_path, date="2025-02-25", dry_run=True, out=out) == []
    text = out.getvalue()
    assert "=== content/articles/how-putin-is-playing-his-on-the-mend-us-relations-with-trump.md" in text
    assert "## At the UN, Washington shifts, Europe panics" in text
    assert "[call-to-action] Cryptopolitan Academy: Tired of market swings?" in text
    assert "[disclaimer] Disclaimer: For information purposes only." in text
    assert "[teaser-card] Author Cryptopolitan" in text
    assert "[navigation] goTop" in text
    assert "[caption (to credits)] U.S. officials meet with" in text
    assert _article_files(tmp_path) == []


def test_html_gz_is_read_like_html(tmp_path: Path) -> None:
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress((CASES / "html-page" / "input.html").read_bytes(), mtime=0))
    written = _run([packed], tmp_path)
    expected = (CASES / "html-page" / "expected.md").read_text().replace("input.html", "page.html.gz")
    expected = expected.replace("/city-opens-night-library-on-a-trial-basis.html\n",
                                "/city-opens-night-library-on-a-trial-basis.html.gz\n")
    assert written[0].read_text() == expected
    raw_copy = tmp_path / "content/raw/city-opens-night-library-on-a-trial-basis.html.gz"
    assert raw_copy.read_bytes() == packed.read_bytes()


def _error_of(files: list[Path], root: Path, **kwargs: Any) -> ContentError:
    with pytest.raises(ContentError) as failure:
        _run(files, root, **kwargs)
    assert _article_files(root) == []
    return failure.value


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"  \n\n\t\n", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the file is binary"),
    (b"Home\nNews\nSport\nContact\n", "no recognisable story"),
])
def test_unreadable_inputs_are_errors(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    error = _error_of([bad], tmp_path, date="2025-01-01", source="X")
    assert message in str(error)
    assert error.report.errors[0].location.path == str(bad)


def test_missing_date_asks_for_date_option(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    error = _error_of([source_file], tmp_path)
    assert "gives no publication date" in str(error)
    assert "--date YYYY-MM-DD" in str(error)


def test_bad_date_option(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    assert "not a date written YYYY-MM-DD" in str(_error_of([source_file], tmp_path, date="2025-02-30"))


def test_missing_source_asks_for_source_option(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cookie-notice" / "input.txt", source_file)
    assert "--source NAME" in str(_error_of([source_file], tmp_path))


def test_one_bad_file_stops_the_whole_run(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", good)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    error = _error_of([good, empty], tmp_path, date="2025-02-25")
    assert [d.location.path for d in error.report.errors] == [str(empty)]


def test_bad_profile_regex_names_the_config_file(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    profiles = {"crypto": {"name": "Cryptopolitan", "match": "Source (Cryptopolitan", "drop": ["ok", "[unclosed"]},
                "broken": "not a mapping"}
    error = _error_of([source_file], tmp_path, profiles=profiles, config_path="site/config.yaml",
                      date="2025-02-25")
    messages = [d.format() for d in error.report.sorted()]
    assert len(messages) == 3
    assert all(m.startswith("site/config.yaml") for m in messages)
    assert any("bad regular expression in `match`: 'Source (Cryptopolitan'" in m for m in messages)
    assert any("bad regular expression in `drop`: '[unclosed'" in m for m in messages)
    assert any("'broken' must be a mapping" in m for m in messages)


def test_profile_unknown_key_and_missing_name(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    error = _error_of([source_file], tmp_path, profiles={"a": {"name": "A", "dorp": []}, "b": {"match": "x"}},
                      date="2025-02-25")
    text = str(error)
    assert "unknown key(s) dorp" in text and "needs a `name`" in text


def test_source_option_selects_profile_by_name(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    profiles = {"crypto": {"name": "Cryptopolitan News", "drop": ["^Moscow, however"]}}
    written = _run([source_file], tmp_path, profiles=profiles, source="crypto", date="2025-02-25")
    article = written[0].read_text()
    assert "source: Cryptopolitan News\n" in article
    assert "Moscow, however" not in article


@pytest.mark.parametrize(("title", "slug"), [
    ("How Putin is playing his on-the-mend US relations with Trump",
     "how-putin-is-playing-his-on-the-mend-us-relations-with-trump"),
    ("Café owners’ “terrace” plan — approved!", "cafe-owners-terrace-plan-approved"),
    ("¿¡!?", "article"),
    ("word " * 40, ("word-" * 16).rstrip("-")),
])
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slugify(title)) <= 80


def test_raw_extension() -> None:
    assert raw_extension(Path("a/page.HTML.gz")) == "html.gz"
    assert raw_extension(Path("story.v2.txt")) == "txt"
    assert raw_extension(Path("noext")) == "txt"


def test_decode_order_and_repair() -> None:
    assert decode("don’t".encode("utf-8-sig")) == "don’t"
    assert decode("“café”".encode("cp1252")) == "“café”"
    assert decode("donâ€™t".encode("utf-8")) == "don’t"
    latin1 = b"caf\xe9 " * 30 + b"\x81"  # 0x81 is undefined in cp1252: Latin-1 is the last resort
    assert decode(latin1).startswith("caf\xe9 caf\xe9")
    with pytest.raises(DecodeError, match="neither UTF-8"):
        decode(bytes(range(1, 32)) * 4)
    with pytest.raises(DecodeError):
        decode(b"a\x00b")
