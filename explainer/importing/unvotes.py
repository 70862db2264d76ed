"""Import recorded UN votes from a UN Digital Library voting-data CSV into content/votes/.

A file may hold thousands of resolutions (the library's long shape, see unvotes_csv.py); this
imports all of them, or those picked by symbol, date or body, in one pass. Each becomes (or
updates) ``content/votes/<id>.yaml`` in the schema the engine validates:

- what the file records (members, tally, date, title, ...) replaces what the vote file said;
  what an editor added by hand (summary, drafter, amendments, claims, sources, any other
  field) is kept;
- every document is validated with the build's own model and vote checks before anything is
  written, and all problems are reported at once, each naming ``<csv>:<line>``: a bad file
  never leaves a half-imported set of votes behind.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from ..errors import ContentError, Location, Report
from ..fsguard import UnsafePath, check_inside, read_regular, write_inside
from ..model import SLUG_MAX, SiteConfig, Vote, is_slug
from ..resolved import Site
from ..unrules import COUNCIL, decide, normalize_symbol
from ..unstates import PERMANENT_MEMBERS, load_member_states
from ..validate import Origin
from ..votecheck import resolve_vote
from ..yamlio import decode_text, dump_yaml, load_yaml
from .unvotes_csv import (
    Group,
    Table,
    body_of,
    check_group,
    fail,
    read_table,
    unknown_symbol,
)

SOURCE_NAME = "UN Digital Library"
RECORD_URL = "https://digitallibrary.un.org/record/{}"
TITLE_MAX = 300  # model.ShortText
# What the CSV records: re-importing replaces these and keeps every other field of the file.
RECORDED = ("body", "resolution", "title", "full_title", "date", "meeting", "draft", "result", "vetoed_by",
            "tally", "members_complete", "members")
HEADER = "# Imported from {name} by `build.py import-vote`; checked against the totals.\n"
MAX_VOTE_FILE = 8 << 20


@dataclass(frozen=True)
class Selection:
    """Which resolutions of the file to import; empty means all."""

    symbols: tuple[str, ...] = ()
    since: datetime.date | None = None
    until: datetime.date | None = None
    body: str | None = None


@dataclass
class Planned:
    """One vote file to write: where, what, and what changes."""

    group: Group
    target: Path
    document: dict[str, Any]
    text: str
    existed: bool
    changes: list[str] = field(default_factory=list)


def vote_id_for(symbol: str) -> str:
    """'S/RES/2774 (2025)' -> 's-res-2774-2025'; 'A/RES/ES-11/7' -> 'a-res-es-11-7'."""
    return re.sub(r"[^a-z0-9]+", "-", symbol.casefold()).strip("-")


# ---------------------------------------------------------------------------------------------
# selecting


def select(table: Table, selection: Selection) -> list[Group]:
    """The groups picked by symbol (each must exist), then by date and body."""
    if selection.symbols:
        groups = []
        for symbol in selection.symbols:
            group = table.groups.get(normalize_symbol(symbol))
            if group is None:
                raise unknown_symbol(table, symbol)
            if group not in groups:
                groups.append(group)
    else:
        groups = list(table.groups.values())
    return [g for g in groups if _in_range(g, selection) and
            (selection.body is None or body_of(table.columns, g.symbol) == selection.body)]


def _in_range(group: Group, selection: Selection) -> bool:
    if selection.since is None and selection.until is None:
        return True
    try:
        on = datetime.date.fromisoformat(group.first.get("date"))
    except ValueError:
        return True  # kept, so that the checks report the date
    return (selection.since is None or on >= selection.since) and (selection.until is None or on <= selection.until)


# ---------------------------------------------------------------------------------------------
# the vote document


def _shortened(title: str) -> str:
    """A catalogue title cut at a word to fit the model's 300 characters, marked with '…'."""
    cut = title[:TITLE_MAX - 1]
    if " " in cut[TITLE_MAX // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def _source(group: Group, path: str, report: Report) -> dict[str, str]:
    first = group.first
    link = first.get("undl_link")
    if link and not re.fullmatch(r"https?://[^\s<>\"]+", link):
        report.error("un-vote-link", f"undl_link {link[:80]!r} is not an http(s) address", Location(path, first.line),
                     "the library's links start with https://digitallibrary.un.org/record/")
        link = ""
    record = first.get("undl_id")
    url = link or (RECORD_URL.format(record) if record.isdigit() else "")
    # When the data was taken: vote pages and the open data say so (issue #21, "data as of").
    retrieved = datetime.date.today().isoformat()
    return {"name": SOURCE_NAME, "url": url, "retrieved": retrieved} if url else \
        {"name": SOURCE_NAME, "retrieved": retrieved}


def members_complete(body: str, votes: Mapping[str, str]) -> bool:
    """Every seat accounted for: all 15 Council members, or every UN member in the Assembly."""
    if body == COUNCIL:
        return len(votes) == 15
    return set(votes) == set(load_member_states())


def recorded(group: Group, columns: Sequence[str], votes: Mapping[str, str], hand: Mapping[str, Any],
             path: str, report: Report) -> dict[str, Any]:
    """The fields the CSV records, in the model's order; the result is computed by the body's
    rule (unrules.decide) with the hand-written question or majority, if any."""
    first = group.first
    body = body_of(columns, group.symbol)
    title = first.get("title") or first.get("description") or group.symbol
    counts = {choice: sum(1 for v in votes.values() if v == choice) for choice in ("yes", "no", "abstain", "absent")}
    noes = [code for code, vote in votes.items() if vote == "no" and code in PERMANENT_MEMBERS]
    decision = decide(body, counts, noes, hand.get("question"), hand.get("majority"))
    document: dict[str, Any] = {
        "body": body, "resolution": group.symbol,
        "title": title if len(title) <= TITLE_MAX else _shortened(title),
        "full_title": title if len(title) > TITLE_MAX else None,
        # a date object dumps unquoted, the same way a hand-written file reads back
        "date": datetime.date.fromisoformat(first.get("date")),
        "meeting": first.get("meeting") or None, "draft": first.get("draft") or None,
        "result": decision.result, "vetoed_by": list(decision.vetoed_by) or None,
        "tally": counts, "members_complete": members_complete(body, votes), "members": dict(votes),
    }
    if body != COUNCIL and "majority" not in hand:
        document["majority"] = "simple"  # says which rule was applied; an editor may change it
    document["source"] = _source(group, path, report)
    return {key: value for key, value in document.items() if value is not None}


def _ordered(document: Mapping[str, Any]) -> dict[str, Any]:
    """Keys in the model's order (as the README's examples), unknown ones last."""
    order = {name: index for index, name in enumerate(Vote.model_fields)}
    return dict(sorted(document.items(), key=lambda item: order.get(item[0], len(order))))


def merged(existing: Mapping[str, Any] | None, new: Mapping[str, Any], vote_id: str) -> dict[str, Any]:
    """The existing file's hand fields, with what the CSV records replaced."""
    document = {key: value for key, value in (existing or {}).items() if key not in RECORDED}
    for key, value in new.items():
        if key == "source" and "source" in document:
            continue  # an editor's source stays
        if key == "majority" and "majority" in document:
            continue
        document[key] = value
    document["id"] = (existing or {}).get("id", vote_id)
    return _ordered(document)


def _changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    """What re-importing changes, in words: 'tally.yes 93 -> 94', 'members: USA no -> abstain'."""
    if old is None:
        return []
    changes = []
    for key in RECORDED:
        before, after = old.get(key), new.get(key)
        if key in ("tally", "members") and isinstance(before, Mapping) and isinstance(after, Mapping):
            moved = [f"{k} {before.get(k, '-')} -> {after.get(k, '-')}" for k in sorted(set(before) | set(after))
                     if str(before.get(k)) != str(after.get(k))]
            if moved:
                shown = ", ".join(moved[:5]) + (f" (+{len(moved) - 5} more)" if len(moved) > 5 else "")
                changes.append(f"{key}: {shown}")
        elif str(before) != str(after) and not (before is None and after is None):
            changes.append(f"{key}: {_short(before)} -> {_short(after)}")
    return changes


def _short(value: Any) -> str:
    text = "(none)" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------------------------------------
# checking what would be written, with the build's model and vote checks


def check_document(document: dict[str, Any], group: Group, path: str, site: Site, report: Report) -> None:
    """Validate ``document`` as the build would (the Vote model, then the vote checks, in
    ``site``: one for the whole import, so that member states' actors are made once); each
    problem is reported at the resolution's first row in the CSV."""
    where = Location(path, group.first.line)
    try:
        vote = Vote.model_validate(document)
    except ValidationError as exc:
        for error in exc.errors():
            place = ".".join(str(step) for step in error["loc"])
            report.error("un-vote-invalid", f"{group.symbol}: {place}: {error['msg']}", where,
                         "the vote file would not pass `check`; correct the CSV or the vote file")
        return
    site.votes[vote.id] = vote
    checks = Report()
    resolve_vote(site, vote, Origin.of(path, None), checks)
    for diagnostic in checks.errors:
        if diagnostic.code == "unknown-reference":
            continue  # a hand field naming the project's actors or votes: `check` sees those
        report.error(diagnostic.code, f"{group.symbol}: {diagnostic.message}", where, diagnostic.hint)


# ---------------------------------------------------------------------------------------------
# existing vote files


def existing_by_symbol(root: Path) -> dict[str, Path]:
    """The project's vote files by the resolution they name (a line scan, not a YAML parse: a
    year of votes is 236 files of 193 members)."""
    folder = root / "content" / "votes"
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.yaml")):
        try:
            text = read_regular(check_inside(root, path), MAX_VOTE_FILE).decode("utf-8", "replace")
        except (UnsafePath, OSError):
            continue  # the build reports it; importing never reads through it
        match = re.search(r"^resolution:\s*['\"]?(.*?)['\"]?\s*$", text, re.MULTILINE)
        if match:
            found.setdefault(normalize_symbol(match.group(1)), path)
    return found


def _read_existing(root: Path, target: Path, force: bool, report: Report) -> tuple[dict[str, Any] | None, str]:
    """The existing vote file's mapping and its leading comment lines; None when there is none
    (or ``force`` replaces it)."""
    if not target.exists() and not target.is_symlink():
        return None, ""
    try:
        text = decode_text(read_regular(check_inside(root, target), MAX_VOTE_FILE), str(target))
        data = load_yaml(text, str(target))
    except UnsafePath as exc:
        report.error("un-vote-target", exc.message, Location(str(exc.path)), exc.hint)
        return None, ""
    except ContentError as exc:
        if force:
            return None, ""
        for diagnostic in exc.report.diagnostics:
            report.add(diagnostic)
        return None, ""
    if not isinstance(data, dict):
        if not force:
            report.error("un-vote-target", "the existing file is not a vote (a mapping of fields): nothing to "
                         "merge into", Location(str(target), 1), "correct it, or pass --force to replace it")
        return None, ""
    if force:
        return None, ""
    comments = "".join(line + "\n" for line in text.splitlines()[:20] if line.startswith("#"))
    return _plain(data), comments.split("# Imported from")[0] if "# Imported from" in comments else comments


def _plain(value: Any) -> Any:
    """Loaded YAML (line-numbered mappings and lists) as plain dicts and lists, for dumping."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


# ---------------------------------------------------------------------------------------------
# the command


def _target(root: Path, group: Group, vote_id: str | None, existing: Mapping[str, Path], path: str,
            report: Report) -> Path | None:
    found = existing.get(normalize_symbol(group.symbol))
    if found is not None and vote_id is None:
        return found
    name = vote_id or vote_id_for(group.symbol)
    if not is_slug(name):
        report.error("un-vote-id", f"vote id {name!r} must be lower-case letters and digits in words joined by "
                     f"single hyphens, at most {SLUG_MAX} characters", Location("--id" if vote_id else path,
                                                                                 0 if vote_id else group.first.line),
                     "for example 'a-res-es-11-7'")
        return None
    if found is not None and found.stem != name:
        report.error("un-vote-target", f"{group.symbol} already has a vote file, {found}", Location(str(found), 1),
                     "one resolution, one file: leave out --id to update it")
        return None
    return root / "content" / "votes" / f"{name}.yaml"


def plan(table: Table, groups: Sequence[Group], root: Path, vote_id: str | None, force: bool,
         report: Report) -> list[Planned]:
    """Every vote file to write, checked; problems go to ``report``."""
    for row in table.stray:
        report.error("un-vote-row", "the row's cells do not line up with the header and it names no resolution "
                     "of the file", Location(table.path, row.line), "check for an unquoted comma or a cut-off line")
    existing = existing_by_symbol(root)
    site = Site(config=SiteConfig.model_validate({"title": "import"}))
    planned = []
    for group in groups:
        votes = check_group(group, table.columns, table.path, report)
        target = _target(root, group, vote_id, existing, table.path, report)
        if votes is None or target is None:
            continue
        old, comments = _read_existing(root, target, force, report)
        fresh = recorded(group, table.columns, votes, old or {}, table.path, report)
        document = merged(old, fresh, target.stem)
        check_document(document, group, table.path, site, report)
        header = comments + HEADER.format(name=Path(table.path).name)
        planned.append(Planned(group, target, document, header + dump_yaml(document), old is not None,
                               _changes(old, document)))
    return planned


def _summary(item: Planned) -> str:
    tally = item.document["tally"]
    return (f"{item.document['resolution']} ({item.document['body']}), {tally['yes']} yes, {tally['no']} no, "
            f"{tally['abstain']} abstain, {tally['absent']} absent: {item.document['result']}")


def run_import_vote(csv_path: Path, *, root: Path, selection: Selection = Selection(), vote_id: str | None = None,
                    force: bool = False, dry_run: bool = False, out: TextIO) -> list[Path]:
    """Import the selected resolutions of ``csv_path`` into ``root/content/votes/``; return the
    files written (or that would be, with ``dry_run``).

    Raises ContentError (with a Report naming ``<csv>:<line>``) for an unknown symbol, bad rows,
    members who could not have voted, totals that do not add up, or a document the build would
    refuse; nothing is written then.
    """
    if vote_id is not None and len(selection.symbols) != 1:
        raise fail("--id names one vote: give exactly one --symbol with it", "--id")
    table = read_table(csv_path, root)
    groups = select(table, selection)
    if not groups:
        raise fail("no resolution of the file matches the selection", table.path, 0,
                   f"the file holds {len(table.groups)} resolution(s); check --since, --until and --body")
    report = Report()
    planned = plan(table, groups, root, vote_id, force, report)
    if report.errors:
        raise ContentError(f"{len(report.errors)} problem(s) in the vote data; nothing was written", report)
    todo = [item for item in planned if force or not item.existed or item.changes]
    try:  # a folder that leads out through a link refuses the whole import before any file is written
        for item in todo:
            check_inside(root, item.target.parent, "folder")
    except UnsafePath as exc:
        raise fail(exc.message, str(exc.path), hint=exc.hint) from None
    written, unchanged = [], len(planned) - len(todo)
    for item in todo:
        if not dry_run:
            try:
                write_inside(root, item.target, item.text.encode("utf-8"), overwrite=item.existed or force)
            except UnsafePath as exc:
                raise fail(exc.message, str(exc.path), hint=exc.hint) from None
        verb = ("would update" if dry_run else "updated") if item.existed else ("would write" if dry_run else "wrote")
        out.write(f"{verb} {item.target}: {_summary(item)}\n")
        out.writelines(f"  {change}\n" for change in item.changes)
        written.append(item.target)
    done = "would change" if dry_run else "changed"
    out.write(f"{len(planned)} vote(s) in the selection: {len(written)} {done}, {unchanged} unchanged\n")
    return written
