"""Diagnostics as data: every user mistake becomes a Diagnostic with a Location.

Stages collect diagnostics into a Report and raise once at the end, so an editor sees every
problem of a run at once, sorted by file and line, instead of fixing them one by one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column are 1-based, 0 means unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"


def _printable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    location: Location
    hint: str = ""

    def format(self) -> str:
        """One line per diagnostic; control characters from user text are shown escaped, so a
        value can neither forge another line nor drive the terminal."""
        text = f"{self.location}: {self.severity.value}: {_printable(self.message)}"
        return f"{text} — {_printable(self.hint)}" if self.hint else text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.path, self.location.line, self.location.col, self.message)


@dataclass
class Report:
    """Diagnostics collected by one or more stages."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, location: Location, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(Severity.ERROR, code, message, location, hint))

    def warning(self, code: str, message: str, location: Location, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(Severity.WARNING, code, message, location, hint))

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def extend(self, other: Report) -> None:
        self.diagnostics.extend(other.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=Diagnostic.sort_key)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))


class ExplainerError(Exception):
    """A mistake in the user's input: shown as a message, never as a traceback."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report or Report()

    def __reduce__(self) -> tuple[object, ...]:
        # Keep the diagnostics when the error crosses from a worker process to the parent.
        return (_rebuild_error, (type(self), str(self), self.report))


def _rebuild_error(cls: type[ExplainerError], message: str, report: Report) -> ExplainerError:
    error = ExplainerError.__new__(cls)
    ExplainerError.__init__(error, message, report)
    if isinstance(error, YamlError):
        error.diagnostic = report.diagnostics[0]
    return error


class ConfigError(ExplainerError):
    pass


class ContentError(ExplainerError):
    pass


class YamlError(ExplainerError):
    """A YAML document that cannot be read; carries one located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        report = Report([diagnostic])
        super().__init__(diagnostic.format(), report)
        self.diagnostic = diagnostic
