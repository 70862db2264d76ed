"""import-vote on files of many resolutions: selection, re-import that keeps hand fields,
--dry-run, titles, links and cells the build would refuse, rows that contradict each other."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from explainer.errors import ContentError
from explainer.importing.unvotes import Selection, run_import_vote
from explainer.yamlio import load_yaml

from conftest_helpers import run_cli

DATA = Path(__file__).parent / "data" / "un"
GA = DATA / "ga-A-RES-ES-11-7.csv"
SC = DATA / "sc-S-RES-2774-2025.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def _write(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _council_file(tmp_path: Path, count: int = 3) -> Path:
    """``count`` Council resolutions in one file, in the library's shape (2774, 2775, ...)."""
    rows = []
    for index in range(count):
        number, record = 2774 + index, str(4077111 + index)
        for row in _rows(SC):
            rows.append({**row, "resolution": f"S/RES/{number} (2025)", "description": f"Resolution {number} (2025)",
                         "undl_id": record, "undl_link": f"https://digitallibrary.un.org/record/{record}",
                         "date": f"2025-0{2 + index}-24"})
    return _write(tmp_path / "council.csv", rows)


def _run(csv_path: Path, root: Path, **kwargs: object) -> tuple[list[Path], str]:
    out = io.StringIO()
    written = run_import_vote(csv_path, root=root, out=out, **kwargs)  # type: ignore[arg-type]
    return written, out.getvalue()


def _load(path: Path) -> dict:
    return load_yaml(path.read_text(encoding="utf-8"), str(path))


def _fails(csv_path: Path, root: Path, **kwargs: object) -> list[str]:
    with pytest.raises(ContentError) as info:
        _run(csv_path, root, **kwargs)
    assert not (root / "content" / "votes").exists() or not any((root / "content" / "votes").iterdir())
    return [d.format() for d in info.value.report.diagnostics]


def test_imports_every_resolution_of_the_file_in_one_call(tmp_path: Path) -> None:
    written, out = _run(_council_file(tmp_path), tmp_path / "p")
    assert sorted(p.name for p in written) == ["s-res-2774-2025.yaml", "s-res-2775-2025.yaml", "s-res-2776-2025.yaml"]
    assert "3 vote(s) in the selection: 3 changed" in out
    assert run_cli("check", "--root", str(_with_config(tmp_path / "p"))).code == 0


