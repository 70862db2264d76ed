"""Turn pydantic validation errors into located, actionable diagnostics."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Location, Report
from .positions import LineDict, LineList


def suggest(word: str, choices: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def position(data: Any, loc: Sequence[Any]) -> tuple[int, int]:
    """The (line, col) of the deepest part of ``loc`` present in the loaded YAML."""
    line, col = getattr(data, "line", 0), getattr(data, "col", 0)
    node = data
    for step in loc:
        in_mapping = isinstance(node, LineDict) and step in node
        in_list = isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node)
        if in_mapping or in_list:
            line, col = node.pos(step)
            node = node[step]
        else:
            break
    return line, col


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _field_names(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The keys allowed in the mapping at ``loc`` (walking nested models)."""
    current: type[BaseModel] | None = model
    for step in loc:
        if current is None:
            return []
        if isinstance(step, int) or step not in current.model_fields:
            continue
        current = _model_in(current.model_fields[step].annotation)
    if current is None:
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


_HINTS = {
    "missing": "add it",
    "extra_forbidden": "remove it or fix its spelling",
    "literal_error": "use one of the values listed",
    "date_from_datetime_parsing": "write dates as YYYY-MM-DD",
    "date_from_datetime_inexact": "write dates as YYYY-MM-DD, without a time",
    "value_error": "write dates as YYYY-MM-DD",
    "withdrawn_article": "withdraw the quote in its quotes file; to take an article down, make it a draft and give "
                         "its successor redirect_from:",
    "int_type": "write a whole number without quotes",
    "bool_type": "write true or false",
    "date_parsing": "write dates as YYYY-MM-DD",
    "date_type": "write dates as YYYY-MM-DD",
    "string_pattern_mismatch": "see the pattern the field requires",
    "string_type": "quote the value so it is read as text",
    "list_type": "write a YAML list (lines starting with '- ')",
    "dict_type": "write a YAML mapping (key: value lines)",
    "model_type": "write a YAML mapping (key: value lines)",
    "bad_pattern": "fix the pattern; a literal bracket, dot or parenthesis needs a backslash",
    "unsafe_pattern": "write it without a repeat inside a repeat, e.g. '^a+$' instead of '^(a+)+$'",
}


def _field_path(loc: Sequence[Any]) -> str:
    parts: list[str] = []
    for step in loc:
        parts.append(f"[{step}]" if isinstance(step, int) else (("." if parts else "") + str(step)))
    return "".join(parts)


def base_url_hint(value: str, example: str) -> str:
    """What to change in a base URL that BASE_URL_PATTERN refused."""
    if "@" in value.split("//", 1)[-1].split("/", 1)[0]:
        # the address is written into every page, feed and sitemap: a password would be published
        return "leave out 'user:password@': the address is written into every page"
    if value.endswith("/"):
        return "leave out spaces, quotes, angle brackets, backslashes and control characters"
    return f"end it with '/', {example}"


def report_validation_error(
    exc: ValidationError, data: Any, path: str, model: type[BaseModel], report: Report, loc_prefix: Sequence[Any] = ()
) -> None:
    """Add one diagnostic per pydantic error, each at the line of the offending key or value."""
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        line, col = position(data, loc)
        field = _field_path(tuple(loc_prefix) + loc)
        message = err["msg"]
        hint = _HINTS.get(kind, "fix the value")
        if kind == "missing":
            message = f"required field '{loc[-1]}' is missing"
            field = _field_path(tuple(loc_prefix) + loc[:-1]) or "top level"
        elif kind == "extra_forbidden":
            key = str(loc[-1])
            message = f"unknown field '{key}'{suggest(key, _field_names(model, loc[:-1]))}"
        elif kind == "literal_error":
            message = f"{message}, found {err['input']!r}"
        elif kind == "value_error":
            message = str(err.get("ctx", {}).get("error", message))
        elif kind in ("int_type", "bool_type"):
            message = f"{message}, found {err['input']!r}"
        elif kind == "string_pattern_mismatch" and loc and loc[-1] == "base_url":
            message = f"base_url {err['input']!r} is not '/', '/path/' or 'https://host/path/'"
            hint = base_url_hint(str(err["input"]), "e.g. '/repo/' or 'https://user.github.io/repo/'")
        elif kind == "string_pattern_mismatch" and loc and loc[-1] == "language":
            message = f"language {err['input']!r} is not a language tag"
            hint = "write a BCP 47 language tag such as 'en', 'fr' or 'pt-BR'"
        elif kind == "string_pattern_mismatch" and "a-z0-9" in str(err.get("ctx", {}).get("pattern", "")):
            message = f"'{err['input']}' is not a valid id"
            hint = "use lowercase letters, digits and single hyphens only, e.g. 'vladimir-putin'"
        report.error("schema", f"{message} ({field})", Location(path, line, col), hint)
