"""The feed use cases: subscribe (`feed add`) and update (`feed update`).

An update polls every due feed. Worker threads do the network and the parsing (bounded in
number by ``jobs``, at most one request per host at a time across all of them); the calling
thread alone applies the outcomes: it dedupes against the store, writes article files and
changes the subscriptions. A feed's files are written only once its whole document has been
fetched and read, so a feed that fails leaves nothing behind.

Rules, in the order they apply (README "Feeds" lists them for users):
- 304 Not Modified: nothing parsed; a new ETag / Last-Modified sent with it is kept.
- 301/308 only, ending at something that parses as a feed: the subscription takes the new
  URL (``moved_from`` keeps the old one). 302/307 change nothing. A permanent redirect to an
  HTML page (often a login or parking page) is an error; the URL is kept.
- 410 Gone: the feed is marked gone and no longer polled (naming it polls it again).
- Entries: known keys are skipped; a key whose record is a tombstone is never written
  again; an entry whose text changed rewrites its file only if the file is still byte for
  byte what newscli wrote. New entries are deduped against the whole store by canonical
  URL and by text, as `add` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from newscli.feeds import DEFAULT_JOBS, FULL_TEXT_MODES, MAX_JOBS, FeedError, schedule
from newscli.feeds.entries import plain
from newscli.feeds.http import HostLimiter, host_of
from newscli.feeds.poll import Options, poll
from newscli.feeds.poll import current_time as now
from newscli.feeds.subscriptions import Feed, Subscriptions
from newscli.feeds.writer import Result, Writer
from newscli.sanitize import clean_line

if TYPE_CHECKING:
    import datetime as dt

    from newscli.feeds.opml import Outline
    from newscli.fetch import Fetched

__all__ = ["DEFAULT_JOBS", "FULL_TEXT_MODES", "MAX_JOBS", "Options", "Result", "Writer",
           "adopt", "now", "select", "subscribe", "update"]


def select(subs: Subscriptions, names: Iterable[str], force: bool,
           now: dt.datetime) -> tuple[list[Feed], list[Result]]:
    """The feeds to poll now, and a result for each one skipped (not due, gone)."""
    names = list(names)
    chosen: list[Feed] = []
    skipped: list[Result] = []
    if names:
        for name in names:
            feed = subs.find(name)
            if feed is None:
                raise FeedError(f"no feed named {name!r}", hint="`newscli feed list` shows them")
            if feed not in chosen:
                chosen.append(feed)
        return chosen, skipped
    for feed in subs.feeds.values():
        if feed.gone:
            skipped.append(Result(feed.name, feed.url, "gone", error=feed.last_error,
                                  polled=False))
        elif force or schedule.is_due(feed.next_check, now):
            chosen.append(feed)
        else:
            skipped.append(Result(feed.name, feed.url, "not-due", next_check=feed.next_check,
                                  polled=False))
    return chosen, skipped


def interleave_hosts(feeds: list[Feed]) -> list[Feed]:
    """Round-robin over hosts, so the workers' next feeds are on different hosts."""
    by_host: dict[str, list[Feed]] = {}
    for feed in feeds:
        by_host.setdefault(host_of(feed.url), []).append(feed)
    queues = list(by_host.values())
    ordered: list[Feed] = []
    for n in range(max((len(q) for q in queues), default=0)):
        ordered += [q[n] for q in queues if n < len(q)]
    return ordered


