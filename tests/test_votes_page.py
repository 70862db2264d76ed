"""Vote pages that lead with the answer (issue #23, item 1): the lead sentence, the order of the
page, one tally column, compact amendments, one palette and one vocabulary, headings that do not
repeat themselves, the skip link past the map and voting records in words."""

from __future__ import annotations

import re
from pathlib import Path

from explainer import charts
from explainer.i18n import ENGLISH
from explainer.unsymbols import vote_heading
from explainer.votelead import Member, counts_phrase, lead

from conftest import REPO, build_into, copy_example
from conftest_helpers import run_cli


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".").replace(" ,", ",")


def _lead(html: str) -> str:
    match = re.search(r'<p class="lede vote-lead">(.*?)</p>', html, re.S)
    assert match, "no lead sentence"
    return _text(match.group(1)).replace("&#39;", "'")


# --- the lead sentence --------------------------------------------------------------------------


def test_council_lead_says_what_happened_and_names_who_abstained(built_site: Path) -> None:
    page = _page(built_site, "votes/s-res-2774-2025")
    assert _lead(page) == ("The Security Council adopted the resolution by 10 in favour to none against, with 5 "
                           "abstentions. Abstained: Denmark, France, Greece, Slovenia and United Kingdom.")
    assert '<a href="/actors/france/">France</a>' in page.split('class="lede vote-lead"')[1].split("</p>")[0]


def test_assembly_lead_names_the_18_against_but_not_the_65_abstentions(built_site: Path) -> None:
    lead_text = _lead(_page(built_site, "votes/a-res-es-11-7"))
    assert lead_text.startswith("The General Assembly adopted the resolution by 93 in favour to 18 against, with 65 "
                                "abstentions. Against: Belarus, Burkina Faso, ")
    assert lead_text.endswith(", Russia, Sudan and United States.")
    assert lead_text.count(",") == 1 + 16 and "Abstained" not in lead_text  # 18 names


def test_lead_of_a_veto_and_of_a_partly_recorded_group() -> None:
    vetoed = lead("security-council", "vetoed", {"yes": 11, "no": 2, "abstain": 2},
                  [Member("Russia", "/actors/russia/", "no"), Member("Mali", "/actors/mali/", "no"),
                   Member("China", "/actors/china/", "abstain")],
                  [Member("Russia", "/actors/russia/", "no")])
    assert _text(vetoed) == ("The Security Council did not adopt the draft, owing to the negative vote of Russia, a "
                             "permanent member. The vote was 11 in favour to 2 against, with 2 abstentions. Against: "
                             "Russia and Mali. Among those who abstained: China.")
    rejected = lead("general-assembly", "rejected", {"yes": 40, "no": 60, "abstain": None},
                    [Member("A <b>", "/actors/a/", "yes")], [])
    assert str(rejected) == ("The General Assembly rejected the draft by 40 in favour to 60 against (abstentions not "
                             'recorded).')  # 40 in favour is more than NAMED_AT_MOST: nobody named
    assert "&lt;b&gt;" in str(lead("general-assembly", "adopted", {"yes": 90, "no": 1, "abstain": 0},
                                   [Member("A <b>", "/actors/a/", "no")], []))
    assert counts_phrase({"yes": 9}, ENGLISH) == "9 in favour; the other counts are not recorded"
    assert counts_phrase({}, ENGLISH) == ""


# --- the order of the page, one column, compact amendments ---------------------------------------


def test_the_page_reads_lead_then_chart_then_lists_then_the_details(built_site: Path) -> None:
    for vote_id in ("s-res-2774-2025", "a-res-es-11-7"):
        page = _page(built_site, f"votes/{vote_id}")
        order = [page.index(marker) for marker in ('class="lede vote-lead"', '<figure class="chart', 'class="members"',
                                                   'id="about-vote"', 'id="sources"')]
        assert order == sorted(order), vote_id


def test_one_tally_column_when_the_record_is_the_tally(built_site: Path) -> None:
    complete = _page(built_site, "votes/s-res-2774-2025")
    assert '<th scope="col">Members</th>' in complete and "Recorded here" not in complete
    partial = _page(built_site, "votes/a-res-es-11-8")
    assert '<th scope="col">Declared</th><th scope="col">Recorded here</th>' in partial
    assert "Only 2 member votes are recorded here; the declared tally is the UN's count." in partial


