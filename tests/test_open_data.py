"""Open data under /data/: files validate against our schemas and Popolo's, CSVs read cleanly,
every page links to its own slice, votes survive a round trip through import-vote, and
actors carry their Wikidata items (issue #21)."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest
from jsonschema import Draft3Validator, Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from explainer.yamlio import load_yaml

from conftest_helpers import REPO, copy_example, edit, line_of, run_cli

POPOLO = Path(__file__).parent / "data" / "popolo"


def load(site: Path, name: str) -> dict:
    return json.loads((site / "data" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["actors", "articles", "quotes", "votes"])
def test_each_list_validates_against_its_published_schema(built_site: Path, name: str) -> None:
    schema = load(built_site, f"schemas/{name}.schema.json")
    Draft202012Validator.check_schema(schema)
    data = load(built_site, f"{name}.json")
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=str)
    assert not errors, errors[0]
    assert data[name], f"{name}.json is empty"


def test_a_record_with_an_unknown_field_fails_the_schema(built_site: Path) -> None:
    """The schemas are strict, so the test above can fail."""
    data = load(built_site, "actors.json")
    data["actors"][0]["nickname"] = "x"
    assert list(Draft202012Validator(load(built_site, "schemas/actors.schema.json")).iter_errors(data))


def popolo_validator(kind: str) -> Draft3Validator:
    registry: Registry = Registry()
    for path in POPOLO.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(schema["id"], Resource(schema, specification=DRAFT3))
    schema = json.loads((POPOLO / f"{kind}.json").read_text(encoding="utf-8"))
    return Draft3Validator(schema, registry=registry)


@pytest.mark.parametrize(("collection", "kind"), [("persons", "person"), ("organizations", "organization"),
                                                  ("memberships", "membership"), ("motions", "motion"),
                                                  ("vote_events", "vote_event")])
def test_popolo_validates_against_the_popolo_schemas(built_site: Path, collection: str, kind: str) -> None:
    items = load(built_site, "popolo.json")[collection]
    assert items
    validator = popolo_validator(kind)
    for item in items:
        errors = list(validator.iter_errors(item))
        assert not errors, (item.get("id"), errors[0].message)


def test_popolo_schemas_reject_a_wrong_shape() -> None:
    assert list(popolo_validator("vote_event").iter_errors({"counts": [{"option": "yes"}]}))


def test_popolo_vote_events_add_up_and_name_known_voters(built_site: Path) -> None:
    popolo = load(built_site, "popolo.json")
    organizations = {organization["id"] for organization in popolo["organizations"]}
    persons = {person["id"] for person in popolo["persons"]}
    ga = next(event for event in popolo["vote_events"] if event["identifier"] == "A/RES/ES-11/7")
    counts = {count["option"]: count["value"] for count in ga["counts"]}
    assert counts == {"yes": 93, "no": 18, "abstain": 65, "absent": 17}
    assert len(ga["votes"]) == 193
    assert {vote["voter_id"] for vote in ga["votes"]} <= organizations
    assert {"option": "no", "voter_id": "united-states"} in ga["votes"]
    assert ga["organization_id"] in organizations and ga["result"] == "pass"
    peskov = [m for m in popolo["memberships"] if m.get("person_id") == "dmitry-peskov"]
    assert peskov and peskov[0]["organization_id"] == "kremlin" and "dmitry-peskov" in persons
    seats = {(m["member"]["id"], m.get("start_date"), m.get("end_date")) for m in popolo["memberships"]
             if m["organization_id"] == "un-security-council"}
    assert ("russia", "1945-10-24", None) in seats
    denmark = [seat for seat in seats if seat[0] == "denmark"]
    assert ("denmark", "2025-01-01", "2026-12-31") in denmark


def test_quotes_csv_reads_back_with_every_quote(built_site: Path) -> None:
    raw = (built_site / "data" / "quotes.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    quotes = load(built_site, "quotes.json")["quotes"]
    assert [row["id"] for row in rows] == [quote["id"] for quote in quotes]
    assert all(row["text"] == quote["text"] for row, quote in zip(rows, quotes))
    assert any("’" in row["text"] for row in rows), "curly apostrophes survive"


def test_vote_csv_keeps_cote_divoire_and_the_long_shape(built_site: Path) -> None:
    raw = (built_site / "data" / "votes" / "a-res-es-11-7.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert len(rows) == 193
    ivory = next(row for row in rows if row["ms_code"] == "CIV")
    assert ivory["ms_name"] == "Côte d’Ivoire"
    assert {row["ms_vote"] for row in rows} == {"Y", "N", "A", "X"}


def test_every_page_links_to_its_own_slice_and_the_slice_exists(built_site: Path) -> None:
    pages = {"articles/putin-us-relations-trump/": "data/articles/putin-us-relations-trump.json",
             "actors/vladimir-putin/": "data/actors/vladimir-putin.json",
             "votes/a-res-es-11-7/": "data/votes/a-res-es-11-7.json"}
    for page, data in pages.items():
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        assert f'href="/{data}"' in html, page
        assert (built_site / data).is_file()
    vote = (built_site / "votes/a-res-es-11-7/index.html").read_text(encoding="utf-8")
    assert 'href="/data/votes/a-res-es-11-7.csv"' in vote
    assert "https://digitallibrary.un.org/search?ln=en&amp;p=%22A%2FRES%2FES-11%2F7%22" in vote
    putin = load(built_site, "actors/vladimir-putin.json")
    assert putin["quotes"] and putin["articles"][0]["slug"] == "putin-us-relations-trump"


def test_the_data_page_lists_every_file_and_it_resolves(built_site: Path) -> None:
    html = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="/(data/[^"]+)"', html)
    for name in ("actors.json", "articles.json", "quotes.json", "quotes.csv", "votes.json", "popolo.json"):
        assert f"data/{name}" in links
    for link in links:
        assert (built_site / link).is_file(), link
    assert "Data as of" in html and "No licence is stated" in html
    assert 'href="/data/"' in (built_site / "index.html").read_text(encoding="utf-8")


def test_licence_line_comes_from_config(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    edit(root, "config.yaml", "link_mentions: first", "link_mentions: first\ndata_license: CC BY 4.0")
    assert run_cli("build", "--root", str(root)).code == 0
    assert "Licence: CC BY 4.0." in (root / "site" / "data" / "index.html").read_text(encoding="utf-8")


def test_articles_json_has_metadata_but_no_bodies(built_site: Path) -> None:
    article = load(built_site, "articles.json")["articles"][0]
    assert article["slug"] == "putin-us-relations-trump" and "vladimir-putin" in article["actors"]
    assert "body" not in article and "markdown" not in article
    assert len(json.dumps(article)) < 5000


def read_vote(path: Path) -> dict:
    """A vote file as the build reads it (bare yes and no stay words)."""
    return json.loads(json.dumps(load_yaml(path.read_text(encoding="utf-8"), path.name), default=str))


def generated_corpus(folder: Path) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import generate

    generate(40, folder, seed=3)
    return folder


@pytest.mark.parametrize("source", ["example", "generated"])
def test_exported_votes_round_trip_through_import_vote(built_site: Path, tmp_path: Path, source: str) -> None:
    if source == "example":
        root, site = copy_example(tmp_path / "project"), built_site
    else:
        root = generated_corpus(tmp_path / "corpus")
        assert run_cli("build", "--root", str(root)).code == 0
        site = root / "site"
    originals = sorted((root / "content" / "votes").glob("*.yaml"))
    assert originals
    for original in originals:
        raw, before = original.read_bytes(), read_vote(original)
        if not before.get("members_complete"):
            continue
        csv_path = site / "data" / "votes" / f"{before['id']}.csv"
        run = run_cli("import-vote", str(csv_path), "--symbol", before["resolution"], "--root", str(root))
        assert run.code == 0, run.err
        after = read_vote(original)
        assert original.read_bytes() == raw, f"{original.name} changed"
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        assert after == before, f"{original.name}: {changed}"


def test_wikidata_is_linked_on_the_page_and_in_json_ld(built_site: Path) -> None:
    html = (built_site / "actors" / "vladimir-putin" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://www.wikidata.org/wiki/Q7747">Q7747</a>' in html
    assert '"sameAs":"https://www.wikidata.org/wiki/Q7747"' in html.replace(" ", "")
    actors = {actor["id"]: actor for actor in load(built_site, "actors.json")["actors"]}
    assert actors["russia"]["wikidata"] == "Q159"


@pytest.mark.parametrize("value", ["q7747", "Q0", "7747", "Q12x", "https://www.wikidata.org/wiki/Q7747"])
def test_a_malformed_wikidata_id_is_an_error_at_its_line(tmp_path: Path, value: str) -> None:
    root = copy_example(tmp_path / "project")
    edit(root, "content/actors/vladimir-putin.yaml", "wikidata: Q7747", f"wikidata: '{value}'")
    run = run_cli("check", "--root", str(root))
    assert run.code == 1
    line = line_of(root, "content/actors/vladimir-putin.yaml", "wikidata:")
    assert f"content/actors/vladimir-putin.yaml:{line}:" in run.err and "wikidata" in run.err


def test_data_files_are_deterministic(built_site: Path, tmp_path: Path) -> None:
    root = copy_example(tmp_path / "project")
    assert run_cli("build", "--root", str(root)).code == 0
    ours = sorted(p.relative_to(root / "site") for p in (root / "site" / "data").rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(built_site) for p in (built_site / "data").rglob("*") if p.is_file())
    assert ours == theirs
    for name in ours:
        assert (root / "site" / name).read_bytes() == (built_site / name).read_bytes(), name
