"""Keeping a catalog in step with the files of its store.

Change detection (see README, "How newscli notices changes"):
- every command stats each folder it knows (a few dozen `stat`s, not one per file) and
  rescans folders whose mtime changed, stat-ing each file in them: additions, deletions,
  renames and files saved by replacement (editors, `sed -i`) are seen;
- in a store of up to CHECK_EVERY_FILE articles every command also stats every file, so a
  file edited in place (`>>`) is seen too;
- `newscli index` also stats every file and re-reads those whose size or mtime changed;
- `newscli read` checks the one file it shows.
A folder whose mtime is younger than two seconds is rescanned next time too, so a file
added in the same clock tick as a scan is never missed.

Files are parsed here (in worker processes for big batches); the catalog only stores.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from newscli import store
from newscli.catalog import Catalog, Changes, Prepared, Progress
from newscli.errors import Unreadable
from newscli.formats import PARSER_VERSION, humanise_name
from newscli.keys import state_key, text_key
from newscli.records import Row
from newscli.urls import url_key

RACY_NS = 2_000_000_000
BATCH = 2000
PARALLEL_MIN = 2000
BUSY_MS = 30_000  # how long `newscli index` waits for another writer
QUICK_BUSY_MS = 3_000  # how long a reading command waits before answering from the index as is
# Up to this many articles, every command also stats every file, so that a file edited in
# place is seen at once; above it, only folders whose time changed are looked into.
CHECK_EVERY_FILE = 5_000
# Re-read or removed articles, at least this many and this share of the store, after which
# the full-text index is compacted (Catalog.compact).
COMPACT_MIN = 1_000
COMPACT_SHARE = 0.2


def prepare(root: Path, max_bytes: int, entry: store.Entry) -> Prepared:
    """Read and parse one file into catalog values (never raises for a bad file)."""
    base = Prepared(entry.path, entry.path.rpartition("/")[0], entry.mtime_ns, entry.size,
                    humanise_name(entry.path))
    try:
        article = store.read_article(root, entry.path, max_bytes)
    except Unreadable as exc:
        return base._replace(error=exc.message)
    except (RecursionError, MemoryError, ValueError) as exc:  # a parser's last resort
        return base._replace(error=f"cannot be parsed ({type(exc).__name__})")
    meta = article.meta
    body = article.plain_text()
    return base._replace(
        title=meta.title, byline=meta.byline, source=meta.source, date=meta.date, url=meta.url,
        tags=tuple(meta.tags), language=meta.language, words=article.words,
        url_key=url_key(meta.url), text_key=text_key(body), body=body,
        state_key=state_key(str(meta.extra.get("uid", "")), meta.url, meta.title, body),
        warnings=tuple(article.warnings),
    )


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
    # Ctrl-C reaches the whole process group: workers ignore it and are ended by this
    # process (leaving the pool terminates them), so an interrupted build prints no worker
    # tracebacks and never waits on a worker.
    with context.Pool(workers, initializer=_ignore_interrupt) as pool:
        pending = pool.imap(work, entries[:step], chunksize=64)
        for start in range(step, len(entries) + step, step):
            following = pool.imap(work, entries[start : start + step], chunksize=64)
            yield from pending
            pending = following


def _ignore_interrupt() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def reread(catalog: Catalog, rel: str, max_bytes: int) -> None:
    """Replace one file's catalog entry with a fresh reading of it (none if it is gone);
    inside the caller's write transaction."""
    catalog.delete(rel)
    if (entry := store.stat_entry(catalog.root, rel)) is not None:
        catalog.put(prepare(catalog.root, max_bytes, entry))


