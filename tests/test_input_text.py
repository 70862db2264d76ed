"""The text of every input file, by one rule (issue #17, findings 2, 5, 12 and 13).

Decoding (UTF-8, or UTF-16/32 with a byte order mark; any line ends), control characters,
YAML tags and nesting depth: each mistake is an error naming file, line and column, with exit
code 1, never a crash or a traceback; legal text still builds, and its feed is well-formed.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest_helpers import REPO, copy_example, edit, line_of, run_cli
from test_bad_input import ACTOR, ARTICLE, CONFIG, QUOTES, assert_error, check, write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


# --- nesting depth: refused before libyaml's composer recurses ---------------------------------

DEEP = 30_000


@pytest.mark.parametrize(("relative", "text"), [
    (ACTOR, "id: x\nkind: person\nname: X\naliases:\n" + "- " * DEEP + "a\n"),
    (ACTOR, "id: x\nkind: person\nname: X\n" + "? " * DEEP + "a\n"),
    (ACTOR, "id: x\nkind: person\nname: X\naliases: " + "[" * DEEP + "]" * DEEP + "\n"),
    (ACTOR, "id: x\nkind: person\nname: X\nlinks: " + "{a: " * DEEP + "b" + "}" * DEEP + "\n"),
    (ARTICLE, "---\ntitle: T\ndate: 2025-02-25\nunlinked:\n" + "- " * DEEP + "a\n---\nBody\n"),
    (CONFIG, "title: T\nimport: " + "[" * DEEP + "]" * DEEP + "\n"),
], ids=["block-list", "explicit-keys", "flow-list", "flow-mapping", "front-matter", "config"])
def test_deep_nesting_is_an_error_not_a_crash(project: Path, relative: str, text: str) -> None:
    write(project, relative, text)
    # A subprocess: on the old code the interpreter died of SIGSEGV (exit -11).
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--root", str(project)],
                         capture_output=True, text=True, timeout=120, cwd=REPO, check=False)
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    deep = max(("- " * 3, "? " * 3, "[" * 3, "{a: " * 3), key=text.find)
    line = text.count("\n", 0, text.index(deep)) + 1
    assert f"{relative}:{line}:" in run.stderr and "nested more than 100 levels" in run.stderr, run.stderr


def test_nesting_up_to_the_limit_is_read(project: Path) -> None:
    """Ninety-nine levels inside the actor's aliases: the depth rule lets it through, the schema
    then says what is wrong (a list is not a name)."""
    edit(project, ACTOR, "aliases:\n- Putin", "aliases:\n- " + "- " * 98 + "Putin")
    run = check(project)
    assert "nested more than" not in run.err
    assert_error(run, ACTOR, None, "valid string")


# --- control characters: one rule for articles, front matter, YAML and config -------------------


@pytest.mark.parametrize(("relative", "old", "new", "named"), [
    (ARTICLE, "The Kremlin is keeping", "The Kremlin\x0b is keeping", "U+000B (VERTICAL TAB)"),
    (ARTICLE, "title: How Putin is playing his on-the-mend US relations with Trump", 'title: "How\\0 Putin"',
     "U+0000 (NUL)"),
    (ACTOR, "name: Vladimir Putin", 'name: "Vladimir\\x01 Putin"', "U+0001"),
    (ACTOR, "role: President of Russia", "role: President\x7f of Russia", "U+007F (DELETE)"),
    (ACTOR, "role: President of Russia", "role: President\u0085 of Russia", "U+0085"),
    (QUOTES, "speaker: dmitry-peskov", 'speaker: "dmitry-peskov\\uFFFF"', "U+FFFF"),
    (CONFIG, "language: en", "language: en\x1b[31m", "U+001B (ESCAPE)"),
    (ARTICLE, "The Kremlin is keeping", "The Kremlin\x00 is keeping", "U+0000 (NUL)"),
], ids=["vt-in-article", "nul-escape-in-title", "soh-escape-in-name", "del-raw", "c1-raw", "nonchar-escape",
        "esc-in-config", "raw-nul-in-article"])
def test_control_character_is_refused_with_its_place(project: Path, relative: str, old: str, new: str,
                                                      named: str) -> None:
    edit(project, relative, old, new)
    run = check(project)
    marker = new.split("\n")[0][:12]
    line = line_of(project, relative, marker)
    assert_error(run, relative, line, named)
    [diagnostic] = [d for d in run.diagnostics() if d["path"] == relative]
    if "\\" not in new:  # a raw character: the column is its own
        column = new.split("\n")[0].index(next(c for c in new if ord(c) < 32 or 0x7F <= ord(c) <= 0x9F)) + 1
        text = (project / relative).read_text(encoding="utf-8").split("\n")[line - 1]
        assert int(diagnostic["col"]) == text.index(new.split("\n")[0]) + column, run.err


def test_legal_text_builds_and_the_feed_is_well_formed(project: Path) -> None:
    edit(project, ARTICLE, "The Kremlin is keeping",
         "Tabs\tstay, as do “quotes”, emoji 🙂, Ελληνικά, العربية and a line\u2028separator. The Kremlin is keeping")
    edit(project, ACTOR, "name: Vladimir Putin", 'name: "Vladimir\\tPutin"')
    edit(project, ACTOR, "- Putin", "- Vladimir Putin\n- Putin")
    run = run_cli("build", "--root", str(project))
    assert run.code == 0, run.err
    ET.parse(project / "site" / "feed.xml")  # raises on an ill-formed feed
    page = (project / "site/articles/putin-us-relations-trump/index.html").read_text(encoding="utf-8")
    assert "emoji 🙂" in page and "\x00" not in page


# --- encodings and line ends ----------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr-only"])
def test_any_line_end_reads_with_the_right_lines(project: Path, newline: str) -> None:
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    assert check(project).code == 0
    path.write_bytes(text.replace("source: Cryptopolitan", "sorce: Cryptopolitan").replace("\n", newline)
                     .encode("utf-8"))
    line = text.split("\n").index("source: Cryptopolitan") + 1
    assert_error(check(project), ARTICLE, line, "did you mean 'source'")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(project: Path, encoding: str) -> None:
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    run = run_cli("build", "--root", str(project))
    assert run.code == 0, run.err
    page = (project / "site/articles/putin-us-relations-trump/index.html").read_text(encoding="utf-8")
    assert "is keeping things measured" in page


def test_utf16_without_a_byte_order_mark_gets_a_hint(project: Path) -> None:
    path = project / ACTOR
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    assert_error(check(project), ACTOR, 1, "UTF-16 without a byte order mark")


def test_valid_utf8_with_a_control_character_names_the_character(project: Path) -> None:
    edit(project, ARTICLE, "The Kremlin is keeping", "The Kremlin is\x02 keeping")
    run = check(project)
    assert_error(run, ARTICLE, line_of(project, ARTICLE, "The Kremlin is"), "U+0002")
    assert "UTF-8" not in run.err and "binary" not in run.err


# --- YAML tags: only plain values --------------------------------------------------------------


@pytest.mark.parametrize(("new", "phrase"), [
    ("role: !!binary UHJlc2lkZW50", "!!binary"),
    ("role: !!set {a, b}", "!!set"),
    ("role: !!omap [a: 1]", "!!omap"),
    ("role: !!pairs [a: 1]", "!!pairs"),
    ("role: !!timestamp 2025-02-25", "YYYY-MM-DD"),
    ("<<: {role: President}", "merge keys"),
    ("role: !custom President", "!custom"),
])
def test_non_plain_yaml_tags_are_refused(project: Path, new: str, phrase: str) -> None:
    edit(project, ACTOR, "role: President of Russia", new)
    assert_error(check(project), ACTOR, line_of(project, ACTOR, new), phrase)


def test_plain_tags_are_accepted(project: Path) -> None:
    edit(project, ACTOR, "role: President of Russia", "role: !!str President of Russia")
    edit(project, "content/votes/s-res-2774-2025.yaml", "  yes: 10\n", "  yes: !!int 10\n")
    assert check(project).code == 0
