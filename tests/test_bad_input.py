"""One deliberate mistake per case, on a copy of the example project: every mistake is reported
as `path:line:col: error: message — hint`, with exit code 1 and never a traceback.

Each case copies config.yaml, content/ and templates/ into tmp_path, breaks one thing and runs
`build.py check`. Expected lines are found from a marker in the broken file, so the cases keep
working when the example content grows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest_helpers import DIAGNOSTIC, Run, copy_example, edit, line_of, run_cli, site_bytes

ACTOR = "content/actors/vladimir-putin.yaml"
QUOTES = "content/quotes/putin-us-relations-trump.yaml"
SC_VOTE = "content/votes/s-res-2774-2025.yaml"
GA_VOTE = "content/votes/a-res-es-11-7.yaml"
GA_PARTIAL = "content/votes/a-res-es-11-8.yaml"
ARTICLE = "content/articles/putin-us-relations-trump.md"
CONFIG = "config.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project", templates=True)


def check(root: Path, *extra: str) -> Run:
    return run_cli("check", "--root", str(root), *extra)


def assert_error(run: Run, path: str, line: int | None, phrase: str, located: bool = True) -> None:
    """Exit 1, and an error on ``path`` whose text contains ``phrase``, at ``line`` if given.

    ``located``: the message must name a line (any line when ``line`` is None).
    """
    assert run.code == 1, f"exit {run.code}\n{run.err}"
    assert "Traceback" not in run.err
    matches = [d for d in run.diagnostics() if d["path"] == path and d["severity"] == "error"
               and (line is None or int(d["line"] or 0) == line) and (not located or int(d["line"] or 0) > 0)
               and phrase in f"{d['message']} — {d['hint']}"]
    assert matches, f"no error at {path}:{line} containing {phrase!r} in:\n{run.err}"
    assert all(d["hint"] for d in matches), f"every error should carry a hint:\n{run.err}"


def write(root: Path, relative: str, data: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def append(root: Path, relative: str, data: str) -> None:
    with (root / relative).open("a", encoding="utf-8") as handle:
        handle.write(data)


# --- the table of cases ------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Path], None]
    path: str
    marker: str | None  # text on the reported line of the broken file; None: line 1; ANY_LINE: some line
    phrase: str
    bug: str = ""  # non-empty: a known engine bug, run as a strict xfail


ANY_LINE = "<any line>"
# Front matter starts on line 2, but positions of keys in the parsed front matter are not shifted:
# load._parse_article passes line_offset only to load_yaml's own errors.

def sub(relative: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: edit(root, relative, old, new)


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        for step in steps:
            step(root)
    return run


def put(relative: str, data: str | bytes) -> Callable[[Path], None]:
    return lambda root: write(root, relative, data)


def non_utf8(root: Path) -> None:
    path = root / ACTOR
    path.write_bytes(path.read_bytes().replace(b"role: President of Russia", b"role: Pr\xe9sident of Russia"))


def non_utf8_article(root: Path) -> None:
    path = root / ARTICLE
    path.write_bytes(path.read_bytes().replace(b"The Kremlin is keeping", b"The Kremlin \xff\xfe is keeping"))


ALIAS_BOMB = """\
id: lol
kind: person
name: &a "lol"
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""
SECOND_ARTICLE = """\
---
title: A second article
slug: putin-us-relations-trump
date: 2025-02-26
---

Nothing to see.
"""

CASES = [
    # YAML syntax and encoding
    Case("malformed-flow-list", sub(ACTOR, "name: Vladimir Putin", "name: [Vladimir Putin"), ACTOR, "aliases:",
         "invalid YAML"),
    Case("unclosed-quote", sub(ACTOR, "role: President of Russia", 'role: "President of Russia\nlinks2: x'),
         ACTOR, ANY_LINE, "invalid YAML"),
    Case("tab-indent", sub(ACTOR, "name: Vladimir Putin", "\tname: Vladimir Putin"), ACTOR, "\tname",
         "tab"),
    Case("tab-indent-front-matter", sub(ARTICLE, "source: Cryptopolitan", "\tsource: Cryptopolitan"), ARTICLE,
         "\tsource", "tab"),
    Case("non-utf8-yaml", non_utf8, ACTOR, "role: Pr", "not valid UTF-8"),
    Case("non-utf8-article-body", non_utf8_article, ARTICLE, "The Kremlin", "not valid UTF-8"),
    Case("empty-actor", put(ACTOR, ""), ACTOR, None, "found nothing"),
    Case("comment-only-vote", put(SC_VOTE, "# nothing yet\n"), SC_VOTE, None, "found nothing"),
    Case("empty-quotes", put(QUOTES, ""), QUOTES, None, "must be a YAML list"),
    Case("quotes-as-mapping", put(QUOTES, "id: q\nspeaker: x\n"), QUOTES, None, "must be a YAML list"),
    Case("empty-article", put(ARTICLE, ""), ARTICLE, None, "does not start with '---'"),
    Case("alias-bomb", put(ACTOR, ALIAS_BOMB), ACTOR, "name: &a", "aliases"),
    Case("plain-alias", sub(ACTOR, "role: President of Russia", "role: &r President\ndescription: *r"), ACTOR,
         "role: &r", "aliases"),
    Case("two-documents", sub(ACTOR, "role: President of Russia", "role: President\n---\nid: other"), ACTOR,
         "---", "invalid YAML"),
    Case("python-tag", sub(ACTOR, "role: President of Russia", "role: !!python/object:os.system x"), ACTOR,
         "role: !!python", "invalid YAML"),
    # wrong types
    Case("list-as-key", sub(ACTOR, "role: President of Russia", "[a, b]: President"), ACTOR, "[a, b]",
         "a key must be plain text"),
    Case("mapping-as-key", sub(ACTOR, "role: President of Russia", "? {a: 1}\n: President"), ACTOR, "? {a: 1}",
         "a key must be plain text"),
    Case("int-for-string-list", sub(ACTOR, "aliases:\n- Putin", "aliases: 5"), ACTOR, "aliases: 5",
         "valid list"),
    Case("int-in-string-list", sub(ACTOR, "- Putin", "- 5"), ACTOR, "- 5", "valid string"),
    Case("mapping-for-credits", sub(ARTICLE, "credits:\n", "credits:\n  caption: x\nold_credits:\n"), ARTICLE,
         "credits:", "valid list"),
    Case("int-for-id", sub(ACTOR, "id: vladimir-putin", "id: 2025"), ACTOR, "id: 2025", "valid string"),
    Case("quote-not-a-mapping", sub(QUOTES, "- id: peskov-washington-messed-up",
                                    "- just a string\n- id: peskov-washington-messed-up"), QUOTES,
         "- just a string", "quote [0] must be a mapping"),
    # unsafe ids
    Case("id-dot-dot", sub(ACTOR, "id: vladimir-putin", "id: ../../etc"), ACTOR, "id: ../../etc",
         "'../../etc' is not a valid id"),
    Case("id-slash", sub(ACTOR, "id: vladimir-putin", "id: a/b"), ACTOR, "id: a/b", "is not a valid id"),
    Case("id-uppercase-underscore", sub(ACTOR, "id: vladimir-putin", "id: Vladimir_Putin"), ACTOR,
         "id: Vladimir_Putin", "is not a valid id"),
    Case("id-unicode", sub(ACTOR, "id: vladimir-putin", "id: vladímir"), ACTOR, "id: vladímir",
         "is not a valid id"),
    Case("slug-dot-dot", sub(ARTICLE, "slug: putin-us-relations-trump", "slug: ../../etc"), ARTICLE,
         "slug: ../../etc", "is not a valid id"),
    Case("quote-id-html", sub(QUOTES, "- id: peskov-much-damage", "- id: <script>"), QUOTES, "- id: <script>",
         "is not a valid id"),
    Case("duplicate-amendment-id", sub(SC_VOTE, "- id: european-amendment-2", '- id: "european-amendment-1"'),
         SC_VOTE, '- id: "european-amendment-1"', "used twice in vote"),
    Case("vote-id-slashes", sub(SC_VOTE, "id: s-res-2774-2025", "id: S/RES/2774"), SC_VOTE, "id: S/RES/2774",
         "is not a valid id"),
    Case("unusable-article-file-name", both(sub(ARTICLE, "slug: putin-us-relations-trump\n", ""),
                                            lambda r: (r / ARTICLE).rename(r / "content/articles/Bad Name.md")),
         "content/articles/Bad Name.md", None, "cannot be used as a URL slug"),
    # references and "did you mean"
    Case("unknown-speaker", sub(QUOTES, "speaker: vladimir-putin", "speaker: vladimir-puttin"), QUOTES,
         "vladimir-puttin", "did you mean 'vladimir-putin'"),
    Case("unknown-linked-actor", sub(ACTOR, "- actor: russia", "- actor: rusia"), ACTOR, "actor: rusia",
         "did you mean 'russia'"),
    Case("unknown-outlet", sub(ARTICLE, "outlet: cryptopolitan", "outlet: cryptopolitn"), ARTICLE,
         "outlet: cryptopolitn", "did you mean 'cryptopolitan'"),
    Case("unknown-drafter", sub(SC_VOTE, "drafter: united-states", "drafter: united-state"), SC_VOTE,
         "drafter: united-state", "did you mean 'united-states'"),
    Case("unknown-key-actor", sub(ACTOR, "role: President of Russia", "rol: President of Russia"), ACTOR,
         "rol: President", "unknown field 'rol' (did you mean 'role'?)"),
    Case("unknown-key-front-matter", sub(ARTICLE, "source: Cryptopolitan", "sorce: Cryptopolitan"), ARTICLE,
         "sorce:", "did you mean 'source'"),
    Case("unknown-key-nested-tally", sub(SC_VOTE, "  absent: 0", "  absnet: 0"), SC_VOTE, "absnet",
         "did you mean 'absent'"),
    # identity
    Case("duplicate-actor-id", put("content/actors/zz-putin.yaml", "id: vladimir-putin\nkind: person\nname: V\n"),
         "content/actors/zz-putin.yaml", "id: vladimir-putin", "duplicate actor id 'vladimir-putin'"),
    Case("duplicate-quote-id", put("content/quotes/zz-more.yaml",
                                   "- id: peskov-much-damage\n  speaker: dmitry-peskov\n  text: Much damage\n"
                                   "  article: putin-us-relations-trump\n"),
         "content/quotes/zz-more.yaml", "- id: peskov-much-damage", "duplicate quote id 'peskov-much-damage'"),
    Case("duplicate-article-slug", put("content/articles/zz-second.md", SECOND_ARTICLE),
         "content/articles/zz-second.md", "slug:", "duplicate article id"),
    Case("duplicate-yaml-key", sub(ACTOR, "role: President of Russia", "role: President\nrole: Leader"), ACTOR,
         "role: Leader", "duplicate key 'role'"),
    Case("duplicate-yaml-key-front-matter", sub(ARTICLE, "source: Cryptopolitan",
                                                "source: Cryptopolitan\nsource: CNBC"),
         ARTICLE, "source: CNBC", "duplicate key 'source'"),
    # dates
    Case("date-feb-30", sub(ARTICLE, "date: 2025-02-25", "date: 2025-02-30"), ARTICLE, "date: 2025-02-30",
         "YYYY-MM-DD"),
    Case("date-weekday", sub(ARTICLE, "date: 2025-02-25", "date: Monday"), ARTICLE, "date: Monday",
         "YYYY-MM-DD"),
    Case("date-month-13-in-quotes", sub(QUOTES, "said_on: 2025-02-24", "said_on: 2025-13-01"), QUOTES,
         "said_on: 2025-13-01", "valid date"),
    Case("vote-date-slashes", sub(SC_VOTE, "date: 2025-02-24", "date: 24/02/2025"), SC_VOTE,
         "date: 24/02/2025", "YYYY-MM-DD"),
    # quotes and claims against the article text
    Case("quote-not-in-article", sub(QUOTES, "messed things up badly", "messed everything up badly"), QUOTES,
         "messed everything up", "closest passage: \"road. \"The previous Washington administration messed things"),
    Case("quote-article-missing", sub(QUOTES, "article: putin-us-relations-trump", "article: putin-us-relation-trump"),
         QUOTES, "article: putin-us-relation-trump", "does not exist (did you mean 'putin-us-relations-trump'?)"),
    Case("claim-not-in-article", sub(GA_VOTE, "text: The US abstained on that vote, too.",
                                     "text: The US voted no on that vote."),
         GA_VOTE, "text: The US voted no", "the claim is not in article"),
    Case("claim-article-missing", sub(GA_VOTE, "- article: putin-us-relations-trump", "- article: nowhere"),
         GA_VOTE, "- article: nowhere", "article 'nowhere' does not exist"),
    # votes
    Case("member-twice-code-and-id", sub(SC_VOTE, "  CHN: yes\n", "  CHN: yes\n  china: yes\n"), SC_VOTE,
         "  china: yes", "member 'china' is listed twice (also as 'CHN')"),
    Case("members-exceed-tally", sub(SC_VOTE, "  abstain: 5\n  absent: 0\nmembers_complete: true",
                                     "  abstain: 4\n  absent: 0\nmembers_complete: false"),
         SC_VOTE, "  abstain: 4", "5 members are listed as 'abstain' but the tally declares 4"),
    Case("council-too-few-yes-adopted", both(sub(SC_VOTE, "  DZA: yes", "  DZA: abstain"),
                                             sub(SC_VOTE, "  GUY: yes", "  GUY: abstain"),
                                             sub(SC_VOTE, "  yes: 10\n  no: 0\n  abstain: 5",
                                                 "  yes: 8\n  no: 0\n  abstain: 7")),
         SC_VOTE, "result: adopted", "only 8 in favour, 9 needed"),
    Case("council-veto-adopted", both(sub(SC_VOTE, "  RUS: yes", "  RUS: no"),
                                      sub(SC_VOTE, "  yes: 10\n  no: 0", "  yes: 9\n  no: 1")),
         SC_VOTE, "result: adopted", "Russian Federation (RUS) voted no"),
    # computed from the declared tally: this vote's member list is partial
    Case("assembly-more-no-adopted", sub(GA_PARTIAL, "  yes: 93\n  no: 8", "  yes: 8\n  no: 93"), GA_PARTIAL,
         "result: adopted", "contradicts the votes: 8 in favour, 93 against"),
    Case("council-sixteen-members", both(sub(SC_VOTE, "  USA: yes\n", "  USA: yes\n  DEU: abstain\n"),
                                         sub(SC_VOTE, "  abstain: 5\n", "  abstain: 6\n")),
         SC_VOTE, "members:", "the Security Council has 15 members, this vote counts 16"),
    Case("vote-value-on", sub(SC_VOTE, "  CHN: yes", "  CHN: on"), SC_VOTE, "CHN: on",
         "Input should be 'yes', 'no', 'abstain' or 'absent', found"),
    Case("vote-value-off", sub(SC_VOTE, "  CHN: yes", "  CHN: off"), SC_VOTE, "CHN: off",
         "Input should be 'yes', 'no', 'abstain' or 'absent', found"),
    Case("vote-value-true", sub(SC_VOTE, "  CHN: yes", "  CHN: true"), SC_VOTE, "CHN: true",
         "Input should be 'yes', 'no', 'abstain' or 'absent'"),
    Case("wrong-member-code", sub(SC_VOTE, "  CHN: yes", "  CHX: yes"), SC_VOTE, "CHX: yes",
         "member 'CHX' is neither an actor nor a UN member code (did you mean 'CHN'?)"),
    Case("wrong-body", sub(SC_VOTE, "body: security-council", "body: security council"), SC_VOTE,
         "body: security council", "'security-council' or 'general-assembly'"),
    # missing fields and front matter
    # a result is computed from the votes; without a count it must be written
    Case("missing-vote-result", sub(SC_VOTE, "  result: rejected\n  note: Received fewer", "  note: Received fewer"),
         SC_VOTE, "id: european-amendment-3", "the result cannot be computed"),
    Case("missing-actor-kind", sub(ACTOR, "kind: person\n", ""), ACTOR, "id: vladimir-putin",
         "required field 'kind' is missing"),
    Case("missing-quote-text", sub(QUOTES, "  text: The previous Washington administration messed things up "
                                           "badly. There’s a lot of work to be done,\n", ""),
         QUOTES, "- id: peskov-washington-messed-up", "required field 'text' is missing ([0])"),
    Case("missing-article-date", sub(ARTICLE, "date: 2025-02-25\n", ""), ARTICLE, "title:",
         "required field 'date' is missing"),
    Case("front-matter-not-closed", sub(ARTICLE, "\n---\n\nThe Kremlin", "\n\nThe Kremlin"), ARTICLE, None,
         "the front matter is never closed"),
    Case("no-front-matter", sub(ARTICLE, "---\ntitle:", "title:"), ARTICLE, None,
         "does not start with '---' front matter"),
    Case("front-matter-is-a-list", lambda r: write(r, ARTICLE, "---\n- a\n- b\n---\nBody\n"), ARTICLE, "- a",
         "expected front matter as a mapping of fields, found list"),
    # configuration
    Case("config-base-url-no-slash", sub(CONFIG, "base_url: /", "base_url: https://example.org/repo"), CONFIG,
         "base_url:", "(base_url)"),
    Case("config-unknown-key", sub(CONFIG, "language: en", "langauge: en"), CONFIG, "langauge",
         "did you mean 'language'"),
    Case("config-bad-severity", sub(CONFIG, "  orphan_actor: warning", "  orphan_actor: fatal"), CONFIG,
         "orphan_actor: fatal", "'error', 'warning' or 'ignore'"),
    Case("config-invalid-yaml", sub(CONFIG, "language: en", "language: [en"), CONFIG, "link_mentions",
         "invalid YAML"),
]


