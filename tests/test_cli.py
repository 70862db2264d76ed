"""The command line, in process: help, exit codes, and the commands wired to the library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from explainer import cli, pipeline

from conftest import REPO, copy_example


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("build", "serve", "check", "import", "import-vote", "deploy"):
        assert command in out


@pytest.mark.parametrize("command", ["build", "serve", "check"])
def test_site_commands_take_root_and_out(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "--root" in out and "--out" in out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["frobnicate"]) == 2
    assert cli.main(["build", "--port"]) == 2


def test_build_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "p")
    assert cli.main(["check", "--root", str(root)]) == 0
    assert not (root / "site").exists()
    assert cli.main(["build", "--root", str(root), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "index.html").is_file()


def test_missing_config_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["build", "--root", str(tmp_path)]) == 1
    assert "no config.yaml" in capsys.readouterr().err


def test_internal_error_is_a_short_bug_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_example(tmp_path / "p")

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "build", explode)
    assert cli.main(["build", "--root", str(root)]) == 3
    err = capsys.readouterr().err
    assert "bug in Explainer" in err and "Traceback" not in err
    assert cli.main(["--debug", "build", "--root", str(root)]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_import_vote_is_wired(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "p")
    (root / "content/votes/a-res-es-11-7.yaml").unlink()
    csv = REPO / "tests/data/un/ga-A-RES-ES-11-7.csv"
    assert cli.main(["import-vote", str(csv), "--resolution", "A/RES/ES-11/7", "--root", str(root)]) == 0
    assert (root / "content/votes/a-res-es-11-7.yaml").is_file()
    # Importing again changes nothing: the file already says what the CSV records.
    before = (root / "content/votes/a-res-es-11-7.yaml").read_bytes()
    assert cli.main(["import-vote", str(csv), "--symbol", "A/RES/ES-11/7", "--root", str(root)]) == 0
    assert (root / "content/votes/a-res-es-11-7.yaml").read_bytes() == before
    assert "0 changed, 1 unchanged" in capsys.readouterr().out


def test_import_is_wired(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "p")
    raw = REPO / "content/raw/cryptopolitan-putin-us-relations.txt"
    assert cli.main(["import", str(raw), "--root", str(root), "--date", "2025-02-25", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Moscow sees the reset in ties as positive" in out and "goTop" in out


def test_build_py_runs_as_a_script(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--help"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0 and "import-vote" in result.stdout


def test_build_with_nothing_changed_is_skipped_and_any_change_rebuilds(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_example(tmp_path / "p")
    assert cli.main(["build", "--root", str(root)]) == 0
    assert "built" in capsys.readouterr().out
    assert cli.main(["build", "--root", str(root)]) == 0
    assert "up to date" in capsys.readouterr().out
    # A changed input rebuilds.
    actor = root / "content/actors/vladimir-putin.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("President of Russia", "Russian President"),
                     encoding="utf-8")
    assert cli.main(["build", "--root", str(root)]) == 0
    assert "built" in capsys.readouterr().out
    assert "Russian President" in (root / "site/actors/vladimir-putin/index.html").read_text(encoding="utf-8")
    # A tampered or deleted output rebuilds.
    (root / "site/actors/vladimir-putin/index.html").unlink()
    assert cli.main(["build", "--root", str(root)]) == 0
    assert "built" in capsys.readouterr().out
    assert (root / "site/actors/vladimir-putin/index.html").is_file()
    # Other options rebuild; --force always does.
    assert cli.main(["build", "--root", str(root), "--base-url", "/repo/"]) == 0
    assert "built" in capsys.readouterr().out
    assert cli.main(["build", "--root", str(root), "--base-url", "/repo/", "--force"]) == 0
    assert "built" in capsys.readouterr().out
