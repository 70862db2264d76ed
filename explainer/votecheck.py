"""Linking votes: members resolved to actors, tallies, membership on the day and outcomes checked
against the body's rules (unrules.py), one file per resolution, and each actor's voting record.

Part of the link stage (link.py calls ``link_votes``); the rules themselves live in unrules.py,
which ``import-vote`` uses too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TypeVar

from .actorrefs import member_actor, unknown_actor
from .diagnose import suggest
from .errors import Report
from .model import Amendment, Vote
from .resolved import Ballot, Decision, Site, VoteChange, VoteRecord
from .unrules import (
    COUNCIL,
    COUNCIL_SEATS,
    admitted,
    assembly_member,
    assembly_rule,
    council_members,
    council_rule,
    council_seat_note,
    decide,
    normalize_symbol,
)
from .unstates import PERMANENT_MEMBERS, load_member_states
from .validate import Content, Origin

CHOICES = ("yes", "no", "abstain", "absent")
_Subject = TypeVar("_Subject", Vote, Amendment)


def link_votes(site: Site, content: Content, report: Report) -> None:
    """Resolve and check every vote into ``site`` (ballots, records, outcomes)."""
    _check_one_file_per_resolution(site, content, report)
    for vote in site.votes.values():
        resolve_vote(site, vote, content.origin("vote", vote.id), report)
    site.vote_changes = {vote.id: vote_changes(site, vote.id, vote.follows) for vote in site.votes.values()
                         if vote.follows in site.votes and vote.follows != vote.id}


def vote_changes(site: Site, vote_id: str, earlier: str) -> tuple[VoteChange, ...]:
    """Members recorded on both votes whose vote changed, by member name."""
    before = {ballot.actor: ballot.vote for ballot in site.ballots.get((earlier, None), ())}
    changed = [VoteChange(b.actor, b.code, before[b.actor], b.vote) for b in site.ballots.get((vote_id, None), ())
               if b.actor in before and before[b.actor] != b.vote]
    return tuple(sorted(changed, key=lambda c: (site.actors[c.actor].name, c.actor)))


def _check_one_file_per_resolution(site: Site, content: Content, report: Report) -> None:
    first: dict[str, Vote] = {}
    for vote in site.votes.values():
        key = normalize_symbol(vote.resolution)
        if key not in first:
            first[key] = vote
            continue
        where, other = content.origin("vote", vote.id).at("resolution"), content.origin("vote", first[key].id)
        report.error("duplicate-resolution", f"resolution {vote.resolution} already has a vote file: "
                     f"{other.at('resolution')} (vote '{first[key].id}')", where,
                     "one resolution, one file: merge the two files or correct the symbol")


def _resolve_members(site: Site, vote: Vote, members: Mapping[str, str], origin: Origin, keys: tuple[object, ...],
                     report: Report) -> list[Ballot]:
    ballots: list[Ballot] = []
    seen: dict[str, str] = {}
    for key, choice in members.items():
        actor = member_actor(site, key)
        if actor is None:
            known = list(site.actors) + list(load_member_states())
            report.error("unknown-reference",
                         f"member '{key}' is neither an actor nor a UN member code{suggest(key, known)}",
                         origin.at(*keys, key), "use an ISO 3166-1 alpha-3 code such as USA, or an actor id")
            continue
        if actor in seen:
            report.error("duplicate-member", f"member '{key}' is listed twice (also as '{seen[actor]}')",
                         origin.at(*keys, key), "keep one entry per member")
            continue
        seen[actor] = key
        code = site.actors[actor].iso3 or key
        _check_member(vote, key, code, origin, (*keys, key), report)
        ballots.append(Ballot(actor=actor, code=code, vote=choice))
    return ballots


def resolve_vote(site: Site, vote: Vote, origin: Origin, report: Report) -> None:
    for field_name, named in (("drafter", [vote.drafter] if vote.drafter else []), ("sponsors", vote.sponsors)):
        for index, key in enumerate(named):
            if member_actor(site, key) is None:
                where = origin.at(field_name) if field_name == "drafter" else origin.at(field_name, index)
                unknown_actor(site, key, where, report, field_name.rstrip("s"))
    if (vote.follows is not None and (vote.follows not in site.votes or vote.follows == vote.id)
            and ("vote", vote.follows) not in site.broken):
        why = "is this vote itself" if vote.follows == vote.id else f"is not a vote{suggest(vote.follows, site.votes)}"
        report.error("unknown-reference", f"follows: '{vote.follows}' {why}", origin.at("follows"),
                     "name the id of the earlier vote in content/votes/")
    ballots = _resolve_members(site, vote, vote.members, origin, ("members",), report)
    site.ballots[(vote.id, None)] = ballots
    # Keyed like site.ballots: a repeated amendment id keeps its last list, as the page shows.
    cast: dict[str | None, list[Ballot]] = {None: ballots}
    _check_counted(vote, vote, ballots, origin, (), report)
    site.outcomes[(vote.id, None)] = _check_outcome(site, vote, vote, ballots, origin, (), report)
    amendment_ids: set[str] = set()
    for index, amendment in enumerate(vote.amendments):
        keys = ("amendments", index)
        if amendment.id in amendment_ids:
            # Both would share one anchor on the vote page and one list of ballots.
            report.error("duplicate-id", f"amendment id '{amendment.id}' is used twice in vote '{vote.id}'",
                         origin.at(*keys, "id"), "give each amendment its own id")
        amendment_ids.add(amendment.id)
        for key_index, key in enumerate(amendment.proposers):
            if member_actor(site, key) is None:
                unknown_actor(site, key, origin.at(*keys, "proposers", key_index), report, "proposer")
        amendment_ballots = _resolve_members(site, vote, amendment.members, origin, (*keys, "members"), report)
        site.ballots[(vote.id, amendment.id)] = amendment_ballots
        cast[amendment.id] = amendment_ballots
        _check_counted(vote, amendment, amendment_ballots, origin, keys, report)
        site.outcomes[(vote.id, amendment.id)] = _check_outcome(site, vote, amendment, amendment_ballots, origin,
                                                                keys, report)
    for amendment_id, ballots in cast.items():
        for ballot in ballots:
            site.voting_records.setdefault(ballot.actor, []).append(VoteRecord(vote.id, amendment_id, ballot.vote))
    site.votes[vote.id] = _with_outcomes(site, vote)


def _with_outcomes(site: Site, vote: Vote) -> Vote:
    """The vote as pages show it: computed results and vetoes filled in. The same object when
    the file already says them all (the usual case: page keys memoise objects by identity)."""
    amendments = [_filled(a, site.outcomes.get((vote.id, a.id))) for a in vote.amendments]
    filled = _filled(vote, site.outcomes.get((vote.id, None)))
    if filled is vote and all(new is old for new, old in zip(amendments, vote.amendments)):
        return vote
    return filled.model_copy(update={"amendments": amendments})


def _filled(subject: _Subject, decision: Decision | None) -> _Subject:
    if decision is None:
        return subject
    update: dict[str, object] = {}
    if subject.result != decision.result:
        update["result"] = decision.result
    if decision.vetoed_by and list(subject.vetoed_by) != list(decision.vetoed_by):
        update["vetoed_by"] = list(decision.vetoed_by)
    return subject.model_copy(update=update) if update else subject


def _complete(vote: Vote, subject: Vote | Amendment, ballots: Sequence[Ballot]) -> bool:
    """Whether the member list is the whole vote: declared for a vote, every seat for an amendment."""
    if isinstance(subject, Vote):
        return vote.members_complete
    if vote.body == COUNCIL:
        return len(ballots) == COUNCIL_SEATS
    return bool(ballots) and len(ballots) >= sum(1 for code in load_member_states() if assembly_member(code, vote.date))


def _check_counted(vote: Vote, subject: Vote | Amendment, ballots: list[Ballot], origin: Origin,
                   keys: tuple[object, ...], report: Report) -> None:
    """The member list against the declared tally, the Council's size and membership on the day."""
    counted = Counter(b.vote for b in ballots)
    complete = _complete(vote, subject, ballots)
    for choice in CHOICES:
        declared = subject.tally.get(choice)
        if declared is None:
            continue
        if counted[choice] > declared:
            report.error("tally",
                         f"{counted[choice]} members are listed as '{choice}' but the tally declares {declared}",
                         origin.at(*keys, "tally", choice), "correct the tally or the member list")
        elif complete and isinstance(subject, Vote) and counted[choice] != declared:
            report.error("tally", f"members_complete is true but {counted[choice]} members voted '{choice}' "
                         f"against a declared {declared}", origin.at(*keys, "tally", choice),
                         "add the missing members or set members_complete: false")
    declared_total = sum(v for v in (subject.tally.get(c) for c in CHOICES) if v is not None)
    if vote.body == COUNCIL and (len(ballots) > COUNCIL_SEATS or declared_total > COUNCIL_SEATS):
        report.error("tally", f"the Security Council has {COUNCIL_SEATS} members, this vote counts "
                     f"{max(len(ballots), declared_total)}", origin.at(*keys, "members"), "remove the extra members")


