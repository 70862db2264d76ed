"""Per-source cleaning profiles, read from ``import: {profiles: ...}`` in config.yaml.

A profile lets an editor teach the importer about one outlet without code::

    import:
      profiles:
        cryptopolitan:                 # the profile's name, also accepted by --source
          name: Cryptopolitan          # display name written to the article's `source`
          match: '^Source:? Cryptopolitan$|cryptopolitan\\.com'
          drop:                        # lines to remove (rule "profile:<name>:drop")
            - '^Cryptopolitan Academy:'
          captions:                    # lines that go to front matter `credits`
            - 'Source: (The Washington Post|Foreign Policy)$'
          end:                         # this line and everything after it is junk
            - '^Disclaimer:'

Every pattern is a Python regular expression, searched (not anchored unless you write ``^``/``$``)
in one line of text whose runs of spaces were collapsed to one, ignoring case. ``match`` is searched
in the first lines of a text file, and in an HTML page's site name and URL; the first profile (in
config order) that matches is used, unless ``--source`` names a profile. A pattern with a repeat
inside a repeat (``^(a+)+$``) is refused when the profiles are read: it can hang the import. Only ``name`` is required;
``drop``, ``captions`` and ``end`` take one pattern or a list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Location, Report
from .regex_guard import UnsafePattern, compile_safe

PROFILE_KEYS = ("name", "match", "drop", "captions", "end")
PATTERN_LIST_KEYS = ("drop", "captions", "end")
MATCH_HEAD_LINES = 40


@dataclass(frozen=True)
class Profile:
    key: str
    name: str
    match: re.Pattern[str] | None = None
    drop: tuple[re.Pattern[str], ...] = ()
    captions: tuple[re.Pattern[str], ...] = ()
    end: tuple[re.Pattern[str], ...] = ()


def parse_profiles(raw: object, config_path: str, report: Report) -> list[Profile]:
    """Validate the raw profiles mapping (as config.yaml has it); every problem goes into ``report``."""
    if not raw:
        return []
    if not isinstance(raw, Mapping):
        report.error("import-profile", "import.profiles must be a mapping of profile names to profiles",
                     _where(config_path, None, None))
        return []
    profiles = []
    for key, value in raw.items():
        profile = _parse_profile(str(key), value, config_path, _where(config_path, raw, key), report)
        if profile is not None:
            profiles.append(profile)
    return profiles


def choose_profile(profiles: Sequence[Profile], source: str | None, signature: Iterable[str]) -> Profile | None:
    """The profile named by --source if any, else the first whose ``match`` hits the signature."""
    if source:
        for profile in profiles:
            if source.casefold() in (profile.key.casefold(), profile.name.casefold()):
                return profile
    lines = [line for line in signature if line]
    for profile in profiles:
        if profile.match is not None and any(profile.match.search(line) for line in lines):
            return profile
    return None


def _parse_profile(key: str, value: Any, path: str, where: Location, report: Report) -> Profile | None:
    if not isinstance(value, Mapping):
        report.error("import-profile", f"import profile '{key}' must be a mapping with at least `name`", where)
        return None
    unknown = sorted(str(k) for k in value if k not in PROFILE_KEYS)
    if unknown:
        report.error("import-profile", f"import profile '{key}' has unknown key(s) {', '.join(unknown)}", where,
                     f"known keys: {', '.join(PROFILE_KEYS)}")
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        report.error("import-profile", f"import profile '{key}' needs a `name` (the outlet's display name)",
                     where)
        return None
    errors_before = len(report.errors)
    match = _compile_all(key, "match", value, path, report)
    lists = {field: tuple(_compile_all(key, field, value, path, report)) for field in PATTERN_LIST_KEYS}
    if len(report.errors) > errors_before:
        return None
    return Profile(key, name.strip(), match[0] if match else None, lists["drop"], lists["captions"], lists["end"])


def _compile_all(key: str, field: str, profile: Mapping[str, Any], path: str,
                 report: Report) -> list[re.Pattern[str]]:
    """Compile one pattern or a list of them; bad ones are reported with their line."""
    if field not in profile or profile[field] is None:
        return []
    value = profile[field]
    items = [value] if isinstance(value, str) else value
    where = _where(path, profile, field)
    if field == "match" and not isinstance(value, str):
        report.error("import-profile", f"import profile '{key}': `match` must be one pattern (a string)", where)
        return []
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        report.error("import-profile", f"import profile '{key}': `{field}` must be a pattern or a list of patterns",
                     where)
        return []
    return [pattern for index, item in enumerate(items)
            if (pattern := _compile(key, field, item, _where(path, items, index, where), report)) is not None]


def _compile(key: str, field: str, pattern: str, where: Location, report: Report) -> re.Pattern[str] | None:
    try:
        return compile_safe(pattern, re.IGNORECASE)
    except UnsafePattern as exc:
        report.error("import-profile", f"import profile '{key}': unsafe regular expression in `{field}`: "
                     f"{pattern!r} ({exc})", where,
                     "write it without a repeat inside a repeat, e.g. '^a+$' instead of '^(a+)+$'")
        return None
    except re.error as exc:
        report.error("import-profile",
                     f"import profile '{key}': bad regular expression in `{field}`: {pattern!r} ({exc})", where,
                     "fix the pattern; a literal bracket, dot or parenthesis needs a backslash")
        return None


def _where(path: str, container: Any, key: Any, default: Location | None = None) -> Location:
    """Location of a key/item when the config loader recorded positions (yamlio's LineDict/LineList)."""
    pos = getattr(container, "pos", None)
    if pos is None or key is None:
        return default or Location(path)
    line, col = pos(key)
    return Location(path, line, col)
