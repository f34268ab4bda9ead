"""Real feeds and OPML files from ../shared/feeds, served from a local server, read in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newscli.feeds import FeedError, opml, schedule
from newscli.feeds.entries import FULL_TEXT_MIN_WORDS, identity_keys
from newscli.feeds.parse import ParsedEntry, parse_feed
from tests.feedkit import FEEDS, articles, feeds, front
from tests.httpserver import LocalServer, Reply, local_server_fixture  # noqa: F401

TYPES = {".xml": "application/xml", ".atom": "application/atom+xml",
         ".rss": "application/rss+xml", ".json": "application/feed+json"}
# fixture → articles written from it (entries less the skipped, blank or repeated ones)
EXPECTED = {
    "miniflux/encoding_ISO-8859-1.xml": 40,
    "miniflux/large_atom.xml": 25,
    "miniflux/large_rss.xml": 25,
    "miniflux/no_encoding_ISO-8859-1.xml": 9,
    "miniflux/small_atom.xml": 20,
    "newsboat/atom10_1.xml": 3,
    "newsboat/atom10_2.xml": 6,
    "newsboat/atom10_feed_authors.xml": 9,
    "newsboat/items_without_titles.xml": 5,  # an id repeated, with distinct links
    "newsboat/multiple_item_links.atom": 1,
    "reader/full.atom": 5,
    "reader/full.rss": 5,
    "reader/full.json": 2,
    "reader/empty.json": 1,
    "reader/10.json": 0,
    "reader/invalid.json": 7,  # and one item skipped
    "reader/relative.atom": 1,
    "reader/relative.rss": 1,
}


def serve(server: LocalServer, name: str, content_type: str | None = None) -> str:
    path = FEEDS / name
    return server.route(f"/feeds/{path.name}",
                        Reply(body=path.read_bytes(),
                              content_type=content_type or TYPES[path.suffix]))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_real_feed_becomes_articles(name: str, local_server: LocalServer,
                                          tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    url = serve(local_server, name)
    result = run(store, "feed", "add", url, "--full-text", "never", "--name", "f")
    assert result.exit_code == 0, result.stderr
    assert f": {EXPECTED[name]} new" in result.stdout
    assert len(articles(store)) == EXPECTED[name]
    for path in articles(store):
        meta = front(store / path)
        assert f"feed: {url}" in meta and "entry_id: " in meta and "title: " in meta


def test_declared_and_undeclared_latin1_feeds_decode(local_server: LocalServer,
                                                      tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    run(store, "feed", "add", serve(local_server, "miniflux/encoding_ISO-8859-1.xml",
                                    "application/rss+xml"), "--full-text", "never")
    titles = run(store, "list", "--json").stdout
    assert "Porträt" in titles and "\\ufffd" not in titles
    other = tmp_path / "o"
    # declared as UTF-8 by the header, but the bytes are ISO-8859-1
    run(other, "feed", "add", serve(local_server, "miniflux/no_encoding_ISO-8859-1.xml",
                                    "application/rss+xml; charset=utf-8"),
        "--full-text", "never")
    assert "criminalité" in run(other, "list", "--json").stdout


def test_relative_links_resolve_against_the_feed_url(local_server: LocalServer,
                                                     tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    run(store, "feed", "add", serve(local_server, "reader/relative.rss"), "--full-text", "never")
    [path] = articles(store)
    text = (store / path).read_text("utf-8")
    assert f"url: {local_server.url('/feeds/blog/post/1')}" in text
    assert "<script" not in text


def test_an_invalid_json_feed_item_is_skipped_with_a_warning(local_server: LocalServer,
                                                             tmp_path: Path, run) -> None:
    result = run(tmp_path / "s", "feed", "add", serve(local_server, "reader/invalid.json"),
                 "--full-text", "never")
    assert result.exit_code == 0
    assert "warning" in result.stderr and "skipped" in result.stderr


def test_entries_without_titles_get_one_from_their_text(local_server: LocalServer,
                                                        tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    run(store, "feed", "add", serve(local_server, "newsboat/items_without_titles.xml"),
        "--full-text", "never")
    titles = sorted(line for path in articles(store)
                    for line in front(store / path).splitlines() if line.startswith("title:"))
    assert titles == ["title: some content"] * 5


def test_json_feed_parsing_keeps_authors_dates_and_html() -> None:
    feed = parse_feed((FEEDS / "reader/full.json").read_bytes(), url="https://example.org/f")
    first = feed.entries[0]
    assert (feed.title, first.id, first.title) == ("My Example Feed", "2", "Title")
    assert first.date == "2020-01-02T14:00:00-07:00" and first.author == "Joe, Jane"
    assert 'href="http://example.com/"' in first.html
    with pytest.raises(FeedError, match="JSON Feed version"):
        parse_feed(b'{"items": []}', url="u")


def test_the_full_text_threshold_separates_teasers_from_articles() -> None:
    """The measurement behind FULL_TEXT_MIN_WORDS (bench/feed_text_lengths.py prints it)."""
    from newscli.feeds.entries import body_blocks
    from newscli.model import Article, Meta

    def words(name: str) -> list[int]:
        parsed = parse_feed((FEEDS / name).read_bytes(), url="https://example.org/")
        return [Article(Meta(), body_blocks(e.html, "https://example.org/")).words
                for e in parsed.entries]

    assert max(words("miniflux/encoding_ISO-8859-1.xml")) < FULL_TEXT_MIN_WORDS  # teasers
    assert min(words("miniflux/large_rss.xml")) > FULL_TEXT_MIN_WORDS  # whole posts


def test_identity_prefers_unique_ids_then_links_then_title_and_date() -> None:
    entries = [ParsedEntry(id="a", link="https://x/1"), ParsedEntry(id="dup", link="https://x/2"),
               ParsedEntry(id="dup", link="https://x/3?utm_source=feed"),
               ParsedEntry(title="T", date="2024-01-01"), ParsedEntry(html="<p>only text</p>")]
    keys = identity_keys(entries)
    assert keys[:3] == ["id:a", "url:https://x/2", "url:https://x/3"]
    assert keys[3].startswith("td:") and keys[4].startswith("text:")


# -- OPML ------------------------------------------------------------------------------------


def test_opml_import_takes_every_xmlurl_and_folders_become_tags(tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    dry = run(store, "feed", "import", str(FEEDS / "newsboat/example.opml"), "--dry-run")
    assert dry.exit_code == 0 and dry.stdout.count("would add ") == 7
    assert feeds(run, store) == {}
    result = run(store, "feed", "import", str(FEEDS / "newsboat/example.opml"))
    assert result.exit_code == 0, result.stderr
    found = feeds(run, store)
    assert len(found) == 7
    assert found["Notes by Mike"]["tags"] == ["Blogs", "friends"]
    assert found["Notes by Mike"]["url"] == "https://blogs.example.com/~mike/.rss"
    assert found["Fred on everything"]["tags"] == ["eloquent"]
    assert found["example.com website"]["tags"] == []
    again = run(store, "feed", "import", str(FEEDS / "newsboat/example.opml"))
    assert "0 feeds added, 7 already subscribed" in again.stderr


def test_opml_categories_and_a_missing_body(tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    run(store, "feed", "import", str(FEEDS / "newsboat/category.opml"))
    [feed] = feeds(run, store).values()
    assert feed["tags"] == ["tag one", "tag_two", "tag/three"]
    result = run(store, "feed", "import", str(FEEDS / "newsboat/body-element-missing.opml"))
    assert result.exit_code == 1 and "no <body>" in result.stderr


@pytest.mark.parametrize("name", ["example.opml", "example2.opml", "filtered.opml",
                                  "category.opml"])
def test_opml_export_round_trips(name: str, tmp_path: Path, run) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    run(first, "feed", "import", str(FEEDS / "newsboat" / name))
    exported = tmp_path / "out.opml"
    assert run(first, "feed", "export", "-o", str(exported)).exit_code == 0
    run(second, "feed", "import", str(exported))

    def view(store: Path) -> list[tuple[str, str, list[str]]]:
        return sorted((f["name"], f["url"], f["tags"]) for f in feeds(run, store).values())

    assert view(first) == view(second) and view(first)
    assert run(second, "feed", "export").stdout == exported.read_text("utf-8")


def test_opml_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<opml><body><outline title="&b;" xmlUrl="https://x.example/f"/></body></opml>')
    with pytest.raises(FeedError, match="declares XML entities"):
        opml.read(bomb, "bomb.opml")


# -- schedule --------------------------------------------------------------------------------


def test_retry_after_both_forms_and_caps() -> None:
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    assert schedule.retry_after("120", now) == 120
    assert schedule.retry_after("Tue, 01 Dec 2026 13:00:00 GMT", now) == 3600
    assert schedule.retry_after("99999999", now) == schedule.MAX_RETRY_AFTER
    assert schedule.retry_after("soon", now) is None


def test_next_check_honours_cache_headers_within_bounds() -> None:
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    assert schedule.after_success(now, {"cache-control": "public, max-age=7200"}, None)[1] == 7200
    assert schedule.after_success(now, {"expires": "Tue, 01 Dec 2026 15:00:00 GMT"},
                                  None)[1] == 3 * 3600
    assert schedule.after_success(now, {"cache-control": "max-age=60"}, None)[1] == \
        schedule.DEFAULT_INTERVAL
    assert schedule.after_success(now, {}, 10 ** 9)[1] == schedule.MAX_INTERVAL
    assert [schedule.backoff(n) for n in (1, 2, 3, 30)] == [3600, 7200, 14400,
                                                           schedule.MAX_BACKOFF]


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/plain",
                                          "application/octet-stream", "application/x-rss+xml",
                                          None])
def test_a_feed_served_with_a_wrong_type_is_still_read(
        content_type: str | None, local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    path = FEEDS / "reader/full.atom"
    url = local_server.route("/f", Reply(body=path.read_bytes(), content_type=content_type))
    result = run(store, "feed", "add", url, "--full-text", "never")
    assert result.exit_code == 0, result.stderr
    assert len(articles(store)) == EXPECTED["reader/full.atom"]


RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF News</title>
    <link>https://rdf.example/</link><description>d</description></channel>
  <item rdf:about="https://rdf.example/1"><title>First RDF story</title>
    <link>https://rdf.example/1</link><dc:date>2024-05-01T10:00:00Z</dc:date>
    <description>Words of the first story.</description></item>
</rdf:RDF>"""
RSS091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old News</title>
<link>https://old.example/</link><description>d</description><language>en</language>
<item><title>An old-style story</title><link>https://old.example/1</link>
<description>Words of it.</description></item></channel></rss>"""


@pytest.mark.parametrize(("body", "kind", "title"), [(RDF, "rss10", "First RDF story"),
                                                     (RSS091, "rss091u", "An old-style story")])
def test_rss_1_0_and_0_91(body: bytes, kind: str, title: str) -> None:
    feed = parse_feed(body, url="https://example.org/feed")
    assert feed.kind == kind and [e.title for e in feed.entries] == [title]
    assert feed.entries[0].link.startswith("https://")