def _check_member(vote: Vote, key: str, code: str, origin: Origin, keys: tuple[object, ...], report: Report) -> None:
    """A member listed could vote in that body on the vote's date (located only on error: a
    one-off build finds a line by reading the file again)."""
    states = load_member_states()
    council = council_members(vote.date) if vote.body == COUNCIL else None
    if code not in states:
        report.error("not-a-member", f"member '{key}' is not a UN member state (its actor has no iso3 code)",
                     origin.at(*keys), "only member states vote: give the actor its iso3 code or remove it")
    elif council is not None and code not in council:
        report.error("not-a-member", f"{states[code].name} ({code}) was not a member of the Security Council on "
                     f"{vote.date.isoformat()}", origin.at(*keys), council_seat_note(code, vote.date))
    elif vote.body != COUNCIL and not assembly_member(code, vote.date):
        report.error("not-a-member", f"{states[code].name} ({code}) was not a UN member on {vote.date.isoformat()}: "
                     f"admitted {admitted(code)}", origin.at(*keys), "check the date and the member list")


def _known_counts(vote: Vote, subject: Vote | Amendment, ballots: Sequence[Ballot]) -> dict[str, int | None]:
    """yes/no as the rules see them: counted from complete members, else the declared tally."""
    counted = Counter(b.vote for b in ballots)
    if _complete(vote, subject, ballots):
        return {choice: counted[choice] for choice in CHOICES}
    return {choice: subject.tally.get(choice) for choice in CHOICES}


