"""The files under templates/static that are copied into the site, the project's own checked
with fsguard first."""

from __future__ import annotations

import os
from pathlib import Path

from .config import Project
from .errors import ContentError, Diagnostic, Location, Report, Severity
from .fsguard import UnsafePath, check_inside, is_regular


def static_files(project: Project) -> dict[str, Path]:
    """Files under templates/static, the project's own winning over the defaults.

    The project's are checked with fsguard first: a link out of the project or to nothing, a
    link to a folder (not followed), a FIFO or a device raises ContentError naming each one
    (issue #17: a link to /etc/hostname was copied into the site and deployed).
    """
    found: dict[str, Path] = {}
    report = Report()
    for folder in reversed(project.template_dirs):
        static = folder / "static"
        own = folder == project.templates_dir
        if own and os.path.lexists(static) and not _static_allowed(project, static, report, top=True):
            continue
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            if own and not _static_allowed(project, path, report):
                continue
            if path.is_file() and not path.name.startswith("."):
                found["static/" + path.relative_to(static).as_posix()] = path
    if report.errors:
        raise ContentError("static files refused", report)
    return found


def _static_allowed(project: Project, path: Path, report: Report, top: bool = False) -> bool:
    """Whether a path under the project's templates/static may be read; reports why not.
    ``top``: templates/static itself, which may be a link to a folder inside the project."""
    try:
        check_inside(project.root, path)
    except UnsafePath as exc:
        report.add(refused(project, exc))
        return False
    shown = path.relative_to(project.root).as_posix()
    if path.is_symlink() and path.is_dir() and not top:
        report.error("static", f"{shown} is a link to a folder, which is not followed", Location(shown),
                     "copy the folder into templates/static/ instead of linking to it")
        return False
    if not path.is_dir() and not is_regular(path):
        report.error("static", f"{shown} is not a regular file", Location(shown),
                     "remove it or replace it with an ordinary file")
        return False
    return True


def refused(project: Project, problem: UnsafePath) -> Diagnostic:
    """An fsguard refusal as a diagnostic on the project file it names."""
    try:
        shown = problem.path.relative_to(project.root).as_posix()
    except ValueError:
        shown = project.display(problem.path)
    message = problem.message.replace(str(problem.path), shown)
    return Diagnostic(Severity.ERROR, "template", message, Location(shown), problem.hint)
