"""Fetching one web page for ``newscli add URL``.

Only http(s) is spoken, at every redirect hop. The whole fetch runs against one wall-clock
deadline (``timeout``): a watchdog shuts the socket down when it passes, so a server that
trickles bytes cannot hold us longer. The body is capped while it streams, after gzip/deflate
decoding. Every failure is a ``FetchError`` with a one-line message; no httpx exception escapes.

httpx (and socket, http) are imported where used. Canonical URLs are in ``newscli.urls``.
"""

from __future__ import annotations

import codecs
import re
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from newscli import __version__
from newscli.errors import FetchError

if TYPE_CHECKING:
    import socket

    import httpx

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

WEB_SCHEMES = frozenset({"http", "https"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ACCEPTED_TYPES = HTML_TYPES | {"text/plain"}

_ALLOWED = "only http:// and https:// URLs can be fetched"
_SNIFF_BYTES = 1024

@dataclass(frozen=True)
class Fetched:
    url: str  # final URL after redirects
    status: int
    content_type: str  # media type only, lower-case, e.g. "text/html"
    charset: str | None  # from the Content-Type header, if given and known to Python
    body: bytes


def user_agent() -> str:
    return f"newscli/{__version__} (+https://github.com/newscli/newscli)"


def fetch(
    url: str,
    *,
    timeout: float = 15.0,
    connect_timeout: float = 5.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = 5,
) -> Fetched:
    """GET an http(s) page that is HTML (or plain text), following at most ``max_redirects``.

    ``timeout`` bounds the whole fetch, redirects and body included; ``connect_timeout`` bounds
    each TCP/TLS connection. Raises ``FetchError`` for anything that is not such a page.
    """
    url = url.strip()
    _require_web_url(url)

    import httpx

    watchdog = _Watchdog(time.monotonic() + timeout)
    headers = {
        "User-Agent": user_agent(),
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    }
    current = url
    seen: set[str] = set()
    redirects = 0
    try:
        with httpx.Client(
            headers=headers,
            follow_redirects=False,
            event_hooks={"response": [_vet_redirect]},
        ) as client:
            while True:
                remaining = watchdog.remaining()
                if remaining <= 0:
                    raise _timed_out(timeout, current)
                request = client.build_request(
                    "GET",
                    current,
                    timeout=httpx.Timeout(remaining, connect=min(connect_timeout, remaining)),
                    extensions={"trace": watchdog.trace},
                )
                seen.add(str(request.url))
                response = client.send(request, stream=True)
                try:
                    watchdog.watch(response.extensions.get("network_stream"))
                    if response.has_redirect_location:
                        target = response.headers["location"]  # made absolute and vetted
                        redirects += 1
                        if str(httpx.URL(target)) in seen:
                            raise _error(f"Redirect loop: {current} leads back to {target}")
                        if redirects > max_redirects:
                            raise _error(f"Too many redirects (more than {max_redirects}): {url}")
                        current = target
                        continue
                    return _page(response, current, max_bytes, watchdog, timeout)
                finally:
                    response.close()
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        if watchdog.expired:
            raise _timed_out(timeout, current) from None
        raise _network_error(exc, current, timeout) from None
    finally:
        watchdog.cancel()


# -- fetching, step by step ------------------------------------------------------------------


def _require_web_url(url: str, *, redirect_from: str | None = None) -> None:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    # "example.com/x" has no scheme; "example.com:8080/x" parses as scheme "example.com".
    if not scheme or (not parts.netloc and ("." in scheme or scheme == "localhost")):
        if redirect_from is None:
            raise FetchError(
                _one_line(f"Not a web address: {url!r} ({_ALLOWED})"),
                hint=_one_line(f"Did you mean https://{url}?"),
            )
        scheme = ""
    if scheme not in WEB_SCHEMES:
        if redirect_from is not None:
            raise _error(
                f"Refused a redirect from {redirect_from} to a non-web URL "
                f"(only http:// and https:// are followed): {url}"
            )
        raise _error(f"Only http:// and https:// URLs can be fetched, not {scheme}: {url!r}")
    if not parts.hostname:
        if redirect_from is not None:
            raise _error(f"Refused a redirect to a URL without a host from {redirect_from}: {url}")
        raise _error(f"No host name in {url!r}")


def _vet_redirect(response: httpx.Response) -> None:
    """httpx response hook: refuse a redirect off http(s) before httpx parses its Location.

    The Location is resolved here, by the same rules as a browser's, and written back as an
    absolute URL, so httpx (which computes ``next_request`` even when not following) agrees.
    """
    if not response.has_redirect_location:
        return
    current = str(response.request.url)
    target = urljoin(current, response.headers["location"].strip())
    _require_web_url(target, redirect_from=current)
    response.headers["location"] = target


def _page(
    response: httpx.Response, url: str, max_bytes: int, watchdog: _Watchdog, timeout: float
) -> Fetched:
    status = response.status_code
    if not 200 <= status < 300:
        phrase = _phrase(status, response.reason_phrase)
        if 300 <= status < 400:
            raise _error(f"HTTP {status} {phrase} without a redirect target: {url}")
        raise _error(f"HTTP {status} {phrase}: {url}")

    content_type, charset = parse_content_type(response.headers.get("content-type"))
    if content_type and content_type not in ACCEPTED_TYPES:
        raise _error(f"Not an HTML page ({content_type}): {url}")

    declared = _int_or_none(response.headers.get("content-length"))
    if declared is not None and declared > max_bytes:
        raise _error(f"Page is {_size(declared)}, over the {_size(max_bytes)} limit: {url}")

    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():  # decoded from gzip/deflate by httpx
        total += len(chunk)
        if total > max_bytes:
            raise _error(f"Page is larger than the {_size(max_bytes)} limit: {url}")
        if watchdog.expired or watchdog.remaining() <= 0:
            raise _timed_out(timeout, url)
        chunks.append(chunk)
    if watchdog.expired:  # the watchdog's shutdown can look like a clean end of the body
        raise _timed_out(timeout, url)
    body = b"".join(chunks)

    if not content_type:
        if not _looks_like_html(body):
            raise _error(f"No Content-Type, and the body does not look like HTML: {url}")
        content_type = "text/html"
    return Fetched(str(response.url), status, content_type, charset, body)


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """("text/html", "utf-8") from 'text/html; charset="UTF-8"'; charset None if unknown."""
    if not value:
        return "", None
    media_type, _, params = value.partition(";")
    charset: str | None = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            candidate = raw.strip().strip("\"'").strip().lower()
            if candidate and _known_codec(candidate):
                charset = candidate
            break
    return media_type.strip().lower(), charset


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _looks_like_html(body: bytes) -> bool:
    head = body[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    return head.startswith(b"<") or b"<html" in head


class _Watchdog:
    """Holds the wall-clock deadline; when it passes, shuts the socket in use down.

    A blocked read then returns at once (end of stream or an error), whichever httpx phase it
    is in: connecting, waiting for headers, or streaming a body a few bytes at a time.
    """

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, self.remaining()), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore trace hook: learn each new connection's socket as soon as it exists."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self.watch(info.get("return_value"))

    def watch(self, stream: Any) -> None:
        import socket

        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sock = sock
            if self.expired:
                _shutdown(sock)

    def cancel(self) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                _shutdown(self._sock)


def _shutdown(sock: socket.socket) -> None:
    import socket

    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


# -- messages --------------------------------------------------------------------------------


def _error(message: str) -> FetchError:
    return FetchError(_one_line(message))


def _timed_out(timeout: float, url: str) -> FetchError:
    return _error(f"Timed out after {timeout:g} s: {url}")


def _network_error(exc: Exception, url: str, timeout: float) -> FetchError:
    import httpx

    host = urlsplit(url).hostname or url
    reason = re.sub(r"^\[Errno -?\d+\]\s*", "", _one_line(str(exc))) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return _error(f"Timed out connecting to {host}: {url}")
    if isinstance(exc, httpx.TimeoutException):
        return _timed_out(timeout, url)
    if isinstance(exc, httpx.ConnectError):
        if "ssl" in reason.lower() or "certificate" in reason.lower():
            return _error(f"TLS error with {host}: {reason}")
        return _error(f"Could not connect to {host}: {reason}")
    if isinstance(exc, httpx.DecodingError):
        return _error(f"Could not decode the compressed body ({reason}): {url}")
    return _error(f"Could not fetch {url}: {reason}")


def _phrase(status: int, reason: str) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return reason[:60]


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB".replace(".0 ", " ")
    if n >= 1024:
        return f"{n / 1024:.1f} KiB".replace(".0 ", " ")
    return f"{n} bytes"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())