def case_params() -> list[object]:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.bug)] if c.bug else [])
            for c in CASES]


@pytest.mark.parametrize("case", case_params())
def test_mistake_is_located(project: Path, case: Case) -> None:
    case.mutate(project)
    line: int | None = None  # ANY_LINE: the test does not pin the line
    if case.marker != ANY_LINE:
        line = 1 if case.marker is None else line_of(project, case.path, case.marker)
    assert_error(check(project), case.path, line, case.phrase)


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


def test_the_unbroken_copy_checks_clean(project: Path) -> None:
    run = check(project)
    assert run.code == 0, run.err
    assert "error" not in run.err


# --- inputs that must still work --------------------------------------------------------


@pytest.mark.parametrize("relative", [ACTOR, ARTICLE, QUOTES, SC_VOTE, CONFIG])
def test_byte_order_mark_is_accepted(project: Path, relative: str) -> None:
    path = project / relative
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    run = check(project)
    assert run.code == 0, run.err


def test_bare_yes_and_no_are_read_as_votes(project: Path) -> None:
    """YAML 1.1 would read bare yes/no as booleans; ours reads them as the vote (tally unchanged)."""
    edit(project, SC_VOTE, "  DZA: yes", "  DZA: abstain")
    edit(project, SC_VOTE, "  DNK: abstain", "  DNK: yes")
    edit(project, SC_VOTE, "  no: 0\n  abstain: 5", "  no: 1\n  abstain: 5")
    edit(project, SC_VOTE, "  GUY: yes", "  GUY: no")
    edit(project, SC_VOTE, "  yes: 10\n", "  yes: 9\n")
    run = check(project)
    assert run.code == 0, run.err


