"""The applying side of an update: new entries become article files, records change.

Runs in the calling thread only, one outcome at a time: it dedupes against the store,
writes (new files never replace one; an updated entry rewrites only a file nobody edited),
and updates the feed's validators, schedule and entry records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from newscli.errors import NewscliError
from newscli.feeds import schedule
from newscli.feeds.entries import plain
from newscli.feeds.poll import Outcome, Prepared
from newscli.feeds.subscriptions import EntryRecord, Feed
from newscli.model import Article
from newscli.sanitize import clean_line

SAME_TEXT_MIN_WORDS = 25  # as extract.MIN_WORDS: fewer words are not an article's text


class Dedupe(Protocol):
    def find(self, article: Article) -> str | None: ...
    def remember(self, article: Article, article_id: str) -> None: ...


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


def _sha(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


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
