"""The search language: what a user types, turned into a tree that any catalog can run.

No SQL and no FTS5 syntax here: the catalog turns the tree into its own query language
(`newscli.catalog.fts` for SQLite), so no user text ever reaches a database as syntax.

Search language
---------------
  deportation court      both words (words are ANDed)
  "exact phrase"         the words in this order
  trump OR biden         either; OR must be uppercase
  (a OR b) c             parentheses group; unbalanced quotes/parentheses are closed for you
  -word  -"a phrase"     exclude; NOT word does the same
  deport*                prefix: deport, deported, deportation, ...
  title:word             in the title; also title:"a phrase", title:(a OR b)
  author:name            in the byline
  source:name            in the source (publication) name
  tag:name               tagged name (case-insensitive); -tag:name excludes
  date:2024-01..2024-03  January to March 2024; open ends date:2025.. and date:..2024-06-30;
                         one period date:2024-05; dates are YYYY, YYYY-MM or YYYY-MM-DD,
                         or today, yesterday, 7d, 2w, 3m, 1y (that long ago)
  after:X  before:X      on or after the start of X / before the start of X

Filters (tag:, date:, after:, before:) and words combine freely; articles without a known
date never match a date filter. Lowercase and/or/not, AND, NEAR, ^ and other punctuation are
plain text; an unknown prefix such as note:x or http://x is plain text too. Case and accents
are ignored and words are stemmed (deport finds deported). A word is split where it has
characters other than letters and digits and searched as a phrase: mega-prison finds
"mega-prison" and "mega prison", U.S. finds "U.S."; $5 is 5 and C++ is c. Chinese, Japanese
and similar text without spaces is indexed as whole runs: search a run as written or with *.
A query needs at least one word to look for; words to exclude alone are not enough unless the
query also has a filter (tag:, date:, after:, before:).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Generator, Iterator, Mapping
from typing import NamedTuple

from newscli.dates import HINT_DATES as _HINT_DATES
from newscli.dates import period, show
from newscli.errors import BadQuery
from newscli.records import Filters

__all__ = ["Query", "make_filters", "parse_query", "tokenize"]

# field name -> FTS5 column
_COLUMNS = {"title": "title", "author": "byline", "source": "source"}
_FILTER_FIELDS = frozenset({"tag", "date", "after", "before", "is", "query"})
_FIELDS = frozenset(_COLUMNS) | _FILTER_FIELDS
_FIELD_RE = re.compile(r"([A-Za-z]+):")

# FTS5's own parser overflows at about 33 nested groups; each level the user writes can cost
# us two, so keep well below that.
_MAX_DEPTH = 8

_HINT_WORDS = 'Give a word or "phrase" to look for, e.g. court -appeal tag:politics.'


# --- tokens: the way SQLite's unicode61 tokenizer splits text ------------------------------


def _starts_token(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if cat[0] in "LN" or cat == "Co":
        return True
    # unassigned in Python's tables: SQLite treats code points it does not know as token
    # characters (its tables are older), except the noncharacters
    return cat == "Cn" and not (0xFDD0 <= ord(ch) <= 0xFDEF or ord(ch) & 0xFFFE == 0xFFFE)


def _continues_token(ch: str) -> bool:
    # accents written as combining marks stay inside the word (SQLite folds them away with
    # remove_diacritics); a lone mark, such as an emoji variation selector, starts nothing
    return _starts_token(ch) or unicodedata.category(ch)[0] == "M"


def tokenize(text: str) -> list[str]:
    """Split ``text`` into tokens like unicode61: runs of letters and digits, rest separates."""
    tokens: list[str] = []
    start = -1
    for i, ch in enumerate(text):
        if start >= 0:
            if not _continues_token(ch):
                tokens.append(text[start:i])
                start = -1
        elif _starts_token(ch):
            start = i
    if start >= 0:
        tokens.append(text[start:])
    return tokens


# --- the result: a normal form --------------------------------------------------------
# Text to match (what a full-text index answers) ...


class Phrase(NamedTuple):
    """Tokens in this order (one token: a word), in one field or any; `prefix`: the last
    token may be the start of a longer word."""

    tokens: tuple[str, ...]
    column: str | None = None  # "title", "byline" or "source"
    prefix: bool = False


class AllOf(NamedTuple):
    children: tuple[Match, ...]


class AnyOf(NamedTuple):
    children: tuple[Match, ...]


class InColumn(NamedTuple):
    column: str
    child: Match


class Excluding(NamedTuple):
    """`child`, but none of `excluded`."""

    child: Match
    excluded: tuple[Match, ...]


Match = Phrase | AllOf | AnyOf | InColumn | Excluding

# ... and conditions on the catalog's fields (what a filter answers).


class HasTag(NamedTuple):
    tag: str  # compared without regard to case


class Dated(NamedTuple):
    """Dated on or after `lower` and before `upper` (ISO days; None: open). Articles with no
    known date never match, nor does their negation."""

    lower: str | None
    upper: str | None


class Flag(NamedTuple):
    """Reading state: `read` or `starred` is `value` (`is:unread` is read = False)."""

    name: str
    value: bool


class Negated(NamedTuple):
    cond: Cond


class Either(NamedTuple):
    conds: tuple[Cond, ...]


class Both(NamedTuple):
    conds: tuple[Cond, ...]


class Unmatched(NamedTuple):
    """The article does not match this text."""

    match: Match


Cond = HasTag | Dated | Flag | Negated | Either | Both | Unmatched


def negate(cond: Cond) -> Cond:
    return cond.cond if isinstance(cond, Negated) else Negated(cond)


class Query(NamedTuple):
    """A parsed query: text to match (None when filters only), conditions that must all
    hold, and the words as the user typed them (for hints and --explain)."""

    match: Match | None
    filters: tuple[Cond, ...] = ()
    terms: tuple[str, ...] = ()


# --- lexing -------------------------------------------------------------------------------


class _Lex(NamedTuple):
    kind: str  # "(" ")" "OR" "NOT" "word" "group-field"
    text: str = ""
    field: str | None = None
    quoted: bool = False
    prefix: bool = False


def _lex(text: str) -> Iterator[_Lex]:
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            yield _Lex(ch)
            i += 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")":
            yield _Lex("NOT")
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


def _lex_word(text: str, i: int) -> Generator[_Lex, None, int]:
    n = len(text)
    if i < n and text[i] == '"':
        content, star, j = _lex_quoted(text, i)
        yield _Lex("word", content, quoted=True, prefix=star)
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
            yield _Lex("word", content, field=name, quoted=True, prefix=star)
            return j
        if text[i] == "(" and name in _COLUMNS:
            yield _Lex("group-field", field=name)
            return i
    if m and name in _FIELDS and len(m.group(0)) < len(word):
        value = word[len(m.group(0)) :]
        yield _Lex("word", value.rstrip("*"), field=name, prefix=value.endswith("*"))
    elif word in ("OR", "NOT"):
        yield _Lex(word)
    elif word == "AND":
        pass  # the words are ANDed anyway
    elif word:
        yield _Lex("word", word.rstrip("*"), prefix=word.endswith("*"))
    return i


# --- parsing into a small tree ------------------------------------------------------------


class _Term(NamedTuple):
    tokens: tuple[str, ...]
    raw: str
    column: str | None = None
    prefix: bool = False


class _Group(NamedTuple):
    op: str  # "AND" or "OR"
    children: tuple[_Node, ...]
    column: str | None = None


class _Not(NamedTuple):
    child: _Node


_Node = _Term | HasTag | Dated | Flag | _Group | _Not


class _Parser:
    def __init__(self, text: str, today: dt.date, saved: Mapping[str, str] | None = None,
                 within: tuple[str, ...] = ()) -> None:
        self.items = list(_lex(text))
        self.pos = 0
        self.today = today
        self.saved = saved or {}
        self.within = within  # the saved searches being expanded, outermost first

    def saved_search(self, name: str) -> _Node:
        """`query:NAME`: the saved search's own query, as if typed in parentheses."""
        if not name:
            raise BadQuery("query: needs the name of a saved search",
                           hint="`newscli searches` lists them.")
        if name in self.within:
            loop = " → ".join([*self.within, name])
            raise BadQuery(f"saved search '{show(name)}' refers to itself ({show(loop)})")
        if name not in self.saved:
            raise BadQuery(f"no saved search named '{show(name)}'",
                           hint="`newscli searches` lists them; "
                           "`newscli search --save NAME QUERY` saves one.")
        inner = _Parser(self.saved[name], self.today, self.saved, (*self.within, name))
        return _Group("AND", (inner.parse(),))

    def peek(self) -> _Lex | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def parse(self) -> _Node:
        parts = [self.parse_or(0)]
        while self.peek() is not None:  # a stray ")" ends nothing: carry on
            self.pos += 1
            parts.append(self.parse_or(0))
        return _Group("AND", tuple(parts))

    def parse_or(self, depth: int) -> _Node:
        alternatives = [self.parse_and(depth)]
        while (item := self.peek()) is not None and item.kind == "OR":
            self.pos += 1
            alternatives.append(self.parse_and(depth))
        return alternatives[0] if len(alternatives) == 1 else _Group("OR", tuple(alternatives))

    def parse_and(self, depth: int) -> _Node:
        parts: list[_Node] = []
        while (item := self.peek()) is not None and item.kind not in (")", "OR"):
            node = self.parse_unary(depth)
            if node is not None:
                parts.append(node)
        return _Group("AND", tuple(parts))

    def parse_unary(self, depth: int) -> _Node | None:
        item = self.peek()
        assert item is not None
        if item.kind == "NOT":
            self.pos += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "OR"):
                return None  # a dangling NOT excludes nothing
            child = self.parse_unary(self._deeper(depth))
            return None if child is None else _Not(child)
        return self.parse_atom(depth)

    def parse_atom(self, depth: int) -> _Node | None:
        item = self.peek()
        assert item is not None
        self.pos += 1
        if item.kind == "(":
            return self._group(depth, None)
        if item.kind == "group-field":
            self.pos += 1  # the "(" the lexer saw
            return self._group(depth, _COLUMNS[item.field or ""])
        if item.kind == "NOT":
            return None
        return self.word(item)

    def _group(self, depth: int, column: str | None) -> _Node:
        inner = self.parse_or(self._deeper(depth))
        if (item := self.peek()) is not None and item.kind == ")":
            self.pos += 1  # a missing ")" is forgiven
        return _Group("AND", (inner,), column)

    @staticmethod
    def _deeper(depth: int) -> int:
        if depth + 1 > _MAX_DEPTH:
            raise BadQuery(f"the query is nested too deeply (at most {_MAX_DEPTH} levels)")
        return depth + 1

    def word(self, item: _Lex) -> _Node:
        raw = item.text
        if item.field in _COLUMNS:
            column: str | None = _COLUMNS[item.field]
        elif item.field == "tag":
            tag = raw.strip()
            if not tag:
                raise BadQuery("tag: needs a tag name", hint="For example tag:politics.")
            return HasTag(tag)
        elif item.field == "is":
            return _flag(raw)
        elif item.field == "query":
            return self.saved_search(raw.strip())
        elif item.field is not None:
            return _date_filter(item.field, raw, self.today)
        else:
            column = None
        shown = " ".join(raw.split()) + ("*" if item.prefix else "")
        return _Term(tuple(tokenize(raw)), shown, column, item.prefix)


