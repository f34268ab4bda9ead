"""A synthetic store with Chinese and Japanese in a share of its articles, to measure what
the character-pair side index (newscli/cjk.py) costs in size and speed.

    python bench/cjk_store.py SRC DST [--share 0.1] [--seed 1] [--measure] [--queries 30]

DST becomes a copy of the store SRC (bench/gen_store.py) made of hard links; then every
article picked (`--share` of them, at random but the same for a seed) is written anew, as
a new file, with two paragraphs of synthetic Chinese and Japanese added after its text:
runs of 20 to 120 characters drawn from common Han characters and kana, separated by
"，" and "。". Planted words, inside runs, with exact counts printed at the end:
北京 in 10% of the picked articles, 満開 in 5%, 马拉松 in 2%.

With --measure: a cold `newscli --store DST index --rebuild` (seconds; --reuse keeps an
index already there), the size of both
stores' `.newscli/` (SRC's as it stands: index it first with the same newscli), and the
in-process latency (p50/p95, the Library's search, top 10) of the planted words and of
the common marker word, on DST.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _timing as t  # noqa: E402

HAN = ("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着"
       "去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行"
       "方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美"
       "点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第")
KANA = ("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれ"
        "ろわをんアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ")
PLANTED = {"北京": 0.10, "満開": 0.05, "马拉松": 0.02}
SUFFIXES = (".txt", ".md", ".html")


def run_text(rng: random.Random, words: list[str]) -> str:
    runs = []
    for _ in range(rng.randint(3, 6)):
        pool = HAN if rng.random() < 0.6 else HAN + KANA
        runs.append("".join(rng.choice(pool) for _ in range(rng.randint(20, 120))))
    for word in words:  # inside a run, never at its edges
        k = rng.randrange(len(runs))
        at = rng.randint(1, len(runs[k]) - 1)
        runs[k] = runs[k][:at] + word + runs[k][at:]
    return "，".join(runs[:2]) + "。\n\n" + "，".join(runs[2:]) + "。"


def with_cjk(text: str, suffix: str, addition: str) -> str:
    if suffix == ".html":
        return text.replace("</article>", f"<p>{addition.replace(chr(10) * 2, '</p><p>')}</p>"
                            "</article>", 1)
    return text.rstrip("\n") + "\n\n" + addition + "\n"


def measure(src: Path, dst: Path, runs: int, build: bool) -> None:
    if build or not (dst / ".newscli").is_dir():
        start = time.perf_counter()
        subprocess.run([t.newscli_exe(), "--store", str(dst), "index", "--rebuild"],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"cold index --rebuild of {dst}: {time.perf_counter() - start:.0f} s")
    for store in (src, dst):
        size = t.dir_bytes(str(store / ".newscli")) if (store / ".newscli").is_dir() else 0
        print(f"   {store}/.newscli: {t.fmt_bytes(size) if size else 'not built'}")
    from newscli.config import Settings
    from newscli.errors import NotFound
    from newscli.service import Library

    library = Library(Settings(str(dst)))

    def search(text: str) -> int:
        try:
            return len(library.search(text, limit=10))
        except NotFound:
            return 0

    rows = []
    for text in (*PLANTED, "北京 马拉松", "minister"):
        samples = t.time_inprocess(lambda q=text: search(q), runs=runs, warmup=2)  # type: ignore[misc]
        rows.append([text, t.fmt_ms(t.percentile(samples, 50)),
                     t.fmt_ms(t.percentile(samples, 95)), str(search(text))])
    print("\nin-process search, top 10 (ms):")
    print(t.table(["query", "p50", "p95", "hits"], rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    parser.add_argument("--share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--measure", action="store_true", help="index DST and time searches")
    parser.add_argument("--queries", type=int, default=30, help="runs per query")
    parser.add_argument("--reuse", action="store_true",
                        help="with --measure: keep DST's index if it has one")
    args = parser.parse_args(argv)
    if args.measure and args.dst.exists():
        measure(args.src, args.dst, args.queries, not args.reuse)
        return 0
    if not args.dst.exists():
        shutil.copytree(args.src, args.dst, copy_function=os.link,
                        ignore=shutil.ignore_patterns(".newscli"))
    files = sorted(p for p in args.dst.rglob("*") if p.suffix in SUFFIXES
                   and ".newscli" not in p.parts)
    rng = random.Random(args.seed)
    picked = rng.sample(files, round(len(files) * args.share))
    counts = dict.fromkeys(PLANTED, 0)
    for path in picked:
        words = [w for w, share in PLANTED.items() if rng.random() < share]
        for w in words:
            counts[w] += 1
        text = path.read_text(encoding="utf-8")
        new = path.with_name(path.name + ".tmp")
        new.write_text(with_cjk(text, path.suffix, run_text(rng, words)), encoding="utf-8")
        os.replace(new, path)  # a new file: the hard link to SRC's file is left alone
    print(f"{len(picked):,} of {len(files):,} articles with Chinese and Japanese in {args.dst}")
    print("planted:", ", ".join(f"{w} {n}" for w, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
