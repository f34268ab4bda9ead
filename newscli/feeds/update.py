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

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from newscli.errors import NewscliError
from newscli.feeds import FeedError, schedule
from newscli.feeds.entries import plain
from newscli.feeds.http import FEED_TIMEOUT, JITTER, HostLimiter, host_of
from newscli.feeds.subscriptions import EntryRecord, Feed, Subscriptions
from newscli.model import Article
from newscli.sanitize import clean_line

if TYPE_CHECKING:
    from newscli.feeds.opml import Outline
    from newscli.feeds.parse import ParsedEntry, ParsedFeed
    from newscli.fetch import Fetched

# Total requests in flight. One per host already keeps each site's load to what a browser
# tab costs; 8 hosts at once keeps a small machine responsive and an update of a few hundred
# feeds well under a minute.
DEFAULT_JOBS = 8
MAX_JOBS = 32
PAGES_PER_FEED = 50  # full-text page fetches per feed per update, newest entries first
FULL_TEXT_MODES = ("auto", "always", "never")
SAME_TEXT_MIN_WORDS = 25  # as extract.MIN_WORDS: fewer words are not an article's text


class Dedupe(Protocol):
    def find(self, article: Article) -> str | None: ...
    def remember(self, article: Article, article_id: str) -> None: ...


@dataclass
class Options:
    force: bool = False
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


