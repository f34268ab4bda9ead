"""Reading state at scale: the cost of `is:unread`, of `mark`, of marking a big listing.

    python bench/bench_state.py [--size 100000] [--keep DIR] [--runs 15] [--mix txt=100]

On the synthetic store `DIR/<size>` (bench/gen_store.py), every other article is marked
read, then:
1. in-process, interleaved: the same searches and listings with and without `is:unread`
   (`--unread` for list), medians and p95 in ms and the ratio of the two;
2. whole-process `newscli mark read ID` beside `python -c "import click"`;
3. `newscli list --limit 10000`, then `newscli mark read --all-listed`, timed whole.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _timing as t  # noqa: E402
import gen_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--keep", help="folder for the store (kept between runs)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--mix", default="txt=100", help="formats of the store (gen_store)")
    args = parser.parse_args()
    sizes, tmp, base, env = t.setup(str(args.size), args.keep)
    store, summary, _ = gen_store.prepare(sizes[0], base, mix=args.mix, log=print)
    exe, s = t.newscli_exe(), str(store)
    t.run_once([exe, "--store", s, "index"], env)

    from newscli.config import Settings
    from newscli.records import Filters
    from newscli.service import Library

    library = Library(Settings(s))
    rows = list(library.catalog.rows())
    start = time.perf_counter()
    library.mark(rows, read=False)
    library.mark(rows[::2], read=True)
    print(f"store: {len(rows):,} articles, {len(rows[::2]):,} marked read "
          f"(in-process, {time.perf_counter() - start:.1f} s for all of them)")

    def search(text: str) -> object:
        return library.current().search(library.query(text), limit=10)

    def listing(unread: bool) -> object:
        return list(library.rows(limit=20, filters=Filters(read=False if unread else None)))

    cases = [(f"search {kind}", gen_store.QUERIES[kind]) for kind in ("common", "rare",
                                                                     "two_words", "phrase")]
    print("\n1. in-process, ms (median / p95), interleaved:")
    print(f"   {'what':<22} {'plain':>16} {'with is:unread':>16}  ratio")
    for label, fn_plain, fn_unread in [
        *((name, lambda q=q: search(q), lambda q=q: search(f"{q} is:unread")) for name, q in cases),
        ("list --limit 20", lambda: listing(False), lambda: listing(True)),
    ]:
        plain: list[float] = []
        unread: list[float] = []
        fn_plain(), fn_unread()
        for _ in range(args.runs):
            plain += t.time_inprocess(fn_plain, 1, warmup=0)
            unread += t.time_inprocess(fn_unread, 1, warmup=0)
        mp, mu = statistics.median(plain), statistics.median(unread)
        print(f"   {label:<22} {mp:7.1f} / {t.percentile(plain, 95):6.1f} "
              f"{mu:7.1f} / {t.percentile(unread, 95):6.1f}  {mu / mp:5.2f}×")
    library.close()

    typical = summary.typical_id
    cmds = [t.Cmd("py -c import-click", [sys.executable, "-c", "import click"], env),
            t.Cmd("mark read ID", [exe, "--store", s, "mark", "read", typical], env)]
    timings = t.measure(cmds, runs=args.runs)
    print("\n2. whole process:")
    print(t.timing_table(list(timings.values()), {"mark read ID": "py -c import-click"}))
    mark, click_ = timings["mark read ID"], timings["py -c import-click"]
    if mark.ok and click_.ok:
        print(f"   CPU time (user + system): {mark.cpu_median:.1f} ms vs "
              f"{click_.cpu_median:.1f} ms, {mark.cpu_median / click_.cpu_median:.2f}×")

    t.run_once([exe, "--store", s, "list", "--limit", "10000"], env)
    start = time.perf_counter()
    once = t.run_once([exe, "--store", s, "mark", "read", "--all-listed"], env)
    took = time.perf_counter() - start
    print(f"\n3. mark read --all-listed after list --limit 10000: {took:.2f} s "
          f"(exit {once.returncode})")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