_FLAGS = {"read": ("read", True), "unread": ("read", False), "starred": ("starred", True),
          "unstarred": ("starred", False)}


def _flag(value: str) -> Flag:
    name = value.strip().lower()
    if name not in _FLAGS:
        raise BadQuery(f"is:{show(value)} is not a reading state",
                       hint="Use is:unread, is:read, is:starred or is:unstarred.")
    return Flag(*_FLAGS[name])


# --- dates --------------------------------------------------------------------------------

def _date_filter(name: str, value: str, today: dt.date) -> Dated:
    lower: dt.date | None
    upper: dt.date | None
    if name == "date":
        if value.count("..") > 1:
            raise BadQuery(f"invalid date range '{show(value)}'", hint=_HINT_DATES)
        if ".." in value:
            first, _, last = value.partition("..")
            if not first.strip() and not last.strip():
                raise BadQuery("date:.. needs a date on at least one side", hint=_HINT_DATES)
            lower = period(first, today)[0] if first.strip() else None
            upper = period(last, today)[1] if last.strip() else None
            if lower and upper and upper <= lower:
                raise BadQuery(f"date range '{show(value)}' ends before it starts")
        else:
            lower, upper = period(value, today)
    elif name == "after":
        lower, upper = period(value, today)[0], None
    else:  # before
        lower, upper = None, period(value, today)[0]
    return Dated(lower.isoformat() if lower else None, upper.isoformat() if upper else None)


