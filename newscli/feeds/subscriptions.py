"""What newscli remembers about each subscription, behind one small interface.

Until the durable state store (newscli/state.py) exists, subscriptions live in the store's
``.newscli/feeds.json``, written atomically (temp file + rename) and guarded by a lock file so
two updates never interleave. Unlike the index, this file is not disposable: it holds the
ETags, the schedule and the tombstones of deleted articles. Switching to the state store
means reimplementing ``Subscriptions`` only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from newscli.feeds import FeedError

FILE_NAME = "feeds.json"
LOCK_NAME = "feeds.lock"
VERSION = 1


@dataclass
class EntryRecord:
    """One entry seen in a feed, by its identity key."""

    path: str = ""  # the article file written for it, relative to the store; "" if none
    digest: str = ""  # sha256 of that file as newscli wrote it: differs once someone edits it
    signature: str = ""  # fingerprint of what the feed said; a change means an updated entry
    link: str = ""  # canonical link, to recognise the entry when its id changes
    deleted: bool = False  # tombstone: its file was deleted; it is never written again
    duplicate_of: str = ""  # the store already had the story (another feed, `add`)


@dataclass
class Feed:
    name: str
    url: str
    title: str = ""
    tags: list[str] = field(default_factory=list)
    full_text: str = "auto"  # auto | always | never
    folder: str = ""  # where its articles go, relative to the store
    etag: str = ""  # verbatim, as the server sent it
    last_modified: str = ""  # verbatim
    added: str = ""
    last_check: str = ""
    last_success: str = ""
    next_check: str = ""
    interval: int = 0  # seconds between checks, as last decided
    ttl: int = 0  # the feed's own interval (RSS ttl, sy:updatePeriod), seconds; 0 if none
    errors: int = 0  # consecutive failures
    last_error: str = ""
    new_last_time: int = 0
    moved_from: str = ""  # the URL before a permanent redirect moved it
    gone: bool = False  # 410 Gone: not polled any more
    entries: dict[str, EntryRecord] = field(default_factory=dict)

    def links(self) -> dict[str, str]:
        """canonical link → identity key, for entries whose id changed."""
        return {rec.link: key for key, rec in self.entries.items() if rec.link}

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "entries"}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Feed:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and k != "entries"}
        feed = cls(**values)
        entry_fields = {f.name for f in fields(EntryRecord)}
        for key, rec in (data.get("entries") or {}).items():
            if isinstance(rec, dict):
                feed.entries[str(key)] = EntryRecord(
                    **{k: v for k, v in rec.items() if k in entry_fields})
        return feed


class Subscriptions:
    """The subscriptions of one store: load once, change in memory, ``save()``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / ".newscli" / FILE_NAME
        self.feeds: dict[str, Feed] = self._load()

    def _load(self) -> dict[str, Feed]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise FeedError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        try:
            data = json.loads(raw)
            return {str(item["name"]): Feed.from_json(item) for item in data["feeds"]}
        except (ValueError, KeyError, TypeError) as exc:
            raise FeedError(
                f"{self.path} is damaged ({type(exc).__name__}); it was not changed",
                hint="restore it from a backup, or move it away to start over",
            ) from None

    def save(self) -> None:
        from newscli.textio import write_atomic

        data = {"version": VERSION, "feeds": [asdict(f) for f in self.feeds.values()]}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def find(self, name_or_url: str) -> Feed | None:
        if name_or_url in self.feeds:
            return self.feeds[name_or_url]
        for feed in self.feeds.values():
            if name_or_url in (feed.url, feed.moved_from):
                return feed
        lowered = name_or_url.lower()
        matches = [f for f in self.feeds.values() if f.name.lower() == lowered]
        return matches[0] if len(matches) == 1 else None

    def by_url(self, url: str) -> Feed | None:
        return next((f for f in self.feeds.values() if f.url == url), None)


@contextmanager
def opened(root: Path) -> Iterator[Subscriptions]:
    """The store's subscriptions, held against other newscli processes until the block ends."""
    import fcntl

    folder = root / ".newscli"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK_NAME).open("a")
    except OSError as exc:
        raise FeedError(f"cannot use {folder}: {exc.strerror or exc}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FeedError("another newscli is updating the feeds of this store; "
                            "try again when it has finished") from None
        try:
            yield Subscriptions(root)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
