"""The preview refuses what a hostile page or client sends it (issue #17, finding 11): a foreign
Host header (DNS rebinding), request bodies, and WebSocket messages that are not objects."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from explainer.preview.hosts import HostCheck, host_warning

from test_serve import Server, project_root, run_in_own_thread  # noqa: F401 (project_root: a fixture)


@pytest.fixture
def server(project_root: Path) -> Iterator[Server]:  # noqa: F811
    running = Server(project_root)
    yield running
    running.running.stop()


def raw_exchange(port: int, request: bytes, timeout: float = 5.0) -> bytes:
    """Send ``request`` as is and return what the server answers before closing or going quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        received = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = connection.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            received += chunk
            if b"\r\n\r\n" in received and len(received) > received.index(b"\r\n\r\n") + 4:
                break
        return received


# --- Host -----------------------------------------------------------------------------------------


def test_a_foreign_host_name_is_refused_and_the_local_ones_answered(server: Server) -> None:
    port = server.running.port
    for good in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}", f"[::1]:{port}"):
        assert server.request("/", host=good)[0] == 200, good
    for bad in (f"evil.example:{port}", "evil.example", f"localhost:{port + 1}", "localhost",
                f"127.0.0.1.evil.example:{port}", f"attacker.localhost:{port}"):
        status, headers, body = server.request("/", host=bad)
        assert status == 421, bad
        assert headers["Content-Type"].startswith("text/plain")
        assert b"answers only to" in body and b"<html" not in body.lower()
    # Every endpoint, not only pages: the client script and the reload socket's handshake.
    assert server.request("/livereload.js", host=f"evil.example:{port}")[0] == 421
    answer = raw_exchange(port, (
        f"GET /livereload HTTP/1.1\r\nHost: evil.example:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        f"Origin: http://evil.example:{port}\r\n\r\n").encode())
    assert answer.startswith(b"HTTP/1.1 421"), answer[:200]


def test_bound_to_every_interface_any_host_is_answered_with_a_warning(project_root: Path) -> None:  # noqa: F811
    """0.0.0.0 is reached by names and addresses we cannot list: no Host check, and the warning says so."""
    server = Server(project_root, host="0.0.0.0")
    try:
        assert server.request("/", host="some-laptop.local:8000")[0] == 200
        assert any("any host name" in line and "DNS rebinding" in line for line in server.log), server.log
    finally:
        server.running.stop()


def test_host_check_names() -> None:
    assert HostCheck.bound("0.0.0.0", 8000).allows("anything") and HostCheck.bound("::", 1).allows("x")
    check = HostCheck.bound("192.168.1.20", 8000)
    assert check.allows("192.168.1.20:8000") and check.allows("localhost:8000")
    assert not check.allows("192.168.1.20") and not check.allows("evil:8000")
    v6 = HostCheck.bound("::1", 8000)
    assert v6.allows("[::1]:8000") and not v6.allows("::1:8000")
    default_port = HostCheck.bound("127.0.0.1", 80)
    assert default_port.allows("localhost") and default_port.allows("127.0.0.1:80")
    assert HostCheck.bound("127.0.0.1", 8000).allows(None)  # no Host header: not a browser
    assert "any host name" not in (host_warning("192.168.1.20") or "")


# --- request bodies -------------------------------------------------------------------------------


def test_a_huge_post_is_answered_405_before_its_body_is_read(server: Server) -> None:
    port = server.running.port
    started = time.monotonic()
    # 60 MiB announced, 1 KiB sent: the answer must not wait for (or buffer) the rest.
    answer = raw_exchange(port, (f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {60 << 20}\r\n"
                                 "Content-Type: application/octet-stream\r\n\r\n").encode() + b"x" * 1024)
    assert answer.startswith(b"HTTP/1.1 405"), answer[:200]
    assert b"Allow: GET, HEAD" in answer
    assert time.monotonic() - started < 4
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS"):
        assert server.request("/", method=method)[0] == 405, method
    # The server still answers, and nothing of the above was mistaken for a bad request path.
    assert server.request("/")[0] == 200
    assert not any("400" in line for line in server.log), server.log


def test_a_get_with_a_huge_body_is_refused_without_reading_it(server: Server) -> None:
    port = server.running.port
    started = time.monotonic()
    answer = raw_exchange(port, (f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {60 << 20}\r\n\r\n"
                                 ).encode() + b"x" * 1024)
    assert answer.startswith(b"HTTP/1.1 4"), answer[:200]
    assert time.monotonic() - started < 4


# --- WebSocket messages ---------------------------------------------------------------------------


def test_websocket_messages_that_are_not_objects_are_ignored(server: Server, caplog: pytest.LogCaptureFixture) -> None:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    async def session() -> dict[str, object]:
        port = server.running.port
        socket = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{port}/livereload",
                                                     headers={"Origin": f"http://127.0.0.1:{port}"}))
        for junk in ("[]", "1", '"x"', "null", "true", '{"command": ["hello"]}', "{", "\x00"):
            await socket.write_message(junk)
        await socket.write_message(b"\xff\xfe", binary=True)
        await socket.write_message(json.dumps({"command": "hello", "protocols": []}))
        reply = await socket.read_message()
        socket.close()
        assert isinstance(reply, str), reply  # None: the server dropped the socket
        return dict(json.loads(reply))

    with caplog.at_level(logging.DEBUG):
        reply = run_in_own_thread(session)
    assert reply["command"] == "hello"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], caplog.text
