"""The importer's stages one by one (issue #19 finding 8): decoding, HTML extraction, the line
rules and profiles, story selection in plain text (in several languages and scripts), Markdown
escaping, source/title/date guessing and duplicate detection. Quote finding, speakers and dates
from weekday words are in test_quote_find.py. Each test calls the stage itself, so that a broken
stage fails here by name rather than somewhere in an end-to-end import.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
from pathlib import Path

import pytest

from explainer.errors import Report
from explainer.importing.duplicates import DuplicateIndex, normal_url, shingles
from explainer.importing.guesses import fill_date, fill_source, fill_title
from explainer.importing.html_extract import extract_html
from explainer.importing.language import guess_language, tokens
from explainer.importing.md_escape import escape_line
from explainer.importing.page_meta import canonical_url, site_name
from explainer.importing.text_decode import DecodeError, declared_charset, decode, inflate
from explainer.importing.text_profiles import choose_profile, parse_profiles
from explainer.importing.text_rules import (
    BYLINE,
    apply_rules,
    byline_name,
    find_date,
    is_date_line,
    starts_like_heading,
    visual_length,
    word_count,
)
from explainer.importing.text_story import NoStory, boundary_kind, clean_text
from explainer.importing.text_types import Line, Story

DATA = Path(__file__).parent / "data"

# -- decode --------------------------------------------------------------------------------------


def test_decode_honours_the_declared_charset_and_detects_utf16() -> None:
    page = "<html><head><meta charset='windows-1251'></head><body>Переговоры</body></html>"
    data = page.encode("cp1251")
    assert codecs.lookup(declared_charset(data) or "").name == "cp1251"
    assert "Переговоры" in decode(data)
    assert decode("Zürich und Köln".encode("utf-16-le")) == "Zürich und Köln"  # no byte-order mark
    assert decode("Zürich".encode("utf-16")) == "Zürich"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"), (b"  \n\t ", "empty"), (b"PK\x03\x04\x00\x00binary", "binary"),
])
def test_decode_refuses_what_is_not_text(data: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        decode(data)


def test_inflate_stops_at_its_limit() -> None:
    bomb = gzip.compress(b"a" * 200_000)
    assert inflate(gzip.compress(b"story")) == b"story"
    with pytest.raises(DecodeError):
        inflate(bomb, limit=100_000)


# -- HTML extraction ---------------------------------------------------------------------------

def test_html_extraction_keeps_the_page_headings_and_paragraphs_in_order() -> None:
    paragraphs = "".join(f"<p>Paragraph {n} says what the council decided on Tuesday and why it matters to the "
                         f"town, in a sentence long enough to be prose.</p>" for n in range(4))
    html = (f"<html><head><title>Bridge | Crier</title></head><body><nav><a href='/'>Home</a></nav><article>"
            f"<h1>Council approves the bridge</h1>{paragraphs}<h2>What comes next</h2>{paragraphs}"
            f"</article><footer>© Crier</footer></body></html>")
    page = extract_html(html)
    assert page is not None
    kinds = [block.kind for block in page.blocks]
    texts = [block.text for block in page.blocks]
    assert "What comes next" in texts and kinds[texts.index("What comes next")] == "h"
    assert sum(text.startswith("Paragraph 0 ") for text in texts) == 2
    assert "Home" not in texts and not any("© Crier" in text for text in texts)
    assert [block.no for block in page.blocks] == sorted(block.no for block in page.blocks)


def test_page_metadata_names_its_witness() -> None:
    head = ("<meta property='og:site_name' content='The Town Crier'>"
            "<link rel='canonical' href='https://www.crier.example/a?utm=x'>")
    found = site_name(head)
    assert found is not None and found.value == "The Town Crier" and "og:site_name" in found.origin
    url = canonical_url(head)
    assert url is not None and url.value.startswith("https://www.crier.example/a")


# -- line rules and profiles -----------------------------------------------------------------------

@pytest.mark.parametrize(("line", "rule"), [
    ("Share this article", "navigation"),
    ("Sign up for our newsletter to get the news in your inbox", "newsletter"),
    ("We use cookies to improve your experience. Accept", "cookie-notice"),
    ("Photo: Reuters", "caption"),
    ("Lire aussi | Fin de vie : ce que contient le texte", "read-more"),
    ("Читайте также: Рубль укрепился", "read-more"),
    ("Temps de lecture : 3 min.", "reading-time"),
    ("【责任编辑：王芳】", "editor-credit"),
    ("（編輯：林淑媛）1140520", "editor-credit"),
])
def test_generic_rules_name_the_furniture(line: str, rule: str) -> None:
    found = apply_rules(line)
    assert found is not None and found.name == rule


def test_a_paragraph_that_mentions_furniture_words_is_kept() -> None:
    paragraph = ("The council said it would share the costs with the region, and residents can read more about "
                 "the plan at the town hall, where the newsletter of the building society is also on display.")
    assert apply_rules(paragraph) is None


def test_profiles_are_chosen_by_name_or_signature_and_bad_ones_reported() -> None:
    report = Report()
    profiles = parse_profiles({"crier": {"name": "The Crier", "match": "crier\\.example", "drop": "^Crier Club"},
                               "bad": {"name": "Bad", "drop": "^(a+)+$"}}, "config.yaml", report)
    assert [profile.key for profile in profiles] == ["crier"]
    assert report.errors and "bad" in report.errors[0].message
    assert choose_profile(profiles, "The Crier", []) is profiles[0]
    assert choose_profile(profiles, None, ["Home", "www.crier.example/news"]) is profiles[0]
    assert choose_profile(profiles, None, ["www.other.example"]) is None
    lines = "Crier Club: join today\n" + "The council met on Tuesday and decided, after a debate, to build it. " * 3
    story = clean_text(lines, profiles[0])
    assert any(removal.rule == "profile:crier:drop" for removal in story.removed)


# -- dates, bylines, lengths in several languages ------------------------------------------------

@pytest.mark.parametrize(("text", "iso"), [
    ("Published 12 March 2025", "2025-03-12"),
    ("Publié le 14 mai 2025 à 19h02", "2025-05-14"),
    ("08.09.2023, 14.12 Uhr", "2023-09-08"),
    ("Madrid - 15 de junio de 2023", "2023-06-15"),
    ("13:30 25.04.2025", "2025-04-25"),
    ("2025年8月28日 6時12分", "2025-08-28"),
    ("2025/05/20 18:45（5/20 19:10 更新）", "2025-05-20"),
    ("송고시간 2025-06-12 14:20", "2025-06-12"),
])
def test_date_lines_in_other_languages(text: str, iso: str) -> None:
    assert find_date(text) == iso and is_date_line(text)


@pytest.mark.parametrize(("line", "name"), [
    ("By Hannah Vogel", "Hannah Vogel"), ("Von Julia Becker", "Julia Becker"), ("Par Émilie Durand", "Émilie Durand"),
    ("澎湃新闻记者 张伟", "张伟"), ("김지은 기자", "김지은"),
])
def test_bylines_in_other_languages(line: str, name: str) -> None:
    found = BYLINE.match(line)
    assert found is not None and byline_name(found) == name


def test_text_without_spaces_is_measured_by_its_characters() -> None:
    sentence = "気象庁は、土砂災害や川の氾濫に厳重に警戒するよう呼びかけています。"
    assert word_count(sentence) >= 15  # not one "word" because it has no space
    assert visual_length(sentence) >= 3 * len(sentence) - 10
    assert starts_like_heading("避難のポイント") and starts_like_heading("Next steps")
    assert not starts_like_heading("and then")
    assert tokens("台風10号 is near") == ["台", "風", "10", "号", "is", "near"]
    assert guess_language(sentence) == "ja" and guess_language("市场" * 20) == "zh"


@pytest.mark.parametrize(("line", "kind"), [
    ("2 hours ago", "hard"), ("vor 3 Stunden", "hard"), ("2 часа назад", "hard"), ("3小时前", "hard"),
    ("2시간 전", "hard"), ("Reply", "hard"), ("回复", "hard"), ("【责任编辑：王芳】", "hard"),
    ("Comments (14)", "label"), ("相关新闻", "label"), ("댓글 3", "label"), ("Комментарии", "label"),
    ("The council met on Tuesday.", ""),
])
def test_boundaries_of_furniture_blocks(line: str, kind: str) -> None:
    assert boundary_kind(line) == kind


# -- story selection ----------------------------------------------------------------------------------

def _manifest(folder: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("record", _manifest(DATA / "extraction-lang"), ids=lambda record: record["id"])
def test_pages_in_other_languages_and_scripts_keep_exactly_the_story(record: dict[str, str]) -> None:
    """Chinese (simplified, traditional), Japanese, Korean, French, Russian pages with their
    furniture: the story's paragraphs, no more, no fewer; the headline as title; the page's date."""
    folder = DATA / "extraction-lang"
    story = clean_text((folder / record["page_text"]).read_text(), None)
    assert [block.text for block in story.blocks] == (folder / record["ground_truth"]).read_text().splitlines()
    page = (folder / record["page_text"]).read_text().splitlines()
    assert story.title in page and page.index(story.title) + 1 < len(page)
    assert story.title and not is_date_line(story.title) and BYLINE.match(story.title) is None
    assert story.date.startswith("20")


def test_cjk_prose_without_spaces_is_prose() -> None:
    text = "\n".join(["首页", "新闻", "市政府宣布明年起公交票价下调",
                      "市政府今天宣布，从明年一月起，全市公交车票价将由两元下调至一元五角。",
                      "市长表示：“我们希望更多市民选择公共交通出行！”",
                      "这项措施每年需要财政补贴约三亿元，你怎么看？"])
    story = clean_text(text, None)
    assert len(story.blocks) == 3 and story.title == "市政府宣布明年起公交票价下调"


def test_a_subheading_between_paragraphs_is_kept_as_a_heading_in_any_script() -> None:
    paragraph = "The council met on Tuesday and decided, after a long and careful debate, to build the new bridge."
    jp = "気象庁は、土砂災害や川の氾濫に厳重に警戒するよう呼びかけています。"
    for heading, body in (("What comes next", paragraph), ("避難のポイント", jp)):
        story = clean_text("\n".join([body, body + " Again.", heading, body + " Then.", body + " End."]), None)
        assert [block.kind for block in story.blocks] == ["p", "p", "h", "p", "p"]


def test_a_run_that_a_furniture_label_opens_counts_for_less() -> None:
    """The story (three paragraphs) is shorter than the teaser after "相关新闻", but what a
    "related" label opens is about other articles: the story wins."""
    story_lines = [f"第{n}段：市政府今天宣布，从明年一月起，全市公交车票价将下调，预计每年惠及数百万人次。"
                   for n in range(3)]
    teaser = "另一座城市的地铁新线路今天开通运营，沿线居民出行时间将缩短约二十分钟。" * 4
    story = clean_text("\n".join(["标题：公交票价下调", *story_lines, "相关新闻", teaser]), None)
    assert [block.text for block in story.blocks] == story_lines


def test_a_page_without_prose_is_refused() -> None:
    with pytest.raises(NoStory):
        clean_text("Home\nNews\nSport\nLogin", None)


# -- Markdown escaping --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "escaped"), [
    ("# Not a heading", "\\# Not a heading"),
    ("1. In 2019 the council met", "1\\. In 2019 the council met"),
    ("> not a quote", "\\> not a quote"),
    ("---", "\\---"),
    ("*stars* and `code`", "\\*stars\\* and \\`code\\`"),
    ("see [1](x)", "see \\[1](x)"),
    ("a <b>tag</b>", "a \\<b>tag\\</b>"),
    ("snake_case and well-known", "snake_case and well-known"),
    ("What does [Trump] want", "What does [Trump] want"),
])
def test_markdown_escaping_keeps_text_literal(text: str, escaped: str) -> None:
    assert escape_line(text) == escaped


# -- source, title, date guesses --------------------------------------------------------------------

def test_source_guesses_in_order_of_trust(tmp_path: Path) -> None:
    path = tmp_path / "crier-bridge-story.txt"
    path.write_text("x")
    lines = [Line(1, "Story"), Line(2, "© 2025 Town Crier Media. All rights reserved.")]
    story = Story()
    fill_source(story, path, lines, None, "https://www.crier.example/a")
    assert story.source == "crier.example" and "canonical URL" in story.origins["source"]
    assert story.review == ["source"]
    story = Story()
    fill_source(story, path, lines, None, "")
    assert story.source == "Town Crier Media"
    story = Story()
    fill_source(story, path, [Line(1, "Story")], None, "")
    assert story.source == "crier bridge story" and "file name" in story.origins["source"]


def test_title_and_date_guesses_are_flagged_for_review(tmp_path: Path) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text("x")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    story = Story()
    fill_title(story, path, [Line(1, "Home"), Line(2, "市政府宣布明年起公交票价下调"), Line(3, "Text.")])
    assert story.title == "市政府宣布明年起公交票价下调" and "line 2" in story.origins["title"]
    fill_date(story, path, None)
    assert story.date == "2023-11-14" and story.review == ["title", "date"]
    dated = Story(date="2025-03-07")
    fill_date(dated, path, "2020-01-01")
    assert dated.date == "2025-03-07" and dated.review == []


# -- duplicates ---------------------------------------------------------------------------------------

def test_duplicates_by_url_and_by_text_in_any_script(tmp_path: Path) -> None:
    index = DuplicateIndex()
    english = " ".join(f"Sentence {n} of the story says what the council decided about bridge {n}." for n in range(8))
    chinese = "市政府今天宣布，从明年一月起，全市公交车票价将由两元下调至一元五角，预计每年惠及数百万人次。" * 3
    index.add(tmp_path / "a.md", "https://www.crier.example/a/?utm=1", english)
    index.add(tmp_path / "b.md", "", chinese)
    assert normal_url("HTTP://www.Crier.example/a/#top") == "crier.example/a"
    assert index.find("https://crier.example/a", "other text entirely") == (tmp_path / "a.md", "same canonical URL")
    assert index.find("", english.replace("bridge 3", "tunnel 3")) == (tmp_path / "a.md", "same text")
    edited = chinese.replace("两元", "三元")  # one edit in a text without spaces: still the same article
    assert index.find("", edited) == (tmp_path / "b.md", "same text")
    assert index.find("", "另一座城市的地铁新线路今天开通运营，沿线居民出行时间将缩短约二十分钟。" * 3) is None
    assert len(shingles(chinese)) > 20  # a shingle per four characters, not one per clause
