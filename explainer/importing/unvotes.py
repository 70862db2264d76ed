"""Import one recorded UN vote from a UN Digital Library voting-data CSV into content/votes/.

The Dag Hammarskjöld Library publishes every recorded vote in long form, one row per member
state per resolution (General Assembly: digitallibrary.un.org record 4060887; Security
Council: record 4055387). A real file holds thousands of resolutions; this picks one, checks
it, and writes ``content/votes/<id>.yaml`` in the schema the engine validates.

Every check runs before anything is written, and all problems are reported at once, each
naming ``<csv>:<line>``, so a bad file never leaves a half-imported vote behind.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import ContentError, Location, Report
from ..unstates import PERMANENT_MEMBERS, load_member_states
from ..yamlio import dump_yaml

VOTE_CODES: Mapping[str, str] = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent"}
TOTAL_COLUMNS: Mapping[str, str] = {
    "total_yes": "yes", "total_no": "no", "total_abstentions": "abstain", "total_non_voting": "absent",
}
# Fields that describe the resolution, not the member: every row of one vote must agree.
SHARED_COLUMNS = ("undl_id", "date", "resolution", "draft", "meeting", "title", "description",
                  *TOTAL_COLUMNS, "total_ms", "undl_link")
REQUIRED_COLUMNS = ("ms_code", "ms_vote", "resolution", "date")
SECURITY_COUNCIL_COLUMNS = frozenset({"permanent_member", "modality"})
SECURITY_COUNCIL_SIZE = 15
SC_VOTES_NEEDED = 9  # UN Charter, Article 27(3)
SOURCE_NAME = "UN Digital Library"
RECORD_URL = "https://digitallibrary.un.org/record/{}"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Row:
    """One CSV row with the (1-based) line it ends on, for messages."""

    line: int
    cells: Mapping[str, str]

    def get(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def misaligned(self) -> bool:
        """Too many cells (DictReader files them under None) or too few (left None)."""
        return None in self.cells or any(value is None for value in self.cells.values())

    def mentions(self, normalized_symbol: str) -> bool:
        cells = [c for value in self.cells.values() for c in (value if isinstance(value, list) else [value])]
        return any(normalize_symbol(c) == normalized_symbol for c in cells if c)


@dataclass(frozen=True)
class Table:
    path: str
    columns: tuple[str, ...]
    rows: list[Row]


# ---------------------------------------------------------------------------------------------
# reading


def normalize_symbol(symbol: str) -> str:
    """'S/RES/2774 (2025)' and 's/res/2774(2025)' compare equal: no spaces, case-folded."""
    return re.sub(r"\s+", "", symbol).casefold()


def vote_id_for(symbol: str) -> str:
    """'S/RES/2774 (2025)' -> 's-res-2774-2025'; 'A/RES/ES-11/7' -> 'a-res-es-11-7'."""
    return re.sub(r"[^a-z0-9]+", "-", symbol.casefold()).strip("-")


def _fail(message: str, path: str, line: int = 0, hint: str = "") -> ContentError:
    report = Report()
    report.error("un-vote", message, Location(path, line), hint)
    return ContentError(report.diagnostics[0].format(), report)


def read_table(csv_path: Path) -> Table:
    """Read the whole CSV; a missing, non-UTF-8 or column-less file is a ContentError."""
    path = str(csv_path)
    try:
        text = csv_path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise _fail(f"cannot read the file: {exc.strerror or exc}", path) from None
    except UnicodeDecodeError:
        raise _fail("the file is not valid UTF-8", path, hint="export the CSV as UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = tuple(name.strip() for name in reader.fieldnames or ())
    reader.fieldnames = list(columns)
    # reader.line_num is the line a row *ends* on, right for the usual one-line rows.
    rows = [Row(reader.line_num, row) for row in reader]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise _fail(f"missing column(s) {', '.join(missing)}", path, 1,
                    "this does not look like a UN Digital Library voting-data CSV")
    return Table(path, columns, rows)


def select_rows(table: Table, resolution: str) -> list[Row]:
    """The rows of one resolution; none is an error that suggests symbols the file does hold."""
    wanted = normalize_symbol(resolution)
    # A misaligned row has its symbol in the wrong column; keep it if it names the symbol
    # anywhere, so the check can report it instead of silently dropping a member.
    rows = [row for row in table.rows if normalize_symbol(row.get("resolution")) == wanted
            or (row.misaligned() and row.mentions(wanted))]
    if rows:
        return rows
    held = sorted({row.get("resolution") for row in table.rows if row.get("resolution")})
    by_key = {normalize_symbol(s): s for s in held}
    close = [by_key[k] for k in difflib.get_close_matches(wanted, list(by_key), n=5, cutoff=0.6)]
    hint = (f"did you mean {', '.join(repr(s) for s in close)}?" if close else
            f"the file holds {len(held)} resolution(s), e.g. {', '.join(repr(s) for s in held[:5])}"
            if held else "the file holds no resolution symbols")
    raise _fail(f"no rows for resolution {resolution!r}", table.path, 0, hint)


# ---------------------------------------------------------------------------------------------
# checking


def _check_shape(row: Row, columns: Sequence[str], path: str, report: Report) -> bool:
    """A row with too few or too many cells is misaligned: its other checks would mislead."""
    # DictReader files surplus cells under the key None and fills missing ones with None.
    surplus = len(row.cells.get(None) or [])  # type: ignore[call-overload]
    missing = sum(1 for column in columns if row.cells.get(column) is None)
    if surplus or missing:
        count = len(columns) + surplus - missing
        report.error("un-vote-row", f"the row has {count} cells but the header has {len(columns)}",
                     Location(path, row.line), "check for an unquoted comma or a cut-off line")
        return False
    return True


def _check_member(row: Row, known: Mapping[str, object], seen: dict[str, int], path: str,
                  report: Report) -> None:
    code = row.get("ms_code").upper()
    where = Location(path, row.line)
    if code not in known:
        close = difflib.get_close_matches(code, list(known), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "use the ISO 3166-1 alpha-3 code"
        report.error("un-vote-member", f"{code or '(empty)'!r} is not a UN member state code", where, hint)
    elif code in seen:
        report.error("un-vote-duplicate", f"{code} is listed twice (first at line {seen[code]})", where,
                     "keep one row per member state")
    else:
        seen[code] = row.line
    vote = row.get("ms_vote").upper() or "X"
    if vote not in VOTE_CODES:
        report.error("un-vote-value", f"vote {row.get('ms_vote')!r} for {code} is not Y, N, A or X",
                     where, "Y yes, N no, A abstention, X (or empty) non-voting")


def _check_shared(rows: Sequence[Row], columns: Sequence[str], path: str, report: Report) -> None:
    first = rows[0]
    for column in (c for c in SHARED_COLUMNS if c in columns):
        for row in rows[1:]:
            if row.get(column) != first.get(column):
                report.error("un-vote-inconsistent",
                             f"{column} is {row.get(column)!r} here but {first.get(column)!r} "
                             f"at line {first.line}", Location(path, row.line),
                             "all rows of one resolution must agree")
                break
    try:
        datetime.date.fromisoformat(first.get("date"))
    except ValueError:
        report.error("un-vote-date", f"date {first.get('date')!r} is not YYYY-MM-DD",
                     Location(path, first.line))


def _check_totals(rows: Sequence[Row], counts: Mapping[str, int], path: str, report: Report) -> None:
    first = rows[0]
    for column, vote in TOTAL_COLUMNS.items():
        stated = first.get(column)
        if stated and stated != str(counts[vote]):
            report.error("un-vote-total",
                         f"{column} says {stated} but the rows hold {counts[vote]} {vote} vote(s)",
                         Location(path, first.line), "a row is missing, doubled or mis-coded")
    total_ms = first.get("total_ms")
    if total_ms and total_ms != str(len(rows)):
        report.error("un-vote-total", f"total_ms says {total_ms} but the file has {len(rows)} row(s)",
                     Location(path, first.line), "a row is missing or doubled")


def member_votes(rows: Sequence[Row]) -> dict[str, str]:
    """ISO3 -> yes/no/abstain/absent, sorted by code (rows must already be checked)."""
    votes = {row.get("ms_code").upper(): VOTE_CODES[row.get("ms_vote").upper() or "X"] for row in rows}
    return dict(sorted(votes.items()))


def check_rows(rows: Sequence[Row], columns: Sequence[str], path: str) -> dict[str, str]:
    """Run every check; raise one ContentError listing all problems, else return member votes."""
    report, seen = Report(), {}
    known = load_member_states()
    for row in rows:
        if _check_shape(row, columns, path, report):
            _check_member(row, known, seen, path, report)
    _check_shared(rows, columns, path, report)
    if not report.errors:
        _check_totals(rows, Counter(member_votes(rows).values()), path, report)
    if report.errors:
        lines = "\n".join(d.format() for d in report.sorted())
        raise ContentError(f"{len(report.errors)} problem(s) in the vote data:\n{lines}", report)
    return member_votes(rows)


# ---------------------------------------------------------------------------------------------
# building the vote document


def body_of(columns: Sequence[str], resolution: str) -> str:
    """Security Council files have extra columns; S/ symbols are the Council's too."""
    if SECURITY_COUNCIL_COLUMNS & set(columns) or resolution.strip().upper().startswith("S/"):
        return "security-council"
    return "general-assembly"