def test_tab_after_a_colon_is_fine(project: Path) -> None:
    edit(project, ACTOR, "name: Vladimir Putin", "name:\tVladimir Putin")
    assert check(project).code == 0


def test_html_in_text_fields_is_escaped(project: Path) -> None:
    script = "<script>alert({})</script>"
    edit(project, ACTOR, "role: President of Russia", f"role: President {script.format(1)} & <b>bold</b>")
    edit(project, ARTICLE, "title: How Putin", f"title: {script.format(2)} How Putin")
    edit(project, ARTICLE, "The Kremlin is keeping", f"The Kremlin {script.format(3)} <img src=x onerror=y> is keeping")
    edit(project, QUOTES, "context: Said on Tuesday", f"context: {script.format(4)} Said on Tuesday")
    edit(project, SC_VOTE, "meeting: S/PV.9866", f"meeting: S/PV.9866 {script.format(5)}")
    out = project / "site"
    run = run_cli("build", "--root", str(project), "--out", str(out))
    assert run.code == 0, run.err
    pages = {name: data.decode("utf-8") for name, data in site_bytes(out).items() if name.endswith(".html")}
    for number in range(1, 6):
        assert not [name for name, html in pages.items() if f"<script>alert({number})" in html], number
        assert any(f"&lt;script&gt;alert({number})&lt;/script&gt;" in html for html in pages.values()), number
    assert not [name for name, html in pages.items() if "<img src=x" in html]
    assert any("President &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold" in html for html in pages.values())


