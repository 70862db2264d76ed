"""Who votes with whom: each member's agreement with every other over the votes on the site.

Two members are compared on every vote (and amendment) on which both cast yes, no or abstain:
an abstention is a position of its own (alike when both abstain), and a member absent or not
voting is left out of that vote's comparison. Agreement is the share of compared votes cast
alike. The closest and farthest five are ranked among partners compared on at least half the
votes the member cast, so that one shared vote does not make a "closest" partner.

Vectorised by vote: each member's yes, no and abstain votes are bit sets over the ballot lists,
so a pair costs three ANDs and two bit counts whatever the number of votes (193 members are
18,528 pairs).
"""

from __future__ import annotations

from .resolved import Agreement, AgreementTable, Site, VoteDiffs

CAST = ("yes", "no", "abstain")
SHOWN = 5  # closest and farthest partners listed, each with its per-vote differences


def link_agreement(site: Site) -> None:
    """Fill ``site.agreement`` and ``site.vote_diffs`` from ``site.ballots``."""
    lists = tuple(site.ballots)  # bit i: the i-th ballot list, (vote, amendment)
    masks: dict[str, list[int]] = {}
    for bit, key in enumerate(lists):
        for ballot in site.ballots[key]:
            if ballot.vote in CAST:
                masks.setdefault(ballot.actor, [0, 0, 0])[CAST.index(ballot.vote)] |= 1 << bit
    rows = _pairs(masks)
    site.agreement, site.vote_diffs = {}, {}
    for actor in sorted(rows):
        table = _table(rows[actor], (_present(masks[actor])).bit_count())
        site.agreement[actor] = table
        for partner in (*table.closest, *table.farthest):
            mine, theirs = masks[actor], masks[partner.other]
            alike = (mine[0] & theirs[0]) | (mine[1] & theirs[1]) | (mine[2] & theirs[2])
            differ = _present(mine) & _present(theirs) & ~alike
            site.vote_diffs[(actor, partner.other)] = VoteDiffs(lists, (mine[0], mine[1], mine[2]),
                                                                (theirs[0], theirs[1], theirs[2]), differ)


def _present(mask: list[int]) -> int:
    return mask[0] | mask[1] | mask[2]


def _pairs(masks: dict[str, list[int]]) -> dict[str, list[Agreement]]:
    actors = sorted(masks)
    present = {actor: _present(masks[actor]) for actor in actors}
    rows: dict[str, list[Agreement]] = {actor: [] for actor in actors}
    for index, actor in enumerate(actors):
        yes, no, abstain = masks[actor]
        both_in = present[actor]
        for other in actors[index + 1:]:
            compared = (both_in & present[other]).bit_count()
            if not compared:
                continue
            other_yes, other_no, other_abstain = masks[other]
            alike = ((yes & other_yes) | (no & other_no) | (abstain & other_abstain)).bit_count()
            rows[actor].append(Agreement(other, alike, compared))
            rows[other].append(Agreement(actor, alike, compared))
    return rows


def _table(rows: list[Agreement], cast: int) -> AgreementTable:
    ranked = tuple(sorted(rows, key=lambda r: (-r.alike / r.compared, -r.compared, r.other)))
    minimum = max(1, cast // 2)
    eligible = [row for row in ranked if row.compared >= minimum]
    # Few partners are split between the two lists rather than all called "closest".
    closest = tuple(eligible[:min(SHOWN, (len(eligible) + 1) // 2)])
    farthest = tuple(reversed(eligible[len(eligible) - min(SHOWN, len(eligible) // 2):]))
    return AgreementTable(cast, minimum, ranked, closest, farthest)
