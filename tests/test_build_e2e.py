"""The example site built end to end, checked on its HTML."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from explainer.config import load_config
from explainer.model import Vote
from explainer.quotetext import display_text, is_short
from explainer.textmatch import find_quote
from explainer.yamlio import load_yaml

from conftest import REPO, build_into, copy_example
from sitecrawl import broken_links, crawl, parse

ARTICLE = "putin-us-relations-trump"


def _yaml(path: Path) -> object:
    return load_yaml(path.read_text(encoding="utf-8"), str(path))


def _actors() -> dict[str, dict]:
    return {p.stem: _yaml(p) for p in sorted((REPO / "content" / "actors").glob("*.yaml"))}  # type: ignore[misc]


def _quotes() -> list[dict]:
    return [q for p in sorted((REPO / "content" / "quotes").glob("*.yaml")) for q in _yaml(p)]  # type: ignore[union-attr]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_pretty_urls_exist(built_site: Path) -> None:
    for page in ["index.html", "actors/index.html", "votes/index.html", "quotes/index.html", "404.html",
                 f"articles/{ARTICLE}/index.html", "votes/s-res-2774-2025/index.html",
                 "votes/a-res-es-11-7/index.html", ".nojekyll", "static/site.css"]:
        assert (built_site / page).is_file(), page


def test_every_page_has_exactly_one_h1_naming_its_subject(built_site: Path) -> None:
    for path, page in crawl(built_site).items():
        assert len(page.h1) == 1, path
    assert "Dmitry Peskov" in parse(built_site / "actors/dmitry-peskov/index.html").h1[0]
    assert "A/RES/ES-11/7" in parse(built_site / "votes/a-res-es-11-7/index.html").h1[0]


def test_no_broken_internal_link_or_anchor(built_site: Path) -> None:
    assert broken_links(built_site) == []


def test_every_actor_has_a_page(built_site: Path) -> None:
    for actor_id in _actors():
        assert (built_site / "actors" / actor_id / "index.html").is_file(), actor_id


def test_actors_named_in_the_article_link_both_ways(built_site: Path) -> None:
    article = _text(built_site / f"articles/{ARTICLE}/index.html")
    linked = set(re.findall(r'<a href="/actors/([a-z0-9-]+)/" class="mention">', article))
    body = (REPO / "content/articles" / f"{ARTICLE}.md").read_text(encoding="utf-8").split("---", 2)[2]
    for actor_id, actor in _actors().items():
        names = [actor["name"], *actor.get("aliases", [])]
        named = any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", body) for n in names)
        if named:
            assert actor_id in linked, f"{actor_id} is named in the article but not linked"
            page = _text(built_site / "actors" / actor_id / "index.html")
            assert f"/articles/{ARTICLE}/#p-" in page, f"{actor_id}'s page does not link back to a paragraph"


def test_first_mention_is_the_linked_one(built_site: Path) -> None:
    article = _text(built_site / f"articles/{ARTICLE}/index.html")
    # Putin is first named in the first paragraph ("Putin is not rushing"); later mentions stay plain.
    assert article.count('<a href="/actors/vladimir-putin/" class="mention">') == 1
    first_paragraph = re.search(r'<p id="p-[0-9a-f]{8}">(.*?)</p>', article, re.S).group(1)  # type: ignore[union-attr]
    assert '<a href="/actors/vladimir-putin/" class="mention">Putin</a>' in first_paragraph
    assert '<a href="/actors/kremlin/" class="mention">The Kremlin</a>' in first_paragraph
    assert "data-actor" not in article  # the link's address names the actor: nothing restates it


def test_every_quote_is_marked_in_the_article_and_on_its_speakers_page(built_site: Path) -> None:
    article_html = _text(built_site / f"articles/{ARTICLE}/index.html")
    body = (REPO / "content/articles" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    quotes = _quotes()
    assert len(quotes) >= 10
    for quote in quotes:
        assert find_quote(body, quote["text"]) is not None, quote["id"]
        anchor = f'id="quote-{quote["id"]}"'
        assert f"<q {anchor}" in article_html, quote["id"]
        speaker_page = _text(built_site / "actors" / quote["speaker"] / "index.html")
        shown = quote["text"] if is_short(quote["text"]) else display_text(quote["text"])
        assert html.escape(shown, quote=False) in speaker_page, quote["id"]
        assert f'/articles/{ARTICLE}/#quote-{quote["id"]}' in speaker_page
        # The marked quote itself links to the quote on its speaker's page.
        link = f'<a href="/actors/{quote["speaker"]}/#quote-{quote["id"]}" class="quote-link"><q {anchor}'
        assert link in article_html, quote["id"]


def test_quote_captions_read_as_sentences(tmp_path: Path) -> None:
    """On the speaker's page and the quotes page the speaker is not repeated: a caption is a
    sentence with its verb ("Said to Pavel Zarubin on 24 February 2025."), never ', ' or '·' first."""
    root = copy_example(tmp_path / "project")
    quotes = root / "content/quotes/putin-us-relations-trump.yaml"
    text = quotes.read_text(encoding="utf-8")
    text = re.sub(r"\n  said_to: \S+", "", text, count=2)  # two quotes with only a date left
    quotes.write_text(re.sub(r"\n  said_on: \S+", "", text, count=1), encoding="utf-8")  # one with nothing
    out = build_into(root, tmp_path / "site")
    captions = []
    for page in [out / "quotes/index.html", *(out / "actors").glob("*/index.html")]:
        for caption in re.findall(r"<figcaption>(.*?)</figcaption>", page.read_text(encoding="utf-8"), re.S):
            captions.append(" ".join(re.sub(r"<[^>]+>", "", caption).split()))
    assert len(captions) >= 20
    assert [c for c in captions if not c.startswith(("Said", "Quoted in “"))] == []
    assert "Said to Pavel Zarubin on 24 February 2025. Quoted in “How Putin" in " | ".join(captions)
    assert any(c.startswith("Said on ") for c in captions)  # a date, no one told
    assert any(c.startswith("Quoted in “") for c in captions)  # neither
    assert "Said (emailed statement). Quoted in" in " | ".join(captions)


def test_quotes_resolve_relative_days_against_the_article_date() -> None:
    by_id = {q["id"]: q for q in _quotes()}
    assert by_id["peskov-washington-messed-up"]["said_on"] == "2025-02-24"  # "said Monday"
    assert by_id["peskov-much-damage"]["said_on"] == "2025-02-25"  # "On Tuesday"
    assert by_id["peskov-much-damage"]["said_to"] == "tass"
    assert "said_on" not in by_id["lavrov-stop-fighting"]  # the article gives no day


def _vote(vote_id: str) -> Vote:
    return Vote.model_validate(_yaml(REPO / "content/votes" / f"{vote_id}.yaml"))


@pytest.mark.parametrize("vote_id", ["s-res-2774-2025", "a-res-es-11-7", "a-res-es-11-8"])
def test_tallies_add_up(built_site: Path, vote_id: str) -> None:
    vote = _vote(vote_id)
    page = _text(built_site / "votes" / vote_id / "index.html")
    counts = {c: sum(1 for v in vote.members.values() if v == c) for c in ("yes", "no", "abstain", "absent")}
    for choice, counted in counts.items():
        declared = vote.tally.get(choice)
        if vote.members_complete:
            assert counted == declared, (choice, counted, declared)
        elif declared is not None:
            assert counted <= declared
    # One column when the recorded votes are the declared tally, both (and why) when they differ.
    rows = re.findall(r'<tr><th scope="row"><span class="vote-badge vote-(\w+)">[^<]+</span></th>'
                      r"(?:<td>([^<]+)</td>)?<td>(\d+)</td></tr>", page)
    shown = {choice: (declared, int(counted)) for choice, declared, counted in rows[:4]}
    for choice in counts:
        assert shown[choice][1] == counts[choice]
    two_columns = "<th scope=\"col\">Declared</th><th scope=\"col\">Recorded here</th>" in page
    assert two_columns == (not vote.members_complete)
    assert all((declared != "") == two_columns for declared, _ in shown.values())
    assert ("the declared tally is the UN's count" in page) == two_columns


def test_security_council_vote_has_fifteen_members_and_the_record(built_site: Path) -> None:
    vote = _vote("s-res-2774-2025")
    assert len(vote.members) == 15
    assert vote.tally.yes == 10 and vote.tally.abstain == 5
    assert {k for k, v in vote.members.items() if v == "abstain"} == {"DNK", "FRA", "GRC", "SVN", "GBR"}
    page = _text(built_site / "votes/s-res-2774-2025/index.html")
    assert page.count('class="seat') >= 15
    assert re.search(r'Vetoed</span> by <a href="/actors/russia/">Russia</a>\. The vote was 9 in favour; the other '
                     r"counts are not recorded\.", page)


def test_assembly_vote_shows_the_record_and_the_articles_differing_claim(built_site: Path) -> None:
    vote = _vote("a-res-es-11-7")
    assert vote.members["USA"] == "no"
    assert (vote.tally.yes, vote.tally.no, vote.tally.abstain, vote.tally.absent) == (93, 18, 65, 17)
    vote_page = _text(built_site / "votes/a-res-es-11-7/index.html")
    assert "The article says otherwise" in vote_page and "The US abstained on that vote, too." in vote_page
    article = _text(built_site / f"articles/{ARTICLE}/index.html")
    assert '<mark class="claim"' in article and "On the record:" in article
    assert 'href="/votes/a-res-es-11-7/"' in article


def test_state_pages_list_their_votes(built_site: Path) -> None:
    page = _text(built_site / "actors/united-states/index.html")
    assert "Voting record" in page
    for vote_id in ("s-res-2774-2025", "a-res-es-11-7", "a-res-es-11-8"):
        assert f'href="/votes/{vote_id}/"' in page
    generated = _text(built_site / "actors/algeria/index.html")
    assert "generated from the UN member-state list" in generated


def test_page_without_javascript_or_external_requests(built_site: Path) -> None:
    for path, page in crawl(built_site).items():
        text = _text(path)
        assert "<script src" not in text, path
        for tag, url in page.links:
            if tag in ("link", "img", "script"):
                assert not url.startswith(("http:", "https:", "//")), (path, url)


def test_build_is_deterministic(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "p")
    first = build_into(root, tmp_path / "one")
    second = build_into(root, tmp_path / "two")
    files_one = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    files_two = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_one == files_two
    for relative in files_one:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_base_path_build_keeps_every_link_under_it(built_site_repo: Path) -> None:
    assert broken_links(built_site_repo, base_path="/repo/") == []
    index = _text(built_site_repo / "index.html")
    assert 'href="/repo/static/site.css"' in index
    assert '<link rel="canonical" href="https://example.github.io/repo/">' in index


def test_project_templates_override_the_defaults(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "p")
    (root / "templates").mkdir()
    base = (REPO / "templates/404.html").read_text(encoding="utf-8")
    (root / "templates/404.html").write_text(base.replace("Page not found", "Nothing here"), encoding="utf-8")
    out = build_into(root, tmp_path / "out")
    assert "<h1>Nothing here</h1>" in _text(out / "404.html")
    assert "<h1>Page not found</h1>" not in _text(out / "404.html")


def test_content_model_loads_without_diagnostics() -> None:
    from explainer import pipeline

    project = load_config(REPO, REPO / "site")
    result = pipeline.build(project)
    assert result.report.errors == []
    assert [d.format() for d in result.report.warnings] == []


def test_example_article_body_is_what_the_importer_makes_of_the_raw_story() -> None:
    def body(path: Path) -> str:
        return path.read_text(encoding="utf-8").split("---\n", 2)[2].strip()

    expected = REPO / "tests/import_cases/cryptopolitan/expected.md"
    assert body(REPO / "content/articles" / f"{ARTICLE}.md") == body(expected)


@pytest.mark.parametrize("csv, symbol, vote_id", [
    ("ga-A-RES-ES-11-7.csv", "A/RES/ES-11/7", "a-res-es-11-7"),
    ("sc-S-RES-2774-2025.csv", "S/RES/2774 (2025)", "s-res-2774-2025"),
])
def test_example_votes_are_what_import_vote_makes_of_the_un_records(tmp_path: Path, csv: str, symbol: str,
                                                                    vote_id: str) -> None:
    import io

    from explainer.importing.unvotes import Selection, run_import_vote

    [written] = run_import_vote(REPO / "tests/data/un" / csv, selection=Selection((symbol,)), root=tmp_path,
                                vote_id=vote_id, out=io.StringIO())
    imported = Vote.model_validate(_yaml(written))
    example = _vote(vote_id)
    assert imported.members == example.members
    assert imported.tally == example.tally
    assert (imported.result, imported.date, imported.resolution) == (example.result, example.date, example.resolution)


def test_home_page_shows_the_newest_stories_and_links_to_all(tmp_path: Path) -> None:
    import sys

    from explainer import pipeline

    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import generate

    generate(15, tmp_path / "c", seed=5)
    home = pipeline.build(load_config(tmp_path / "c")).outputs["index.html"].decode("utf-8")
    lead = re.search(r'<article class="lead-story".*?<h2 id="lead-title"><a href="/articles/([^/]+)/">', home, re.S)
    assert lead is not None and lead.group(1) == "article-00014"  # the newest leads
    assert re.findall(r'<li class="card">\s*<h3><a href="/articles/([^/]+)/"', home) == [
        f"article-{n:05d}" for n in range(13, 7, -1)]  # then the next six
    assert 'href="/articles/">All 15 articles</a>' in home
    # the masthead is the home page's one h1 (the site's name, once), with the description under it
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", home) == ["Generated corpus (15 articles)"]
    assert '<p class="tagline">A benchmark corpus.</p>' in home
    # the latest votes with their outcome, and the key actors ranked by mentions and quotes
    assert re.search(r'<h2 id="votes">Latest votes</h2>', home) is None  # no votes in 15 articles
    ranked = re.findall(r'<li><a href="/actors/[^/]+/">[^<]+</a> <span class="count">named in (\d+) paragraphs'
                        r'(?:, (\d+) quotes?)?</span>', home)
    weights = [int(named) + int(quoted or 0) for named, quoted in ranked]
    assert len(weights) == 3 and weights == sorted(weights, reverse=True)  # all three actors, most prominent first


def test_an_actor_page_lists_each_article_once_at_its_first_mention(built_site: Path) -> None:
    article = _text(built_site / f"articles/{ARTICLE}/index.html")
    paragraphs = re.findall(r'<(p|li) id="(p-[0-9a-f]{8})"[^>]*>(.*?)</\1>', article, re.S)
    naming = [anchor for _, anchor, text in paragraphs if re.search(r"(?<!\w)Putin(?!\w)", re.sub("<[^>]+>", "", text))]
    assert len(naming) > 1  # the case this is about: an actor named in several paragraphs
    page = _text(built_site / "actors/vladimir-putin/index.html")
    section = page[page.index('<h2 id="mentions">'):]
    section = section[:section.index("</section>")]
    assert re.findall(r'<li><a href="/articles/([^/"]+)/#(p-[0-9a-f]{8})">', section) == [(ARTICLE, naming[0])]
    assert f"named in {len(naming)} paragraphs" in section
