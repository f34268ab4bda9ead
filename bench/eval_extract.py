"""Measure article extraction against the readability test pages in shared/corpus.

Run from the repository:

    python bench/eval_extract.py [--corpus ../shared/corpus/readability-pages] [--only NAME]

Each page folder holds `source.html`, `expected.html` (the main content as Readability.js
extracts it) and `expected-metadata.json`. For every variant this prints, averaged over pages:

* body precision / recall / F1 — bag of lower-case word tokens of the extracted text
  (Markdown syntax stripped) against the words of `expected.html`'s text;
* title exact-match rate (after whitespace and case normalisation), a looser "contains" rate
  (one contains the other) and title word-F1, over pages with an expected title;
* byline word-F1 over pages with a non-empty expected byline;
* pages per second on one core (extraction only; scoring is not timed).

The pages are other people's content: they are read at run time and never copied.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PAGE_URL = "http://fakehost/test/page.html"
REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "readability-pages"
_WORD = re.compile(r"\w+")


@dataclass
class Output:
    text: str  # Markdown or plain text
    title: str = ""
    byline: str = ""


@dataclass
class Page:
    name: str
    source: str
    expected_words: Counter[str]
    title: str
    byline: str


@dataclass
class Scores:
    body_p: list[float] = field(default_factory=list)
    body_r: list[float] = field(default_factory=list)
    body_f: list[float] = field(default_factory=list)
    title_exact: list[float] = field(default_factory=list)
    title_contains: list[float] = field(default_factory=list)
    title_f: list[float] = field(default_factory=list)
    byline_f: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0
    per_page: dict[str, float] = field(default_factory=dict)


# --- text and scoring -------------------------------------------------------------------------


def html_text(html: str) -> str:
    import lxml.html

    if not html.strip():
        return ""
    try:
        tree = lxml.html.document_fromstring(html)
    except Exception:  # the expected files are well-formed; this guards odd ones
        return ""
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    return " ".join(tree.itertext())


def markdown_text(md: str) -> str:
    """Markdown → plain text, so link targets, emphasis marks and escapes don't count."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable("table").render(md)
    return html_text(rendered)


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.lower()))


def bag_f1(got: Counter[str], want: Counter[str]) -> tuple[float, float, float]:
    if not got and not want:
        return 1.0, 1.0, 1.0
    if not got or not want:
        return 0.0, 0.0, 0.0
    common = sum((got & want).values())
    precision = common / sum(got.values())
    recall = common / sum(want.values())
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return precision, recall, f1


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- variants ---------------------------------------------------------------------------------


def run_trafilatura(html: str) -> Output:
    import trafilatura

    text = trafilatura.extract(
        html,
        url=PAGE_URL,
        output_format="markdown",
        include_links=True,
        include_tables=True,
        include_comments=False,
        with_metadata=False,
    )
    meta = trafilatura.extract_metadata(html, default_url=PAGE_URL)
    return Output(
        text or "",
        title=(meta.title or "") if meta else "",
        byline=(meta.author or "") if meta else "",
    )


def run_readability(html: str) -> Output:
    import html2text
    from readability import Document

    doc = Document(html, url=PAGE_URL)
    converter = html2text.HTML2Text(baseurl=PAGE_URL, bodywidth=0)
    converter.ignore_images = True
    return Output(converter.handle(doc.summary(html_partial=True)), title=doc.short_title())


def run_newscli(html: str) -> Output:
    from newscli.extract import extract

    got = extract(html, PAGE_URL)
    return Output(got.markdown, title=got.title, byline=got.byline)


VARIANTS: dict[str, tuple[str, Callable[[str], Output]]] = {
    "trafilatura": ("trafilatura 2.x alone (markdown + its metadata)", run_trafilatura),
    "readability": ("readability-lxml + html2text (short_title)", run_readability),
    "newscli": ("newscli.extract.extract (shipped pipeline)", run_newscli),
}


# --- driver -----------------------------------------------------------------------------------


