"""One guarded build: ``run_build`` never raises; any error, ours or a bug, becomes a failed
``Outcome``, and the last good site stays on disk."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import pipeline
from ..config import Project
from ..errors import ExplainerError, Report


@dataclass
class Outcome:
    """What one build did. ``ok`` False keeps the previous site on disk."""

    ok: bool
    project: Project
    pages: int = 0
    seconds: float = 0.0
    report: Report = field(default_factory=Report)
    message: str = ""
    internal: str = ""  # a traceback: a bug in Explainer, not in the content
    changed: list[str] = field(default_factory=list)
    written: list[str] | None = None  # site files changed in place; None: the whole site was written
    rendered: int = 0  # pages rendered again (the others were unchanged)


def run_build(project: Project, *, strict: bool, reload_config: Callable[[], Project] | None,
              config_changed: bool, changed: list[str] | None = None, inputs: list[str] | None = None,
              cache: pipeline.BuildCache | None = None, search: bool = True) -> Outcome:
    """Reload the config if asked, build, write. Never raises: every failure becomes an Outcome.

    ``changed``: the saves that caused the build, for the log. ``inputs``: every input that may
    have changed since the cache's last build (None: any), see ``pipeline.build``."""
    started = time.perf_counter()
    changed = changed or []
    try:
        if config_changed and reload_config is not None:
            project = reload_config()
        result = pipeline.build(project, strict=strict, cache=cache, changed=inputs)
        written = pipeline.write(project, result, cache, search=search)
    except ExplainerError as exc:
        return Outcome(False, project, seconds=time.perf_counter() - started, report=exc.report,
                       message=str(exc), changed=changed)
    except Exception as exc:  # a bug in Explainer: say so, keep serving
        return Outcome(False, project, seconds=time.perf_counter() - started, message=f"internal error: {exc!r}",
                       internal=traceback.format_exc(), changed=changed)
    return Outcome(True, project, pages=len(result.outputs), seconds=time.perf_counter() - started,
                   report=result.report, changed=changed, written=written, rendered=result.rendered)

