"""When the preview rebuilds: debounce, skip a build whose inputs did not change, one at a time.

``Rebuilder`` decides when to rebuild: after a quiet period (debounce), only if an input changed
since the last build *started* (mtime, then content), one build at a time, so the last save
always wins. livereload's own watcher does none of this (see server.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace

from .watch import RACY_NS, Snapshot, file_digest

QUIET_SECONDS = 0.1  # debounce: build once no watched file changed for this long
MAX_WAIT_SECONDS = 2.0  # ...but never postpone a build longer than this while files keep changing


class Rebuilder:
    """The rebuild decision, as plain state over a clock and file snapshots (no I/O but digests).

    ``observe(snapshot, now)`` on every poll; ``due(now)`` says whether to build; ``begin()`` as a
    build is handed out; ``finish(fingerprint)`` with the fingerprint the build took *before*
    reading its inputs. A change during a build is therefore seen as a difference from that
    fingerprint and causes one more build: the last save always wins.
    """

    def __init__(self, *, quiet: float = QUIET_SECONDS, max_wait: float = MAX_WAIT_SECONDS,
                 digest: Callable[[str], str | None] = file_digest, wall_ns: Callable[[], int] = time.time_ns):
        self.quiet, self.max_wait = quiet, max_wait
        self._digest, self._wall_ns = digest, wall_ns
        self.built: Snapshot | None = None  # fingerprint of the last build's inputs
        self.seen: Snapshot | None = None  # the latest poll
        self.first_change: float | None = None  # first change seen since the last build began
        self.last_change: float | None = None
        self.building = False
        self.builds = 0

    def observe(self, snapshot: Snapshot, now: float) -> None:
        if self.seen is not None and _stats(snapshot) != _stats(self.seen):
            self.last_change = now
            self.first_change = self.first_change if self.first_change is not None else now
        self.seen = snapshot

    def settling(self, now: float) -> bool:
        """True while files are still changing (the debounce window), within ``max_wait``."""
        if self.last_change is None or self.first_change is None:
            return False
        return now - self.last_change < self.quiet and now - self.first_change < self.max_wait

    def due(self, now: float) -> bool:
        if self.building or self.seen is None:
            return False
        if self.built is None:
            return True
        if self.settling(now):
            return False
        if self.changes():
            return True
        self.first_change = self.last_change = None  # a touch or an unchanged save: nothing to build
        return False

    def changes(self) -> list[str]:
        """Inputs added, removed or with new content since the last build started."""
        if self.built is None or self.seen is None:
            return sorted(self.seen or {})
        changed = sorted(self.built.keys() - self.seen.keys())
        for path, new in sorted(self.seen.items()):
            old = self.built.get(path)
            if old is None:
                changed.append(path)
            elif old.stat != new.stat or old.racy:
                if self._digest(path) != old.digest:
                    changed.append(path)
                else:  # same bytes (a touch, or a save without edits): adopt the new stat
                    settled = self._wall_ns() - new.mtime_ns > RACY_NS
                    self.built[path] = replace(new, digest=old.digest, racy=old.racy and not settled)
        return changed

    def begin(self) -> list[str]:
        """A build starts; returns the inputs that changed since the previous one."""
        changed = self.changes()
        self.building = True
        self.first_change = self.last_change = None
        return changed

    def forget(self, paths: Iterable[str]) -> None:
        """Count ``paths`` as changed since the last build, whatever their fingerprint says."""
        if self.built is not None:
            for path in paths:
                self.built.pop(path, None)

    def finish(self, built: Snapshot | None) -> None:
        """The build is over; ``built`` is what it read (None: keep the previous fingerprint)."""
        self.building = False
        self.builds += 1
        if built is not None:
            self.built = built

def _stats(snapshot: Snapshot) -> dict[str, tuple[int, int, int]]:
    return {path: stamp.stat for path, stamp in snapshot.items()}