def _with_config(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text("title: Votes\n", encoding="utf-8")
    return root


def test_selection_by_symbol_date_and_body(tmp_path: Path) -> None:
    source = _council_file(tmp_path)
    written, _ = _run(source, tmp_path / "a", selection=Selection(("S/RES/2775 (2025)", "s/res/2776(2025)")))
    assert [p.stem for p in written] == ["s-res-2775-2025", "s-res-2776-2025"]
    import datetime as dt
    written, _ = _run(source, tmp_path / "b",
                      selection=Selection(since=dt.date(2025, 3, 1), until=dt.date(2025, 3, 31)))
    assert [p.stem for p in written] == ["s-res-2775-2025"]
    with pytest.raises(ContentError, match="no resolution of the file matches"):
        _run(source, tmp_path / "c", selection=Selection(body="general-assembly"))


def test_reimport_keeps_hand_fields_and_reports_changes(tmp_path: Path) -> None:
    root = tmp_path / "p"
    [path], _ = _run(SC, root)
    text = path.read_text(encoding="utf-8")
    text = "# yaml-language-server: $schema=../../schemas/vote.schema.json\n" + text
    text = text.replace("members_complete: true", "members_complete: true\nsummary: Written by an editor.\n"
                        "drafter: USA\nclaims:\n- article: some-story\n  text: They all agreed.\n  note: Not so.")
    text = text.replace("  DNK: abstain", "  DNK: 'yes'").replace("abstain: 5", "abstain: 4").replace("'yes': 10",
                                                                                                      "'yes': 11")
    path.write_text(text, encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    _, out = _run(SC, root, dry_run=True)
    assert "would update" in out and "members: DNK yes -> abstain" in out and "tally: abstain 4 -> 5" in out
    assert path.read_text(encoding="utf-8") == before  # --dry-run writes nothing
    _, out = _run(SC, root)
    doc = _load(path)
    assert doc["members"]["DNK"] == "abstain" and doc["tally"]["yes"] == 10
    assert doc["summary"] == "Written by an editor." and doc["drafter"] == "USA"
    assert doc["claims"][0]["text"] == "They all agreed."
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    _, out = _run(SC, root)
    assert "0 changed, 1 unchanged" in out


def test_an_overlong_catalogue_title_is_shortened_with_the_full_title_kept(tmp_path: Path) -> None:
    long_title = "Maintenance of international peace and security " * 25  # about 1,200 characters
    rows = [{**row, "description": long_title.strip()} for row in _rows(SC)]
    root = _with_config(tmp_path / "p")
    [path], _ = _run(_write(tmp_path / "long.csv", rows), root)
    doc = _load(path)
    assert len(doc["title"]) <= 300 and doc["title"].endswith("…")
    assert doc["full_title"] == long_title.strip()
    assert run_cli("check", "--root", str(root)).code == 0


def test_a_javascript_link_is_refused_at_its_row(tmp_path: Path) -> None:
    rows = [{**row, "undl_link": "javascript:alert(1)"} for row in _rows(SC)]
    errors = _fails(_write(tmp_path / "bad.csv", rows), tmp_path / "p")
    assert any(e.startswith(f"{tmp_path / 'bad.csv'}:2:") and "not an http(s) address" in e for e in errors), errors


def test_a_cell_over_the_csv_limit_is_a_content_error_with_its_line(tmp_path: Path) -> None:
    rows = _rows(SC)
    rows[3]["agenda"] = "x" * 140_000
    source = _write(tmp_path / "huge.csv", rows)
    run = run_cli("import-vote", str(source), "--root", str(tmp_path / "p"))
    assert run.code == 1, run.err
    assert f"{source}:5" in run.err and "131,072" in run.err


def test_rows_that_contradict_each_other_get_row_numbers_and_nothing_is_written(tmp_path: Path) -> None:
    rows = _rows(SC) + [dict(_rows(SC)[4], ms_vote="N")]  # the United Kingdom a second time, voting no
    rows[6]["date"] = "2025-02-25"
    source = _write(tmp_path / "contradict.csv", rows)
    errors = _fails(source, tmp_path / "p")
    assert any(e.startswith(f"{source}:17:") and "GBR is listed twice (first at line 6)" in e for e in errors), errors
    assert any(e.startswith(f"{source}:8:") and "date is '2025-02-25' here" in e for e in errors), errors


def test_a_member_not_on_the_council_is_refused_at_its_row(tmp_path: Path) -> None:
    rows = [dict(row, ms_code="DEU", ms_name="Germany") if row["ms_code"] == "DNK" else row for row in _rows(SC)]
    source = _write(tmp_path / "deu.csv", rows)
    errors = _fails(source, tmp_path / "p")
    assert any(e.startswith(f"{source}:3:") and "Germany (DEU) was not a member of the Security Council" in e
               for e in errors), errors


def test_an_id_the_build_would_refuse_is_refused(tmp_path: Path) -> None:
    run = run_cli("import-vote", str(SC), "--symbol", "S/RES/2774 (2025)", "--id", "sc--2774-",
                  "--root", str(tmp_path / "p"))
    assert run.code == 1 and "single hyphens" in run.err
    assert not (tmp_path / "p" / "content").exists()


def test_never_writes_through_a_symlink(tmp_path: Path) -> None:
    root, outside = tmp_path / "p", tmp_path / "outside"
    outside.mkdir()
    (root / "content").mkdir(parents=True)
    (root / "content" / "votes").symlink_to(outside)
    run = run_cli("import-vote", str(SC), "--root", str(root))
    assert run.code == 1 and "symbolic link" in run.err, run.err
    assert not any(outside.iterdir())
    assert "wrote" not in run.out, "nothing was written, so nothing is said to be"


def test_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "votes.csv"
    os.mkfifo(fifo)
    run = run_cli("import-vote", str(fifo), "--root", str(tmp_path / "p"))
    assert run.code == 1 and "not a regular file" in run.err, run.err
