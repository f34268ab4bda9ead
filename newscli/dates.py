"""Dates as newscli keeps them: ISO 8601 strings, day precision unless a time is known."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from newscli.errors import BadQuery

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGIT = re.compile(r"\d")
YEARS = range(1800, 2201)  # outside this, a "date" in an article is a mistake


def normalise_date(value: object) -> str:
    """Any date-ish value (a `date`, a `datetime`, '2024-03-05', 'March 5, 2024 10:00 EST',
    'Tue, 05 Mar 2024 10:00:00 GMT') as ISO 8601; '' when it is not a plausible date."""
    return read_date(value)[0]


def read_date(value: object) -> tuple[str, str | None]:
    """`normalise_date`, and what was wrong with the value if anything: it is not a date
    ('' is returned), or its time zone is unknown (the local time is kept without it)."""
    if isinstance(value, dt.datetime):
        return _checked(value)
    if isinstance(value, dt.date):
        return (value.isoformat(), None) if value.year in YEARS else ("", _NOT_A_DATE)
    if not isinstance(value, str):
        return "", _NOT_A_DATE
    text = " ".join(value.split())
    if not text or len(text) > 64 or not _DIGIT.search(text):
        return "", _NOT_A_DATE
    if _ISO_DAY.match(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return "", _NOT_A_DATE
        return (day.isoformat(), None) if day.year in YEARS else ("", _NOT_A_DATE)
    try:
        return _checked(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    import warnings

    from dateutil import parser

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            moment = parser.parse(text, default=dt.datetime(1, 1, 1), tzinfos=ZONES)
        except (ValueError, OverflowError, TypeError):
            return "", _NOT_A_DATE
    iso, problem = _checked(moment)
    if iso and any(issubclass(w.category, parser.UnknownTimezoneWarning) for w in caught):
        problem = "has a time zone that is not known; the time is kept without it"
    return iso, problem


_NOT_A_DATE = "is not a valid date"
# Zone abbreviations news sites use that have one meaning (CST, IST, BST have several).
ZONES = {name: hours * 3600 for name, hours in (
    ("EST", -5), ("EDT", -4), ("MST", -7), ("MDT", -6), ("PST", -8), ("PDT", -7),
    ("CET", 1), ("CEST", 2), ("EET", 2), ("EEST", 3), ("WET", 0), ("WEST", 1))}


def _checked(moment: dt.datetime) -> tuple[str, str | None]:
    iso = _iso(moment)
    return iso, None if iso else _NOT_A_DATE


def _iso(moment: dt.datetime) -> str:
    if moment.year not in YEARS:
        return ""
    if moment.tzinfo is None and (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat()


# -- periods, as the query language and --since/--until write them -------------------------
HINT_DATES = "Dates are YYYY, YYYY-MM or YYYY-MM-DD (or today, yesterday, 7d, 2w, 3m, 1y)."


def show(text: str, limit: int = 60) -> str:
    """User text made safe for a one-line message."""
    flat = " ".join(text.split())
    flat = "".join(ch if ch.isprintable() else "?" for ch in flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
_AGO_RE = re.compile(r"([0-9]{1,6})([dwmy])")


def _months_ago(today: dt.date, months: int) -> dt.date:
    year, month0 = divmod(today.year * 12 + today.month - 1 - months, 12)
    if year < 1:
        raise OverflowError
    return dt.date(year, month0 + 1, min(today.day, calendar.monthrange(year, month0 + 1)[1]))


def period(text: str, today: dt.date) -> tuple[dt.date, dt.date | None]:
    """The first day of a date period and the first day after it (None past year 9999)."""
    value = text.strip().lower()
    try:
        if (m := _DATE_RE.fullmatch(value)) is not None:
            year, month, day = (int(g) if g else 0 for g in m.groups())
            if month and not 1 <= month <= 12:
                raise BadQuery(
                    f"invalid date '{show(text)}': month must be 01 to 12", hint=HINT_DATES
                )
            start = dt.date(year, month or 1, day or 1)
            try:
                if day:
                    return start, start + dt.timedelta(days=1)
                if month:
                    return start, dt.date(year + month // 12, month % 12 + 1, 1)
                return start, dt.date(year + 1, 1, 1)
            except (ValueError, OverflowError):  # the period ends with year 9999
                return start, None
        if value in ("today", "yesterday"):
            start = today - dt.timedelta(days=1 if value == "yesterday" else 0)
        elif (m := _AGO_RE.fullmatch(value)) is not None:
            count, unit = int(m.group(1)), m.group(2)
            if unit in "dw":
                start = today - dt.timedelta(days=count * (7 if unit == "w" else 1))
            else:
                start = _months_ago(today, count * (12 if unit == "y" else 1))
        else:
            raise BadQuery(f"invalid date '{show(text)}'", hint=HINT_DATES)
    except ValueError as exc:  # day out of range, year 0
        raise BadQuery(f"invalid date '{show(text)}': {exc}", hint=HINT_DATES) from None
    except OverflowError:
        raise BadQuery(f"date '{show(text)}' is out of range", hint=HINT_DATES) from None
    try:
        return start, start + dt.timedelta(days=1)
    except OverflowError:
        return start, None
