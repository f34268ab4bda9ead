"""newscli.fetch against a local server: what `newscli add URL` gets, or the one-line error."""

from __future__ import annotations

import gzip
import itertools
import socket
import time
import zlib
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscli import __version__
from newscli.errors import FetchError
from newscli.fetch import DEFAULT_MAX_BYTES, Fetched, fetch, user_agent
from newscli.urls import canonical_url
from tests.httpserver import LocalServer, Reply, local_server_fixture  # noqa: F401

PAGE = b"<!doctype html><html><head><title>T</title></head><body><p>Hi</p></body></html>"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment must not stand between the tests and 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def fetch_error(url: str, **kwargs: float) -> str:
    with pytest.raises(FetchError) as info:
        fetch(url, **kwargs)  # type: ignore[arg-type]
    message = info.value.message
    assert "\n" not in message
    return message


# -- pages that are fetched --------------------------------------------------------------------


def test_html_page_with_charset(local_server: LocalServer) -> None:
    url = local_server.route("/a", Reply(body=PAGE, content_type='text/html; Charset="ISO-8859-1"'))

    page = fetch(url)

    assert page == Fetched(url=url, status=200, content_type="text/html", charset="iso-8859-1",
                           body=PAGE)


def test_sends_a_user_agent_naming_newscli_and_its_version(local_server: LocalServer) -> None:
    fetch(local_server.route("/", Reply(body=PAGE)))

    assert local_server.requests[0].headers["User-Agent"] == user_agent()
    assert f"newscli/{__version__}" in user_agent()


@pytest.mark.parametrize("content_type", ["application/xhtml+xml", "text/plain; charset=utf-8"])
def test_xhtml_and_plain_text_are_accepted(local_server: LocalServer, content_type: str) -> None:
    page = fetch(local_server.route("/a", Reply(body=b"words", content_type=content_type)))

    assert page.content_type == content_type.split(";")[0]
    assert page.body == b"words"


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=no-such-codec", "text/html; charset=", "text/html"]
)
def test_unknown_or_missing_charset_gives_bytes_and_none(
    local_server: LocalServer, content_type: str
) -> None:
    body = "<p>caf\u00e9</p>".encode("cp1252")
    page = fetch(local_server.route("/a", Reply(body=body, content_type=content_type)))

    assert (page.content_type, page.charset, page.body) == ("text/html", None, body)


@pytest.mark.parametrize("body", [PAGE, b"\n  <p>fragment</p>", b"<!-- c -->\n<HTML><p>x"])
def test_missing_content_type_is_sniffed_as_html(local_server: LocalServer, body: bytes) -> None:
    page = fetch(local_server.route("/a", Reply(body=body, content_type=None)))

    assert (page.content_type, page.charset, page.body) == ("text/html", None, body)


def test_missing_content_type_and_not_html_is_refused(local_server: LocalServer) -> None:
    url = local_server.route("/a", Reply(body=b"%PDF-1.7 binary", content_type=None))

    assert fetch_error(url) == f"No Content-Type, and the body does not look like HTML: {url}"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_body_is_decoded(local_server: LocalServer, encoding: str) -> None:
    packed = gzip.compress(PAGE) if encoding == "gzip" else zlib.compress(PAGE)
    url = local_server.route("/z", Reply(body=packed, headers={"Content-Encoding": encoding}))

    assert fetch(url).body == PAGE


# -- redirects ---------------------------------------------------------------------------------


def test_redirect_chain_is_followed_and_final_url_reported(local_server: LocalServer) -> None:
    final = local_server.route("/final", Reply(body=PAGE))
    local_server.route("/two", Reply(status=302, headers={"Location": "/final"}))  # relative
    local_server.route("/one", Reply(status=301, headers={"Location": local_server.url("/two")}))
    start = local_server.route("/start", Reply(status=307, headers={"Location": "one"}))

    page = fetch(start, max_redirects=3)

    assert (page.url, page.status, page.body) == (final, 200, PAGE)
    assert [r.path for r in local_server.requests] == ["/start", "/one", "/two", "/final"]


