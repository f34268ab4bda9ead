"""Fetching one web page for ``newscli add URL``.

Only http(s) is spoken, at every redirect hop. The whole fetch runs against one wall-clock
deadline (``timeout``): a watchdog shuts the socket down when it passes, so a server that
trickles bytes cannot hold us longer. The body is capped while it streams, after gzip/deflate
decoding. Every failure is a ``FetchError`` with a one-line message; no httpx exception escapes.

httpx (and socket, http) are imported where used. Canonical URLs are in ``newscli.urls``.
"""

from __future__ import annotations

import codecs
import functools
import re
import threading
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from newscli import __version__
from newscli.errors import FetchError

if TYPE_CHECKING:
    import socket
    import ssl

    import httpx

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

WEB_SCHEMES = frozenset({"http", "https"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ACCEPTED_TYPES = HTML_TYPES | {"text/plain"}
# What feeds are served as, in the wild: the proper types, generic XML/JSON, and text/plain.
FEED_TYPES = frozenset(
    {
        "application/rss+xml", "application/atom+xml", "application/rdf+xml",
        "application/x-rss+xml", "application/x-atom+xml", "text/rss+xml", "text/atom+xml",
        "application/feed+json", "application/xml", "text/xml", "application/json",
        "text/plain", "application/octet-stream",
    }
)  # fmt: skip
PERMANENT_REDIRECTS = frozenset({301, 308})

_ALLOWED = "only http:// and https:// URLs can be fetched"
_SNIFF_BYTES = 1024

@dataclass(frozen=True)
class Fetched:
    url: str  # final URL after redirects
    status: int
    content_type: str  # media type only, lower-case, e.g. "text/html"
    charset: str | None  # from the Content-Type header, if given and known to Python
    body: bytes
    # Response headers, names lower-cased; and each redirect followed: (status, target URL).
    headers: dict[str, str] = field(default_factory=dict, compare=False)
    redirects: tuple[tuple[int, str], ...] = field(default=(), compare=False)


class HTTPStatusError(FetchError):
    """The server answered with an error status; its headers (Retry-After…) are kept."""

    def __init__(self, message: str, status: int, headers: dict[str, str]) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers


def user_agent() -> str:
    return f"newscli/{__version__} (+https://github.com/newscli/newscli)"


def fetch(
    url: str,
    *,
    timeout: float = 15.0,
    connect_timeout: float = 5.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = 5,
    headers: dict[str, str] | None = None,
    types: frozenset[str] = ACCEPTED_TYPES,
    not_modified: bool = False,
    refuse_local: bool = False,
) -> Fetched:
    """GET an http(s) page that is HTML (or plain text), following at most ``max_redirects``.

    ``timeout`` bounds the whole fetch, redirects and body included; ``connect_timeout`` bounds
    each TCP/TLS connection. Raises ``FetchError`` for anything that is not such a page.

    For feeds: ``headers`` are sent on every hop (Accept, If-None-Match…), ``types`` are the
    media types accepted (a body without a Content-Type is then left for the caller to
    sniff), and with ``not_modified`` a 304 is returned (empty body) rather than refused.
    An error status raises ``HTTPStatusError``, which keeps the response headers. With
    ``refuse_local``, no hop may lead to the local network (see ``is_local``): for URLs that
    a remote party chose, such as the links of a feed's entries.
    """
    url = url.strip()
    _require_web_url(url)
    if refuse_local and is_local(urlsplit(url).hostname or ""):
        raise _error(f"Refused a URL on the local network: {url}")

    import httpx

    watchdog = _Watchdog(time.monotonic() + timeout)
    sent = {
        "User-Agent": user_agent(),
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
        **(headers or {}),
    }
    current = url
    seen: set[str] = set()
    chain: list[tuple[int, str]] = []
    try:
        with httpx.Client(
            headers=sent,
            verify=_tls_context(),
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
                        chain.append((response.status_code, target))
                        if str(httpx.URL(target)) in seen:
                            raise _error(f"Redirect loop: {current} leads back to {target}")
                        if len(chain) > max_redirects:
                            raise _error(f"Too many redirects (more than {max_redirects}): {url}")
                        if refuse_local and is_local(urlsplit(target).hostname or ""):
                            raise _error(f"Refused a redirect from {current} to the local "
                                         f"network: {target}")
                        current = target
                        continue
                    page = _page(response, current, max_bytes, watchdog, timeout, types,
                                 not_modified)
                    return replace(page, redirects=tuple(chain))
                finally:
                    response.close()
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        if watchdog.expired:
            raise _timed_out(timeout, current) from None
        raise _network_error(exc, current, timeout) from None
    finally:
        watchdog.cancel()


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One certificate store per process: building it costs ~30 ms, once per client
    otherwise (a feed update makes hundreds). SSLContext is safe to share across threads."""
    import httpx

    create = getattr(httpx, "create_ssl_context", None)  # public since httpx 0.28
    if create is not None:
        return create()  # what httpx would build: certifi, or $SSL_CERT_FILE
    import ssl

    import certifi

    return ssl.create_default_context(cafile=certifi.where())


@functools.lru_cache(maxsize=1024)
def is_local(host: str) -> bool:
    """Whether a host name is, or resolves to, a loopback, private or link-local address."""
    import ipaddress
    import socket

    if not host or host == "localhost" or host.endswith((".localhost", ".local")):
        return True
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host.strip("[]"), None)}
    except (OSError, UnicodeError):
        return False  # unresolvable: the fetch itself will fail and say so
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified:
            return True
    return False


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
    response: httpx.Response,
    url: str,
    max_bytes: int,
    watchdog: _Watchdog,
    timeout: float,
    types: frozenset[str] = ACCEPTED_TYPES,
    not_modified: bool = False,
) -> Fetched:
    status = response.status_code
    headers = {name.lower(): value for name, value in response.headers.items()}
    content_type, charset = parse_content_type(response.headers.get("content-type"))
    if status == 304 and not_modified:
        return Fetched(str(response.url), status, content_type, charset, b"", headers)
    if not 200 <= status < 300:
        phrase = _phrase(status, response.reason_phrase)
        if 300 <= status < 400:
            message = f"HTTP {status} {phrase} without a redirect target: {url}"
        else:
            message = f"HTTP {status} {phrase}: {url}"
        raise HTTPStatusError(_one_line(message), status, headers)

    if content_type and content_type not in types:
        what = "an HTML page" if types is ACCEPTED_TYPES else "a feed"
        raise _error(f"Not {what} ({content_type}): {url}")

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

    if not content_type and types is ACCEPTED_TYPES:
        if not _looks_like_html(body):
            raise _error(f"No Content-Type, and the body does not look like HTML: {url}")
        content_type = "text/html"
    return Fetched(str(response.url), status, content_type, charset, body, headers)


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
