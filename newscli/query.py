"""The search language: what a user types, turned into a safe FTS5 MATCH string plus SQL filters.

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

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

from newscli.bestmatch import STOPWORDS, Clause, Parts
from newscli.errors import BadQuery

__all__ = ["Query", "option_filters", "parse_query", "tokenize"]

Filter = tuple[str, tuple[object, ...]]

# field name -> FTS5 column
_COLUMNS = {"title": "title", "author": "byline", "source": "source"}
_FILTER_FIELDS = frozenset({"tag", "date", "after", "before"})
_FIELDS = frozenset(_COLUMNS) | _FILTER_FIELDS
_FIELD_RE = re.compile(r"([A-Za-z]+):")

# FTS5's own parser overflows at about 33 nested groups; each level the user writes can cost
# us two, so keep well below that.
_MAX_DEPTH = 8

_TAG_SQL = "EXISTS (SELECT 1 FROM tags t WHERE t.article = a.rowid AND t.tag = ?)"
_NOT_MATCHING_SQL = "a.rowid NOT IN (SELECT fts.rowid FROM fts WHERE fts MATCH ?)"
_HINT_WORDS = 'Give a word or "phrase" to look for, e.g. court -appeal tag:politics.'
_HINT_DATES = "Dates are YYYY, YYYY-MM or YYYY-MM-DD (or today, yesterday, 7d, 2w, 3m, 1y)."


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


def _phrase(tokens: list[str] | tuple[str, ...], prefix: bool = False) -> str:
    body = " ".join(tokens).replace('"', '""')
    return f'"{body}"' + ("*" if prefix else "")


def _show(text: str, limit: int = 60) -> str:
    """User text made safe for a one-line message."""
    flat = " ".join(text.split())
    flat = "".join(ch if ch.isprintable() else "?" for ch in flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A parsed query: an FTS5 MATCH string (None when filters only) and SQL filters on ``a``."""

    match: str | None
    filters: tuple[Filter, ...] = ()
    terms: tuple[str, ...] = ()
    best: Parts | None = None  # how to relax it (None: strict, every word must match)

    def where(self) -> tuple[str, list[object]]:
        """The filters as one SQL condition against alias ``a`` and its parameters."""
        if not self.filters:
            return "1", []
        params: list[object] = []
        for _, values in self.filters:
            params.extend(values)
        return " AND ".join(sql for sql, _ in self.filters), params


# --- lexing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lex:
    kind: str  # "(" ")" "OR" "NOT" "MUST" "AND" "word" "group-field"
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
        elif ch == "+" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in ")+":
            yield _Lex("MUST")
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
        yield _Lex("AND")  # both sides must match
    elif word:
        yield _Lex("word", word.rstrip("*"), prefix=word.endswith("*"))
    return i


# --- parsing into a small tree ------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    tokens: tuple[str, ...]
    raw: str
    column: str | None = None
    prefix: bool = False
    quoted: bool = False


@dataclass(frozen=True)
class _Filter:
    sql: str
    params: tuple[object, ...]
    negated_sql: str  # what -filter means


@dataclass(frozen=True)
class _Group:
    op: str  # "AND" or "OR"
    children: tuple[_Node, ...]
    column: str | None = None


@dataclass(frozen=True)
class _Not:
    child: _Node


@dataclass(frozen=True)
class _Must:
    """A part the user marked as required (+word, AND): never relaxed by best-match."""

    child: _Node


_Node = _Term | _Filter | _Group | _Not | _Must


class _Parser:
    def __init__(self, text: str, today: dt.date) -> None:
        self.items = list(_lex(text))
        self.pos = 0
        self.today = today

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
        joined = False  # an AND was seen since the last part
        while (item := self.peek()) is not None and item.kind not in (")", "OR"):
            if item.kind == "AND":
                self.pos += 1
                joined = bool(parts)
                if parts and not isinstance(parts[-1], _Must):
                    parts[-1] = _Must(parts[-1])
                continue
            node = self.parse_unary(depth)
            if node is not None:
                parts.append(_Must(node) if joined and not isinstance(node, _Must) else node)
                joined = False
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
        if item.kind == "MUST":
            self.pos += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "OR", "AND"):
                return None
            child = self.parse_unary(self._deeper(depth))
            return None if child is None else _Must(child)
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
        if item.kind in ("NOT", "MUST", "AND"):
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
            return _Filter(_TAG_SQL, (tag,), "NOT " + _TAG_SQL)
        elif item.field is not None:
            return _date_filter(item.field, raw, self.today)
        else:
            column = None
        shown = " ".join(raw.split()) + ("*" if item.prefix else "")
        return _Term(tuple(tokenize(raw)), shown, column, item.prefix, item.quoted)


# --- dates --------------------------------------------------------------------------------

_DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
_AGO_RE = re.compile(r"([0-9]{1,6})([dwmy])")


def _months_ago(today: dt.date, months: int) -> dt.date:
    year, month0 = divmod(today.year * 12 + today.month - 1 - months, 12)
    if year < 1:
        raise OverflowError
    return dt.date(year, month0 + 1, min(today.day, calendar.monthrange(year, month0 + 1)[1]))


