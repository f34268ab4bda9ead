"""The one article model. Every input format converts into it; every output renders from it.

Plain data, no I/O, and nothing of newscli imported: an `Article` and its blocks; a `Row`
(an article as the catalog knows it) and a `Hit` (a search result); `Filters`, the
catalog's typed selection. Text in the model has already been through `sanitize.clean`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

WORDS_PER_MINUTE = 230
# Match markers in hit titles and snippets: control characters, which sanitized article text
# can never contain.
MARK_ON, MARK_OFF = "\x02", "\x03"
MARKED = re.compile(f"{MARK_ON}(.*?){MARK_OFF}", re.S)


def reading_minutes(words: int) -> int:
    return max(1, -(-words // WORDS_PER_MINUTE)) if words else 0


@dataclass(frozen=True)
class Span:
    """A run of inline text with its emphasis and, for links, its target."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass
class Heading:
    level: int  # 1..6; the article title is not a heading block
    spans: list[Span]


@dataclass
class Paragraph:
    spans: list[Span]


@dataclass
class Quote:
    blocks: list[Block]


@dataclass
class ListBlock:
    items: list[list[Block]]
    ordered: bool = False
    start: int = 1


@dataclass
class CodeBlock:
    text: str


@dataclass
class Rule:
    pass


@dataclass
class Table:
    header: list[list[Span]]
    rows: list[list[list[Span]]]


Block = Heading | Paragraph | Quote | ListBlock | CodeBlock | Rule | Table


@dataclass(frozen=True)
class Link:
    """A related-story link set apart from the body ("ALSO READ: …")."""

    text: str
    url: str | None = None
    label: str = "Also read"


@dataclass
class Meta:
    title: str = ""
    byline: str = ""
    date: str = ""  # ISO 8601: YYYY-MM-DD or full timestamp; "" when unknown
    source: str = ""
    url: str = ""
    tags: list[str] = field(default_factory=list)
    language: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Article:
    meta: Meta
    blocks: list[Block] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _words: int | None = field(default=None, repr=False, compare=False)

    @property
    def title(self) -> str:
        return self.meta.title

    def plain_text(self) -> str:
        """The body's words as plain text, one block per line (for counting and indexing)."""
        return "\n".join(block_text(b) for b in self.blocks)

    @property
    def words(self) -> int:
        if self._words is None:
            self._words = count_words(self.plain_text())
        return self._words

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.words)


def spans_text(spans: list[Span]) -> str:
    return "".join(s.text for s in spans)


def block_text(block: Block) -> str:
    match block:
        case Heading(spans=spans) | Paragraph(spans=spans):
            return spans_text(spans)
        case Quote(blocks=blocks):
            return "\n".join(block_text(b) for b in blocks)
        case ListBlock(items=items):
            return "\n".join(block_text(b) for item in items for b in item)
        case CodeBlock(text=text):
            return text
        case Table(header=header, rows=rows):
            return "\n".join(" ".join(spans_text(c) for c in row) for row in [header, *rows])
    return ""


def count_words(text: str) -> int:
    """Words as `wc -w` counts them: runs of non-space characters."""
    return len(text.split())


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
    key: str = ""  # what its reading state is kept under (newscli.keys.state_key)
    read: bool = False  # reading state, filled in by the use cases
    starred: bool = False


class Hit:
    """One search result: the article, its score (higher is better), and its title and a
    snippet with matches wrapped in MARK_ON/MARK_OFF; `matched` (field → words) is filled in
    for --explain, `copies` lists the paths of other articles with the same text.
    (Plain classes here, not dataclasses: their generated code costs start-up time.)"""

    __slots__ = ("row", "score", "snippet", "title", "matched", "copies")

    def __init__(self, row: Row, score: float, snippet: str, title: str = "") -> None:
        self.row, self.score, self.snippet = row, score, snippet
        self.title = title or row.title  # with matches marked, like the snippet
        self.matched: dict[str, list[str]] = {}
        self.copies: list[str] = []


class Filters(NamedTuple):
    """Which articles a listing or search may show: typed data, turned into a backend's own
    query language only inside the catalog. Dates are ISO days, `until` exclusive."""

    tags: tuple[str, ...] = ()
    source: str | None = None  # words of the source, as `source:` in a query
    since: str | None = None
    until: str | None = None
    exclude: tuple[int, ...] = ()  # rowids left out (related: the article itself)
    read: bool | None = None  # only read (True) or unread (False) articles
    starred: bool | None = None

    def __bool__(self) -> bool:
        return bool(self.tags or self.source or self.since or self.until or self.exclude
                    or self.read is not None or self.starred is not None)


NO_FILTERS = Filters()
