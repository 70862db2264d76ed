"""The UN's voting rules (unrules.py) and the build's vote checks (votecheck.py): outcomes computed
by each body's rule, vetoes, membership on the vote's date, one file per resolution."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from explainer.unrules import (
    PERMANENT_MEMBERS,
    assembly_member,
    council_members,
    council_years,
    decide,
    decide_assembly,
    decide_council,
)
from explainer.yamlio import dump_yaml

from conftest_helpers import run_cli

COUNCIL_2025 = {"CHN": "yes", "FRA": "yes", "RUS": "yes", "GBR": "yes", "USA": "yes", "DZA": "yes", "GUY": "yes",
                "KOR": "yes", "SLE": "yes", "SVN": "abstain", "DNK": "abstain", "GRC": "abstain", "PAK": "abstain",
                "PAN": "abstain", "SOM": "abstain"}


# --- the rules ---------------------------------------------------------------------------


def test_council_needs_nine_and_no_permanent_no() -> None:
    assert decide_council(9, ()).result == "adopted"
    assert decide_council(8, ()).result == "rejected"
    vetoed = decide_council(11, ["RUS", "DZA"])
    assert (vetoed.result, vetoed.vetoed_by) == ("vetoed", ("RUS",))  # an elected member's no is no veto
    # fewer than nine in favour: failed for want of votes, not vetoed
    assert decide_council(7, ["USA"]).result == "rejected"
    # a procedural decision: nine votes, no veto
    assert decide_council(9, ["USA"], "procedural").result == "adopted"


def test_assembly_majorities() -> None:
    assert decide_assembly(93, 18).result == "adopted"
    assert decide_assembly(50, 50).result == "rejected"  # a tie is a rejection (rule 95)
    assert decide_assembly(100, 51, "two-thirds").result == "rejected"  # 66.2 % of those voting
    assert decide_assembly(100, 50, "two-thirds").result == "adopted"  # exactly two thirds
    assert decide("general-assembly",
                  {"yes": 10, "no": 5, "abstain": 170}).result == "adopted"  # abstentions don't count


def test_council_composition_covers_2000_to_2026() -> None:
    assert council_years().start <= 2000 and council_years().stop - 1 >= 2026
    for year in range(2000, 2027):
        members = council_members(dt.date(year, 6, 1))
        assert members is not None and len(members) == 15 and members >= PERMANENT_MEMBERS, year
    members_2025 = council_members(dt.date(2025, 2, 24))
    assert members_2025 == frozenset(COUNCIL_2025)
    assert "DEU" not in members_2025
    assert {"BHR", "COL", "COD", "LVA", "LBR"} <= (council_members(dt.date(2026, 1, 1)) or set())
    assert "ITA" in (council_members(dt.date(2017, 5, 1)) or set())  # the split 2017-2018 term
    assert "NLD" in (council_members(dt.date(2018, 5, 1)) or set())
    assert council_members(dt.date(1990, 1, 1)) is None  # not in the table: not checked


@pytest.mark.parametrize(("code", "admitted"), [("SSD", "2011-07-14"), ("MNE", "2006-06-28"),
                                                ("TLS", "2002-09-27"), ("CHE", "2002-09-10")])
def test_assembly_membership_by_admission_date(code: str, admitted: str) -> None:
    day = dt.date.fromisoformat(admitted)
    assert not assembly_member(code, day - dt.timedelta(days=1))
    assert assembly_member(code, day)
    assert assembly_member("FRA", dt.date(2001, 1, 1))
    assert not assembly_member("XKX", dt.date(2025, 1, 1))


# --- the build's checks, on small real projects ------------------------------------------


def _project(tmp_path: Path, *votes: dict[str, object]) -> Path:
    root = tmp_path / "p"
    (root / "content" / "votes").mkdir(parents=True)
    (root / "config.yaml").write_text("title: Votes\n", encoding="utf-8")
    for vote in votes:
        (root / "content" / "votes" / f"{vote['id']}.yaml").write_text(dump_yaml(vote), encoding="utf-8")
    return root


def _council(**changes: object) -> dict[str, object]:
    vote: dict[str, object] = {"id": "s-res-1", "body": "security-council", "resolution": "S/RES/1 (2025)",
                               "title": "A test", "date": "2025-02-24", "result": "adopted",
                               "tally": {"yes": 9, "no": 0, "abstain": 6, "absent": 0},
                               "members_complete": True, "members": dict(COUNCIL_2025)}
    vote.update(changes)
    return vote


def _errors(root: Path) -> list[str]:
    run = run_cli("check", "--root", str(root))
    assert "Traceback" not in run.err and "internal error" not in run.err
    return [line for line in run.err.splitlines() if ": error: " in line]


def _line(root: Path, name: str, marker: str) -> int:
    lines = (root / "content" / "votes" / name).read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if marker in text)


def _assert_error(errors: list[str], where: str, words: str) -> None:
    assert any(e.startswith(where) and words in e for e in errors), errors


def test_a_sound_council_vote_passes(tmp_path: Path) -> None:
    assert _errors(_project(tmp_path, _council())) == []


def test_a_member_not_on_the_council_that_day_is_an_error(tmp_path: Path) -> None:
    members = dict(COUNCIL_2025)
    members["DEU"] = members.pop("DNK")  # Germany in place of Denmark, 2025
    root = _project(tmp_path, _council(members=members))
    errors = _errors(root)
    _assert_error(errors, f"content/votes/s-res-1.yaml:{_line(root, 's-res-1.yaml', 'DEU:')}:",
                  "Germany (DEU) was not a member of the Security Council on 2025-02-24")


def test_a_veto_by_a_member_who_voted_yes_or_is_not_permanent_is_an_error(tmp_path: Path) -> None:
    root = _project(tmp_path, _council(vetoed_by=["FRA", "DZA"]))
    errors = _errors(root)
    path = "content/votes/s-res-1.yaml"
    _assert_error(errors, f"{path}:{_line(root, 's-res-1.yaml', '- FRA')}:", "recorded voting 'yes' here, not 'no'")
    _assert_error(errors, f"{path}:{_line(root, 's-res-1.yaml', '- DZA')}:", "Algeria cannot veto")


def test_a_permanent_no_makes_a_veto_and_rejected_must_say_so(tmp_path: Path) -> None:
    members = dict(COUNCIL_2025, RUS="no", SVN="yes")
    tally = {"yes": 9, "no": 1, "abstain": 5, "absent": 0}
    root = _project(tmp_path, _council(members=members, tally=tally, result="rejected"))
    _assert_error(_errors(root), f"content/votes/s-res-1.yaml:{_line(root, 's-res-1.yaml', 'result:')}:",
                  "result 'rejected' contradicts the votes: 9 in favour, but permanent member Russian Federation")


def test_a_computed_veto_is_shown_on_the_page_and_in_json_ld(tmp_path: Path) -> None:
    members = dict(COUNCIL_2025, RUS="no", SVN="yes")
    vote = _council(members=members, tally={"yes": 9, "no": 1, "abstain": 5, "absent": 0})
    del vote["result"]  # computed
    root = _project(tmp_path, vote)
    run = run_cli("build", "--root", str(root))
    assert run.code == 0, run.err
    page = (root / "site" / "votes" / "s-res-1" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'result-vetoed">Vetoed</span> by <a href="/actors/russian-federation/">Russian Federation', page)
    assert "seat-veto" in page  # marked on the chart
    data = [json.loads(block)
            for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)]
    events = [node for block in data for node in block.get("@graph", [block]) if node.get("@type") == "Event"]
    assert events and events[0]["description"].startswith("Vetoed by Russian Federation")


def test_the_majority_rule_is_a_field(tmp_path: Path) -> None:
    vote = {"id": "a-res-1", "body": "general-assembly", "resolution": "A/RES/1", "title": "Two thirds",
            "date": "2025-02-24", "result": "adopted", "majority": "two-thirds",
            "tally": {"yes": 100, "no": 51, "abstain": 0}}
    root = _project(tmp_path, vote)
    _assert_error(_errors(root), "content/votes/a-res-1.yaml:", "two thirds of the members present and voting")
    vote["majority"] = "simple"
    assert _errors(_project(tmp_path / "b", vote)) == []


def test_a_state_admitted_after_the_vote_is_an_error(tmp_path: Path) -> None:
    vote = {"id": "a-res-2", "body": "general-assembly", "resolution": "A/RES/2", "title": "Early",
            "date": "2010-05-01", "tally": {"yes": 2, "no": 0}, "members": {"SSD": "yes", "FRA": "yes"}}
    root = _project(tmp_path, vote)
    _assert_error(_errors(root), f"content/votes/a-res-2.yaml:{_line(root, 'a-res-2.yaml', 'SSD')}:",
                  "South Sudan (SSD) was not a UN member on 2010-05-01")


def test_two_files_for_one_resolution_is_an_error_naming_both(tmp_path: Path) -> None:
    root = _project(tmp_path, _council(), _council(id="s-res-1-copy", resolution="s/res/1(2025)"))
    errors = [e for e in _errors(root) if "already has a vote file" in e]
    assert len(errors) == 1
    assert "content/votes/s-res-1.yaml" in errors[0] and "content/votes/s-res-1-copy.yaml" in errors[0]
