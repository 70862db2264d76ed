"""What a build returns (``BuildResult``), and the clock that times its stages."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from .errors import Report
from .publish import Held
from .resolved import Site


@dataclass
class BuildResult:
    outputs: dict[str, bytes] = field(default_factory=dict)  # empty when pages went straight to staging
    files: list[str] = field(default_factory=list)  # every rendered output, in order
    report: Report = field(default_factory=Report)
    # With a cache, the next build may update this site in place; without one (a one-off build)
    # its articles come without their Markdown (Article.without_markdown).
    site: Site | None = None
    rendered: int = 0  # pages actually rendered (the rest came from the cache)
    rendered_files: list[str] = field(default_factory=list)  # their names
    # The outputs the fast path rendered again (None: a full build, any output may differ).
    touched: list[str] | None = None
    # Outputs whose bytes differ from the cache's last build, or are new or gone (None: unknown).
    changed: list[str] | None = None
    # Into staging with a cache: the outputs unchanged, taken from the output folder as they are.
    kept: list[str] = field(default_factory=list)
    # Seconds per stage, for benchmarks: "load" reads and validates each changed file on its own,
    # "validate" merges them and checks ids across files.
    timings: dict[str, float] = field(default_factory=dict)
    held: list[Held] = field(default_factory=list)  # drafts and embargoed content (publish.py)
    next_release: dt.datetime | None = None  # the earliest embargo end: a later build publishes more


class Clock:
    """Seconds per stage, lap by lap."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now
