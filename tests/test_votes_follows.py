"""A vote that follows an earlier one (#22.6): what each member changed, as a list and on the chart."""

from __future__ import annotations

import re
from pathlib import Path

from explainer.yamlio import dump_yaml

from conftest_helpers import run_cli

COUNCIL = {"CHN": "yes", "FRA": "yes", "RUS": "yes", "GBR": "yes", "USA": "yes", "DZA": "yes", "GUY": "yes",
           "KOR": "yes", "SLE": "yes", "SVN": "abstain", "DNK": "abstain", "GRC": "abstain", "PAK": "abstain",
           "PAN": "abstain", "SOM": "abstain"}


def _vote(vote_id: str, number: int, members: dict[str, str], **extra: object) -> dict[str, object]:
    counts = {c: sum(1 for v in members.values() if v == c) for c in ("yes", "no", "abstain", "absent")}
    return {"id": vote_id, "body": "security-council", "resolution": f"S/RES/{number} (2025)", "title": "T",
            "date": "2025-03-01", "tally": counts, "members_complete": True, "members": members, **extra}


def _project(tmp_path: Path, *votes: dict[str, object]) -> Path:
    root = tmp_path / "p"
    (root / "content" / "votes").mkdir(parents=True)
    (root / "config.yaml").write_text("title: Votes\n", encoding="utf-8")
    for vote in votes:
        (root / "content" / "votes" / f"{vote['id']}.yaml").write_text(dump_yaml(vote), encoding="utf-8")
    return root


def test_the_page_lists_and_marks_what_each_member_changed(tmp_path: Path) -> None:
    later = dict(COUNCIL, FRA="abstain", DNK="yes", PAN="no")
    root = _project(tmp_path, _vote("s-res-1", 1, COUNCIL), _vote("s-res-2", 2, later, follows="s-res-1"))
    run = run_cli("build", "--root", str(root))
    assert run.code == 0, run.err
    page = (root / "site" / "votes" / "s-res-2" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Since S/RES/1 (2025)" in text and "3 members voted otherwise this time" in text
    assert "Denmark : Abstained → In favour" in text
    assert "France : In favour → Abstained" in text
    assert "Panama : Abstained → Against" in text
    assert page.count('class="was"') == 3 and "was ✓</text>" in page  # France's seat
    assert "France (permanent member): abstained (before: in favour)" in page
    earlier = (root / "site" / "votes" / "s-res-1" / "index.html").read_text(encoding="utf-8")
    assert 'class="was"' not in earlier


def test_an_unknown_predecessor_is_an_error(tmp_path: Path) -> None:
    root = _project(tmp_path, _vote("s-res-1", 1, COUNCIL, follows="s-res-0"))
    run = run_cli("check", "--root", str(root))
    assert run.code == 1 and "follows: 's-res-0' is not a vote" in run.err, run.err


def test_the_world_map_outlines_changed_members() -> None:
    from explainer import charts
    from explainer.unstates import m49_by_iso3

    ballots = [charts.Ballot("FRA", "France", "abstain", "/actors/france/", was="yes"),
               charts.Ballot("DEU", "Germany", "yes", "/actors/germany/")]
    svg = charts.world_map(ballots, title="A", chart_id="m", m49_of=m49_by_iso3(), sprite="/s.svg").svg
    france = '<a href="/actors/france/" class="changed"><title>France: abstained (before: in favour)</title>'
    assert france in svg
    assert '<use href="/s.svg#m250" stroke="currentColor" stroke-width="1.5"/>' in svg
    assert "Outlined: vote changed" in [entry.label for entry in charts.legend(ballots, world=True)]
    assert "1 member voted otherwise than before." in svg
    assert '<a href="/actors/germany/"><title>Germany: in favour</title><use href="/s.svg#m276"/></a>' in svg
