"""The catalog's SQLite file and schema: where the file lives, and ordered migrations, each
applied once, the version kept in the database (`PRAGMA user_version`). A catalog older
than the newest is migrated when opened; the catalog is a cache, so a migration may also
simply drop and rebuild."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from newscli import store

DB_NAME = "index.db"

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
    # 4: the key reading state is kept under (newscli.keys.state_key)
    """
    ALTER TABLE articles ADD COLUMN state_key TEXT NOT NULL DEFAULT '';
    CREATE INDEX articles_state_key ON articles(state_key) WHERE state_key != '';
    """,
    # 5: what could not be read in a file (a bad field), shown by every command that meets it
    """
    ALTER TABLE articles ADD COLUMN warnings TEXT;
    CREATE INDEX articles_warned ON articles(path) WHERE warnings IS NOT NULL;
    """,
    # 6: Chinese and Japanese character pairs of titles and bodies (newscli.cjk); only ever
    # run on an empty catalog (see FRESH_FROM)
    """
    DROP TABLE fts;
    CREATE VIRTUAL TABLE fts USING fts5(
        title, byline, source, tags, body, title_cjk, body_cjk,
        tokenize = "porter unicode61 remove_diacritics 2"
    );
    """,
    # 7: list order over the readable articles alone, so that a page deep in the list (the
    # browser's G) is skipped to in the index, without reading the rows before it
    """
    DROP INDEX articles_newest;
    CREATE INDEX articles_listed ON articles(date = '', date DESC, title COLLATE NOCASE)
        WHERE error IS NULL;
    """,
)
# A catalog older than this is not migrated but built again from the files: emptying 100k
# articles in place costs minutes and a WAL of gigabytes, a new file costs nothing.
FRESH_FROM = 6


def outdated(path: Path) -> bool:
    """Whether the catalog file at `path` is from before FRESH_FROM (to be made anew)."""
    if not path.exists():
        return False
    db = sqlite3.connect(path)
    try:
        return 0 < db.execute("PRAGMA user_version").fetchone()[0] < FRESH_FROM
    finally:
        db.close()


def migrate(db: sqlite3.Connection) -> None:
    """Bring the schema up to the newest version, recorded in `PRAGMA user_version`."""
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


def discard(path: Path) -> None:
    """Remove an index file and its journals (it holds nothing the articles can't give)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def db_path(root: Path, *, create: bool = True) -> Path:
    """The store's own `.newscli/index.db`, or one in the user cache dir when the store
    cannot be written (a read-only store still lists, reads and searches)."""
    own = root / store.DATA_DIR
    try:
        if create:
            own.mkdir(exist_ok=True)
        if own.is_dir() and os.access(own, os.W_OK):
            return own / DB_NAME
    except OSError:
        pass
    import hashlib

    from newscli.config import cache_dir

    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    folder = cache_dir() / "stores" / key
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder / DB_NAME
