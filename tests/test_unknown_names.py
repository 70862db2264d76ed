"""Names the site does not know (#20.5): capitalised names in article text that match no actor or
alias are reported with counts and their place, at the configured severity, and `check
--suggest-actors` prints actor stubs, writing them only with --write and never over a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer import pipeline
from explainer.config import load_config
from explainer.unknownnames import count_names, occurrences

from conftest_helpers import copy_example, edit, line_of, run_cli, site_bytes

ARTICLE = "content/articles/putin-us-relations-trump.md"
MACRON = ("French President Emmanuel Macron called NATO allies to Paris on Thursday. Macron said the Bank of "
          "England agreed, and NATO said nothing to Macron in June.")


def names(text: str) -> dict[str, int]:
    return {found.name: found.count for found in count_names(occurrences(text, True, 1, 0))}


@pytest.mark.parametrize(("text", "expected"), [
    (MACRON, {"Emmanuel Macron": 1, "NATO": 2, "Paris": 1, "Macron": 2, "Bank of England": 1}),
    ("On Tuesday, Russian Foreign Minister Sergey Lavrov spoke.", {"Sergey Lavrov": 1}),
    ("The General Assembly met. The vote of the General Assembly stood.", {"General Assembly": 2}),
    ("The talks went well. Europe was furious. Five European states abstained.", {}),
    ("It won the “Axis of Autocracies” a say, Western diplomats in the Middle East said.", {}),
    ("“We will not wait,” said Jens Stoltenberg. Stoltenberg left.", {"Jens Stoltenberg": 1, "Stoltenberg": 1}),
    ("Despite that, the Russian Federation and the Kremlin’s Press Secretary agreed.",
     {"Russian Federation": 1, "Kremlin": 1}),
])
def test_names_are_found_and_common_words_are_not(text: str, expected: dict[str, int]) -> None:
    assert names(text) == expected


def test_un_document_symbols_are_no_names(project: Path) -> None:
    edit(project, ARTICLE, "Europe was furious.", "Europe was furious about A/RES/ES-11/7 and S/RES/2774 (2025).")
    run = run_cli("check", "--root", str(project))
    assert "'RES'" not in run.err and "'ES'" not in run.err and "'S'" not in run.err, run.err


def test_the_example_story_has_no_unknown_names() -> None:
    run = run_cli("check", "--root", str(Path(__file__).resolve().parent.parent))
    assert run.code == 0, run.err
    assert "is not the name or alias" not in run.err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_example(tmp_path / "project")
    (root / ARTICLE).write_text((root / ARTICLE).read_text(encoding="utf-8") + f"\n{MACRON}\n", encoding="utf-8")
    return root


def test_unknown_names_are_warnings_with_counts_and_places(project: Path) -> None:
    run = run_cli("check", "--root", str(project))
    assert run.code == 0, run.err
    line = line_of(project, ARTICLE, "French President")
    found = {d["message"]: (d["path"], int(d["line"]), int(d["col"]), d["severity"]) for d in run.diagnostics()}
    assert found["'NATO' (2 times) is not the name or alias of any actor"] == (ARTICLE, line, MACRON.index("NATO") + 1,
                                                                              "warning")
    assert found["'Emmanuel Macron' (once) is not the name or alias of any actor"][2] == MACRON.index("Emmanuel") + 1
    assert not any("Thursday" in message or "French" in message or "June" in message for message in found)


@pytest.mark.parametrize(("level", "code", "reported"), [("error", 1, True), ("ignore", 0, False)])
def test_the_severity_is_configurable(project: Path, level: str, code: int, reported: bool) -> None:
    edit(project, "config.yaml", "validation:", f"validation:\n  unknown_name: {level}")
    run = run_cli("check", "--root", str(project))
    assert run.code == code, run.err
    assert ("'NATO' (2 times)" in run.err) == reported


def test_a_bad_severity_is_refused_at_its_line(project: Path) -> None:
    edit(project, "config.yaml", "validation:", "validation:\n  unknown_name: off")
    run = run_cli("check", "--root", str(project))
    assert run.code == 1
    assert any(d["path"] == "config.yaml" and int(d["line"]) == line_of(project, "config.yaml", "unknown_name")
               for d in run.diagnostics()), run.err


def test_suggest_actors_prints_stubs_and_writes_nothing_unless_asked(project: Path) -> None:
    before = site_bytes(project)
    run = run_cli("check", "--root", str(project), "--suggest-actors")
    assert run.code == 0, run.err
    assert "# content/actors/emmanuel-macron.yaml\n" in run.out
    assert "id: emmanuel-macron\nkind: person\nname: Emmanuel Macron\naliases:\n- Macron\n" in run.out
    assert "id: nato\nkind: organisation\nname: NATO\n" in run.out
    assert site_bytes(project) == before, "--suggest-actors alone writes nothing"
    nato = "id: nato\nkind: organisation\nname: NATO\naliases: [North Atlantic Treaty Organization]\n"
    (project / "content/actors/nato.yaml").write_text(nato, encoding="utf-8")
    kept = (project / "content/actors/nato.yaml").read_bytes()
    run = run_cli("check", "--root", str(project), "--suggest-actors", "--write")
    assert run.code == 0, run.err
    assert "wrote content/actors/emmanuel-macron.yaml" in run.out
    assert (project / "content/actors/nato.yaml").read_bytes() == kept, "an existing file is never overwritten"
    again = run_cli("check", "--root", str(project))
    assert again.code == 0, again.err
    assert "Macron" not in again.err and "NATO" not in again.err


def test_write_alone_is_a_usage_error(project: Path) -> None:
    assert run_cli("check", "--root", str(project), "--write").code == 2


def test_adding_the_actor_on_a_cache_gives_the_clean_result(project: Path) -> None:
    cache = pipeline.BuildCache()
    first = pipeline.build(load_config(project), cache=cache)
    assert any("Emmanuel Macron" in d.message for d in first.report.warnings)
    actor = project / "content/actors/emmanuel-macron.yaml"
    actor.write_text("id: emmanuel-macron\nkind: person\nname: Emmanuel Macron\n", encoding="utf-8")
    quick = pipeline.build(load_config(project), cache=cache, changed=[str(actor)])
    clean = pipeline.build(load_config(project))
    assert [d.format() for d in quick.report.sorted()] == [d.format() for d in clean.report.sorted()]
    messages = [d.message for d in clean.report.warnings]
    assert not any("Emmanuel Macron" in m for m in messages)
    assert "'Macron' (2 times) is not the name or alias of any actor" in messages
    hint = next(d.hint for d in clean.report.warnings if d.message.startswith("'Macron'"))
    assert hint == "add 'Macron' to the aliases of emmanuel-macron"


def test_an_actor_file_that_failed_leaves_names_unreported(project: Path) -> None:
    edit(project, "content/actors/vladimir-putin.yaml", "kind: person", "kind: persn")
    run = run_cli("check", "--root", str(project))
    assert run.code == 1
    assert {d["path"] for d in run.diagnostics()} == {"content/actors/vladimir-putin.yaml"}, run.err


def test_ignored_names_are_not_even_looked_for_and_come_back_on_the_same_cache(project: Path) -> None:
    """With ``unknown_name: ignore`` the articles are rendered without collecting names (0.6 ms
    an article); switching it back on renders them again, even on a kept cache."""
    edit(project, "config.yaml", "validation:", "validation:\n  unknown_name: ignore")
    cache = pipeline.BuildCache()
    pipeline.build(load_config(project), cache=cache)
    entries = [entry for entry in cache.articles.values() if hasattr(entry, "outcome")]
    assert entries and all(entry.outcome.names == () for entry in entries)
    edit(project, "config.yaml", "unknown_name: ignore", "unknown_name: warning")
    again = pipeline.build(load_config(project), cache=cache)
    assert any("'NATO' (2 times)" in d.message for d in again.report.warnings)
