"""Live preview: build, serve the output folder as the host would, rebuild and reload on change.

We do not use livereload's ``Watcher`` or ``Server.serve``: livereload 2.7.1 ignores a change
that arrives within 3 s of the previous reload (``LiveReloadHandler.poll_tasks``), reports one
file per poll for a watched directory, calls build callbacks unprotected, and its ``delay`` does
not debounce (STYLE.md, habit 9). The preview is therefore a small package, one job a module:

* ``watch``: the watched globs and the ignore filter; ``scan`` and ``fingerprint`` snapshots;
* ``policy``: ``Rebuilder``, when to build (debounce, skip if unchanged, the last save wins);
* ``outcome``: ``run_build``, one build that never raises;
* ``errorpage``: the terminal lines and the browser page for an outcome;
* ``http``: request paths, handlers, the reload socket, tornado and livereload (only there);
* ``server`` (this module): ``Preview`` ties them together on an IOLoop, with one build thread
  and one search-indexing thread; ``start`` runs it in a background thread (tests use it on
  port 0); ``serve`` is the command: ``start``, then wait for Ctrl-C.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from .. import persist, pipeline
from ..config import CONFIG_FILE, Project
from ..errors import ExplainerError
from ..urls import Urls
from . import http
from .errorpage import describe
from .hosts import HostCheck, host_warning
from .http import Log, Loop, ReloadSocket, reload_clients
from .outcome import Outcome, run_build
from .policy import QUIET_SECONDS, Rebuilder
from .watch import Snapshot, differences, fingerprint, scan, watch_globs
from .worker import Worker

POLL_SECONDS = 0.05  # stat the watched files this often (more rarely when a scan is slow)
STOP_SECONDS = 5.0  # on stopping, wait this long for a running build or indexing to end


def _print(message: str) -> None:
    sys.stderr.write(f"[{dt.datetime.now():%H:%M:%S}] {message}\n")
    sys.stderr.flush()


class Preview:
    """State of one preview session: the project, the last outcome, the rebuild decision.

    Every method runs on the server's IOLoop thread except the build itself, which runs on one
    worker thread and hands its Outcome back through ``IOLoop.add_callback``.
    """

    def __init__(self, project: Project, *, strict: bool = False,
                 reload_config: Callable[[], Project] | None = None, log: Log = _print,
                 quiet: float = QUIET_SECONDS, poll: float = POLL_SECONDS):
        self.project, self.strict, self.reload_config, self.log = project, strict, reload_config, log
        self.rebuilder = Rebuilder(quiet=quiet)
        self.poll_seconds = poll
        self.outcome: Outcome | None = None
        self.clients: set[ReloadSocket] = set()
        self.config_stale = False  # config.yaml changed and has not been read successfully since
        self.globs = watch_globs(project)
        self._executor = Worker("explainer-build")
        self._loop: Loop | None = None
        self._timer: object | None = None
        self.on_build: Callable[[Outcome], None] | None = None  # tests and benchmarks listen here
        # Kept between rebuilds so an edit redoes only what it affects (pipeline.BuildCache),
        # starting from the record of the last build or preview of this project (persist.py).
        self.cache = persist.load(project) or pipeline.BuildCache()
        # Search indexing runs on its own thread after each reload, cancelled by the next edit.
        self._indexer = Worker("explainer-search")
        self._index_cancel = threading.Event()
        # Site files written since the last complete search index (only the IOLoop thread
        # changes the list); the indexer re-indexes just the bundles that hold them.
        self._unindexed: list[str] = []
        self._indexed_before = 0  # how many written files were ever dropped from the front of _unindexed
        self._last_fingerprint: Snapshot | None = None
        # Inputs a failed build was told about: it may have stopped before reading them (a
        # broken config.yaml stops it before the build starts), so the next build is told again.
        self._unread: set[str] = set()
        self._started_ns: int | None = None  # when the first build started (persist.save)

    @property
    def base_path(self) -> str:
        return Urls(self.project.config.base_url).base_path

    @property
    def out_dir(self) -> Path:
        return self.project.out_dir

    def build_now(self) -> Outcome:
        """The first build, synchronously, before serving; recorded for the next start."""
        started = self._started_ns = time.time_ns()
        snapshot = scan(self.globs, self.project.root, self.out_dir)
        self.rebuilder.observe(snapshot, time.monotonic())
        self.rebuilder.begin()
        built, outcome = self._job(self.project, False, [])
        # Later builds run on the build thread while the server thread runs: forking worker
        # processes from a threaded process can deadlock a child on a lock held by another thread.
        self.cache.workers = 1
        self._apply(built, outcome)
        if outcome.ok and not (self.cache.record_current and outcome.rendered == 0):
            persist.save(outcome.project, self.cache, started)
        return outcome

    def _job(self, project: Project, config_changed: bool, changed: list[str]) -> tuple[Snapshot, Outcome]:
        # Taken before the build reads its inputs; digests of files unchanged since the last one are reused.
        previous = self._last_fingerprint
        built = fingerprint(scan(self.globs, project.root, project.out_dir), time.time_ns(), previous=previous)
        self._last_fingerprint = built
        # The build reads only the inputs it is told may have changed. ``changed`` is what the
        # poll that started this build saw; a save since then is in ``built`` (and so never
        # reported again), and a file the last build read may since have changed and changed
        # back: all of these go to the build.
        inputs = None if previous is None else sorted(
            {*changed, *self._unread, *differences(previous, built), *self._unlike_what_was_read(project, built)})
        # After the first build the search index is updated once the browser has reloaded
        # (index_later): indexing takes seconds on a large site, and an edit should not wait for it.
        outcome = run_build(project, strict=self.strict, reload_config=self.reload_config,
                            config_changed=config_changed, changed=changed, inputs=inputs, cache=self.cache,
                            search=self.cache.written is None)
        self._unread = set() if outcome.ok else self._unread | set(inputs or ())
        return built, outcome

    def _unlike_what_was_read(self, project: Project, snapshot: Snapshot) -> list[str]:
        """Inputs whose stat in ``snapshot`` is not the one the last build read them at."""
        stamps = {path: (stamp.mtime_ns, stamp.size) for path, stamp in snapshot.items()}
        return pipeline.changed_since_read(self.cache, project, stamps)

    def _apply(self, built: Snapshot | None, outcome: Outcome) -> None:
        was_failing = self.outcome is not None and not self.outcome.ok
        self.rebuilder.finish(built)
        self.project = outcome.project
        if outcome.ok:
            self.config_stale = False
        self.outcome = outcome
        if outcome.ok and built is not None:
            # A file saved after the fingerprint and read by the build differs from what the
            # watcher compares with; were it changed back, no poll would see a change, and
            # the site would keep what the build read. It counts as changed.
            self.rebuilder.forget(self._unlike_what_was_read(self.project, built))
        for line in describe(outcome, self.project.root, self.strict):
            self.log(line)
        if outcome.ok and was_failing:
            self.log("fixed: the site is in sync with your files again")
        if self.on_build:
            self.on_build(outcome)

    def attach(self, loop: Loop) -> None:
        self._loop = loop
        self._timer = loop.call_later(self.poll_seconds, self.poll)

    def detach(self) -> None:
        if self._loop is not None and self._timer is not None:
            self._loop.remove_timeout(self._timer)
        self._timer = None
        self._index_cancel.set()
        # Bounded: a build stuck for good must not keep the process alive (worker.py).
        deadline = time.monotonic() + STOP_SECONDS
        finished = True
        for worker, what in ((self._executor, "a build"), (self._indexer, "search indexing")):
            if not worker.shutdown(max(deadline - time.monotonic(), 0.1)):
                finished = False
                self.log(f"{what} was still running {STOP_SECONDS:.0f}s after the server stopped: "
                         "left unfinished (the next build writes the site again)")
        # The record of the session's last build, for the next start, when the site and its
        # search index are complete (otherwise the one of the first build stays: it is older
        # than the site, which persist.load notices file by file).
        if finished and self.outcome is not None and self.outcome.ok and not self._unindexed and \
                self._started_ns is not None:
            persist.save(self.project, self.cache, self._started_ns)
        self.cache.heap.release()  # what its builds left frozen for quick rebuilds (pipeline.HeapFreezer)

    def poll(self) -> None:
        """One poll on the IOLoop: stat the inputs, maybe hand a build to the worker, re-arm."""
        started = time.perf_counter()
        try:
            self.rebuilder.observe(scan(self.globs, self.project.root, self.out_dir), time.monotonic())
            if self.rebuilder.due(time.monotonic()):
                self._submit(self.rebuilder.begin())
        except Exception:  # never let the watcher die
            self.log("internal error while watching files:\n" + traceback.format_exc())
        if self._loop is not None:
            delay = max(self.poll_seconds, 3 * (time.perf_counter() - started))  # at most ~25 % of a core
            self._timer = self._loop.call_later(delay, self.poll)

    def _submit(self, changed: list[str]) -> None:
        self._index_cancel.set()  # the pages are about to change: an index of the old ones is wasted
        config_path = str(self.project.config_path)
        self.config_stale = self.config_stale or config_path in changed
        future = self._executor.submit(self._job, self.project, self.config_stale, changed)
        loop = self._loop
        assert loop is not None

        def done(f: Future[tuple[Snapshot, Outcome]]) -> None:
            try:
                loop.add_callback(self._finished, f)
            except RuntimeError:  # the loop is closed: we are shutting down
                pass

        future.add_done_callback(done)

    def _finished(self, future: Future[tuple[Snapshot, Outcome]]) -> None:
        if future.cancelled():
            self.rebuilder.finish(None)
            return
        try:
            built, outcome = future.result()
        except BaseException as exc:  # run_build never raises; the fingerprint might (a bug)
            built, outcome = None, Outcome(False, self.project, message=repr(exc), internal=traceback.format_exc())
        self._apply(built, outcome)
        reload_clients(self.clients, _reload_path(outcome))
        # A build that wrote nothing needs no indexing, unless a cancelled run left some behind.
        if outcome.ok and (outcome.written != [] or self._unindexed):
            self._unindexed.extend(outcome.written or [])
            self._index_cancel = threading.Event()
            self._indexer.submit(self._index_later, outcome.project, self._index_cancel, list(self._unindexed),
                                 self._indexed_before + len(self._unindexed))

    def _index_later(self, project: Project, cancel: threading.Event, written: list[str], upto: int) -> None:
        """Update the search index after the reload; a new edit cancels it (see _submit)."""
        try:
            if pipeline.update_index(project, self.cache, written, cancel) and self._loop is not None:
                self._loop.add_callback(self._indexed, upto)
        except ExplainerError as exc:
            self.log(f"search index not updated: {exc}")
        except Exception:  # a bug: say so, keep serving
            self.log("internal error while indexing for search:\n" + traceback.format_exc())

    def _indexed(self, upto: int) -> None:
        """Files up to position ``upto`` (counted since the server started) are in the index.
        Positions, not counts: two runs' callbacks may arrive after the next run was submitted."""
        if upto > self._indexed_before:
            del self._unindexed[:upto - self._indexed_before]
            self._indexed_before = upto


