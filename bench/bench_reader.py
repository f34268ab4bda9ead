"""Whole-process figures for the reader: start-up, list, read, cold catalog build.

    python bench/bench_reader.py [--sizes 1000,100000] [--keep DIR] [--runs 7]
                                 [--cold-runs N]

For each size a synthetic store is generated (bench/gen_store.py, plus one ~5,000-word long
read) into a temporary folder, or reused from `--keep DIR/<size>`. Every figure is the
median of `--runs` whole-process runs (after one warm-up), interleaved with its baseline in
the same run; see bench/README.md for what each row means. newscli commands that fail are
reported as "n/a" with the reason, so the baselines still run before the CLI is finished.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _timing as t  # noqa: E402
import gen_store  # noqa: E402

IMPORT_BASELINE = "import click, rich.console, rich.table"
PASS = "py -c pass"
IMP = "py -c import-ui"  # python -c "import click, rich.console, rich.table"


@dataclass
class SizeResult:
    size: int
    timings: dict[str, t.Timing]
    cold: dict[str, t.Timing]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def header() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    exe = t.newscli_exe()
    return (f"python {platform.python_version()} ({sys.executable}); "
            f"newscli: {exe if os.path.exists(exe) else 'missing'}; "
            f"{os.cpu_count()} cpus; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
            f"RSS via {t.launcher()}\n"
            f"baselines: '{PASS}' = python -c pass; "
            f"'{IMP}' = python -c \"{IMPORT_BASELINE}\"")


def bench_size(size: int, base: Path, env: dict[str, str], runs: int,
               cold_runs: int, mix: str = gen_store.DEFAULT_MIX) -> SizeResult:
    store, summary, reused = gen_store.prepare(size, base, big=1, mix=mix, log=log)
    print(f"\n== store of {summary.count:,} articles (+{summary.big_count} big), "
          f"{t.fmt_bytes(summary.bytes)}{', reused' if reused else ''}: {store}")
    print(f"   typical: {summary.typical_id}   big: {', '.join(summary.big_ids)}")
    exe, py, s = t.newscli_exe(), sys.executable, str(store)
    data_dir = store / ".newscli"

    def reset() -> None:
        shutil.rmtree(data_dir, ignore_errors=True)

    # Cold catalog builds (.newscli/ absent; the files are in the page cache).
    cold_cmds = [
        t.Cmd("cold: index", [exe, "--store", s, "index"], env, before=reset),
        t.Cmd("cold: list --limit 1", [exe, "--store", s, "list", "--limit", "1"], env,
              before=reset),
    ]
    cold = {}
    for cmd in cold_cmds:
        log(f"[{size}] {cmd.label} x{cold_runs} …")
        cold[cmd.label] = t.measure_one(cmd, runs=cold_runs)
    if not cold["cold: list --limit 1"].ok:
        # Leave a built catalog for the warm runs if `list` could not make one.
        t.run_once([exe, "--store", s, "index"], env)

    read = [exe, "--store", s, "read"]
    cmds = [
        t.Cmd(PASS, [py, "-c", "pass"], env),
        t.Cmd("newscli --help", [exe, "--help"], env),
        t.Cmd(IMP, [py, "-c", IMPORT_BASELINE], env),
        t.Cmd("list --limit 20 (tty)", [exe, "--store", s, "list", "--limit", "20"], env,
              stdout="tty"),
        t.Cmd("list --limit 20 | (piped)", [exe, "--store", s, "list", "--limit", "20"],
              env, stdout="pipe"),
        t.Cmd("read typical", [*read, summary.typical_id, "--no-pager", "--color", "never"],
              env, stdout="pipe"),
        t.Cmd("read typical --format text",
              [*read, summary.typical_id, "--no-pager", "--color", "never", "--format", "text"],
              env, stdout="pipe"),
        t.Cmd("read big (5,000 words)",
              [*read, summary.big_ids[0], "--no-pager", "--color", "never"], env,
              stdout="pipe"),
        t.Cmd("index (nothing changed)", [exe, "--store", s, "index"], env),
    ]
    log(f"[{size}] warm commands, {runs} interleaved runs …")
    timings = t.measure(cmds, runs=runs)
    imp = IMP
    baselines = {"newscli --help": PASS, imp: PASS}
    baselines.update({c.label: imp for c in cmds[3:]})
    print(t.timing_table(list(timings.values()), baselines, rss=True))
    print("\ncold catalog build (.newscli/ removed before each run; files in page cache):")
    cold_rows = list(cold.values()) + [timings[imp]]
    print(t.timing_table(cold_rows, {c: imp for c in cold}, rss=True))
    for label, timing in cold.items():
        if timing.ok:
            rate = (summary.count + summary.big_count) / (timing.median / 1000)
            print(f"   {label}: {rate:,.0f} articles/s")
    size_db = t.dir_bytes(str(data_dir)) if data_dir.exists() else 0
    print(f"   .newscli/ after build: {t.fmt_bytes(size_db) if size_db else 'n/a'}")
    return SizeResult(size, timings, cold)


def ratio_lines(results: list[SizeResult]) -> list[str]:
    imp = IMP
    big, small = results[-1], results[0]
    lines = []

    def add(name: str, num: t.Timing | None, den: t.Timing | None) -> None:
        value = t.fmt_ratio(num.median, den.median) if num and den else "n/a"
        detail = (f"({t.fmt_ms(num.median)} / {t.fmt_ms(den.median)} ms)" if num and den
                  else "")
        lines.append(f"  {name:<48} {value:>8}  {detail}")

    g, gs = big.timings.get, small.timings.get
    add(f"list@{big.size} / import baseline", g("list --limit 20 (tty)"), g(imp))
    add(f"list@{big.size} piped / import baseline", g("list --limit 20 | (piped)"), g(imp))
    if big is not small:
        add(f"list@{big.size} / list@{small.size}", g("list --limit 20 (tty)"),
            gs("list --limit 20 (tty)"))
        add(f"read@{big.size} / read@{small.size}", g("read typical"), gs("read typical"))
    add("help / python -c pass", g("newscli --help"), g(PASS))
    add(f"read typical@{big.size} / import baseline", g("read typical"), g(imp))
    add(f"read big@{big.size} / import baseline", g("read big (5,000 words)"), g(imp))
    add(f"index no-op@{big.size} / import baseline", g("index (nothing changed)"), g(imp))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000",
                        help="comma-separated store sizes (default 1000,100000)")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep/reuse stores in DIR/<size> (default: a temporary folder)")
    parser.add_argument("--runs", type=int, default=t.DEFAULT_RUNS)
    parser.add_argument("--mix", default=gen_store.DEFAULT_MIX,
                        help="formats of the generated stores, e.g. txt=100 for plain text only")
    parser.add_argument("--cold-runs", type=int, default=None,
                        help="cold builds per size (default 3 up to 10,000 articles, else 1)")
    args = parser.parse_args(argv)
    sizes, tmp, base, env = t.setup(args.sizes, args.keep)
    print(header())
    results = []
    try:
        for size in sizes:
            cold_runs = args.cold_runs or (3 if size <= 10_000 else 1)
            results.append(bench_size(size, base, env, args.runs, cold_runs, args.mix))
        print("\n== ratios (medians from the same run)")
        print("\n".join(ratio_lines(results)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
