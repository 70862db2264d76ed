"""Stage 1, configure: config.yaml + command-line overrides -> Project."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError
from pydantic_core import PydanticCustomError

from .diagnose import base_url_hint, report_validation_error
from .errors import ConfigError, Location, Report, YamlError
from .fsguard import UnsafePath, check_inside, is_regular, read_regular
from .importing.regex_guard import UnsafePattern, compile_safe
from .model import BASE_URL_PATTERN, ShortText, SiteConfig, Strict
from .outdir import output_path, refusal
from .positions import LineDict

# The default theme; a project's own templates/ overrides it file by file. Re-exported for callers.
from .resources import PACKAGE_TEMPLATES as PACKAGE_TEMPLATES
from .yamlio import decode_text, load_yaml

CONFIG_FILE = "config.yaml"
MAX_CONFIG_BYTES = 1_000_000


def _pattern(value: str) -> str:
    """A pattern as the importer will compile it (searched per line, ignoring case), compiled
    now so that ``check`` finds a bad one; the safety rule is the importer's own."""
    try:
        compile_safe(value)
    except UnsafePattern as exc:
        raise PydanticCustomError("unsafe_pattern", "unsafe regular expression '{pattern}': {error}",
                                  {"pattern": value, "error": str(exc)}) from None
    except re.error as exc:
        raise PydanticCustomError("bad_pattern", "bad regular expression '{pattern}': {error}",
                                  {"pattern": value, "error": str(exc)}) from None
    return value


def _one_or_more(value: object) -> object:
    return [value] if isinstance(value, str) else value


Pattern = Annotated[str, AfterValidator(_pattern)]
Patterns = Annotated[list[Pattern], BeforeValidator(_one_or_more)]


class ImportProfile(Strict):
    """One outlet's cleaning profile under ``import: profiles:`` (README, "Importing articles")."""

    name: ShortText = Field(description="The outlet's name, written to the article's `source`.")
    match: Pattern | None = Field(None,
                                  description="Searched in a text's first lines, or an HTML page's site name and URL.")
    drop: Patterns = Field(default_factory=list, description="Lines to remove.")
    captions: Patterns = Field(default_factory=list, description="Lines moved to the article's `credits`.")
    end: Patterns = Field(default_factory=list, description="This line and everything after it is removed.")


class ImportSettings(Strict):
    """``import:`` in config.yaml. The importer reads the same mapping (importing/text_profiles)."""

    profiles: dict[str, ImportProfile] = Field(default_factory=dict)


@dataclass(frozen=True)
class Project:
    """Where a site project lives and how it is configured."""

    root: Path
    config: SiteConfig
    out_dir: Path
    # The preview shows drafts and embargoed content, marked; build, check and deploy never do.
    show_held: bool = False

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        """The project's own templates, which override the engine's defaults file by file."""
        return self.root / "templates"

    @property
    def template_dirs(self) -> list[Path]:
        return [self.templates_dir, PACKAGE_TEMPLATES]

    def display(self, path: Path) -> str:
        """A path as the user should see it in messages: relative to the project root."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def load_config(root: Path, out_dir: Path | None = None, base_url: str | None = None) -> Project:
    """Read and validate config.yaml; report every problem at once as a ConfigError."""
    root = root.resolve()
    path = root / CONFIG_FILE
    report = Report()
    if not os.path.lexists(path):
        report.error("config", f"no {CONFIG_FILE} in {root}", Location(str(path)),
                     "run the command from a site project, or pass --root DIR")
        raise ConfigError("configuration failed", report)
    try:
        data = load_yaml(decode_text(read_regular(check_inside(root, path), MAX_CONFIG_BYTES), CONFIG_FILE),
                         CONFIG_FILE)
    except YamlError as exc:
        raise ConfigError("configuration failed", exc.report) from None
    except UnsafePath as exc:  # a link out of the project or to nothing, a FIFO, too big
        report.error("config", exc.message.replace(str(exc.path), CONFIG_FILE), Location(CONFIG_FILE, 1), exc.hint)
        raise ConfigError("configuration failed", report) from None
    if not isinstance(data, dict):
        report.error("config", "config.yaml must be a mapping of settings", Location(CONFIG_FILE, 1),
                     "start from the config.yaml in the README")
        raise ConfigError("configuration failed", report)
    if base_url is not None:
        if re.fullmatch(BASE_URL_PATTERN, base_url) is None:
            report.error("config", f"--base-url {base_url!r} is not '/', '/path/' or 'https://host/path/'",
                         Location("--base-url"), base_url_hint(base_url, "e.g. --base-url /repo/"))
            raise ConfigError("configuration failed", report)
        data = _with_override(data, "base_url", base_url)
    try:
        config = SiteConfig.model_validate(data)
    except ValidationError as exc:
        report_validation_error(exc, data, CONFIG_FILE, SiteConfig, report)
    _check_import_settings(data.get("import"), report)
    if report.errors:
        raise ConfigError("configuration failed", report)
    _check_logo(root, config, data, report)
    if report.errors:
        raise ConfigError("configuration failed", report)
    out = output_path(out_dir or root / "site")
    _check_out_dir(root, out, report)
    if report.errors:
        raise ConfigError("configuration failed", report)
    return Project(root=root, config=config, out_dir=out)


def _check_import_settings(raw: object, report: Report) -> None:
    """Validate ``import:`` with its typed model, so that ``check`` reports a misspelt key or a
    bad pattern at its line (issue #19, item 4), not only the importer when it runs."""
    if raw is None:
        return
    try:
        ImportSettings.model_validate(raw)
    except ValidationError as exc:
        report_validation_error(exc, raw, CONFIG_FILE, ImportSettings, report, loc_prefix=("import",))


def _check_logo(root: Path, config: SiteConfig, data: dict[str, object], report: Report) -> None:
    """``theme.logo`` names a file of the project's templates/static/ (copied into the site):
    a missing one would be a broken image on every page."""
    logo = config.theme.logo
    if logo is None:
        return
    theme = data.get("theme")
    line, col = theme.pos("logo") if isinstance(theme, LineDict) else (1, 1)
    where = Location(CONFIG_FILE, line, col)
    path = root / "templates" / logo
    try:
        found = os.path.lexists(path) and is_regular(check_inside(root, path))
    except UnsafePath as exc:
        report.error("config", f"theme.logo: {exc.message.replace(str(root) + '/', '')}", where, exc.hint)
        return
    if not found:
        report.error("config", f"theme.logo: templates/{logo} is not a file of the project", where,
                     f"put the image at templates/{logo}, or correct the path (it starts with static/)")


def _with_override(data: dict[str, object], key: str, value: str) -> LineDict:
    merged = LineDict(data)
    merged.line, merged.col = getattr(data, "line", 1), getattr(data, "col", 1)
    merged.key_pos = dict(getattr(data, "key_pos", {}))
    merged[key] = value
    return merged


def _check_out_dir(root: Path, out: Path, report: Report) -> None:
    """A build replaces the output folder whole: the rules are outdir.refusal's."""
    refused = refusal(out, root)
    if refused is not None:
        report.error("config", refused[0], Location("--out"), refused[1])
