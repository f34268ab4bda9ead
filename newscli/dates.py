"""Dates as newscli keeps them: ISO 8601 strings, day precision unless a time is known."""

from __future__ import annotations

import datetime as dt
import re

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGIT = re.compile(r"\d")
YEARS = range(1800, 2201)  # outside this, a "date" in an article is a mistake


def normalise_date(value: object) -> str:
    """Any date-ish value (a `date`, a `datetime`, '2024-03-05', 'March 5, 2024 10:00 EST',
    'Tue, 05 Mar 2024 10:00:00 GMT') as ISO 8601; '' when it is not a plausible date."""
    if isinstance(value, dt.datetime):
        return _iso(value)
    if isinstance(value, dt.date):
        return value.isoformat() if value.year in YEARS else ""
    if not isinstance(value, str):
        return ""
    text = " ".join(value.split())
    if not text or len(text) > 64 or not _DIGIT.search(text):
        return ""
    if _ISO_DAY.match(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return ""
        return day.isoformat() if day.year in YEARS else ""
    try:
        return _iso(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    from dateutil import parser

    try:
        return _iso(parser.parse(text, default=dt.datetime(1, 1, 1)))
    except (ValueError, OverflowError, TypeError):
        return ""


def _iso(moment: dt.datetime) -> str:
    if moment.year not in YEARS:
        return ""
    if moment.tzinfo is None and (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat()