def update(subs: Subscriptions, feeds: list[Feed], writer: Writer, options: Options,
           on_result: Callable[[Result], None], save_every: int = 25) -> list[Result]:
    """Poll ``feeds`` concurrently, apply each outcome as it arrives, save the state."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    limiter = HostLimiter(options.jitter)
    results: list[Result] = []
    jobs = max(1, min(options.jobs, MAX_JOBS))
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="newscli-feed")
    try:
        futures = [pool.submit(poll, feed, limiter, options) for feed in interleave_hosts(feeds)]
        for done, future in enumerate(as_completed(futures), start=1):
            result = writer.apply(future.result(), now())
            results.append(result)
            on_result(result)
            if not options.dry_run and done % save_every == 0:
                subs.save()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if not options.dry_run:
            subs.save()
    return results


def subscribe(subs: Subscriptions, url: str, *, name: str | None, tags: list[str],
              full_text: str, writer: Writer, options: Options) -> tuple[Feed, Result]:
    """`feed add`: find the feed (a home page's <link rel=alternate> works), subscribe, and
    import its entries from that first response; the feed is not fetched twice."""
    from newscli.feeds import http
    from newscli.feeds.parse import discover, sniff
    from newscli.fetch import FetchError

    try:
        page = http.conditional_get(url, timeout=options.timeout)
        if sniff(page.body, page.content_type) == "html":
            found = discover(page.body, page.url, page.charset)
            if not found:
                raise FeedError(f"no feed at {url}: the page announces none "
                                "(no <link rel=\"alternate\"> to RSS, Atom or JSON Feed)")
            url = found[0]
            page = http.conditional_get(url, timeout=options.timeout)
    except FetchError as exc:
        raise FeedError(exc.message) from None
    feed_url = http.permanent_target(page) or url
    existing = subs.by_url(feed_url) or subs.by_url(url)
    if existing is not None:
        raise FeedError(f"already subscribed to {feed_url} as {existing.name!r}")
    feed = Feed(name="", url=feed_url, tags=tags, full_text=full_text,
                added=now().isoformat())
    outcome = poll(feed, HostLimiter(0), options, page=page)
    if outcome.error:
        raise FeedError(outcome.error)
    assert outcome.parsed is not None
    feed.title = clean_line(plain(outcome.parsed.title), 200)
    feed.name = _unique_name(subs, name or feed.title or host_of(feed_url) or "feed",
                             explicit=bool(name))
    feed.folder = _unique_folder(subs, feed.name)
    outcome.page = _without_redirects(page)
    result = writer.apply(outcome, now())
    if not options.dry_run:
        subs.feeds[feed.name] = feed
        subs.save()
    return feed, result


def adopt(subs: Subscriptions, outlines: list[Outline], *, dry_run: bool,
          full_text: str = "auto") -> tuple[list[Feed], int]:
    """`feed import`: subscribe to each outline not subscribed yet (fetching nothing)."""
    added: list[Feed] = []
    known = 0
    for outline in outlines:
        if subs.by_url(outline.url) is not None or any(f.url == outline.url for f in added):
            known += 1
            continue
        name = _unique_name(subs, outline.title or host_of(outline.url) or "feed", False)
        feed = Feed(name=name, url=outline.url, title=outline.title, tags=outline.tags,
                    full_text=full_text, folder=_unique_folder(subs, name),
                    added=now().isoformat())
        added.append(feed)
        subs.feeds[name] = feed
    if dry_run:
        for feed in added:
            del subs.feeds[feed.name]
    else:
        subs.save()
    return added, known


def _without_redirects(page: Fetched) -> Fetched:
    from dataclasses import replace

    return replace(page, redirects=())


def _unique_name(subs: Subscriptions, wanted: str, explicit: bool) -> str:
    base = clean_line(wanted, 80) or "feed"
    if base not in subs.feeds:
        return base
    if explicit:
        raise FeedError(f"a feed named {base!r} exists already; choose another --name")
    n = 2
    while f"{base} {n}" in subs.feeds:
        n += 1
    return f"{base} {n}"


def _unique_folder(subs: Subscriptions, name: str) -> str:
    from newscli.store import slugify

    base = slugify(name)[:60].strip("-") or "feed"
    taken = {f.folder for f in subs.feeds.values()}
    folder, n = base, 2
    while folder in taken:
        folder, n = f"{base}-{n}", n + 1
    return folder
