"""run_import_vote: the sample UN files import with the right counts; bad data writes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from explainer.errors import ContentError
from explainer.importing.unvotes import Selection, run_import_vote, vote_id_for
from explainer.unrules import normalize_symbol
from explainer.yamlio import load_yaml

DATA = Path(__file__).parent / "data" / "un"
GA = DATA / "ga-A-RES-ES-11-7.csv"
SC = DATA / "sc-S-RES-2774-2025.csv"


def _import(csv_path: Path, root: Path, resolution: str, **kwargs: object) -> Path:
    written = run_import_vote(csv_path, root=root, selection=Selection((resolution,)), out=io.StringIO(),
                              **kwargs)  # type: ignore[arg-type]
    assert len(written) == 1, written
    return written[0]


def _load(path: Path) -> dict:
    return load_yaml(path.read_text(encoding="utf-8"), str(path))


def _edited(tmp_path: Path, source: Path, line: int, old: str, new: str) -> Path:
    """A copy of ``source`` with ``old`` replaced by ``new`` on 1-based ``line``."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    target = tmp_path / source.name
    target.write_text("".join(lines), encoding="utf-8")
    return target


def _line_of(source: Path, code: str) -> int:
    lines = source.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if f",{code}," in text)


def _assert_fails(csv_path: Path, root: Path, resolution: str, where: str, words: str) -> ContentError:
    with pytest.raises(ContentError) as info:
        _import(csv_path, root, resolution)
    diagnostics = info.value.report.diagnostics
    assert any(str(d.location).startswith(where) and words in d.message for d in diagnostics), [
        d.format() for d in diagnostics]
    assert not (root / "content").exists()  # nothing written
    return info.value


def test_general_assembly_sample(tmp_path: Path) -> None:
    path = _import(GA, tmp_path, "A/RES/ES-11/7")
    assert path == tmp_path / "content" / "votes" / "a-res-es-11-7.yaml"
    doc = _load(path)
    assert doc["id"] == "a-res-es-11-7"
    assert doc["body"] == "general-assembly"
    assert doc["title"] == "Advancing a comprehensive, just and lasting peace in Ukraine"
    assert str(doc["date"]) == "2025-02-24"  # the strict loader may keep dates as text
    assert doc["draft"] == "A/ES-11/L.10"
    assert "meeting" not in doc  # empty in the source: omitted
    assert doc["tally"] == {"yes": 93, "no": 18, "abstain": 65, "absent": 17}
    assert (doc["result"], doc["majority"], doc["members_complete"]) == ("adopted", "simple", True)
    assert doc["members"]["USA"] == "no"
    assert doc["members"]["AFG"] == "absent"
    assert list(doc["members"]) == sorted(doc["members"]) and len(doc["members"]) == 193
    assert doc["source"] == {"name": "UN Digital Library", "url": "https://digitallibrary.un.org/record/4076672",
                             "retrieved": dt.date.today().isoformat()}


def test_security_council_sample(tmp_path: Path) -> None:
    # the symbol is matched without spaces and case
    doc = _load(_import(SC, tmp_path, "s/res/2774(2025)"))
    assert doc["id"] == "s-res-2774-2025"
    assert doc["body"] == "security-council"
    assert doc["resolution"] == "S/RES/2774 (2025)"
    assert doc["meeting"] == "S/PV.9866"
    assert doc["tally"] == {"yes": 10, "no": 0, "abstain": 5, "absent": 0}
    assert doc["result"] == "adopted" and "majority" not in doc
    assert doc["members_complete"] is True
    assert doc["members"]["FRA"] == "abstain" and doc["members"]["RUS"] == "yes"


def test_security_council_veto_is_vetoed(tmp_path: Path) -> None:
    # Russia's yes becomes a no: still 9 in favour, but a permanent member is against
    line = _line_of(SC, "RUS")
    edited = _edited(tmp_path, SC, line, "True,Y,", "True,N,")
    text = edited.read_text(encoding="utf-8").replace(",10,0,5,0,15,", ",9,1,5,0,15,")
    edited.write_text(text, encoding="utf-8")
    doc = _load(_import(edited, tmp_path / "site", "S/RES/2774 (2025)"))
    assert doc["result"] == "vetoed" and doc["vetoed_by"] == ["RUS"]


