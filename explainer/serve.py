"""Live preview: build, serve the output folder as the host would, rebuild and reload on change.

The only module that imports ``livereload``. We use three of its pieces: the livereload.js
client (``LiveReloadJSHandler``), its script injector (``LiveScriptInjector``) and its
WebSocket protocol (``LiveReloadHandler``). We do not use its ``Watcher`` or ``Server.serve``:
livereload 2.7.1 ignores a change that arrives within 3 s of the previous reload
(``LiveReloadHandler.poll_tasks``), reports one file per poll for a watched directory, calls
build callbacks unprotected, and its ``delay`` does not debounce (STYLE.md, habit 9). So:

* ``scan`` polls the watched globs (content/**/*, templates/**/*, config.yaml; never the output
  folder) and returns a snapshot of stat stamps, skipping editor litter like sphinx-autobuild's
  ``IgnoreFilter``;
* ``Rebuilder`` decides when to rebuild: after a quiet period (debounce), only if an input
  changed since the last build *started* (mtime, then content), one build at a time, so the last
  save always wins;
* ``run_build`` never raises: any error, ours or a bug, becomes a failed ``Outcome``; the last
  good site stays on disk and the browser gets an error page naming file and line;
* ``resolve`` maps a raw request path onto the output folder under the configured base path
  and refuses anything that could escape it;
* ``start`` runs all of it on an IOLoop in a background thread (tests use it on port 0);
  ``serve`` is the command: ``start``, then wait for Ctrl-C.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import html
import ipaddress
import json
import mimetypes
import os
import re
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import httpserver, ioloop, netutil, web
from tornado.websocket import WebSocketHandler

from . import pipeline
from .config import CONFIG_FILE, PACKAGE_TEMPLATES, Project
from .errors import Diagnostic, ExplainerError, Report
from .load import is_litter
from .urls import Urls

Log = Callable[[str], None]

QUIET_SECONDS = 0.1  # debounce: build once no watched file changed for this long
MAX_WAIT_SECONDS = 2.0  # ...but never postpone a build longer than this while files keep changing
POLL_SECONDS = 0.05  # stat the watched files this often (more rarely when a scan is slow)
RACY_NS = 2_000_000_000  # a file this fresh may change again without a new mtime: compare content

# --- what to watch ----------------------------------------------------------------------------


def watch_globs(project: Project) -> list[str]:
    """Every input, as '<folder>/**/*' for a folder's whole tree or a file's path: content,
    templates (and static), config.yaml. ``scan`` walks them; they are not run through glob,
    so a folder name with glob characters needs no escaping."""
    folders = [project.content_dir, project.templates_dir]
    if PACKAGE_TEMPLATES.resolve() != project.templates_dir.resolve():
        folders.append(PACKAGE_TEMPLATES)
    return [f"{folder}{TREE}" for folder in folders] + [str(project.config_path)]


TREE = "/**/*"


def is_ignored(path: str, root: Path, out_dir: Path) -> bool:
    """Anything inside the output folder, or editor litter in any part of the path below ``root``."""
    candidate = Path(path)
    if candidate.is_relative_to(out_dir):
        return True
    parts = candidate.relative_to(root).parts if candidate.is_relative_to(root) else candidate.parts[-2:]
    return any(is_litter(part) for part in parts)


@dataclass(frozen=True)
class Stamp:
    """What we know about one input file: stat fields, and at a build's start its content digest."""

    mtime_ns: int
    size: int
    inode: int
    digest: str | None = None
    racy: bool = False  # modified so shortly before the build that a rewrite could keep the mtime

    @property
    def stat(self) -> tuple[int, int, int]:
        return (self.mtime_ns, self.size, self.inode)


Snapshot = dict[str, Stamp]


def scan(globs: Iterable[str], root: Path, out_dir: Path) -> Snapshot:
    """Stat every watched file now (missing or vanished files are simply absent).

    Walks with os.scandir rather than glob: on a site of thousands of files the poll runs 20
    times a second, and glob plus a Path per file cost ten times more.
    """
    snapshot: Snapshot = {}
    out_prefix = str(out_dir) + os.sep
    for pattern in globs:
        if pattern.endswith(TREE):
            _scan_folder(pattern.removesuffix(TREE), root, out_prefix, snapshot)
        else:
            path = pattern
            try:
                st = os.stat(path)
            except OSError:
                continue
            if not is_ignored(path, root, out_dir) and os.path.isfile(path):
                snapshot[path] = Stamp(st.st_mtime_ns, st.st_size, st.st_ino)
    return snapshot


