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


def test_reimport_is_skipped_as_duplicate_then_overwritten_with_force(tmp_path: Path) -> None:
    article = _import_case("teaser-cards", tmp_path)
    before = article.read_bytes()
    article.write_text("edited by hand\n")
    source_file = tmp_path / "incoming" / "input.txt"
    out = io.StringIO()
    assert _run([source_file], tmp_path, date="2025-03-07", out=out) == []
    assert article.read_text() == "edited by hand\n"
    _run([source_file], tmp_path, date="2025-03-07", force=True)
    assert article.read_bytes() == before


def test_different_input_with_same_title_gets_next_slug(tmp_path: Path) -> None:
    _import_case("teaser-cards", tmp_path)
    other = tmp_path / "other.txt"
    lines = (CASES / "teaser-cards" / "input.txt").read_text().splitlines()
    title = next(line for line in lines if "Tidal Power" in line or "tidal power" in line)
    other.write_text(f"{title}\n\n" + "\n\n".join(
        f"A different story number {n} tells of other things entirely, with new words and places." for n in range(8)))
    written = _run([other], tmp_path, date="2025-03-07", source="Other")
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


def test_missing_date_is_the_file_date_flagged_for_review(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    os.utime(source_file, (1_740_000_000, 1_740_000_000))  # 2025-02-19 UTC
    out = io.StringIO()
    _run([source_file], tmp_path, dry_run=True, out=out)
    assert "date: 2025-02-19 (from the modification date of input.txt, to review)" in out.getvalue()
    article = _run([source_file], tmp_path)[0].read_text()
    assert "date: '2025-02-19'" in article and "review:\n- date\n" in article


def test_bad_date_option(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    assert "not a date written YYYY-MM-DD" in str(_error_of([source_file], tmp_path, date="2025-02-30"))


def test_missing_source_is_guessed_and_flagged_for_review(tmp_path: Path) -> None:
    source_file = tmp_path / "harbour-daily.txt"
    shutil.copyfile(CASES / "cookie-notice" / "input.txt", source_file)
    out = io.StringIO()
    _run([source_file], tmp_path, date="2025-01-01", dry_run=True, out=out)
    assert "source: The Valley Courier (from the copyright line of the page, to review)" in out.getvalue()
    article = _run([source_file], tmp_path, date="2025-01-01")[0].read_text()
    assert "source: The Valley Courier\n" in article and "review:\n- source\n" in article
    bare = tmp_path / "harbour-daily.txt"
    bare.write_text("\n".join(line for line in source_file.read_text().splitlines() if "©" not in line))
    out = io.StringIO()
    _run([bare], tmp_path / "other", date="2025-01-01", dry_run=True, out=out)
    assert "source: harbour daily (from the file name harbour-daily.txt, to review)" in out.getvalue()


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
    assert decode("donâ€™t".encode()) == "don’t"
    latin1 = b"caf\xe9 " * 30 + b"\x81"  # 0x81 is undefined in cp1252: Latin-1 is the last resort
    assert decode(latin1).startswith("caf\xe9 caf\xe9")
    with pytest.raises(DecodeError, match="it is not UTF-8 or UTF-16"):
        decode(bytes(range(0x80, 0xA0)) * 4)
    with pytest.raises(DecodeError):
        decode(b"a\x00b")


# --- never refuse a real page (issue #25.1) ---------------------------------------------------

_STORY = "".join(f"<p>Paragraph {n} of the story tells what the council decided on Tuesday, and why it "
                 f"matters to the people of the town, in a sentence long enough to be prose.</p>\n"
                 for n in range(6))


def _page(head: str, body: str = _STORY, title: str = "<h1>Town council approves the new bridge</h1>") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body><article>{title}"
            f"{body}</article></body></html>").encode()


@pytest.mark.parametrize(("head", "source", "origin"), [
    ("<meta property='og:site_name' content='The Town Crier'>", "The Town Crier", "the page's og:site_name"),
    (("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"publisher\": "
      "{\"@type\": \"Organization\", \"name\": \"Crier Media\"}}</script>"), "Crier Media",
     "the publisher named in the page's JSON-LD"),
    ("<link rel='canonical' href='https://www.towncrier.example/news/bridge'>", "towncrier.example",
     "the host of the page's canonical URL, to review"),
])
def test_html_source_comes_from_page_metadata(tmp_path: Path, head: str, source: str, origin: str) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(_page(head))
    out = io.StringIO()
    _run([page], tmp_path, date="2025-01-01", dry_run=True, out=out)
    assert f"source: {source} (from {origin})" in out.getvalue()
    article = _run([page], tmp_path, date="2025-01-01")[0].read_text()
    assert f"source: {source}\n" in article
    assert ("review:\n- source\n" in article) == origin.endswith("to review")


def test_canonical_url_becomes_source_url(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(_page("<link rel='canonical' href='https://towncrier.example/news/bridge'>"
                           "<meta property='og:site_name' content='The Town Crier'>"))
    article = _run([page], tmp_path, date="2025-01-01")[0].read_text()
    assert "source_url: https://towncrier.example/news/bridge\n" in article
    assert "review" not in article


def test_missing_title_from_first_heading_line_or_file_name(tmp_path: Path) -> None:
    body = "\n\n".join(f"Paragraph {n} of the story tells what the council decided on Tuesday, and why it "
                       "matters to the people of the town." for n in range(5))
    text = tmp_path / "bridge-vote.txt"
    text.write_text("Town Council Approves The Bridge\n\n" + body)
    out = io.StringIO()
    _run([text], tmp_path, date="2025-01-01", source="Crier", dry_run=True, out=out)
    assert "title: Town Council Approves The Bridge" in out.getvalue()
    untitled = tmp_path / "bridge-vote-2.txt"
    untitled.write_text(body)
    out = io.StringIO()
    _run([untitled], tmp_path, date="2025-01-01", source="Crier", dry_run=True, out=out)
    assert "title: Bridge vote 2 (from the file name bridge-vote-2.txt, to review)" in out.getvalue()
    article = _run([untitled], tmp_path, date="2025-01-01", source="Crier")[0].read_text()
    assert "review:\n- title\n" in article


def test_check_lists_articles_to_review(tmp_path: Path) -> None:
    from tests.conftest import copy_example
    from tests.conftest_helpers import run_cli

    root = copy_example(tmp_path / "site")
    page = tmp_path / "page.html"
    page.write_bytes(_page("<link rel='canonical' href='https://towncrier.example/news/bridge'>"))
    assert run_cli("import", str(page), "--root", str(root), "--date", "2025-01-01").code == 0
    checked = run_cli("check", "--root", str(root))
    assert checked.code == 0, checked.err
    assert "to review: content/articles/town-council-approves-the-new-bridge.md (source)" in checked.out
    assert "1 article to review" in checked.out


# --- the files the importer writes (issues #17.3, #19.3) -------------------------------------

def test_import_never_writes_through_a_link_out_of_the_project(tmp_path: Path) -> None:
    root, outside = tmp_path / "site", tmp_path / "elsewhere"
    (root / "content").mkdir(parents=True)
    outside.mkdir()
    (root / "content" / "articles").symlink_to(outside)
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    with pytest.raises(ContentError) as failure:
        _run([source_file], root, date="2025-02-25")
    assert "content/articles is a symbolic link to" in str(failure.value)
    assert list(outside.iterdir()) == []


def test_import_refuses_to_overwrite_a_file_it_did_not_plan_to_replace(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    (tmp_path / "content" / "raw").mkdir(parents=True)
    link = tmp_path / "content" / "raw" / "how-putin-is-playing-his-on-the-mend-us-relations-with-trump.txt"
    link.symlink_to(tmp_path / "victim.txt")
    written = _run([source_file], tmp_path, date="2025-02-25")
    assert written[0].name == "how-putin-is-playing-his-on-the-mend-us-relations-with-trump-2.md"
    assert not (tmp_path / "victim.txt").exists()


def test_import_validates_with_the_build_models_before_writing(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from explainer.importing import articles

    monkeypatch.setattr(articles, "SHORT_TEXT_MAX", 400)  # let a 350-character author through
    page = tmp_path / "page.html"
    page.write_bytes(_page(f"<meta name='author' content='{'Ann Writer ' * 32}'>"
                           "<meta property='og:site_name' content='The Town Crier'>"))
    error = _error_of([page], tmp_path, date="2025-01-01")
    assert "the article it would write is invalid" in str(error)
    assert "author" in str(error)


def test_long_title_is_cut_to_the_model_limit_and_flagged() -> None:
    from explainer.importing.articles import _fit_short_texts
    from explainer.importing.text_types import Story

    story = Story(title="Very long title " * 30, credits=["Photo: " + "x " * 200])
    _fit_short_texts(story)
    assert len(story.title) <= 300 and story.title.endswith("…")
    assert story.review == ["title"] and len(story.credits[0]) <= 300


# --- hostile and odd pages (issues #25.5, #17.13) --------------------------------------------

def test_valid_utf8_with_control_characters_is_text() -> None:
    assert decode("caf\u00e9 \x01 ok\x0b\n".encode("utf-8")) == "caf\u00e9  ok\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_detected_not_called_binary(tmp_path: Path, encoding: str) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(_page("<meta property='og:site_name' content='Crier'>").decode().encode(encoding))
    article = _run([page], tmp_path, date="2025-01-01")[0].read_text()
    assert "title: Town council approves the new bridge" in article


def test_declared_charset_is_honoured(tmp_path: Path) -> None:
    words = "Переговоры о мире начались во вторник, и стороны договорились встретиться снова."
    html = ("<html><head><meta charset='windows-1251'><meta property='og:site_name' content='Вести'></head>"
            f"<body><article><h1>Переговоры начались</h1>{''.join(f'<p>{words}</p>' for _ in range(5))}"
            "</article></body></html>")
    page = tmp_path / "page.html"
    page.write_bytes(html.encode("cp1251"))
    article = _run([page], tmp_path, date="2025-01-01")[0].read_text()
    assert "title: Переговоры начались" in article and words in article
    assert "Ï" not in article


def test_scraped_text_is_escaped_as_markdown(tmp_path: Path) -> None:
    from explainer.markdown import make_markdown

    tricky = ["# Not a heading, just a hashtag people used at the rally on Tuesday.",
              "1. This paragraph starts with a number and a full stop in the original text.",
              "> This paragraph starts with an angle bracket in the original text, as written.",
              "Stars *like these* and under_scores _like these_ and `ticks` and [a](link) and <b>tags</b>.",
              "---"]
    body = "".join(f"<p>{html_escape(line)}</p>" for line in tricky)
    page = tmp_path / "page.html"
    page.write_bytes(_page("<meta property='og:site_name' content='Crier'>", _STORY + body))
    article = _run([page], tmp_path, date="2025-01-01")[0].read_text()
    rendered = make_markdown(html_enabled=True).render(article.split("\n---\n", 1)[1])
    for tag in ("<h1>", "<ol>", "<blockquote>", "<em>", "<code>", "<a ", "<b>", "<hr"):
        assert tag not in rendered
    assert "under_scores" in article


def html_escape(text: str) -> str:
    import html

    return html.escape(text)


def test_gzip_bomb_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    import time

    bomb = tmp_path / "page.html.gz"
    bomb.write_bytes(gzip.compress(b"<html>" + b" " * 200_000_000, compresslevel=9, mtime=0))
    started = time.perf_counter()
    error = _error_of([bomb], tmp_path, date="2025-01-01")
    assert "inflates to more than 20,000,000 bytes" in str(error)
    assert time.perf_counter() - started < 10


def test_huge_input_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "page.html"
    with big.open("wb") as handle:
        handle.truncate(50_000_000)
    error = _error_of([big], tmp_path, date="2025-01-01")
    assert "over the limit of 10,000,000 bytes" in str(error)


def test_fifo_input_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "page.html"
    os.mkfifo(fifo)
    assert "named pipe" in str(_error_of([fifo], tmp_path, date="2025-01-01"))


def test_nested_quantifier_in_profile_is_refused(tmp_path: Path) -> None:
    source_file = tmp_path / "input.txt"
    source_file.write_text("a" * 40 + "b\n")
    error = _error_of([source_file], tmp_path, profiles={"x": {"name": "X", "drop": ["^(a+)+$"]}},
                      date="2025-01-01")
    assert "unsafe regular expression in `drop`: '^(a+)+$'" in str(error)
    assert "inside another repeat can take exponential time" in str(error)


def test_time_per_file_is_bounded(tmp_path: Path) -> None:
    from explainer.importing.time_limit import TookTooLong, time_limit

    with pytest.raises(TookTooLong, match="longer than the limit of 0.2 seconds"), time_limit(0.2):
        while True:
            pass
    source_file = tmp_path / "input.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", source_file)
    error = _error_of([source_file], tmp_path, date="2025-02-25", seconds_per_file=0.000001)
    assert "took longer than the limit" in str(error)


# --- batch import (issue #25.3) ----------------------------------------------------------------

def test_folder_import_with_duplicates_summary_and_progress(tmp_path: Path) -> None:
    folder = tmp_path / "scraped"
    (folder / "more").mkdir(parents=True)
    head = "<link rel='canonical' href='https://towncrier.example/news/bridge'>"
    (folder / "a.html").write_bytes(_page(head))
    (folder / "b.html").write_bytes(_page(head))                         # the same file again
    (folder / "more" / "c.html").write_bytes(_page(head, _STORY.replace("Tuesday", "Monday")))  # same URL
    updated = _STORY + "<p>Updated at 10:00 with a last line.</p>"
    (folder / "more" / "d.html").write_bytes(_page("", updated))  # same text
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", folder / "e.txt")
    (folder / ".hidden.txt").write_text("ignored")
    out, progress = io.StringIO(), io.StringIO()
    written = _run([folder], tmp_path, date="2025-02-25", out=out, progress=progress)
    assert [path.name for path in written] == ["town-council-approves-the-new-bridge.md",
                                              "how-putin-is-playing-his-on-the-mend-us-relations-with-trump.md"]
    report = out.getvalue()
    assert "b.html: duplicate (same canonical URL as content/articles/town-council" in report
    assert "c.html: duplicate (same canonical URL" in report
    assert "d.html: duplicate (same text as content/articles/town-council-approves-the-new-bridge.md)" in report
    assert "skipped as duplicates        3" in report and "imported                     2" in report
    assert "of which to review         1" in report
    assert "[5/5] ####################" in progress.getvalue()
    again = io.StringIO()
    assert _run([folder], tmp_path, date="2025-02-25", out=again) == []
    assert "skipped as duplicates        5" in again.getvalue()


def test_keep_going_writes_the_good_files_and_still_fails(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    shutil.copyfile(CASES / "cryptopolitan" / "input.txt", good)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = io.StringIO()
    with pytest.raises(ContentError) as failure:
        _run([good, empty], tmp_path, date="2025-02-25", keep_going=True, out=out)
    assert [d.location.path for d in failure.value.report.errors] == [str(empty)]
    assert [p.name for p in _article_files(tmp_path)] == [  # the article, its raw copy and the draft
        "how-putin-is-playing-his-on-the-mend-us-relations-with-trump.md",
        "how-putin-is-playing-his-on-the-mend-us-relations-with-trump.suggested.yaml",
        "how-putin-is-playing-his-on-the-mend-us-relations-with-trump.txt"]
    assert "failed       " in out.getvalue()


# --- the story block chosen by its prose (issue #25.2) ------------------------------------------

DATA = Path(__file__).parent / "data"


def _manifest(folder: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("record", _manifest(DATA / "extraction-heldout"), ids=lambda record: record["id"])
def test_furniture_blocks_are_not_taken_for_the_story(record: dict[str, str]) -> None:
    """Comment thread, teaser list, cookie box, disclaimer, a Japanese page: written for this
    project, never tuned on; each is imported without --source or --date."""
    from benchmarks.cleaning import f1, import_body, score

    folder = DATA / "extraction-heldout"
    result = score(import_body(folder / record["page_text"]), (folder / record["ground_truth"]).read_text())
    assert f1(result.precision, result.recall) >= 0.95


def test_dev_pages_score_as_recorded() -> None:
    """benchmarks/README-cleaning.md's figures on the eleven dev pages, with a little slack."""
    from benchmarks.cleaning import f1, run

    results = run(DATA / "extraction-dev", None)
    for mode, floor in (("html", 0.97), ("text", 0.95)):
        scores = results[mode]
        precision = sum(s.precision for s in scores) / len(scores)
        recall = sum(s.recall for s in scores) / len(scores)
        assert f1(precision, recall) >= floor, mode