def _vetoes(site: Site, vote: Vote, subject: Vote | Amendment, ballots: Sequence[Ballot], origin: Origin,
            keys: tuple[object, ...], report: Report) -> set[str]:
    """Permanent members recorded voting no, and those a hand-written vetoed_by names (checked)."""
    recorded = {b.code: b.vote for b in ballots}
    noes = {code for code, choice in recorded.items() if choice == "no" and code in PERMANENT_MEMBERS}
    for index, key in enumerate(subject.vetoed_by):
        where = origin.at(*keys, "vetoed_by", index)
        actor = member_actor(site, key)
        if actor is None:
            unknown_actor(site, key, where, report, "vetoed_by")
            continue
        code = site.actors[actor].iso3 or key
        if vote.body != COUNCIL:
            report.error("veto", "there is no veto in the General Assembly", where, "remove vetoed_by")
        elif code not in PERMANENT_MEMBERS:
            report.error("veto", f"{site.actors[actor].name} cannot veto: only the permanent members "
                         f"({', '.join(sorted(PERMANENT_MEMBERS))}) can", where,
                         "remove it from vetoed_by (a no of an elected member is not a veto)")
        elif code in recorded and recorded[code] != "no":
            report.error("veto", f"{site.actors[actor].name} is recorded voting '{recorded[code]}' here, not 'no': "
                         "only a no is a veto", where, "correct vetoed_by or the member's vote")
        elif code not in recorded and _complete(vote, subject, ballots):
            report.error("veto", f"{site.actors[actor].name} is not among the members who voted", where,
                         "correct vetoed_by or the member list")
        else:
            noes.add(code)
    return noes


def _check_outcome(site: Site, vote: Vote, subject: Vote | Amendment, ballots: Sequence[Ballot], origin: Origin,
                   keys: tuple[object, ...], report: Report) -> Decision:
    """The result computed by the body's rule; a hand-written result must agree with it."""
    counts = _known_counts(vote, subject, ballots)
    noes = _vetoes(site, vote, subject, ballots, origin, keys, report)
    question = getattr(subject, "question", None) or vote.question
    if vote.body == COUNCIL:
        rule = council_rule(question or "substantive")
        computable = counts["yes"] is not None
    else:
        rule = assembly_rule(vote.majority or "simple")
        computable = counts["yes"] is not None and counts["no"] is not None
        if question is not None:
            report.error("schema", "question is a Security Council field", origin.at(*keys, "question"),
                         "use majority: simple | two-thirds for the General Assembly")
    if vote.body == COUNCIL and vote.majority is not None and not keys:
        report.error("schema", "majority is a General Assembly field", origin.at("majority"),
                     "use question: substantive | procedural for the Security Council")
    written = subject.result
    if not computable:
        if written is None:
            report.error("result", "the result cannot be computed: the votes in favour (and against) are not known",
                         origin.at(*keys, "id") if keys else origin.at("id"),
                         "add result: adopted | rejected | vetoed, or the tally")
            written = "rejected"
        if written == "vetoed" and not noes:
            report.error("result", "result 'vetoed' names no permanent member who voted no",
                         origin.at(*keys, "result"), "list them in vetoed_by")
        return Decision(written, tuple(sorted(noes)) if written == "vetoed" else (), rule,
                        "as recorded (the count is not known here)")
    decision = decide(vote.body, {k: v or 0 for k, v in counts.items()}, noes, question, vote.majority)
    if written is not None and written != decision.result:
        hint = (f"write result: {decision.result}, or correct the votes" if decision.result != "adopted"
                or written != "rejected" or _complete(vote, subject, ballots)
                else "if a permanent member voted no, write result: vetoed and name it in vetoed_by")
        report.error("result", f"result '{written}' contradicts the votes: {decision.reason} (rule: {rule})",
                     origin.at(*keys, "result"), hint)
    return decision
