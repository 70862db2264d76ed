"""The interface in the site's language: catalogs, Babel formatting, fallback, overrides, RTL."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from explainer import i18n, pipeline
from explainer.config import load_config

from conftest import copy_example
from conftest_helpers import edit, run_cli

ENGINE = Path(i18n.__file__).resolve().parent
SHIPPED = ["en", "fr", "es"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def example_in(tmp_path: Path, language: str) -> Path:
    root = copy_example(tmp_path / f"site-{language}")
    edit(root, "config.yaml", "language: en", f"language: {language}")
    return root


def built(root: Path) -> Path:
    run = run_cli("build", "--root", str(root))
    assert run.code == 0, run.err
    return root / "site"


def page(site: Path, relative: str) -> str:
    return (site / relative / "index.html").read_text(encoding="utf-8")


# --- the catalogs ---------------------------------------------------------------------------


def test_the_template_catalog_lists_every_interface_string() -> None:
    """messages.pot is what extraction finds now: a string added to a template or the engine
    without regenerating it (python -m explainer.i18n extract) fails here."""
    assert i18n.extract() == (ENGINE / "locale" / "messages.pot").read_bytes()


@pytest.mark.parametrize("language", SHIPPED)
def test_shipped_catalogs_are_complete_and_keep_placeholders_and_links(tmp_path: Path, language: str) -> None:
    assert i18n.untranslated(tmp_path, language) == []
    path = ENGINE / "locale" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalog = read_po(file)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == set(PLACEHOLDER.findall(ids[-1])), (language, ids[0])
            assert string.count("<a ") == ids[0].count("<a "), (language, ids[0])


# --- a French and a Spanish site ------------------------------------------------------------


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(example_in(tmp_path_factory.mktemp("fr"), "fr"))


def test_french_interface_dates_and_lists(french: Path) -> None:
    home = page(french, "")
    assert '<html lang="fr" dir="ltr">' in home
    assert ">Acteurs</a>" in home and ">Chronologie</a>" in home and "Aller au contenu" in home
    assert "25 février 2025" in home and "(93 pour, 18 contre, 65 abstentions)" in home
    actor = page(french, "actors/dmitry-peskov")
    assert "<h2 id=\"mentions\">Cité dans</h2>" in actor and ">Personne</p>" in actor
    assert "Aussi appelé : Peskov" in actor
    russia = page(french, "actors/russia")
    assert "Aussi appelé : Russian Federation et Moscow" in russia  # Babel's list, French conjunction
    assert "<h2 id=\"voting-record\">Votes exprimés</h2>" in russia
    assert "<title>Acteurs · Explainer</title>" in page(french, "actors")
    assert "Publié par Cryptopolitan" in page(french, "timeline")
    assert "Page introuvable" in (french / "404.html").read_text(encoding="utf-8")
    words = re.search(r"^const words = (.*);$", page(french, "search"), re.MULTILINE)
    assert words and json.loads(words.group(1))["many"] == "{count} résultats pour « {query} »."


def test_french_vote_pages_charts_and_country_names(french: Path) -> None:
    council = page(french, "votes/s-res-2774-2025")
    assert "Comment les membres ont voté" in council and ">Adoptée</span>" in council
    assert "Règle appliquée : 9 voix pour et aucun membre permanent contre." in council
    assert "Membres permanents" in council and "Pour (10)" in council
    assert "(membre permanent) : abstention" in council
    # Member states without an actor file: Babel's French name; annotated actors keep theirs.
    assert ">Algérie</a>" in council and ">Corée du Sud</a>" in council and ">United Kingdom</a>" in council
    assembly = page(french, "votes/a-res-es-11-7")
    assert "Venezuela : n’a pas voté" in assembly and "Non membre de l’ONU" in assembly
    assert "Bolivarian" not in assembly


def test_english_keeps_the_uns_own_names(built_site: Path) -> None:
    assembly = page(built_site, "votes/a-res-es-11-7")
    assert "Venezuela (Bolivarian Republic of): did not vote" in assembly
    assert '<html lang="en" dir="ltr">' in assembly and "24 February 2025" in assembly


def test_spanish_site(tmp_path: Path) -> None:
    site = built(example_in(tmp_path, "es"))
    home = page(site, "")
    assert ">Votaciones</a>" in home and "25 de febrero de 2025" in home and "Asamblea General" in home
    assert "También llamado: US, U.S. y Washington" in page(site, "actors/united-states")
    assert "Cómo votaron los miembros" in page(site, "votes/s-res-2774-2025")


# --- other languages: English per string, and check says which ---------------------------


def test_unknown_language_falls_back_to_english_with_local_dates_and_check_lists_it(tmp_path: Path) -> None:
    root = example_in(tmp_path, "de")
    check = run_cli("check", "--root", str(root), "--strict")
    assert check.code == 0, check.err  # information, not a warning: --strict still passes
    total = sum(1 for m in i18n.template_catalog() if m.id)
    assert f"language 'de': {total} of {total} interface strings have no translation" in check.out
    assert "  'Voting record'" in check.out and "templates/locale/de.po" in check.out
    site = built(root)
    home = page(site, "")
    assert ">Actors</a>" in home and "25. Februar 2025" in home
    assert run_cli("check", "--root", str(example_in(tmp_path, "fr"))).out.startswith("checked ")


# --- a project's own strings ------------------------------------------------------------------

OVERRIDE_FR = '''\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Actors"
msgstr "Protagonistes"

msgid "named in %(num)s paragraph"
msgid_plural "named in %(num)s paragraphs"
msgstr[0] "cité dans %(num)s paragraphe"
msgstr[1] "cité dans %(num)s paragraphes"
'''


def test_a_project_overrides_single_strings_without_copying_templates(tmp_path: Path) -> None:
    root = example_in(tmp_path, "fr")
    (root / "templates" / "locale").mkdir(parents=True)
    (root / "templates" / "locale" / "fr.po").write_text(OVERRIDE_FR, encoding="utf-8")
    site = built(root)
    home = page(site, "")
    assert ">Protagonistes</a>" in home and ">Chronologie</a>" in home  # the rest stays the shipped French
    assert not list((root / "templates").glob("*.html"))
    # Editing the catalog alone rebuilds the pages (the build is not "up to date").
    edit(root, "templates/locale/fr.po", '"Protagonistes"', '"Personnages"')
    run = run_cli("build", "--root", str(root))
    assert run.code == 0 and "up to date" not in run.out
    assert ">Personnages</a>" in page(site, "")


def test_a_project_catalog_translates_a_language_explainer_does_not_ship(tmp_path: Path) -> None:
    root = example_in(tmp_path, "de")
    (root / "templates" / "locale").mkdir(parents=True)
    (root / "templates" / "locale" / "de.po").write_text('msgid "Actors"\nmsgstr "Akteure"\n', encoding="utf-8")
    check = run_cli("check", "--root", str(root))
    assert "  'Actors'" not in check.out and "  'Votes'" in check.out
    assert ">Akteure</a>" in page(built(root), "")


def test_a_broken_project_catalog_is_reported_with_its_line(tmp_path: Path) -> None:
    root = example_in(tmp_path, "fr")
    (root / "templates" / "locale").mkdir(parents=True)
    (root / "templates" / "locale" / "fr.po").write_text('msgid "Actors"\nmsgstr "Acteurs\n\nmsgid "x"\n',
                                                          encoding="utf-8")
    before = run_cli("check", "--root", str(root))
    assert before.code == 1 and "Traceback" not in before.err
    assert re.search(r"templates/locale/fr\.po:\d+(:\d+)?: error: this message catalog cannot be read", before.err)


# --- right to left ------------------------------------------------------------------------------


def test_arabic_pages_are_right_to_left_and_the_council_runs_from_the_right(tmp_path: Path) -> None:
    site = built(example_in(tmp_path, "ar"))
    council = page(site, "votes/s-res-2774-2025")
    assert '<html lang="ar" dir="rtl">' in council
    seats = [(int(y), -int(x)) for x, y in re.findall(r'<circle cx="(\d+)" cy="(\d+)" r="24"', council)]
    assert len(seats) == 15 and seats == sorted(seats)  # permanent members first, from the right, row by row
    assert 'direction="rtl" text-anchor="start">Permanent members</text>' in council


def test_new_project_in_french_builds_in_french(tmp_path: Path) -> None:
    root = tmp_path / "nouveau"
    assert run_cli("new", str(root), "--language", "fr").code == 0
    site = built(root)
    assert "<h2 id=\"in-this-story\">Dans cet article</h2>" in page(site, "articles/welcome")
    shutil.rmtree(site)


def test_every_outcome_sentence_of_the_un_rules_is_translated() -> None:
    """Each rule and reason unrules.py can write reads in French: a new wording there fails here."""
    from explainer import unrules

    decisions = [unrules.decide("security-council", {"yes": 8}), unrules.decide("security-council", {"yes": 12}),
                 unrules.decide("security-council", {"yes": 12}, ["RUS"]),
                 unrules.decide("security-council", {"yes": 9}, question="procedural"),
                 unrules.decide("general-assembly", {"yes": 90, "no": 10}),
                 unrules.decide("general-assembly", {"yes": 60, "no": 40}, majority="two-thirds")]
    french = i18n.load(Path("."), "fr")
    for decision in decisions:
        for sentence in (decision.rule, decision.reason):
            assert i18n.outcome_phrase(french, sentence) != sentence, sentence
    assert i18n.outcome_phrase(french, "12 in favour, 3 against") == "12 voix pour, 3 contre"
    assert i18n.outcome_phrase(french, "a sentence no rule writes") == "a sentence no rule writes"


def test_a_changed_language_renders_the_preview_again_in_it(tmp_path: Path) -> None:
    """The preview's cache keeps pages by what they read of the site; the interface language
    is read through the template environment, so changing it must render every page again."""
    root = example_in(tmp_path, "en")
    cache = pipeline.BuildCache()
    pipeline.build(load_config(root), cache=cache)
    edit(root, "config.yaml", "language: en", "language: fr")
    incremental = pipeline.build(load_config(root), cache=cache)
    clean = pipeline.build(load_config(root))
    assert sorted(incremental.outputs) == sorted(clean.outputs)
    assert [name for name in clean.outputs if incremental.outputs[name] != clean.outputs[name]] == []
    assert 'lang="fr"' in incremental.outputs["index.html"].decode("utf-8")
