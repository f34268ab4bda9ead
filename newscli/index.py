"""The catalog: parsed metadata and full text of every article, in SQLite inside the store.

Change detection (see README, "How newscli notices changes"):
- every command stats each folder it knows (a few dozen `stat`s, not one per file) and
  rescans only folders whose mtime changed: additions, deletions and renames are seen;
- `newscli index` also stats every file and re-reads those whose size or mtime changed;
- `newscli read` checks the one file it shows.
A folder whose mtime is younger than two seconds is rescanned next time too, so a file
added in the same clock tick as a scan is never missed.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from newscli import store
from newscli.errors import Ambiguous, BadQuery, NewscliError, NotFound, Unreadable
from newscli.formats import PARSER_VERSION, humanise_name

if TYPE_CHECKING:
    from newscli.bestmatch import Parts
    from newscli.model import Article
    from newscli.query import Query

DB_NAME = "index.db"
RACY_NS = 2_000_000_000
BATCH = 2000
BUSY_MS = 30_000  # how long `newscli index` waits for another writer
QUICK_BUSY_MS = 3_000  # how long a reading command waits before answering from the index as is

MIGRATIONS: Sequence[str] = (
    # 1: catalog, tags, folders, the last listing, full text
    """
    CREATE TABLE articles(
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL UNIQUE,
        dir TEXT NOT NULL,
        mtime_ns INTEGER NOT NULL,
        size INTEGER NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        byline TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        language TEXT NOT NULL DEFAULT '',
        words INTEGER NOT NULL DEFAULT 0,
        error TEXT
    );
    CREATE INDEX articles_dir ON articles(dir);
    CREATE INDEX articles_date ON articles(date);
    CREATE TABLE tags(article INTEGER NOT NULL, tag TEXT NOT NULL COLLATE NOCASE);
    CREATE INDEX tags_article ON tags(article);
    CREATE INDEX tags_tag ON tags(tag);
    CREATE TABLE dirs(path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL);
    CREATE TABLE listing(n INTEGER PRIMARY KEY, article TEXT NOT NULL);
    CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE VIRTUAL TABLE fts USING fts5(
        title, byline, source, tags, body,
        tokenize = "porter unicode61 remove_diacritics 2"
    );
    """,
    # 2: keys that recognise an article added twice (same canonical URL, same words)
    """
    ALTER TABLE articles ADD COLUMN url_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN text_key TEXT NOT NULL DEFAULT '';
    CREATE INDEX articles_url_key ON articles(url_key) WHERE url_key != '';
    CREATE INDEX articles_text_key ON articles(text_key) WHERE text_key != '';
    CREATE INDEX articles_newest ON articles(date = '', date DESC, title COLLATE NOCASE);
    """,
    # 3: unreadable files found without a scan of the whole catalog
    """
    CREATE INDEX articles_errors ON articles(path) WHERE error IS NOT NULL;
    """,
)

COLUMNS = "rowid, id, path, title, byline, source, date, url, tags, words, error"
# BM25 weights of the fts columns: title, byline, source, tags, body.
WEIGHTS = "10.0, 4.0, 2.0, 4.0, 1.0"
# Match markers: control characters, which sanitized article text can never contain.
MARK_ON, MARK_OFF = "\x02", "\x03"
MARKED = re.compile(f"{MARK_ON}(.*?){MARK_OFF}", re.S)
STOPWORDS = frozenset(
    """also been before being could does from have into just more most much only other over
    said says same some such than that their them then there these they this those through
    under very were what when where which while will with would your about after again
    against because between during each further here once should since until upon within
    without year years first last like make made many people time""".split()
)


class Row(NamedTuple):
    """One article as the catalog knows it."""

    rowid: int
    id: str
    path: str
    title: str
    byline: str
    source: str
    date: str
    url: str
    tags: list[str]
    words: int
    error: str | None = None

    @classmethod
    def from_sql(cls, values: tuple) -> Row:  # type: ignore[type-arg]
        rowid, id_, path, title, byline, source, date, url, tags, words, error = values
        return cls(rowid, id_, path, title, byline, source, date, url, json.loads(tags), words,
                   error)


class Hit:
    """One search result: the article, its score (higher is better), and its title and a
    snippet with matches wrapped in MARK_ON/MARK_OFF; `matched` is filled in for --explain.
    (Plain classes here, not dataclasses: their generated code costs start-up time.)"""

    __slots__ = ("row", "score", "snippet", "title", "matched")

    def __init__(self, row: Row, score: float, snippet: str, title: str = "") -> None:
        self.row, self.score, self.snippet = row, score, snippet
        self.title = title or row.title  # with matches marked, like the snippet
        self.matched: dict[str, list[str]] = {}


class Changes:
    """What a refresh did."""

    def __init__(self) -> None:
        self.added = self.updated = self.removed = 0
        self.unreadable: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


Progress = Callable[[int, int], None]


_DAMAGE = ("malformed", "not a database", "corrupt", "vtable constructor failed",
           "no such table", "no such column", "disk image")


def is_damage(exc: BaseException) -> bool:
    """A database error that means the index file is damaged (not busy, not read-only)."""
    return isinstance(exc, sqlite3.DatabaseError) and any(w in str(exc) for w in _DAMAGE)


def discard(path: Path, reason: BaseException, warn: Callable[[str], None]) -> None:
    """Remove a damaged index (it holds nothing that the articles cannot give again)."""
    warn(f"the index at {path} was damaged ({reason}); rebuilding it")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def db_path(root: Path) -> Path:
    """The store's own `.newscli/index.db`, or one in the user cache dir when the store
    cannot be written (a read-only store still lists, reads and searches)."""
    own = root / store.DATA_DIR
    try:
        own.mkdir(exist_ok=True)
        if os.access(own, os.W_OK):
            return own / DB_NAME
    except OSError:
        pass
    import hashlib

    from newscli.config import cache_dir

    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    folder = cache_dir() / "stores" / key
    folder.mkdir(parents=True, exist_ok=True)
    return folder / DB_NAME


class Prepared(NamedTuple):
    """One file read and parsed, ready for the database: made in worker processes."""

    path: str
    values: dict[str, object]
    tags: list[str]
    fts: tuple[str, str, str, str, str] | None  # title, byline, source, tags, body
    error: str | None


def prepare(root: Path, max_bytes: int, entry: store.Entry) -> Prepared:
    """Read and parse one file into catalog values (never raises for a bad file)."""
    values: dict[str, object] = {
        "path": entry.path,
        "dir": entry.path.rpartition("/")[0],
        "mtime_ns": entry.mtime_ns,
        "size": entry.size,
        "title": humanise_name(entry.path),
    }
    try:
        article = store.read_article(root, entry.path, max_bytes)
    except Unreadable as exc:
        return Prepared(entry.path, {**values, "error": exc.message}, [], None, exc.message)
    except (RecursionError, MemoryError, ValueError) as exc:  # a parser's last resort
        error = f"cannot be parsed ({type(exc).__name__})"
        return Prepared(entry.path, {**values, "error": error}, [], None, error)
    meta = article.meta
    body = article.plain_text()
    values.update(
        title=meta.title,
        byline=meta.byline,
        source=meta.source,
        date=meta.date,
        url=meta.url,
        tags=json.dumps(meta.tags, ensure_ascii=False),
        language=meta.language,
        words=article.words,
        url_key=url_key(meta.url),
        text_key=text_key(body),
    )
    tags = " ".join(meta.tags)
    return Prepared(entry.path, values, meta.tags, (meta.title, meta.byline, meta.source, tags,
                                                     body), None)


PARALLEL_MIN = 2000


def prepare_all(root: Path, max_bytes: int, entries: list[store.Entry]) -> Iterator[Prepared]:
    """Prepare many files, in order; on several cores, parsing runs in worker processes
    while this one writes to the database."""
    workers = min(os.cpu_count() or 1, 4)
    if len(entries) < PARALLEL_MIN or workers < 2 or sys.platform == "win32":
        yield from (prepare(root, max_bytes, entry) for entry in entries)
        return
    import multiprocessing
    from functools import partial

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    work = partial(prepare, root, max_bytes)
    step = 2 * BATCH  # results wait in memory one slice at a time, not all of them
    with context.Pool(workers) as pool:
        pending = pool.imap(work, entries[:step], chunksize=64)
        for start in range(step, len(entries) + step, step):
            following = pool.imap(work, entries[start : start + step], chunksize=64)
            yield from pending
            pending = following


def url_key(url: str) -> str:
    """The URL as `add` compares it: canonical (no tracking parameters, no fragment)."""
    if not url:
        return ""
    from newscli.fetch import canonical_url

    return canonical_url(url)


def text_key(body: str) -> str:
    """A fingerprint of an article's words, to recognise the same text added twice."""
    import hashlib

    words = " ".join(body.lower().split())
    return hashlib.sha1(words.encode("utf-8", "replace")).hexdigest() if words else ""


