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

