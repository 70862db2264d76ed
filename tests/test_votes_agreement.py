"""Who votes with whom (agreement.py): shares over the votes both cast, abstentions as a
position, absences left out, closest and farthest, per-vote differences on the state pages."""

from __future__ import annotations

import random
import re
import time
import tracemalloc
from pathlib import Path

from explainer.agreement import link_agreement
from explainer.model import SiteConfig
from explainer.resolved import Agreement, Ballot, Site
from explainer.unstates import load_member_states
from explainer.yamlio import dump_yaml

from conftest_helpers import run_cli


def _site(ballots: dict[str, dict[str, str]]) -> Site:
    site = Site(config=SiteConfig(title="t"))
    for vote, members in ballots.items():
        site.ballots[(vote, None)] = [Ballot(actor.lower(), actor, choice) for actor, choice in members.items()]
    return site


def test_shares_count_abstentions_as_a_position_and_leave_absences_out() -> None:
    site = _site({
        "v1": {"A": "yes", "B": "yes", "C": "no", "D": "abstain"},
        "v2": {"A": "abstain", "B": "abstain", "C": "yes", "D": "absent"},
        "v3": {"A": "no", "B": "yes", "C": "no", "D": "no"},
    })
    link_agreement(site)
    rows = {row.other: row for row in site.agreement["a"].rows}
    assert rows["b"] == Agreement("b", 2, 3)  # alike on v1 (yes) and v2 (both abstained)
    assert rows["c"] == Agreement("c", 1, 3)
    assert rows["d"] == Agreement("d", 1, 2)  # v2 left out: D did not vote
    assert [row.other for row in site.agreement["a"].rows] == ["b", "d", "c"]  # 67 %, 50 %, 33 %
    assert site.agreement["a"].closest[0].other == "b" and site.agreement["a"].farthest[0].other == "c"
    diffs = site.vote_diffs[("a", "b")]
    assert [(d.vote, d.mine, d.theirs) for d in diffs] == [("v3", "no", "yes")]


def test_the_differences_of_a_year_of_votes_are_kept_as_bit_sets_not_tuples() -> None:
    """Issue 24: as a tuple of VoteDiff per pair, a 5,000-article corpus's differences were about
    15 MiB of every build process; listed when read, they cost a few integers per pair."""
    rng = random.Random(2)
    codes = sorted(load_member_states())
    site = _site({f"v{i}": {c: rng.choice(("yes", "yes", "no", "abstain", "absent")) for c in codes}
                  for i in range(236)})
    tracemalloc.start()
    try:
        link_agreement(site)
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    shown = sum(len(diffs) for diffs in site.vote_diffs.values())
    assert shown > 150_000  # ten partners for each of 193 members, about half the votes each
    assert kept < 8_000_000, f"{kept / 1e6:.1f} MB kept for {shown:,} differences"
    first = next(iter(site.vote_diffs[("afg", site.agreement["afg"].closest[0].other)]))
    assert first.mine in ("yes", "no", "abstain") and first.mine != first.theirs


def test_a_year_of_votes_by_all_members_takes_well_under_seconds() -> None:
    rng = random.Random(1)
    codes = sorted(load_member_states())
    site = _site({f"v{i}": {c: rng.choice(("yes", "yes", "no", "abstain", "absent")) for c in codes}
                  for i in range(236)})
    started = time.process_time()
    link_agreement(site)
    spent = time.process_time() - started
    assert len(site.agreement) == 193 and all(len(t.rows) == 192 for t in site.agreement.values())
    assert spent < 3.0, f"{spent:.2f} s CPU for 193 members x 236 votes"


def _state_page(root: Path, actor: str) -> str:
    return (root / "site" / "actors" / actor / "index.html").read_text(encoding="utf-8")


def test_state_pages_show_agreement_and_differences_reachable_from_both(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "content" / "votes").mkdir(parents=True)
    (root / "config.yaml").write_text("title: Votes\n", encoding="utf-8")
    votes = {"a-res-1": {"USA": "no", "FRA": "yes", "GBR": "yes", "RUS": "no"},
             "a-res-2": {"USA": "yes", "FRA": "yes", "GBR": "abstain", "RUS": "no"},
             "a-res-3": {"USA": "yes", "FRA": "no", "GBR": "yes", "RUS": "absent"}}
    for number, (vote_id, members) in enumerate(votes.items(), 1):
        document = {"id": vote_id, "body": "general-assembly", "resolution": f"A/RES/{number}", "title": "T",
                    "date": "2025-03-01", "tally": {"yes": 100, "no": 50}, "members": members}
        (root / "content" / "votes" / f"{vote_id}.yaml").write_text(dump_yaml(document), encoding="utf-8")
    run = run_cli("build", "--root", str(root))
    assert run.code == 0, run.err
    usa = _state_page(root, "united-states-of-america")
    assert 'id="agreement"' in usa
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", usa))
    assert "Russian Federation : 50 % (1 of 2 alike)" in text  # a-res-3 left out: Russia did not vote
    assert "France : 33 % (1 of 3 alike)" in text
    # the differences with France are on the United States' page, and France's page links to them
    assert 'id="with-france"' in usa
    # grouped by the pair of positions, each named once, then the votes (A/RES/3 alike: yes, no)
    differed = usa[usa.index('id="with-france"'):]
    differed = differed[:differed.index("</details>")]
    assert re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", differed) == [
        ('<span class="vote-badge vote-yes">United States of America: in favour</span> '
         '<span class="vote-badge vote-no">France: against</span>', '<a href="/votes/a-res-3/">A/RES/3</a>'),
        ('<span class="vote-badge vote-no">United States of America: against</span> '
         '<span class="vote-badge vote-yes">France: in favour</span>', '<a href="/votes/a-res-1/">A/RES/1</a>')]
    france = _state_page(root, "france")
    assert ('href="/actors/united-states-of-america/#with-france"' in france
            or 'id="with-united-states-of-america"' in france)
    # every other member compared, one row each: name, share, votes compared, where they differed
    # (cells and rows closed by the next ones: no end tags, as HTML allows)
    table = usa[usa.index('<details class="agreement-all">'):]
    body = table[table.index("<tbody>") + len("<tbody>"):table.index("</tbody>")]
    rows = {re.sub(r"<[^>]+>", "", row.split("<td>")[1]): [cell.strip() for cell in row.split("<td>")[2:]]
            for row in body.split("<tr>")[1:]}
    assert len(rows) == 3 and all(len(cells) == 3 for cells in rows.values())  # the three others that voted
    assert rows["France"] == ["33 %", "3", '<a href="#with-france">here</a>']
    assert rows["Russian Federation"][:2] == ["50 %", "2"]
