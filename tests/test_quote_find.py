"""Quote finding and speaker resolution, stage by stage (issue #19 finding 8, issue #25.4).

quote_spans/attribution (explainer/importing/quote_find.py) are tested on single paragraphs;
draft_article (suggest.py) on short stories with the site's actors, as `build.py suggest` runs it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from explainer.importing.quote_find import attribution, blank_quotes, day_word, quote_spans
from explainer.importing.suggest import _resolve_day, draft_article
from explainer.model import Actor, ArticleMeta
from explainer.resolved import Article


def _texts(paragraph: str) -> list[str]:
    return [span.text for span in quote_spans(paragraph, 0)]


def _draft(body: str, actors: list[dict[str, Any]], date: str = "2025-03-07") -> dict[str, dict[str, Any]]:
    """Drafted quotes of a story, by text."""
    meta = ArticleMeta(title="A story", date=dt.date.fromisoformat(date))
    article = Article(meta=meta, slug="story", markdown=body.encode(), path="story.md", body_line=1)
    draft = draft_article(article, [Actor.model_validate(actor) for actor in actors], [])
    return {quote["text"]: quote for quote in draft.quotes}


def _person(actor_id: str, name: str, *aliases: str) -> dict[str, Any]:
    return {"id": actor_id, "kind": "person", "name": name, "aliases": list(aliases)}


# -- finding the quotations ------------------------------------------------------------------------

def test_every_kind_of_mark_pairs_and_straight_mixes_with_curly() -> None:
    assert _texts("“A b,” he said. \"C d,” she said. «E f,» it said. „G h,“ they said.") == \
        ["A b,", "C d,", "E f,", "G h,"]


def test_a_quotation_inside_a_quotation_stays_part_of_it() -> None:
    paragraph = "“I heard him ask, quote, ‘So he’s going to do it?’” Holmes testified."
    assert _texts(paragraph) == ["I heard him ask, quote, ‘So he’s going to do it?’"]


def test_single_marks_quote_but_apostrophes_do_not() -> None:
    """FT style: ‘…’ quotes; don’t, the ’90s and a plural possessive inside the quotation do not."""
    paragraph = ("‘That is why we will protect pensioners’ incomes in full,’ the chancellor said, "
                 "a pledge from the ’90s that voters don’t forget, and called it ‘fair’.")
    assert _texts(paragraph) == ["That is why we will protect pensioners’ incomes in full,", "fair"]
    assert _texts("'We will get through this,' Hunt said. It's the chancellor's line.") == \
        ["We will get through this,"]
    assert _texts("Rock ‘n’ roll and the Queens' College choir.") == ["n"]


def test_a_quotation_left_open_goes_on_in_the_next_paragraph() -> None:
    spans = quote_spans("“It sounded like a train,” she said. “My daughter asked, ‘Is it over?’", 3)
    assert [(span.text, span.open_end, span.paragraph) for span in spans] == \
        [("It sounded like a train,", False, 3), ("My daughter asked, ‘Is it over?’", True, 3)]


def test_blank_quotes_keeps_length_and_hides_only_quotations() -> None:
    text = "Hunt said ‘we will’ and “they won’t” on Monday."
    blanked = blank_quotes(text)
    assert len(blanked) == len(text) and "will" not in blanked and "won" not in blanked
    assert blanked.startswith("Hunt said ‘") and blanked.endswith("on Monday.")


@pytest.mark.parametrize(("paragraph", "who"), [
    ("“It is done,” Peskov told CNBC.", "Peskov"),
    ("“It is done,” said Liam Peach, a senior economist.", "Liam Peach"),
    ("Mark Milley, chairman of the Joint Chiefs, said “it will take years”.", "Mark Milley"),
    ("“It is over,” the U.S. Coast Guard said Thursday.", "the U.S. Coast Guard"),
    ("“We are ready,” Gov. Ron DeSantis said.", "Gov. Ron DeSantis"),
    ("The SNP’s leader at Westminster, Ian Blackford, said it was “an utter disgrace”.", "Ian Blackford"),
    ("The Duke of Sussex told ITV that he wanted “a family, not an institution”.", "The Duke of Sussex"),
    ("Angela Levin raged that he was “destroying the monarchy”.", "Angela Levin"),
    ("Lamrani further described the idea as “certainly absurd.”", "Lamrani"),
    ("Ruto declined to sign the Bill, saying he had “listened keenly to the people”.", "Ruto"),
    ("Opposition leader Raila Odinga welcomed the decision, calling the response “brutal and unjust”.",
     "Opposition leader Raila Odinga"),
    ("The price rose, according to Commerzbank, by “a lot more than expected”.", "Commerzbank"),
    ("ROME – Premier Giorgia Meloni defended the budget, saying it was «serious and realistic».",
     "Premier Giorgia Meloni"),
    ("“No. Next question,” Klopp snapped.", "Klopp"),
])
def test_attribution_names_the_words_of_the_reporting_clause(paragraph: str, who: str) -> None:
    found = attribution(quote_spans(paragraph, 0)[0])
    assert found.who == who
    assert who.split()[-1] in found.words  # the words the guess rests on hold the name


def test_a_quotation_without_reporting_words_has_no_attribution() -> None:
    assert attribution(quote_spans("The so-called “quiet bridge” opened at noon.", 0)[0]).who == ""


# -- speakers ---------------------------------------------------------------------------------------

ARDERN = _person("jacinda-ardern", "Jacinda Ardern", "Ardern")
LINEKER = _person("gary-lineker", "Gary Lineker", "Lineker")
BBC = {"id": "bbc", "kind": "organisation", "name": "BBC"}


def test_pronouns_and_split_quotations_take_the_person_last_named() -> None:
    quotes = _draft("Ardern spoke in Napier. “It is time,” she said. “And for me, it is time.”", [ARDERN])
    assert quotes["It is time,"]["speaker"] == "jacinda-ardern"
    assert "'she' read as jacinda-ardern" in quotes["It is time,"]["why"]["speaker"]
    assert quotes["And for me, it is time."]["speaker"] == "jacinda-ardern"


def test_a_paragraph_that_is_only_a_quotation_goes_on_with_the_previous_speaker() -> None:
    body = ("“I know what this job takes,” Ardern said.\n\n"
            "“I am leaving because with such a role comes responsibility.”\n\n"
            "“A heading-like claim without a full stop”")
    quotes = _draft(body, [ARDERN])
    follow = quotes["I am leaving because with such a role comes responsibility."]
    assert follow["speaker"] == "jacinda-ardern" and "a paragraph of quotation" in follow["why"]["speaker"]
    assert "A heading-like claim without a full stop" not in quotes


def test_unnamed_speakers_are_left_out_and_end_the_split() -> None:
    body = ("Lineker tweeted on Friday. A source close to Lineker said: “Gary is being treated badly.”\n\n"
            "One raged: “He should be sacked,” adding: “Not suspended.”\n\n"
            "A BBC spokesman said: “We consider it a breach of our guidelines.”")
    quotes = _draft(body, [LINEKER, BBC])
    assert "Gary is being treated badly." not in quotes
    assert "He should be sacked," not in quotes and "Not suspended." not in quotes
    assert quotes["We consider it a breach of our guidelines."]["speaker"] == "bbc"


def test_a_new_name_becomes_a_stub_with_its_kind_and_reason() -> None:
    meta = ArticleMeta(title="A story", date=dt.date(2025, 3, 7))
    body = "“Prices will fall,” said Derek Scissors. “We acted,” the Finance Ministry said."
    article = Article(meta=meta, slug="story", markdown=body.encode(), path="story.md", body_line=1)
    actors = {actor["id"]: actor for actor in draft_article(article, [], []).actors}
    assert actors["derek-scissors"]["kind"] == "person"
    assert actors["finance-ministry"]["kind"] == "organisation" and "'Ministry'" in actors["finance-ministry"]["why"]


# -- dates --------------------------------------------------------------------------------------------

def test_weekday_words_resolve_against_the_article_date_never_after_it() -> None:
    friday = dt.date(2025, 3, 7)
    assert _resolve_day("wednesday", friday) == dt.date(2025, 3, 5)
    assert _resolve_day("friday", friday) == friday
    assert _resolve_day("saturday", friday) == dt.date(2025, 3, 1)
    assert _resolve_day("yesterday", friday) == dt.date(2025, 3, 6)
    assert day_word("“It was on Monday,” she said on Tuesday.") == "tuesday"  # not the quoted word
    quotes = _draft("“We acted,” Ardern said on Wednesday.", [ARDERN])
    assert quotes["We acted,"]["said_on"] == "2025-03-05"
    assert "'wednesday' against the article's date 2025-03-07" in quotes["We acted,"]["why"]["said_on"]


def test_titles_after_told_or_on_are_not_quotations() -> None:
    body = ("Sheriff Carmine Marceno said deputies were searching. “We keep going,” Marceno told “Good Morning "
            "America.” He appeared on “Face the Nation” on Sunday.")
    quotes = _draft(body, [_person("carmine-marceno", "Carmine Marceno", "Marceno")])
    assert list(quotes) == ["We keep going,"]


def test_a_quotation_after_a_sentence_of_reported_speech_is_its_subject_s() -> None:
    body = "Ardern spoke in Napier.\n\nShe said there was no secret reason behind it. “I am human. And it is time.”"
    quote = _draft(body, [ARDERN])["I am human. And it is time."]
    assert quote["speaker"] == "jacinda-ardern" and "the sentence before" in quote["why"]["speaker"]


def test_an_office_means_the_subject_named_just_before_not_the_last_name() -> None:
    body = ("Rishi Sunak will travel to Kyiv to meet Volodymyr Zelensky, Downing Street said.\n\n"
            "The Prime Minister said Britain would stand with Ukraine “for as long as it takes”.")
    actors = [_person("rishi-sunak", "Rishi Sunak", "Sunak"), _person("volodymyr-zelensky", "Volodymyr Zelensky")]
    quote = _draft(body, actors)["for as long as it takes"]
    assert quote["speaker"] == "rishi-sunak" and "first person named just before" in quote["why"]["speaker"]


def test_a_word_after_a_preposition_is_no_reporting_verb() -> None:
    paragraph = "The BBC said he would “step back” from the show until an agreed position was reached."
    assert attribution(quote_spans(paragraph, 0)[0]).who == "The BBC"


def test_a_plural_body_is_read_as_the_organisation_last_named() -> None:
    body = "CGIL chief Maurizio Landini called a strike. The unions said the budget would do «nothing to raise wages»."
    actors = [{"id": "cgil", "kind": "organisation", "name": "CGIL"}, _person("maurizio-landini", "Maurizio Landini")]
    assert _draft(body, actors)["nothing to raise wages"]["speaker"] == "cgil"
