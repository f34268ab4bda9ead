"""When to look at a feed again: from what the feed and the server say, within bounds.

- After a success: the longest of the feed's own interval (RSS ``ttl``, ``sy:updatePeriod``),
  ``Cache-Control: max-age`` and ``Expires``, but never sooner than ``DEFAULT_INTERVAL`` (a
  server that allows caching for a minute does not ask to be polled every minute) and never
  later than ``MAX_INTERVAL``.
- After 429 Too Many Requests or 503 with ``Retry-After`` (seconds or an HTTP date): that
  long, capped at ``MAX_RETRY_AFTER``, and never sooner than the error backoff.
- After an error: ``DEFAULT_INTERVAL`` doubled per consecutive error, capped at
  ``MAX_BACKOFF``. A failing feed keeps being tried at that pace; it is never disabled.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

DEFAULT_INTERVAL = 3600  # seconds: hourly is what most sites expect of a feed reader
MAX_INTERVAL = 24 * 3600
MAX_RETRY_AFTER = 24 * 3600
MAX_BACKOFF = 24 * 3600

_MAX_AGE = re.compile(r"(?:^|[,\s])(s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)


def http_date(value: str) -> dt.datetime | None:
    """An HTTP date (IMF-fixdate, RFC 850 or asctime form) as an aware datetime."""
    from email.utils import parsedate_to_datetime

    try:
        stamp = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if stamp is None:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def retry_after(value: str | None, now: dt.datetime) -> int | None:
    """Seconds from ``now`` that a Retry-After header asks for; None when absent or invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(int(value), MAX_RETRY_AFTER)
    when = http_date(value)
    if when is None:
        return None
    return max(0, min(int((when - now).total_seconds()), MAX_RETRY_AFTER))


def cache_lifetime(headers: Mapping[str, str], now: dt.datetime) -> int | None:
    """Seconds the response may be cached: Cache-Control max-age, else Expires."""
    control = headers.get("cache-control", "")
    ages = [int(m.group(2)) for m in _MAX_AGE.finditer(control)]
    if ages:
        return max(ages)
    expires = headers.get("expires")
    if expires:
        when = http_date(expires)
        if when is not None:
            return max(0, int((when - now).total_seconds()))
    return None


def after_success(now: dt.datetime, headers: Mapping[str, str], ttl: int | None) -> tuple[
        dt.datetime, int]:
    """(next check, interval used) after a 200 or a 304."""
    hints = [h for h in (ttl, cache_lifetime(headers, now)) if h is not None]
    interval = min(max([DEFAULT_INTERVAL, *hints]), MAX_INTERVAL)
    return now + dt.timedelta(seconds=interval), interval


def backoff(errors: int) -> int:
    """Seconds to wait after ``errors`` consecutive failures (1, 2, …)."""
    return min(DEFAULT_INTERVAL * 2 ** max(0, min(errors, 20) - 1), MAX_BACKOFF)


def after_error(now: dt.datetime, errors: int, status: int | None,
                headers: Mapping[str, str]) -> dt.datetime:
    """The next check after a failure; Retry-After honoured on 429 and 503."""
    wait = backoff(errors)
    if status in (429, 503):
        asked = retry_after(headers.get("retry-after"), now)
        if asked is not None:
            wait = max(wait, asked)
    return now + dt.timedelta(seconds=wait)


def is_due(next_check: str, now: dt.datetime) -> bool:
    if not next_check:
        return True
    try:
        when = dt.datetime.fromisoformat(next_check)
    except ValueError:
        return True
    return when <= now
