"""The UN's voting rules, in one place: who may vote in each body on a date, and what a count
of votes decides. Used by the build's vote checks (votecheck.py) and by ``import-vote``.

- Security Council (Charter Art. 23, 27): five permanent members and ten elected for two-year
  terms from 1 January. A procedural decision needs nine votes in favour; any other
  ("substantive") needs nine in favour including the concurring votes of the permanent members:
  by the Council's settled practice an abstention or absence is not a veto, a "no" is. A draft
  with fewer than nine in favour fails for want of votes even when a permanent member voted no,
  and is recorded as rejected, not vetoed (the UN's own records word it so).
- General Assembly (Art. 18, rules of procedure 83, 86, 95): a majority of the members present
  and voting, i.e. casting "yes" or "no" (abstentions do not count); important questions need
  two thirds of them. A tie is a rejection.

Composition data: ``explainer/data/security_council.csv`` (elected members by term, sources in
``explainer/data/README.md``) and the admission dates in ``member_states.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from .resolved import Decision
from .unstates import PERMANENT_MEMBERS, load_member_states

COUNCIL_SEATS = 15
COUNCIL_VOTES_NEEDED = 9  # Charter Art. 27(2) and 27(3)

COUNCIL = "security-council"
ASSEMBLY = "general-assembly"
QUESTIONS = ("substantive", "procedural")  # Security Council: the kind of decision
MAJORITIES = ("simple", "two-thirds")  # General Assembly: the majority required

_COUNCIL_FILE = "security_council.csv"


def normalize_symbol(symbol: str) -> str:
    """'S/RES/2774 (2025)' and 's/res/2774(2025)' name one resolution: no spaces, case-folded."""
    return re.sub(r"\s+", "", symbol).casefold()


def council_rule(question: str) -> str:
    if question == "procedural":
        return f"{COUNCIL_VOTES_NEEDED} in favour (procedural)"
    return f"{COUNCIL_VOTES_NEEDED} in favour and no permanent member against"


def assembly_rule(majority: str) -> str:
    return ("two thirds of the members present and voting" if majority == "two-thirds"
            else "a simple majority of the members present and voting")


def decide_council(yes: int, permanent_noes: Iterable[str], question: str = "substantive") -> Decision:
    """Security Council: 9 in favour; for a substantive question also no permanent member "no"."""
    rule = council_rule(question)
    if yes < COUNCIL_VOTES_NEEDED:
        return Decision("rejected", (), rule, f"only {yes} in favour, {COUNCIL_VOTES_NEEDED} needed")
    vetoes = tuple(sorted(set(permanent_noes) & PERMANENT_MEMBERS)) if question == "substantive" else ()
    if vetoes:
        names = [f"{load_member_states()[code].name} ({code})" for code in vetoes]
        return Decision("vetoed", vetoes, rule, f"{yes} in favour, but permanent member {' and '.join(names)} voted no")
    return Decision("adopted", (), rule, f"{yes} in favour" + ("" if question == "procedural"
                                                                  else ", no permanent member against"))


def decide_assembly(yes: int, no: int, majority: str = "simple") -> Decision:
    """General Assembly: of those voting yes or no, more than half (or at least two thirds)."""
    rule = assembly_rule(majority)
    adopted = yes * 3 >= 2 * (yes + no) and yes > 0 if majority == "two-thirds" else yes > no
    return Decision("adopted" if adopted else "rejected", (), rule, f"{yes} in favour, {no} against")


def decide(body: str, counts: Mapping[str, int], permanent_noes: Iterable[str] = (),
           question: str | None = None, majority: str | None = None) -> Decision:
    """The decision of ``body`` on ``counts`` (yes/no/...) under its rule (defaults: substantive,
    simple majority)."""
    if body == COUNCIL:
        return decide_council(counts.get("yes", 0), permanent_noes, question or "substantive")
    return decide_assembly(counts.get("yes", 0), counts.get("no", 0), majority or "simple")


@dataclass(frozen=True)
class CouncilTerm:
    iso3: str
    first_year: int
    last_year: int
    elected: str  # when the General Assembly elected it, as the source words it


@functools.cache
def council_terms() -> tuple[CouncilTerm, ...]:
    """The elected members' terms shipped with the project (read once per process)."""
    text = resources.files("explainer").joinpath("data", _COUNCIL_FILE).read_text(encoding="utf-8")
    return tuple(CouncilTerm(row["iso3"], int(row["first_year"]), int(row["last_year"]), row["elected"])
                 for row in csv.DictReader(io.StringIO(text)))


def council_years() -> range:
    """The years for which the table lists all ten elected members."""
    counts: dict[int, int] = {}
    for term in council_terms():
        for year in range(term.first_year, term.last_year + 1):
            counts[year] = counts.get(year, 0) + 1
    full = sorted(year for year, count in counts.items() if count == COUNCIL_SEATS - len(PERMANENT_MEMBERS))
    return range(full[0], full[-1] + 1) if full else range(0)


def council_members(on: dt.date) -> frozenset[str] | None:
    """The fifteen members of the Security Council on ``on``; None when the table does not
    cover that year (terms run from 1 January to 31 December)."""
    if on.year not in council_years():
        return None
    elected = {t.iso3 for t in council_terms() if t.first_year <= on.year <= t.last_year}
    return frozenset(elected) | PERMANENT_MEMBERS


def council_seat_note(code: str, on: dt.date) -> str:
    """Which years ``code`` did sit on the Council, for an error's hint."""
    years = [f"{t.first_year}–{t.last_year}" if t.first_year != t.last_year else str(t.first_year)
             for t in council_terms() if t.iso3 == code]
    elected = sorted(c for c in council_members(on) or () if c not in PERMANENT_MEMBERS)
    held = (f"{code} was an elected member in {', '.join(years)}" if years
            else f"{code} held no seat in the table's years")
    return f"{held}; the elected members in {on.year} were {', '.join(elected)}"


def admitted(code: str) -> dt.date | None:
    """When ``code`` joined the UN, where the member table records it."""
    state = load_member_states().get(code)
    return state.admitted if state is not None else None


def assembly_member(code: str, on: dt.date) -> bool:
    """Whether ``code`` could vote in the General Assembly on ``on``: a member state listed in
    the table and not admitted after that date (a member without a recorded date counts)."""
    if code not in load_member_states():
        return False
    joined = admitted(code)
    return joined is None or joined <= on
