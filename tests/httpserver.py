"""A small HTTP server on 127.0.0.1 for tests that must not touch the network.

Tests declare routes, then talk to ``server.url(path)``::

    from tests.httpserver import LocalServer, Reply, local_server_fixture  # noqa: F401

    def test_page(local_server: LocalServer) -> None:
        local_server.route("/a", Reply(body=b"<p>hi</p>"))
        ...  # fetch local_server.url("/a")

A route is a ``Reply`` (sent to every request) or a function of the ``Request`` that returns
one. A reply's body may be bytes or any iterable of byte chunks; a generator may sleep between
chunks to imitate a slow server. Unknown paths answer 404. Every request is recorded in
``server.requests``, and ``server.peak`` holds the most requests ever served at once per
host name (the Host header without its port). ``LocalServer(host="127.0.0.2")`` listens on
another loopback address, for tests that need several hosts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without the query string
    query: str
    headers: Mapping[str, str]


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    content_type: str | None = "text/html; charset=utf-8"  # None: send no Content-Type
    headers: Mapping[str, str] = field(default_factory=dict)
    # For bytes bodies, send Content-Length unless False. Iterables never get one: the body
    # ends when the connection closes (HTTP/1.0 style).
    content_length: bool = True
    delay: float = 0.0  # seconds to wait before the status line


Route = Reply | Callable[[Request], Reply]


class LocalServer:
    """A threaded ``http.server`` on 127.0.0.1 with a free port; use as a context manager."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.peak: dict[str, int] = {}
        self._active: dict[str, int] = {}
        self._count_lock = threading.Lock()
        self._httpd = _Server((host, 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def route(self, path: str, reply: Route) -> str:
        """Serve ``reply`` at ``path``; return the route's absolute URL."""
        self.routes[path] = reply
        return self.url(path)

    def count(self, host: str, change: int) -> None:
        with self._count_lock:
            self._active[host] = self._active.get(host, 0) + change
            self.peak[host] = max(self.peak.get(host, 0), self._active[host])

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@pytest.fixture(name="local_server")
def local_server_fixture() -> Iterator[LocalServer]:
    """A started ``LocalServer``, stopped after the test. Import this name to use it."""
    with LocalServer() as server:
        yield server


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler still trickling bytes must not block shutdown
    owner: LocalServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early (size caps, timeouts) are expected here


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        request = Request(self.command, parts.path, parts.query, dict(self.headers.items()))
        owner.requests.append(request)
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        owner.count(host, 1)
        try:
            route = owner.routes.get(parts.path)
            if route is None:
                reply = Reply(status=404, body=b"not found", content_type="text/plain")
            elif isinstance(route, Reply):
                reply = route
            else:
                reply = route(request)
            self._send(reply)
        finally:
            owner.count(host, -1)

    do_HEAD = do_GET

    def _send(self, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        if reply.content_type is not None:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        body = reply.body
        if isinstance(body, bytes) and reply.content_length:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        chunks = [body] if isinstance(body, bytes) else body
        for chunk in chunks:
            self.wfile.write(chunk)
            self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet
