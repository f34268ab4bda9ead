"""Best-match ranking in SQLite FTS5: the SQL behind `Query.best` (see newscli.query).

Articles with every content word of the query come first (tier 1), then articles with some
of them (tier 2), each by BM25. Scores: each word counts with its number of occurrences in
the query (as BM25's query term frequency does), and two adjacent words of the query found
side by side in an article count once more, at half a word's weight (a phrase bonus).

Speed. A long query's words, ORed, touch most of a large store, and FTS5 computes bm25()
for every row it matches. Two things keep that in bounds, neither changing the ranking:
- a word in half the articles or more has an FTS5 IDF of about zero (FTS5 clamps it to
  1e-6), so it does not take part in scoring the rows with rare words (below);
- the words are split into rare and common ones (by document frequency); tier 2
  is first taken only among articles with a rare word, scored with every word (one query
  for articles with no common word, one for articles with both), and an article with
  common words only can score at most the sum of their BM25 upper bounds, IDF x (k1 + 1).
  If the last hit kept scores below that bound, the exhaustive query runs instead (a
  MaxScore check), so the top hits are always those of the exhaustive ranking.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from newscli.catalog import results
from newscli.catalog.fts import match_string, phrase, where
from newscli.query import Parts, Query
from newscli.records import MARK_OFF, MARK_ON, Filters, Hit, Row

# Words are "common" (see above) when found in more than _NEAR_RAREST times as many articles
# as the rarest word of the query; failing that, in more than _COMMON of all articles.
_NEAR_RAREST = 2
_COMMON = 0.1
_NEGLIGIBLE = 0.01  # a word adding at most this (in half the articles or more) scores nothing
_K1 = 1.2  # FTS5's bm25() constant
_SLACK = 1.02  # bounds are rounded up, never down


class Ranked(NamedTuple):
    rowid: int
    score: float  # bm25(): lower is better
    tier: int  # 1: every word, 2: some, 3: only the required part


def _any(items: Sequence[str]) -> str:
    return "(" + " OR ".join(f"({i})" for i in items) + ")"


class BestMatch:
    """One best-match search: `run()` gives the top `limit` rows, best first."""

    def __init__(self, run: Callable[[str, Sequence[object]], list[Any]], parts: Parts, *,
                 weights: str,
                 where: str = "1", params: Sequence[object] = ()) -> None:
        self.sql, self.parts, self.weights = run, parts, weights
        self.where, self.params = where, tuple(params)
        self.must = match_string(parts.must) if parts.must else None
        self.exclude = " OR ".join(f"({match_string(m)})" for m in parts.exclude) or None
        content = parts.content()
        text = {c: match_string(c.match) for c in parts.should}
        self.text = text
        self.words = list(dict.fromkeys(text[c] for c in content))
        self.clause = {text[c]: c for c in content}
        pairs: dict[str, tuple[str, str]] = {}
        for a, b in zip(parts.should, parts.should[1:], strict=False):
            if a in content and b in content and a.tokens and b.tokens and text[a] != text[b]:
                pairs.setdefault(phrase(a.tokens + b.tokens), (text[a], text[b]))
        self.pairs = pairs
        repeat = 2 if pairs else 1  # a pair weighs half a word
        counts = Counter(text[c] for c in content)
        self.weight = {w: counts[w] * repeat for w in self.words}
        self._df: dict[str, int] = {}
        self._rows: int | None = None

    # -- statistics -----------------------------------------------------------------------
    def rows(self) -> int:
        """The number of articles, from above (the largest rowid): bounds stay bounds."""
        if self._rows is None:
            self._rows = self.sql("SELECT max(rowid) FROM fts", ())[0][0] or 1
        return self._rows

    def df(self, match: str) -> int:
        if match not in self._df:
            self._df[match] = self.sql("SELECT count(*) FROM fts WHERE fts MATCH ?",
                                       (match,))[0][0]
        return self._df[match]

    def bound(self, match: str) -> float:
        """The most one occurrence of `match` in the query can add to an article's score."""
        n, rows = self.df(match), self.rows()
        idf = max(math.log((rows - n + 0.5) / (n + 0.5)), 1e-6)
        return idf * (_K1 + 1) * _SLACK

    # -- queries --------------------------------------------------------------------------
    def items(self, words: Sequence[str]) -> list[str]:
        """Each word as often as it weighs, then the pairs of these words."""
        kept = set(words)
        out = [w for w in words for _ in range(self.weight[w])]
        return out + [p for p, (a, b) in self.pairs.items() if a in kept and b in kept]

    def _run(self, expr: str | None, limit: int) -> list[tuple[int, float]]:
        """The top rows for `expr` (None: the required part alone) with the required part
        and the exclusions, the filters applied."""
        if self.must:
            expr = f"({self.must}) AND {expr}" if expr else self.must
        assert expr is not None
        if self.exclude:
            expr = f"({expr}) NOT ({self.exclude})"
        if self.where == "1":
            sql = (f"SELECT rowid, bm25(fts, {self.weights}) AS score FROM fts "
                   "WHERE fts MATCH ? ORDER BY score LIMIT ?")
        else:
            sql = (f"SELECT fts.rowid, bm25(fts, {self.weights}) AS score FROM fts "
                   f"JOIN articles a ON a.rowid = fts.rowid WHERE fts MATCH ? AND ({self.where}) "
                   "ORDER BY score LIMIT ?")
        return self.sql(sql, (expr, *self.params, limit))

    def every_word(self, limit: int) -> list[tuple[int, float]]:
        """Tier 1: rows with all the words, each word and pair counted once in the score."""
        if any(self.df(w) == 0 for w in self.words):
            return []
        groups = {w: [w] * self.weight[w] for w in self.words}
        for pair, (first, _) in self.pairs.items():
            groups[first].append(pair)  # a pair always holds its first word
        return self._run(" AND ".join(_any(items) for items in groups.values()), limit)

    def some_words(self, limit: int) -> list[tuple[int, float]]:
        """Tier 2 candidates: rows with any of the words, the top `limit` by score."""
        live = [w for w in self.words if self.df(w) > 0]
        if not live:
            return []
        everything = _any(self.items(live))
        if self.must:  # the required part narrows the rows already
            return self._run(everything, limit)
        simple = [w for w in live if self.clause[w].tokens]  # one phrase: its bound is known
        rarest = min(self.df(w) for w in live)
        tried: list[list[str]] = []
        for most in (_NEAR_RAREST * rarest, _COMMON * self.rows()):
            common = [w for w in simple if self.df(w) > most]
            rare = [w for w in live if w not in common]
            if not common or not rare or common in tried:
                continue
            tried.append(common)
            found = self._split(live, rare, common, limit)
            if found is not None:
                return found
        return self._run(everything, limit)

    def _split(self, live: list[str], rare: list[str], common: list[str],
               limit: int) -> list[tuple[int, float]] | None:
        """The top rows among those with a rare word, if provably the top of all rows."""
        # each word and pair exactly once per query: rows with rare words (scored on those),
        # then rows with both (scored on all); a pair of rare words sits with them
        rare_items = self.items(rare)
        # a word in half the articles or more scores next to nothing: left out here (it
        # still counts in the bound, and in the exhaustive query)
        scored = [w for w in live if w in rare or self.bound(w) > _NEGLIGIBLE]
        common_items = [i for i in self.items(scored) if i not in rare_items]
        best: dict[int, float] = {}
        both = self._run(f"({_any(common_items)} AND {_any(rare_items)})",
                         limit) if common_items else []
        for rowid, score in self._run(_any(rare_items), limit) + both:
            best[rowid] = min(score, best.get(rowid, 0.0))  # with common words: scored higher
        found = sorted(best.items(), key=lambda item: item[1])[:limit]
        if len(found) < limit:
            return None
        kept = set(common)
        ceiling = sum(self.bound(w) * self.weight[w] for w in common) + sum(
            self.bound(p) for p, (a, b) in self.pairs.items() if a in kept and b in kept)
        return found if -found[-1][1] >= ceiling else None

    def run(self, limit: int) -> list[Ranked]:
        first = [Ranked(r, s, 1) for r, s in self.every_word(limit)]
        if len(first) >= limit:
            return first
        seen = {r.rowid for r in first}
        rest = [Ranked(r, s, 2) for r, s in self.some_words(limit + len(seen)) if r not in seen]
        if not first and not rest and self.must:  # none has a plain word: the required alone
            return [Ranked(r, s, 3) for r, s in self._run(None, limit)]
        return first + rest[: limit - len(first)]

    # -- reporting ------------------------------------------------------------------------
    def highlight_match(self) -> str:
        """An expression every hit matches, to mark the words found in it."""
        parts = [self.text[c] for c in self.parts.content()]
        if self.must:
            parts.append(self.must)
        return _any(list(dict.fromkeys(parts)))

    def found_in(self, rowids: Sequence[int]) -> dict[int, set[str]]:
        """For each row, the should clauses (as typed) it contains."""
        out: dict[int, set[str]] = {r: set() for r in rowids}
        for clause in dict.fromkeys(self.parts.should):
            for (rowid,) in self.sql("SELECT rowid FROM fts WHERE fts MATCH ?",
                                     (self.text[clause],)):
                if rowid in out:
                    out[rowid].add(clause.shown)
        return out