def derive_result(body: str, votes: Mapping[str, str]) -> str:
    """'adopted' or 'rejected', from the votes alone.

    Security Council (Charter Art. 27(3)): at least nine in favour and no permanent member
    against. General Assembly: a simple majority of members present and voting (Art. 18(3)).
    Art. 18(2) asks two thirds for "important questions", but whether a text was treated as one
    is a decision of the Assembly that the voting data does not record, so it cannot be derived
    here; we write ``majority: simple`` to say which rule was applied, and an editor can change
    both fields by hand.
    """
    counts = Counter(votes.values())
    if body == "security-council":
        vetoed = any(votes.get(code) == "no" for code in PERMANENT_MEMBERS)
        return "adopted" if counts["yes"] >= SC_VOTES_NEEDED and not vetoed else "rejected"
    return "adopted" if counts["yes"] > counts["no"] else "rejected"


def members_complete(body: str, votes: Mapping[str, str]) -> bool:
    """Every seat accounted for: all 15 Council members, or every UN member in the Assembly."""
    if body == "security-council":
        return len(votes) == SECURITY_COUNCIL_SIZE
    return set(votes) == set(load_member_states())


def _source(first: Row) -> dict[str, str]:
    url = first.get("undl_link") or (RECORD_URL.format(first.get("undl_id")) if first.get("undl_id") else "")
    return {"name": SOURCE_NAME, "url": url} if url else {"name": SOURCE_NAME}


