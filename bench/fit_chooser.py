"""Fit and cross-validate the thresholds of `newscli.extract.body.choose` from the outputs
`bench/extract_cache.py` keeps, in seconds instead of re-extracting.

    python bench/extract_cache.py --split training      # once, some 2 minutes on 2 cores
    python bench/fit_chooser.py [--cache /tmp/dragnet-cache] [--folds 5]

`choose` itself is run on each page's cached readability-lxml, trafilatura and jusText
outputs with SHORTER_READABILITY set to each value of a grid (0: the rule off), so what is
scored is what newscli would return. It prints the Dragnet training F1 of every value, then
a k-fold cross-validation: the value best on k-1 folds, scored on the one left out.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_extract as ev  # noqa: E402
from extract_cache import OUT, finish  # noqa: E402

GRID = (0.0, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
Score = tuple[float | None, float]


def corpus_f1(scores: list[Score]) -> float:
    """Dragnet's rule: precision over pages with output, recall over all, F1 of the means."""
    ps = [p for p, _ in scores if p is not None]
    p, r = sum(ps) / len(ps), sum(r for _, r in scores) / len(scores)
    return 2 * p * r / (p + r) if p + r else 0.0


def page_scores(rows: list[dict], pages: dict[str, ev.Page], value: float) -> list[Score]:
    from newscli.extract import body
    from newscli.extract.parse import count_words

    body.SHORTER_READABILITY = value
    out: list[Score] = []
    for row in rows:
        prose = [p for p in row["justext"]["raw"].split("\n\n") if p]
        raw = body.choose(row["read"]["raw"], row["traf"]["raw"], lambda prose=prose: prose)
        known = next((row[c] for c in ("read", "traf", "newscli") if row[c]["raw"] == raw), None)
        if known is not None:
            out.append((known["p"], known["r"]))
            continue
        page = pages[row["name"]]
        html = page.source if count_words(raw) < 25 else ""  # the whole-body fallback
        md = finish(raw, html, ev.PAGE_URL, row["title"])
        p, r, _ = ev.shingle_scores(ev.markdown_text(md), page.truth)
        out.append((p, r))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=OUT)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    path = args.cache / "dragnet-training.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    pages = {p.name: p for p in ev.load_dragnet(ev.DRAGNET, "training", [])}
    scores = {v: page_scores(rows, pages, v) for v in GRID}
    for value in GRID:
        print(f"SHORTER_READABILITY {value:4.2f}: training F1 {corpus_f1(scores[value]):.4f}")
    order = list(range(len(rows)))
    random.Random(1).shuffle(order)
    folds = [order[k :: args.folds] for k in range(args.folds)]
    held_out, off = [], []
    for k, fold in enumerate(folds):
        rest = [i for j, f in enumerate(folds) if j != k for i in f]
        best = max(GRID, key=lambda v: corpus_f1([scores[v][i] for i in rest]))
        held_out.append(corpus_f1([scores[best][i] for i in fold]))
        off.append(corpus_f1([scores[0.0][i] for i in fold]))
        print(f"fold {k}: chose {best:.2f}, held-out F1 {held_out[-1]:.4f}"
              f" (rule off {off[-1]:.4f})")
    print(f"{args.folds}-fold CV F1 {sum(held_out) / len(held_out):.4f}"
          f" (rule off {sum(off) / len(off):.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
