"""The catalog in SQLite: metadata in `articles`, tags, folder times and the full text in an
FTS5 table, in the store's `.newscli/index.db` (or the user cache dir for a read-only
store). The only module that speaks SQL to the catalog; every sqlite3 error leaves it as a
NewscliError (`IndexDamaged` when the file is damaged, so the caller can rebuild)."""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from newscli import cjk, store
from newscli.catalog import Prepared, rank, results
from newscli.catalog.fts import match_string, where
from newscli.catalog.schema import db_path, discard, migrate, outdated
from newscli.catalog.sync import BUSY_MS, QUICK_BUSY_MS
from newscli.errors import BadQuery, IndexDamaged, NewscliError
from newscli.query import Flag, Query
from newscli.records import MARK_OFF, MARK_ON, NO_FILTERS, Filters, Hit, Row

# A search whose only condition is reading state, keeping at least this share of the store,
# ranks first and filters the top hits after (up to this many ranked), see _post_filtered.
POST_FILTER_SHARE = 0.05
POST_FILTER_MAX = 20_000
POST_FILTER_MIN = 1_000  # matches: fewer, and the condition is tested on each
COLUMNS = ("rowid, id, path, title, byline, source, date, url, tags, words, error, state_key, "
           "warnings")
_A_COLUMNS = ", ".join("a." + c for c in COLUMNS.split(", "))
# BM25 weights of the fts columns: title, byline, source, tags, body, title/body pairs.
WEIGHTS = "10.0, 4.0, 2.0, 4.0, 1.0, 10.0, 1.0"
_ORDER = {
    "date": "a.date = '', a.date DESC, a.title COLLATE NOCASE",
    "title": "a.title COLLATE NOCASE, a.date DESC",
    "source": "a.source = '', a.source COLLATE NOCASE, a.date DESC",
    "length": "a.words DESC, a.title COLLATE NOCASE",
}
_DAMAGE = ("malformed", "not a database", "corrupt", "vtable constructor failed",
           "no such table", "no such column", "disk image")

T = TypeVar("T")


def _row(values: Sequence[Any]) -> Row:
    rowid, id_, path, title, byline, source, date, url, tags, words, error, key, warned = values
    return Row(rowid, id_, path, title, byline, source, date, url, json.loads(tags), words,
               error, key, warnings=tuple(json.loads(warned)) if warned else ())


