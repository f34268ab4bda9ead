"""The query tree (`newscli.query`) and `Filters` as SQLite: FTS5 MATCH strings and SQL
conditions against the catalog's `articles a` alias. Only the SQLite catalog imports this."""

from __future__ import annotations

from newscli.query import (
    AllOf,
    AnyOf,
    Both,
    Cond,
    Dated,
    Either,
    Excluding,
    Flag,
    HasTag,
    InColumn,
    Match,
    Negated,
    Phrase,
    Query,
    Unmatched,
)
from newscli.records import Filters

Sql = tuple[str, tuple[object, ...]]

# The query language's field names → FTS5 columns
COLUMNS = {"title": "title", "byline": "byline", "source": "source"}
_TAG_SQL = "EXISTS (SELECT 1 FROM tags t WHERE t.article = a.rowid AND t.tag = ?)"
# With the state store attached as `state` (newscli.state's tables), a tag is the file's
# unless the user removed it, or one the user added; flags are the user's.
_STATE_TAG_SQL = (
    "((" + _TAG_SQL + " AND NOT EXISTS (SELECT 1 FROM state.article_tag g WHERE "
    "g.key = a.state_key AND g.tag = ? AND g.added = 0)) OR EXISTS (SELECT 1 FROM "
    "state.article_tag g WHERE g.key = a.state_key AND g.tag = ? AND g.added = 1))"
)
_FLAG_SQL = ("EXISTS (SELECT 1 FROM state.article_state s WHERE s.key = a.state_key "
             "AND s.{name} = 1)")
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


def _tag_sql(tag: str, state: bool) -> Sql:
    return (_STATE_TAG_SQL, (tag, tag, tag)) if state else (_TAG_SQL, (tag,))


def _flag_sql(name: str, value: bool, state: bool) -> Sql:
    if not state:  # nothing is read or starred without a state store
        return ("0" if value else "1"), ()
    sql = _FLAG_SQL.format(name=name)
    return (sql if value else f"NOT {sql}"), ()


def cond_sql(cond: Cond, state: bool = False) -> Sql:
    match cond:
        case HasTag(tag=tag):
            return _tag_sql(tag, state)
        case Flag(name=name, value=value):
            return _flag_sql(name, value, state)
        case Dated():
            return _dated_sql(cond)
        case Negated(cond=Dated() as inner):
            sql, params = _dated_sql(inner)
            return f"(a.date <> '' AND NOT {sql})", params
        case Negated(cond=HasTag() as inner):
            sql, params = cond_sql(inner, state)
            return f"NOT {sql}", params
        case Negated(cond=inner):
            sql, params = cond_sql(inner, state)
            return f"NOT ({sql})", params
        case Either(conds=conds) | Both(conds=conds):
            parts = [cond_sql(c, state) for c in conds]
            joiner = " OR " if isinstance(cond, Either) else " AND "
            return "(" + joiner.join(p[0] for p in parts) + ")", sum((p[1] for p in parts), ())
        case Unmatched(match=match):
            return f"NOT {_MATCHING_SQL}", (match_string(match),)
    raise TypeError(cond)


def where(query: Query | None, filters: Filters, state: bool = False) -> Sql:
    """One SQL condition against `articles a` for a query's conditions and the Filters;
    `state`: the state store is attached (reading state and the user's tags count)."""
    parts: list[Sql] = [cond_sql(c, state) for c in (query.filters if query else ())]
    parts += [_tag_sql(tag, state) for tag in filters.tags]
    for name in ("read", "starred"):
        if (value := getattr(filters, name)) is not None:
            parts.append(_flag_sql(name, value, state))
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
