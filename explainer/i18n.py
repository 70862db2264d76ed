"""The site's language: interface strings from message catalogs, and Babel's formatting.

Catalogs are gettext ``.po`` files read at run time with Babel (no compile step, so the wheel
ships the text files as they are and a project's own catalog needs no tool):

- ``explainer/locale/<lang>/LC_MESSAGES/messages.po``: the catalogs shipped with Explainer;
- ``templates/locale/<lang>.po`` in a site project: the project's own strings, which win one by
  one over the shipped ones (it sits in ``templates/`` because it belongs to the theme, and so
  the preview, the incremental build and the "nothing changed" check all watch it already).

A string missing from both is shown in English (the msgid), string by string; ``check`` lists
them. ``explainer/locale/messages.pot`` is every interface string, extracted from the default
templates and the engine (``python -m explainer.i18n extract``; a test keeps it current).
"""

from __future__ import annotations

import gettext
import hashlib
import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import babel
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal

from .errors import ContentError, Location, Report
from .fsguard import UnsafePath, check_inside, read_regular

DOMAIN = "messages"
PROJECT_CATALOGS = Path("templates") / "locale"
CATALOG_LIMIT = 4 << 20
# Plain "en" keeps the house style the English strings are written in ("In favour",
# "Organisations", "24 February 2025"): British conventions, as the UN's own English.
FORMAT_LOCALE = {"en": "en_GB"}


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; it is translated where it is shown."""
    return message


def _candidates(language: str) -> list[str]:
    """'pt-BR' -> ['pt_BR', 'pt']: the most specific catalog first."""
    parts = language.replace("-", "_").split("_")
    return ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]


def _package_locale() -> Any:
    return resources.files("explainer") / "locale"


def _compile(catalog: Catalog) -> gettext.GNUTranslations:
    """A read .po catalog as gettext translations; empty and fuzzy entries are left out, so
    they fall through to the next catalog and finally to English."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _read_catalog(data: bytes, shown: str, language: str) -> Catalog:
    try:
        return read_po(io.BytesIO(data), abort_invalid=True)  # plural forms from its own header
    except PoFileError as exc:
        report = Report()
        report.error("catalog", f"this message catalog cannot be read: {exc}", Location(shown, exc.lineno),
                     "fix the .po syntax (msgid \"...\" then msgstr \"...\", quotes escaped as \\\")")
        raise ContentError("message catalog failed", report) from None


def package_catalog(language: str) -> Catalog | None:
    """The catalog shipped for ``language`` (or its base language), None when there is none."""
    for candidate in _candidates(language):
        path = _package_locale() / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return _read_catalog(path.read_bytes(), f"explainer/locale/{candidate}", candidate)
    return None


def project_catalog_path(root: Path, language: str) -> Path | None:
    for candidate in _candidates(language):
        for name in (candidate, candidate.replace("_", "-")):
            path = root / PROJECT_CATALOGS / f"{name}.po"
            if path.is_file():
                return path
    return None


def project_catalog(root: Path, language: str) -> Catalog | None:
    """The project's own catalog for ``language`` (``templates/locale/<lang>.po``), if any."""
    path = project_catalog_path(root, language)
    if path is None:
        return None
    shown = path.relative_to(root).as_posix()
    try:
        data = read_regular(check_inside(root, path, "catalog"), CATALOG_LIMIT)
    except UnsafePath as exc:
        report = Report()
        report.error("catalog", exc.message, Location(shown), exc.hint)
        raise ContentError("message catalog failed", report) from None
    return _read_catalog(data, shown, language)


def _babel_locale(language: str) -> babel.Locale:
    """The Babel locale that formats dates, numbers and lists; English for a code Babel does not know."""
    for candidate in _candidates(language):
        try:
            return babel.Locale.parse(FORMAT_LOCALE.get(candidate, candidate))
        except (ValueError, babel.UnknownLocaleError):
            continue
    return babel.Locale.parse(FORMAT_LOCALE["en"])