class Sync:
    """Brings one catalog up to date with its store."""

    def __init__(self, catalog: Catalog, max_bytes: Callable[[], int],
                 warn: Callable[[str], None]) -> None:
        self.catalog, self.root = catalog, catalog.root
        self._max_bytes, self.warn = max_bytes, warn

    def refresh(self, *, full: bool = False, progress: Progress | None = None) -> Changes:
        """Quick (folders only) unless `full`, or unless the parser changed since the
        catalog was written: then every article is read again."""
        with self.catalog.translating():
            return self._refresh(full, progress)

    def check_file(self, row: Row) -> Row:
        """Re-read one article if its file changed since it was catalogued."""
        catalog = self.catalog
        entry = store.stat_entry(self.root, row.path)
        with catalog.translating():
            if entry is None or catalog.file_state(row) == (entry.mtime_ns, entry.size):
                return row
            if not catalog.begin_write(BUSY_MS):
                return row
            try:
                reread(catalog, row.path, self._max_bytes())
                catalog.commit()
            except BaseException:
                catalog.rollback()
                raise
            return catalog.by_path(row.path) or row

    def _refresh(self, full: bool, progress: Progress | None) -> Changes:
        catalog = self.catalog
        if catalog.setting("parser") != str(PARSER_VERSION):
            if not catalog.begin_write(BUSY_MS):
                self.warn("another newscli is updating the index; answering from it as it "
                          "stands")
                return Changes()
            catalog.mark_all_stale()
            catalog.set_setting("parser", str(PARSER_VERSION))
            catalog.commit()
            full = True
        changed = None if full else catalog.stale_dirs()
        small = catalog.count_rows(limit=CHECK_EVERY_FILE + 1) <= CHECK_EVERY_FILE
        if changed is not None and small:  # counted no further than needed
            changed = sorted(set(changed) | self._dirs_with_edited_files())
        retry = self._retry_for_new_limit()
        if changed == [] and not retry:
            return Changes()
        if not catalog.begin_write(BUSY_MS if full else QUICK_BUSY_MS):
            self.warn("another newscli is updating the index; answering from it as it stands")
            return Changes()
        try:
            if retry:
                limit = self._max_bytes()
                for path in retry:
                    reread(catalog, path, limit)
                catalog.set_setting("max_bytes", str(limit))
            changes = self._apply(full or changed is None, changed or [], progress)
            replaced = changes.updated + changes.removed
            if replaced >= COMPACT_MIN and replaced >= COMPACT_SHARE * catalog.count():
                catalog.compact()
            catalog.commit()
        except BaseException:
            catalog.rollback()
            raise
        return changes

    def _dirs_with_edited_files(self) -> set[str]:
        """Folders holding a file edited in place (a new size or time, the folder's own
        time unchanged): one `stat` per catalogued file."""
        catalog, dirs = self.catalog, set()
        for rel_dir in catalog.known_dirs():
            for rel, known in catalog.files_in(rel_dir).items():
                entry = store.stat_entry(self.root, rel)
                if entry is not None and (entry.mtime_ns, entry.size) != known:
                    dirs.add(rel_dir)
                    break
        return dirs

    def pending(self) -> tuple[int, int, int] | None:
        """Files added, changed and removed since the catalog was last brought up to date
        (None when it never was), from a `stat` of every file; changes nothing."""
        catalog = self.catalog
        known_dirs = catalog.known_dirs()
        if not known_dirs:
            return None
        added = changed = removed = 0
        seen: set[str] = set()
        stale = catalog.setting("parser") != str(PARSER_VERSION)
        for rel_dir, files, _subdirs in store.walk(self.root):
            seen.add(rel_dir)
            known = catalog.files_in(rel_dir)
            removed += len(set(known) - set(files))
            for rel in files:
                entry = store.stat_entry(self.root, rel)
                if entry is None:
                    continue
                if rel not in known:
                    added += 1
                elif stale or known[rel] != (entry.mtime_ns, entry.size):
                    changed += 1
        for rel_dir in set(known_dirs) - seen:
            removed += len(catalog.files_in(rel_dir))
        return added, changed, removed

    def _retry_for_new_limit(self) -> list[str]:
        """Files refused under another size limit, to read again now that it changed."""
        refused = self.catalog.refused_paths()
        if not refused or self.catalog.setting("max_bytes") == str(self._max_bytes()):
            return []
        return refused

    def _apply(self, everything: bool, dirs: list[str], progress: Progress | None) -> Changes:
        catalog, changes = self.catalog, Changes()
        known_dirs = catalog.known_dirs()
        if not everything:
            dirs = [d for d in dirs if d in known_dirs]  # another process may be done
        todo: list[tuple[str, int, list[str]]] = []
        seen_dirs: set[str] = set()
        pending = [""] if everything else list(dirs)
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
            todo.append((rel_dir, mtime, files))
            pending.extend(s for s in subdirs if everything or s not in known_dirs)
        # Folders that vanished take their articles (and subfolders) with them.
        for rel_dir, mtime, _files in todo:
            if mtime == -2:
                changes.removed += catalog.forget_dir(rel_dir)
        if everything:
            for rel_dir in set(known_dirs) - seen_dirs:
                changes.removed += catalog.forget_dir(rel_dir)
        work: list[tuple[store.Entry, bool]] = []
        for rel_dir, _mtime, files in todo:
            known = catalog.files_in(rel_dir)
            for gone in set(known) - set(files):
                catalog.delete(gone)
                changes.removed += 1
            for rel in files:  # a changed folder: a file in it may have been replaced
                entry = store.stat_entry(self.root, rel)
                if entry is None:
                    continue
                if rel in known:
                    if known[rel] == (entry.mtime_ns, entry.size):
                        continue
                    work.append((entry, True))
                else:
                    work.append((entry, False))
        total = len(work)
        existing = {entry.path for entry, known in work if known}
        limit = self._max_bytes() if work else 0
        for done, prepared in enumerate(prepare_all(self.root, limit, [e for e, _ in work]), 1):
            if prepared.path in existing:
                catalog.delete(prepared.path)
                changes.updated += 1
            else:
                changes.added += 1
            changes.warned += [f"{prepared.path}: {w}" for w in prepared.warnings]
            error = catalog.put(prepared)
            if error:
                changes.unreadable.append(f"{prepared.path}: {error}")
            if done % BATCH == 0:
                catalog.commit(reopen=True)
            if progress:
                progress(done, total)
        now = time.time_ns()
        for rel_dir, mtime, _files in todo:
            if mtime != -2:
                catalog.set_dir(rel_dir, mtime if now - mtime > RACY_NS else -1)
        return changes
