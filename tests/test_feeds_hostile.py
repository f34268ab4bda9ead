"""Hostile feeds: each gives a clear per-feed error or a safe, bounded result, and a feed that
fails leaves nothing written."""

from __future__ import annotations

import gzip
import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feedkit import RSS_TYPE, articles, feeds, item, rss
from tests.hostile import CONTROLS, ESC, INVISIBLE, PAYLOADS
from tests.httpserver import LocalServer, Reply, local_server_fixture  # noqa: F401

BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaaaaaaaaaaaa">\n'
        + b"".join(b'<!ENTITY %s "%s">\n' % (chr(98 + n).encode(),
                                             (b"&%s;" % chr(97 + n).encode()) * 10)
                   for n in range(9))
        + b'] >\n<rss version="2.0"><channel><title>&j;</title><item><title>&j;</title>'
        b"<guid>1</guid></item></channel></rss>")


def endless() -> Iterator[bytes]:
    yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>Endless</title>'
    for n in itertools.count():
        yield b"<item><title>t%d</title><guid>g%d</guid></item>" % (n, n) * 50


def slow() -> Iterator[bytes]:
    yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>'
    for _ in range(100):
        time.sleep(0.2)
        yield b"<item><title>slow</title></item>"


HOSTILE = {
    "entity bomb": (Reply(body=BOMB, content_type=RSS_TYPE), "declares XML entities"),
    "gzip bomb": (Reply(body=gzip.compress(b"<rss>" + b" " * 30_000_000), content_type=RSS_TYPE,
                        headers={"Content-Encoding": "gzip"}), "larger than the 10 MiB limit"),
    "never-ending feed": (Reply(body=endless(), content_type=RSS_TYPE),
                          "larger than the 10 MiB limit"),
    "50 MB feed": (Reply(body=rss([item(1)]) + b" " * 50_000_000, content_type=RSS_TYPE),
                   "over the 10 MiB limit"),
    "slow server": (Reply(body=slow(), content_type=RSS_TYPE), "Timed out after 1 s"),
    "not XML at all": (Reply(body=b"\x00\x01garbage<<<>>>" * 100, content_type=RSS_TYPE),
                       "not a feed"),
    "HTML instead of a feed": (Reply(body=b"<html><body>Hello</body></html>"), "no feed at"),
    "unreadable JSON Feed": (Reply(body=b'{"version": "https://jsonfeed.org/version/1.1", '
                                   b'"items": [1, "x", null]}',
                                   content_type="application/feed+json"), "every entry"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_feed_is_refused_at_subscription(case: str, local_server: LocalServer,
                                                   tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    reply, message = HOSTILE[case]
    url = local_server.route("/feed.xml", reply)
    result = run(store, "feed", "add", url, "--timeout", "1")
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert articles(store) == [] and feeds(run, store) == {}


@pytest.mark.parametrize("case", ["entity bomb", "gzip bomb", "never-ending feed", "slow server"])
def test_a_feed_turning_hostile_fails_alone_and_writes_nothing(
        case: str, local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    state = {"hostile": False}
    good = Reply(body=rss([item(1)]), content_type=RSS_TYPE)
    url = local_server.route("/feed.xml", lambda r: HOSTILE[case][0] if state["hostile"]
                             else good)
    other = local_server.route("/other.xml", Reply(body=rss([item(5)], title="Other"),
                                                   content_type=RSS_TYPE))
    run(store, "feed", "add", url, "--full-text", "never")
    run(store, "feed", "add", other, "--full-text", "never")
    state["hostile"] = True
    local_server.route("/other.xml", Reply(body=rss([item(5), item(6)], title="Other"),
                                           content_type=RSS_TYPE))
    result = run(store, "feed", "update", "--force", "--timeout", "1")
    assert result.exit_code == 1
    assert "Test News: error: " in result.stdout and "Other: 1 new" in result.stdout
    assert [p.split("/")[0] for p in articles(store)] == ["other", "other", "test-news"]
    assert feeds(run, store)["Test News"]["errors"] == 1


def test_malformed_xml_keeps_what_can_be_read(local_server: LocalServer, tmp_path: Path,
                                              run) -> None:
    store = tmp_path / "s"
    broken = rss([item(1), item(2)]).replace(b"</channel></rss>", b"<item><title>a & b")
    result = run(store, "feed", "add", local_server.route("/f", Reply(body=broken)),
                 "--full-text", "never")
    assert result.exit_code == 0, result.stderr
    assert len(articles(store)) >= 2


@pytest.mark.parametrize("declared", ["utf-8", "x-no-such-encoding", "utf-16"])
def test_a_wrong_declared_encoding_gives_readable_text(declared: str, local_server: LocalServer,
                                                       tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    body = rss([item(1, title="Café crème à Zürich")], charset="cp1252").replace(
        b'encoding="cp1252"', f'encoding="{declared}"'.encode())
    url = local_server.route("/f", Reply(body=body, content_type=f"text/xml; charset={declared}"))
    result = run(store, "feed", "add", url, "--full-text", "never")
    assert result.exit_code == 0, result.stderr
    [path] = articles(store)
    title = next(line for line in (store / path).read_text("utf-8").splitlines()
                 if line.startswith("title:"))
    assert "Z" in title and "rich" in title and ESC not in title


def test_ten_thousand_entries_are_bounded(local_server: LocalServer, tmp_path: Path,
                                          run) -> None:
    store = tmp_path / "s"
    body = rss([item(n, body=f"<p>Entry {n} alone.</p>") for n in range(10_000)])
    result = run(store, "feed", "add", local_server.route("/f", Reply(body=body,
                                                                      content_type=RSS_TYPE)),
                 "--full-text", "never")
    assert result.exit_code == 0, result.stderr
    assert "10000 entries; only the first 1000 are read" in result.stderr
    assert len(articles(store)) == 1000


def _payload_feed(as_json: bool) -> tuple[bytes, str]:
    texts = [p.text[:300] for p in PAYLOADS]
    scripts = ('<script>alert("x")</script><iframe src="https://evil.example/"></iframe>'
               '<a href="javascript:alert(1)">click</a><img src=x onerror="alert(1)">')
    if as_json:
        items = [{"id": str(n), "title": text, "url": f"https://ok.example/{n}",
                  "authors": [{"name": text}], "tags": [text],
                  "content_html": f"<p>{text}</p>{scripts}<p>{'word ' * 30}</p>"}
                 for n, text in enumerate(texts)]
        data = {"version": "https://jsonfeed.org/version/1.1", "title": texts[0] + " feed",
                "items": items}
        return json.dumps(data).encode(), "application/feed+json"
    printable = [t for t in texts if not CONTROLS.search(t.replace(ESC, ""))]
    entries = [item(n, title=t + "<script>alert(1)</script>", body=f"<p>{t}</p>{scripts}")
               for n, t in enumerate(printable)]
    return rss(entries, title=PAYLOADS[0].text), RSS_TYPE


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "rss"])
def test_escape_sequences_scripts_and_frames_never_get_through(
        as_json: bool, local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    body, kind = _payload_feed(as_json)
    url = local_server.route("/f", Reply(body=body, content_type=kind))
    outputs = [run(store, "feed", "add", url, "--full-text", "never").stdout,
               run(store, "feed", "update", "--force").stdout,
               run(store, "feed", "list").stdout, run(store, "feed", "list", "--json").stdout,
               run(store, "list").stdout]
    files = [(store / p).read_text("utf-8") for p in articles(store)]
    assert len(files) > 5
    for text in [*outputs, *files]:
        assert ESC not in text and not CONTROLS.search(text.replace("\n", ""))
        assert not INVISIBLE.search(text)
        for payload in PAYLOADS:
            for residue in payload.residue:
                assert residue not in text
    for text in files:
        meta, body = text.split("\n---\n", 1)
        title = next(line for line in meta.splitlines() if line.startswith("title:"))
        assert "<script" not in title and "</script" not in title
        lowered = body.lower()
        assert "<script" not in lowered and "<iframe" not in lowered
        assert "](javascript:" not in lowered and "](<javascript:" not in lowered
        assert "onerror" not in lowered and "evil.example" not in lowered


def test_feedparser_never_fetches_nor_opens_files(local_server: LocalServer, tmp_path: Path,
                                                  run) -> None:
    store = tmp_path / "s"
    local_file = tmp_path / "local.xml"
    local_file.write_bytes(rss([item(1, title="Read from a local file")]))
    secret = local_server.route("/secret", Reply(body=rss([item(2)]), content_type=RSS_TYPE))
    bodies = {
        "/url": secret.encode(),  # a body that is a URL
        "/path": str(local_file).encode(),  # a body that is a file name
        "/dtd": (b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "' + secret.encode() + b'">'
                 + rss([item(3)]).split(b"?>", 1)[1]),
    }
    for path, body in bodies.items():
        run(store, "feed", "add", local_server.route(path, Reply(body=body)), "--full-text",
            "never", "--name", path)
    assert local_server.hits("/secret") == 0
    assert all("local file" not in (store / p).read_text("utf-8") for p in articles(store))
