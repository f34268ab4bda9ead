"""The query tree (`newscli.query`) and `Filters` as SQLite: FTS5 MATCH strings and SQL
conditions against the catalog's `articles a` alias. Only the SQLite catalog imports this."""

from __future__ import annotations

from newscli.model import Filters
from newscli.query import (
    AllOf,
    AnyOf,
    Both,
    Cond,
    Dated,
    Either,
    Excluding,
    HasTag,
    InColumn,
    Match,
    Negated,
    Phrase,
    Query,
    Unmatched,
)

Sql = tuple[str, tuple[object, ...]]

# The query language's field names → FTS5 columns
COLUMNS = {"title": "title", "byline": "byline", "source": "source"}
_TAG_SQL = "EXISTS (SELECT 1 FROM tags t WHERE t.article = a.rowid AND t.tag = ?)"
_MATCHING_SQL = "a.rowid IN (SELECT fts.rowid FROM fts WHERE fts MATCH ?)"


def phrase(tokens: tuple[str, ...] | list[str], prefix: bool = False) -> str:
    body = " ".join(tokens).replace('"', '""')
    return f'"{body}"' + ("*" if prefix else "")


def _single(node: Match) -> bool:
    return isinstance(node, Phrase)


def _paren(node: Match) -> str:
    text = match_string(node)
    return text if _single(node) else f"({text})"


def match_string(node: Match) -> str:
    """A MATCH string for FTS5: every token quoted, so no user text is FTS5 syntax."""
    match node:
        case Phrase(tokens=tokens, column=column, prefix=prefix):
            text = phrase(tokens, prefix)
            return f"{COLUMNS[column]} : {text}" if column else text
        case AllOf(children=children):
            return " AND ".join(map(_paren, children))
        case AnyOf(children=children):
            return " OR ".join(map(_paren, children))
        case InColumn(column=column, child=child):
            return f"{COLUMNS[column]} : ({match_string(child)})"
        case Excluding(child=child, excluded=excluded):
            if len(excluded) == 1:
                out = _paren(excluded[0])
            else:
                out = "(" + " OR ".join(map(_paren, excluded)) + ")"
            return f"{_paren(child)} NOT {out}"
    raise TypeError(node)


def _dated_sql(cond: Dated) -> Sql:
    if cond.lower and cond.upper:
        return "(a.date >= ? AND a.date < ?)", (cond.lower, cond.upper)
    if cond.lower:
        return "(a.date >= ?)", (cond.lower,)
    if cond.upper:
        return "(a.date <> '' AND a.date < ?)", (cond.upper,)
    return "(a.date <> '')", ()  # date:..9999 or the like: any known date


def cond_sql(cond: Cond) -> Sql:
    match cond:
        case HasTag(tag=tag):
            return _TAG_SQL, (tag,)
        case Dated():
            return _dated_sql(cond)
        case Negated(cond=Dated() as inner):
            sql, params = _dated_sql(inner)
            return f"(a.date <> '' AND NOT {sql})", params
        case Negated(cond=HasTag() as inner):
            sql, params = cond_sql(inner)
            return f"NOT {sql}", params
        case Negated(cond=inner):
            sql, params = cond_sql(inner)
            return f"NOT ({sql})", params
        case Either(conds=conds) | Both(conds=conds):
            parts = [cond_sql(c) for c in conds]
            joiner = " OR " if isinstance(cond, Either) else " AND "
            return "(" + joiner.join(p[0] for p in parts) + ")", sum((p[1] for p in parts), ())
        case Unmatched(match=match):
            return f"NOT {_MATCHING_SQL}", (match_string(match),)
    raise TypeError(cond)


def where(query: Query | None, filters: Filters) -> Sql:
    """One SQL condition against `articles a` for a query's conditions and the Filters."""
    parts: list[Sql] = [cond_sql(c) for c in (query.filters if query else ())]
    parts += [(_TAG_SQL, (tag,)) for tag in filters.tags]
    if filters.source:
        parts.append((_MATCHING_SQL, (f"source : {phrase(filters.source.split())}",)))
    if filters.since or filters.until:
        parts.append(_dated_sql(Dated(filters.since, filters.until)))
    if filters.exclude:
        marks = ", ".join("?" * len(filters.exclude))
        parts.append((f"a.rowid NOT IN ({marks})", tuple(filters.exclude)))
    if not parts:
        return "1", ()
    return " AND ".join(p[0] for p in parts), sum((p[1] for p in parts), ())