def _period(text: str, today: dt.date) -> tuple[dt.date, dt.date | None]:
    """The first day of a date period and the first day after it (None past year 9999)."""
    value = text.strip().lower()
    try:
        if (m := _DATE_RE.fullmatch(value)) is not None:
            year, month, day = (int(g) if g else 0 for g in m.groups())
            if month and not 1 <= month <= 12:
                raise BadQuery(
                    f"invalid date '{_show(text)}': month must be 01 to 12", hint=_HINT_DATES
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
            raise BadQuery(f"invalid date '{_show(text)}'", hint=_HINT_DATES)
    except ValueError as exc:  # day out of range, year 0
        raise BadQuery(f"invalid date '{_show(text)}': {exc}", hint=_HINT_DATES) from None
    except OverflowError:
        raise BadQuery(f"date '{_show(text)}' is out of range", hint=_HINT_DATES) from None
    try:
        return start, start + dt.timedelta(days=1)
    except OverflowError:
        return start, None


def _date_filter(name: str, value: str, today: dt.date) -> _Filter:
    lower: dt.date | None
    upper: dt.date | None
    if name == "date":
        if value.count("..") > 1:
            raise BadQuery(f"invalid date range '{_show(value)}'", hint=_HINT_DATES)
        if ".." in value:
            first, _, last = value.partition("..")
            if not first.strip() and not last.strip():
                raise BadQuery("date:.. needs a date on at least one side", hint=_HINT_DATES)
            lower = _period(first, today)[0] if first.strip() else None
            upper = _period(last, today)[1] if last.strip() else None
            if lower and upper and upper <= lower:
                raise BadQuery(f"date range '{_show(value)}' ends before it starts")
        else:
            lower, upper = _period(value, today)
    elif name == "after":
        lower, upper = _period(value, today)[0], None
    else:  # before
        lower, upper = None, _period(value, today)[0]
    params: tuple[object, ...]
    if lower and upper:
        sql, params = "a.date >= ? AND a.date < ?", (lower.isoformat(), upper.isoformat())
    elif lower:
        sql, params = "a.date >= ?", (lower.isoformat(),)
    elif upper:
        sql, params = "a.date <> '' AND a.date < ?", (upper.isoformat(),)
    else:  # date:..9999 or the like: any known date
        sql, params = "a.date <> ''", ()
    return _Filter(f"({sql})", params, f"(a.date <> '' AND NOT ({sql}))")


# --- compiling the tree -------------------------------------------------------------------

_SINGLE_PHRASE = re.compile(r'(?:\w+ : )?"(?:[^"]|"")*"\*?')


def _paren(expr: str) -> str:
    return expr if _SINGLE_PHRASE.fullmatch(expr) else f"({expr})"


@dataclass
class _Compiled:
    """Meaning: ``match`` AND NOT any of ``negs`` AND all ``filters``."""

    match: str | None = None
    negs: list[str] = field(default_factory=list)
    filters: list[_Filter] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    def expr(self) -> str:
        assert self.match is not None
        if not self.negs:
            return self.match
        excluded = " OR ".join(map(_paren, self.negs)) if len(self.negs) > 1 else self.negs[0]
        return f"{_paren(self.match)} NOT {_paren(excluded)}"

    def empty(self) -> bool:
        return self.match is None and not self.negs and not self.filters


def _filters_sql(filters: list[_Filter]) -> _Filter:
    if len(filters) == 1:
        return filters[0]
    params: tuple[object, ...] = ()
    for f in filters:
        params += f.params
    sql = " AND ".join(f.sql for f in filters)
    return _Filter(f"({sql})", params, f"NOT ({sql})")


def _compile(node: _Node) -> _Compiled:
    if isinstance(node, _Term):
        if not node.tokens:
            return _Compiled()
        phrase = _phrase(node.tokens, node.prefix)
        match = f"{node.column} : {phrase}" if node.column else phrase
        return _Compiled(match, terms=[node.raw])
    if isinstance(node, _Filter):
        return _Compiled(filters=[node])
    if isinstance(node, _Not):
        return _negate(_compile(node.child))
    if isinstance(node, _Must):
        return _compile(node.child)
    parts = [c for c in map(_compile, node.children) if not c.empty()]
    if node.op == "OR":
        result = _either(parts)
    else:
        result = _Compiled()
        matches = [p.match for p in parts if p.match is not None]
        if matches:
            result.match = " AND ".join(map(_paren, matches)) if len(matches) > 1 else matches[0]
        for p in parts:
            result.negs += p.negs
            result.filters += p.filters
            result.terms += p.terms
    if node.column and not result.empty():
        if result.filters:
            raise BadQuery("tag:, date:, after: and before: can't go inside a field's (...)")
        if result.match is not None:
            result.match = f"{node.column} : ({result.expr()})"
            result.negs = []
        else:
            result.negs = [f"{node.column} : ({n})" for n in result.negs]
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
        return _Compiled(filters=[_Filter(*_negated(_filters_sql(inner.filters)))])
    if inner.match is not None:
        return _Compiled(negs=[inner.expr()])
    # excluding exclusions: not (not a and not b) is a or b
    return _Compiled(" OR ".join(map(_paren, inner.negs)))


def _negated(f: _Filter) -> tuple[str, tuple[object, ...], str]:
    return f.negated_sql, f.params, f.sql


def _either(parts: list[_Compiled]) -> _Compiled:
    if not parts:
        return _Compiled()
    if len(parts) == 1:
        return parts[0]
    if all(p.filters and p.match is None and not p.negs for p in parts):
        alternatives = [_filters_sql(p.filters) for p in parts]
        sql = " OR ".join(f.sql for f in alternatives)
        params: tuple[object, ...] = ()
        for f in alternatives:
            params += f.params
        return _Compiled(filters=[_Filter(f"({sql})", params, f"NOT ({sql})")])
    if any(p.filters for p in parts):
        raise BadQuery(
            "OR can't join words with tag:, date:, after: or before: filters",
            hint="Group the OR in parentheses, e.g. (trump OR biden) date:2024.",
        )
    if any(p.match is None for p in parts):
        raise BadQuery("an excluded word on its own can't be one side of OR", hint=_HINT_WORDS)
    terms = [t for p in parts for t in p.terms]
    return _Compiled(" OR ".join(_paren(p.expr()) for p in parts), terms=terms)


def option_filters(
    *,
    tags: tuple[str, ...] | list[str] = (),
    since: str | None = None,
    until: str | None = None,
    today: dt.date | None = None,
) -> list[Filter]:
    """The --tag, --since and --until options of `list` and `search` as the same SQL filters
    the query language makes (`tag:x`, `date:SINCE..UNTIL`, both ends inclusive)."""
    filters: list[Filter] = [(_TAG_SQL, (tag,)) for tag in tags]
    if since or until:
        try:
            found = _date_filter("date", f"{since or ''}..{until or ''}", today or dt.date.today())
        except BadQuery as exc:
            option = "--since" if since and not until else "--until" if until and not since \
                else "--since/--until"
            raise BadQuery(f"{option}: {exc.message}", hint=exc.hint) from None
        filters.append((found.sql, found.params))
    return filters


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def parse_query(text: str, *, today: dt.date | None = None) -> Query:
    """Translate the user's query (see the module docstring) into a :class:`Query`.

    Raises BadQuery with a one-line message when the query can't be searched.
    """
    # lone surrogates (undecodable command-line bytes) can't be sent to SQLite
    clean = "".join(ch for ch in text if not "\ud800" <= ch <= "\udfff")
    tree = _Parser(clean, today or dt.date.today()).parse()
    result = _compile(tree)
    filters = [(f.sql, f.params) for f in result.filters]
    if result.match is None and result.negs:
        if not filters:
            raise BadQuery(
                "a query needs at least one word to look for, not only words to exclude",
                hint=_HINT_WORDS,
            )
        filters.append((_NOT_MATCHING_SQL, (" OR ".join(map(_paren, result.negs)),)))
    if result.match is None and not filters:
        raise BadQuery(f"nothing to search for in '{_show(text)}'", hint=_HINT_WORDS)
    match = result.expr() if result.match is not None else None
    best = _best_parts(tree, result.negs) if match is not None else None
    return Query(match, tuple(filters), _unique(result.terms), best)


def _conjuncts(node: _Node) -> Iterator[_Node]:
    """The parts of a query that are ANDed together, through plain (unfielded) groups."""
    if isinstance(node, _Group) and node.op == "AND" and node.column is None:
        for child in node.children:
            yield from _conjuncts(child)
    else:
        yield node


def _best_parts(tree: _Node, negs: list[str]) -> Parts | None:
    """Split a query into relaxable plain words and strict parts (see newscli.bestmatch)."""
    should: list[Clause] = []
    must: list[str] = []
    for node in _conjuncts(tree):
        if isinstance(node, _Not | _Filter):
            continue  # in the exclusions and filters already
        compiled = _compile(node.child if isinstance(node, _Must) else node)
        if compiled.match is None:
            continue
        plain = (isinstance(node, _Term) and node.column is None and not node.quoted) or (
            isinstance(node, _Group) and node.op == "OR" and node.column is None)
        if plain and not compiled.negs and not compiled.filters:
            tokens = node.tokens if isinstance(node, _Term) and not node.prefix else ()
            stop = len(tokens) == 1 and tokens[0].lower() in STOPWORDS
            shown = node.raw if isinstance(node, _Term) else " OR ".join(compiled.terms)
            should.append(Clause(compiled.match, shown, tokens, stop))
        else:
            must.append(compiled.match)
    if len(should) < 2:
        return None
    return Parts(
        tuple(should),
        " AND ".join(map(_paren, must)) if must else None,
        " OR ".join(map(_paren, negs)) if negs else None,
    )
