"""`newscli feed`: subscribing and updating against a local server, as a user would."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.feedkit import RSS_TYPE, articles, feeds, front, item, rss
from tests.httpserver import LocalServer, Reply, Request, local_server_fixture  # noqa: F401

ETAG = 'W/"5f-1a2b\\"x"'
LAST_MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT"


def subscribe(run, store: Path, url: str, *args: str):  # type: ignore[no-untyped-def]
    result = run(store, "feed", "add", url, "--full-text", "never", *args)
    assert result.exit_code == 0, result.stderr
    return result


def test_add_imports_entries_as_article_files_in_a_folder_per_feed(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    url = local_server.route("/feed.xml", Reply(body=rss([item(1), item(2)]),
                                                content_type=RSS_TYPE))
    result = subscribe(run, store, url, "--tag", "world")
    assert result.stdout == f"subscribed to Test News ({url}): 2 new\n"
    assert articles(store) == ["test-news/2026-12-01-story-number-1.md",
                               "test-news/2026-12-01-story-number-2.md"]
    meta = front(store / "test-news/2026-12-01-story-number-1.md")
    for line in ("title: Story number 1", "source: Test News",
                 "url: https://news.example/stories/1", f"feed: {url}",
                 "entry_id: urn:story:1", "text_source: feed", "- world"):
        assert line in meta.splitlines()
    assert "date: '2026-12-01T08:00:00+00:00'" in meta
    assert local_server.hits("/feed.xml") == 1  # imported from its first response
    listed = run(store, "list", "--tag", "world").stdout
    assert "Story number 1" in listed and "Story number 2" in listed


def test_add_finds_the_feed_of_a_home_page(local_server: LocalServer, tmp_path: Path,
                                           run) -> None:
    store = tmp_path / "s"
    local_server.route("/feed.xml", Reply(body=rss([item(1)]), content_type=RSS_TYPE))
    home = local_server.route("/", Reply(body=b'<html><head><link rel="alternate" '
                                         b'type="application/rss+xml" href="/feed.xml">'
                                         b"</head><body>Home</body></html>"))
    result = subscribe(run, store, home)
    assert f"({local_server.url('/feed.xml')})" in result.stdout
    assert local_server.hits("/feed.xml") == 1
    assert len(articles(store)) == 1


def test_a_page_without_a_feed_is_a_clear_error(local_server: LocalServer, tmp_path: Path,
                                                run) -> None:
    url = local_server.route("/", Reply(body=b"<html><body>No feed here</body></html>"))
    result = run(tmp_path / "s", "feed", "add", url)
    assert result.exit_code == 1
    assert "no feed at" in result.stderr and "Traceback" not in result.stderr


def test_validators_are_sent_back_byte_for_byte_and_304_changes_nothing(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    body = rss([item(1)])

    def reply(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == ETAG:
            return Reply(status=304, body=b"", content_type=None,
                         headers={"ETag": 'W/"new"'})  # a changed ETag with the 304
        return Reply(body=body, content_type=RSS_TYPE,
                     headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED})

    url = local_server.route("/feed.xml", reply)
    subscribe(run, store, url)
    before = {p: (store / p).read_bytes() for p in articles(store)}
    result = run(store, "feed", "update", "--force")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Test News: not modified\n"
    sent = local_server.requests[-1].headers
    assert sent["If-None-Match"] == ETAG
    assert sent["If-Modified-Since"] == LAST_MODIFIED
    assert "newscli/" in sent["User-Agent"]
    assert {p: (store / p).read_bytes() for p in articles(store)} == before
    run(store, "feed", "update", "--force")
    assert local_server.requests[-1].headers["If-None-Match"] == 'W/"new"'


def test_feeds_not_due_are_skipped_unless_forced_or_named(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    url = local_server.route("/feed.xml", Reply(body=rss([item(1)], ttl=180),
                                                content_type=RSS_TYPE))
    subscribe(run, store, url)
    next_check = dt.datetime.fromisoformat(feeds(run, store)["Test News"]["next_check"])
    wait = next_check - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=2, minutes=55) < wait <= dt.timedelta(hours=3)  # ttl 180 min
    result = run(store, "feed", "update")
    assert result.exit_code == 0
    assert result.stdout.startswith("Test News: not due until ")
    assert local_server.hits("/feed.xml") == 1
    run(store, "feed", "update", "Test News")
    assert local_server.hits("/feed.xml") == 2


def _failing(local_server: LocalServer, tmp_path: Path, run, reply: Reply):  # type: ignore[no-untyped-def]
    store = tmp_path / "s"
    state = {"fail": False}
    good = Reply(body=rss([item(1)]), content_type=RSS_TYPE)
    url = local_server.route("/feed.xml", lambda request: reply if state["fail"] else good)
    subscribe(run, store, url)
    state["fail"] = True
    return store, run(store, "feed", "update", "--force")


def test_retry_after_in_seconds_on_503_sets_the_next_check(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    reply = Reply(status=503, body=b"busy", headers={"Retry-After": "7200"})
    store, result = _failing(local_server, tmp_path, run, reply)
    assert result.exit_code == 1
    assert result.stdout.startswith("Test News: error: HTTP 503 Service Unavailable")
    feed = feeds(run, store)["Test News"]
    wait = dt.datetime.fromisoformat(feed["next_check"]) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=115) < wait <= dt.timedelta(minutes=120)
    assert feed["errors"] == 1 and "503" in feed["last_error"]


def test_retry_after_as_an_http_date_on_429(local_server: LocalServer, tmp_path: Path,
                                            run) -> None:
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=5)).replace(microsecond=0)
    from email.utils import format_datetime

    reply = Reply(status=429, body=b"slow down",
                  headers={"Retry-After": format_datetime(when, usegmt=True)})
    store, result = _failing(local_server, tmp_path, run, reply)
    assert result.exit_code == 1
    feed = feeds(run, store)["Test News"]
    assert abs(dt.datetime.fromisoformat(feed["next_check"]) - when) <= dt.timedelta(seconds=5)


def test_errors_back_off_but_the_feed_stays_subscribed(local_server: LocalServer,
                                                       tmp_path: Path, run) -> None:
    store, _ = _failing(local_server, tmp_path, run, Reply(status=500, body=b"oops"))
    run(store, "feed", "update", "--force")
    feed = feeds(run, store)["Test News"]
    wait = dt.datetime.fromisoformat(feed["next_check"]) - dt.datetime.now(dt.UTC)
    assert feed["errors"] == 2 and not feed["gone"]
    assert dt.timedelta(minutes=115) < wait <= dt.timedelta(minutes=120)  # 1 h doubled


def test_410_marks_the_feed_gone_and_stops_polling_it(local_server: LocalServer,
                                                      tmp_path: Path, run) -> None:
    store, result = _failing(local_server, tmp_path, run, Reply(status=410, body=b"gone"))
    assert result.exit_code == 1
    assert "gone" in result.stdout
    assert feeds(run, store)["Test News"]["gone"] is True
    [line] = run(store, "feed", "list").stdout.splitlines()
    name, url, last_ok, next_check, new, errors, state = line.split("\t")
    assert (name, errors, state) == ("Test News", "1", "gone (410)")
    hits = local_server.hits("/feed.xml")
    again = run(store, "feed", "update", "--force")
    assert again.exit_code == 0 and local_server.hits("/feed.xml") == hits


def _moved(local_server: LocalServer, tmp_path: Path, run, statuses: list[int],
           target: Reply | None = None):  # type: ignore[no-untyped-def]
    """/old.xml serves the feed, then redirects: /old.xml → /hop1 → … → /hopN, the last
    serving ``target`` (the feed with one more entry, by default)."""
    store = tmp_path / "s"
    state = {"moved": False}
    old = local_server.url("/old.xml")

    def first(request: Request) -> Reply:
        if not state["moved"]:
            return Reply(body=rss([item(1)]), content_type=RSS_TYPE)
        return Reply(status=statuses[0], headers={"Location": "/hop1"})

    local_server.route("/old.xml", first)
    for n, status in enumerate(statuses[1:], start=1):
        local_server.route(f"/hop{n}", Reply(status=status, headers={"Location": f"/hop{n + 1}"}))
    local_server.route(f"/hop{len(statuses)}",
                       target or Reply(body=rss([item(1), item(2)]), content_type=RSS_TYPE))
    subscribe(run, store, old)
    state["moved"] = True
    return store, old, run(store, "feed", "update", "--force")


def test_a_chain_of_permanent_redirects_moves_the_subscription(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store, old, result = _moved(local_server, tmp_path, run, [301, 308])
    assert result.exit_code == 0, result.stderr
    new = local_server.url("/hop2")
    assert result.stdout == f"Test News: 1 new; moved permanently, now {new}\n"
    feed = feeds(run, store)["Test News"]
    assert (feed["url"], feed["moved_from"]) == (new, old)
    run(store, "feed", "update", "--force")
    assert local_server.requests[-1].path == "/hop2"


def test_a_permanent_redirect_answered_by_304_moves_the_subscription(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    state = {"moved": False}
    old = local_server.url("/old.xml")

    def feed(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == ETAG:
            return Reply(status=304, body=b"", content_type=None)
        return Reply(body=rss([item(1)]), content_type=RSS_TYPE, headers={"ETag": ETAG})

    local_server.route("/new.xml", feed)
    local_server.route("/old.xml", lambda r: Reply(status=308, headers={"Location": "/new.xml"})
                       if state["moved"] else feed(r))
    subscribe(run, store, old)
    state["moved"] = True
    result = run(store, "feed", "update", "--force")
    new = local_server.url("/new.xml")
    assert result.stdout == f"Test News: not modified; moved permanently, now {new}\n"
    assert feeds(run, store)["Test News"]["url"] == new


def test_a_temporary_redirect_in_the_chain_keeps_the_url(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    for statuses in ([302], [301, 307]):
        local_server.routes.clear()
        store, old, result = _moved(local_server, tmp_path / str(statuses), run, statuses)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == "Test News: 1 new\n"
        assert feeds(run, store)["Test News"]["url"] == old


def test_a_permanent_redirect_to_an_html_page_is_not_trusted(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    login = Reply(body=b"<html><body><form>Log in</form></body></html>")
    store, old, result = _moved(local_server, tmp_path, run, [301], target=login)
    assert result.exit_code == 1
    assert "moved permanently to an HTML page" in result.stdout
    assert feeds(run, store)["Test News"]["url"] == old
    assert len(articles(store)) == 1


def test_a_second_update_writes_nothing_new(local_server: LocalServer, tmp_path: Path,
                                            run) -> None:
    store = tmp_path / "s"
    url = local_server.route("/feed.xml", Reply(body=rss([item(n) for n in range(5)]),
                                                content_type=RSS_TYPE))
    subscribe(run, store, url)
    before = {p: (store / p).read_bytes() for p in articles(store)}
    result = run(store, "feed", "update", "--force")
    assert result.stdout == "Test News: 0 new\n"
    assert {p: (store / p).read_bytes() for p in articles(store)} == before


def test_a_deleted_article_stays_deleted(local_server: LocalServer, tmp_path: Path,
                                         run) -> None:
    store = tmp_path / "s"
    entries = [item(1), item(2)]
    url = local_server.route("/feed.xml", lambda r: Reply(body=rss(entries),
                                                          content_type=RSS_TYPE))
    subscribe(run, store, url)
    gone = store / "test-news/2026-12-01-story-number-1.md"
    gone.unlink()
    entries[0] = item(1, body="<p>Story 1, corrected: " + "more " * 90 + "</p>")  # updated too
    result = run(store, "feed", "update", "--force")
    assert result.exit_code == 0, result.stderr
    assert not gone.exists()
    assert articles(store) == ["test-news/2026-12-01-story-number-2.md"]


def test_an_updated_entry_rewrites_its_file_unless_someone_edited_it(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    entries = [item(1), item(2)]
    url = local_server.route("/feed.xml", lambda r: Reply(body=rss(entries),
                                                          content_type=RSS_TYPE))
    subscribe(run, store, url)
    one = store / "test-news/2026-12-01-story-number-1.md"
    two = store / "test-news/2026-12-01-story-number-2.md"
    uid = next(line for line in one.read_text("utf-8").splitlines() if line.startswith("uid:"))
    edited = two.read_text("utf-8") + "\nMy own note.\n"
    two.write_text(edited, "utf-8")
    entries[:] = [item(n, body=f"<p>Story {n} was corrected: {'fresh ' * 90}</p>")
                  for n in (1, 2)]
    result = run(store, "feed", "update", "--force")
    assert result.stdout == "Test News: 0 new, 1 updated\n"
    assert "Story 1 was corrected" in one.read_text("utf-8")
    assert uid in one.read_text("utf-8").splitlines()  # so its reading state stays with it
    assert two.read_text("utf-8") == edited
    assert "changed since newscli wrote it; kept as is" in result.stderr
    assert len(articles(store)) == 2


def test_new_entries_are_unread_and_an_update_keeps_the_reading_state(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    entries = [item(1), item(2)]
    url = local_server.route("/feed.xml", lambda r: Reply(body=rss(entries),
                                                          content_type=RSS_TYPE))
    subscribe(run, store, url)
    assert len(json.loads(run(store, "list", "--unread", "--json").stdout)) == 2
    assert run(store, "star", "test-news/2026-12-01-story-number-1").exit_code == 0
    entries[0] = item(1, body=f"<p>Story 1 was corrected: {'fresh ' * 90}</p>")
    assert run(store, "feed", "update", "--force").stdout == "Test News: 0 new, 1 updated\n"
    [row] = [r for r in json.loads(run(store, "list", "--json").stdout) if r["starred"]]
    assert row["id"] == "test-news/2026-12-01-story-number-1"


def test_the_same_story_through_two_feeds_is_one_article(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    a = local_server.route("/a.xml", Reply(body=rss([item(1), item(2)], title="Alpha"),
                                           content_type=RSS_TYPE))
    tracked = item(1, guid="other-guid", link="https://news.example/stories/1?utm_source=x")
    same_text = item(2, guid="b-2", link="https://mirror.example/2")
    b = local_server.route("/b.xml", Reply(body=rss([tracked, same_text, item(3)],
                                                    title="Beta"), content_type=RSS_TYPE))
    subscribe(run, store, a)
    result = subscribe(run, store, b)
    assert result.stdout.endswith(": 1 new, 2 already in the store\n")
    assert [p.split("/")[0] for p in articles(store)] == ["alpha", "alpha", "beta"]


def test_blank_and_repeated_guids_get_better_keys(local_server: LocalServer, tmp_path: Path,
                                                  run) -> None:
    store = tmp_path / "s"
    entries = [item(1, guid="same"), item(2, guid="same"), item(3, guid="")]
    url = local_server.route("/feed.xml", Reply(body=rss(entries), content_type=RSS_TYPE))
    subscribe(run, store, url)
    assert len(articles(store)) == 3
    assert run(store, "feed", "update", "--force").stdout == "Test News: 0 new\n"
    assert len(articles(store)) == 3


def test_an_entry_whose_id_changed_is_not_written_twice(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    entries = [item(1)]
    url = local_server.route("/feed.xml", lambda r: Reply(body=rss(entries),
                                                          content_type=RSS_TYPE))
    subscribe(run, store, url)
    entries[0] = item(1, guid="https://news.example/?p=1")
    assert run(store, "feed", "update", "--force").stdout == "Test News: 0 new\n"
    assert len(articles(store)) == 1


def test_an_id_reused_for_another_story_does_not_overwrite_the_first(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    entries = [item(1, guid="1")]
    url = local_server.route("/feed.xml", lambda r: Reply(body=rss(entries),
                                                          content_type=RSS_TYPE))
    subscribe(run, store, url)
    first = store / "test-news/2026-12-01-story-number-1.md"
    before = first.read_bytes()
    entries[0] = item(7, guid="1")  # another story, another link, the same guid
    assert run(store, "feed", "update", "--force").stdout == "Test News: 1 new\n"
    assert first.read_bytes() == before
    assert len(articles(store)) == 2
    assert run(store, "feed", "update", "--force").stdout == "Test News: 0 new\n"


def test_one_request_per_host_at_a_time(tmp_path: Path, run) -> None:
    """Feeds and the pages fetched for their full text alike, with 8 jobs on 2 hosts."""
    store = tmp_path / "s"
    page = Reply(body=b"<html><body><article>" + b"<p>Words of the page. </p>" * 40
                 + b"</article></body></html>", delay=0.1)
    with LocalServer("127.0.0.1") as one, LocalServer("127.0.0.2") as two:
        for server in (one, two):
            server.route("/page", page)
            for n in range(4):
                server.route(f"/f{n}.xml", Reply(body=rss([item(n)], title=f"F{n}"),
                                                 content_type=RSS_TYPE))
                added = run(store, "feed", "add", server.url(f"/f{n}.xml"), "--name",
                            f"{server.url()} {n}", "--full-text", "auto")
                assert added.exit_code == 0, added.stderr
        for server in (one, two):
            for n in range(4):
                teaser = item(n + 10, link=server.url("/page"), body="<p>Teaser.</p>")
                server.route(f"/f{n}.xml", Reply(body=rss([item(n), teaser], title=f"F{n}"),
                                                 content_type=RSS_TYPE, delay=0.2))
            server.peak.clear()
        result = run(store, "feed", "update", "--force", "--jobs", "8")
        assert result.exit_code == 0, result.stderr
        assert len(result.stdout.splitlines()) == 8
        assert one.hits("/page") == two.hits("/page") == 4
        assert one.peak == {"127.0.0.1": 1} and two.peak == {"127.0.0.2": 1}


def test_add_follows_a_permanent_redirect_but_not_a_temporary_one(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    feed = local_server.route("/feed.xml", Reply(body=rss([item(1)]), content_type=RSS_TYPE))
    local_server.route("/301", Reply(status=301, headers={"Location": "/feed.xml"}))
    local_server.route("/302", Reply(status=302, headers={"Location": "/feed.xml"}))
    subscribe(run, store, local_server.url("/301"), "--name", "moved")
    subscribe(run, store, local_server.url("/302"), "--name", "temporary")
    urls = {name: f["url"] for name, f in feeds(run, store).items()}
    assert urls == {"moved": feed, "temporary": local_server.url("/302")}
    assert len(articles(store)) == 1  # the second is the same story


def test_json_output_keys_are_a_contract(local_server: LocalServer, tmp_path: Path,
                                         run) -> None:
    store = tmp_path / "s"
    url = local_server.route("/feed.xml", Reply(body=rss([item(1)]), content_type=RSS_TYPE))
    subscribe(run, store, url)
    [listed] = json.loads(run(store, "feed", "list", "--json").stdout)
    assert sorted(listed) == sorted(
        ["name", "url", "title", "tags", "folder", "full_text", "last_success", "last_check",
         "next_check", "new_last_time", "errors", "last_error", "moved_from", "gone",
         "entries"])
    [updated] = json.loads(run(store, "feed", "update", "--force", "--json").stdout)
    assert sorted(updated) == sorted(
        ["name", "url", "status", "new", "updated", "duplicates", "moved_to", "error",
         "next_check", "written", "warnings", "polled"])
    assert (updated["status"], updated["new"], updated["polled"]) == ("updated", 0, True)


def test_full_text_auto_fetches_the_page_of_a_short_entry(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    page = ("<html><head><title>Long story</title></head><body><article><h1>Long story</h1>"
            + "".join(f"<p>Paragraph {n} of the page tells {'much more ' * 20}.</p>"
                      for n in range(8)) + "</article></body></html>").encode()
    link = local_server.route("/story", Reply(body=page))
    teaser = item(1, link=link, body="<p>A short teaser.</p>")
    full = item(2, link=local_server.url("/other"))  # long enough: its page is not fetched
    url = local_server.route("/feed.xml", Reply(body=rss([teaser, full]),
                                                content_type=RSS_TYPE))
    result = run(store, "feed", "add", url)
    assert result.exit_code == 0, result.stderr
    text = (store / "test-news/2026-12-01-story-number-1.md").read_text("utf-8")
    assert "text_source: page" in text and "Paragraph 7 of the page" in text
    assert "title: Story number 1" in text
    assert local_server.hits("/other") == 0
    never = tmp_path / "never"
    run(never, "feed", "add", url, "--full-text", "never")
    text = (never / "test-news/2026-12-01-story-number-1.md").read_text("utf-8")
    assert "text_source: feed" in text and "A short teaser." in text


def test_dry_run_writes_and_remembers_nothing(local_server: LocalServer, tmp_path: Path,
                                             run) -> None:
    store = tmp_path / "s"
    entries = [item(1)]
    url = local_server.route("/feed.xml", lambda r: Reply(body=rss(entries),
                                                          content_type=RSS_TYPE))
    subscribe(run, store, url)
    entries.append(item(2))
    result = run(store, "feed", "update", "--force", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert row["new"] == 1 and row["written"] == ["test-news/2026-12-01-story-number-2.md"]
    assert len(articles(store)) == 1
    assert run(store, "feed", "update", "--force").stdout == "Test News: 1 new\n"


def test_remove_keeps_the_articles(local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    url = local_server.route("/feed.xml", Reply(body=rss([item(1)]), content_type=RSS_TYPE))
    subscribe(run, store, url)
    result = run(store, "feed", "remove", "Test News")
    assert result.exit_code == 0 and result.stdout.startswith("removed Test News")
    assert feeds(run, store) == {} and len(articles(store)) == 1
    missing = run(store, "feed", "remove", "Test News")
    assert missing.exit_code == 1 and "no feed named" in missing.stderr


def test_subscriptions_are_durable_state_not_index(local_server: LocalServer, tmp_path: Path,
                                                   run) -> None:
    import sqlite3

    store = tmp_path / "s"
    url = local_server.route("/feed.xml", Reply(body=rss([item(1)]), content_type=RSS_TYPE,
                                                headers={"ETag": ETAG}))
    subscribe(run, store, url)
    assert run(store, "index", "--rebuild").exit_code == 0
    (store / ".newscli" / "index.db").unlink()
    feed = feeds(run, store)["Test News"]
    assert feed["url"] == url and feed["entries"] == 1
    with sqlite3.connect(store / ".newscli" / "state.db") as db:
        assert db.execute("SELECT etag FROM feed").fetchall() == [(ETAG,)]
    assert run(store, "feed", "update", "--force").stdout == "Test News: 0 new\n"


def test_a_terminal_gets_a_progress_bar_and_only_the_failures(
        local_server: LocalServer, tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    store = tmp_path / "s"
    good = local_server.route("/good.xml", Reply(body=rss([item(1)]), content_type=RSS_TYPE))
    bad = local_server.route("/bad.xml", Reply(body=rss([item(2)], title="Bad"),
                                               content_type=RSS_TYPE))
    exe = [sys.executable, "-m", "newscli", "--store", str(store), "feed"]
    for url in (good, bad):
        subprocess.run([*exe, "add", url, "--full-text", "never"], check=True,
                       capture_output=True)
    local_server.route("/bad.xml", Reply(status=500, body=b"oops"))
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    process = subprocess.Popen([*exe, "update", "--force"], stdout=follower, stderr=follower,
                               env=env)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait() == 1
    text = shown.decode("utf-8", "replace")
    assert "Updating feeds" in text  # the progress bar
    assert "Bad: error: HTTP 500" in text and "Test News:" not in text
    assert "2 feeds polled, 0 not due or gone: 0 new articles, 1 failed" in text


def test_a_page_that_answers_429_stops_page_fetches_from_its_host(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    for n in range(3):
        local_server.route(f"/p{n}", Reply(status=429, body=b"slow down",
                                           headers={"Retry-After": "600"}))
    teasers = [item(n, link=local_server.url(f"/p{n}"), body="<p>Teaser.</p>")
               for n in range(3)]
    url = local_server.route("/feed.xml", Reply(body=rss(teasers), content_type=RSS_TYPE))
    result = run(store, "feed", "add", url)
    assert result.exit_code == 0, result.stderr
    assert sum(local_server.hits(f"/p{n}") for n in range(3)) == 1
    assert "answered 429: no more of its pages are fetched" in result.stderr
    assert len(articles(store)) == 3  # with the feed's own text


def test_a_public_feed_cannot_make_newscli_read_the_local_network(
        tmp_path: Path, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from newscli import fetch
    from newscli.feeds import http

    store = tmp_path / "s"
    with LocalServer("127.0.0.1") as local, LocalServer("127.0.0.2") as public:
        # 127.0.0.2 plays a public host, 127.0.0.1 the local network
        for module in (http, fetch):
            monkeypatch.setattr(module, "is_local", lambda host: host == "127.0.0.1")
        secret = local.route("/admin", Reply(body=b"<html><body><article>"
                                             + b"<p>Router password page. </p>" * 40
                                             + b"</article></body></html>"))
        hop = public.route("/go", Reply(status=302, headers={"Location": secret}))
        teasers = [item(1, link=secret, body="<p>Teaser.</p>"),
                   item(2, link=hop, body="<p>Teaser.</p>")]
        url = public.route("/feed.xml", Reply(body=rss(teasers), content_type=RSS_TYPE))
        result = run(store, "feed", "add", url)
        assert result.exit_code == 0, result.stderr
        assert local.hits("/admin") == 0 and public.hits("/go") == 1
        assert "Refused a URL on the local network" in result.stderr
        assert "Refused a redirect from" in result.stderr
        assert len(articles(store)) == 2  # with the feed's own text


def test_local_addresses_are_recognised() -> None:
    from newscli.feeds.http import is_local

    assert all(is_local(h) for h in ("localhost", "127.0.0.1", "10.1.2.3", "192.168.0.1",
                                     "[::1]", "169.254.1.1", "printer.local"))
    assert not any(is_local(h) for h in ("8.8.8.8", "93.184.216.34"))


def test_right_to_left_and_other_scripts_keep_their_titles(
        local_server: LocalServer, tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    titles = ["الأخبار العاجلة اليوم", "חדשות הבוקר", "Новости дня", "今日のニュース"]
    entries = [item(n, title=t) for n, t in enumerate(titles)]
    url = local_server.route("/feed.xml", Reply(body=rss(entries, title="عالم"),
                                                content_type=RSS_TYPE))
    subscribe(run, store, url)
    written = articles(store)
    assert len(written) == 4
    shown = {row["title"] for row in json.loads(run(store, "list", "--json").stdout)}
    assert shown == set(titles)
    assert all(Path(p).name[11:-3] for p in written)  # a slug, whatever the script