class Catalog(NamedTuple):
    """What best-match needs of the SQLite catalog (passed in: it imports nothing of it)."""

    db: sqlite3.Connection
    run: Callable[[str, Sequence[object]], list[Any]]  # a statement's rows (errors: BadQuery)
    columns: str  # the articles' columns, as `a.…`
    row: Callable[[Sequence[Any]], Row]  # a Row from them
    weights: str  # bm25() weights of the fts columns
    has_state: bool  # reading state attached (is:unread …)


def search(catalog: Catalog, query: Query, strict: Callable[[int], list[Hit]], limit: int,
           sort: str, filters: Filters, explain: bool, distinct: bool) -> list[Hit]:
    """The catalog's search: `strict(n)` (the top n with every word) unless the query has
    words to relax; each text once if `distinct`; Chinese and Japanese words marked."""
    def ranked(n: int) -> list[Hit]:
        if query.best is None:
            return strict(n)
        return search_best(catalog, query, query.best, lambda: strict(n), limit=n,
                           sort=sort, filters=filters, explain=explain)

    return results.finish(catalog.db, query.match, limit, ranked, distinct)


def search_best(catalog: Catalog, query: Query, best: Parts, strict: Callable[[], list[Hit]],
                *, limit: int, sort: str, filters: Filters, explain: bool) -> list[Hit]:
    """Best-match hits with their titles and snippets marked. A query of one or two content
    words gives the `strict()` hits (every word) if there are any; so does `--sort date`,
    else it gives the best matches newest first. `--explain` adds the missing words."""
    content = best.content()
    if len(content) <= 2 or sort == "date":
        hits = strict()
        if hits or len(content) < 2:  # one word: nothing to relax
            return hits
    condition, params = where(query, filters, catalog.has_state)
    engine = BestMatch(catalog.run, best, weights=catalog.weights, where=condition,
                       params=params)
    ranked = engine.run(limit)
    if not ranked:
        return []
    rows = ", ".join("(?, ?, ?)" for _ in ranked)
    found = catalog.run(
        f"WITH top(hit, score, n) AS (VALUES {rows}) "
        f"SELECT {catalog.columns}, highlight(fts, 0, '{MARK_ON}', '{MARK_OFF}'), top.score, "
        f"snippet(fts, 4, '{MARK_ON}', '{MARK_OFF}', '…', 24) FROM top "
        "CROSS JOIN fts ON fts.rowid = top.hit JOIN articles a ON a.rowid = top.hit "
        "WHERE fts MATCH ? ORDER BY top.n",
        [v for n, r in enumerate(ranked) for v in (r.rowid, r.score, n)]
        + [engine.highlight_match()],
    )
    hits = [Hit(catalog.row(v[:-3]), 0.0 - v[-2], v[-1], v[-3]) for v in found]
    if explain:
        present = engine.found_in([h.row.rowid for h in hits])
        content = best.content()
        used = list(dict.fromkeys(c.shown for c in content))
        ignored = list(dict.fromkeys(c.shown for c in best.should if c not in content))
        for hit in hits:
            hit.matched = results.matched(catalog.db, engine.highlight_match(), hit.row.rowid)
            missing = [w for w in used if w not in present[hit.row.rowid]]
            if missing:
                hit.matched["missing"] = missing
            if ignored:
                hit.matched["ignored"] = ignored
    if sort == "date":  # the best matches, newest first, undated last
        hits.sort(key=lambda h: h.row.date, reverse=True)
        hits.sort(key=lambda h: h.row.date == "")
    return hits