def chain(server: LocalServer, hops: int) -> str:
    """/r0 -> /r1 -> ... -> /r<hops> (a page); returns the first URL."""
    server.route(f"/r{hops}", Reply(body=PAGE))
    for i in range(hops):
        server.route(f"/r{i}", Reply(status=302, headers={"Location": f"/r{i + 1}"}))
    return server.url("/r0")


def test_max_redirects_is_allowed_one_more_is_not(local_server: LocalServer) -> None:
    start = chain(local_server, 3)

    assert fetch(start, max_redirects=3).url == local_server.url("/r3")
    assert fetch_error(start, max_redirects=2) == f"Too many redirects (more than 2): {start}"


def test_redirect_loop_is_reported(local_server: LocalServer) -> None:
    a = local_server.route("/a", Reply(status=302, headers={"Location": "/b"}))
    b = local_server.route("/b", Reply(status=302, headers={"Location": "/a"}))

    assert fetch_error(a) == f"Redirect loop: {b} leads back to {a}"
    assert len(local_server.requests) == 2


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)"]
)
def test_redirect_to_a_non_web_scheme_is_refused(local_server: LocalServer, location: str) -> None:
    url = local_server.route("/a", Reply(status=302, headers={"Location": location}))

    message = fetch_error(url)

    assert message == (
        f"Refused a redirect from {url} to a non-web URL "
        f"(only http:// and https:// are followed): {location}"
    )
    assert len(local_server.requests) == 1


def test_redirect_without_location_is_an_error(local_server: LocalServer) -> None:
    url = local_server.route("/a", Reply(status=302))

    assert fetch_error(url) == f"HTTP 302 Found without a redirect target: {url}"


# -- refusals and HTTP errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "phrase"), [(404, "Not Found"), (500, "Internal Server Error"), (403, "Forbidden")]
)
def test_http_error_is_one_line(local_server: LocalServer, status: int, phrase: str) -> None:
    url = local_server.route("/e", Reply(status=status, body=b"<h1>oops</h1>\n<p>trace</p>"))

    assert fetch_error(url) == f"HTTP {status} {phrase}: {url}"


def test_unknown_path_on_the_test_server_is_404(local_server: LocalServer) -> None:
    url = local_server.url("/nothing-here")

    assert fetch_error(url) == f"HTTP 404 Not Found: {url}"


@pytest.mark.parametrize(
    "content_type", ["application/pdf", "image/png", "application/json; charset=utf-8"]
)
def test_non_html_content_type_is_refused(local_server: LocalServer, content_type: str) -> None:
    url = local_server.route("/doc", Reply(body=b"%PDF-1.7", content_type=content_type))

    media_type = content_type.split(";")[0]
    assert fetch_error(url) == f"Not an HTML page ({media_type}): {url}"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd",
         "Only http:// and https:// URLs can be fetched, not file: "
         "'file:///etc/passwd'"),
        ("ftp://127.0.0.1/a.html",
         "Only http:// and https:// URLs can be fetched, not ftp: "
         "'ftp://127.0.0.1/a.html'"),
        ("data:text/html,<p>x</p>",
         "Only http:// and https:// URLs can be fetched, not data: "
         "'data:text/html,<p>x</p>'"),
        ("javascript:alert(1)",
         "Only http:// and https:// URLs can be fetched, not javascript: "
         "'javascript:alert(1)'"),
        ("example.com/news",
         "Not a web address: 'example.com/news' (only http:// and https:// URLs can be fetched)"),
        ("localhost:8000/a",
         "Not a web address: 'localhost:8000/a' (only http:// and https:// URLs can be fetched)"),
        ("http:///path-only", "No host name in 'http:///path-only'"),
    ],
)  # fmt: skip
def test_non_web_urls_are_refused_without_connecting(
    monkeypatch: pytest.MonkeyPatch, url: str, message: str
) -> None:
    import httpx

    def no_client(*args: object, **kwargs: object) -> None:
        raise AssertionError("a client was created")

    monkeypatch.setattr(httpx, "Client", no_client)

    assert fetch_error(url) == message


def test_missing_scheme_hints_at_https() -> None:
    with pytest.raises(FetchError) as info:
        fetch("example.com/news")

    assert info.value.hint == "Did you mean https://example.com/news?"


