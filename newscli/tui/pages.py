"""What the list shows: every article, fetched from the catalog a page at a time as the user
scrolls, or the hits of a query. Holds a few pages, never the whole store."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from newscli.records import Hit, Row

if TYPE_CHECKING:
    from newscli.service import Library

PAGE = 100  # rows fetched at once
KEPT_PAGES = 20  # pages kept in memory (2,000 rows at most)


class Listing:
    """Rows by position. `hits` set: the ranked results of `query` (the best `limit` of
    them; `complete` when there are no more); else the whole store in `newscli list` order,
    read in pages. Counting a whole store takes a while, so until `count_all` is called
    the count is only what the first page shows (`counted` says which)."""

    def __init__(self, library: Library, query: str = "", hits: list[Hit] | None = None,
                 limit: int = 0) -> None:
        self.library = library
        self.query = query
        self.hits = hits
        self.limit = limit
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        if hits is not None:
            self.count, self.counted = len(hits), True
        else:
            first = self._page(0)
            self.count, self.counted = len(first), len(first) < PAGE

    @property
    def complete(self) -> bool:
        return self.hits is None or len(self.hits) < self.limit

    def count_all(self) -> None:
        if not self.counted:
            self.count, self.counted = self.library.count(), True

    def _page(self, number: int) -> list[Row]:
        page = self._pages.get(number)
        if page is None:
            if self.hits is not None:
                page = [h.row for h in self.hits[number * PAGE : (number + 1) * PAGE]]
            else:
                page = list(self.library.rows(offset=number * PAGE, limit=PAGE))
            self._pages[number] = page
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    def row(self, index: int) -> Row | None:
        if not 0 <= index < self.count:
            return None
        page = self._page(index // PAGE)
        offset = index % PAGE
        return page[offset] if offset < len(page) else None

    def title(self, index: int) -> str:
        """The title as shown: for a hit, with its matched words between MARK_ON/MARK_OFF."""
        if self.hits is not None and 0 <= index < len(self.hits):
            return self.hits[index].title
        row = self.row(index)
        return row.title if row else ""

    def forget_states(self) -> None:
        """Reading state changed: rows carry theirs, so read them again when next shown."""
        if self.hits is not None:
            for hit, row in zip(self.hits, self.library.with_state(h.row for h in self.hits),
                                strict=True):
                hit.row = row
        self._pages.clear()
