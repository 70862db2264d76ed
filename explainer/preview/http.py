"""The preview's HTTP side: request paths onto the output folder, the site handler, the reload
socket, and the tornado application and its loop.

The only module that imports ``livereload`` and ``tornado``, so either can be swapped here
alone. We use three pieces of livereload: the livereload.js client (``LiveReloadJSHandler``),
its script injector (``LiveScriptInjector``) and its WebSocket protocol (``LiveReloadHandler``);
not its ``Watcher`` or ``Server.serve`` (see server.py for why).

``resolve`` maps a raw request path onto the output folder under the configured base path and
refuses anything that could escape it.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import httpserver, ioloop, netutil, web
from tornado.websocket import WebSocketHandler

from .errorpage import error_page
from .outcome import Outcome

Log = Callable[[str], None]


class Served(Protocol):
    """What the handlers need from the running preview (server.Preview)."""

    outcome: Outcome | None
    clients: set[ReloadSocket]

    @property
    def base_path(self) -> str: ...

    @property
    def out_dir(self) -> Path: ...


class Loop(Protocol):
    """The part of tornado's IOLoop the rest of the preview uses (server.Preview, Running)."""

    def call_later(self, delay: float, callback: Callable[[], None]) -> object: ...

    def remove_timeout(self, timeout: object) -> None: ...

    def add_callback(self, callback: Callable[..., None], *args: object) -> None: ...

    def stop(self) -> None: ...


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



class SiteHandler(web.RequestHandler):
    """Serves the output folder under the base path; the error page while the build is broken."""

    def initialize(self, preview: Served) -> None:
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


def make_app(preview: Served, log: Log | None = None) -> web.Application:
    """The tornado application: livereload endpoints, then the site for every other path."""
    def log_request(handler: web.RequestHandler) -> None:
        if log and 400 <= handler.get_status() < 500 and handler.get_status() != 404:  # 500: our error page
            log(f"{handler.get_status()} {handler.request.method} {handler.request.uri}")

    return web.Application(
        [(r"/livereload", ReloadSocket, {"clients": preview.clients}),
         (r"/livereload\.js", LiveReloadJSHandler),
         (r".*", SiteHandler, {"preview": preview})],
        transforms=[_Injector], log_function=log_request, websocket_ping_interval=20)


def bind(host: str, port: int) -> list[socket.socket]:
    """Listening sockets for ``host:port`` (port 0: a free one). Raises OSError."""
    return netutil.bind_sockets(port, address=host)


def run(preview: Served, sockets: list[socket.socket], log: Log | None, *,
        started: Callable[[Loop], None], stopping: Callable[[], None]) -> None:
    """Serve ``preview`` on ``sockets`` on this thread until the loop is stopped.

    ``started(loop)`` runs on the loop before the first request; ``stopping()`` after the loop
    stops, with the server closed and before the loop is.
    """
    asyncio.set_event_loop(asyncio.new_event_loop())
    loop = ioloop.IOLoop.current()
    server = httpserver.HTTPServer(make_app(preview, log), xheaders=False)
    server.add_sockets(sockets)
    started(loop)
    try:
        loop.start()
    finally:
        server.stop()
        for client in list(preview.clients):
            client.close()
        stopping()
        loop.close(all_fds=True)
