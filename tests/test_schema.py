"""The published JSON Schemas: up to date, valid, and in agreement with the example content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from explainer.errors import Report
from explainer.load import load_content
from explainer.schema import SCHEMAS, generate, main, write_schemas
from explainer.yamlio import load_yaml

REPO = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO / "schemas"
KIND_SCHEMA = {"article": "article", "actor": "actor", "quotes": "quotes", "vote": "vote"}
REGENERATE = "run `python -m explainer.schema` from the repository root and commit schemas/"


def plain(data: Any) -> Any:
    """LineDict/LineList -> dict/list, recursively, the way a JSON validator expects them."""
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(item) for item in data]
    return data


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def errors_of(name: str, instance: Any) -> list[str]:
    """Every message, including those nested under anyOf (optional fields are `X | null`)."""
    messages = []
    for error in validator(name).iter_errors(instance):
        messages.append(error.message)
        messages.extend(sub.message for sub in error.context or ())
    return messages


# --- the committed files -------------------------------------------------------------------


def test_committed_schemas_are_up_to_date() -> None:
    expected = generate()
    for filename, text in expected.items():
        path = SCHEMA_DIR / filename
        assert path.is_file(), f"schemas/{filename} is missing: {REGENERATE}"
        assert path.read_text(encoding="utf-8") == text, f"schemas/{filename} is stale: {REGENERATE}"
    extra = sorted(p.name for p in SCHEMA_DIR.glob("*.json") if p.name not in expected)
    assert not extra, f"schemas/ holds files no model produces: {extra}; delete them"


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in write_schemas(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in write_schemas(tmp_path / "b")}
    assert first == second
    for data in first.values():
        assert data.endswith(b"}\n") and not data.endswith(b"\n\n")
        assert b"\r" not in data
        assert data.startswith(b'{\n  "')  # two-space indent


def test_cli_entry_writes_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(generate())
    assert "config.schema.json" in capsys.readouterr().out
    assert main(["--help"]) == 2


@pytest.mark.parametrize("spec", SCHEMAS, ids=lambda s: s.name)
def test_schema_header(spec: Any) -> None:
    schema = json.loads((SCHEMA_DIR / spec.filename).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + spec.filename)
    assert schema["title"] == spec.title
    jsonschema.Draft202012Validator.check_schema(schema)


def test_config_schema_uses_the_yaml_key_import() -> None:
    properties = json.loads((SCHEMA_DIR / "config.schema.json").read_text(encoding="utf-8"))["properties"]
    assert "import" in properties and "importer" not in properties


def test_quotes_schema_is_an_array_of_quotes() -> None:
    schema = json.loads((SCHEMA_DIR / "quotes.schema.json").read_text(encoding="utf-8"))
    assert schema["type"] == "array"
    assert schema["items"] == {"$ref": "#/$defs/Quote"}


def test_dates_are_plain_strings_in_the_schema() -> None:
    """Our loader keeps dates as text (so do YAML 1.2 editors): the schema must accept strings."""
    date = json.loads((SCHEMA_DIR / "article.schema.json").read_text(encoding="utf-8"))["properties"]["date"]
    assert date["type"] == "string"


# --- the example project agrees with its schemas -----------------------------------------


def example_documents() -> list[Any]:
    report = Report()
    documents = load_content(REPO, report)
    assert not report.errors, [d.format() for d in report.errors]
    return documents


@pytest.mark.parametrize("document", example_documents(), ids=lambda d: d.path)
def test_example_content_validates(document: Any) -> None:
    name = KIND_SCHEMA[document.kind]
    assert errors_of(name, plain(document.data)) == []


@pytest.mark.parametrize("document", example_documents(), ids=lambda d: d.path)
def test_example_content_names_its_schema(document: Any) -> None:
    text = (REPO / document.path).read_text(encoding="utf-8")
    expected = f"$schema=../../schemas/{KIND_SCHEMA[document.kind]}.schema.json"
    if document.kind == "article":  # the modeline of an article is not YAML front matter; not required
        return
    assert text.splitlines()[0] == f"# yaml-language-server: {expected}"
    assert (REPO / document.path).parent.joinpath(expected.split("=", 1)[1]).resolve().is_file()


def test_example_config_validates_and_names_its_schema() -> None:
    text = (REPO / "config.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=schemas/config.schema.json"
    assert errors_of("config", plain(load_yaml(text, "config.yaml"))) == []


# --- broken documents fail -----------------------------------------------------------------


ACTOR = {"id": "vladimir-putin", "kind": "person", "name": "Vladimir Putin"}
VOTE = {"id": "v", "body": "general-assembly", "resolution": "A/RES/1", "title": "T", "date": "2025-02-24",
        "result": "adopted", "tally": {"yes": 2, "no": 1}}


@pytest.mark.parametrize(("name", "instance", "phrase"), [
    ("actor", {**ACTOR, "nmae": "x"}, "Additional properties"),
    ("actor", {**ACTOR, "kind": "country"}, "is not one of"),
    ("actor", {**ACTOR, "id": "../../etc"}, "does not match"),
    ("actor", {k: v for k, v in ACTOR.items() if k != "name"}, "'name' is a required property"),
    ("actor", {**ACTOR, "aliases": "Putin"}, "is not of type 'array'"),
    ("actor", {**ACTOR, "iso3": "rus"}, "does not match"),
    ("vote", {**VOTE, "members": {"USA": True}}, "is not one of"),
    ("vote", {**VOTE, "members": {"USA": "on"}}, "is not one of"),
    ("vote", {**VOTE, "tally": {"yes": 200}}, "is greater than the maximum"),
    ("vote", {**VOTE, "body": "security council"}, "is not one of"),
    ("quotes", {"id": "q"}, "is not of type 'array'"),
    ("quotes", [{"id": "q", "speaker": "x", "text": "t"}], "'article' is a required property"),
    ("article", {"title": "T"}, "'date' is a required property"),
    ("article", {"title": "T", "date": "2025-02-25", "tags": []}, "Additional properties"),
    ("config", {"title": "T", "base_url": "https://example.org/repo"}, "does not match"),
    ("config", {"title": "T", "importer": {}}, "Additional properties"),
])
def test_broken_document_fails(name: str, instance: Any, phrase: str) -> None:
    messages = errors_of(name, instance)
    assert messages, f"{name} schema accepted {instance!r}"
    assert any(phrase in m for m in messages), messages


def test_valid_minimal_documents_pass() -> None:
    assert errors_of("actor", ACTOR) == []
    assert errors_of("vote", VOTE) == []
    assert errors_of("config", {"title": "T", "import": {"profiles": {}}}) == []
    assert errors_of("quotes", []) == []