# --- size limits and the file system ------------------------------------------------------


def test_fifty_megabyte_file_is_refused_quickly(project: Path) -> None:
    with (project / ACTOR).open("r+b") as handle:
        handle.truncate(50_000_000)  # sparse: instant to write, never read
    run = check(project)
    assert_error(run, ACTOR, None, "is 50,000,000 bytes, over the limit", located=False)


def test_three_megabyte_yaml_is_refused(project: Path) -> None:
    write(project, ACTOR, "id: vladimir-putin\nkind: person\nname: V\ndescription: " + "x" * 3_000_000 + "\n")
    assert_error(check(project), ACTOR, None, "over the limit of 2,000,000", located=False)


def test_symlink_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: evil\nkind: person\nname: Evil\n", encoding="utf-8")
    (project / "content/actors/evil.yaml").symlink_to(outside)
    run = check(project)
    assert_error(run, "content/actors/evil.yaml", None, "outside the project", located=False)
    assert "'evil'" not in run.err  # the linked file was never read


def test_symlink_inside_the_project_is_allowed(project: Path) -> None:
    (project / "content/actors/vladimir-putin.yaml").rename(project / "putin-source.yaml")
    (project / ACTOR).symlink_to(project / "putin-source.yaml")
    assert check(project).code == 0


