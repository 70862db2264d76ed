"""The README's command summaries match the real ``--help`` of every command, so they cannot drift.

Every line of the README's code blocks that starts with ``python build.py COMMAND`` must name
exactly the options that ``COMMAND --help`` lists, and its positional arguments; the
"Commands" section must have one such line per command.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from explainer import cli

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
OPTION = re.compile(r"--[a-z][a-z-]*")
SUMMARY = re.compile(r"^\s*python build\.py (?P<command>[a-z][a-z-]*)(?P<rest>.*)$")


def _help(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main([*argv, "--help"]) == 0
    return out.getvalue()


def _usage(text: str) -> str:
    """The usage paragraph of a --help text (up to the first blank line)."""
    return text.split("\n\n", 1)[0]


def _commands() -> list[str]:
    """The sub-commands, as the top-level --help lists them under COMMAND."""
    listing = _help().split("COMMAND\n", 2)[-1].split("\n\n", 1)[0]
    return re.findall(r"^    ([a-z][a-z-]*)\b", listing, flags=re.M)


def _positionals(text: str) -> list[str]:
    section = text.split("positional arguments:\n", 1)
    if len(section) == 1:
        return []
    return re.findall(r"^  ([A-Z][A-Z_]*)\b", section[1].split("\n\n", 1)[0], flags=re.M)


def _options(text: str) -> set[str]:
    return set(OPTION.findall(text)) - {"--help"}


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, flags=re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def _code_lines(text: str) -> list[str]:
    """Lines inside ``` fences or indented by four spaces (Markdown code blocks)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced or line.startswith("    "):
            lines.append(line)
    return lines


def _summaries(text: str) -> list[tuple[str, str]]:
    found = []
    for line in _code_lines(text):
        match = SUMMARY.match(line)
        if match:
            found.append((match["command"], match["rest"].split("#", 1)[0]))
    return found


def test_the_commands_section_summarises_every_command_once() -> None:
    summarised = [command for command, _ in _summaries(_section("Commands"))]
    assert sorted(summarised) == sorted(_commands()), "one 'python build.py COMMAND ...' line per command"


def test_the_commands_section_names_the_global_options() -> None:
    assert _options(_usage(_help())) <= _options(_section("Commands"))


@pytest.mark.parametrize("command, summary", _summaries(README), ids=lambda value: value.strip()[:20])
def test_a_summary_line_lists_exactly_the_options_of_its_command(command: str, summary: str) -> None:
    assert command in _commands(), f"README summarises 'python build.py {command}', which does not exist"
    text = _help(command)
    assert _options(summary) == _options(_usage(text)), (
        f"README's summary of '{command}' differs from its --help: missing "
        f"{sorted(_options(_usage(text)) - _options(summary))}, extra {sorted(_options(summary) - _options(text))}")
    for name in _positionals(text):
        assert name in summary, f"README's summary of '{command}' does not name its argument {name}"