# -- size caps ---------------------------------------------------------------------------------


def test_default_cap_is_ten_mebibytes() -> None:
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024


def test_body_at_the_cap_is_accepted(local_server: LocalServer) -> None:
    body = b"<" + b"x" * 999
    assert fetch(local_server.route("/a", Reply(body=body)), max_bytes=1000).body == body


def trickle(first: bytes, pause: float) -> Iterator[bytes]:
    yield first
    for _ in range(100):
        time.sleep(pause)
        yield b"x"


def test_content_length_over_the_cap_is_refused_before_reading(local_server: LocalServer) -> None:
    # Only a few bytes ever arrive: reading the body would end in a timeout, not this message.
    url = local_server.route(
        "/big",
        lambda request: Reply(body=trickle(b"<html>", 0.5), headers={"Content-Length": "5000000"}),
    )

    started = time.monotonic()
    message = fetch_error(url, max_bytes=1024 * 1024, timeout=3)

    assert message == f"Page is 4.8 MiB, over the 1 MiB limit: {url}"
    assert time.monotonic() - started < 1


def test_endless_body_without_content_length_is_cut_at_the_cap(local_server: LocalServer) -> None:
    url = local_server.route(
        "/endless", lambda request: Reply(body=itertools.repeat(b"<p>" + b"x" * 8189))
    )

    assert fetch_error(url, max_bytes=100_000, timeout=5) == (
        f"Page is larger than the 97.7 KiB limit: {url}"
    )


def test_cap_applies_to_the_decoded_body(local_server: LocalServer) -> None:
    bomb = gzip.compress(b"<" + b"\0" * 2_000_000)  # about 2 KB on the wire
    url = local_server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))

    assert len(bomb) < 10_000
    assert fetch_error(url, max_bytes=1024 * 1024) == f"Page is larger than the 1 MiB limit: {url}"


# -- timeouts and network errors ---------------------------------------------------------------


def test_server_slow_to_answer_hits_the_timeout(local_server: LocalServer) -> None:
    url = local_server.route("/slow", Reply(body=PAGE, delay=3))

    started = time.monotonic()
    assert fetch_error(url, timeout=0.5) == f"Timed out after 0.5 s: {url}"
    assert time.monotonic() - started < 1.2


def test_trickling_body_cannot_outlast_the_total_timeout(local_server: LocalServer) -> None:
    url = local_server.route("/trickle", lambda request: Reply(body=trickle(b"<html>", 0.1)))

    started = time.monotonic()
    assert fetch_error(url, timeout=0.6) == f"Timed out after 0.6 s: {url}"
    assert time.monotonic() - started < 1.2


def test_deadline_holds_while_blocked_in_a_read(local_server: LocalServer) -> None:
    # Each read finishes within any per-read timeout, but the one started at 0.6 s would end
    # at 1.5 s: only a wall-clock deadline stops it at 1 s.
    def body() -> Iterator[bytes]:
        yield b"<html>"
        time.sleep(0.6)
        yield b"<p>"
        time.sleep(0.9)
        yield b"late"

    url = local_server.route("/gap", lambda request: Reply(body=body()))

    started = time.monotonic()
    assert fetch_error(url, timeout=1.0) == f"Timed out after 1 s: {url}"
    assert time.monotonic() - started < 1.4


def test_timeout_covers_the_whole_redirect_chain(local_server: LocalServer) -> None:
    local_server.route("/end", Reply(body=PAGE, delay=0.4))
    local_server.route("/mid", Reply(status=302, headers={"Location": "/end"}, delay=0.4))
    start = local_server.route("/start", Reply(status=302, headers={"Location": "/mid"}))

    started = time.monotonic()
    assert fetch_error(start, timeout=0.6) == f"Timed out after 0.6 s: {local_server.url('/end')}"
    assert time.monotonic() - started < 1.1


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_refused_connection_is_one_line() -> None:
    port = closed_port()

    assert fetch_error(f"http://127.0.0.1:{port}/") == (
        "Could not connect to 127.0.0.1: Connection refused"
    )


