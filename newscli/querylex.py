"""The words of a query as the user typed them: the first step of `newscli.query`."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from typing import NamedTuple

COLUMNS = {"title": "title", "author": "byline", "source": "source"}  # field -> FTS5 column
_FILTER_FIELDS = frozenset({"tag", "date", "after", "before", "is", "query"})
_FIELDS = frozenset(COLUMNS) | _FILTER_FIELDS
_FIELD_RE = re.compile(r"([A-Za-z]+):")


class Lex(NamedTuple):
    kind: str  # "(" ")" "OR" "NOT" "MUST" "AND" "word" "group-field"
    text: str = ""
    field: str | None = None
    quoted: bool = False
    prefix: bool = False


def lex(text: str) -> Iterator[Lex]:
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            yield Lex(ch)
            i += 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")":
            yield Lex("NOT")
            i += 1
            i = yield from _lex_word(text, i)
        elif ch == "+" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in ")+":
            yield Lex("MUST")
            i += 1
            i = yield from _lex_word(text, i)
        else:
            i = yield from _lex_word(text, i)


def _lex_quoted(text: str, i: int) -> tuple[str, bool, int]:
    """The phrase opening at text[i] == '"': its content, whether a * follows, the next index."""
    end = text.find('"', i + 1)
    if end < 0:
        end = len(text)  # forgiving: close it
    content = text[i + 1 : end]
    j = end + 1
    star = j < len(text) and text[j] == "*"
    while j < len(text) and text[j] == "*":
        j += 1
    return content, star, j


def _lex_word(text: str, i: int) -> Generator[Lex, None, int]:
    n = len(text)
    if i < n and text[i] == '"':
        content, star, j = _lex_quoted(text, i)
        yield Lex("word", content, quoted=True, prefix=star)
        return j
    start = i
    while i < n and not text[i].isspace() and text[i] not in '()"':
        i += 1
    word = text[start:i]
    m = _FIELD_RE.match(word)
    name = m.group(1).lower() if m else None
    if m and name in _FIELDS and len(m.group(0)) == len(word) and i < n:
        # a field whose value is "a phrase" or (a group)
        if text[i] == '"':
            content, star, j = _lex_quoted(text, i)
            yield Lex("word", content, field=name, quoted=True, prefix=star)
            return j
        if text[i] == "(" and name in COLUMNS:
            yield Lex("group-field", field=name)
            return i
    if m and name in _FIELDS and len(m.group(0)) < len(word):
        value = word[len(m.group(0)) :]
        yield Lex("word", value.rstrip("*"), field=name, prefix=value.endswith("*"))
    elif word in ("OR", "NOT"):
        yield Lex(word)
    elif word == "AND":
        yield Lex("AND")  # both sides must match (plain words alone may be relaxed)
    elif word:
        yield Lex("word", word.rstrip("*"), prefix=word.endswith("*"))
    return i
