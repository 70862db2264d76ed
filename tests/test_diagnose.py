"""explainer.diagnose: pydantic errors become diagnostics at the line and column of the YAML."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from pydantic import ValidationError

from explainer.diagnose import _field_names, position, report_validation_error, suggest
from explainer.errors import Report
from explainer.model import Actor
from explainer.yamlio import load_yaml

ACTOR = textwrap.dedent("""\
    id: Bad Id
    kind: persn
    name: Ada
    alias: [Verne]
    links:
      - {actor: france, relation: Minister of}
      - actor: france
        relaton: Citizen of
    """)


def _diagnose(text: str, path: str = "content/actors/ada.yaml") -> tuple[Report, Any]:
    data = load_yaml(text, path)
    report = Report()
    with pytest.raises(ValidationError) as caught:
        Actor.model_validate(data)
    report_validation_error(caught.value, data, path, Actor, report)
    return report, data


def test_suggest_names_the_closest_choice_or_nothing() -> None:
    assert suggest("aliass", ["aliases", "name"]) == " (did you mean 'aliases'?)"
    assert suggest("zzz", ["aliases", "name"]) == ""


def test_position_walks_mappings_and_lists_to_the_deepest_known_part() -> None:
    data = load_yaml(ACTOR, "a.yaml")
    assert position(data, ("kind",)) == (2, 1)  # the key: a value may span lines
    assert position(data, ("links", 1, "relaton")) == (8, 5)
    assert position(data, ("links", 1)) == (7, 5)
    # A part that is not there (a missing key, an index past the end): the deepest one that is.
    assert position(data, ("links", 5, "actor")) == position(data, ("links",))
    assert position(data, ("nothing",)) == (1, 1)


def test_field_names_follow_nested_models_through_lists() -> None:
    assert "aliases" in _field_names(Actor, ())
    assert sorted(_field_names(Actor, ("links", 0))) == ["actor", "relation"]
    assert _field_names(Actor, ("source",))[:2] == ["name", "url"]


def test_every_error_of_a_file_is_reported_at_its_line_with_a_hint() -> None:
    report, _ = _diagnose(ACTOR)
    found = {(d.location.line, d.location.col): d for d in report.errors}
    assert all(d.location.path == "content/actors/ada.yaml" for d in report.errors)
    assert "'Bad Id' is not a valid id" in found[1, 1].message and "lowercase" in found[1, 1].hint
    assert "found 'persn'" in found[2, 1].message and found[2, 1].hint == "use one of the values listed"
    assert found[4, 1].message == "unknown field 'alias' (did you mean 'aliases'?) (alias)"
    assert found[8, 5].message == "unknown field 'relaton' (did you mean 'relation'?) (links[1].relaton)"
    assert found[7, 5].message == "required field 'relation' is missing (links[1])"
    assert found[7, 5].hint == "add it"
    assert len(report.errors) == 5


def test_a_missing_top_level_field_points_at_the_file_start() -> None:
    report, _ = _diagnose("id: ada\nkind: person\n")
    (only,) = report.errors
    assert only.message == "required field 'name' is missing (top level)"
    assert (only.location.line, only.location.col) == (1, 1)


def test_a_bad_date_and_a_bad_base_url_get_their_own_words() -> None:
    from explainer.model import SiteConfig

    data = load_yaml("title: T\nbase_url: repo\n", "config.yaml")
    report = Report()
    with pytest.raises(ValidationError) as caught:
        SiteConfig.model_validate(data)
    report_validation_error(caught.value, data, "config.yaml", SiteConfig, report)
    (only,) = report.errors
    assert only.message.startswith("base_url 'repo' is not '/', '/path/'") and only.location.line == 2
    assert "end it with '/'" in only.hint


def _paths(node: Any, keys: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [keys]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*keys, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += _paths(item, (*keys, index))
    return found


def test_an_origin_keeps_the_positions_of_every_key_and_not_the_values() -> None:
    """Diagnostics after validation (link.py) find their line from the kept positions, the same
    as from the parsed YAML, without reading the file again."""
    import pickle

    from explainer.validate import Origin

    text = ACTOR + "aliases: {Paris: france, 2025: year, 'yes': word}\ndescription: " + "long text " * 200 + "\n"
    data = load_yaml(text, "a.yaml", line_offset=3)
    origin = Origin.of("a.yaml", data)
    paths = _paths(data) + [("links", 9), ("links", 1, "nothing", "deeper"), ("absent",), ("aliases", "yes", 0)]
    for keys in paths:
        assert (origin.at(*keys).line, origin.at(*keys).col) == position(data, keys), keys
    assert origin.at("aliases", 2025).line == 12 and origin.at("aliases", "yes").line == 12  # 9 + line_offset
    assert len(pickle.dumps(origin)) < len(pickle.dumps(data)) / 4