def _reload_path(outcome: Outcome) -> str:
    """A stylesheet's name when only stylesheets changed (reloaded in place), else '*' (the page)."""
    css = [p for p in outcome.changed if p.endswith(".css")]
    if outcome.ok and css and len(css) == len(outcome.changed):
        return Path(css[0]).name
    return "*"


@dataclass
class Running:
    """A preview server running on its own thread; ``stop()`` ends it."""

    preview: Preview
    host: str
    port: int
    thread: threading.Thread
    loop: Loop

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.preview.base_path}"

    def stop(self, timeout: float = 30.0) -> None:
        try:
            self.loop.add_callback(self.loop.stop)
        except RuntimeError:
            pass
        self.thread.join(timeout)


def start(project: Project, *, host: str = "127.0.0.1", port: int = 0, strict: bool = False,
          reload_config: Callable[[], Project] | None = None, log: Log = _print,
          quiet: float = QUIET_SECONDS, poll: float = POLL_SECONDS) -> Running:
    """Bind, build once, then serve and watch on a background thread. Port 0 picks a free port.

    Raises OSError if the address cannot be bound (before anything is built).
    """
    warning = host_warning(host)
    if warning:
        log(warning)
    sockets = http.bind(host, port)
    hosts = HostCheck.bound(host, sockets[0].getsockname()[1])
    preview = Preview(project, strict=strict, reload_config=reload_config, log=log, quiet=quiet, poll=poll)
    preview.build_now()
    ready: dict[str, Loop] = {}
    started = threading.Event()

    def on_start(loop: Loop) -> None:
        preview.attach(loop)
        ready["loop"] = loop
        started.set()

    def run() -> None:
        http.run(preview, sockets, hosts, log, started=on_start, stopping=preview.detach)

    thread = threading.Thread(target=run, name="explainer-serve", daemon=True)
    thread.start()
    started.wait()
    return Running(preview, host, sockets[0].getsockname()[1], thread, ready["loop"])


def serve(project: Project, *, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          strict: bool = False, reload_config: Callable[[], Project] | None = None) -> int:
    """The ``serve`` command: build, serve on ``host:port``, rebuild on change until Ctrl-C."""
    _print(f"building {project.root} ...")
    try:
        running = start(project, host=host, port=port, strict=strict, reload_config=reload_config)
    except KeyboardInterrupt:
        _print("stopped")
        return 0
    except OSError as exc:
        _print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc} — pass another --port "
               "or stop the program that uses it")
        return 2
    try:
        _print(f"serving {project.out_dir} at {running.url} (watching content/, templates/ and {CONFIG_FILE}; "
               "press Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(running.url)
        while running.thread.is_alive():
            running.thread.join(0.5)
    except KeyboardInterrupt:
        _print("stopping the preview server ...")
        try:
            running.stop()
        except KeyboardInterrupt:  # a second Ctrl-C: stop waiting for the build
            pass
        _print("stopped")
        return 0
    _print("the preview server stopped unexpectedly")
    return 1
