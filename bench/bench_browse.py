"""The browser's start-up and search-as-you-type latency, measured with Textual's pilot.

    python bench/bench_browse.py [--sizes 100000] [--keep DIR] [--runs 7]

For each size a synthetic store (bench/gen_store.py) is generated or reused from
`--keep DIR/<size>`, and its catalog built once. Then, in one interleaved run:

- `first paint`: a whole process (bench/_browse_probe.py) that imports the browser, opens
  the store, runs the app headless at 120x40 (`App.run_test`) and exits the moment the
  first frame showing the list has been rendered; wall time from spawn to exit. Baselines
  in the same run: `python -c pass` and `python -c "import textual.app"` (the floor for
  any Textual app).
- `typing`: in one process, each query of gen_store.QUERIES is typed into the query box a
  key at a time with the pilot; the figure is the time from the last key press to the list
  showing the new results, rendered (the debounce of newscli.tui.app.DEBOUNCE included).
  Beside it, the time of the search alone (`Library.search`, the same call and limit).

The probes do not open articles, so a reused store's reading state is left as it was.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _timing as t  # noqa: E402
import gen_store  # noqa: E402

SIZE = (120, 40)

PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_browse_probe.py")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_size(size: int, base: Path, env: dict[str, str], runs: int) -> None:
    store, summary, reused = gen_store.prepare(size, base, big=1, log=log)
    print(f"\n== store of {summary.count:,} articles{', reused' if reused else ''}: {store}")
    exe, py, s = t.newscli_exe(), sys.executable, str(store)
    t.run_once([exe, "--store", s, "index"], env)  # the catalog, built once
    cmds = [
        t.Cmd("py -c pass", [py, "-c", "pass"], env),
        t.Cmd("py -c 'import textual.app'", [py, "-c", "import textual.app"], env),
        t.Cmd("browse: first paint", [py, PROBE, "paint", s, *map(str, SIZE)], env),
    ]
    log(f"[{size}] first paint, {runs} interleaved runs …")
    timings = t.measure(cmds, runs=runs)
    print(t.timing_table(list(timings.values()),
                         {"browse: first paint": "py -c 'import textual.app'",
                          "py -c 'import textual.app'": "py -c pass"}, rss=True))
    log(f"[{size}] typing latency …")
    once = _typing(py, s, env, runs)
    rows = []
    for label, figures in once.items():
        typing, search = figures["typing_ms"], figures["search_ms"]
        rows.append([label, gen_store.QUERIES[label], f"{figures['hits']:,}",
                     t.fmt_ms(statistics.median(typing)), t.fmt_ms(max(typing)),
                     t.fmt_ms(statistics.median(search))])
    print(f"\ntyping: last key to new results rendered ({runs} runs each; median, max)")
    print(t.table(["query", "typed", "hits shown", "median ms", "max ms", "search alone ms"],
                  rows))


def _typing(py: str, store: str, env: dict[str, str], runs: int) -> dict[str, dict]:
    import subprocess

    done = subprocess.run([py, PROBE, "typing", store, *map(str, SIZE),
                           json.dumps(gen_store.QUERIES), str(runs)],
                          env=env, capture_output=True, text=True, timeout=900)
    if done.returncode:
        raise SystemExit(f"typing probe failed: {done.stderr.strip()[-500:]}")
    result: dict[str, dict] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000", help="store sizes (default 100000)")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep/reuse stores in DIR/<size> (default: a temporary folder)")
    parser.add_argument("--runs", type=int, default=t.DEFAULT_RUNS)
    args = parser.parse_args(argv)
    sizes, tmp, base, env = t.setup(args.sizes, args.keep)
    try:
        for size in sizes:
            bench_size(size, base, env, args.runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
