"""`build.py suggest`: drafted quotes and actors (issue #25.4), on the seed story and small cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explainer.yamlio import load_yaml
from tests.conftest import copy_example
from tests.conftest_helpers import run_cli

SLUG = "putin-us-relations-trump"


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _draft(root: Path, slug: str) -> dict:
    return load_yaml((root / "content" / "raw" / f"{slug}.suggested.yaml").read_text(), "draft")


@pytest.fixture
def seed_without_quotes(tmp_path: Path) -> tuple[Path, list[dict]]:
    root = copy_example(tmp_path / "site")
    quotes_file = root / "content" / "quotes" / f"{SLUG}.yaml"
    hand_written = load_yaml(quotes_file.read_text(), "quotes")
    quotes_file.unlink()
    return root, hand_written


def test_draft_reproduces_the_hand_written_quotes_of_the_seed(seed_without_quotes: tuple[Path, list[dict]]) -> None:
    root, hand_written = seed_without_quotes
    result = run_cli("suggest", SLUG, "--root", str(root))
    assert result.code == 0, result.err
    drafted = {_fold(quote["text"]): quote for quote in _draft(root, SLUG)["quotes"]}
    right = [quote for quote in hand_written
             if _fold(quote["text"]) in drafted and drafted[_fold(quote["text"])]["speaker"] == quote["speaker"]]
    assert len(hand_written) == 11 and len(right) >= 10
    for quote in right:  # where the hand-written quote has a date or an addressee, the draft agrees
        mine = drafted[_fold(quote["text"])]
        for key in ("said_on", "said_to"):
            if key in quote and key in mine:
                assert str(mine[key]) == str(quote[key]), (quote["id"], key)
    assert sum("said_on" in drafted[_fold(q["text"])] for q in right if "said_on" in q) >= 4
    assert all(quote["why"]["speaker"] for quote in drafted.values())
    assert len(drafted) <= 12  # few false ones


def test_draft_is_ignored_by_the_build_then_accepted(seed_without_quotes: tuple[Path, list[dict]]) -> None:
    root, _ = seed_without_quotes
    assert run_cli("suggest", SLUG, "--root", str(root)).code == 0
    checked = run_cli("check", "--root", str(root))
    assert checked.code == 0, checked.err
    assert "suggested" not in checked.err
    again = run_cli("suggest", SLUG, "--root", str(root))
    assert again.code == 1 and "--force" in again.err  # an existing draft is not overwritten
    accepted = run_cli("suggest", "--accept", SLUG, "--root", str(root))
    assert accepted.code == 0, accepted.err
    assert f"accepted content/quotes/{SLUG}.yaml" in accepted.out and "checked" in accepted.out
    assert not (root / "content" / "raw" / f"{SLUG}.suggested.yaml").exists()
    written = load_yaml((root / "content" / "quotes" / f"{SLUG}.yaml").read_text(), "quotes")
    assert len(written) >= 10 and all("why" not in quote for quote in written)


def test_annotated_quotes_are_not_drafted_again(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "site")
    assert run_cli("suggest", SLUG, "--root", str(root)).code == 0
    assert len(_draft(root, SLUG)["quotes"]) <= 1


def _project(tmp_path: Path, body: str, actors: dict[str, str]) -> Path:
    root = tmp_path / "site"
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "actors").mkdir()
    (root / "config.yaml").write_text("title: Test\n")
    (root / "content" / "articles" / "story.md").write_text(
        f"---\ntitle: A story\ndate: 2025-03-07\n---\n\n{body}\n")  # a Friday
    for actor_id, text in actors.items():
        (root / "content" / "actors" / f"{actor_id}.yaml").write_text(text)
    return root


MAYOR = "id: anna-berg\nkind: person\nname: Anna Berg\naliases: [Berg]\n"


def test_split_partial_and_pronoun_quotations(tmp_path: Path) -> None:
    body = ("Mayor Anna Berg opened the bridge on Wednesday. “It took ten years,” she said. “It was worth it.”\n\n"
            "Berg later called the delays “a lesson in patience” and thanked the workers.\n\n"
            "“We will finish the second bridge by 2027,” said Tomas Lind, the city engineer, told the "
            "Valley Post on Thursday.\n\n"
            "The so-called “quiet bridge” opened to traffic at noon.")
    root = _project(tmp_path, body, {"anna-berg": MAYOR})
    assert run_cli("suggest", "story", "--root", str(root)).code == 0
    draft = _draft(root, "story")
    quotes = {quote["text"]: quote for quote in draft["quotes"]}
    assert quotes["It took ten years,"]["speaker"] == "anna-berg"
    assert "'she' read as anna-berg, the person last named" in quotes["It took ten years,"]["why"]["speaker"]
    assert quotes["It was worth it."]["speaker"] == "anna-berg"
    assert "continues the quotation" in quotes["It was worth it."]["why"]["speaker"]
    assert quotes["It took ten years,"]["said_on"] == "2025-03-05"
    assert quotes["a lesson in patience"]["speaker"] == "anna-berg"
    engineer = quotes["We will finish the second bridge by 2027,"]
    assert engineer["speaker"] == "tomas-lind" and engineer["said_on"] == "2025-03-06"
    assert {"id": "tomas-lind", "kind": "person", "name": "Tomas Lind"}.items() <= \
        next(a for a in draft["actors"] if a["id"] == "tomas-lind").items()
    assert "quiet bridge" not in quotes  # a scare quote: no reporting verb in its sentence


def test_accept_refuses_an_invalid_draft_and_writes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path, "“It took ten years,” Berg said.", {"anna-berg": MAYOR})
    assert run_cli("suggest", "story", "--root", str(root)).code == 0
    draft_file = root / "content" / "raw" / "story.suggested.yaml"
    draft_file.write_text(draft_file.read_text().replace("speaker: anna-berg", "speaker: Anna Berg"))
    result = run_cli("suggest", "--accept", "story", "--root", str(root))
    assert result.code == 1 and "quotes[0] speaker" in result.err
    assert not (root / "content" / "quotes").exists() and draft_file.exists()


@pytest.mark.parametrize("cases_file", ["cases.yaml", "written-dev/cases.yaml"])
def test_benchmark_cases_keep_their_figures(cases_file: str) -> None:
    """benchmarks/README-suggest.md's development figures, so a rule change cannot lower them."""
    from benchmarks.suggest import DEFAULT, run_case

    path = DEFAULT.parent / cases_file
    cases = load_yaml(path.read_text(), "cases")
    totals = [sum(values) for values in zip(*(run_case(case, path.parent)[:4] for case in cases))]
    drafted, expected, matched, right = totals
    precision, recall = matched / drafted, matched / expected
    assert 2 * precision * recall / (precision + recall) >= 0.95 and right / matched >= 0.95