def like_escape(text: str) -> str:
    """Text matched literally by `LIKE ? ESCAPE '\\'`."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def is_damage(exc: BaseException) -> bool:
    """A database error that means the index file is damaged (not busy, not read-only)."""
    return isinstance(exc, sqlite3.DatabaseError) and any(w in str(exc) for w in _DAMAGE)


def _translated(exc: sqlite3.Error, path: Path) -> NewscliError:
    if is_damage(exc):
        return IndexDamaged(f"the index at {path} is damaged ({exc})", path=path)
    return NewscliError(f"the index could not be used: {exc}")


def guarded(method: Callable[..., T]) -> Callable[..., T]:
    """sqlite3 errors leave the catalog as newscli's own errors."""

    @functools.wraps(method)
    def wrapper(self: SqliteCatalog, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise _translated(exc, self.location) from None

    return wrapper


class SqliteCatalog:
    """Catalog and full-text index of one store, in SQLite. A context manager."""

    def __init__(self, root: Path, *, path: Path | None = None,
                 on_discard: Callable[[str], None] | None = None) -> None:
        self.root = store.require_store(root)
        self.location = path or db_path(root)
        self._on_discard = on_discard
        self.has_state = False
        self.db = self._open()

    @classmethod
    def existing(cls, root: Path) -> SqliteCatalog | None:
        """The catalog if one was ever built, without creating anything (for completion)."""
        path = db_path(root, create=False)
        return cls(root, path=path) if path.exists() else None

    def __enter__(self) -> SqliteCatalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- database ------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.location, timeout=30, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -65536")  # up to 64 MiB, allocated only as used
        return db

    def _open(self) -> sqlite3.Connection:
        try:
            if outdated(self.location):  # from before the CJK columns: made anew, not migrated
                discard(self.location)
            db = self._connect()
            migrate(db)
            return db
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise NewscliError(
                    f"the index at {self.location} cannot be used: {exc}") from None
            if self._on_discard:
                self._on_discard(f"the index at {self.location} was damaged ({exc}); "
                                 "rebuilding it")
            discard(self.location)
            db = self._connect()
            migrate(db)
            return db

    def close(self) -> None:
        self.db.close()

    def interrupt(self) -> None:
        """Called from another thread: the statement running here fails (BadQuery)."""
        self.db.interrupt()

    @guarded
    def drop(self) -> None:
        """Forget everything (for `index --rebuild`): a new, empty index file, whatever
        state the old one was in; the next refresh starts over."""
        self.db.close()
        discard(self.location)
        self.db = self._open()
        self.has_state = False

    def disk_size(self) -> int:
        files = (Path(f"{self.location}{suffix}") for suffix in ("", "-wal"))
        return sum(f.stat().st_size for f in files if f.exists())

    # -- writing: the primitives `catalog.sync` uses ------------------------------------
    def begin_write(self, wait_ms: int = BUSY_MS) -> bool:
        """Take the write lock, waiting at most `wait_ms`; False if another process holds
        it that long. (Readers are never blocked: the database is in WAL mode.)"""
        self.db.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            self.db.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return False
            raise _translated(exc, self.location) from None
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")

    def commit(self, *, reopen: bool = False) -> None:
        self.db.execute("COMMIT")
        if reopen:
            self.db.execute("BEGIN IMMEDIATE")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def compact(self) -> None:
        """Merge the full-text index into one segment: rows re-read or deleted leave old
        segments that every lookup by rowid then visits (at 100,000 articles re-read,
        the hits of a common word took 2.7x as long to fetch). Seconds at 100,000."""
        self.db.execute("INSERT INTO fts(fts) VALUES ('optimize')")

    def setting(self, key: str) -> str | None:
        found = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return found[0] if found else None

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value))

    def mark_all_stale(self) -> None:
        self.db.execute("UPDATE articles SET mtime_ns = -1")

    def known_dirs(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT path, mtime_ns FROM dirs").fetchall())

    def set_dir(self, rel_dir: str, mtime_ns: int) -> None:
        self.db.execute(
            "INSERT INTO dirs(path, mtime_ns) VALUES (?, ?) "
            "ON CONFLICT(path) DO UPDATE SET mtime_ns = excluded.mtime_ns",
            (rel_dir, mtime_ns),
        )

    def files_in(self, rel_dir: str) -> dict[str, tuple[int, int]]:
        """The catalogued files of one folder: path → (mtime_ns, size)."""
        found = self.db.execute(
            "SELECT path, mtime_ns, size FROM articles WHERE dir = ?", (rel_dir,))
        return {path: (mtime, size) for path, mtime, size in found}

    def refused_paths(self) -> list[str]:
        return [p for (p,) in self.db.execute(
            "SELECT path FROM articles INDEXED BY articles_errors WHERE error IS NOT NULL")]

    def forget_dir(self, rel_dir: str) -> int:
        """Forget a folder that is gone, with its articles and subfolders."""
        if rel_dir == "":
            return 0
        like = like_escape(rel_dir) + "/%"
        paths = [p for (p,) in self.db.execute(
            "SELECT path FROM articles WHERE dir = ? OR dir LIKE ? ESCAPE '\\'", (rel_dir, like))]
        for path in paths:
            self.delete(path)
        self.db.execute(
            "DELETE FROM dirs WHERE path = ? OR path LIKE ? ESCAPE '\\'", (rel_dir, like))
        return len(paths)

    def delete(self, rel: str) -> None:
        found = self.db.execute("SELECT rowid FROM articles WHERE path = ?", (rel,)).fetchone()
        if found:
            self.db.execute("DELETE FROM articles WHERE rowid = ?", found)
            self.db.execute("DELETE FROM tags WHERE article = ?", found)
            self.db.execute("DELETE FROM fts WHERE rowid = ?", found)

    def put(self, prepared: Prepared) -> str | None:
        """Write one prepared article into the catalog, tags and full-text tables; return
        the reason it is unreadable, if it is."""
        p = prepared
        values = (p.path, p.dir, p.mtime_ns, p.size, p.title, p.byline, p.source, p.date,
                  p.url, json.dumps(list(p.tags), ensure_ascii=False), p.language, p.words,
                  p.url_key, p.text_key, p.state_key, p.error,
                  json.dumps(list(p.warnings), ensure_ascii=False) if p.warnings else None)
        sql = ("INSERT INTO articles(id, path, dir, mtime_ns, size, title, byline, source, "
               "date, url, tags, language, words, url_key, text_key, state_key, error, "
               "warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        rowid = None
        for candidate in store.candidate_ids(p.path):
            try:
                rowid = self.db.execute(sql, (candidate, *values)).lastrowid
                break
            except sqlite3.IntegrityError:
                continue
        if rowid is None or p.error is not None:
            return p.error
        self.db.executemany(
            "INSERT INTO tags(article, tag) VALUES (?, ?)", [(rowid, t) for t in p.tags])
        self.db.execute(
            "INSERT INTO fts(rowid, title, byline, source, tags, body, title_cjk, body_cjk) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (rowid, p.title, p.byline, p.source, " ".join(p.tags), p.body,
             cjk.index_text(p.title), cjk.index_text(p.body)),
        )
        return None

    def file_state(self, row: Row) -> tuple[int, int] | None:
        found = self.db.execute(
            "SELECT mtime_ns, size FROM articles WHERE rowid = ?", (row.rowid,)).fetchone()
        return (found[0], found[1]) if found else None

    @contextmanager
    def translating(self) -> Iterator[None]:
        """sqlite3 errors inside the block leave as newscli's own errors."""
        try:
            yield
        except sqlite3.Error as exc:
            raise _translated(exc, self.location) from None

    @guarded
    def save_listing(self, ids: list[str]) -> None:
        """Remember the numbers a listing showed, so `read 3` means what the user saw
        (skipped, rather than waited for, while another process holds the index)."""
        if not self.begin_write(QUICK_BUSY_MS):
            return
        try:
            self.db.execute("DELETE FROM listing")
            self.db.executemany(
                "INSERT INTO listing(n, article) VALUES (?, ?)", enumerate(ids, start=1))
            self.db.execute("COMMIT")
        except sqlite3.OperationalError:
            self.rollback()

    # -- reading -------------------------------------------------------------------------
    @guarded
    def stale_dirs(self) -> list[str] | None:
        """Known folders whose mtime moved; None when the catalog has never been built."""
        known = self.known_dirs()
        if not known:
            return None
        changed = []
        for rel, mtime in known.items():
            try:
                now = os.stat(self.root / rel if rel else self.root).st_mtime_ns
            except OSError:
                now = -2
            if now != mtime:
                changed.append(rel)
        return changed

    @guarded
    def unreadable(self) -> list[tuple[str, str]]:
        return self.db.execute(
            "SELECT path, error FROM articles WHERE error IS NOT NULL ORDER BY path"
        ).fetchall()

    @guarded
    def warned(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(path, tuple(json.loads(w))) for path, w in self.db.execute(
            "SELECT path, warnings FROM articles WHERE warnings IS NOT NULL ORDER BY path")]

    @guarded
    def count(self) -> int:
        return int(self.db.execute(
            "SELECT count(*) FROM articles WHERE error IS NULL").fetchone()[0])

    @guarded
    def size_estimate(self) -> int:
        """The number of articles, near enough for weighing words (and free to know)."""
        return int(self.db.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 1)

    def _selection(self, query: Query | None, filters: Filters) -> tuple[str, tuple[object, ...]]:
        """FROM … WHERE … of the articles a query (unranked) and filters select."""
        condition, params = where(query, filters, self.has_state)
        if query is not None and query.match is not None:
            return ("FROM fts JOIN articles a ON a.rowid = fts.rowid WHERE fts MATCH ? AND "
                    f"a.error IS NULL AND ({condition})", (match_string(query.match), *params))
        return f"FROM articles a WHERE a.error IS NULL AND ({condition})", params

    @guarded
    def count_rows(self, filters: Filters = NO_FILTERS, limit: int | None = None,
                   query: Query | None = None) -> int:
        selection, params = self._selection(query, filters)
        bound = f" LIMIT {int(limit)}" if limit is not None else ""
        return int(self.db.execute(
            f"SELECT count(*) FROM (SELECT 1 {selection}{bound})", params).fetchone()[0])

    def rows(self, *, sort: str = "date", reverse: bool = False, limit: int | None = None,
             offset: int = 0, filters: Filters = NO_FILTERS,
             query: Query | None = None) -> Iterator[Row]:
        """Catalogued articles in list order (newest first by default, undated last),
        all of them or those a query selects (in list order, not ranked)."""
        order = _ORDER[sort]
        if reverse:
            order = ", ".join(
                part if part.endswith("= ''") else _flip(part) for part in order.split(", "))
        selection, params = self._selection(query, filters)
        sql = f"SELECT {_A_COLUMNS} {selection} ORDER BY {order}"
        if limit is not None or offset:
            sql += f" LIMIT {int(limit) if limit is not None else -1} OFFSET {int(offset)}"
        try:
            for values in self.db.execute(sql, params):
                yield _row(values)
        except sqlite3.Error as exc:
            raise _translated(exc, self.location) from None

    @guarded
    def listed(self) -> list[Row]:
        """The rows of the last listing, in its order."""
        return [_row(v) for v in self.db.execute(
            f"SELECT {_A_COLUMNS} FROM listing l JOIN articles a ON a.id = l.article "
            "ORDER BY l.n")]

    @guarded
    def attach_state(self, path: Path) -> None:
        """Let queries see reading state and the user's tags (newscli.state's tables)."""
        if not self.has_state:
            self.db.execute("ATTACH DATABASE ? AS state", (str(path),))
            self.has_state = True

    @guarded
    def by_path(self, rel: str) -> Row | None:
        found = self.db.execute(f"SELECT {COLUMNS} FROM articles WHERE path = ?", (rel,))
        values = found.fetchone()
        return _row(values) if values else None

    @guarded
    def by_id(self, article_id: str) -> Row | None:
        found = self.db.execute(f"SELECT {COLUMNS} FROM articles WHERE id = ?", (article_id,))
        values = found.fetchone()
        return _row(values) if values else None

    @guarded
    def by_number(self, n: int) -> Row | None:
        values = self.db.execute(
            f"SELECT {_A_COLUMNS} FROM listing l JOIN articles a ON a.id = l.article "
            "WHERE l.n = ?", (n,)).fetchone()
        return _row(values) if values else None

    @guarded
    def by_prefix(self, key: str, limit: int) -> list[Row]:
        """Articles whose id, or the file name in it, starts with `key`; failing that, one
        of whose id's words does."""
        like = like_escape(key) + "%"
        for patterns in ((like, "%/" + like), ("%-" + like, "%-" + like)):
            found = [_row(v) for v in self.db.execute(
                f"SELECT {COLUMNS} FROM articles WHERE id LIKE ? ESCAPE '\\' "
                f"OR id LIKE ? ESCAPE '\\' ORDER BY id LIMIT {int(limit)}", patterns)]
            if found:
                return found
        return []

    @guarded
    def ids_containing(self, word: str, limit: int) -> list[str]:
        return [i for (i,) in self.db.execute(
            "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' AND error IS NULL "
            f"ORDER BY id LIMIT {int(limit)}", (f"%{like_escape(word)}%",))]

    @guarded
    def ids_starting(self, prefix: str, limit: int) -> list[str]:
        """Ids for shell completion: by id or by file-name prefix."""
        like = like_escape(prefix) + "%"
        return [i for (i,) in self.db.execute(
            "SELECT id FROM articles WHERE error IS NULL AND (id LIKE ? ESCAPE '\\' "
            f"OR id LIKE ? ESCAPE '\\') ORDER BY id LIMIT {int(limit)}", (like, "%/" + like))]

    @guarded
    def find_duplicate(self, url_key: str, text_key: str) -> str | None:
        for column, key in (("url_key", url_key), ("text_key", text_key)):
            if key:
                found = self.db.execute(
                    f"SELECT id FROM articles WHERE {column} = ? LIMIT 1", (key,)).fetchone()
                if found:
                    return str(found[0])
        return None

    @guarded
    def doc_count(self, word: str, cap: int) -> int:
        """In how many articles a word occurs, counting no further than `cap`."""
        from newscli.catalog.fts import phrase

        return int(self.db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ? LIMIT ?)",
            (phrase([word]), cap)).fetchone()[0])

    @guarded
    def search(self, query: Query, *, limit: int = 20, sort: str = "relevance",
               filters: Filters = NO_FILTERS, explain: bool = False,
               distinct: bool = False) -> list[Hit]:
        """Ranked hits for a parsed query: BM25, best-match, copies once (catalog/rank.py)."""
        strict = functools.partial(self._strict, query, sort=sort, filters=filters, explain=explain)
        catalog = rank.Catalog(self.db, self._run, _A_COLUMNS, _row, WEIGHTS, self.has_state)
        return rank.search(catalog, query, strict, limit, sort, filters, explain, distinct)

    def _strict(self, query: Query, limit: int, sort: str, filters: Filters,
                explain: bool) -> list[Hit]:
        condition, params = where(query, filters, self.has_state)
        if (query.match is not None and sort == "relevance" and self._only_state(query, filters)
                and self._many_match(match_string(query.match))):
            found = self._post_filtered(match_string(query.match), condition, params, limit,
                                        lambda: self._kept_share(query, filters))
            if found is not None:
                return self._hits(found, match_string(query.match), explain)
        if query.match is None:
            sql = (
                f"SELECT {_A_COLUMNS}, a.title, 0.0, '' FROM articles a "
                f"WHERE a.error IS NULL AND ({condition}) ORDER BY a.date = '', a.date DESC "
                "LIMIT ?"
            )
            values: list[object] = [*params, limit]
            match = None
        else:
            match = match_string(query.match)
            # Rank first, over the full-text table alone when there are no filters; make
            # snippets only for the hits kept (FTS5 would otherwise build one per match).
            filtered = condition != "1" or sort != "relevance"
            join = "JOIN articles a ON a.rowid = fts.rowid" if filtered else ""
            order = "a.date = '', a.date DESC, score" if sort == "date" else "score"
            sql = (
                f"WITH top AS (SELECT fts.rowid AS hit, bm25(fts, {WEIGHTS}) AS score "
                f"FROM fts {join} WHERE fts MATCH ? AND ({condition}) "
                f"ORDER BY {order} LIMIT ?) "
                f"SELECT {_A_COLUMNS}, highlight(fts, 0, '{MARK_ON}', '{MARK_OFF}'), "
                "top.score AS score, "
                f"snippet(fts, 4, '{MARK_ON}', '{MARK_OFF}', '…', 24) "
                "FROM top CROSS JOIN fts ON fts.rowid = top.hit JOIN articles a "  # top first
                "ON a.rowid = top.hit "
                f"WHERE fts MATCH ? ORDER BY {order}"
            )
            values = [match, *params, limit, match]
        return self._hits(self._run(sql, values), match, explain)

    def _run(self, sql: str, values: Sequence[object]) -> list[Any]:
        try:
            return self.db.execute(sql, values).fetchall()
        except sqlite3.OperationalError as exc:
            if is_damage(exc):
                raise
            raise BadQuery(f"the search could not run: {exc}") from None

    def _hits(self, found: list[Any], match: str | None, explain: bool) -> list[Hit]:
        hits = [Hit(_row(v[:-3]), 0.0 - v[-2], v[-1], v[-3]) for v in found]
        if explain and match is not None:
            for hit in hits:
                hit.matched = results.matched(self.db, match, hit.row.rowid)
        return hits

    def _many_match(self, match: str) -> bool:
        """Whether a match string matches more than POST_FILTER_MIN articles (counting no
        further): below that, testing a condition on every match costs next to nothing."""
        found = self.db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ? LIMIT ?)",
            (match, POST_FILTER_MIN)).fetchone()[0]
        return bool(found >= POST_FILTER_MIN)

    def _only_state(self, query: Query, filters: Filters) -> bool:
        """Whether a search's only conditions are reading state (`is:unread`, --unread)."""
        return (self.has_state and bool(query.filters or filters)
                and not filters._replace(read=None, starred=None)
                and all(isinstance(c, Flag) for c in query.filters))

    def _kept_share(self, query: Query, filters: Filters) -> float:
        """About what share of the store a reading-state search keeps."""
        wanted = [(f.name, f.value) for f in query.filters if isinstance(f, Flag)]
        wanted += [(n, v) for n in ("read", "starred") if (v := getattr(filters, n)) is not None]
        total = self.size_estimate()
        share = 1.0
        for name, value in wanted:
            on = self.db.execute(  # counted on the partial index of the flag
                f"SELECT count(*) FROM state.article_state WHERE {name} = 1").fetchone()[0]
            share *= (1 - on / total) if not value else on / total
        return share

    def _post_filtered(self, match: str, condition: str, params: tuple[object, ...],
                       limit: int, share: Callable[[], float]) -> list[Any] | None:
        """Rank over the full-text table alone, then keep the hits the condition allows:
        for a condition that keeps much of the store (is:unread, typically), far cheaper
        than testing it on every match first. None when it keeps too little (is:starred,
        typically): then rank the usual way. The share kept is counted only when the first
        round comes up short."""
        want = 4 * limit + 10
        while want <= POST_FILTER_MAX:
            ranked = self._run(
                f"SELECT fts.rowid, bm25(fts, {WEIGHTS}) AS score FROM fts WHERE fts MATCH ? "
                "ORDER BY score LIMIT ?", (match, want))
            marks = ", ".join("?" * len(ranked))
            allowed = {r for (r,) in self.db.execute(
                f"SELECT a.rowid FROM articles a WHERE a.rowid IN ({marks}) AND a.error IS NULL "
                f"AND ({condition})", (*(r for r, _ in ranked), *params))}
            kept = [(r, score) for r, score in ranked if r in allowed][:limit]
            if len(kept) >= limit or len(ranked) < want:
                break
            kept_share = share()
            if kept_share < POST_FILTER_SHARE:
                return None
            want = max(want * 4, int(limit / kept_share * 2))
        else:
            return None
        if not kept:
            return []
        order = {rowid: n for n, (rowid, _) in enumerate(kept)}
        scores = dict(kept)
        # one full-text lookup per hit kept (a rowid IN list would match the whole text again)
        values = ", ".join(["(?)"] * len(kept))
        found = self._run(
            f"WITH top(hit) AS (VALUES {values}) "
            f"SELECT {_A_COLUMNS}, highlight(fts, 0, '{MARK_ON}', '{MARK_OFF}'), 0.0, "
            f"snippet(fts, 4, '{MARK_ON}', '{MARK_OFF}', '…', 24) FROM top "
            "CROSS JOIN fts ON fts.rowid = top.hit JOIN articles a ON a.rowid = top.hit "
            "WHERE fts MATCH ?", (*order, match))
        found.sort(key=lambda v: order[v[0]])
        return [(*v[:-2], scores[v[0]], v[-1]) for v in found]


def _flip(part: str) -> str:
    if part.endswith(" DESC"):
        return part[: -len(" DESC")]
    return part + " DESC"

