"""A correction that changes or withdraws a quote keeps an honest trace (#20.1): the quote's place
on the speaker's page says it was withdrawn and when, with its words struck, the article's
corrections box lists its quotes' notes, and nothing still presents a withdrawn quote as said."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest_helpers import copy_example, edit, line_of, run_cli, site_bytes

ARTICLE = "content/articles/putin-us-relations-trump.md"
QUOTES = "content/quotes/putin-us-relations-trump.yaml"
WORDS = ("“Much damage was done in the past four years and much was destroyed. It’s impossible to rebuild it all in "
         "an instant,” he told state-run Tass news agency.")
WITHDRAWAL = "  - {date: 2025-03-06, kind: withdrawal, text: The words were another official's.}\n"


def _withdraw(root: Path) -> None:
    edit(root, ARTICLE, WORDS, "He told state-run Tass news agency that repairs would take time.")
    edit(root, QUOTES, "  context: Said on Tuesday, the day of the article.\n",
         "  context: Said on Tuesday, the day of the article.\n  corrections:\n" + WITHDRAWAL)
    edit(root, QUOTES, "  said_to: cnbc\n", "  said_to: cnbc\n  corrections:\n"
         "  - {date: 2025-03-04, text: The quote was first given the wrong day.}\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("withdrawn") / "project")
    _withdraw(root)
    run = run_cli("build", "--root", str(root), "--base-url", "/repo/")
    assert run.code == 0, run.err
    return root / "site"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_speaker_page_keeps_the_quote_marked_withdrawn(site: Path) -> None:
    html = _page(site, "actors/dmitry-peskov")
    card = html[html.index('<figure id="quote-peskov-much-damage" class="quote-card withdrawn">'):]
    card = card[:card.index("</figure>")]
    assert "<blockquote><p>" in card  # no cite restating the card's own address
    assert '<del datetime="2025-03-06">Much damage was done' in card
    assert 'Withdrawn <time datetime="2025-03-06">6 March 2025</time>: The words were another official' in card
    assert '<a href="/repo/articles/putin-us-relations-trump/">How Putin' in card, "the article, not itself"


def test_the_article_lists_its_quotes_notes_and_no_longer_marks_the_withdrawn_one(site: Path) -> None:
    html = _page(site, "articles/putin-us-relations-trump")
    assert 'id="quote-peskov-much-damage"' not in html
    box = html[html.index('id="corrections"'):]
    box = box[:box.index("</section>")]
    corrected, withdrawn = box.index("Corrected <time"), box.index("Withdrawn <time")
    assert corrected < withdrawn, "oldest first"
    assert '<a href="#quote-peskov-washington-messed-up">' not in box
    assert '<a href="/repo/articles/putin-us-relations-trump/#quote-peskov-washington-messed-up">' in box
    assert '<a href="/repo/actors/dmitry-peskov/#quote-peskov-much-damage">' in box


def test_the_corrections_page_leads_to_the_trace(site: Path) -> None:
    html = _page(site, "corrections")
    assert re.search(r'Withdrawal of the quote <a href="/repo/actors/dmitry-peskov/#quote-peskov-much-damage">', html)


def test_nothing_presents_the_withdrawn_quote_as_said(site: Path) -> None:
    assert "Much damage" not in _page(site, "timeline")
    for path in ("actors/dmitry-peskov", "quotes"):
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', _page(site, path), re.S):
            assert "peskov-much-damage" not in json.dumps(json.loads(block)), path
    assert "In this story" in _page(site, "articles/putin-us-relations-trump")


def test_the_open_data_says_the_quote_was_withdrawn_and_where_its_trace_is(site: Path) -> None:
    trace = "/repo/actors/dmitry-peskov/#quote-peskov-much-damage"
    quotes = {quote["id"]: quote for quote in json.loads((site / "data/quotes.json").read_bytes())["quotes"]}
    assert quotes["peskov-much-damage"]["withdrawn"] == "2025-03-06"
    assert quotes["peskov-much-damage"]["url"].endswith(trace)
    assert "withdrawn" not in quotes["peskov-washington-messed-up"]
    rows = list(csv.DictReader(io.StringIO((site / "data/quotes.csv").read_text(encoding="utf-8-sig"))))
    withdrawn = next(row for row in rows if row["id"] == "peskov-much-damage")
    assert withdrawn["withdrawn"] == "2025-03-06" and withdrawn["url"].endswith(trace)


def test_a_withdrawal_in_an_article_is_refused_at_its_line(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    assert run_cli("build", "--root", str(root)).code == 0
    before = site_bytes(root / "site")
    edit(root, ARTICLE, "date: 2025-02-25", "date: 2025-02-25\ncorrections:\n"
         "- {date: 2025-03-06, kind: withdrawal, text: Taken down.}")
    run = run_cli("build", "--root", str(root))
    assert run.code == 1
    [found] = [d for d in run.diagnostics() if "withdrawal" in d["message"]]
    assert found["path"] == ARTICLE
    assert int(found["line"]) == line_of(root, ARTICLE, "corrections:")
    assert site_bytes(root / "site") == before


def test_a_withdrawn_quote_need_not_be_in_the_article_but_a_corrected_one_must(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    edit(root, ARTICLE, WORDS, "He told state-run Tass news agency that repairs would take time.")
    run = run_cli("check", "--root", str(root))
    assert run.code == 1 and "quote 'peskov-much-damage' is not in article" in run.err
    edit(root, QUOTES, "  context: Said on Tuesday, the day of the article.\n",
         "  context: Said on Tuesday, the day of the article.\n  corrections:\n" + WITHDRAWAL)
    assert run_cli("check", "--root", str(root)).code == 0
