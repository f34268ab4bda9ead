"""Figures for search: index build, index size, query latency, whole-process search, edits.

    python bench/bench_search.py [--sizes 10000,100000] [--keep DIR] [--runs 7]
                                 [--queries 30]

For each size a synthetic store (bench/gen_store.py) is generated into a temporary folder
or reused from `--keep DIR/<size>`, then:

1. cold index build: `newscli --store S index --rebuild` on a store without `.newscli/`
   (falling back to a first `newscli search`): seconds, articles/s, peak RSS, size of
   `S/.newscli/` against the articles' bytes;
2. in-process query latency, p50/p95 per query kind (gen_store.QUERIES), through
   `inproc_search()` (newscli's own API) beside a bare SQLite FTS5 top-10 with snippet()
   on the same database file;
3. whole-process `newscli search WORD --limit 10` (piped) beside `rg -il WORD S`,
   `python -c "import click"` and `python -c "import click, rich.console, rich.table"`;
4. picking up one edited file: edit an article's body, then `newscli --store S index`
   (whole process, beside `index` with nothing changed), and in-process if possible.

Failures of newscli (missing command, wrong API) are printed as "n/a" with the reason.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _timing as t  # noqa: E402
import gen_store  # noqa: E402

PASS = "py -c pass"
IMP_CLICK = "py -c import-click"
IMP_UI = "py -c import-ui"
UI_IMPORTS = "import click, rich.console, rich.table"
FTS_SQL = ("SELECT rowid, snippet(fts, 4, '[', ']', '…', 12) FROM fts WHERE fts MATCH ? "
           "ORDER BY bm25(fts) LIMIT ?")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------
# In-process adapters, over newscli's library API:
#     newscli.service.Library(settings)       .refresh(full=True), .current(), .sync
#     Catalog.search(query: Query, *, limit: int) -> list[Hit]
#     newscli.query.parse_query(text: str) -> Query
# If the API moves, fix the three functions below (and only them); any exception they
# raise makes the in-process rows print "n/a" with the error.
# ----------------------------------------------------------------------------------------
_INDEXES: dict[str, object] = {}


def _open_index(store_path: str | Path) -> object:
    key = str(store_path)
    if key not in _INDEXES:
        from newscli.config import Settings
        from newscli.service import Library

        _INDEXES[key] = Library(Settings(str(store_path)))
    return _INDEXES[key]


def inproc_search(store_path: str | Path, query: str, limit: int = 10) -> list[object]:
    """Top `limit` hits for a query as a user types it, through newscli's library (parse
    the query, run the ranked FTS search with snippets)."""
    from newscli.query import parse_query

    library = _open_index(store_path)
    return list(library.current().search(parse_query(query), limit=limit))  # type: ignore[attr-defined]


def inproc_refresh(store_path: str | Path) -> object:
    """What `newscli index` does in-process: stat every file, re-read changed ones."""
    return _open_index(store_path).refresh(full=True)  # type: ignore[attr-defined]


def close_inproc() -> None:
    for index in _INDEXES.values():
        close = getattr(index, "close", None)
        if close:
            close()
    _INDEXES.clear()


# ----------------------------------------------------------------------------------------
def db_file(store: Path) -> Path | None:
    folder = store / ".newscli"
    if not folder.is_dir():
        return None
    for candidate in sorted(folder.glob("*.db")) + sorted(folder.glob("*.sqlite*")):
        return candidate
    return None


def latency(fn: Callable[[], object], runs: int) -> tuple[list[float], str | None]:
    try:
        return t.time_inprocess(fn, runs=runs, warmup=2), None
    except Exception as exc:  # noqa: BLE001 - any failure of newscli is reported as n/a
        return [], f"{type(exc).__name__}: {exc}"[:200]


def latency_table(rows: list[tuple[str, str, list[float], str | None, list[float], str | None,
                                   int]]) -> str:
    headers = ["query kind", "query", "newscli p50", "p95", "fts5 p50", "p95", "ratio p50",
               "hits(fts)"]
    out, notes = [], []

    def cell(samples: list[float], error: str | None, pct: float) -> str:
        if error:
            if pct == 50:
                notes.append(error)
                return f"n/a [{len(notes)}]"
            return "n/a"
        return t.fmt_ms(t.percentile(samples, pct))

    for kind, query, ns, nerr, fs, ferr, hits in rows:
        n50 = t.percentile(ns, 50) if ns else float("nan")
        f50 = t.percentile(fs, 50) if fs else float("nan")
        out.append([kind, query, cell(ns, nerr, 50), cell(ns, nerr, 95), cell(fs, ferr, 50),
                    cell(fs, ferr, 95), t.fmt_ratio(n50, f50), str(hits) if hits >= 0 else ""])
    uniq = list(dict.fromkeys(notes))
    text = t.table(headers, out)
    if uniq:
        text += "\n" + "\n".join(f"[{i}] {n}" for i, n in enumerate(uniq, 1))
    return text + "\n(times in ms; ratio = newscli / bare FTS5 on the same file)"


def bench_size(size: int, base: Path, env: dict[str, str], runs: int, qruns: int,
               mix: str = gen_store.DEFAULT_MIX) -> dict:
    store, summary, reused = gen_store.prepare(size, base, big=1, mix=mix, log=log)
    exe, py, s = t.newscli_exe(), sys.executable, str(store)
    data_dir = store / ".newscli"
    articles = summary.count + summary.big_count
    print(f"\n== store of {articles:,} articles, {t.fmt_bytes(summary.bytes)}"
          f"{', reused' if reused else ''}: {store}")
    out: dict = {"size": size}

    # 1. cold build ------------------------------------------------------------------------
    shutil.rmtree(data_dir, ignore_errors=True)
    log(f"[{size}] cold index build …")
    build = t.measure_one(t.Cmd("index --rebuild (cold)", [exe, "--store", s, "index",
                                                           "--rebuild"], env))
    if not build.ok:
        shutil.rmtree(data_dir, ignore_errors=True)
        build = t.measure_one(t.Cmd("first search (cold)", [exe, "--store", s, "search",
                                                            gen_store.RARE_WORD], env))
        if not build.ok:
            build.error = f"index --rebuild and first search failed: {build.error}"
    db_bytes = t.dir_bytes(str(data_dir)) if data_dir.exists() else 0
    print(t.timing_table([build], rss=True))
    if build.ok:
        secs = build.median / 1000
        print(f"   {articles / secs:,.0f} articles/s; {summary.bytes / secs / 2**20:.1f} "
              f"MiB/s of article text; peak RSS {build.peak_rss_mib:.0f} MiB")
    ratio = f"{db_bytes / summary.bytes:.2f}x the articles" if db_bytes else "n/a"
    print(f"   .newscli/: {t.fmt_bytes(db_bytes) if db_bytes else 'n/a'} ({ratio}, "
          f"articles {t.fmt_bytes(summary.bytes)})")
    out["build"], out["db_bytes"] = build, db_bytes

    # 2. in-process latency ---------------------------------------------------------------
    path = db_file(store)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True) if path else None
    rows = []
    all_n: list[float] = []
    all_f: list[float] = []
    log(f"[{size}] in-process queries x{qruns} …")
    for kind, query in gen_store.QUERIES.items():
        ns, nerr = latency(lambda q=query: inproc_search(s, q, 10), qruns)  # type: ignore[misc]
        fts_q = gen_store.FTS_QUERIES[kind]
        if conn is not None:
            fs, ferr = latency(lambda q=fts_q: conn.execute(FTS_SQL, (q, 10)).fetchall(),  # type: ignore[misc]
                               qruns)
            try:
                hits = conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?",
                                    (fts_q,)).fetchone()[0]
            except sqlite3.Error:
                hits = -1
        else:
            fs, ferr, hits = [], "no .newscli/*.db", -1
        all_n += ns
        all_f += fs
        rows.append((kind, query, ns, nerr, fs, ferr, hits))
    mixed_err = next((r[3] for r in rows if r[3]), None)
    rows.append(("mixed", "(all above)", all_n if not mixed_err else [], mixed_err, all_f,
                 None if all_f else "n/a", -1))
    print(f"\nin-process query latency, top 10 ({qruns} runs per query after 2 warm-up):")
    print(latency_table(rows))
    expected = {k: summary.markers.get(k) for k in gen_store.QUERIES}
    print(f"   planted (expected hits): {expected}")
    out["latency"] = rows
    if conn is not None:
        conn.close()
    close_inproc()

    # 3. whole-process search --------------------------------------------------------------
    rg = t.which("rg")
    cmds = [
        t.Cmd(PASS, [py, "-c", "pass"], env),
        t.Cmd(IMP_CLICK, [py, "-c", "import click"], env),
        t.Cmd(IMP_UI, [py, "-c", UI_IMPORTS], env),
    ]
    for kind in ("common", "rare"):
        word = gen_store.QUERIES[kind]
        cmds.append(t.Cmd(f"search {kind} --limit 10 |",
                          [exe, "--store", s, "search", word, "--limit", "10"], env,
                          stdout="pipe"))
        if rg:
            cmds.append(t.Cmd(f"rg -il {kind}", [rg, "-il", word, s], env, stdout="pipe"))
    log(f"[{size}] whole-process search, {runs} interleaved runs …")
    timings = t.measure(cmds, runs=runs)
    if not rg:
        for kind in ("common", "rare"):
            timings[f"rg -il {kind}"] = t.Timing(f"rg -il {kind}", error="rg not installed")
    print("\nwhole-process search (stdout piped):")
    print(t.timing_table(list(timings.values()),
                         {IMP_CLICK: PASS, IMP_UI: PASS,
                          "search common --limit 10 |": IMP_UI,
                          "search rare --limit 10 |": IMP_UI,
                          "rg -il common": PASS, "rg -il rare": PASS}, rss=True))
    for kind in ("common", "rare"):
        sr = timings[f"search {kind} --limit 10 |"]
        print(f"   search {kind}: " + ", ".join(
            f"{t.fmt_ratio(sr.median, timings[b].median)} {b}"
            for b in (f"rg -il {kind}", IMP_CLICK, IMP_UI, PASS)))
    out["search"] = timings

    # 4. picking up an edit -----------------------------------------------------------------
    out["edit"] = bench_edit(store, summary, env, runs)
    return out


def bench_edit(store: Path, summary: gen_store.Summary, env: dict[str, str],
               runs: int) -> dict:
    exe, s = t.newscli_exe(), str(store)
    target = store / summary.typical
    original = target.read_bytes()
    counter = [0]
    token = "editmarkerqz"

    def edit() -> None:
        counter[0] += 1
        # Same length each time would keep the size; the mtime changes regardless.
        body = original.decode().rstrip("\n") + f" The {token}{counter[0]:04d} was added.\n"
        target.write_bytes(body.encode())

    cmds = [
        t.Cmd("index (nothing changed)", [exe, "--store", s, "index"], env),
        t.Cmd("index after editing 1 file", [exe, "--store", s, "index"], env, before=edit),
    ]
    log(f"[{store.name}] edit pickup, {runs} runs …")
    timings = t.measure(cmds, runs=runs)
    picked = "n/a"
    path = db_file(store)
    if path and timings["index after editing 1 file"].ok:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            try:
                found = conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?",
                                     (f"{token}{counter[0]:04d}",)).fetchone()[0]
                picked = "yes" if found else "NO (the edit is not in the index)"
            except sqlite3.Error as exc:
                picked = f"n/a ({exc})"
    print("\npicking up one edited file (whole process):")
    print(t.timing_table(list(timings.values()),
                         {"index after editing 1 file": "index (nothing changed)"}, rss=True))
    print(f"   edited word searchable after `index`: {picked}")

    inproc: list[float] = []
    single: list[float] = []
    err = None
    try:
        inproc_refresh(s)  # catch up
        for _ in range(runs):
            edit()
            start = time.perf_counter()
            inproc_refresh(s)
            inproc.append((time.perf_counter() - start) * 1000)
        noop = t.time_inprocess(lambda: inproc_refresh(s), runs=runs, warmup=0)
        # Re-indexing the one edited article alone (what `read` does for the file it shows).
        index = _open_index(s)
        row = index.catalog.by_path(target.relative_to(s).as_posix())  # type: ignore[attr-defined]
        for _ in range(runs * 3):
            edit()
            start = time.perf_counter()
            row = index.sync.check_file(row)  # type: ignore[attr-defined]
            single.append((time.perf_counter() - start) * 1000)
    except Exception as exc:  # noqa: BLE001
        err, noop = f"{type(exc).__name__}: {exc}"[:200], []
    finally:
        close_inproc()
        target.write_bytes(original)
    if err:
        print(f"   in-process refresh: n/a ({err})")
    else:
        print(f"   in-process refresh after 1 edit: median {t.fmt_ms(statistics.median(inproc))}"
              f" ms (p95 {t.fmt_ms(t.percentile(inproc, 95))}); nothing changed: "
              f"{t.fmt_ms(statistics.median(noop))} ms")
        print(f"   in-process re-index of the one edited article: median "
              f"{t.fmt_ms(statistics.median(single))} ms "
              f"(p95 {t.fmt_ms(t.percentile(single, 95))})")
    return {"timings": timings, "picked": picked, "inproc": inproc, "inproc_error": err}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep/reuse stores in DIR/<size> (default: a temporary folder)")
    parser.add_argument("--runs", type=int, default=t.DEFAULT_RUNS,
                        help="whole-process runs per command")
    parser.add_argument("--mix", default=gen_store.DEFAULT_MIX,
                        help="formats of the generated stores, e.g. txt=100 for plain text only")
    parser.add_argument("--queries", type=int, default=30,
                        help="in-process runs per query (p50/p95 over these)")
    args = parser.parse_args(argv)
    sizes, tmp, base, env = t.setup(args.sizes, args.keep)
    load = os.getloadavg()
    print(f"python {platform.python_version()}; sqlite {sqlite3.sqlite_version}; "
          f"{os.cpu_count()} cpus; load {load[0]:.2f}; RSS via {t.launcher()}; "
          f"rg: {t.which('rg') or 'missing'}\n"
          f"baselines: '{PASS}' = python -c pass; '{IMP_CLICK}' = python -c \"import click\"; "
          f"'{IMP_UI}' = python -c \"{UI_IMPORTS}\"")
    results = []
    try:
        for size in sizes:
            results.append(bench_size(size, base, env, args.runs, args.queries, args.mix))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if len(results) > 1:
        small, big = results[0], results[-1]
        print(f"\n== scaling {small['size']:,} -> {big['size']:,} articles")
        b0, b1 = small["build"], big["build"]
        print(f"  cold build:            {t.fmt_ratio(b1.median, b0.median)}")
        for kind in ("common", "rare"):
            label = f"search {kind} --limit 10 |"
            print(f"  search {kind:<6} (whole): "
                  f"{t.fmt_ratio(big['search'][label].median, small['search'][label].median)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
