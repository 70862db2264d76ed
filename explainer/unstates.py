"""The 193 UN member states, read from the reference list shipped in ``explainer/data``.

The list is small and never changes during a run, so it is read once and cached with
``functools.cache`` (the one kind of module-level state the style guide allows).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from dataclasses import dataclass
from importlib import resources

#: The five permanent members of the Security Council (UN Charter, Article 23); the rules that
#: use them are in unrules.py.
PERMANENT_MEMBERS: frozenset[str] = frozenset({"CHN", "FRA", "RUS", "GBR", "USA"})

_DATA_FILE = "member_states.csv"


@dataclass(frozen=True)
class MemberState:
    """One UN member state, as listed in ``explainer/data/member_states.csv``."""

    iso3: str
    iso2: str
    m49: str  # three digits, zero-padded: "004" for Afghanistan
    name: str  # UN short name ("Türkiye", "Venezuela (Bolivarian Republic of)")
    formal_name: str  # may be empty (Côte d'Ivoire and Türkiye in the source)
    region: str
    sub_region: str
    admitted: dt.date | None = None  # date of admission to the UN, where the table records it


def _row_to_state(row: dict[str, str]) -> MemberState:
    return MemberState(
        iso3=row["iso3"].strip(),
        iso2=row["iso2"].strip(),
        # Spreadsheets drop leading zeros; pad so "4" and "004" mean the same country.
        m49=row["m49"].strip().zfill(3),
        name=row["un_short_name"].strip(),
        formal_name=row["un_formal_name"].strip(),
        region=row["region"].strip(),
        sub_region=row["sub_region"].strip(),
        admitted=dt.date.fromisoformat(row["admitted"].strip()) if (row.get("admitted") or "").strip() else None,
    )


def parse_member_states(text: str) -> dict[str, MemberState]:
    """Parse the reference CSV text into states keyed by ISO 3166-1 alpha-3 code."""
    states = (_row_to_state(row) for row in csv.DictReader(io.StringIO(text)))
    return {state.iso3: state for state in states}


@functools.cache
def load_member_states() -> dict[str, MemberState]:
    """All UN member states keyed by ISO alpha-3 code, in the order of the reference file.

    The cached dict is shared between callers: treat it as read-only.
    """
    text = resources.files("explainer").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    return parse_member_states(text)


def m49_by_iso3() -> dict[str, str]:
    """ISO alpha-3 code -> three-digit M49 code, the key of the world map's shapes."""
    return {code: state.m49 for code, state in load_member_states().items()}
