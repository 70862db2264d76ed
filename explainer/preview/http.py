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
from typing import Any, Protocol
from urllib.parse import quote, unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import http1connection, httpserver, httputil, ioloop, netutil, web
from tornado.websocket import WebSocketHandler

from ..fsguard import UnsafePath, read_regular
from .errorpage import error_page
from .hosts import HostCheck
from .outcome import Outcome

Log = Callable[[str], None]

# The preview reads no request bodies: a body is refused before it is buffered, not after.
MAX_BODY = 64 * 1024
MAX_BUFFER = 1 << 20  # bytes tornado may hold for one connection (headers, a body chunk)
MAX_MESSAGE = 64 * 1024  # a livereload message is a few hundred bytes
MAX_SERVED = 1 << 30  # the largest site file served (the whole file is read into memory)


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



class _Handler(web.RequestHandler):
    """Headers every answer of the preview carries."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Server", "Explainer preview")


class SiteHandler(_Handler):
    """Serves the output folder under the base path; the error page while the build is broken."""

    def initialize(self, preview: Served) -> None:
        self.preview = preview

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


_PLAIN_404 = (b"<!doctype html><html><head><title>404 Not Found</title></head>"
              b"<body><h1>404 Not Found</h1></body></html>\n")


def _read(path: Path) -> bytes | None:
    """A site file's bytes; None if it is gone (a rebuild swapping the folder in) or is not a
    regular file (a FIFO would block the server's only thread)."""
    try:
        return read_regular(path, MAX_SERVED)
    except (OSError, UnsafePath):
        return None


@web.stream_request_body  # so that prepare() answers once the headers are in, before any body
class Refused(_Handler):
    """A short plain-text refusal sent before the request's body is read; tornado then closes
    the connection rather than read the rest."""

    def initialize(self, status: int, message: str, allow: str = "") -> None:
        self.status, self.message, self.allow = status, message, allow

    def prepare(self) -> None:
        # Without this, a body over MAX_BODY would make tornado answer a second time (400).
        connection = self.request.connection
        if isinstance(connection, http1connection.HTTP1Connection):
            connection.set_max_body_size(1 << 62)
        self.set_status(self.status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        if self.allow:
            self.set_header("Allow", self.allow)
        self.finish(self.message)

    def data_received(self, chunk: bytes) -> None:
        pass  # what arrives before the connection closes is dropped


def refusal(request: httputil.HTTPServerRequest, hosts: HostCheck) -> dict[str, Any] | None:
    """Why the preview will not answer ``request`` (arguments for ``Refused``), None if it will."""
    host = request.headers.get("Host")
    if not hosts.allows(host):
        return {"status": 421, "message": hosts.refusal(host or "")}
    if request.method not in ("GET", "HEAD"):
        return {"status": 405, "allow": "GET, HEAD",
                "message": "405 Method Not Allowed: the preview only serves files (GET and HEAD).\n"}
    return None


class PreviewApp(web.Application):
    """The routes, behind the checks every request passes first (``refusal``), for every route:
    pages, the client script and the reload socket's handshake alike."""

    def __init__(self, handlers: list[Any], hosts: HostCheck, **settings: Any) -> None:
        super().__init__(handlers, **settings)
        self.hosts = hosts

    def find_handler(self, request: httputil.HTTPServerRequest, **kwargs: Any) -> web._HandlerDelegate:
        refused = refusal(request, self.hosts)
        if refused is not None:
            return self.get_handler_delegate(request, Refused, refused)
        return super().find_handler(request, **kwargs)


class ReloadSocket(LiveReloadHandler):
    """livereload's WebSocket protocol, with the clients kept per server instead of on the class."""

    def initialize(self, clients: set[ReloadSocket]) -> None:
        self.clients = clients

    def check_origin(self, origin: str) -> bool:
        return WebSocketHandler.check_origin(self, origin)  # same origin only (livereload allows any)

    def on_message(self, message: str | bytes) -> None:
        """Answer livereload's 'hello' and 'info'; anything else, JSON or not, is ignored."""
        try:
            data = json.loads(message)
        except ValueError:  # includes bytes that are not UTF-8
            return
        if not isinstance(data, dict):
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


def make_app(preview: Served, hosts: HostCheck, log: Log | None = None) -> web.Application:
    """The tornado application: livereload endpoints, then the site for every other path."""
    def log_request(handler: web.RequestHandler) -> None:
        if log and 400 <= handler.get_status() < 500 and handler.get_status() != 404:  # 500: our error page
            log(f"{handler.get_status()} {handler.request.method} {handler.request.uri}")

    return PreviewApp(
        [(r"/livereload", ReloadSocket, {"clients": preview.clients}),
         (r"/livereload\.js", LiveReloadJSHandler),
         (r".*", SiteHandler, {"preview": preview})],
        hosts, transforms=[_Injector], log_function=log_request, websocket_ping_interval=20,
        websocket_max_message_size=MAX_MESSAGE)


def bind(host: str, port: int) -> list[socket.socket]:
    """Listening sockets for ``host:port`` (port 0: a free one). Raises OSError."""
    return netutil.bind_sockets(port, address=host)


def run(preview: Served, sockets: list[socket.socket], hosts: HostCheck, log: Log | None, *,
        started: Callable[[Loop], None], stopping: Callable[[], None]) -> None:
    """Serve ``preview`` on ``sockets`` on this thread until the loop is stopped.

    ``started(loop)`` runs on the loop before the first request; ``stopping()`` after the loop
    stops, with the server closed and before the loop is.
    """
    asyncio.set_event_loop(asyncio.new_event_loop())
    loop = ioloop.IOLoop.current()
    server = httpserver.HTTPServer(make_app(preview, hosts, log), xheaders=False, max_body_size=MAX_BODY,
                                   max_buffer_size=MAX_BUFFER)
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