def test_tls_failure_is_one_line(local_server: LocalServer) -> None:
    # The local server speaks plain HTTP, so the TLS handshake fails.
    message = fetch_error(f"https://127.0.0.1:{local_server.port}/", timeout=3)

    assert message.startswith("TLS error with 127.0.0.1: ")


# -- canonical URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.COM/News/A", "https://example.com/News/A"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com?", "https://example.com/"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a?#top", "https://example.com/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
        ("https://example.com/a?id=7&utm_campaign=x&page=2", "https://example.com/a?id=7&page=2"),
        ("https://example.com/a?z=1&a=2&m=3", "https://example.com/a?a=2&m=3&z=1"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?t=2&t=1&a=0", "https://example.com/a?a=0&t=2&t=1"),
        ("https://example.com/a?UTM_Source=x&fbclid=1&gclid=2&id=3", "https://example.com/a?id=3"),
        ("https://example.com/a?mc_cid=1&mc_eid=2&igshid=3", "https://example.com/a"),
        ("https://example.com/a?ref=hn&ref_src=twsrc&cmpid=4&smid=5", "https://example.com/a"),
        ("https://example.com/a?reference=1&refs=2", "https://example.com/a?reference=1&refs=2"),
        ("https://example.com/a?q=a%20b&x=%2F", "https://example.com/a?q=a%20b&x=%2F"),
        ("https://example.com/a?flag&utm_x=1", "https://example.com/a?flag"),
        ("https://example.com/a?a=1&&b=2", "https://example.com/a?a=1&b=2"),
        ("https://User:Pw@Example.com:443/", "https://User:Pw@example.com/"),
        ("http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"),
        ("http://[2001:db8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_urls_differing_only_in_tracking_are_the_same_article() -> None:
    shared = "https://news.example/2024/05/story?id=9"
    assert canonical_url(shared + "&utm_source=twitter#comments") == canonical_url(
        "HTTPS://NEWS.EXAMPLE:443/2024/05/story?fbclid=abc&id=9"
    )


_segment = st.text(alphabet="abcXYZ019-._~%", min_size=0, max_size=8)
_name = st.sampled_from(["id", "page", "q", "utm_source", "UTM_term", "fbclid", "ref", "x"])
_urls = st.builds(
    lambda scheme, host, port, path, query, fragment: (
        f"{scheme}://{host}{port}/{'/'.join(path)}{query}{fragment}"
    ),
    st.sampled_from(["http", "https", "HTTP", "Https"]),
    st.from_regex(r"[A-Za-z0-9]{1,10}(\.[A-Za-z]{2,5}){0,2}", fullmatch=True),
    st.sampled_from(["", ":", ":80", ":443", ":8080", ":0443"]),
    st.lists(_segment, max_size=4),
    st.lists(st.tuples(_name, _segment), max_size=5).map(
        lambda pairs: ("?" + "&".join(f"{k}={v}" for k, v in pairs)) if pairs else ""
    ),
    st.sampled_from(["", "#", "#frag", "#a?b=c"]),
)


@given(_urls)
def test_canonical_url_is_idempotent_and_drops_tracking(url: str) -> None:
    once = canonical_url(url)

    assert canonical_url(once) == once
    assert "#" not in once and not once.endswith("?")
    assert once.split("://")[0] in ("http", "https")
    query = once.partition("?")[2]
    names = [piece.split("=")[0].lower() for piece in query.split("&") if piece]
    assert not any(name.startswith("utm_") or name in ("fbclid", "ref") for name in names)


@given(st.text(max_size=60) | st.from_regex(r"[a-zA-Z]{1,5}:/{0,5}[^ ]{0,40}", fullmatch=True))
def test_canonical_url_never_fails_and_is_idempotent_on_any_text(text: str) -> None:
    once = canonical_url(text)

    assert canonical_url(once) == once


@pytest.mark.parametrize(
    ("url", "canonical"),
    [("http://[", "http://["), ("x:////", "x:"), ("http://h:\u00b2/", "http://h:\u00b2/"),
     ("0 ?", "0")],
)
def test_canonical_url_odd_inputs(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