class Index:
    """Catalog and full-text index of one store."""

    def __init__(
        self,
        root: Path,
        max_article_bytes: int | Callable[[], int],
        warn: Callable[[str], None],
    ) -> None:
        self.root = store.require_store(root)
        self._max_bytes = max_article_bytes
        self.warn = warn
        self.path = db_path(root)
        self.db = self._open()

    @property
    def max_bytes(self) -> int:
        """The article size limit (read from the settings only when a file is parsed)."""
        limit = self._max_bytes
        return limit() if callable(limit) else limit

    # -- database ------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -65536")  # up to 64 MiB, allocated only as used
        return db

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect()
            self._migrate(db)
            return db
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise NewscliError(f"the index at {self.path} cannot be used: {exc}") from None
            discard(self.path, exc, self.warn)
            db = self._connect()
            self._migrate(db)
            return db

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version >= len(MIGRATIONS):
            db.execute("SELECT count(*) FROM articles WHERE rowid = 0").fetchone()
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    # -- keeping it current --------------------------------------------------------------
    def _changed_dirs(self) -> list[str] | None:
        """Known folders whose mtime moved; None when the catalog has never been built."""
        known = self.db.execute("SELECT path, mtime_ns FROM dirs").fetchall()
        if not known:
            return None
        changed = []
        for rel, mtime in known:
            try:
                now = os.stat(self.root / rel if rel else self.root).st_mtime_ns
            except OSError:
                now = -2
            if now != mtime:
                changed.append(rel)
        return changed

    def refresh(self, *, full: bool = False, progress: Progress | None = None) -> Changes:
        """Bring the catalog up to date. Quick (folders only) unless `full`, or unless the
        parser changed since the catalog was written: then every article is read again."""
        if self._setting("parser") != str(PARSER_VERSION):
            self._reparse_all()
            full = True
        changed = None if full else self._changed_dirs()
        retry = self._retry_for_new_limit()
        if changed == [] and not retry:
            return Changes()
        if not self._begin_write(BUSY_MS if full else QUICK_BUSY_MS):
            self.warn("another newscli is updating the index; answering from it as it stands")
            return Changes()
        try:
            if retry:
                for path in retry:
                    self._reread(path)
                self._set("max_bytes", str(self.max_bytes))
            changes = self._apply(full or changed is None, changed or [], progress)
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        return changes

    def _begin_write(self, wait_ms: int) -> bool:
        """Take the write lock, waiting at most `wait_ms`; False if another process holds
        it that long. (Readers are never blocked: the database is in WAL mode.)"""
        self.db.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            self.db.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return False
            raise
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")

    def _apply(self, everything: bool, dirs: list[str], progress: Progress | None) -> Changes:
        changes = Changes()
        if not everything:
            dirs = [d for d in dirs if d in self._dir_mtimes()]  # another process may be done
        todo: list[tuple[str, int, list[str], list[str]]] = []
        seen_dirs: set[str] = set()
        pending = [""] if everything else list(dirs)
        known_dirs = self._dir_mtimes()
        while pending:
            rel_dir = pending.pop()
            if rel_dir in seen_dirs:
                continue
            seen_dirs.add(rel_dir)
            try:
                mtime = os.stat(self.root / rel_dir if rel_dir else self.root).st_mtime_ns
            except OSError:
                mtime = -2
            bad: list[str] = []
            files, subdirs = store.scan_dir(self.root, rel_dir, bad) if mtime != -2 else ([], [])
            changes.unreadable += [f"{name}: the name is not valid UTF-8" for name in bad]
            todo.append((rel_dir, mtime, files, subdirs))
            pending.extend(s for s in subdirs if everything or s not in known_dirs)
        # Folders that vanished take their articles (and subfolders) with them.
        for rel_dir, mtime, _files, _subdirs in todo:
            if mtime == -2:
                changes.removed += self._forget_dir(rel_dir)
        if everything:
            for rel_dir in set(known_dirs) - seen_dirs:
                changes.removed += self._forget_dir(rel_dir)
        work: list[tuple[store.Entry, bool]] = []
        for rel_dir, _mtime, files, _subdirs in todo:
            catalog = dict(
                self.db.execute(
                    "SELECT path, mtime_ns || ':' || size FROM articles WHERE dir = ?", (rel_dir,)
                ).fetchall()
            )
            present = set(files)
            for gone in set(catalog) - present:
                self._delete(gone)
                changes.removed += 1
            for rel in files:
                if rel in catalog and not everything:
                    continue
                entry = store.stat_entry(self.root, rel)
                if entry is None:
                    continue
                if rel in catalog:
                    if catalog[rel] == f"{entry.mtime_ns}:{entry.size}":
                        continue
                    work.append((entry, True))
                else:
                    work.append((entry, False))
        total = len(work)
        existing = {entry.path for entry, known in work if known}
        prepared_stream = prepare_all(self.root, self.max_bytes, [e for e, _ in work])
        for done, prepared in enumerate(prepared_stream, start=1):
            if prepared.path in existing:
                self._delete(prepared.path)
                changes.updated += 1
            else:
                changes.added += 1
            error = self._store(prepared)
            if error:
                changes.unreadable.append(f"{prepared.path}: {error}")
            if done % BATCH == 0:
                self.db.execute("COMMIT")
                self.db.execute("BEGIN IMMEDIATE")
            if progress:
                progress(done, total)
        now = time.time_ns()
        for rel_dir, mtime, _files, _subdirs in todo:
            if mtime == -2:
                continue
            recorded = mtime if now - mtime > RACY_NS else -1
            self.db.execute(
                "INSERT INTO dirs(path, mtime_ns) VALUES (?, ?) "
                "ON CONFLICT(path) DO UPDATE SET mtime_ns = excluded.mtime_ns",
                (rel_dir, recorded),
            )
        return changes

    def _retry_for_new_limit(self) -> list[str]:
        """Files refused under another size limit, to read again now that it changed."""
        refused = [p for (p,) in self.db.execute(
            "SELECT path FROM articles INDEXED BY articles_errors WHERE error IS NOT NULL")]
        if not refused or self._setting("max_bytes") == str(self.max_bytes):
            return []
        return refused

    def _set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value))

    def _setting(self, key: str) -> str | None:
        found = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return found[0] if found else None

    def _reparse_all(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("UPDATE articles SET mtime_ns = -1")
        self._set("parser", str(PARSER_VERSION))
        self.db.execute("COMMIT")

    def _dir_mtimes(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT path, mtime_ns FROM dirs").fetchall())

    def _forget_dir(self, rel_dir: str) -> int:
        if rel_dir == "":
            return 0
        like = rel_dir.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
        paths = [
            p
            for (p,) in self.db.execute(
                "SELECT path FROM articles WHERE dir = ? OR dir LIKE ? ESCAPE '\\'",
                (rel_dir, like),
            )
        ]
        for path in paths:
            self._delete(path)
        self.db.execute(
            "DELETE FROM dirs WHERE path = ? OR path LIKE ? ESCAPE '\\'", (rel_dir, like)
        )
        return len(paths)

    def _delete(self, rel: str) -> None:
        found = self.db.execute("SELECT rowid FROM articles WHERE path = ?", (rel,)).fetchone()
        if found:
            self.db.execute("DELETE FROM articles WHERE rowid = ?", found)
            self.db.execute("DELETE FROM tags WHERE article = ?", found)
            self.db.execute("DELETE FROM fts WHERE rowid = ?", found)

    def _reread(self, rel: str) -> None:
        """Replace one file's catalog entry with a fresh reading of it (none if it is gone)."""
        self._delete(rel)
        if (entry := store.stat_entry(self.root, rel)) is not None:
            self._store(prepare(self.root, self.max_bytes, entry))

    def _store(self, prepared: Prepared) -> str | None:
        """Write one prepared article into the catalog, tags and full-text tables; return
        the reason it is unreadable, if it is."""
        values = prepared.values
        sql = f"INSERT INTO articles(id, {', '.join(values)}) VALUES (?{', ?' * len(values)})"
        rowid = None
        for candidate in store.candidate_ids(prepared.path):
            try:
                rowid = self.db.execute(sql, (candidate, *values.values())).lastrowid
                break
            except sqlite3.IntegrityError:
                continue
        if rowid is None or prepared.fts is None:
            return prepared.error
        self.db.executemany(
            "INSERT INTO tags(article, tag) VALUES (?, ?)", [(rowid, t) for t in prepared.tags]
        )
        self.db.execute(
            "INSERT INTO fts(rowid, title, byline, source, tags, body) VALUES (?, ?, ?, ?, ?, ?)",
            (rowid, *prepared.fts),
        )
        return None

    def check_file(self, row: Row) -> Row:
        """Re-read one article if its file changed since it was catalogued."""
        entry = store.stat_entry(self.root, row.path)
        known = self.db.execute(
            "SELECT mtime_ns, size FROM articles WHERE rowid = ?", (row.rowid,)
        ).fetchone()
        if entry is None or known == (entry.mtime_ns, entry.size):
            return row
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self._reread(row.path)
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        return self.by_path(row.path) or row

    def drop(self) -> None:
        """Forget everything (for `index --rebuild`): a new, empty index file, whatever
        state the old one was in; the next refresh starts over."""
        self.db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.db = self._open()

    def status(self) -> dict[str, str]:
        """What `index --status` reports, without changing anything."""
        changed = self._changed_dirs()
        if changed:  # folders seen in their last two seconds are only due for a recheck
            pending = {p for (p,) in self.db.execute("SELECT path FROM dirs WHERE mtime_ns = -1")}
            changed = [d for d in changed if d not in pending]
        size = sum(
            Path(f"{self.path}{s}").stat().st_size
            for s in ("", "-wal")
            if Path(f"{self.path}{s}").exists()
        )
        return {
            "store": str(self.root),
            "index": str(self.path),
            "articles": f"{self.count():,}",
            "size": f"{size / 1_048_576:.1f} MiB",
            "state": "never built"
            if changed is None
            else f"{len(changed)} folder(s) changed since the last update"
            if changed
            else "up to date (edits in place are checked by `newscli index`)",
        }

    # -- reading -------------------------------------------------------------------------
    def unreadable(self) -> list[tuple[str, str]]:
        return self.db.execute(
            "SELECT path, error FROM articles WHERE error IS NOT NULL ORDER BY path"
        ).fetchall()

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles WHERE error IS NULL").fetchone()[0]

    def rows(
        self,
        *,
        sort: str = "date",
        reverse: bool = False,
        limit: int | None = None,
        where: str = "1",
        params: Sequence[object] = (),
    ) -> Iterator[Row]:
        """Catalogued articles in list order: newest first by default, undated last."""
        order = {
            "date": "a.date = '', a.date DESC, a.title COLLATE NOCASE",
            "title": "a.title COLLATE NOCASE, a.date DESC",
            "source": "a.source = '', a.source COLLATE NOCASE, a.date DESC",
            "length": "a.words DESC, a.title COLLATE NOCASE",
        }[sort]
        if reverse:
            order = ", ".join(
                part if part.endswith("= ''") else _flip(part) for part in order.split(", ")
            )
        sql = (
            f"SELECT {', '.join('a.' + c for c in COLUMNS.split(', '))} FROM articles a "
            f"WHERE a.error IS NULL AND ({where}) ORDER BY {order}"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        for values in self.db.execute(sql, tuple(params)):
            yield Row.from_sql(values)

    def by_path(self, rel: str) -> Row | None:
        values = self.db.execute(f"SELECT {COLUMNS} FROM articles WHERE path = ?", (rel,))
        found = values.fetchone()
        return Row.from_sql(found) if found else None

    def save_listing(self, ids: list[str]) -> None:
        """Remember the numbers `list` showed, so `read 3` means what the user saw (skipped,
        rather than waited for, while another process holds the index)."""
        if not self._begin_write(QUICK_BUSY_MS):
            return
        try:
            self.db.execute("DELETE FROM listing")
            self.db.executemany(
                "INSERT INTO listing(n, article) VALUES (?, ?)", enumerate(ids, start=1)
            )
            self.db.execute("COMMIT")
        except sqlite3.OperationalError:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")

    def resolve(self, name: str) -> Row:
        """An article by number (as `list` showed it), id, unique id prefix or file path."""
        name = name.strip()
        if name.isdigit():
            found = self.db.execute(
                f"SELECT {', '.join('a.' + c for c in COLUMNS.split(', '))} FROM listing l "
                "JOIN articles a ON a.id = l.article WHERE l.n = ?",
                (int(name),),
            ).fetchone()
            if found:
                return Row.from_sql(found)
        exact = self.db.execute(f"SELECT {COLUMNS} FROM articles WHERE id = ?", (name,))
        if found := exact.fetchone():
            return Row.from_sql(found)
        rel = store.inside(self.root, name) if ("/" in name or "." in name) else None
        if rel is not None and (row := self.by_path(rel)):
            return row
        key = store.article_id(name) if not name.isdigit() else name
        like = key.replace("_", "\\_") + "%"
        matches: list[Row] = []
        # A prefix of the id or of its file name; failing that, of any word in it.
        for patterns in ((like, "%/" + like), ("%-" + like, "%-" + like)):
            matches = [
                Row.from_sql(v)
                for v in self.db.execute(
                    f"SELECT {COLUMNS} FROM articles WHERE id LIKE ? ESCAPE '\\' "
                    "OR id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 11",
                    patterns,
                )
            ]
            if matches:
                break
        if len(matches) == 1:
            return matches[0]
        if matches:
            shown = ", ".join(m.id for m in matches[:5])
            more = " …" if len(matches) > 5 else ""
            raise Ambiguous(f"'{name}' matches several articles: {shown}{more}")
        if name.isdigit():
            raise NotFound(
                f"no article number {name} in the last listing",
                hint="run `newscli list` to number the articles",
            )
        raise NotFound(f"no article named '{name}'", hint=self._suggest(key))

    def _suggest(self, key: str) -> str | None:
        import difflib

        words = [w for w in key.replace("/", "-").split("-") if len(w) > 2][:3]
        candidates: list[str] = []
        for word in words:
            candidates += [
                i
                for (i,) in self.db.execute(
                    "SELECT id FROM articles WHERE id LIKE ? LIMIT 200", (f"%{word}%",)
                )
            ]
        close = difflib.get_close_matches(key, candidates, n=3, cutoff=0.3) or candidates[:3]
        return f"did you mean: {', '.join(dict.fromkeys(close))}?" if close else None


    # -- search --------------------------------------------------------------------------
    def search(
        self,
        query: Query,
        *,
        limit: int = 20,
        sort: str = "relevance",
        where: str = "1",
        params: Sequence[object] = (),
        explain: bool = False,
    ) -> list[Hit]:
        """Ranked hits for a parsed query. BM25 with a title match worth ten body matches.
        Plain words best-match (see newscli.bestmatch): a query of one or two content words
        gives the articles with all of them if there are any; a longer one ranks those
        first, then articles with some of them."""
        best = query.best
        if best is not None:
            if len(best.content()) <= 2 or sort == "date":
                hits = self._search_strict(query, limit, sort, where, params, explain)
                if hits:
                    return hits
            return self._search_best(query, best, limit, sort, where, params, explain)
        return self._search_strict(query, limit, sort, where, params, explain)

    def _search_best(self, query: Query, best: Parts, limit: int, sort: str, where: str,
                     params: Sequence[object], explain: bool) -> list[Hit]:
        from newscli.rank import BestMatch

        filters, filter_params = query.where()
        condition = " AND ".join(c for c in (filters, where) if c != "1") or "1"
        engine = BestMatch(self.db, best, weights=WEIGHTS, where=condition,
                           params=[*filter_params, *params])
        try:
            ranked = engine.run(limit)
            if not ranked:
                return []
            columns = ", ".join("a." + c for c in COLUMNS.split(", "))
            rows = ", ".join("(?, ?, ?)" for _ in ranked)
            found = self.db.execute(
                f"WITH top(hit, score, n) AS (VALUES {rows}) "
                f"SELECT {columns}, highlight(fts, 0, '{MARK_ON}', '{MARK_OFF}'), top.score, "
                f"snippet(fts, 4, '{MARK_ON}', '{MARK_OFF}', '…', 24) FROM top "
                "JOIN fts ON fts.rowid = top.hit JOIN articles a ON a.rowid = top.hit "
                "WHERE fts MATCH ? ORDER BY top.n",
                [v for n, r in enumerate(ranked) for v in (r.rowid, r.score, n)]
                + [engine.highlight_match()],
            ).fetchall()
            hits = [Hit(Row.from_sql(v[:-3]), 0.0 - v[-2], v[-1], v[-3]) for v in found]
            if explain:
                found_words = engine.found_in([h.row.rowid for h in hits])
        except sqlite3.OperationalError as exc:
            raise BadQuery(f"the search could not run: {exc}") from None
        if sort == "date":  # the best matches, newest first, undated last
            hits.sort(key=lambda h: h.row.date, reverse=True)
            hits.sort(key=lambda h: h.row.date == "")
        if explain:
            content = best.content()
            used = list(dict.fromkeys(c.shown for c in content))
            ignored = list(dict.fromkeys(c.shown for c in best.should if c not in content))
            for hit in hits:
                hit.matched = self._matched(engine.highlight_match(), hit.row.rowid)
                missing = [w for w in used if w not in found_words[hit.row.rowid]]
                if missing:
                    hit.matched["missing"] = missing
                if ignored:
                    hit.matched["ignored"] = ignored
        return hits

    def _search_strict(self, query: Query, limit: int, sort: str, where: str,
                       params: Sequence[object], explain: bool) -> list[Hit]:
        filters, filter_params = query.where()
        columns = ", ".join("a." + c for c in COLUMNS.split(", "))
        if query.match is None:
            sql = (
                f"SELECT {columns}, a.title, 0.0, '' FROM articles a "
                f"WHERE a.error IS NULL AND ({filters})"
                f" AND ({where}) ORDER BY a.date = '', a.date DESC LIMIT ?"
            )
            values: list[object] = [*filter_params, *params, limit]
        else:
            # Rank first, over the full-text table alone when there are no filters; make
            # snippets only for the hits kept (FTS5 would otherwise build one per match).
            filtered = (filters, where) != ("1", "1") or sort != "relevance"
            join = "JOIN articles a ON a.rowid = fts.rowid" if filtered else ""
            order = "a.date = '', a.date DESC, score" if sort == "date" else "score"
            sql = (
                f"WITH top AS (SELECT fts.rowid AS hit, bm25(fts, {WEIGHTS}) AS score "
                f"FROM fts {join} WHERE fts MATCH ? AND ({filters}) AND ({where}) "
                f"ORDER BY {order} LIMIT ?) "
                f"SELECT {columns}, highlight(fts, 0, '{MARK_ON}', '{MARK_OFF}'), "
                "top.score AS score, "
                f"snippet(fts, 4, '{MARK_ON}', '{MARK_OFF}', '…', 24) "
                "FROM top JOIN fts ON fts.rowid = top.hit JOIN articles a ON a.rowid = top.hit "
                f"WHERE fts MATCH ? ORDER BY {order}"
            )
            values = [query.match, *filter_params, *params, limit, query.match]
        try:
            found = self.db.execute(sql, values).fetchall()
        except sqlite3.OperationalError as exc:
            raise BadQuery(f"the search could not run: {exc}") from None
        hits = [Hit(Row.from_sql(v[:-3]), 0.0 - v[-2], v[-1], v[-3]) for v in found]
        if explain and query.match is not None:
            for hit in hits:
                hit.matched = self._matched(query.match, hit.row.rowid)
        return hits

    def _matched(self, match: str, rowid: int) -> dict[str, list[str]]:
        """Which words matched in which field, for `search --explain`."""
        fields = ("title", "byline", "source", "tags", "body")
        marked = self.db.execute(
            "SELECT " + ", ".join(
                f"highlight(fts, {i}, '{MARK_ON}', '{MARK_OFF}')" for i in range(len(fields))
            ) + " FROM fts WHERE fts MATCH ? AND rowid = ?",
            (match, rowid),
        ).fetchone() or ("",) * len(fields)
        out: dict[str, list[str]] = {}
        for name, text in zip(fields, marked, strict=True):
            words = [w.lower() for w in MARKED.findall(text or "")]
            if words:
                out[name] = sorted(set(words))
        return out

    def related(self, row: Row, article: Article, limit: int = 5) -> list[Hit]:
        """Articles most like this one, found by its most distinctive words: the words it
        uses most (title words count triple), weighed by how rare they are in the store."""
        from collections import Counter

        from newscli.query import Query, tokenize

        counts: Counter[str] = Counter()
        for text, weight in ((article.title, 3), (article.plain_text(), 1)):
            for token in tokenize(text):
                word = token.lower()
                if len(word) > 3 and word not in STOPWORDS and not word.isdigit():
                    counts[word] += weight
        # The number of articles, near enough for weighing words (and free to know).
        total = self.db.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 1
        # A word in more than a fifth of the store, or in more than 500 articles, says little
        # about which story this is; counting stops there, so each count stays cheap.
        common = min(500, max(2, total // 5))
        scored = []
        for word, tf in counts.most_common(25):
            docs = self.db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ? LIMIT ?)",
                (f'"{word}"', common + 1),
            ).fetchone()[0]
            if 2 <= docs <= common:
                scored.append((tf * math.log(total / docs + 1), word))
        terms = [w for _, w in sorted(scored, reverse=True)[:12]]
        if not terms:
            return []
        query = Query(" OR ".join(f'"{t}"' for t in terms), (("a.rowid != ?", (row.rowid,)),))
        hits = self.search(query, limit=limit * 4, explain=True)
        # One shared word is chance; an article on the same story shares several.
        alike = [h for h in hits if len({w for ws in h.matched.values() for w in ws}) >= 4]
        return alike[:limit]


def _flip(part: str) -> str:
    if part.endswith(" DESC"):
        return part[: -len(" DESC")]
    return part + " DESC"


def catalog_filters(
    *,
    tags: Sequence[str] = (),
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> tuple[str, list[object]]:
    """The filter options of `list` and `search` as SQL against the `articles a` alias."""
    from newscli.query import option_filters

    filters = option_filters(tags=list(tags), since=since, until=until)
    if source:
        escaped = source.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        filters.append(("a.source LIKE ? ESCAPE '\\'", (f"%{escaped}%",)))
    params = [value for _, values in filters for value in values]
    return " AND ".join(sql for sql, _ in filters) or "1", params