def _scan_folder(folder: str, root: Path, out_prefix: str, snapshot: Snapshot) -> None:
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            path = entry.path
            if (path + os.sep).startswith(out_prefix) or is_litter(entry.name):
                continue
            try:
                if entry.is_dir():
                    pending.append(path)
                elif entry.is_file() and path not in snapshot:
                    st = entry.stat()
                    snapshot[path] = Stamp(st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                continue


def file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError:
        return None


def fingerprint(snapshot: Snapshot, wall_ns: int, digest: Callable[[str], str | None] = file_digest,
                previous: Snapshot | None = None) -> Snapshot:
    """A snapshot taken as a build starts: every stamp gets its content digest and racy flag.

    A file whose stat is the same as in ``previous`` and was not racy then keeps its digest
    there: reading every input again costs ~100 ms on a site of a thousand articles.
    """
    result: Snapshot = {}
    for path, stamp in snapshot.items():
        known = previous.get(path) if previous else None
        racy = wall_ns - stamp.mtime_ns <= RACY_NS
        if (known is not None and not known.racy and not racy and known.digest is not None
                and (known.mtime_ns, known.size, known.inode) == (stamp.mtime_ns, stamp.size, stamp.inode)):
            result[path] = replace(stamp, digest=known.digest, racy=False)
        else:
            result[path] = replace(stamp, digest=digest(path), racy=racy)
    return result


# --- when to rebuild ----------------------------------------------------------------------------


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


def _differences(before: Snapshot, after: Snapshot) -> set[str]:
    """Inputs added, removed or with other content between two fingerprints."""
    return {path for path in before.keys() | after.keys()
            if path not in before or path not in after or before[path].digest != after[path].digest}


def _stats(snapshot: Snapshot) -> dict[str, tuple[int, int, int]]:
    return {path: stamp.stat for path, stamp in snapshot.items()}


# --- one guarded build --------------------------------------------------------------------------


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


def describe(outcome: Outcome, root: Path, strict: bool = False) -> list[str]:
    """Terminal lines for an outcome."""
    names = ", ".join(_display(root, p) for p in outcome.changed[:3]) + (" ..." if len(outcome.changed) > 3 else "")
    because = f" after a change to {names}" if names else ""
    lines = [d.format() for d in outcome.report.sorted()]
    if outcome.ok:
        warnings = len(outcome.report.warnings)
        redone = f" ({outcome.rendered} rendered again)" if outcome.rendered < outcome.pages else ""
        lines.append(f"built {outcome.pages} pages{redone} in {outcome.seconds:.2f}s{because}"
                     + (f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""))
        return lines
    if outcome.internal:
        lines += [outcome.internal.rstrip(), "this is a bug in Explainer, not in your content: please report it"]
    elif not outcome.report.diagnostics:
        lines.append(f"error: {outcome.message}")
    if strict and outcome.report.warnings and not outcome.report.errors:
        lines.append("(warnings are errors under --strict)")
    lines.append(f"build failed{because}: the browser shows the errors; the site on disk is the last good "
                 "build and is not in sync with your files until you fix them")
    return lines


def _display(root: Path, path: str) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


# --- the error page -----------------------------------------------------------------------------

_PAGE_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{color:#a00;font-size:1.6rem} li{margin:.8rem 0} code,pre{font:14px/1.4 ui-monospace,monospace}
.where{font-weight:bold} .hint{color:#555} pre{background:#f6f6f6;padding:.6rem;overflow:auto}
mark{background:#fdd}
"""


def error_page(outcome: Outcome) -> bytes:
    """An HTML page listing every diagnostic with file, line, message and the source line."""
    items = "".join(_diagnostic_item(d, outcome.project.root) for d in outcome.report.sorted())
    if outcome.internal:
        items += ("<li><span class=where>internal error</span>: this is a bug in Explainer, not in your "
                  f"content.<pre>{html.escape(outcome.internal)}</pre></li>")
    elif not items:
        items = f"<li>{html.escape(outcome.message)}</li>"
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        "<title>Build failed · Explainer preview</title>"
        f"<style>{_PAGE_STYLE}</style></head><body>"
        "<h1>The site could not be rebuilt</h1>"
        "<p>Fix the problem below and save: this page reloads by itself. Until then the output folder "
        "keeps the last good build, which is not in sync with your files.</p>"
        f"<ul>{items}</ul></body></html>\n"
    ).encode("utf-8")


def _diagnostic_item(diagnostic: Diagnostic, root: Path) -> str:
    hint = f' <span class=hint>— {html.escape(diagnostic.hint)}</span>' if diagnostic.hint else ""
    excerpt = _excerpt(root, diagnostic.location.path, diagnostic.location.line)
    return (f"<li><code class=where>{html.escape(str(diagnostic.location))}</code> "
            f"{diagnostic.severity.value}: {html.escape(diagnostic.message)}{hint}{excerpt}</li>")


def _excerpt(root: Path, path: str, line: int, context: int = 2) -> str:
    """The offending line with a little context, if the file is inside the project."""
    source = (root / path).resolve()
    if not line or not source.is_relative_to(root.resolve()) or not source.is_file():
        return ""
    try:
        lines = source.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    first = max(line - 1 - context, 0)
    shown = []
    for number, text in enumerate(lines[first: line + context], start=first + 1):
        row = html.escape(f"{number:4} | {text}")
        shown.append(f"<mark>{row}</mark>" if number == line else row)
    return f"<pre>{chr(10).join(shown)}</pre>" if shown else ""


# --- request path -> file -----------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """What to answer: 'file' (path), 'redirect' (location), 'missing' (404) or 'bad' (400)."""

    kind: str
    path: Path | None = None
    location: str = ""


_ENCODED = re.compile(r"%[0-9a-fA-F]{2}")


def resolve(raw_path: str, base_path: str, out_dir: Path) -> Resolution:
    """Map a raw (still percent-encoded) request path onto a file in ``out_dir``, as the host would.

    Refused with 400: backslashes, NUL, '.' or '..' segments (encoded or not), anything still
    encoded after one decoding (double encoding), invalid UTF-8. Anything else outside the base
    path, or resolving (through symlinks) outside the output folder, is a 404.
    """
    if not raw_path.startswith("/") or "\\" in raw_path:
        return Resolution("bad")
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return Resolution("bad")
    segments = path.split("/")
    if "\\" in path or "\x00" in path or _ENCODED.search(path) or any(s in (".", "..") for s in segments):
        return Resolution("bad")
    if base_path != "/" and (path == "/" or path + "/" == base_path):
        return Resolution("redirect", location=base_path)
    if not path.startswith(base_path):
        return Resolution("missing")
    parts = [s for s in path[len(base_path):].split("/") if s]
    try:
        root = out_dir.resolve()
        target = root.joinpath(*parts)
        if target.is_dir():
            if not path.endswith("/"):
                return Resolution("redirect", location=quote(base_path + "/".join(parts) + "/"))
            target = target / "index.html"
        real = Path(os.path.realpath(target))
        if not real.is_relative_to(root) or not real.is_file():
            return Resolution("missing")
    except (OSError, ValueError):  # a name too long for the file system, and the like
        return Resolution("missing")
    return Resolution("file", path=real)


def content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind in ("application/javascript",
                                                                             "application/json") else kind


# --- tornado handlers ---------------------------------------------------------------------------


class SiteHandler(web.RequestHandler):
    """Serves the output folder under the base path; the error page while the build is broken."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Server", "Explainer preview")

    def compute_etag(self) -> None:
        return None  # no 304s: a reload after a rebuild must get the new bytes

    def get(self) -> None:
        self._respond()

    def head(self) -> None:
        self._respond()  # tornado sends the headers and drops the body

    def _respond(self) -> None:
        preview = self.preview
        found = resolve(self.request.path, preview.base_path, preview.out_dir)
        failed = preview.outcome is not None and not preview.outcome.ok
        if found.kind == "bad":
            self._send(400, "text/plain; charset=utf-8", b"400: bad request path\n")
        elif found.kind == "redirect":
            self.redirect(found.location, status=302)  # not 301: the base path may change in config.yaml
        elif failed and preview.outcome and (found.kind == "missing" or (found.path and found.path.suffix == ".html")):
            self._send(500, "text/html; charset=utf-8", error_page(preview.outcome))
        elif found.kind == "file" and found.path is not None and (data := _read(found.path)) is not None:
            self._send(200, content_type(found.path), data)
        else:
            self._send(404, "text/html; charset=utf-8", _read(preview.out_dir / "404.html") or _PLAIN_404)

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.finish(body)


_PLAIN_404 = b"<!doctype html><html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>\n"


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # gone between resolve and read (a rebuild swapping the folder in)
        return None


class ReloadSocket(LiveReloadHandler):
    """livereload's WebSocket protocol, with the clients kept per server instead of on the class."""

    def initialize(self, clients: set[ReloadSocket]) -> None:
        self.clients = clients

    def check_origin(self, origin: str) -> bool:
        return WebSocketHandler.check_origin(self, origin)  # same origin only (livereload allows any)

    def on_message(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except ValueError:
            return
        if data.get("command") == "hello":
            self.send_message({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"],
                               "serverName": "explainer-preview"})
        elif data.get("command") == "info":
            self.clients.add(self)

    def on_close(self) -> None:
        self.clients.discard(self)


def reload_clients(clients: set[ReloadSocket], path: str = "*") -> int:
    """Tell every connected browser to reload (live CSS when ``path`` is a stylesheet)."""
    message = {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}
    for client in list(clients):
        try:
            client.write_message(json.dumps(message))
        except Exception:  # closed meanwhile
            clients.discard(client)
    return len(clients)


# Same snippet as livereload.Server.application: ask the page's own host and port for the client.
LIVE_SCRIPT = (b'<script>(function(){var s=document.createElement("script");'
               b'var port=window.location.port||(window.location.protocol=="https:"?443:80);'
               b's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
               b'document.head.appendChild(s);})();</script>')


class _Injector(LiveScriptInjector):
    script = LIVE_SCRIPT


def make_app(preview: Preview, log: Log | None = None) -> web.Application:
    """The tornado application: livereload endpoints, then the site for every other path."""
    def log_request(handler: web.RequestHandler) -> None:
        if log and 400 <= handler.get_status() < 500 and handler.get_status() != 404:  # 500: our error page
            log(f"{handler.get_status()} {handler.request.method} {handler.request.uri}")

    return web.Application(
        [(r"/livereload", ReloadSocket, {"clients": preview.clients}),
         (r"/livereload\.js", LiveReloadJSHandler),
         (r".*", SiteHandler, {"preview": preview})],
        transforms=[_Injector], log_function=log_request, websocket_ping_interval=20)


# --- the running preview ------------------------------------------------------------------------


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
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="explainer-build")
        self._loop: ioloop.IOLoop | None = None
        self._timer: object | None = None
        self.on_build: Callable[[Outcome], None] | None = None  # tests and benchmarks listen here
        # Kept between rebuilds so an edit redoes only what it affects (pipeline.BuildCache).
        self.cache = pipeline.BuildCache()
        # Search indexing runs on its own thread after each reload, cancelled by the next edit.
        self._indexer = ThreadPoolExecutor(1, thread_name_prefix="explainer-search")
        self._index_cancel = threading.Event()
        # Site files written since the last complete search index (only the IOLoop thread
        # changes the list); the indexer re-indexes just the bundles that hold them.
        self._unindexed: list[str] = []
        self._indexed_before = 0  # how many written files were ever dropped from the front of _unindexed
        self._last_fingerprint: Snapshot | None = None
        # Inputs a failed build was told about: it may have stopped before reading them (a
        # broken config.yaml stops it before the build starts), so the next build is told again.
        self._unread: set[str] = set()

    @property
    def base_path(self) -> str:
        return Urls(self.project.config.base_url).base_path

    @property
    def out_dir(self) -> Path:
        return self.project.out_dir

    def build_now(self) -> Outcome:
        """The first build, synchronously, before serving."""
        snapshot = scan(self.globs, self.project.root, self.out_dir)
        self.rebuilder.observe(snapshot, time.monotonic())
        self.rebuilder.begin()
        built, outcome = self._job(self.project, False, [])
        # Later builds run on the build thread while the server thread runs: forking worker
        # processes from a threaded process can deadlock a child on a lock held by another thread.
        self.cache.workers = 1
        self._apply(built, outcome)
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
            {*changed, *self._unread, *_differences(previous, built), *self._unlike_what_was_read(project, built)})
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

    def attach(self, loop: ioloop.IOLoop) -> None:
        self._loop = loop
        self._timer = loop.call_later(self.poll_seconds, self.poll)

    def detach(self) -> None:
        if self._loop is not None and self._timer is not None:
            self._loop.remove_timeout(self._timer)
        self._timer = None
        self._index_cancel.set()
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._indexer.shutdown(wait=True, cancel_futures=True)

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


def host_warning(host: str) -> str | None:
    """A warning when ``host`` is reachable from other machines, None for loopback."""
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host.strip("[]")).is_loopback:
            return None
    except ValueError:
        pass
    return (f"warning: serving on {host} makes the preview reachable from other machines on the network; "
            "it is a development server, not meant for the open internet. Use --host 127.0.0.1 to keep it local.")


@dataclass
class Running:
    """A preview server running on its own thread; ``stop()`` ends it."""

    preview: Preview
    host: str
    port: int
    thread: threading.Thread
    loop: ioloop.IOLoop

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
    sockets = netutil.bind_sockets(port, address=host)
    preview = Preview(project, strict=strict, reload_config=reload_config, log=log, quiet=quiet, poll=poll)
    preview.build_now()
    ready: dict[str, Any] = {}
    started = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        loop = ioloop.IOLoop.current()
        server = httpserver.HTTPServer(make_app(preview, log), xheaders=False)
        server.add_sockets(sockets)
        preview.attach(loop)
        ready["loop"] = loop
        started.set()
        try:
            loop.start()
        finally:
            server.stop()
            for client in list(preview.clients):
                client.close()
            preview.detach()
            loop.close(all_fds=True)

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
        running.stop()
        _print("stopped")
        return 0
    _print("the preview server stopped unexpectedly")
    return 1


__all__ = ["Outcome", "Preview", "Rebuilder", "Resolution", "Running", "Snapshot", "Stamp", "error_page",
           "file_digest", "fingerprint", "host_warning", "is_ignored", "make_app", "reload_clients", "resolve",
           "run_build", "scan", "serve", "start", "watch_globs"]