# --- compiling the tree into the normal form ------------------------------------------


class _Compiled:
    """Meaning: ``match`` AND NOT any of ``negs`` AND all ``filters``."""

    def __init__(self, match: Match | None = None, *, negs: list[Match] | None = None,
                 filters: list[Cond] | None = None, terms: list[str] | None = None) -> None:
        self.match = match
        self.negs: list[Match] = negs or []
        self.filters: list[Cond] = filters or []
        self.terms: list[str] = terms or []

    def expr(self) -> Match:
        assert self.match is not None
        return Excluding(self.match, tuple(self.negs)) if self.negs else self.match

    def empty(self) -> bool:
        return self.match is None and not self.negs and not self.filters


def _all(items: list[Match]) -> Match:
    return items[0] if len(items) == 1 else AllOf(tuple(items))


def _any(items: list[Match]) -> Match:
    return items[0] if len(items) == 1 else AnyOf(tuple(items))


def _both(conds: list[Cond]) -> Cond:
    return conds[0] if len(conds) == 1 else Both(tuple(conds))


def _compile(node: _Node) -> _Compiled:
    if isinstance(node, _Term):
        if not node.tokens:
            return _Compiled()
        return _Compiled(Phrase(node.tokens, node.column, node.prefix), terms=[node.raw])
    if isinstance(node, HasTag | Dated | Flag):
        return _Compiled(filters=[node])
    if isinstance(node, _Not):
        return _negate(_compile(node.child))
    parts = [c for c in map(_compile, node.children) if not c.empty()]
    if node.op == "OR":
        result = _either(parts)
    else:
        result = _Compiled()
        matches = [p.match for p in parts if p.match is not None]
        if matches:
            result.match = _all(matches)
        for p in parts:
            result.negs += p.negs
            result.filters += p.filters
            result.terms += p.terms
    if node.column and not result.empty():
        if result.filters:
            raise BadQuery("tag:, date:, after:, before: and is: can't go inside a field's (...)")
        if result.match is not None:
            result.match = InColumn(node.column, result.expr())
            result.negs = []
        else:
            result.negs = [InColumn(node.column, n) for n in result.negs]
    return result


