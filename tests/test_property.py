"""Property: whatever an editor writes into a content file, `check` answers 0 or 1, never crashes.

Hypothesis writes random YAML (random nested structures dumped as YAML, near-valid documents with
random values, and raw text full of tabs, control characters, `---`, colons and quotes) as an
actor file, a quotes file, a vote file or an article, into a fresh minimal project per example
(hypothesis does not reset function-scoped fixtures between examples, so no tmp_path here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer.model import Actor, ArticleMeta, Quote, Tally, Vote
from explainer.yamlio import dump_yaml, load_yaml

from conftest_helpers import TINY_ACTOR, TINY_QUOTES, TINY_VOTE, run_cli, tiny_project

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TARGETS = {
    "actor": "content/actors/vladimir-putin.yaml",
    "quotes": "content/quotes/tiny.yaml",
    "vote": "content/votes/tiny-vote.yaml",
    "article": "content/articles/tiny.md",
}
FIELD_NAMES = sorted({*Actor.model_fields, *Quote.model_fields, *Vote.model_fields, *ArticleMeta.model_fields,
                      *Tally.model_fields})
TRICKY = ["yes", "no", "on", "off", "Yes", "NO", "true", "~", "null", "---", "...", "- -", ": :", "a: b", "'", '"',
          "\t", "\x00", "\x07", "\x1b[0m", "\ufeff", "\u2028", "\u00a0", "2025-02-30", "2025-02-24", "Monday",
          "1740441600", "<script>alert(1)</script>", "../../etc", "vladimir-putin", "tiny", "USA", "RUS", "CHN",
          "security-council", "general-assembly", "adopted", "rejected", "person", "state", "abstain", "absent",
          "*a", "&a", "!!python/object", "{", "[", "%YAML 1.1", "#", "[Trump]", "…", "“quoted”"]


def text_with_tricks() -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12),
                       st.characters(codec="utf-8", categories=["Cc", "Zs", "Zl", "Zp", "Po", "Sm"]))
    return st.lists(pieces, max_size=8).map("".join)


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), text_with_tricks(), st.sampled_from(TRICKY),
)
KEYS = st.one_of(st.sampled_from(FIELD_NAMES), st.sampled_from(TRICKY), st.text(max_size=10),
                 st.integers(-5, 5), st.booleans())
STRUCTURES = st.recursive(
    SCALARS, lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(KEYS, children, max_size=6)),
    max_leaves=25,
)


def dumped(data: Any) -> str:
    return dump_yaml(data)


@st.composite
def near_valid(draw: st.DrawFn, valid_yaml: str) -> str:
    """A valid document with a few fields replaced, removed or added: reaches validate and link."""
    data = _plain(load_yaml(valid_yaml, "x.yaml"))
    items = data if isinstance(data, list) else [data]
    for item in items:
        for key in draw(st.lists(st.sampled_from(sorted(item)), max_size=3, unique=True)):
            if draw(st.booleans()):
                item[key] = draw(STRUCTURES)
            else:
                del item[key]
        for key, value in draw(st.dictionaries(st.sampled_from(FIELD_NAMES), STRUCTURES, max_size=2)).items():
            item[key] = value
        if "members" in item and isinstance(item["members"], dict) and draw(st.booleans()):
            item["members"] = draw(st.dictionaries(st.one_of(st.sampled_from(TRICKY), st.text(max_size=4)),
                                                   st.sampled_from(["yes", "no", "abstain", "absent", "on", "maybe"]),
                                                   max_size=20))
    return dumped(data)


@st.composite
def new_texts(draw: st.DrawFn, valid_yaml: str) -> str:
    """A valid document whose text values are replaced by tricky text: often still valid, so the
    text reaches linking (quote matching, mention finding) and rendering."""
    data = _plain(load_yaml(valid_yaml, "x.yaml"))
    for item in data if isinstance(data, list) else [data]:
        for key, value in item.items():
            if isinstance(value, str) and draw(st.booleans()):
                item[key] = draw(st.one_of(text_with_tricks(), st.sampled_from(TRICKY)))
    return dumped(data)


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def documents(valid_yaml: str) -> st.SearchStrategy[str]:
    return st.one_of(
        new_texts(valid_yaml),
        STRUCTURES.map(dumped),
        near_valid(valid_yaml),
        text_with_tricks(),
        st.tuples(near_valid(valid_yaml), text_with_tricks(), st.integers(0, 400)).map(
            lambda t: t[0][: t[2]] + t[1] + t[0][t[2]:]),
    )


VALID_FRONT_MATTER = "title: A tiny article\ndate: 2025-02-25\n"
BODIES = st.one_of(
    st.just("Vladimir Putin spoke. “We are ready to talk about anything at all,” he said.\n"),
    text_with_tricks(),
    st.lists(st.sampled_from(["# h", "## h2", "Vladimir Putin", "“We are ready to talk about anything at all,”",
                              "[x](actor:vladimir-putin)", "<b>", "`code`", "> q", "- item", "\n\n", "---", "* * *",
                              '"a quoted passage of several words"', "[Trump]", "|a|b|\n|-|-|"]),
             max_size=12).map(" ".join),
)


@st.composite
def articles(draw: st.DrawFn) -> str:
    front = draw(st.one_of(new_texts(VALID_FRONT_MATTER), documents(VALID_FRONT_MATTER)))
    body = draw(BODIES)
    shape = draw(st.sampled_from(["normal"] * 5 + ["unclosed", "no-front-matter", "bom", "crlf"]))
    if shape == "unclosed":
        return f"---\n{front}\n{body}"
    if shape == "no-front-matter":
        return f"{front}\n{body}"
    text = f"---\n{front}---\n\n{body}"
    return "\ufeff" + text if shape == "bom" else text.replace("\n", "\r\n") if shape == "crlf" else text


def assert_no_crash(target: str, text: str | bytes) -> None:
    with tiny_project() as root:
        path = Path(root) / TARGETS[target]
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass"))
        run = run_cli("check", "--root", str(root))
    assert run.code in (0, 1), f"exit {run.code} for {target}:\n{text!r}\n{run.err}"
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    if run.code == 1:
        assert " error: " in run.err, run.err


def test_the_tiny_project_is_valid() -> None:
    with tiny_project() as root:
        run = run_cli("check", "--root", str(root))
    assert run.code == 0, run.err
    assert run.err == ""


@SETTINGS
@given(text=st.one_of(documents(TINY_ACTOR), st.binary(max_size=200)))
def test_any_actor_file(text: str | bytes) -> None:
    assert_no_crash("actor", text)


@SETTINGS
@given(text=documents(TINY_QUOTES))
def test_any_quotes_file(text: str) -> None:
    assert_no_crash("quotes", text)


@SETTINGS
@given(text=documents(TINY_VOTE))
def test_any_vote_file(text: str) -> None:
    assert_no_crash("vote", text)


@SETTINGS
@given(text=articles())
def test_any_article(text: str) -> None:
    assert_no_crash("article", text)
