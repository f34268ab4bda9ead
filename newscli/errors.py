"""The project's own errors: raised by the library, turned into one line on stderr by the CLI."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # also "no match", as with grep
    USAGE = 2
    INTERRUPTED = 130


class NewscliError(Exception):
    """Base for every error the user should see as a single line."""

    exit_status = ExitStatus.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotFound(NewscliError):
    """No article, file or store answers to a name."""


class Ambiguous(NewscliError):
    """A name matches more than one article."""


class Unreadable(NewscliError):
    """A file exists but is not an article we can read (binary, undecodable, too large)."""


class BadQuery(NewscliError):
    """A search query that cannot be translated."""

    exit_status = ExitStatus.USAGE


class FetchError(NewscliError):
    """A URL could not be fetched as an HTML page."""


class IndexDamaged(NewscliError):
    """The catalog's file is damaged: it is a cache, so it can be discarded and rebuilt."""

    def __init__(self, message: str, *, path: object) -> None:
        super().__init__(message)
        self.path = path


class StateError(NewscliError):
    """The durable state store cannot be used; it is user data, so it is never discarded."""
