"""The explainer plugin: mentions, anchors and quotes, and CommonMark left intact."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from explainer.markdown import Annotations, ClaimMark, QuoteMark, make_markdown, render_article
from explainer.phrasematch import words

CASES = Path(__file__).parent / "md_cases"
PHRASES = {
    "Vladimir Putin": "putin", "Putin": "putin", "Russia": "russia", "Moscow": "russia",
    "Russian Federation": "russia", "the Kremlin": "kremlin", "Sergey Lavrov": "lavrov",
    "Sergei Lavrov": "lavrov", "Lavrov": "lavrov", "US": "usa", "U.S.": "usa", "Washington": "usa",
    "The Washington Post": "wapo", "Zürich Gruppe": "zurich", "São Tomé": "stp",
}
URLS = {actor: f"/actors/{actor}/" for actor in set(PHRASES.values())}


def render(text: str, policy: str = "all", **extra: object) -> tuple[str, object]:
    annotations = Annotations(phrases=extra.pop("phrases", PHRASES), actor_urls=URLS,  # type: ignore[arg-type]
                              link_mentions=policy, **extra)  # type: ignore[arg-type]
    rendered = render_article(make_markdown(), text, annotations)
    return rendered.html, rendered.state


def linked(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="[^"]*?/actors/([^/"]+)/" class="mention">([^<]+)</a>', html)


@pytest.mark.parametrize("text, expected", [
    ("Putin's aides met.", [("putin", "Putin")]),
    ("Russia’s economy grew.", [("russia", "Russia")]),
    ("Russian Foreign Minister Sergey Lavrov said so.", [("lavrov", "Sergey Lavrov")]),
    ("Vladimir Putin spoke.", [("putin", "Vladimir Putin")]),
    ("The Washington Post reported it.", [("wapo", "The Washington Post")]),
    ("The Kremlin said no; the Kremlin said yes.", [("kremlin", "The Kremlin"), ("kremlin", "the Kremlin")]),
    ("(Moscow), \"Washington\" and U.S. officials.", [("russia", "Moscow"), ("usa", "Washington"), ("usa", "U.S.")]),
    ("Putinism and Russians and USB and Lavrovian words.", []),
    ("Zürich Gruppe and São Tomé.", [("zurich", "Zürich Gruppe"), ("stp", "São Tomé")]),
    ("The Russian Federation voted.", [("russia", "Russian Federation")]),
])
def test_mention_matching(text: str, expected: list[tuple[str, str]]) -> None:
    html, _ = render(text)
    assert linked(html) == expected


@pytest.mark.parametrize("text", [
    "[Putin met Lavrov](https://example.org)",
    "`Putin` and ``Russia``",
    "![Putin in Moscow](photo.jpg)",
    "# Putin in Moscow",
    "    Putin in an indented code block",
    "```\nRussia\n```",
    "<https://example.org/Putin>",
])
def test_no_mentions_inside_links_code_headings_or_images(text: str) -> None:
    html, _ = render(text)
    assert linked(html) == []


def test_link_policies() -> None:
    text = "Putin spoke.\n\nPutin again.\n\n## Later\n\nPutin once more. Putin."
    assert len(linked(render(text, "first")[0])) == 1
    assert len(linked(render(text, "first-per-section")[0])) == 2
    assert len(linked(render(text, "all")[0])) == 4


def test_mentions_are_recorded_even_when_not_linked() -> None:
    _, state = render("Putin spoke.\n\nPutin again.", "first")
    assert [m.actor for m in state.mentions] == ["putin", "putin"]  # type: ignore[attr-defined]
    assert len({m.anchor for m in state.mentions}) == 2  # type: ignore[attr-defined]


def test_per_article_override_and_unlinked_phrase() -> None:
    phrases = dict(PHRASES, Washington="wapo", Moscow=None)
    html, _ = render("Washington and Moscow.", phrases=phrases)
    assert linked(html) == [("wapo", "Washington")]


def test_paragraph_ids_survive_edits_elsewhere() -> None:
    one, _ = render("First paragraph.\n\nThe second paragraph about Putin.")
    two, _ = render("A new opening.\n\nFirst paragraph, edited.\n\nThe second paragraph about Putin.")
    second_id = re.findall(r'<p id="(p-[0-9a-f]+)">The second', one)
    assert second_id and re.findall(r'<p id="(p-[0-9a-f]+)">The second', two) == second_id


def test_duplicate_paragraphs_get_distinct_ids() -> None:
    html, _ = render("Same words.\n\nSame words.")
    ids = re.findall(r'<p id="([^"]+)"', html)
    assert len(ids) == 2 and len(set(ids)) == 2


def test_quote_is_marked_with_anchor_and_links_to_the_speakers_page_without_a_chip() -> None:
    quote = QuoteMark("q1", "What does [Trump] want to do?", "/actors/putin/#quote-q1")
    html, state = render("“What does [Trump] want to do?” Putin told Russia.", quotes=[quote])
    # the link is the quote's source: no cite or class restating it
    assert ('“<a href="/actors/putin/#quote-q1" class="quote-link"><q id="quote-q1">'
            'What does [Trump] want to do?</q></a>” <a href="/actors/putin/"') in html
    assert "Vladimir Putin" not in html  # nothing is inserted into the sentence, which names him already
    assert state.quote_anchors == {"q1": "quote-q1"}  # type: ignore[attr-defined]


def test_quote_text_normalises_quotes_dashes_and_ellipses() -> None:
    quote = QuoteMark("q2", "It's over - really...", "/actors/roche/")
    html, state = render("He said “It’s over — really…” and left.", quotes=[quote])
    assert state.quote_anchors == {"q2": "quote-q2"}  # type: ignore[attr-defined]
    assert "<q id=\"quote-q2\"" in html


def test_claim_is_marked_and_followed_by_a_note() -> None:
    claim = ClaimMark("v-1", "The US abstained", "It voted against <b>.", "/votes/v/", "See the vote")
    html, state = render("Earlier. The US abstained on that vote.", claims=[claim])
    assert '<mark class="claim" id="claim-v-1">' in html
    assert "On the record:</strong> It voted against &lt;b&gt;." in html


def test_raw_html_in_articles_is_escaped() -> None:
    html, _ = render("<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)>")
    assert "<script>" not in html and "<img" not in html


def test_direct_quotes_are_collected_for_the_unattributed_warning() -> None:
    _, state = render("He said “this is a quoted sentence” today.")
    assert [q for q, _ in state.direct_quotes] == ["this is a quoted sentence"]  # type: ignore[attr-defined]


def _fixtures(path: Path) -> list[tuple[str, str, str]]:
    """markdown-it's fixture format: title, '.', input, '.', expected, '.'."""
    cases = []
    for block in path.read_text(encoding="utf-8").strip().split("\n.\n\n"):
        title, rest = block.split("\n.\n", 1)
        source, expected = rest.split("\n.\n", 1)
        cases.append((title, source + "\n", expected.rstrip(".").rstrip("\n") + "\n"))
    return cases


