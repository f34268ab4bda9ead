"""Search as you type, off the event loop: the keys keep working while a query runs, and a
newer query stops the one running rather than waiting for it.

Queries run one at a time in one thread of their own, through a second `Library` on the
store (SQLite connections stay in the thread that opened them); the browser's Library
keeps everything else (the list's pages, reading, marking)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from newscli.errors import NotFound
from newscli.service import Library

if TYPE_CHECKING:
    from newscli.records import Hit


class Searcher:
    def __init__(self, library: Library, warn: Callable[[str], None]) -> None:
        """`warn` is called on the event loop (it may touch widgets)."""
        loop = asyncio.get_running_loop()

        def warn_on_loop(message: str) -> None:
            loop.call_soon_threadsafe(warn, message)

        self._library = Library(library.settings, shared=True, warn=warn_on_loop)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newscli-search")

    async def search(self, text: str, limit: int) -> list[Hit]:
        """The best `limit` hits of `text` (none: an empty list); a search still running
        is stopped first. Invalid queries raise NewscliError, as `Library.search` does."""
        self._library.interrupt()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, functools.partial(self._hits, text, limit))

    def _hits(self, text: str, limit: int) -> list[Hit]:
        try:
            return self._library.search(text, limit=limit)
        except NotFound:
            return []

    def close(self) -> None:
        self._library.interrupt()
        self._thread.submit(self._library.close)
        self._thread.shutdown(wait=True)
