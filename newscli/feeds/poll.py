"""The worker side of an update: fetch one feed, read it, prepare its new entries.

Runs in worker threads: it reads the feed's record but changes nothing shared, writes
nothing, and holds a host's slot only for the length of one request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newscli.feeds import DEFAULT_JOBS, FeedError
from newscli.feeds.http import FEED_TIMEOUT, JITTER, HostLimiter
from newscli.feeds.subscriptions import Feed
from newscli.model import Article

if TYPE_CHECKING:
    from newscli.feeds.parse import ParsedFeed
    from newscli.fetch import Fetched

PAGES_PER_FEED = 50  # full-text page fetches per feed per update, newest entries first


@dataclass
class Options:
    dry_run: bool = False
    jobs: int = DEFAULT_JOBS
    timeout: float = FEED_TIMEOUT
    page_timeout: float = 20.0
    max_page_bytes: int = 10 * 1024 * 1024
    jitter: float = JITTER


@dataclass
class Prepared:
    key: str
    article: Article
    signature: str
    link: str
    update: bool = False  # an entry seen before whose text changed
    uid: str = ""


@dataclass
class Outcome:
    """What a worker found for one feed; applied by the calling thread."""

    feed: Feed
    page: Fetched | None = None
    parsed: ParsedFeed | None = None
    prepared: list[Prepared] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # new key → known key (id changed)
    error: str = ""
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def current_time() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def poll(feed: Feed, limiter: HostLimiter, options: Options, page: Fetched | None = None,
         now: dt.datetime | None = None) -> Outcome:
    """Fetch (unless ``page`` is given) and read one feed; prepare its new entries."""
    from newscli.feeds import http
    from newscli.feeds.parse import parse_feed, sniff
    from newscli.fetch import FetchError, HTTPStatusError

    now = now or current_time()
    outcome = Outcome(feed)
    if page is None:
        try:
            with limiter.slot(feed.url):
                page = http.conditional_get(feed.url, etag=feed.etag,
                                            last_modified=feed.last_modified,
                                            timeout=options.timeout)
        except HTTPStatusError as exc:
            outcome.error, outcome.status, outcome.headers = exc.message, exc.status, exc.headers
            return outcome
        except FetchError as exc:
            outcome.error = exc.message
            return outcome
    outcome.page, outcome.status, outcome.headers = page, page.status, page.headers
    if page.status == 304:
        return outcome
    moved = http.permanent_target(page)
    if moved and sniff(page.body, page.content_type) == "html":
        outcome.error = (f"{feed.url} moved permanently to an HTML page, not a feed "
                         f"(a login or parking page?): {page.url}; the URL was kept")
        return outcome
    try:
        outcome.parsed = parse_feed(page.body, url=page.url, content_type=page.content_type,
                                    headers=page.headers)
    except FeedError as exc:
        outcome.error = exc.message
        return outcome
    outcome.warnings += outcome.parsed.warnings
    _prepare(outcome, limiter, options, now)
    return outcome


def _prepare(outcome: Outcome, limiter: HostLimiter, options: Options, now: dt.datetime) -> None:
    from newscli.feeds import entries as ent
    from newscli.urls import canonical_url

    feed, parsed = outcome.feed, outcome.parsed
    assert parsed is not None
    links = feed.links()
    seen_here: set[str] = set()
    pages = 0
    for entry, key in zip(parsed.entries, ent.identity_keys(parsed.entries), strict=True):
        if key in seen_here:
            continue  # the document repeats an entry
        seen_here.add(key)
        link = canonical_url(entry.link) if entry.link else ""
        known_key = key if key in feed.entries else links.get(link) if link else None
        signature = ent.signature(entry)
        record = feed.entries.get(known_key) if known_key else None
        if record is not None and known_key == key and record.link and link \
                and record.link != link:
            # The same id on a story at another address: some feeds reuse ids ("1", "2"…
            # by position). A different entry, never a rewrite of the earlier one's file.
            key = f"url:{link}"
            known_key = key if key in feed.entries else None
            record = feed.entries.get(key)
        if known_key and known_key != key:
            outcome.aliases[key] = known_key
        if record is not None and (record.deleted or record.duplicate_of
                                   or record.signature == signature):
            continue
        try:
            article = ent.to_article(entry, key=key, feed_url=feed.url,
                                     feed_title=feed.title or parsed.title or feed.name,
                                     tags=feed.tags, now=now)
        except Exception as exc:  # one strange entry must not stop the feed
            outcome.warnings.append(f"entry {entry.title[:60]!r} skipped ({type(exc).__name__})")
            continue
        if _wants_page(feed.full_text, article):  # updated entries too: same rule
            if pages < PAGES_PER_FEED:
                pages += 1
                article = _full_text(article, limiter, options, outcome)
            elif pages == PAGES_PER_FEED:
                pages += 1
                outcome.warnings.append(f"page text fetched for {PAGES_PER_FEED} entries "
                                        "only; the others keep the feed's text")
        outcome.prepared.append(Prepared(key, article, signature, link, update=record is not None))


def _wants_page(mode: str, article: Article) -> bool:
    from newscli.feeds.entries import FULL_TEXT_MIN_WORDS

    if mode == "never" or not article.meta.url:  # an http(s) link, already cleaned
        return False
    return mode == "always" or article.words < FULL_TEXT_MIN_WORDS


def _full_text(article: Article, limiter: HostLimiter, options: Options,
               outcome: Outcome) -> Article:
    """The entry's article with its page's text, through `add`'s pipeline, if longer.

    Not from a host that answered 429 or 503 earlier in this run, and never from the local
    network for a feed that is not on it itself (a feed must not make newscli read your
    router's pages into the store)."""
    from newscli import importer
    from newscli.errors import NewscliError
    from newscli.feeds.entries import with_page_text
    from newscli.feeds.http import host_of, is_local
    from newscli.fetch import HTTPStatusError, fetch

    link = article.meta.url
    host = host_of(link)
    if limiter.is_busy(host):
        return article
    try:
        with limiter.slot(link):
            page = fetch(link, timeout=options.page_timeout, max_bytes=options.max_page_bytes,
                         refuse_local=not is_local(host_of(outcome.feed.url)))
        kind = "text" if page.content_type == "text/plain" else "html"
        source = importer.Source(link, kind, data=page.body, charset=page.charset)
        loaded = importer.load(source, max_bytes=options.max_page_bytes,
                               timeout=options.page_timeout, page_url=page.url)
    except HTTPStatusError as exc:
        if exc.status in (429, 503):
            limiter.mark_busy(host)
            outcome.warnings.append(f"{host} answered {exc.status}: no more of its pages are "
                                    "fetched in this update")
        else:
            outcome.warnings.append(f"kept the feed's text: {exc.message}")
        return article
    except NewscliError as exc:
        outcome.warnings.append(f"kept the feed's text: {exc.message}")
        return article
    if outcome.feed.full_text == "always" or loaded.article.words > article.words:
        return with_page_text(article, loaded.article)
    return article
