"""Durable state: what the user did to articles (read, starred, tags), saved searches, and
the data of feed subscriptions. User data, unlike the catalog: never discarded, never
rebuilt, and kept apart from the index so that losing or rebuilding the index loses none.

Where: `.newscli/state.db` inside the store when it is writable (so it travels with the
folder), else a file in the user data dir keyed by the store's path.

Keys: an article's state is kept under `keys.state_key` — the `uid` newscli writes into
the front matter of files it creates, else the canonical URL, else a fingerprint of the
title and text — so it survives renames and moves inside the store, `index --rebuild`, a discarded
index, a re-read by a new parser, and copying the store to another machine.

SQLite in WAL mode with `BEGIN IMMEDIATE` for every change: each change is atomic, and
two processes writing at once wait for each other (up to 30 s) instead of losing a write.
`export` writes it all as JSON lines; `merge` takes such lines back, the later change of
each field winning.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscli.errors import StateError

if TYPE_CHECKING:
    from newscli.records import Row

STATE_NAME = "state.db"
BUSY_MS = 30_000

MIGRATIONS: tuple[str, ...] = (
    # 1: per-article state and saved searches
    """
    CREATE TABLE article_state(
        key TEXT PRIMARY KEY,
        read INTEGER,               -- NULL: never set (new articles are unread)
        read_at TEXT NOT NULL DEFAULT '',
        starred INTEGER,
        starred_at TEXT NOT NULL DEFAULT '',
        seen_at TEXT NOT NULL DEFAULT ''   -- last time its article was in the store
    );
    CREATE TABLE article_tag(
        key TEXT NOT NULL,
        tag TEXT NOT NULL COLLATE NOCASE,
        added INTEGER NOT NULL,            -- 0: the user removed it (a file's tag, say)
        at TEXT NOT NULL,
        PRIMARY KEY (key, tag)
    ) WITHOUT ROWID;
    CREATE TABLE saved_search(
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        changed_at TEXT NOT NULL
    );
    """,
    # 2: feed subscriptions, and the entries seen in each (tombstones included)
    """
    CREATE TABLE feed(
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        full_text TEXT NOT NULL DEFAULT 'auto',
        folder TEXT NOT NULL DEFAULT '',
        etag TEXT NOT NULL DEFAULT '',          -- verbatim, as the server sent it
        last_modified TEXT NOT NULL DEFAULT '', -- verbatim
        added TEXT NOT NULL DEFAULT '',
        last_check TEXT NOT NULL DEFAULT '',
        last_success TEXT NOT NULL DEFAULT '',
        next_check TEXT NOT NULL DEFAULT '',
        interval INTEGER NOT NULL DEFAULT 0,
        ttl INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        new_last_time INTEGER NOT NULL DEFAULT 0,
        moved_from TEXT NOT NULL DEFAULT '',
        gone INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE feed_entry(
        feed_id INTEGER NOT NULL,
        key TEXT NOT NULL,
        path TEXT NOT NULL DEFAULT '',
        digest TEXT NOT NULL DEFAULT '',        -- sha256 of the file as newscli wrote it
        signature TEXT NOT NULL DEFAULT '',
        link TEXT NOT NULL DEFAULT '',
        deleted INTEGER NOT NULL DEFAULT 0,     -- tombstone: never written again
        duplicate_of TEXT NOT NULL DEFAULT '',
        uid TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (feed_id, key)
    ) WITHOUT ROWID;
    """,
    # 3: what share of the store is read or starred, counted without reading every entry
    """
    CREATE INDEX article_state_read ON article_state(read) WHERE read = 1;
    CREATE INDEX article_state_starred ON article_state(starred) WHERE starred = 1;
    """,
    # 4: where the reader was in each article (`newscli browse`): the line at the top
    """
    CREATE TABLE reading_position(
        key TEXT PRIMARY KEY,
        line INTEGER NOT NULL,
        at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
)
FEED_COLUMNS = ("id", "name", "url", "title", "tags", "full_text", "folder", "etag",
                "last_modified", "added", "last_check", "last_success", "next_check",
                "interval", "ttl", "errors", "last_error", "new_last_time", "moved_from",
                "gone")
ENTRY_COLUMNS = ("key", "path", "digest", "signature", "link", "deleted", "duplicate_of", "uid")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class ArticleState:
    """What the user did to one article. `tags` maps a tag to (added?, when): a tag the
    user removed stays recorded as removed, so a merge cannot bring it back. (A plain
    class: the listing commands load this module, and a dataclass costs start-up time.)"""

    __slots__ = ("key", "read", "read_at", "starred", "starred_at", "tags", "seen_at")

    def __init__(self, key: str, read: bool | None = None, read_at: str = "",
                 starred: bool | None = None, starred_at: str = "",
                 tags: dict[str, tuple[bool, str]] | None = None, seen_at: str = "") -> None:
        self.key, self.read, self.read_at = key, read, read_at
        self.starred, self.starred_at = starred, starred_at
        self.tags: dict[str, tuple[bool, str]] = tags if tags is not None else {}
        self.seen_at = seen_at

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArticleState) and self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ArticleState{self._values()!r}"

    def applied_to(self, row: Row) -> Row:
        """The row as the user left it: read, starred, and its file's tags less those the
        user removed, plus those added."""
        removed = {t.lower() for t, (added, _) in self.tags.items() if not added}
        tags = [t for t in row.tags if t.lower() not in removed]
        have = {t.lower() for t in tags}
        tags += [t for t, (added, _) in self.tags.items() if added and t.lower() not in have]
        return row._replace(read=bool(self.read), starred=bool(self.starred), tags=tags)

    def record(self) -> dict[str, Any]:
        """The export form: one JSON object."""
        return {
            "key": self.key,
            "read": self.read,
            "read_at": self.read_at or None,
            "starred": self.starred,
            "starred_at": self.starred_at or None,
            "tags": {t: {"added": a, "at": at} for t, (a, at) in sorted(self.tags.items())},
            "seen_at": self.seen_at or None,
        }


def state_path(root: Path) -> Path:
    """`.newscli/state.db` in the store (where it already is, or the store is writable),
    else one in the user data dir keyed by the store's path."""
    own = root / ".newscli"
    if (own / STATE_NAME).exists():
        return own / STATE_NAME
    try:
        own.mkdir(exist_ok=True)
        if os.access(own, os.W_OK):
            return own / STATE_NAME
    except OSError:
        pass
    import hashlib

    from platformdirs import user_data_dir

    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    folder = Path(user_data_dir("newscli")) / "stores" / key
    folder.mkdir(parents=True, exist_ok=True)
    return folder / STATE_NAME


class StateStore:
    """The durable state of one store. A context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")  # user data: durable at commit
            self._migrate()
        except sqlite3.Error as exc:
            raise StateError(
                f"the reading state at {path} cannot be used: {exc}",
                hint="it is never deleted by newscli; move it away to start afresh "
                "(`newscli state import` restores an export)",
            ) from None

    @classmethod
    def for_store(cls, root: Path) -> StateStore:
        return cls(state_path(root))

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        if self.db.execute("PRAGMA user_version").fetchone()[0] >= len(MIGRATIONS):
            return
        with self.writing():
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One atomic change: all of it is kept, or none."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StateError(f"the reading state at {self.path} is busy or locked: {exc}") \
                from None
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    # -- articles ------------------------------------------------------------------------
    def get(self, keys: Iterable[str]) -> dict[str, ArticleState]:
        """The state of these articles (only those with any)."""
        wanted = [k for k in dict.fromkeys(keys) if k]
        out: dict[str, ArticleState] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for values in self.db.execute(
                "SELECT key, read, read_at, starred, starred_at, seen_at "
                f"FROM article_state WHERE key IN ({marks})", chunk):
                out[values[0]] = _state(values)
            for key, tag, added, at in self.db.execute(
                f"SELECT key, tag, added, at FROM article_tag WHERE key IN ({marks})", chunk):
                out.setdefault(key, ArticleState(key)).tags[tag] = (bool(added), at)
        return out

    def all(self) -> Iterator[ArticleState]:
        keys = [k for (k,) in self.db.execute(
            "SELECT key FROM article_state UNION SELECT key FROM article_tag ORDER BY 1")]
        for start in range(0, len(keys), 500):
            found = self.get(keys[start : start + 500])
            yield from (found[k] for k in keys[start : start + 500])

    def set_flag(self, keys: Iterable[str], name: str, value: bool, at: str | None = None) -> int:
        """Set `read` or `starred` on these articles; the number that changed."""
        if name not in ("read", "starred"):
            raise ValueError(name)
        at = at or now()
        rows = [(k, int(value), at) for k in dict.fromkeys(keys) if k]
        with self.writing() as db:
            before = db.total_changes
            db.executemany(
                f"INSERT INTO article_state(key, {name}, {name}_at) VALUES (?, ?, ?) "
                f"ON CONFLICT(key) DO UPDATE SET {name} = excluded.{name}, "
                f"{name}_at = excluded.{name}_at WHERE {name} IS NOT excluded.{name}",
                rows,
            )
            return db.total_changes - before

    def change_tags(self, keys: Iterable[str], add: Iterable[str] = (),
                    remove: Iterable[str] = (), at: str | None = None) -> None:
        """Add and remove tags; a removed tag stays recorded as removed (so that a tag from
        the file's front matter stays hidden, and a merge cannot bring it back)."""
        at = at or now()
        changes = {t.lower(): (t, True) for t in add} | {t.lower(): (t, False) for t in remove}
        rows = [(k, tag, int(added), at) for k in dict.fromkeys(keys) if k
                for tag, added in changes.values()]
        with self.writing() as db:
            db.executemany(
                "INSERT INTO article_tag(key, tag, added, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key, tag) DO UPDATE SET added = excluded.added, at = excluded.at",
                rows)

    def mark_seen(self, keys: Iterable[str], at: str | None = None) -> None:
        at = at or now()
        with self.writing() as db:
            db.executemany(
                "UPDATE article_state SET seen_at = ? WHERE key = ?",
                [(at, k) for k in dict.fromkeys(keys) if k])

    def prune(self, present: set[str], older_than: str) -> int:
        """Forget the state of articles that are not in the store and were last changed
        or seen before `older_than` (an ISO time); the number forgotten."""
        with self.writing() as db:
            last = dict(db.execute(
                "SELECT key, max(read_at, starred_at, seen_at) FROM article_state"))
            for key, at in db.execute("SELECT key, max(at) FROM article_tag GROUP BY key "
                                      "UNION ALL SELECT key, at FROM reading_position"):
                last[key] = max(last.get(key, ""), at)
            gone = [(k,) for k, at in last.items() if k not in present and at < older_than]
            for table in ("article_state", "article_tag", "reading_position"):
                db.executemany(f"DELETE FROM {table} WHERE key = ?", gone)
            return len(gone)

    # -- reading positions ---------------------------------------------------------------
    def position(self, key: str) -> int:
        found = self.db.execute(
            "SELECT line FROM reading_position WHERE key = ?", (key,)).fetchone()
        return int(found[0]) if found else 0

    def set_position(self, key: str, line: int, at: str | None = None) -> None:
        """Remember the line at the top of the reader's view (0, the start: forgotten)."""
        with self.writing() as db:
            if line > 0:
                db.execute(
                    "INSERT INTO reading_position(key, line, at) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET line = excluded.line, at = excluded.at",
                    (key, line, at or now()))
            else:
                db.execute("DELETE FROM reading_position WHERE key = ?", (key,))

    # -- saved searches ------------------------------------------------------------------
    def saved_searches(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, query FROM saved_search ORDER BY name"))

    def save_search(self, name: str, query: str, at: str | None = None) -> None:
        with self.writing() as db:
            db.execute(
                "INSERT INTO saved_search(name, query, changed_at) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET query = excluded.query, "
                "changed_at = excluded.changed_at", (name, query, at or now()))

    def delete_search(self, name: str) -> bool:
        with self.writing() as db:
            return db.execute("DELETE FROM saved_search WHERE name = ?", (name,)).rowcount > 0

    # -- feed subscriptions --------------------------------------------------------------
    def feeds(self) -> list[dict[str, Any]]:
        """Every subscription, as a dict of FEED_COLUMNS (tags a list, gone a bool)."""
        out = []
        for values in self.db.execute(f"SELECT {', '.join(FEED_COLUMNS)} FROM feed ORDER BY id"):
            row = dict(zip(FEED_COLUMNS, values, strict=True))
            row["tags"] = json.loads(row["tags"])
            row["gone"] = bool(row["gone"])
            out.append(row)
        return out

    def feed_entries(self) -> dict[int, list[tuple[Any, ...]]]:
        """feed id → its entries, as tuples of ENTRY_COLUMNS (deleted a bool)."""
        out: dict[int, list[tuple[Any, ...]]] = {}
        for feed_id, *values in self.db.execute(
                f"SELECT feed_id, {', '.join(ENTRY_COLUMNS)} FROM feed_entry"):
            values[5] = bool(values[5])
            out.setdefault(feed_id, []).append(tuple(values))
        return out

    def save_feeds(self, feeds: Iterable[dict[str, Any]],
                   entries: dict[str, list[tuple[Any, ...]]],
                   removed: Iterable[int] = ()) -> dict[str, int]:
        """In one change: write these subscriptions (``id`` 0 for a new one), their changed
        entries (by feed name), and forget the ``removed`` ones. Returns name → id."""
        names = [c for c in FEED_COLUMNS if c != "id"]
        ids: dict[str, int] = {}
        with self.writing() as db:
            for feed_id in removed:
                db.execute("DELETE FROM feed_entry WHERE feed_id = ?", (feed_id,))
                db.execute("DELETE FROM feed WHERE id = ?", (feed_id,))
            for feed in feeds:
                values = [json.dumps(feed[c], ensure_ascii=False) if c == "tags"
                          else int(feed[c]) if c == "gone" else feed[c] for c in names]
                if feed.get("id"):
                    db.execute(f"UPDATE feed SET {', '.join(f'{c} = ?' for c in names)} "
                               "WHERE id = ?", (*values, feed["id"]))
                    ids[feed["name"]] = int(feed["id"])
                else:
                    cursor = db.execute(f"INSERT INTO feed({', '.join(names)}) VALUES "
                                        f"({', '.join('?' * len(names))})", values)
                    ids[feed["name"]] = int(cursor.lastrowid or 0)
            marks = ", ".join("?" * (len(ENTRY_COLUMNS) + 1))
            for name, rows in entries.items():
                if name not in ids:
                    found = db.execute("SELECT id FROM feed WHERE name = ?", (name,)).fetchone()
                    if found is None:
                        continue
                    ids[name] = int(found[0])
                feed_id = ids[name]
                db.executemany(
                    f"INSERT OR REPLACE INTO feed_entry(feed_id, {', '.join(ENTRY_COLUMNS)}) "
                    f"VALUES ({marks})",
                    [(feed_id, *row[:5], int(row[5]), *row[6:]) for row in rows])
        return ids

    # -- export and merge ----------------------------------------------------------------
    def export(self) -> Iterator[dict[str, Any]]:
        """Everything, as JSON-ready records: articles first, then saved searches."""
        for state in self.all():
            yield state.record()
        for name, query, at in self.db.execute(
            "SELECT name, query, changed_at FROM saved_search ORDER BY name"):
            yield {"saved_search": name, "query": query, "changed_at": at}

    def merge(self, records: Iterable[dict[str, Any]]) -> int:
        """Take exported records back: for each field the later change wins, and nothing
        already set is lost. The number of records that changed anything."""
        changed = 0
        with self.writing() as db:
            for record in records:
                if "saved_search" in record:
                    changed += self._merge_search(db, record)
                else:
                    changed += self._merge_article(db, record)
        return changed

    def _merge_search(self, db: sqlite3.Connection, record: dict[str, Any]) -> int:
        name, query, at = record["saved_search"], record["query"], record.get("changed_at", "")
        mine = db.execute("SELECT changed_at FROM saved_search WHERE name = ?", (name,)).fetchone()
        if mine and mine[0] >= at:
            return 0
        db.execute("INSERT OR REPLACE INTO saved_search(name, query, changed_at) "
                   "VALUES (?, ?, ?)", (name, query, at))
        return 1

    def _merge_article(self, db: sqlite3.Connection, record: dict[str, Any]) -> int:
        theirs = _from_record(record)
        mine = self.get([theirs.key]).get(theirs.key) or ArticleState(theirs.key)
        merged = ArticleState(theirs.key, seen_at=max(mine.seen_at, theirs.seen_at))
        for name in ("read", "starred"):
            a, a_at = getattr(mine, name), getattr(mine, f"{name}_at")
            b, b_at = getattr(theirs, name), getattr(theirs, f"{name}_at")
            value, at = (b, b_at) if b is not None and (a is None or b_at > a_at) else (a, a_at)
            setattr(merged, name, value)
            setattr(merged, f"{name}_at", at)
        merged.tags = dict(mine.tags)
        for tag, (added, at) in theirs.tags.items():
            key = _tag_key(merged.tags, tag)
            if key not in merged.tags or at > merged.tags[key][1]:
                merged.tags[key] = (added, at)
        if merged == mine:
            return 0
        db.execute(
            "INSERT OR REPLACE INTO article_state(key, read, read_at, starred, starred_at, "
            "seen_at) VALUES (?, ?, ?, ?, ?, ?)",
            (merged.key, _bit(merged.read), merged.read_at, _bit(merged.starred),
             merged.starred_at, merged.seen_at))
        db.executemany(
            "INSERT OR REPLACE INTO article_tag(key, tag, added, at) VALUES (?, ?, ?, ?)",
            [(merged.key, t, int(a), at) for t, (a, at) in merged.tags.items()])
        return 1


def _bit(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _tag_key(tags: dict[str, tuple[bool, str]], tag: str) -> str:
    """Tags are one set whatever their case: the spelling first recorded is kept."""
    return next((t for t in tags if t.lower() == tag.lower()), tag)


def _state(values: tuple[Any, ...]) -> ArticleState:
    key, read, read_at, starred, starred_at, seen_at = values
    return ArticleState(
        key,
        None if read is None else bool(read), read_at,
        None if starred is None else bool(starred), starred_at,
        {}, seen_at,
    )


def _from_record(record: dict[str, Any]) -> ArticleState:
    key = record.get("key")
    if not isinstance(key, str) or not key:
        raise StateError("a state record has no article key")
    tags = {
        str(t): (bool(v.get("added")), str(v.get("at") or ""))
        for t, v in (record.get("tags") or {}).items() if isinstance(v, dict)
    }
    return ArticleState(
        key,
        record.get("read") if isinstance(record.get("read"), bool) else None,
        str(record.get("read_at") or ""),
        record.get("starred") if isinstance(record.get("starred"), bool) else None,
        str(record.get("starred_at") or ""),
        tags,
        str(record.get("seen_at") or ""),
    )