def test_multi_resolution_file_picks_the_one_asked_for(tmp_path: Path) -> None:
    ga_lines = GA.read_text(encoding="utf-8").splitlines(keepends=True)
    sc_lines = SC.read_text(encoding="utf-8").splitlines(keepends=True)
    # one header for both: rebuild the SC rows under the GA columns by field name
    header = ga_lines[0].strip().split(",")
    combined = tmp_path / "all.csv"
    with combined.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        for row in csv.DictReader(sc_lines):
            writer.writerow({**row, "title": row["description"]})
        for row in csv.DictReader(ga_lines):
            writer.writerow(row)
    doc = _load(_import(combined, tmp_path, "A/RES/ES-11/7"))
    assert doc["tally"] == {"yes": 93, "no": 18, "abstain": 65, "absent": 17}
    doc = _load(_import(combined, tmp_path, "S/RES/2774 (2025)"))
    assert doc["tally"]["yes"] == 10 and len(doc["members"]) == 15
    assert doc["body"] == "security-council"  # from the symbol: these columns are the GA shape


def test_bad_vote_value_names_the_row(tmp_path: Path) -> None:
    line = _line_of(GA, "FRA")
    edited = _edited(tmp_path, GA, line, "France,Y,", "France,Q,")
    _assert_fails(edited, tmp_path / "out", "A/RES/ES-11/7", f"{edited}:{line}", "not Y, N, A or X")


def test_misaligned_row_names_the_row(tmp_path: Path) -> None:
    line = _line_of(GA, "DEU")
    edited = _edited(tmp_path, GA, line, ",Germany,", ",Germany,extra,")
    _assert_fails(edited, tmp_path / "out", "A/RES/ES-11/7", f"{edited}:{line}", "cells")


def test_unknown_code_names_the_row(tmp_path: Path) -> None:
    line = _line_of(GA, "FRA")
    edited = _edited(tmp_path, GA, line, ",FRA,", ",FRX,")
    error = _assert_fails(edited, tmp_path / "out", "A/RES/ES-11/7", f"{edited}:{line}",
                          "not a UN member state code")
    assert "FRA" in error.report.diagnostics[0].hint


def test_wrong_totals_name_the_row(tmp_path: Path) -> None:
    line = _line_of(GA, "FRA")
    edited = _edited(tmp_path, GA, line, "France,Y,", "France,N,")
    _assert_fails(edited, tmp_path / "out", "A/RES/ES-11/7", f"{edited}:2", "total_yes says 93")


def test_duplicate_member_names_the_row(tmp_path: Path) -> None:
    line = _line_of(GA, "FRA")
    edited = _edited(tmp_path, GA, line, ",FRA,France,", ",DEU,Germany,")
    error = _assert_fails(edited, tmp_path / "out", "A/RES/ES-11/7", f"{edited}:", "listed twice")
    lines = {d.location.line for d in error.report.diagnostics if "twice" in d.message}
    assert lines == {max(line, _line_of(GA, "DEU"))}


def test_inconsistent_title_names_the_row(tmp_path: Path) -> None:
    line = _line_of(GA, "FRA")
    edited = _edited(tmp_path, GA, line, "lasting peace", "lasting calm")
    _assert_fails(edited, tmp_path / "out", "A/RES/ES-11/7", f"{edited}:{line}", "title is")


def test_unknown_symbol_suggests_close_ones(tmp_path: Path) -> None:
    error = _assert_fails(GA, tmp_path, "A/RES/ES-11/8", str(GA), "no rows for resolution")
    assert "A/RES/ES-11/7" in error.report.diagnostics[0].hint


def test_refuses_to_overwrite_a_file_it_cannot_merge_into_without_force(tmp_path: Path) -> None:
    path = _import(SC, tmp_path, "S/RES/2774 (2025)")
    path.write_text("# edited by hand\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        _import(SC, tmp_path, "S/RES/2774 (2025)")
    assert "not a vote" in info.value.report.diagnostics[0].message
    assert path.read_text(encoding="utf-8") == "# edited by hand\n"
    _import(SC, tmp_path, "S/RES/2774 (2025)", force=True)
    assert _load(path)["id"] == "s-res-2774-2025"


def test_custom_id_and_bad_id(tmp_path: Path) -> None:
    path = _import(SC, tmp_path, "S/RES/2774 (2025)", vote_id="sc-ukraine-2025")
    assert path.name == "sc-ukraine-2025.yaml" and _load(path)["id"] == "sc-ukraine-2025"
    with pytest.raises(ContentError) as info:
        _import(SC, tmp_path / "other", "S/RES/2774 (2025)", vote_id="Bad Id")
    assert "lower-case" in info.value.report.diagnostics[0].message


@pytest.mark.parametrize(("symbol", "expected"), [
    ("S/RES/2774 (2025)", "s-res-2774-2025"),
    ("A/RES/ES-11/7", "a-res-es-11-7"),
    ("A/RES/77/1", "a-res-77-1"),
])
def test_vote_id_for(symbol: str, expected: str) -> None:
    assert vote_id_for(symbol) == expected


def test_normalize_symbol() -> None:
    assert normalize_symbol(" S/RES/2774 (2025) ") == normalize_symbol("s/res/2774(2025)")