@dataclass
class Result:
    """One feed's line in `feed update`; `as_json` is the --json contract."""

    name: str
    url: str
    status: str  # updated | not-modified | not-due | gone | error
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    moved_to: str = ""
    error: str = ""
    next_check: str = ""
    written: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    polled: bool = True  # False for feeds skipped (not due, gone before this run)

    @property
    def failed(self) -> bool:
        return self.polled and self.status in ("error", "gone")

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url, "status": self.status, "new": self.new,
                "updated": self.updated, "duplicates": self.duplicates,
                "moved_to": self.moved_to or None, "error": self.error or None,
                "next_check": self.next_check or None, "written": self.written,
                "warnings": self.warnings, "polled": self.polled}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _sha(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


# -- the worker: fetch, parse, prepare (no writes, no shared state) --------------------------


def poll(feed: Feed, limiter: HostLimiter, options: Options, page: Fetched | None = None,
         now: dt.datetime | None = None) -> Outcome:
    """Fetch (unless ``page`` is given) and read one feed; prepare its new entries."""
    from newscli.feeds import http
    from newscli.feeds.parse import parse_feed, sniff
    from newscli.fetch import FetchError, HTTPStatusError

    now = now or _now()
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
        if _wants_page(feed.full_text, article, entry):  # updated entries too: same rule
            if pages < PAGES_PER_FEED:
                pages += 1
                article = _full_text(article, entry, limiter, options, outcome)
            elif pages == PAGES_PER_FEED:
                pages += 1
                outcome.warnings.append(f"page text fetched for {PAGES_PER_FEED} entries "
                                        "only; the others keep the feed's text")
        outcome.prepared.append(Prepared(key, article, signature, link, update=record is not None))


def _wants_page(mode: str, article: Article, entry: ParsedEntry) -> bool:
    from newscli.feeds.entries import FULL_TEXT_MIN_WORDS

    if mode == "never" or not entry.link:
        return False
    return mode == "always" or article.words < FULL_TEXT_MIN_WORDS


def _full_text(article: Article, entry: ParsedEntry, limiter: HostLimiter, options: Options,
               outcome: Outcome) -> Article:
    """The entry's article with its page's text, through `add`'s pipeline, if longer."""
    from newscli import importer
    from newscli.errors import NewscliError
    from newscli.feeds.entries import with_page_text

    source = importer.Source(entry.link, "html", url=entry.link)
    try:
        with limiter.slot(entry.link):
            loaded = importer.load(source, max_bytes=options.max_page_bytes,
                                   timeout=options.page_timeout, page_url=None)
    except NewscliError as exc:
        outcome.warnings.append(f"kept the feed's text: {exc.message}")
        return article
    if outcome.feed.full_text == "always" or loaded.article.words > article.words:
        return with_page_text(article, loaded.article)
    return article


# -- the calling thread: apply outcomes ------------------------------------------------------


class Writer:
    """Writes prepared entries into the store and records them in the feed.

    ``dedupe`` is made on first use: an update where every feed answers 304 never needs the
    catalog. A feed's new files are written by a few threads at once (each file is fsynced
    before it is linked into place, and fsync waits on the disk, not the CPU).
    """

    def __init__(self, root: Path, dedupe: Callable[[], Dedupe], dry_run: bool) -> None:
        self.root, self.dry_run = root, dry_run
        self._make_dedupe = dedupe
        self._dedupe: Dedupe | None = None
        self._pending: list[tuple[Feed, Prepared, str, str]] = []

    @property
    def dedupe(self) -> Dedupe:
        if self._dedupe is None:
            self._dedupe = self._make_dedupe()
        return self._dedupe

    def apply(self, outcome: Outcome, now: dt.datetime) -> Result:
        feed = outcome.feed
        result = Result(feed.name, feed.url, "error", warnings=list(outcome.warnings))
        feed.last_check = now.isoformat()
        if outcome.error:
            return self._failed(outcome, result, now)
        page = outcome.page
        assert page is not None
        for header, attr in (("etag", "etag"), ("last-modified", "last_modified")):
            if page.headers.get(header):
                setattr(feed, attr, page.headers[header])  # verbatim, even with a 304
        from newscli.feeds.http import permanent_target

        moved = permanent_target(page)  # to a feed: it parsed, or it matched our validators
        if moved and moved != feed.url:
            feed.moved_from, feed.url = feed.url, moved
            result.moved_to = result.url = moved
        if outcome.parsed is not None:
            feed.title = feed.title or clean_line(plain(outcome.parsed.title), 200)
            feed.ttl = outcome.parsed.ttl or 0
            if not page.headers.get("etag"):
                feed.etag = ""
            if not page.headers.get("last-modified"):
                feed.last_modified = ""
            for key, known in outcome.aliases.items():
                feed.entries.setdefault(key, feed.entries[known])
            for prepared in outcome.prepared:
                self._write(feed, prepared, result, now)
            self._flush(result)
            if result.error:  # a file could not be written: tried again next time
                outcome.error = result.error
                return self._failed(outcome, result, now)
            result.status = "updated"
        else:
            result.status = "not-modified"
        feed.errors, feed.last_error, feed.gone = 0, "", False
        feed.last_success = now.isoformat()
        feed.new_last_time = result.new
        when, feed.interval = schedule.after_success(now, page.headers, feed.ttl or None)
        feed.next_check = when.isoformat()
        result.next_check = feed.next_check
        return result

    def _failed(self, outcome: Outcome, result: Result, now: dt.datetime) -> Result:
        feed = outcome.feed
        feed.errors += 1
        feed.last_error = clean_line(outcome.error, 500)
        result.error = outcome.error
        if outcome.status == 410:
            feed.gone = True
            result.status = "gone"
            result.error = f"410 Gone: {feed.url} is no longer served; it will not be polled"
        when = schedule.after_error(now, feed.errors, outcome.status, outcome.headers)
        feed.next_check = result.next_check = when.isoformat()
        return result

    def _write(self, feed: Feed, prepared: Prepared, result: Result, now: dt.datetime) -> None:
        from newscli import importer, store
        from newscli.formats.writer import to_markdown

        article = prepared.article
        if prepared.update:
            self._rewrite(feed, prepared, result)
            return
        # `add`'s rules: the same canonical URL, or the same text. A few words alike ("Read
        # more…") are not the same story, so short texts are compared by URL only.
        probe = article if article.words >= SAME_TEXT_MIN_WORDS else Article(article.meta)
        existing = self.dedupe.find(probe)
        if existing and existing.startswith(f"{store.article_id(feed.folder)}/"):
            # Two entries of one feed, with distinct ids, that link to one page: distinct
            # entries (a digest, a live blog) unless their text is the same too.
            from dataclasses import replace

            existing = self.dedupe.find(Article(replace(probe.meta, url=""), probe.blocks))
        if existing:
            result.duplicates += 1
            feed.entries[prepared.key] = EntryRecord(signature=prepared.signature,
                                                     link=prepared.link, duplicate_of=existing)
            return
        stem = importer.file_name(article, now.date())
        self.dedupe.remember(probe, store.article_id(f"{feed.folder}/{stem}.md"))
        article.meta.extra["uid"] = prepared.uid = str(uuid.uuid4())
        self._pending.append((feed, prepared, stem, to_markdown(article)))

    def _flush(self, result: Result) -> None:
        """Write the feed's new files (never replacing one) and record where they went."""
        from concurrent.futures import ThreadPoolExecutor

        from newscli import importer

        pending, self._pending = self._pending, []

        def write(item: tuple[Feed, Prepared, str, str]) -> str | NewscliError:
            feed, _prepared, stem, text = item
            if self.dry_run:
                return f"{feed.folder}/{stem}.md"
            try:
                target = importer.write_new(self.root / feed.folder, stem, text)
            except NewscliError as exc:
                return exc
            return target.relative_to(self.root).as_posix()

        if len(pending) > 1 and not self.dry_run:
            with ThreadPoolExecutor(max_workers=4, thread_name_prefix="newscli-write") as pool:
                paths = list(pool.map(write, pending))
        else:
            paths = [write(item) for item in pending]
        for (feed, prepared, _stem, text), rel in zip(pending, paths, strict=True):
            if isinstance(rel, NewscliError):  # not recorded: tried again next time
                result.error = rel.message
                continue
            result.written.append(rel)
            result.new += 1
            feed.entries[prepared.key] = EntryRecord(rel, _sha(text), prepared.signature,
                                                     prepared.link, uid=prepared.uid)

    def _rewrite(self, feed: Feed, prepared: Prepared, result: Result) -> None:
        from newscli.formats.writer import to_markdown
        from newscli.textio import write_atomic

        record = feed.entries[prepared.key]
        record.signature = prepared.signature
        if not record.path:
            return
        path = self.root / record.path
        try:
            current = path.read_bytes()
        except FileNotFoundError:
            record.deleted = True  # the user deleted it: a tombstone, never written again
            return
        except OSError as exc:
            result.warnings.append(f"{record.path}: not updated ({exc.strerror or exc})")
            return
        if _sha(current) != record.digest:
            result.warnings.append(f"{record.path}: changed since newscli wrote it; kept as is")
            return
        if record.uid:  # the same uid: the article keeps its reading state
            prepared.article.meta.extra["uid"] = record.uid
        text = to_markdown(prepared.article)
        if not self.dry_run:
            write_atomic(path, text.encode("utf-8"))
            record.digest = _sha(text)
        result.updated += 1
        result.written.append(record.path)


# -- orchestration ---------------------------------------------------------------------------


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
            result = writer.apply(future.result(), _now())
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
                added=_now().isoformat())
    outcome = poll(feed, HostLimiter(0), options, page=page)
    if outcome.error:
        raise FeedError(outcome.error)
    assert outcome.parsed is not None
    feed.title = clean_line(plain(outcome.parsed.title), 200)
    feed.name = _unique_name(subs, name or feed.title or host_of(feed_url) or "feed",
                             explicit=bool(name))
    feed.folder = _unique_folder(subs, feed.name)
    outcome.page = _without_redirects(page)
    result = writer.apply(outcome, _now())
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
                    added=_now().isoformat())
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