def test_amendments_say_what_is_known_and_not_recorded_once(built_site: Path) -> None:
    page = _page(built_site, "votes/s-res-2774-2025")
    amendments = page[page.index('id="amendments"'):page.index('id="sources"')]
    assert "not known" not in amendments and "<table" not in amendments
    assert amendments.count("How each member voted on the amendments is not recorded here.") == 1
    for section in re.findall(r'<section class="amendment".*?</section>', amendments, re.S):
        assert len(re.findall(r"not recorded", section)) <= 1, _text(section)
    text = _text(amendments)
    assert "Rejected. The vote was 4 in favour to 6 against, with 5 abstentions." in text
    assert "Rejected. The count is not recorded." in text


# --- one palette, one vocabulary, no repeated heading ------------------------------------------------


def test_the_css_fills_are_the_charts_fills_and_text_is_not_coloured_by_vote() -> None:
    css = (REPO / "templates/static/site.css").read_text(encoding="utf-8")
    for vote, fill in charts.FILL.items():
        assert f"--fill-{vote}: {fill};" in css
    assert not re.search(r"\.vote-badge\.vote-\w+ \{ color", css)  # a word beside a swatch, in the text colour
    assert charts.LABEL == {"yes": "In favour", "no": "Against", "abstain": "Abstained", "absent": "Did not vote",
                            "unknown": "Not recorded"}


def test_chart_legend_and_lists_use_the_same_words(built_site: Path) -> None:
    page = _page(built_site, "votes/s-res-2774-2025")
    legend = re.search(r'<ul class="chart-legend">(.*?)</ul>', page, re.S)
    assert legend is not None
    assert _text(legend.group(1)) == "✓ In favour (10) = Abstained (5)"
    assert 'vote-badge vote-yes">In favour</span> (10)' in page
    for word in (">Yes<", ">No<", ">Abstain<", "Not voting"):
        assert word not in page
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert "<text" in svg and "chart-legend" not in svg  # the legend is HTML, at the page's text size


def test_headings_do_not_repeat_the_symbol(built_site: Path) -> None:
    page = _page(built_site, "votes/s-res-2774-2025")
    assert "<h1>S/RES/2774 (2025)</h1>" in page and "<title>S/RES/2774 (2025) · " in page
    assert "Resolution 2774 (2025)" not in _text(_page(built_site, "votes"))
    assert "<h1>A/RES/ES-11/7: Advancing a comprehensive, just and lasting peace in Ukraine</h1>" in _page(
        built_site, "votes/a-res-es-11-7")
    assert vote_heading("S/RES/2775 (2025)", "Resolution 2774 (2025)") == "S/RES/2775 (2025): Resolution 2774 (2025)"
    assert vote_heading("A/RES/ES-11/8", "Draft resolution ES-11/8") == "A/RES/ES-11/8"


def test_the_map_has_a_skip_link_to_the_lists(built_site: Path) -> None:
    page = _page(built_site, "votes/a-res-es-11-7")
    skip = page.index('<a href="#breakdown-members">Skip the map: every member, by vote</a>')
    assert skip < page.index('<figure class="chart chart-map">') < page.index('id="breakdown-members"')
    assert "Skip the map" not in _page(built_site, "votes/s-res-2774-2025")  # 15 seats: nothing to skip


def test_a_states_voting_record_shows_titles_and_its_vote_in_words(built_site: Path) -> None:
    page = _page(built_site, "actors/united-states")
    record = _text(page[page.index('id="voting-record"'):page.index('id="agreement"')])
    rows = page[page.index('<table class="voting-record">'):page.index("</table>", page.index('id="voting-record"'))]
    assert "</td>" not in rows and "</tr>\n<tr>" not in rows  # a row per vote: no end tags HTML does not need
    assert "Vote United States voted" in record
    assert ("A/RES/ES-11/7: Advancing a comprehensive, just and lasting peace in Ukraine 24 February 2025 "
            "Against") in record
    assert "A/RES/ES-11/8: The path to peace 24 February 2025 Abstained" in record
    assert "S/RES/2774 (2025) 24 February 2025 In favour" in record


def test_the_lead_is_translated(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    config = root / "config.yaml"
    config.write_text(re.sub(r"(?m)^language: .*$", "", config.read_text(encoding="utf-8")) + "language: fr\n",
                      encoding="utf-8")
    site = build_into(root, tmp_path / "site")
    lead_text = _lead(_page(site, "votes/s-res-2774-2025"))
    assert lead_text.startswith("Le Conseil de sécurité a adopté la résolution par 10 voix pour, aucune contre et "
                                "5 abstentions."), lead_text
    assert run_cli("check", "--root", str(root)).code == 0