def vote_document(rows: Sequence[Row], columns: Sequence[str], votes: Mapping[str, str],
                  vote_id: str) -> dict[str, Any]:
    """The content/votes/<id>.yaml mapping, in the engine's key order."""
    first = rows[0]
    resolution = first.get("resolution")
    body = body_of(columns, resolution)
    counts = Counter(votes.values())
    document: dict[str, Any] = {
        "id": vote_id,
        "body": body,
        "resolution": resolution,
        "title": first.get("title") or first.get("description") or resolution,
        # a date object dumps unquoted, the same way a hand-written file reads back
        "date": datetime.date.fromisoformat(first.get("date")),
    }
    for key in ("meeting", "draft"):
        if first.get(key):
            document[key] = first.get(key)
    document["result"] = derive_result(body, votes)
    if body == "general-assembly":
        document["majority"] = "simple"
    document["tally"] = {vote: counts[vote] for vote in VOTE_CODES.values()}
    document["members_complete"] = members_complete(body, votes)
    document["members"] = dict(votes)
    document["source"] = _source(first)
    return document


# ---------------------------------------------------------------------------------------------
# the command


def _target(root: Path, vote_id: str, force: bool) -> Path:
    if not _ID_RE.match(vote_id):
        raise _fail(f"vote id {vote_id!r} must be lower-case letters, digits and hyphens", "--id",
                    hint="for example 'a-res-es-11-7'")
    target = root / "content" / "votes" / f"{vote_id}.yaml"
    if target.exists() and not force:
        raise _fail(f"{target} already exists", str(target), hint="pass --force to overwrite it")
    return target


def run_import_vote(csv_path: Path, *, resolution: str, root: Path, vote_id: str | None, force: bool,
                    out: TextIO) -> Path:
    """Import ``resolution`` from ``csv_path`` into ``root/content/votes/<id>.yaml``; return the path.

    Raises ContentError (with a Report naming ``<csv>:<line>``) for an unknown symbol, bad rows,
    unknown or doubled member codes, or totals that do not add up; nothing is written then.
    """
    table = read_table(csv_path)
    rows = select_rows(table, resolution)
    target = _target(root, vote_id or vote_id_for(rows[0].get("resolution")), force)
    votes = check_rows(rows, table.columns, table.path)
    document = vote_document(rows, table.columns, votes, target.stem)
    header = f"# Imported from {csv_path.name} by `build.py import-vote`; checked against the totals.\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(header + dump_yaml(document), encoding="utf-8")
    tally = document["tally"]
    out.write(f"wrote {target}: {document['resolution']} ({document['body']}), {tally['yes']} yes, "
              f"{tally['no']} no, {tally['abstain']} abstain, {tally['absent']} absent: "
              f"{document['result']}\n")
    return target