@pytest.mark.parametrize("out", ["content", "templates", ".", "content/site"])
def test_output_folder_over_the_project_is_refused(project: Path, out: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = site_bytes(project / "content")
    monkeypatch.chdir(project)
    for target in (out, str(project / out)):
        run = run_cli("build", "--root", str(project), "--out", target)
        assert run.code == 1, run.err
        assert "--out: error: the output folder" in run.err and "would overwrite" in run.err
    assert site_bytes(project / "content") == before


def test_failed_build_leaves_the_site_unchanged(project: Path) -> None:
    first = run_cli("build", "--root", str(project))
    assert first.code == 0, first.err
    before = site_bytes(project / "site")
    assert len(before) > 10
    edit(project, QUOTES, "speaker: vladimir-putin", "speaker: nobody")
    edit(project, ARTICLE, "The Kremlin is keeping", "The Kremlin is now keeping")
    second = run_cli("build", "--root", str(project))
    assert second.code == 1
    assert site_bytes(project / "site") == before
    # Nothing else is left behind: no staging folder (the build cache and the record of published
    # pages of the first build are expected).
    assert sorted(p.name for p in project.iterdir()) == [".explainer-cache", "config.yaml", "content",
                                                         "published-urls.txt", "site", "templates"]


# --- warnings and --strict ------------------------------------------------------------------


def add_unattributed_quote(root: Path) -> int:
    append(root, ARTICLE, '\nHe added: "this is a brand new quotation that nobody attributed."\n')
    return line_of(root, ARTICLE, "brand new quotation")


def test_warning_does_not_fail_without_strict(project: Path) -> None:
    line = add_unattributed_quote(project)
    run = check(project)
    assert run.code == 0, run.err
    assert f"{ARTICLE}:{line}:1: warning: direct quotation" in run.err
    assert "0 errors, 1 warning" in run.err


def test_warning_fails_with_strict(project: Path) -> None:
    line = add_unattributed_quote(project)
    run = check(project, "--strict")
    assert run.code == 1
    assert f"{ARTICLE}:{line}:1: warning: direct quotation" in run.err
    assert "warnings are errors under --strict" in run.err


def test_strict_build_writes_nothing_on_warning(project: Path) -> None:
    add_unattributed_quote(project)
    assert run_cli("build", "--root", str(project), "--strict").code == 1
    assert not (project / "site").exists()


# --- all problems, in order -------------------------------------------------------------


def test_every_problem_in_one_run(project: Path) -> None:
    edit(project, ACTOR, "kind: person", "kind: persn")
    edit(project, SC_VOTE, "body: security-council", "body: council")
    edit(project, ARTICLE, "date: 2025-02-25", "date: 2025-02-30")
    run = check(project)
    assert run.code == 1
    reported = {d["path"] for d in run.diagnostics() if d["severity"] == "error"}
    assert reported == {ACTOR, SC_VOTE, ARTICLE}
    assert "3 errors" in run.err


def test_every_reference_problem_in_one_run(project: Path) -> None:
    edit(project, QUOTES, "speaker: vladimir-putin", "speaker: putn")
    edit(project, ACTOR, "- actor: russia", "- actor: rusia")
    run = check(project)
    assert {d["path"] for d in run.diagnostics()} >= {ACTOR, QUOTES}


def test_schema_and_reference_problems_in_one_run(project: Path) -> None:
    edit(project, ACTOR, "kind: person", "kind: persn")
    edit(project, QUOTES, "speaker: sergey-lavrov", "speaker: sergey-lavrv")
    run = check(project)
    assert {d["path"] for d in run.diagnostics() if d["severity"] == "error"} == {ACTOR, QUOTES}


def test_errors_are_sorted_by_file_and_line(project: Path) -> None:
    edit(project, SC_VOTE, "  CHN: yes", "  CHN: maybe")
    edit(project, SC_VOTE, "title: Resolution 2774 (2025)", "titel: Resolution 2774 (2025)")
    edit(project, ACTOR, "kind: person", "kind: persn")
    edit(project, "content/actors/china.yaml", "kind: state", "kind: country")
    run = check(project)
    found = [(d["path"], int(d["line"]), int(d["col"])) for d in run.diagnostics()]
    assert len(found) >= 4
    assert found == sorted(found)
    assert [p for p, _, _ in found].index("content/actors/china.yaml") < [p for p, _, _ in found].index(ACTOR)


# --- bugs found by these tests and fixed -----------------------------------------------------


def test_tab_before_a_list_item_is_named(project: Path) -> None:
    edit(project, ACTOR, "aliases:\n- Putin", "aliases:\n\t- Putin")
    assert_error(check(project), ACTOR, line_of(project, ACTOR, "\t- Putin"), "tab")


@pytest.mark.parametrize("mistake", ["fifty-megabytes", "three-megabytes", "symlink", "too-deep", "huge-int"])
def test_file_level_errors_still_carry_a_line(project: Path, tmp_path: Path, mistake: str) -> None:
    if mistake == "fifty-megabytes":
        with (project / ACTOR).open("r+b") as handle:
            handle.truncate(50_000_000)
    elif mistake == "three-megabytes":
        write(project, ACTOR, "description: " + "x" * 3_000_000 + "\n")
    elif mistake == "symlink":
        (tmp_path / "o.yaml").write_text("id: o\n", encoding="utf-8")
        os.remove(project / ACTOR)
        (project / ACTOR).symlink_to(tmp_path / "o.yaml")
    elif mistake == "too-deep":
        write(project, ACTOR, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    else:
        write(project, ACTOR, "id: x\nkind: person\nname: " + "9" * 5000 + "\n")
    assert_error(check(project), ACTOR, 1 if mistake != "huge-int" else 3, "")


def test_control_character_is_located_on_one_line(project: Path) -> None:
    edit(project, ACTOR, "role: President of Russia", "role: President\x07 of Russia")
    run = check(project)
    assert_error(run, ACTOR, line_of(project, ACTOR, "role: President"), "control")
    assert "<unicode string>" not in run.err


@pytest.mark.parametrize("value", ["2025-02-25T10:00:00", "20250225"])
def test_date_with_time_gets_the_date_hint(project: Path, value: str) -> None:
    edit(project, SC_VOTE, "date: 2025-02-24", f"date: {value}")
    assert_error(check(project), SC_VOTE, line_of(project, SC_VOTE, f"date: {value}"), "YYYY-MM-DD")


def test_unclosed_quote_points_at_the_opening_quote(project: Path) -> None:
    edit(project, ACTOR, "role: President of Russia", 'role: "President of Russia')
    assert_error(check(project), ACTOR, line_of(project, ACTOR, 'role: "'), "quoted scalar")


def test_invalid_vote_value_is_named(project: Path) -> None:
    edit(project, SC_VOTE, "  CHN: yes", "  CHN: on")
    assert_error(check(project), SC_VOTE, line_of(project, SC_VOTE, "CHN: on"), "'on'")


def test_bad_base_url_override_names_the_flag(project: Path) -> None:
    run = check(project, "--base-url", "/repo")
    assert run.code == 1
    assert "--base-url" in run.err and "config.yaml" not in run.err


def test_bad_base_url_says_what_to_do(project: Path) -> None:
    edit(project, CONFIG, "base_url: /", "base_url: /repo")
    run = check(project)
    assert_error(run, CONFIG, line_of(project, CONFIG, "base_url"), "/")
    assert "should match pattern" not in run.err


@pytest.mark.parametrize(("relative", "old", "new"), [
    (SC_VOTE, "members_complete: true", "members_complete: yes"),
    (SC_VOTE, "members_complete: true", "members_complete: 1"),
    (SC_VOTE, "  yes: 10\n", "  yes: '10'\n"),
    (SC_VOTE, "  no: 0\n", "  no: false\n"),
    (ARTICLE, "date: 2025-02-25", "date: 1740441600"),
], ids=["bool-from-yes", "bool-from-1", "int-from-string", "int-from-false", "date-from-timestamp"])
def test_no_silent_coercion(project: Path, relative: str, old: str, new: str) -> None:
    edit(project, relative, old, new)
    assert_error(check(project), relative, line_of(project, relative, new.strip().split("\n")[0]), "")


@pytest.mark.parametrize(("relative", "old", "new"), [
    (ACTOR, "id: vladimir-putin", 'id: "evil\\n/tmp/x.yaml:1:1: error: forged"'),
    (ACTOR, "name: Vladimir Putin", 'name: Vladimir Putin\n"na\\nme": x'),
    (SC_VOTE, "  CHN: yes", '  "CH\\nN": yes'),
    (ACTOR, "id: vladimir-putin", 'id: "\\e[31mred"'),
], ids=["newline-in-id", "newline-in-key", "newline-in-member", "ansi-escape-in-id"])
def test_user_text_cannot_break_the_one_line_format(project: Path, relative: str, old: str, new: str) -> None:
    edit(project, relative, old, new)
    run = check(project)
    assert run.code == 1
    lines = run.err.splitlines()
    assert all(DIAGNOSTIC.match(line) for line in lines[:-1]), run.err
    assert {d["path"] for d in run.diagnostics()} == {relative}, run.err
    assert "\x1b" not in run.err


def test_locations_read_again_for_one_off_builds_match_the_previews(tmp_path: Path) -> None:
    """One-off builds drop the YAML's line numbers after validation and read a file again for a
    diagnostic; the locations must be those of a build that kept them (the preview's)."""
    from explainer import pipeline
    from explainer.config import load_config
    from explainer.errors import ContentError

    root = copy_example(tmp_path / "project", templates=True)
    (root / "content/quotes/extra.yaml").write_text(
        "- id: broken-one\n  speaker: vladimir-putin\n"  # no text, no article: invalid
        "- id: second\n  speaker: nobody-at-all\n  text: We are ready\n  article: putin-us-relations-trump\n",
        encoding="utf-8")
    reports = []
    for cache in (None, pipeline.BuildCache()):
        with pytest.raises(ContentError) as failure:
            pipeline.build(load_config(root), cache=cache)
        reports.append(failure.value.report.diagnostics)
    assert reports[0] == reports[1]
    unknown = [d for d in reports[0] if d.code == "unknown-reference" and "nobody-at-all" in d.message]
    assert [(d.location.path, d.location.line) for d in unknown] == [("content/quotes/extra.yaml", 4)]
