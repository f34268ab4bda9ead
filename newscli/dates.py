"""Dates as newscli keeps them: ISO 8601 strings, day precision unless a time is known."""

from __future__ import annotations

import datetime as dt
import re

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalise_date(value: object) -> str:
    """Any date-ish value (a `date`, a `datetime`, '2024-03-05', 'March 5, 2024 10:00 EST',
    'Tue, 05 Mar 2024 10:00:00 GMT') as ISO 8601; '' when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if not text or len(text) > 64:
        return ""
    if _ISO_DAY.match(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return ""
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        pass
    from dateutil import parser

    try:
        parsed = parser.parse(text, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return ""
    if parsed.year == 1:
        return ""
    if (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0) and parsed.tzinfo is None:
        return parsed.date().isoformat()
    return parsed.isoformat(timespec="seconds")


_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def period(text: str, what: str = "date") -> tuple[str, str]:
    """'2024' / '2024-03' / '2024-03-05' → (first day, day after the period) as ISO strings,
    for comparisons against ISO dates: `start <= date < end`."""
    from newscli.errors import BadQuery

    match = _PERIOD.match(text.strip())
    if not match:
        raise BadQuery(f"{what}: '{text}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if day is not None and month is not None:
            start = dt.date(year, month, day)
            end = start + dt.timedelta(days=1)
        elif month is not None:
            start = dt.date(year, month, 1)
            end = dt.date(year + month // 12, month % 12 + 1, 1)
        else:
            start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    except (ValueError, OverflowError):
        raise BadQuery(f"{what}: '{text}' is not a valid date") from None
    return start.isoformat(), end.isoformat()
