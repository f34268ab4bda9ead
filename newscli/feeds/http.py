"""Fetching feeds politely: conditional GET through `add`'s safe client, one request per host.

`newscli.fetch.fetch` does the dangerous part (http(s) only at every hop, one wall-clock
deadline, a size cap after decompression, a redirect limit, the User-Agent); this module
adds the feed's validators, the feed media types, and a lock per host name.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from newscli.fetch import FEED_TYPES, HTML_TYPES, PERMANENT_REDIRECTS, Fetched, fetch, is_local

FEED_TIMEOUT = 30.0  # seconds for the whole exchange
FEED_MAX_BYTES = 10 * 1024 * 1024  # after decompression; the largest real feeds are ~2 MB
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
          "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, "
          "text/html;q=0.5, */*;q=0.1")
JITTER = 0.1  # seconds, at most, of random wait before each request


def conditional_get(url: str, *, etag: str = "", last_modified: str = "",
                    timeout: float = FEED_TIMEOUT, max_bytes: int = FEED_MAX_BYTES) -> Fetched:
    """GET a feed, sending back its validators verbatim; a 304 comes back with no body."""
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return fetch(url, timeout=timeout, max_bytes=max_bytes, headers=headers,
                 types=FEED_TYPES | HTML_TYPES, not_modified=True)


def permanent_target(page: Fetched) -> str | None:
    """The new URL when every redirect followed was permanent (301/308); else None."""
    if page.redirects and all(status in PERMANENT_REDIRECTS for status, _ in page.redirects):
        return page.redirects[-1][1]
    return None


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


__all__ = ["HostLimiter", "conditional_get", "host_of", "is_local", "permanent_target"]


class HostLimiter:
    """At most one request at a time per host name, across every thread of an update; a
    small random wait before each request spreads a run's requests out. A host that asked
    us to slow down (429, 503) is remembered for the rest of the run."""

    def __init__(self, jitter: float = JITTER) -> None:
        self.jitter = jitter
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._busy: set[str] = set()

    def mark_busy(self, host: str) -> None:
        with self._guard:
            self._busy.add(host)

    def is_busy(self, host: str) -> bool:
        with self._guard:
            return host in self._busy

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        host = host_of(url)
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        if self.jitter > 0:
            time.sleep(random.uniform(0, self.jitter))
        with lock:
            yield