def _negate(inner: _Compiled) -> _Compiled:
    if inner.empty():
        return inner
    if inner.filters:
        if inner.match is not None or inner.negs:
            raise BadQuery(
                "can't exclude a group that mixes words with tag:/date: filters",
                hint="Exclude the words and the filters separately.",
            )
        return _Compiled(filters=[negate(_both(inner.filters))])
    if inner.match is not None:
        return _Compiled(negs=[inner.expr()])
    # excluding exclusions: not (not a and not b) is a or b
    return _Compiled(_any(inner.negs))


def _either(parts: list[_Compiled]) -> _Compiled:
    if not parts:
        return _Compiled()
    if len(parts) == 1:
        return parts[0]
    if all(p.filters and p.match is None and not p.negs for p in parts):
        return _Compiled(filters=[Either(tuple(_both(p.filters) for p in parts))])
    if any(p.filters for p in parts):
        raise BadQuery(
            "OR can't join words with tag:, date:, after:, before: or is: filters",
            hint="Group the OR in parentheses, e.g. (trump OR biden) date:2024.",
        )
    if any(p.match is None for p in parts):
        raise BadQuery("an excluded word on its own can't be one side of OR", hint=_HINT_WORDS)
    terms = [t for p in parts for t in p.terms]
    return _Compiled(AnyOf(tuple(p.expr() for p in parts)), terms=terms)


def make_filters(
    *,
    tags: tuple[str, ...] | list[str] = (),
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
    today: dt.date | None = None,
) -> Filters:
    """The --tag, --source, --since and --until options of `list` and `search` as the
    catalog's Filters, meaning what `tag:x`, `source:x` and `date:SINCE..UNTIL` mean in a
    query (both ends inclusive)."""
    lower = upper = None
    if since or until:
        try:
            found = _date_filter("date", f"{since or ''}..{until or ''}", today or dt.date.today())
        except BadQuery as exc:
            option = "--since" if since and not until else "--until" if until and not since \
                else "--since/--until"
            raise BadQuery(f"{option}: {exc.message}", hint=exc.hint) from None
        lower, upper = found.lower, found.upper
    source_words = " ".join(tokenize(source)) if source else None
    if source and not source_words:
        raise BadQuery(f"--source: no words to look for in '{show(source)}'")
    return Filters(tuple(tags), source_words, lower, upper)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def parse_query(text: str, *, today: dt.date | None = None,
                saved: Mapping[str, str] | None = None) -> Query:
    """Translate the user's query (see the module docstring) into a :class:`Query`;
    `saved` holds the saved searches that `query:NAME` refers to.

    Raises BadQuery with a one-line message when the query can't be searched.
    """
    # lone surrogates (undecodable command-line bytes) can't be sent to SQLite
    clean = "".join(ch for ch in text if not "\ud800" <= ch <= "\udfff")
    result = _compile(_Parser(clean, today or dt.date.today(), saved).parse())
    filters = list(result.filters)
    if result.match is None and result.negs:
        if not filters:
            raise BadQuery(
                "a query needs at least one word to look for, not only words to exclude",
                hint=_HINT_WORDS,
            )
        filters.append(Unmatched(_any(result.negs)))
    if result.match is None and not filters:
        raise BadQuery(f"nothing to search for in '{show(text)}'", hint=_HINT_WORDS)
    match = result.expr() if result.match is not None else None
    return Query(match, tuple(filters), _unique(result.terms))
