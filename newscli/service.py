"""The use cases: what newscli does, for the CLI, the browser and the feed updater alike.

A `Library` is one store opened for use: its settings, its catalog (kept current with the
files), and its durable state. Its methods take and return plain data (`model.Row`,
`records.Hit`, `model.Article`, `records.Filters`); they never print. Messages that are not
errors go to the `warn` callback; long work reports to the `progress` factory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from newscli.errors import Ambiguous, IndexDamaged, NotFound, Unreadable
from newscli.records import NO_FILTERS, Filters, Hit, Row

if TYPE_CHECKING:
    import datetime as dt

    from newscli.catalog import Catalog, Changes
    from newscli.catalog.sync import Sync
    from newscli.config import Settings
    from newscli.importer import Deduplicator, Loaded
    from newscli.model import Article
    from newscli.query import Query
    from newscli.state import ArticleState, StateStore

Warn = Callable[[str], None]
WARNED_FILES = 5  # files whose warnings one command repeats
SUGGEST_FROM = 50_000  # articles whose ids and titles a misspelt name is compared with
ProgressFactory = Callable[[str, int], AbstractContextManager[Callable[[int, int], None]]]


def _no_progress(label: str, threshold: int) -> AbstractContextManager[Callable[[int, int], None]]:
    return nullcontext(lambda done, total: None)


class Opened(NamedTuple):
    """An article found by name and read from its file."""

    row: Row
    article: Article


class AddEvent(NamedTuple):
    """What happened to one source of `add`: `kind` is "added" (`value` is the new id),
    "duplicate" (`value` is the id it already has), "failed" (`value` is why), or
    "dry-run" (`value` is the file that would be written, `detail` its front matter)."""

    kind: str
    label: str
    value: str
    detail: str = ""


class Library:
    """One store, opened for use. A context manager: closes what it opened."""

    def __init__(self, settings: Settings, *, warn: Warn = lambda message: None,
                 progress: ProgressFactory = _no_progress, shared: bool = False) -> None:
        """`shared`: another Library of this process has the store open (a second one is
        for another thread: connections stay in the thread that opened them). It trusts
        that one's refresh, and looks for the state file each time, as that one may
        create it."""
        self.settings = settings
        self.warn = warn
        self.progress = progress
        self._shared = shared
        self._refreshed = shared
        self._no_state = False
        self._told = 0

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for name in ("catalog", "state"):
            if name in self.__dict__:
                self.__dict__.pop(name).close()

    def interrupt(self) -> None:
        """Called from another thread: stops the search running in this one (`shared`)."""
        if "catalog" in self.__dict__:
            self.__dict__["catalog"].interrupt()

    @property
    def root(self) -> Path:
        return self.settings.store

    # -- the parts ---------------------------------------------------------------------
    @cached_property
    def catalog(self) -> Catalog:
        from newscli.catalog.sqlite import SqliteCatalog

        return SqliteCatalog(self.root, on_discard=self.warn)

    @cached_property
    def sync(self) -> Sync:
        from newscli.catalog.sync import Sync

        return Sync(self.catalog, lambda: self.settings.max_article_bytes, self.warn)

    @cached_property
    def state(self) -> StateStore:
        """The durable state, created when first written to."""
        from newscli.state import StateStore

        return StateStore.for_store(self.root)

    def recorded_state(self) -> StateStore | None:
        """The durable state if there is any yet: reading it never creates it, so that a
        store nobody marked costs nothing extra to list or search."""
        if "state" not in self.__dict__:
            if self._no_state:
                return None
            from newscli.state import state_path

            if not state_path(self.root).exists():  # looked for once: writing goes via .state
                self._no_state = not self._shared
                return None
        return self.state

    def discard_index(self, reason: IndexDamaged) -> None:
        """Throw a damaged catalog away, so that the next use builds it anew."""
        from newscli.catalog.schema import discard

        self.warn(f"{reason.message}; rebuilding it")
        if "catalog" in self.__dict__:
            self.__dict__.pop("catalog").close()
        self.__dict__.pop("sync", None)
        self._refreshed = False
        discard(Path(str(reason.path)))

    def refresh(self, *, full: bool = False, report: bool = True) -> Changes:
        """Bring the catalog up to date (quickly, or fully for `newscli index`); files found
        unreadable on the way are reported unless `report` is off."""
        with self.progress("Indexing", 200) as progress:
            changes = self.sync.refresh(full=full, progress=progress)
        self._refreshed = True
        if report:
            _report_unreadable(changes.unreadable, self.warn)
        if report and full:
            for message in changes.warned[:WARNED_FILES]:
                self.warn(message)
            if len(changes.warned) > WARNED_FILES:
                self.warn(f"{len(changes.warned) - WARNED_FILES} more fields could not be "
                          "read; `newscli index --status` lists them")
        return changes

    def current(self, *, report: bool = True) -> Catalog:
        """The catalog, refreshed once per Library, its queries seeing the reading state."""
        if not self._refreshed:
            self.refresh(report=report)
        if (state := self.recorded_state()) is not None:
            self.catalog.attach_state(state.path)
        return self.catalog

    def query(self, text: str) -> Query:
        """The user's query parsed, `query:NAME` expanded from the saved searches."""
        from newscli.query import parse_query

        state = self.recorded_state() if "query:" in text.lower() else None
        saved = state.saved_searches() if state is not None else None
        return parse_query(text, saved=saved)

    def with_state(self, rows: Iterable[Row]) -> Iterator[Row]:
        """Rows with their reading state: read, starred, and tags as the user changed them
        (a file's tags, less those removed, plus those added)."""
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 256:
                yield from self._merged(batch)
                batch = []
        yield from self._merged(batch)

    def _merged(self, rows: list[Row]) -> list[Row]:
        if not rows:
            return rows
        recorded = self.recorded_state()
        if recorded is None:
            return rows
        states = recorded.get(r.key for r in rows)
        return [state.applied_to(r) if (state := states.get(r.key)) else r for r in rows]

    # -- listing and search ------------------------------------------------------------
    def rows(self, *, sort: str = "date", reverse: bool = False, limit: int | None = None,
             offset: int = 0, filters: Filters = NO_FILTERS,
             query: str | None = None) -> Iterator[Row]:
        """Articles in list order, with their reading state; all of them, or those a query
        selects."""
        parsed = self.query(query) if query else None
        for row in self.with_state(self.current().rows(
                sort=sort, reverse=reverse, limit=limit, offset=offset, filters=filters,
                query=parsed)):
            self._tell(row)
            yield row

    def _tell(self, row: Row) -> None:
        """A file met with fields that could not be read says so, each time it is met (a
        few files per command; `index --status` lists them all)."""
        if not row.warnings:
            return
        self._told += 1
        if self._told <= WARNED_FILES:
            for message in row.warnings:
                self.warn(f"{row.path}: {message}")
        elif self._told == WARNED_FILES + 1:
            self.warn("more files have fields that could not be read; "
                      "`newscli index --status` lists them")

    def count(self, filters: Filters = NO_FILTERS, limit: int | None = None,
              query: str | None = None) -> int:
        parsed = self.query(query) if query else None
        return self.current().count_rows(filters, limit, parsed)

    def search(self, text: str, *, filters: Filters = NO_FILTERS, limit: int = 20,
               sort: str = "relevance", explain: bool = False,
               every_word: bool = False) -> list[Hit]:
        """Ranked hits; none is NotFound with a hint on how to find more. Plain words
        best-match unless `every_word` (see Query.best)."""
        query = self.query(text)
        if every_word:
            query = query._replace(best=None)
        hits = self.current().search(query, limit=limit, sort=sort, filters=filters,
                                     explain=explain, distinct=True)
        if not hits:
            raise NotFound(f"no articles match '{' '.join(text.split())[:80]}'",
                           hint=_looser(query, bool(filters)))
        for hit in self._hits_with_state(hits):
            self._tell(hit.row)
        return hits

    def _hits_with_state(self, hits: list[Hit]) -> list[Hit]:
        """Hits whose rows carry their reading state (read, starred, the user's tags)."""
        for hit, row in zip(hits, self._merged([h.row for h in hits]), strict=True):
            hit.row = row
        return hits

    def remember_listing(self, ids: list[str]) -> None:
        """The numbers the user was shown, for `read N`."""
        self.catalog.save_listing(ids)

    @contextmanager
    def numbered(self, rows: Iterator[Row]) -> Iterator[Iterator[Row]]:
        """The rows of a listing, to show; however the showing ends (all shown, the pager
        quit, a closed pipe, Ctrl-C), every row the listing selected is remembered in its
        order, so `read N` is the N-th row of this listing, never of an older one."""
        ids: list[str] = []

        def shown() -> Iterator[Row]:
            for row in rows:
                ids.append(row.id)
                yield row

        try:
            yield shown()
        finally:
            ids.extend(row.id for row in rows)  # the rows not shown yet
            self.remember_listing(ids)

    # -- one article -------------------------------------------------------------------
    def resolve(self, name: str) -> Row:
        """An article by number (as the last listing showed it), id, unique prefix of its
        id or of a word in it, or file path inside the store."""
        from newscli import store

        catalog = self.current(report=False)
        name = name.strip()
        if name.isdigit() and (row := catalog.by_number(int(name))):
            return row
        if row := catalog.by_id(name):
            return row
        rel = store.inside(self.root, name) if ("/" in name or "." in name) else None
        if rel is not None and (row := catalog.by_path(rel)):
            return row
        key = store.article_id(name) if not name.isdigit() else name
        matches = catalog.by_prefix(key, 11)
        if len(matches) == 1:
            return matches[0]
        if matches:
            shown = ", ".join(m.id for m in matches[:5])
            more = " …" if len(matches) > 5 else ""
            raise Ambiguous(f"'{name}' matches several articles: {shown}{more}")
        if name.isdigit():
            raise NotFound(f"no article number {name} in the last listing",
                           hint="run `newscli list` to number the articles")
        raise NotFound(f"no article named '{name}'", hint=self._suggest(name))

    def _suggest(self, name: str) -> str:
        """Ids whose words, or whose title's words, are a few letters from `name`
        (`rivrside`, `cecto`, `harbor`); else how to look for it in the text."""
        import difflib
        import re
        import shlex
        from itertools import islice

        choices: dict[str, Row] = {}
        for row in islice(self.catalog.rows(), SUGGEST_FROM):
            stem = row.id.rsplit("/", 1)[-1]
            choices[row.id] = choices[stem] = row
            for word in (*stem.split("-"), *re.findall(r"\w{4,}", row.title.lower())):
                choices.setdefault(word, row)
        close = difflib.get_close_matches(name.lower(), list(choices), n=10, cutoff=0.75)
        rows = list({choices[c].id: choices[c] for c in close}.values())[:3]
        if not rows:
            return f"to look for it in the articles' text: newscli search {shlex.quote(name)}"
        shown = "; ".join(f"{r.id} ({r.title[:40]}{'…' if len(r.title) > 40 else ''})"
                          for r in rows)
        return f"did you mean: {shown}?"

    def open(self, name: str) -> Opened:
        """Find an article by name and read it from its file (re-catalogued first if the
        file changed); its parse warnings go to `warn`."""
        from newscli.store import read_article

        row = self.sync.check_file(self.resolve(name))
        if row.error:
            raise Unreadable(f"{row.path}: {row.error}")
        try:
            article = read_article(self.root, row.path, self.settings.max_article_bytes)
        except Unreadable as exc:
            raise Unreadable(f"{row.path}: {exc.message}") from None
        for message in article.warnings:
            self.warn(f"{row.path}: {message}")
        return Opened(row, article)

    def related(self, opened: Opened, limit: int = 5) -> list[Hit]:
        """Articles most like this one, found by its most distinctive words: the words it
        uses most (title words count triple), weighed by how rare they are in the store."""
        from collections import Counter

        from newscli.query import AnyOf, Phrase, Query, tokenize
        from newscli.stopwords import STORY_WORDS

        catalog = self.current(report=False)
        counts: Counter[str] = Counter()
        for text, weight in ((opened.article.title, 3), (opened.article.plain_text(), 1)):
            for token in tokenize(text):
                word = token.lower()
                if len(word) > 3 and word not in STORY_WORDS and not word.isdigit():
                    counts[word] += weight
        total = catalog.size_estimate()
        # A word in more than a fifth of the store, or in more than 500 articles, says little
        # about which story this is; counting stops there, so each count stays cheap.
        common = min(500, max(2, total // 5))
        scored = []
        for word, tf in counts.most_common(25):
            docs = catalog.doc_count(word, common + 1)
            if 2 <= docs <= common:
                scored.append((tf * math.log(total / docs + 1), word))
        terms = [w for _, w in sorted(scored, reverse=True)[:12]]
        if not terms:
            return []
        query = Query(AnyOf(tuple(Phrase((t,)) for t in terms)), (), tuple(terms))
        hits = catalog.search(query, limit=limit * 4, explain=True, distinct=True,
                              filters=Filters(exclude=(opened.row.rowid,)))
        # One shared word is chance; an article on the same story shares several (the floor:
        # four, and a third of the distinctive words). A copy of the same text is not
        # "related": it is the same article.
        floor = max(4, len(terms) // 3)
        alike = [h for h in hits if h.row.key != opened.row.key
                 and len({w for ws in h.matched.values() for w in ws}) >= floor]
        return self._hits_with_state(alike[:limit])

    # -- reading state -----------------------------------------------------------------
    def read(self, name: str) -> Opened:
        """Open an article to read it: marked read, unless `mark_read = false`."""
        opened = self.open(name)
        if self.settings.mark_read:
            self.mark([opened.row], read=True)
        return opened

    def select(self, names: Iterable[str] = (), *, listed: bool = False,
               query: str | None = None) -> list[Row]:
        """The articles a state command acts on: named (as everywhere), the whole last
        listing, or all that a query selects."""
        rows = [self.resolve(name) for name in names]
        if listed:
            rows += self.current().listed()
        if query:
            rows += self.current().rows(query=self.query(query))
        unique = {row.rowid: row for row in rows if row.key}
        return list(unique.values())

    def save_search(self, name: str, text: str) -> None:
        """Save a query under a name, for `query:NAME`; one that refers to itself, or does
        not parse, is refused."""
        from newscli.errors import BadQuery
        from newscli.query import parse_query

        if not name or any(ch.isspace() or ch in ':()"' for ch in name):
            raise BadQuery(f"'{name}' can't name a saved search",
                           hint="Use letters, digits, - and _.")
        parse_query(f"query:{name}", saved={**self.state.saved_searches(), name: text})
        self.state.save_search(name, text)

    def delete_search(self, name: str) -> None:
        if not self.state.delete_search(name):
            raise NotFound(f"no saved search named '{name}'")

    def export_state(self) -> Iterator[dict[str, object]]:
        return self.state.export()

    def import_state(self, lines: Iterable[str]) -> int:
        """Merge exported JSON lines; the number of entries that changed anything."""
        import json

        from newscli.errors import StateError

        def records() -> Iterator[dict[str, object]]:
            for n, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    raise StateError(f"line {n} is not JSON: {exc}") from None
                if not isinstance(record, dict):
                    raise StateError(f"line {n} is not a JSON object")
                yield record

        return self.state.merge(records())

    def prune_state(self, older_than: str) -> int:
        """Forget the state of articles gone from the store since before `older_than`."""
        present = {row.key for row in self.current().rows() if row.key}
        self.state.mark_seen(present)
        return self.state.prune(present, older_than)

    def position(self, row: Row) -> int:
        """Where the reader left this article: the line at the top (0, its start)."""
        state = self.recorded_state()
        return state.position(row.key) if state is not None and row.key else 0

    def keep_position(self, row: Row, line: int) -> None:
        if row.key:
            self.state.set_position(row.key, line)

    def states(self, rows: list[Row]) -> dict[str, ArticleState]:
        """The durable state of these articles, by `Row.key` (only those with any)."""
        return self.state.get(r.key for r in rows)

    def mark(self, rows: list[Row], *, read: bool | None = None,
             starred: bool | None = None) -> int:
        """Mark articles read or unread, starred or not; the number that changed."""
        keys = [r.key for r in rows]
        changed = 0
        if read is not None:
            changed += self.state.set_flag(keys, "read", read)
        if starred is not None:
            changed += self.state.set_flag(keys, "starred", starred)
        return changed

    def tag(self, rows: list[Row], add: tuple[str, ...] = (),
            remove: tuple[str, ...] = ()) -> None:
        """Add and remove tags of articles (kept in the state store, not in the files)."""
        self.state.change_tags([r.key for r in rows], add, remove)

    # -- adding ------------------------------------------------------------------------
    def add(self, sources: list[str], *, fmt: str | None = None, url: str | None = None,
            tags: tuple[str, ...] = (), dry_run: bool = False, force: bool = False,
            keep_original: bool = False, timeout: float = 20.0, stdin: bytes | None = None,
            now: dt.datetime | None = None) -> Iterator[AddEvent]:
        """Bring articles in from URLs, files, folders or stdin's bytes, one event each."""
        import datetime as dt

        from newscli import importer
        from newscli.errors import NewscliError

        if not dry_run:
            from newscli.store import require_store

            if self.root.exists():
                require_store(self.root)  # a file where the store should be says so
            self.root.mkdir(parents=True, exist_ok=True)
        now = now or dt.datetime.now(dt.UTC).astimezone()
        dedupe = self.deduplicator(dry_run)
        expanded = list(importer.expand(sources, fmt, stdin))
        with self.progress("Adding", 10) as progress:
            for done, source in enumerate(expanded, start=1):
                progress(done, len(expanded))
                if isinstance(source, str):
                    yield AddEvent("failed", source, "")
                    continue
                # A URL may be slow: a spinner says so (on a terminal; not inside the bar).
                waiting = (self.progress(f"Fetching {source.label}", 0)
                           if source.url and len(expanded) < 10 else _no_progress("", 0))
                try:
                    with waiting as step:
                        step(0, 0)
                        loaded = importer.load(source, max_bytes=self.settings.max_article_bytes,
                                               timeout=timeout, page_url=url)
                except NewscliError as exc:
                    yield AddEvent("failed", source.label, exc.message)
                    continue
                yield from self._add_one(loaded, dedupe, tags=tags, dry_run=dry_run,
                                         force=force, keep_original=keep_original, now=now)

    def deduplicator(self, dry_run: bool = False) -> Deduplicator:
        """What new articles (`add`, feeds) are checked against: the catalog, up to date; a
        dry run writes nothing, so on a store never indexed it checks against nothing."""
        from newscli import importer
        from newscli.catalog.schema import db_path

        never = dry_run and not (self.root.is_dir() and db_path(self.root, create=False).exists())
        return importer.Deduplicator(None if never else self.current(report=False))

    def _add_one(self, loaded: Loaded, dedupe: Deduplicator, *, tags: tuple[str, ...],
                 dry_run: bool, force: bool, keep_original: bool,
                 now: dt.datetime) -> Iterator[AddEvent]:
        from newscli import importer
        from newscli.errors import NewscliError
        from newscli.formats.writer import front_matter, to_markdown

        label = loaded.source.label
        for message in loaded.article.warnings:
            self.warn(f"{label}: {message}")
        importer.finish(loaded, tags=list(tags), now=now)
        article = loaded.article
        existing = None if force else dedupe.find(article)
        if existing:
            yield AddEvent("duplicate", label, existing)
            return
        stem = importer.file_name(article, now.date())
        if dry_run:
            dedupe.remember(article, stem)
            yield AddEvent("dry-run", label, f"{self.root / stem}.md", front_matter(article.meta))
            return
        try:
            target = importer.write_new(self.root, stem, to_markdown(article))
        except NewscliError as exc:
            yield AddEvent("failed", label, exc.message)
            return
        self.refresh(report=False)
        row = self.catalog.by_path(target.relative_to(self.root).as_posix())
        new_id = row.id if row else target.stem
        dedupe.remember(article, new_id)
        if keep_original and loaded.original is not None:
            importer.keep_original(self.catalog.location.parent, new_id, loaded.original)
        yield AddEvent("added", label, new_id)

    # -- the index ---------------------------------------------------------------------
    def rebuild(self) -> None:
        self.catalog.drop()
        self._refreshed = False

    def status(self) -> dict[str, str]:
        """What `index --status` reports, without changing anything."""
        catalog = self.catalog
        pending = self.sync.pending()
        if pending is None:
            state = "never built"
        elif any(pending):
            added, changed, removed = pending
            state = (f"out of date: {added} added, {changed} changed, {removed} removed "
                     "since the last update (`newscli index` brings them in)")
        else:
            state = "up to date"
        return {
            "store": str(self.root),
            "index": str(catalog.location),
            "articles": f"{catalog.count():,}",
            "size": f"{catalog.disk_size() / 1_048_576:.1f} MiB",
            "state": state,
        }


def complete_ids(settings: Settings, prefix: str) -> list[str]:
    """Article ids for shell completion, from the catalog as it stands; creates nothing."""
    from newscli.catalog.sqlite import SqliteCatalog

    catalog = SqliteCatalog.existing(settings.store)
    if catalog is None:
        return []
    with catalog:
        return catalog.ids_starting(prefix, 100)


def _report_unreadable(problems: list[str], warn: Warn) -> None:
    if len(problems) == 1:
        warn(f"skipped {problems[0]}")
    elif problems:
        warn(f"skipped {len(problems)} files that are not readable articles; "
             "`newscli index --status` lists them")


def _looser(query: Query, has_options: bool) -> str:
    if query.filters or has_options:
        return "drop a filter (tag:, date:, --since …) to search more widely"
    if len(query.terms) > 1:
        return "fewer words, or OR between them, find more (e.g. a OR b)"
    return "try a prefix (word*) or a related word"
