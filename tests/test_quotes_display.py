"""Quotes that read cleanly (issue #23, item 2): nothing inserted into the article's sentences,
pull-quotes that end with a full stop in display only, captions that are sentences, short
phrases inline, and the article's sidebar grouped by speaker."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explainer.quotetext import SHORT_QUOTE_WORDS, display_text, is_short
from explainer.yamlio import load_yaml

from conftest import REPO

ARTICLE = "articles/putin-us-relations-trump"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.mark.parametrize(("stored", "shown"), [
    ("There’s a lot of work to be done,", "There’s a lot of work to be done."),
    ("in an instant ;", "in an instant."),
    ("What does he want?", "What does he want?"),
    ("a swift end to the conflict", "a swift end to the conflict."),
    ("“lay the groundwork”", "“lay the groundwork”"),
    ("It is over…", "It is over…"),
])
def test_display_text_ends_a_broken_off_quote_with_a_full_stop(stored: str, shown: str) -> None:
    assert display_text(stored) == shown


def test_short_quotes_are_phrases_of_at_most_three_words() -> None:
    assert SHORT_QUOTE_WORDS == 3
    assert is_short("Axis of Autocracies") and not is_short("a swift end to the conflict")


def test_the_article_names_the_speaker_once_and_the_quote_links_to_their_page(built_site: Path) -> None:
    page = _page(built_site, ARTICLE)
    assert "said-by" not in page and "Quote attributed" not in page
    body = page[page.index('<div class="article-body">'):page.index("</article>")]
    # "…messed things up badly. There’s a lot of work to be done,” Peskov told CNBC.
    assert re.search(r'<a href="/actors/dmitry-peskov/#quote-peskov-washington-messed-up" class="quote-link">'
                     r'<q id="quote-peskov-washington-messed-up"[^>]*>The previous Washington administration[^<]*'
                     r"</q></a>” Peskov told <a", body)
    # Inside a quote (itself a link) a name is plain text: no link in a link.
    for quote in re.findall(r'<a [^>]*class="quote-link">(.*?)</a>', body, re.S):
        assert "<a " not in quote
    assert "[Trump] want to do?" in body


def test_the_article_meta_line_is_left_out_of_search(built_site: Path) -> None:
    page = _page(built_site, ARTICLE)
    assert '<p class="meta" data-pagefind-ignore>' in page
    assert '<aside class="in-this-story" aria-labelledby="in-this-story" data-pagefind-ignore>' in page


def test_cards_end_with_a_full_stop_while_the_stored_text_keeps_its_comma(built_site: Path) -> None:
    path = REPO / "content/quotes/putin-us-relations-trump.yaml"
    stored = load_yaml(path.read_text(encoding="utf-8"), str(path))
    assert isinstance(stored, list)
    assert sum(1 for q in stored if q["text"].rstrip().endswith(",")) >= 9  # verbatim, as the article prints them
    page = _page(built_site, "actors/dmitry-peskov")
    cards = re.findall(r"<blockquote[^>]*><p>(.*?)</p></blockquote>", page, re.S)
    assert cards and all(card.endswith(".") for card in cards), cards
    assert "There’s a lot of work to be done.</p>" in page
    data = (built_site / "data/quotes.json").read_text(encoding="utf-8")
    assert "There’s a lot of work to be done,\"" in data  # the open data keeps the words as said


def test_captions_are_sentences(built_site: Path) -> None:
    putin = _text(_page(built_site, "actors/vladimir-putin"))
    assert "Said to Pavel Zarubin on 24 February 2025. Quoted in “How Putin is playing" in putin
    roche = _text(_page(built_site, "actors/david-roche"))
    assert "Said (emailed statement). Quoted in “How Putin" in roche
    assert "to Pavel Zarubin" not in _text(_page(built_site, "actors/david-roche"))


def test_a_short_phrase_is_inline_not_a_card(built_site: Path) -> None:
    # on the speaker's page the quote carries its anchor itself (no wrapper), and no cite restates
    # the caption's link
    for path, anchor in (("actors/david-roche", ' id="quote-[^"]+"'), ("quotes", "")):
        page = _page(built_site, path)
        assert re.search(rf'<p{anchor} class="quote-inline"><q>Axis of Autocracies</q> Quoted in “', page), path
        assert not re.search(r"<blockquote[^>]*><p>Axis of Autocracies", page)


def test_the_sidebar_lists_each_speaker_once(built_site: Path) -> None:
    page = _page(built_site, ARTICLE)
    start = page.index('<aside class="in-this-story"')
    aside = page[start:page.index("</aside>", start)]
    quoted = aside[aside.index("<h3>Quoted</h3>"):]
    names = re.findall(r'<a href="[^"]+">([^<]+)</a>', quoted)
    assert names.count("David Roche") == 1 and len(names) == len(set(names)) == 7
    assert re.search(r">David Roche</a> <span class=\"count\">4 quotes</span>", quoted)
    assert re.search(r">Dmitry Peskov</a> <span class=\"count\">2 quotes</span>", quoted)