@pytest.mark.parametrize("title, source, expected",
                         _fixtures(CASES / "mentions.md") + _fixtures(CASES / "un_symbols.md"),
                         ids=lambda v: str(v)[:40])
def test_mention_fixtures(title: str, source: str, expected: str) -> None:
    html, _ = render(source)
    assert re.sub(r'id="p-[0-9a-f]{8}"', 'id="p-ID"', html) == expected


SPEC = json.loads((CASES / "commonmark-spec.json").read_text(encoding="utf-8"))
_OUR_IDS = re.compile(r' id="(?:p|h)-[^"]*"')


@pytest.mark.parametrize("entry", SPEC, ids=lambda e: f"example-{e['example']}")
def test_commonmark_spec_renders_as_markdown_it_does(entry: dict) -> None:
    """With the plugin on, ordinary Markdown renders as markdown-it-py's CommonMark mode,
    apart from the paragraph and heading anchors the plugin adds."""
    reference = MarkdownIt("commonmark").render(entry["markdown"])
    ours = render_article(make_markdown(html_enabled=True), entry["markdown"],
                          Annotations(phrases=PHRASES, actor_urls=URLS)).html
    assert _OUR_IDS.sub("", ours) == reference
    if reference == entry["html"]:
        assert _OUR_IDS.sub("", ours) == entry["html"]


# Word characters, separators the fast path knows, and characters it must leave to the regex
# (accented, combining, non-Latin, digits of other scripts, other punctuation and spaces).
WORDY = st.text(alphabet=st.sampled_from(
    list("aZ09_ -.,'\"\t\n") + ["\u2019", "\u201c", "\u201d", "\u2014", "\u2026", "\u00a0", "\u00e9", "\u0130",
                                   "\u0307", "\u00df", "\u0661", "\u00bd", "\u2028", "\u200b", "\u01c5", "\u3000",
                                   "\u00ab", "\u4e2d", "\U0001f600"]), max_size=40)


@settings(max_examples=400, deadline=None)
@given(WORDY)
def test_words_splits_like_the_word_regex(text: str) -> None:
    assert words(text) == re.findall(r"\w+", text)
