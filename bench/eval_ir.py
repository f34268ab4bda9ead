"""Search ranking measured against human relevance judgements (the Cranfield collection).

Run from the repository:

    python bench/eval_ir.py [--collection ../shared/ir/cranfield] [--keep DIR] [--depth 100]

It builds a store of plain-text articles from the collection's documents (title on line 1,
a blank line, the abstract), runs every query as typed through the real search path
(`newscli --store S search --json --limit 100 -- QUERY`, the CLI in-process) and prints,
beside a bare SQLite FTS5 BM25 baseline over the same documents in the same run (one
column, porter unicode61, the query's words joined by OR):

* nDCG@10 with graded gain (5 - Cleverdon's code for codes 1..4, 0 for not relevant) and
  a log2 discount, the ideal ranking made of every judged document;
* MRR@10: 1 / the rank of the first relevant document in the top 10 (0 if none);
* Recall@100: the share of relevant documents in the top 100;
* the number of queries with no hit at all.

Means are over the queries with at least one relevant document (trec_eval's convention).
The collection is read in place and never copied into the project.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_COLLECTION = REPO.parent / "shared" / "ir" / "cranfield"
DEPTH = 100
_FIELD = re.compile(r"^\.([ITABW])(?: (.*))?$")
_WORD = re.compile(r"\w+")


@dataclass
class Collection:
    docs: dict[int, tuple[str, str]]  # doc id -> (title, abstract); empty documents left out
    queries: list[str]  # query i + 1 as cranqrel numbers them (file order)
    qrels: dict[int, dict[int, int]] = field(default_factory=dict)  # query -> doc -> gain


def _records(path: Path) -> Iterable[tuple[str, dict[str, str]]]:
    """SMART records: (the .I value, {field letter: text with lines joined})."""
    ident, fields, current = None, {}, None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = _FIELD.match(line)
        if m and m.group(1) == "I":
            if ident is not None:
                yield ident, fields
            ident, fields, current = (m.group(2) or "").strip(), {}, None
        elif m:
            current = m.group(1)
            fields[current] = ""
        elif current is not None:
            fields[current] = (fields[current] + " " + line.strip()).strip()
    if ident is not None:
        yield ident, fields


def load(folder: Path) -> Collection:
    docs: dict[int, tuple[str, str]] = {}
    for ident, fields in _records(folder / "cran.all.1400"):
        title = fields.get("T", "").strip()
        if title.endswith(" ."):  # a tokenised full stop, not part of the title
            title = title[:-2].rstrip()
        abstract = fields.get("W", "").strip()
        if title or abstract:
            docs[int(ident)] = (title, abstract)
    # Trap: the .I numbers of cran.qry skip values; cranqrel numbers queries in file order.
    queries = [fields.get("W", "").strip() for _, fields in _records(folder / "cran.qry")]
    qrels: dict[int, dict[int, int]] = {}
    for line in (folder / "cranqrel").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3:
            query, doc, code = int(parts[0]), int(parts[1]), int(parts[2])
            gain = 5 - code if 1 <= code <= 4 else 0
            qrels.setdefault(query, {})[doc] = gain
    return Collection(docs, queries, qrels)


def doc_name(doc: int) -> str:
    return f"cran-{doc:04d}"


def article_text(title: str, abstract: str) -> str:
    return f"{title}\n\n{abstract}\n" if title else f"{abstract}\n"


def write_store(coll: Collection, store: Path) -> None:
    store.mkdir(parents=True, exist_ok=True)
    for doc, (title, abstract) in coll.docs.items():
        path = store / f"{doc_name(doc)}.txt"
        text = article_text(title, abstract)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


# -- metrics ------------------------------------------------------------------------------


def ndcg(ranked: list[int], gains: dict[int, int], k: int = 10) -> float:
    dcg = sum(gains.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def rr(ranked: list[int], gains: dict[int, int], k: int = 10) -> float:
    for i, d in enumerate(ranked[:k]):
        if gains.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def recall(ranked: list[int], gains: dict[int, int], k: int = DEPTH) -> float:
    relevant = {d for d, g in gains.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


@dataclass
class Result:
    name: str
    ndcg: float
    mrr: float
    recall: float
    no_hit: int
    judged: int
    seconds: float

    def row(self) -> str:
        return (f"| {self.name} | {self.ndcg:.3f} | {self.mrr:.3f} | {self.recall:.3f} | "
                f"{self.no_hit} | {self.seconds * 1000 / max(self.judged, 1):.1f} |")


def evaluate(name: str, coll: Collection, run: Callable[[str], list[int]]) -> Result:
    """Run every query through `run` (query text -> ranked doc ids) and score it."""
    scores: list[tuple[float, float, float]] = []
    no_hit = 0
    start = time.perf_counter()
    for number, text in enumerate(coll.queries, start=1):
        ranked = run(text)
        if not ranked:
            no_hit += 1
        gains = coll.qrels.get(number, {})
        if any(g > 0 for g in gains.values()):
            scores.append((ndcg(ranked, gains), rr(ranked, gains), recall(ranked, gains)))
    seconds = time.perf_counter() - start
    n = len(scores) or 1
    return Result(name, sum(s[0] for s in scores) / n, sum(s[1] for s in scores) / n,
                  sum(s[2] for s in scores) / n, no_hit, len(coll.queries), seconds)


# -- the systems --------------------------------------------------------------------------


def newscli_runner(store: Path, depth: int = DEPTH,
                   options: tuple[str, ...] = ()) -> Callable[[str], list[int]]:
    """The real search path: the CLI in-process, as `newscli --store S search --json`."""
    from click.testing import CliRunner

    from newscli.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(store), "index"], catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"newscli index failed: {result.stderr.strip()}")

    def run(text: str) -> list[int]:
        result = runner.invoke(
            cli,
            ["--store", str(store), "search", "--json", "--limit", str(depth), *options,
             "--", text],
            catch_exceptions=False,
        )
        if result.exit_code != 0:
            return []
        return [int(hit["id"].rpartition("-")[2]) for hit in json.loads(result.stdout)]

    return run


def fts5_runner(coll: Collection, depth: int = DEPTH) -> Callable[[str], list[int]]:
    """Bare SQLite FTS5: one column holding the article text, bm25(), words joined by OR."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'porter unicode61')")
    db.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)",
                   [(doc, article_text(*text)) for doc, text in coll.docs.items()])

    def run(text: str) -> list[int]:
        words = _WORD.findall(text)
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        found = db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?",
                           (match, depth))
        return [rowid for (rowid,) in found]

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collection", type=Path, default=DEFAULT_COLLECTION)
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build (or reuse) the store in DIR instead of a temporary folder")
    parser.add_argument("--depth", type=int, default=DEPTH, help="hits asked for per query")
    parser.add_argument("--option", action="append", default=[], metavar="OPT",
                        help="an extra `search` option for newscli, e.g. --option=--all")
    args = parser.parse_args(argv)
    if not (args.collection / "cran.all.1400").exists():
        print(f"no Cranfield collection at {args.collection}", file=sys.stderr)
        return 2
    coll = load(args.collection)
    tmp = None
    if args.keep:
        store = args.keep
    else:
        tmp = Path(tempfile.mkdtemp(prefix="newscli-ir-"))
        store = tmp / "store"
    try:
        write_store(coll, store)
        judged = sum(1 for q in range(1, len(coll.queries) + 1)
                     if any(g > 0 for g in coll.qrels.get(q, {}).values()))
        print(f"Cranfield: {len(coll.docs)} documents, {len(coll.queries)} queries "
              f"({judged} with relevant documents); store {store}")
        label = "newscli search" + ("".join(" " + o for o in args.option))
        results = [
            evaluate("bare SQLite FTS5 bm25(), words OR", coll, fts5_runner(coll, args.depth)),
            evaluate(label, coll, newscli_runner(store, args.depth, tuple(args.option))),
        ]
        print("\n| system | nDCG@10 | MRR@10 | Recall@100 | queries with no hit | ms/query |")
        print("|---|---|---|---|---|---|")
        for result in results:
            print(result.row())
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
