"""Two builds of newscli side by side, in one interleaved run: did a change cost speed?

    python bench/compare_versions.py --before /path/to/other/venv/bin/newscli \
        [--size 100000] [--keep DIR] [--runs 9]

The store `DIR/<size>` (bench/gen_store.py) is used by this checkout's newscli; a copy
made of hard links (`DIR/<size>-before`, its own `.newscli/`) by the other one, so each
keeps its own index and neither re-reads the store for the other. Each command's median is
printed with its ratio to the same baselines as bench_reader and bench_search
(`python -c pass`, `python -c "import click"`, `python -c "import click, rich.console,
rich.table"`), and the after/before ratio of those ratios, for wall time and for CPU time
(user + system, far steadier than wall time when the machine is busy).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _timing as t  # noqa: E402
import gen_store  # noqa: E402

PASS, CLICK, UI = "py -c pass", "py -c import-click", "py -c import-ui"
UI_IMPORTS = "import click, rich.console, rich.table"


def linked_copy(store: Path, target: Path) -> None:
    if target.is_dir():
        return
    shutil.copytree(store, target, copy_function=os.link,
                    ignore=shutil.ignore_patterns(".newscli"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", required=True, help="the other build's newscli executable")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--keep", help="folder for the stores (kept between runs)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    sizes, tmp, base, env = t.setup(str(args.size), args.keep)
    store, _summary, _ = gen_store.prepare(sizes[0], base, log=print)
    before_store = base / f"{store.name}-before"
    linked_copy(store, before_store)
    py, after = sys.executable, t.newscli_exe()
    builds = {"after": (after, store), "before": (args.before, before_store)}
    for name, (exe, root) in builds.items():
        print(f"[{name}] building the index of {root} …", file=sys.stderr, flush=True)
        t.run_once([exe, "--store", str(root), "index"], env)
    cmds = [t.Cmd(PASS, [py, "-c", "pass"], env), t.Cmd(CLICK, [py, "-c", "import click"], env),
            t.Cmd(UI, [py, "-c", UI_IMPORTS], env)]
    rows: list[tuple[str, str]] = []
    for name, (exe, root) in builds.items():
        s = str(root)
        for label, argv, stdout, baseline in (
            ("--help", [exe, "--help"], "devnull", PASS),
            ("list --limit 20 (tty)", [exe, "--store", s, "list", "--limit", "20"], "tty", UI),
            ("list --limit 20 |", [exe, "--store", s, "list", "--limit", "20"], "pipe", UI),
            ("search rare |", [exe, "--store", s, "search", gen_store.QUERIES["rare"]],
             "pipe", CLICK),
            ("search common |", [exe, "--store", s, "search", gen_store.QUERIES["common"]],
             "pipe", CLICK),
        ):
            cmds.append(t.Cmd(f"{name}: {label}", argv, env, stdout=stdout))
            rows.append((f"{name}: {label}", baseline))
    timings = t.measure(cmds, runs=args.runs)
    print(t.timing_table(list(timings.values()), dict(rows)))
    for kind in ("wall", "cpu"):
        print(f"\nafter / before, median {kind} time as a ratio to its baseline's:")
        for label, baseline in rows:
            if not label.startswith("after: "):
                continue
            a, b = timings[label], timings[label.replace("after: ", "before: ")]
            if not (a.ok and b.ok):
                continue
            value = (lambda x: x.median) if kind == "wall" else (lambda x: x.cpu_median)
            base_ms = value(timings[baseline])
            print(f"  {label[7:]:<24} {value(a) / base_ms:5.2f}× vs {value(b) / base_ms:5.2f}× "
                  f"{baseline}  (after {value(a):6.1f} ms, before {value(b):6.1f} ms: "
                  f"{(value(a) / value(b) - 1) * 100:+.1f}%)")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
