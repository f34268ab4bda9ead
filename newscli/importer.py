"""Bringing articles in: any source (URL, file, folder, stdin) → one Markdown file with
front matter in the store, named YYYY-MM-DD-slug.md, written atomically, never twice."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newscli import store
from newscli.errors import NewscliError, Unreadable
from newscli.formats import FORMATS, parse
from newscli.keys import text_key
from newscli.model import Article
from newscli.textio import decode
from newscli.urls import url_key

if TYPE_CHECKING:
    from newscli.catalog import Catalog

SLUG_MAX = 60


@dataclass
class Source:
    """One thing to add, before it is read: a URL, a file, or stdin's bytes."""

    label: str  # what the user typed, for messages
    kind: str  # "html", "text" or "markdown"
    data: bytes | None = None
    path: Path | None = None
    url: str | None = None
    charset: str | None = None


@dataclass
class Loaded:
    """An article ready to be written, and where it came from."""

    source: Source
    article: Article
    original: bytes | None = None  # the page's HTML, for --keep-original


def expand(sources: list[str], fmt: str | None, stdin: bytes | None) -> Iterator[Source | str]:
    """Each user argument as Sources; folders recursively. Bad arguments yield a message."""
    for label in sources:
        if label == "-":
            data = stdin or b""
            yield Source("-", fmt or _sniff(data), data=data)
        elif label.lower().startswith(("http://", "https://")) or "://" in label:
            yield Source(label, "html", url=label)
        else:
            path = Path(label).expanduser()
            if path.is_dir():
                for _rel_dir, files, _subdirs in store.walk(path):
                    for rel in sorted(files):
                        yield Source(str(path / rel), fmt or FORMATS[Path(rel).suffix.lower()],
                                     path=path / rel)
            elif path.is_file():
                kind = fmt or FORMATS.get(path.suffix.lower())
                if kind is None:
                    yield f"{label}: not an .html, .htm, .txt or .md file (use --format)"
                else:
                    yield Source(label, kind, path=path)
            else:
                yield f"{label}: no such file, folder or URL"


def _sniff(data: bytes) -> str:
    """Markup or not: stdin that starts with a tag is HTML, anything else plain text."""
    return "html" if data[:2048].lstrip().startswith(b"<") else "text"


def load(source: Source, *, max_bytes: int, timeout: float, page_url: str | None) -> Loaded:
    """Fetch or read a source and turn it into an Article."""
    data = source.data
    if source.url:
        from newscli.fetch import fetch

        page = fetch(source.url, timeout=timeout, max_bytes=max_bytes)
        data, source.charset = page.body, page.charset
        source.url = page.url
        if page.content_type == "text/plain":
            source.kind = "text"
    elif source.path is not None:
        try:
            if source.path.stat().st_size > max_bytes:
                raise Unreadable(f"larger than the {max_bytes:,}-byte limit")
            data = source.path.read_bytes()
        except OSError as exc:
            raise Unreadable(exc.strerror or str(exc)) from None
    assert data is not None
    if not data.strip():
        raise Unreadable("empty: nothing to add")
    if len(data) > max_bytes:
        raise Unreadable(f"larger than the {max_bytes:,}-byte limit")
    text = decode(data, source.charset, html=source.kind == "html")
    article = parse(text, source.kind, url=page_url or source.url)
    if article.words == 0:
        raise Unreadable("no article text found")
    article.meta.url = article.meta.url or page_url or source.url or ""
    return Loaded(source, article, original=data if source.kind == "html" else None)


def finish(loaded: Loaded, *, tags: list[str], now: dt.datetime) -> None:
    """Metadata that `add` sets: extra tags and the time the article was added."""
    meta = loaded.article.meta
    meta.tags = list(dict.fromkeys([*meta.tags, *tags]))
    import uuid

    meta.extra = {**meta.extra, "added": now.isoformat(timespec="seconds")}
    meta.extra.setdefault("uid", str(uuid.uuid4()))
    if meta.url:
        canonical = url_key(meta.url)
        if canonical != meta.url:
            meta.extra["canonical_url"] = canonical


class Deduplicator:
    """Knows what the store (and this run) already holds, by canonical URL and by text."""

    def __init__(self, catalog: Catalog | None) -> None:
        self.catalog = catalog
        self.seen: dict[str, str] = {}

    @staticmethod
    def _keys(article: Article) -> list[str]:
        keys = (f"u:{url_key(article.meta.url)}", f"t:{text_key(article.plain_text())}")
        return [key for key in keys if len(key) > 2]

    def find(self, article: Article) -> str | None:
        for key in self._keys(article):
            if key in self.seen:
                return self.seen[key]
        if self.catalog is None:
            return None
        return self.catalog.find_duplicate(url_key(article.meta.url),
                                           text_key(article.plain_text()))

    def remember(self, article: Article, article_id: str) -> None:
        for key in self._keys(article):
            self.seen[key] = article_id


def file_name(article: Article, today: dt.date) -> str:
    day = article.meta.date[:10] or today.isoformat()
    slug = store.slugify(article.title)[:SLUG_MAX].rstrip("-") or "article"
    return f"{day}-{slug}"


def write_new(folder: Path, stem: str, text: str) -> Path:
    """Write `stem.md` (or `stem-2.md`, …) in `folder` atomically and without ever replacing
    a file: the content goes to a temp file first, which is then hard-linked into place
    (linking fails rather than overwrite), so readers never see a partial article."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".newscli-add-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise NewscliError(_cannot_write(folder, exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        for n in range(1, 10_000):
            target = folder / (f"{stem}.md" if n == 1 else f"{stem}-{n}.md")
            try:
                os.link(tmp, target)
                return target
            except FileExistsError:
                continue
        raise NewscliError(f"too many files named {stem}-N.md")
    except OSError as exc:
        raise NewscliError(_cannot_write(folder, exc)) from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _cannot_write(folder: Path, exc: OSError) -> str:
    import errno

    if exc.errno == errno.EROFS:
        return f"the store at {folder} is read-only; nothing was added"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"the store at {folder} cannot be written (permission denied); nothing was added"
    return f"cannot write to {folder}: {exc.strerror or exc}"


def keep_original(folder: Path, article_id: str, data: bytes) -> None:
    """The page's HTML, for --keep-original, in `folder/originals/`."""
    from newscli.textio import write_atomic

    target = folder / "originals" / f"{article_id.replace('/', '__')}.html"
    write_atomic(target, data)
