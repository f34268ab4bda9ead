"""The store: a folder of article files. Walking it, naming articles, staying inside it."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from newscli.errors import NotFound, Unreadable
from newscli.formats import SUFFIXES, format_for, humanise_name
from newscli.sanitize import visible

if TYPE_CHECKING:
    from newscli.model import Article

DATA_DIR = ".newscli"
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


class Entry(NamedTuple):
    """A file in the store as seen by a directory scan."""

    path: str  # POSIX path relative to the store
    mtime_ns: int
    size: int


def slugify(text: str) -> str:
    """A lower-case ASCII slug. Latin letters lose their accents (`Café` → `cafe`); other
    scripts are transliterated by python-slugify (`Президент` → `prezident`, `北京` →
    `bei-jing`), so no title becomes an id of nothing."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    if not text.isascii() and any(_lost(ch) for ch in text):
        from slugify import slugify as transliterate

        return str(transliterate(text))
    return _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")


def _lost(ch: str) -> bool:
    """A letter or digit that accent-stripping would drop (not Latin)."""
    return ch.isalnum() and not unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")


def article_id(rel_path: str) -> str:
    """A stable id from a path inside the store: slugged folders and stem, '/'-joined."""
    path = PurePosixPath(rel_path)
    parts = [slugify(p) for p in (*path.parent.parts, path.stem)]
    return "/".join(p for p in parts if p) or "article"


def candidate_ids(rel_path: str) -> Iterator[str]:
    """The id to give a file, then fallbacks when another file already has it
    (`a.md` beside `a.txt` becomes `a-txt`, then `a-txt-2`, …)."""
    base = article_id(rel_path)
    yield base
    suffixed = f"{base}-{slugify(PurePosixPath(rel_path).suffix)}"
    yield suffixed
    for n in range(2, 1000):
        yield f"{suffixed}-{n}"


def is_article_name(name: str) -> bool:
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in SUFFIXES


def scan_dir(
    root: Path, rel_dir: str, bad_names: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """One folder: the store-relative paths of its article files and of its subfolders
    (hidden ones skipped). Names only, no `stat` per file: that is what keeps it cheap.
    Names that are not valid UTF-8 cannot be catalogued: they go to `bad_names`."""
    files: list[str] = []
    subdirs: list[str] = []
    folder = root / rel_dir if rel_dir else root
    try:
        iterator = os.scandir(folder)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return files, subdirs
    with iterator:
        for item in iterator:
            name = item.name
            if name.startswith("."):
                continue
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if not _valid_name(name):
                if bad_names is not None and (item.is_dir() or is_article_name(name)):
                    bad_names.append(visible(rel))
                continue
            try:
                if item.is_dir(follow_symlinks=False):
                    subdirs.append(rel)
                elif is_article_name(name) and not item.is_symlink():
                    files.append(rel)
            except OSError:
                continue
    return files, subdirs


def _valid_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept by Python as lone surrogates
        return False
    return True


def stat_entry(root: Path, rel: str) -> Entry | None:
    try:
        info = os.stat(root / rel, follow_symlinks=False)
    except OSError:
        return None
    return Entry(rel, info.st_mtime_ns, info.st_size)


def walk(root: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """Every folder of the store, depth first: (rel_dir, files, subdirs). Symlinks are not
    followed, so nothing outside the store is reached and no link can loop."""
    pending = [""]
    while pending:
        rel_dir = pending.pop()
        files, subdirs = scan_dir(root, rel_dir)
        yield rel_dir, files, subdirs
        pending.extend(sorted(subdirs, reverse=True))


def read_article(root: Path, rel: str, max_bytes: int) -> Article:
    """Read, decode and parse one article file of the store."""
    path = root / rel
    if path.is_symlink():
        raise Unreadable("a symbolic link; newscli reads only files inside the store")
    from newscli.formats import parse
    from newscli.textio import read_text

    text = read_text(path, max_bytes)
    kind = format_for(rel) or "text"
    article = parse(text, kind)
    if not article.meta.title:
        article.meta.title = humanise_name(rel)
    return article


def inside(root: Path, candidate: str) -> str | None:
    """The store-relative path of `candidate` if it names an article file inside the store."""
    path = Path(candidate).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        real = path.resolve(strict=True)
        rel = real.relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):
        return None
    return rel.as_posix() if real.is_file() and is_article_name(real.name) else None


def require_store(root: Path) -> Path:
    if root.exists() and not root.is_dir():
        raise NotFound(f"the store {root} is a file, not a folder of articles",
                       hint="point --store / NEWSCLI_STORE at a folder")
    if not root.is_dir():
        raise NotFound(
            f"no article store at {root}",
            hint="create it, or point --store / NEWSCLI_STORE at a folder of articles",
        )
    return root