def load_pages(corpus: Path, only: list[str]) -> list[Page]:
    pages = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        if only and folder.name not in only:
            continue
        source = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        expected = (folder / "expected.html").read_text(encoding="utf-8", errors="replace")
        meta_file = folder / "expected-metadata.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        pages.append(
            Page(
                name=folder.name,
                source=source,
                expected_words=words(html_text(expected)),
                title=meta.get("title") or "",
                byline=meta.get("byline") or "",
            )
        )
    return pages


def evaluate(pages: list[Page], run: Callable[[str], Output], verbose: bool) -> Scores:
    scores = Scores()
    for page in pages:
        start = time.process_time()
        try:
            out = run(page.source)
        except Exception as exc:  # a crashing extractor scores zero on that page
            out = Output("")
            scores.errors += 1
            if verbose:
                print(f"  {page.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        scores.seconds += time.process_time() - start

        p, r, f = bag_f1(words(markdown_text(out.text)), page.expected_words)
        scores.body_p.append(p)
        scores.body_r.append(r)
        scores.body_f.append(f)
        scores.per_page[page.name] = f
        if page.title:
            got, want = norm(out.title), norm(page.title)
            scores.title_exact.append(float(got == want))
            scores.title_contains.append(float(bool(got) and (got in want or want in got)))
            scores.title_f.append(bag_f1(words(out.title), words(page.title))[2])
        if page.byline.strip():
            scores.byline_f.append(bag_f1(words(out.byline), words(page.byline))[2])
        if verbose:
            print(
                f"  {page.name:40} body F1 {f:.3f}  P {p:.3f} R {r:.3f}"
                f"  title {out.title[:50]!r}  byline {out.byline[:40]!r}"
            )
    return scores


def time_only(pages: list[Page], run: Callable[[str], Output]) -> float:
    start = time.process_time()
    for page in pages:
        try:
            run(page.source)
        except Exception:
            pass
    return time.process_time() - start


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="evaluate only this page folder (repeatable)")
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS), default=[],
                        help="run only this variant (repeatable); default: all")
    parser.add_argument("-v", "--verbose", action="store_true", help="print per-page scores")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="time the extraction N times and keep the fastest (noisy machines)")
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="list the N pages with the lowest body F1 per variant")
    args = parser.parse_args(argv)

    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    pages = load_pages(args.corpus, args.only)
    if not pages:
        print("no pages matched", file=sys.stderr)
        return 1

    header = (
        f"{'variant':12} {'body P':>7} {'body R':>7} {'body F1':>7} {'title =':>7} "
        f"{'title ⊂':>7} {'title F1':>8} {'byline F1':>9} {'pages/s':>8} {'errors':>6}"
    )
    rows = []
    for name in args.variant or list(VARIANTS):
        label, run = VARIANTS[name]
        if args.verbose:
            print(f"{name}: {label}")
        # Warm up imports so one-off import cost is not billed to the first page.
        try:
            run("<html><body><p>warm up</p></body></html>")
        except Exception:
            pass
        s = evaluate(pages, run, args.verbose)
        for _ in range(args.repeat - 1):
            s.seconds = min(s.seconds, time_only(pages, run))
        rate = len(pages) / s.seconds if s.seconds else float("inf")
        rows.append(
            f"{name:12} {mean(s.body_p):7.3f} {mean(s.body_r):7.3f} {mean(s.body_f):7.3f} "
            f"{mean(s.title_exact):7.1%} {mean(s.title_contains):7.1%} {mean(s.title_f):8.3f} "
            f"{mean(s.byline_f):9.3f} {rate:8.1f} {s.errors:6d}"
        )
        if args.worst:
            worst = sorted(s.per_page.items(), key=lambda kv: kv[1])[: args.worst]
            print(f"{name} worst: " + ", ".join(f"{n} {f:.2f}" for n, f in worst))
    titles = sum(1 for p in pages if p.title)
    bylines = sum(1 for p in pages if p.byline.strip())
    print(f"\n{len(pages)} pages ({titles} with a title, {bylines} with a byline)"
          f" from {args.corpus}")
    print(header)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
