"""Reading a UN Digital Library voting-data CSV: rows grouped by resolution, and each group's
row-level checks (shape, member codes, one row per member, shared columns, stated totals).

The library publishes every recorded vote in long form, one row per member state per
resolution (General Assembly: digitallibrary.un.org record 4060887; Security Council: record
4055387). Every problem names ``<csv>:<line>``.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, Location, Report
from ..fsguard import UnsafePath, check_inside, read_regular
from ..undl import TOTAL_COLUMNS, VOTE_CODES
from ..unrules import (
    COUNCIL,
    admitted,
    assembly_member,
    council_members,
    council_seat_note,
    normalize_symbol,
)
from ..unstates import load_member_states

# Fields that describe the resolution, not the member: every row of one vote must agree.
SHARED_COLUMNS = ("undl_id", "date", "resolution", "draft", "meeting", "title", "description",
                  *TOTAL_COLUMNS, "total_ms", "undl_link")
REQUIRED_COLUMNS = ("ms_code", "ms_vote", "resolution", "date")
SECURITY_COUNCIL_COLUMNS = frozenset({"permanent_member", "modality"})
MAX_BYTES = 1 << 30  # the library's whole General Assembly file is about 200 MB


@dataclass(frozen=True)
class Row:
    """One CSV row with the (1-based) line it ends on, for messages."""

    line: int
    cells: Mapping[str | None, object]

    def get(self, column: str) -> str:
        value = self.cells.get(column)
        return value.strip() if isinstance(value, str) else ""

    def misaligned(self) -> bool:
        """Too many cells (DictReader files them under None) or too few (left None)."""
        return None in self.cells or any(value is None for value in self.cells.values())

    def mentions(self, normalized_symbol: str) -> bool:
        cells = [c for value in self.cells.values() for c in (value if isinstance(value, list) else [value])]
        return any(isinstance(c, str) and normalize_symbol(c) == normalized_symbol for c in cells if c)


@dataclass
class Group:
    """The rows of one resolution, in file order."""

    symbol: str
    rows: list[Row] = field(default_factory=list)

    @property
    def first(self) -> Row:
        return self.rows[0]


@dataclass(frozen=True)
class Table:
    path: str
    columns: tuple[str, ...]
    groups: dict[str, Group]  # normalized symbol -> its rows, in order of first appearance
    stray: tuple[Row, ...]  # misaligned rows that name no resolution of the file


def fail(message: str, path: str, line: int = 0, hint: str = "") -> ContentError:
    report = Report()
    report.error("un-vote", message, Location(path, line), hint)
    return ContentError(report.diagnostics[0].format(), report)


def _read_text(csv_path: Path, root: Path) -> str:
    """The file's text: a regular file only (never a FIFO); inside the project, never through a
    link out of it."""
    path = str(csv_path)
    try:
        if Path(os.path.normpath(csv_path.absolute())).is_relative_to(root.resolve()):
            check_inside(root, csv_path, "CSV file")
        data = read_regular(csv_path, MAX_BYTES)
    except UnsafePath as exc:
        raise fail(exc.message, path, hint=exc.hint) from None
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}", path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise fail("the file is not valid UTF-8", path, line, "export the CSV as UTF-8") from None


def read_table(csv_path: Path, root: Path) -> Table:
    """Read and group the whole CSV; an unreadable, non-UTF-8 or column-less file, or a cell
    the csv module refuses (over 131,072 characters, a NUL byte), is a ContentError."""
    path = str(csv_path)
    reader = csv.DictReader(io.StringIO(_read_text(csv_path, root), newline=""))
    try:
        columns = tuple(name.strip() for name in reader.fieldnames or ())
        reader.fieldnames = list(columns)
        # reader.line_num is the line a row *ends* on, right for the usual one-line rows.
        rows = [Row(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise fail(f"the CSV cannot be read here: {exc}", path, reader.line_num + 1,
                   "a cell may be cut off by a stray quote, or be over 131,072 characters") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise fail(f"missing column(s) {', '.join(missing)}", path, 1,
                   "this does not look like a UN Digital Library voting-data CSV")
    return _grouped(path, columns, rows)


def _grouped(path: str, columns: tuple[str, ...], rows: list[Row]) -> Table:
    groups: dict[str, Group] = {}
    misaligned = []
    for row in rows:
        if row.misaligned():
            misaligned.append(row)
            continue
        key = normalize_symbol(row.get("resolution"))
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(row.get("resolution"))
        group.rows.append(row)
    stray = []
    # A misaligned row has its symbol in the wrong column; keep it with the resolution it names
    # anywhere, so the checks report it instead of silently dropping a member.
    for row in misaligned:
        home = next((key for key in groups if key and row.mentions(key)), None)
        if home is None:
            stray.append(row)
        else:
            groups[home].rows.append(row)
            groups[home].rows.sort(key=lambda r: r.line)
    return Table(path, columns, groups, tuple(stray))


def unknown_symbol(table: Table, resolution: str) -> ContentError:
    """No rows for ``resolution``: an error that suggests symbols the file does hold."""
    held = sorted(group.symbol for group in table.groups.values() if group.symbol)
    by_key = {normalize_symbol(s): s for s in held}
    close = [by_key[k] for k in difflib.get_close_matches(normalize_symbol(resolution), list(by_key), n=5, cutoff=0.6)]
    hint = (f"did you mean {', '.join(repr(s) for s in close)}?" if close else
            f"the file holds {len(held)} resolution(s), e.g. {', '.join(repr(s) for s in held[:5])}"
            if held else "the file holds no resolution symbols")
    return fail(f"no rows for resolution {resolution!r}", table.path, 0, hint)


# ---------------------------------------------------------------------------------------------
# checking one resolution's rows


def check_shape(row: Row, columns: Sequence[str], path: str, report: Report) -> bool:
    """A row with too few or too many cells is misaligned: its other checks would mislead."""
    surplus = row.cells.get(None)
    extra = len(surplus) if isinstance(surplus, list) else 0
    missing = sum(1 for column in columns if row.cells.get(column) is None)
    if extra or missing:
        count = len(columns) + extra - missing
        report.error("un-vote-row", f"the row has {count} cells but the header has {len(columns)}",
                     Location(path, row.line), "check for an unquoted comma or a cut-off line")
        return False
    return True


def _check_member(row: Row, body: str, on: datetime.date | None, seen: dict[str, int], path: str,
                  report: Report) -> None:
    known = load_member_states()
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
        _check_seat(code, body, on, where, report)
    vote = row.get("ms_vote").upper() or "X"
    if vote not in VOTE_CODES:
        report.error("un-vote-value", f"vote {row.get('ms_vote')!r} for {code} is not Y, N, A or X",
                     where, "Y yes, N no, A abstention, X (or empty) non-voting")


def _check_seat(code: str, body: str, on: datetime.date | None, where: Location, report: Report) -> None:
    """The member could vote in that body on that day (the rules the build applies too)."""
    if on is None:
        return
    name = load_member_states()[code].name
    if body == COUNCIL:
        council = council_members(on)
        if council is not None and code not in council:
            report.error("un-vote-member", f"{name} ({code}) was not a member of the Security Council on "
                         f"{on.isoformat()}", where, council_seat_note(code, on))
    elif not assembly_member(code, on):
        report.error("un-vote-member", f"{name} ({code}) was not a UN member on {on.isoformat()}: admitted "
                     f"{admitted(code)}", where, "check the date and the member code")


def _check_shared(rows: Sequence[Row], columns: Sequence[str], path: str, report: Report) -> datetime.date | None:
    first = rows[0]
    shared = [c for c in SHARED_COLUMNS if c in columns]
    # One tuple comparison per row in the usual case (all agree): 236 votes are 40,000 rows.
    expected = tuple(first.cells.get(c) for c in shared)
    if all(tuple(row.cells.get(c) for c in shared) == expected for row in rows[1:]):
        shared = []
    for column in shared:
        for row in rows[1:]:
            if row.get(column) != first.get(column):
                report.error("un-vote-inconsistent",
                             f"{column} is {row.get(column)!r} here but {first.get(column)!r} "
                             f"at line {first.line}", Location(path, row.line),
                             "all rows of one resolution must agree")
                break
    try:
        return datetime.date.fromisoformat(first.get("date"))
    except ValueError:
        report.error("un-vote-date", f"date {first.get('date')!r} is not YYYY-MM-DD", Location(path, first.line))
        return None


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


def member_votes(rows: Iterable[Row]) -> dict[str, str]:
    """ISO3 -> yes/no/abstain/absent, sorted by code (rows must already be checked)."""
    votes = {row.get("ms_code").upper(): VOTE_CODES[row.get("ms_vote").upper() or "X"] for row in rows}
    return dict(sorted(votes.items()))


def body_of(columns: Sequence[str], resolution: str) -> str:
    """Security Council files have extra columns; S/ symbols are the Council's too."""
    if SECURITY_COUNCIL_COLUMNS & set(columns) or resolution.strip().upper().startswith("S/"):
        return COUNCIL
    return "general-assembly"


def check_group(group: Group, columns: Sequence[str], path: str, report: Report) -> dict[str, str] | None:
    """Run every row check into ``report``; the member votes when the rows are sound."""
    before = len(report.errors)
    seen: dict[str, int] = {}
    on = _check_shared(group.rows, columns, path, report)
    body = body_of(columns, group.symbol)
    for row in group.rows:
        if check_shape(row, columns, path, report):
            _check_member(row, body, on, seen, path, report)
    if len(report.errors) > before:
        return None
    votes = member_votes(group.rows)
    _check_totals(group.rows, Counter(votes.values()), path, report)
    return votes if len(report.errors) == before else None