@dataclass(frozen=True)
class Language:
    """Everything a page needs to speak the site's language."""

    code: str
    locale: babel.Locale
    translations: gettext.NullTranslations
    english: bool
    # Formatted dates and numbers: Babel takes ~20 µs a date, and the pages of a 5,000-article
    # site format the same few thousand dates hundreds of thousands of times.
    _formatted: dict[tuple[str, Any], str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def direction(self) -> str:
        """'rtl' for Arabic, Hebrew, Persian, Urdu...: from the locale's CLDR data."""
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def date(self, value: Any) -> str:
        return self._format("long", value) if value else ""

    def month(self, value: Any) -> str:
        """A month and its year, as a heading or a link names it ("February 2025", "février 2025")."""
        return self._format("LLLL y", value) if value else ""

    def number(self, value: float | None) -> str:
        return "" if value is None else self._format("number", value)

    def _format(self, form: str, value: Any) -> str:
        key = (form, value)
        found = self._formatted.get(key)
        if found is None:
            found = self._formatted[key] = (format_decimal(value, locale=self.locale) if form == "number"
                                            else format_date(value, form, locale=self.locale))
        return found

    def list(self, items: Iterable[str]) -> str:
        return format_list([str(item) for item in items], locale=self.locale)

    def country(self, iso2: str, english: str) -> str:
        """A country's name in the site's language; the UN's own English name on English sites."""
        if self.english or not iso2:
            return english
        return str(self.locale.territories.get(iso2.upper(), english))


def load(root: Path, language: str) -> Language:
    """The language of a site project: its own catalog, then the shipped one, then English."""
    translations: gettext.NullTranslations = gettext.NullTranslations()
    for catalog in (package_catalog(language), project_catalog(root, language)):
        if catalog is not None:
            compiled = _compile(catalog)
            compiled.add_fallback(translations)
            translations = compiled
    return Language(language, _babel_locale(language), translations, _candidates(language)[-1] == "en")


ENGLISH = Language("en", _babel_locale("en"), gettext.NullTranslations(), True)
# A vote's or an amendment's result, as shown on vote pages, lists and the timeline.
RESULT_LABELS = {"adopted": N_("Adopted"), "rejected": N_("Rejected"), "vetoed": N_("Vetoed")}


# The sentences unrules.py writes about a vote's outcome (Decision.rule and .reason), as
# patterns over its English, each with the msgid that says it in the site's language. They
# are read back from the text, not rebuilt, so that the page says exactly what the rules
# decided; a sentence no pattern knows is shown as it is (tests/test_i18n.py runs every form
# unrules.py can write through these, so a new wording fails there, not on a French page).
OUTCOME_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message) for pattern, message in (
    (r"^(?P<needed>\d+) in favour \(procedural\)$", N_("%(needed)s in favour (procedural)")),
    (r"^(?P<needed>\d+) in favour and no permanent member against$",
     N_("%(needed)s in favour and no permanent member against")),
    (r"^two thirds of the members present and voting$", N_("two thirds of the members present and voting")),
    (r"^a simple majority of the members present and voting$",
     N_("a simple majority of the members present and voting")),
    (r"^only (?P<yes>\d+) in favour, (?P<needed>\d+) needed$", N_("only %(yes)s in favour, %(needed)s needed")),
    (r"^(?P<yes>\d+) in favour, but permanent member (?P<members>.+) voted no$",
     N_("%(yes)s in favour, but permanent member %(members)s voted no")),
    (r"^(?P<yes>\d+) in favour, no permanent member against$", N_("%(yes)s in favour, no permanent member against")),
    (r"^(?P<yes>\d+) in favour$", N_("%(yes)s in favour")),
    (r"^(?P<yes>\d+) in favour, (?P<no>\d+) against$", N_("%(yes)s in favour, %(no)s against")),
    (r"^as recorded \(the count is not known here\)$", N_("as recorded (the count is not known here)")),
))


def outcome_phrase(lang: Language, english: str) -> str:
    """A rule or reason of unrules.py in the site's language (as it is when no pattern matches)."""
    for pattern, message in OUTCOME_PHRASES:
        match = pattern.match(english)
        if match:
            return lang.gettext(message) % match.groupdict()
    return english


def catalog_stamp(root: Path, language: str) -> str:
    """A digest of the catalogs a site uses: pages are rendered again when a translation changes."""
    digest = hashlib.blake2b(language.encode("utf-8"), digest_size=16)
    for candidate in _candidates(language):
        shipped = _package_locale() / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if shipped.is_file():
            digest.update(shipped.read_bytes())
    own = project_catalog_path(root, language)
    if own is not None:
        digest.update(own.read_bytes())
    return digest.hexdigest()


# --- what is translated -----------------------------------------------------------------


def template_catalog() -> Catalog:
    """messages.pot: every interface string of the default templates and the engine."""
    with (_package_locale() / f"{DOMAIN}.pot").open("rb") as file:
        return read_po(file)


def untranslated(root: Path, language: str) -> list[str]:
    """The interface strings that a site in ``language`` shows in English, in catalog order."""
    if _candidates(language)[-1] == "en":
        return []
    translated: set[str] = set()
    for catalog in (package_catalog(language), project_catalog(root, language)):
        if catalog is not None:
            translated |= {_key(m.id) for m in catalog if m.id and m.string and not m.fuzzy
                           and all(m.string if isinstance(m.string, tuple) else (m.string,))}
    return [_text(m.id) for m in template_catalog() if m.id and _key(m.id) not in translated]


def _key(message_id: str | Sequence[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _text(message_id: str | Sequence[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def untranslated_lines(root: Path, language: str) -> list[str]:
    """What ``check`` says about the interface language: one line, then the missing strings."""
    missing = untranslated(root, language)
    if not missing:
        return []
    total = sum(1 for m in template_catalog() if m.id)
    catalog = (PROJECT_CATALOGS / f"{language}.po").as_posix()
    lines = [(f"language {language!r}: {len(missing)} of {total} interface strings have no translation and are "
              f"shown in English; translate them in {catalog} (README, \"Languages\"):")]
    return lines + [f"  {text!r}" for text in missing]


# --- extraction (maintainers) -----------------------------------------------------------

def extract() -> bytes:
    """messages.pot for the engine and its default templates, with no date, version or line
    numbers in it, so that the same strings give the same bytes."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po

    from .config import PACKAGE_TEMPLATES

    engine = Path(__file__).resolve().parent
    catalog = Catalog(project="Explainer", charset="utf-8", fuzzy=False)
    options = {"**.html": {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}}
    for folder, pattern, method in ((engine, "**.py", "python"), (PACKAGE_TEMPLATES, "**.html", "jinja2")):
        shown = folder.relative_to(engine.parent).as_posix()
        for filename, lineno, message, comments, context in extract_from_dir(
                folder, [(pattern, method)], options_map=options, comment_tags=("Translators:",)):
            catalog.add(message, None, [(f"{shown}/{filename}", lineno)], auto_comments=comments, context=context)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=True, sort_output=False, include_lineno=False)
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m explainer.i18n extract``: write explainer/locale/messages.pot of this checkout."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["extract"]:
        sys.stderr.write("usage: python -m explainer.i18n extract\n")
        return 2
    target = Path(__file__).resolve().parent / "locale" / f"{DOMAIN}.pot"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(extract())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
