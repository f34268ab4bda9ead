"""Finishing search hits in SQLite: which words matched where, copies of one text shown
once, and Chinese or Japanese words marked where the full-text index sees only whole runs
(newscli.cjk)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from newscli import cjk
from newscli.catalog.fts import cjk_words
from newscli.query import Match
from newscli.records import MARK_OFF, MARK_ON, MARKED, Hit

FIELDS = ("title", "byline", "source", "tags", "body", "title", "body")  # the fts columns


def matched(db: sqlite3.Connection, match: str, rowid: int) -> dict[str, list[str]]:
    """Which words matched in which field, for `search --explain` (the character pairs of
    Chinese and Japanese count for the title and the body)."""
    marked = db.execute(
        "SELECT " + ", ".join(
            f"highlight(fts, {i}, '{MARK_ON}', '{MARK_OFF}')" for i in range(len(FIELDS))
        ) + " FROM fts WHERE fts MATCH ? AND rowid = ?",
        (match, rowid),
    ).fetchone() or ("",) * len(FIELDS)
    out: dict[str, list[str]] = {}
    for name, text in zip(FIELDS, marked, strict=True):
        words = [w.lower() for w in MARKED.findall(text or "")]
        if words:
            out[name] = sorted(set(words) | set(out.get(name, ())))
    return out


def _keys(db: sqlite3.Connection, rowids: Sequence[int]) -> dict[int, str]:
    marks = ", ".join("?" * len(rowids))
    return dict(db.execute(
        f"SELECT rowid, text_key FROM articles WHERE rowid IN ({marks})", tuple(rowids)))


def collapse(db: sqlite3.Connection, hits: list[Hit]) -> list[Hit]:
    """The hits with each text once (its best-ranked copy): byte-identical files and files
    with the same words (`text_key`) are one article to a reader."""
    if len(hits) < 2:
        return hits
    keys = _keys(db, [h.row.rowid for h in hits])
    seen: set[str] = set()
    kept = []
    for hit in hits:
        key = keys.get(hit.row.rowid, "")
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(hit)
    return kept


def finish(db: sqlite3.Connection, match: Match | None, limit: int,
           search: Callable[[int], list[Hit]], distinct_texts: bool) -> list[Hit]:
    """The top `limit` hits of `search(n)` (the top n), each text once if `distinct_texts`,
    Chinese and Japanese words of the query (`match`) marked."""
    hits = distinct(db, limit, search) if distinct_texts else search(limit)
    if words := cjk_words(match):
        mark_cjk(db, hits, words)
    return hits


def distinct(db: sqlite3.Connection, limit: int,
             search: Callable[[int], list[Hit]]) -> list[Hit]:
    """The first `limit` hits of `search(n)` (the top n) with each text once, and where its
    copies are."""
    want = limit
    while True:
        found = search(want)
        hits = collapse(db, found)
        if len(hits) >= limit or len(found) < want or want >= 8 * limit:
            break
        want *= 2  # copies took places: ask for more
    hits = hits[:limit]
    add_copies(db, hits)
    return hits


def add_copies(db: sqlite3.Connection, hits: list[Hit]) -> None:
    """Fill in `Hit.copies`: the paths of the other articles with the same text."""
    if not hits:
        return
    keys = {k: r for r, k in _keys(db, [h.row.rowid for h in hits]).items() if k}
    if not keys:
        return
    marks = ", ".join("?" * len(keys))
    paths: dict[str, list[str]] = {}
    # (text_key != '' lets SQLite use the partial index on text_key)
    for key, path, rowid in db.execute(
        f"SELECT text_key, path, rowid FROM articles WHERE text_key != '' AND text_key IN "
        f"({marks}) AND error IS NULL", tuple(keys)):
        if rowid != keys[key]:
            paths.setdefault(key, []).append(path)
    by_row = {r: k for k, r in keys.items()}
    for hit in hits:
        hit.copies = sorted(paths.get(by_row.get(hit.row.rowid, ""), []))


def mark_cjk(db: sqlite3.Connection, hits: list[Hit], words: list[str]) -> None:
    """Mark the Chinese or Japanese query words inside runs of the titles and snippets; a
    snippet that does not show one is taken around the first one in the body."""
    for hit in hits:
        hit.title = cjk.mark(hit.title, words, MARK_ON, MARK_OFF)
        if not any(w in hit.snippet for w in words):
            found = db.execute("SELECT body FROM fts WHERE rowid = ?",
                               (hit.row.rowid,)).fetchone()
            around = cjk.window(found[0] or "", words) if found else None
            if around is not None:
                hit.snippet = around
        hit.snippet = cjk.mark(hit.snippet, words, MARK_ON, MARK_OFF)
