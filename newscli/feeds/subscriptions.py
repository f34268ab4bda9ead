"""What newscli remembers about each subscription, behind one small interface.

Subscriptions live in the durable state store (newscli/state.py, `.newscli/state.db`): the
URL and name, the validators (ETag, Last-Modified) verbatim, the schedule, errors, moved and
gone, and the key of every entry seen, tombstones included. Unlike the index they are never
discarded. They are loaded whole, changed in memory, and `save()` writes what changed in one
atomic change. A lock file beside the state keeps two updates of one store from interleaving.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscli.feeds import FeedError

if TYPE_CHECKING:
    from newscli.state import StateStore

LOCK_NAME = "feeds.lock"


@dataclass
class EntryRecord:
    """One entry seen in a feed, by its identity key."""

    path: str = ""  # the article file written for it, relative to the store; "" if none
    digest: str = ""  # sha256 of that file as newscli wrote it: differs once someone edits it
    signature: str = ""  # fingerprint of what the feed said; a change means an updated entry
    link: str = ""  # canonical link, to recognise the entry when its id changes
    deleted: bool = False  # tombstone: its file was deleted; it is never written again
    duplicate_of: str = ""  # the store already had the story (another feed, `add`)
    uid: str = ""  # the `uid` in the file's front matter: reading state follows it

    def row(self) -> tuple[Any, ...]:
        return (self.path, self.digest, self.signature, self.link, self.deleted,
                self.duplicate_of, self.uid)


@dataclass
class Feed:
    name: str
    url: str
    id: int = 0  # in the state store; 0 until first saved
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
        """Every field but the entries (tags copied)."""
        return {f.name: list(getattr(self, f.name)) if f.name == "tags" else getattr(self, f.name)
                for f in fields(self) if f.name != "entries"}

    def values(self) -> tuple[Any, ...]:
        return tuple(tuple(v) if isinstance(v, list) else v for v in self.summary().values())


class Subscriptions:
    """The subscriptions of one store: loaded once, changed in memory, ``save()``."""

    def __init__(self, state: StateStore) -> None:
        self.state = state
        self.feeds: dict[str, Feed] = {}
        known = {f.name for f in fields(Feed)}
        entries = state.feed_entries()
        for row in state.feeds():
            feed = Feed(**{k: v for k, v in row.items() if k in known})
            feed.entries = {values[0]: EntryRecord(*values[1:])
                            for values in entries.get(feed.id, [])}
            self.feeds[feed.name] = feed
        self._saved = self._snapshot()

    def _snapshot(self) -> dict[str, tuple[int, tuple[Any, ...], dict[str, tuple[Any, ...]]]]:
        return {name: (feed.id, feed.values(), {k: r.row() for k, r in feed.entries.items()})
                for name, feed in self.feeds.items()}

    def save(self) -> None:
        """Write what changed since loading (or the last save), in one change."""
        changed: list[dict[str, Any]] = []
        entries: dict[str, list[tuple[Any, ...]]] = {}
        for name, feed in self.feeds.items():
            _id, values, records = self._saved.get(name, (0, (), {}))
            if not feed.id or feed.values() != values:
                changed.append(feed.summary())
            rows = [(key, *rec.row()) for key, rec in feed.entries.items()
                    if records.get(key) != rec.row()]
            if rows:
                entries[name] = rows
        current = {f.id for f in self.feeds.values() if f.id}
        removed = [feed_id for feed_id, _v, _r in self._saved.values()
                   if feed_id and feed_id not in current]
        if not (changed or entries or removed):
            return
        ids = self.state.save_feeds(changed, entries, removed)
        for name, feed_id in ids.items():
            if name in self.feeds:
                self.feeds[name].id = feed_id
        self._saved = self._snapshot()

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
def opened(state: StateStore) -> Iterator[Subscriptions]:
    """The store's subscriptions, held against other newscli feed commands until the block
    ends (the state store itself only guards each single change)."""
    import fcntl

    folder = Path(state.path).parent
    try:
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
            yield Subscriptions(state)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
