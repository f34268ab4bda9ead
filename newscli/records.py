"""What the catalog knows and returns about articles: `Row` (an article as catalogued),
`Hit` (a search result), `Filters` (a typed selection), and the match markers. Plain data
with no dataclasses and nothing of newscli imported: every listing command loads it, so it
must cost next to nothing to import (a dataclass costs about a millisecond to create).
"""

from __future__ import annotations

import re
from typing import NamedTuple

WORDS_PER_MINUTE = 230
# Match markers in hit titles and snippets: control characters, which sanitized article text
# can never contain.
MARK_ON, MARK_OFF = "\x02", "\x03"
MARKED = re.compile(f"{MARK_ON}(.*?){MARK_OFF}", re.S)


def reading_minutes(words: int) -> int:
    return max(1, -(-words // WORDS_PER_MINUTE)) if words else 0


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
    warnings: tuple[str, ...] = ()  # fields of its file that could not be read


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
