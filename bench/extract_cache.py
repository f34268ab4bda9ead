"""Run each candidate body extractor once per page and keep the outputs, so that ways of
choosing or combining them can be tried in seconds (`bench/fit_chooser.py`).

    python bench/extract_cache.py [--set dragnet|readability] [--split training|test]
                                  [-j 2] [--out /tmp/dragnet-cache]

One JSON line per page in `OUT/<group>.jsonl`: the page's name and title, and for each
candidate (`newscli` as shipped; readability-lxml `read` and trafilatura `traf` as newscli
runs them, trafilatura's `favor_recall`/`favor_precision` modes, jusText's prose paragraphs
and, when installed, resiliparse's main content) its raw body (`raw`), that body after
newscli's own finishing (`md`: the whole-body fallback under MIN_WORDS words, the repeated
headline and date line dropped), the CPU ms it took, and its scores against the truth as
`bench/eval_extract.py` computes them (`p`, `r`, `f`; Dragnet pages also keep the truth).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_extract as ev  # noqa: E402

OUT = Path("/tmp/dragnet-cache")


def _resiliparse(tree: object) -> str:
    import lxml.html
    from resiliparse.extract.html2text import extract_plain_text

    html = lxml.html.tostring(tree, encoding="unicode")  # type: ignore[arg-type]
    return extract_plain_text(html, main_content=True, alt_texts=False, links=False,
                              form_fields=False, noscript=False)


def candidates(html: str, url: str) -> tuple[dict[str, tuple[str, float]], str]:
    """Each candidate's raw body Markdown and its ms, and the page's title."""
    from newscli.extract import body, meta
    from newscli.extract.parse import base_url, parse

    tree = parse(html)
    if tree is None:
        return {}, ""
    found_meta = meta.metadata(tree, url)
    base = base_url(tree, url)
    found = meta.byline_element(tree)
    body.prepare(tree, found[0] if found else None)
    out: dict[str, tuple[str, float]] = {}

    def timed(name: str, run: Callable[[], str]) -> None:
        start = time.process_time()
        out[name] = (run(), (time.process_time() - start) * 1000)

    timed("newscli", lambda: body.main_markdown(copy.deepcopy(tree), base, found_meta.language))
    timed("read", lambda: body._readability(copy.deepcopy(tree), base))
    traf = body._trafilatura
    timed("traf", lambda: traf(copy.deepcopy(tree), base))
    timed("traf_recall", lambda: traf(copy.deepcopy(tree), base, favor_recall=True))
    timed("traf_prec", lambda: traf(copy.deepcopy(tree), base, favor_precision=True))
    timed("justext", lambda: "\n\n".join(body._justext(copy.deepcopy(tree),
                                                        found_meta.language)))
    try:  # resiliparse is a candidate measured, not a dependency
        import resiliparse  # noqa: F401
    except ImportError:
        return out, found_meta.title
    timed("resil", lambda: _resiliparse(copy.deepcopy(tree)))
    return out, found_meta.title


def finish(markdown: str, html: str, url: str, title: str) -> str:
    """What `newscli.extract.extract` does after the main-content extractor."""
    from newscli.extract import body, finished
    from newscli.extract.parse import base_url, parse

    def whole() -> str:
        fresh = parse(html)
        return body.whole_body_markdown(fresh, base_url(fresh, url)) if fresh is not None else ""

    return finished(markdown, whole, title)


def cache_page(page: ev.Page) -> dict[str, object]:
    html = page.source
    raw, title = candidates(html, ev.PAGE_URL)
    row: dict[str, object] = {"name": page.name, "group": page.group, "title": title}
    for name, (markdown, ms) in raw.items():
        text = finish(markdown, html, ev.PAGE_URL, title)
        plain = ev.markdown_text(text)
        if page.group == "readability":
            p, r, f = ev.bag_f1(ev.words(plain), ev.words(page.truth))
        else:
            p, r, f = ev.shingle_scores(plain, page.truth)  # type: ignore[assignment]
        row[name] = {"md": text, "raw": markdown, "ms": ms, "p": p, "r": r, "f": f}
    if page.group != "readability":
        row["truth"] = page.truth
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=["dragnet", "readability"], default="dragnet")
    parser.add_argument("--split", choices=["training", "test"], default="training")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.set == "dragnet":
        pages = ev.load_dragnet(ev.DRAGNET, args.split, [], args.limit)
    else:
        pages = ev.load_pages(ev.DEFAULT_CORPUS, [])
    args.out.mkdir(parents=True, exist_ok=True)
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        rows = pool.map(cache_page, pages, chunksize=4)
    target = args.out / f"{pages[0].group}.jsonl"
    with target.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    print(f"{len(rows)} pages → {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
