"""Best-match: which parts of a parsed query may be relaxed, and which must match.

A query's plain words are *should* clauses: articles with every one of them rank first,
then articles with most of them, by BM25 (see `newscli.rank`). Everything the user wrote
as an operator keeps its strict meaning and is a *must*: quotes, ``+word``, ``AND``,
``field:``, a field's ``(group)``, ``-word`` and the filters. An ``(a OR b)`` group counts as
one should clause. A query with fewer than two should clauses is simply strict.

This module knows the query tree; it holds no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

# Words too common to say what a query is about: dropped from best-match ranking (they cost
# time and, measured on the Cranfield judgements, add nothing). They still count when
# quoted, required with +, and when a query has nothing else.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can cannot could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself let me more most my myself no nor not of off on once only or
    other ought our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also may might must shall upon whether within without""".split()
)


@dataclass(frozen=True)
class Clause:
    """One relaxable part of a query: its FTS5 expression, the text as typed, the tokens of
    a plain word (empty for a prefix or a group: those never form word pairs) and whether
    it is a stop word."""

    match: str
    shown: str
    tokens: tuple[str, ...] = ()
    stop: bool = False


@dataclass(frozen=True)
class Parts:
    """A query split for best-match: ``should`` clauses (at least two), the ``must`` part
    as one FTS5 expression (None when there is none) and the exclusions (None if none)."""

    should: tuple[Clause, ...]
    must: str | None = None
    exclude: str | None = None

    def content(self) -> tuple[Clause, ...]:
        """The should clauses that rank: the stop words dropped, unless nothing is left."""
        kept = tuple(c for c in self.should if not c.stop)
        return kept or self.should
