"""Measure article extraction on the real pages in ../shared/corpus, beside trafilatura and
readability-lxml measured in the same run.

Run from the repository:

    python bench/eval_extract.py [--set dragnet|readability] [--split training|test]
                                 [--limit N] [--jobs 2] [--variant newscli] [--only NAME]

Two sets, read at run time and never copied:

* `dragnet/` (1,381 pages, human truth, a `training` and a `test` split). Body text is
  scored as the public article-extraction-benchmark (scrapinghub) does: tokens are
  `re.findall(r"\\w+", text)` with case kept; each page's multiset of 4-token shingles from
  the output against the truth's (the text before the comments marker); precision averaged
  over pages with a non-empty output, recall over all pages, F1 = 2PR/(P+R) of the means.
  The truth has no title field, but most pages' truth opens with the headline: `title⊂`
  is the share of pages whose title (as words) is found in the truth's first 80 words.
* `readability-pages/` (130 pages, whose "truth" is Readability.js's output). Body text is
  a bag of lower-case words against `expected.html`'s words, P/R/F1 per page, averaged;
  titles by exact match after whitespace and case normalisation (and a looser "contains"
  rate); bylines by word F1 over pages with an expected byline; dates by the day of
  `publishedTime` (33 pages; readability-lxml finds no dates).

Markdown syntax (link targets, emphasis marks, headings) is stripped from every output
first. Time is the CPU time of the extraction alone, per page; the table shows the median
in ms and its ratio to trafilatura's median over the same pages.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PAGE_URL = "http://fakehost/test/page.html"
REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpus"
DEFAULT_CORPUS = CORPORA / "readability-pages"
DRAGNET = CORPORA / "dragnet"
# The line that separates a Dragnet truth file's article from its comments: "!@#$%^&*()
# COMMENTS", mistyped in 20 of the files ("!@ $%^&*()", one space or three, a tab).
COMMENTS_MARKER = re.compile(r"^[ \t]*[!@#$%^&*()][!@#$%^&*() \t]{4,}COMMENTS[ \t\r]*$", re.M)
_WORD = re.compile(r"\w+")


@dataclass
class Output:
    text: str  # Markdown or plain text
    title: str = ""
    byline: str = ""
    date: str | None = None  # None: the variant finds no dates


@dataclass
class Page:
    name: str
    group: str  # "readability", "dragnet-training", "dragnet-test"
    path: Path  # the HTML file
    truth: str  # readability: expected.html's text; dragnet: the article text
    title: str = ""
    byline: str = ""
    date: str = ""  # the expected publication day, YYYY-MM-DD

    @property
    def source(self) -> str:
        return read_html(self.path)


@dataclass
class PageScore:
    name: str
    group: str
    p: float | None  # None: empty output (not counted in dragnet's precision)
    r: float
    f: float
    ms: float
    error: str = ""
    title_exact: float | None = None
    title_contains: float | None = None
    title_f: float | None = None
    byline_f: float | None = None
    date_exact: float | None = None


@dataclass
class Scores:
    pages: list[PageScore] = field(default_factory=list)

    def _values(self, attr: str) -> list[float]:
        return [v for v in (getattr(s, attr) for s in self.pages) if v is not None]

    @property
    def body_p(self) -> list[float]:
        return self._values("p")

    @property
    def body_r(self) -> list[float]:
        return self._values("r")

    @property
    def body_f(self) -> list[float]:
        return self._values("f")

    @property
    def title_exact(self) -> list[float]:
        return self._values("title_exact")

    @property
    def title_contains(self) -> list[float]:
        return self._values("title_contains")

    @property
    def title_f(self) -> list[float]:
        return self._values("title_f")

    @property
    def byline_f(self) -> list[float]:
        return self._values("byline_f")

    @property
    def date_exact(self) -> list[float]:
        return self._values("date_exact")

    @property
    def errors(self) -> int:
        return sum(1 for s in self.pages if s.error)

    @property
    def per_page(self) -> dict[str, float]:
        return {s.name: s.f for s in self.pages}

    def body(self) -> tuple[float, float, float]:
        """Precision, recall and F1 of the set, each as its scoring rule defines it."""
        if self.pages and self.pages[0].group.startswith("dragnet"):
            p, r = mean(self.body_p), mean(self.body_r)
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)
        return mean(self.body_p), mean(self.body_r), mean(self.body_f)

    def median_ms(self) -> float:
        times = [s.ms for s in self.pages]
        return statistics.median(times) if times else float("nan")


# --- text and scoring -------------------------------------------------------------------------


def read_html(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a few truth files are UTF-16
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


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


def shingles(text: str, n: int = 4) -> Counter[str]:
    tokens = _WORD.findall(text or "")
    return Counter(
        s for s in (" ".join(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))) if s
    )


def shingle_scores(got_text: str, want_text: str) -> tuple[float | None, float, float]:
    """Precision (None for an empty output), recall and F1 of one page's shingles."""
    got, want = shingles(got_text), shingles(want_text)
    tp = sum((got & want).values())
    fp = sum(got.values()) - tp
    fn = sum(want.values()) - tp
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else (1.0 if not got else 0.0)
    f1 = 2 * (precision or 0) * recall / ((precision or 0) + recall) if tp else 0.0
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
        date=(meta.date or "") if meta else "",
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
    return Output(got.markdown, title=got.title, byline=got.byline, date=got.date)


VARIANTS: dict[str, tuple[str, Callable[[str], Output]]] = {
    "trafilatura": ("trafilatura 2.x alone (markdown + its metadata)", run_trafilatura),
    "readability": ("readability-lxml + html2text (short_title)", run_readability),
    "newscli": ("newscli.extract.extract (shipped pipeline)", run_newscli),
}


# --- loading ----------------------------------------------------------------------------------


def load_pages(corpus: Path, only: list[str]) -> list[Page]:
    """The readability pages (the name is kept for the CI floor test)."""
    pages = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        if only and folder.name not in only:
            continue
        expected = (folder / "expected.html").read_text(encoding="utf-8", errors="replace")
        meta_file = folder / "expected-metadata.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        pages.append(
            Page(
                name=folder.name,
                group="readability",
                path=folder / "source.html",
                truth=html_text(expected),
                title=meta.get("title") or "",
                byline=meta.get("byline") or "",
                date=(meta.get("publishedTime") or "")[:10],
            )
        )
    return pages


def load_dragnet(root: Path, split: str, only: list[str], limit: int = 0) -> list[Page]:
    """Pages of one split ("training" or "test") of the Dragnet set, truth before comments."""
    ids = [line.strip() for line in (root / f"{split}.txt").read_text().split("\n")]
    ids = [i for i in ids if i and (not only or i in only)]
    if limit:
        ids = ids[:limit]
    pages = []
    for page_id in ids:
        truth = read_html(root / "Corrected" / f"{page_id}.html.corrected.txt")
        pages.append(
            Page(
                name=page_id,
                group=f"dragnet-{split}",
                path=root / "html" / f"{page_id}.html",
                truth=COMMENTS_MARKER.split(truth, 1)[0],
            )
        )
    return pages


# --- scoring one page -------------------------------------------------------------------------


def score_page(task: tuple[str, Page]) -> PageScore:
    variant, page = task
    run = VARIANTS[variant][1]
    source = page.source
    error = ""
    start = time.process_time()
    try:
        out = run(source)
    except Exception as exc:  # a crashing extractor scores zero on that page
        out = Output("")
        error = f"{type(exc).__name__}: {exc}"
    ms = (time.process_time() - start) * 1000
    text = markdown_text(out.text)
    if page.group == "readability":
        p, r, f = bag_f1(words(text), words(page.truth))
        score = PageScore(page.name, page.group, p, r, f, ms, error)
        if page.title:
            got, want = norm(out.title), norm(page.title)
            score.title_exact = float(got == want)
            score.title_contains = float(bool(got) and (got in want or want in got))
            score.title_f = bag_f1(words(out.title), words(page.title))[2]
        if page.byline.strip():
            score.byline_f = bag_f1(words(out.byline), words(page.byline))[2]
        if page.date and out.date is not None:
            score.date_exact = float(out.date[:10] == page.date)
        return score
    sp, sr, sf = shingle_scores(text, page.truth)
    title, head = (" ".join(_WORD.findall(t.lower())) for t in (out.title, page.truth))
    head = " ".join(head.split()[:80])
    return PageScore(page.name, page.group, sp, sr, sf, ms, error,
                     title_contains=float(bool(title) and title in head))


def _warm(variant: str) -> None:
    try:  # so that one-off import cost is not billed to the first page
        VARIANTS[variant][1]("<html><body><p>warm up</p></body></html>")
    except Exception:
        pass


def evaluate(
    pages: list[Page], run: Callable[[str], Output] | str, verbose: bool = False, jobs: int = 1
) -> Scores:
    """Score one variant (a name in VARIANTS, or its function) over `pages`."""
    variant = run if isinstance(run, str) else next(k for k, v in VARIANTS.items() if v[1] is run)
    tasks = [(variant, page) for page in pages]
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(
            jobs, initializer=_warm, initargs=(variant,)
        ) as pool:
            results = pool.map(score_page, tasks, chunksize=4)
    else:
        _warm(variant)
        results = [score_page(t) for t in tasks]
    if verbose:
        for s in results:
            p = "  -  " if s.p is None else f"{s.p:.3f}"
            print(f"  {variant:12} {s.group:17} {s.name:40} F1 {s.f:.3f} P {p} R {s.r:.3f}"
                  f" {s.ms:7.1f} ms {s.error}", file=sys.stderr)
    return Scores(results)


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


# --- driver -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=["dragnet", "readability"], action="append",
                        default=[], help="evaluate only this set (repeatable); default: both")
    parser.add_argument("--split", choices=["training", "test"], action="append", default=[],
                        help="Dragnet split to evaluate (repeatable); default: both")
    parser.add_argument("--limit", type=int, default=0, metavar="N",
                        help="only the first N pages of each Dragnet split")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="evaluate only this page (folder name or Dragnet id; repeatable)")
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS), default=[],
                        help="run only this variant (repeatable); default: all")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="worker processes (2)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print per-page scores on stderr")
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="list the N pages with the lowest body F1 per variant and set")
    args = parser.parse_args(argv)

    sets = args.set or ["dragnet", "readability"]
    groups: dict[str, list[Page]] = {}
    if "dragnet" in sets:
        if not DRAGNET.is_dir():
            print(f"corpus not found: {DRAGNET}", file=sys.stderr)
            return 1
        for split in args.split or ["training", "test"]:
            groups[f"dragnet-{split}"] = load_dragnet(DRAGNET, split, args.only, args.limit)
    if "readability" in sets:
        if not DEFAULT_CORPUS.is_dir():
            print(f"corpus not found: {DEFAULT_CORPUS}", file=sys.stderr)
            return 1
        groups["readability"] = load_pages(DEFAULT_CORPUS, args.only)
    pages = [p for group in groups.values() for p in group]
    if not pages:
        print("no pages matched", file=sys.stderr)
        return 1

    variants = args.variant or list(VARIANTS)
    results: dict[str, dict[str, Scores]] = {}
    for variant in variants:
        scores = evaluate(pages, variant, args.verbose, args.jobs)
        results[variant] = {
            g: Scores([s for s in scores.pages if s.group == g]) for g in groups
        }

    print(f"{len(pages)} pages: " + ", ".join(f"{g} {len(ps)}" for g, ps in groups.items())
          + f"; {args.jobs} worker(s)")
    header = (f"{'set':17} {'variant':12} {'P':>6} {'R':>6} {'F1':>6} {'title=':>7} "
              f"{'title⊂':>7} {'bylineF1':>8} {'date=':>6} {'ms/page':>8} {'×trafil':>7} "
              f"{'errors':>6}")
    print(header)
    for group in groups:
        base = results.get("trafilatura", {}).get(group)
        for variant in variants:
            s = results[variant][group]
            p, r, f = s.body()
            ms = s.median_ms()
            ratio = f"{ms / base.median_ms():7.2f}" if base and base.median_ms() else "    n/a"
            title = (f"{mean(s.title_exact):7.1%} {mean(s.title_contains):7.1%} "
                     f"{mean(s.byline_f):8.3f} {mean(s.date_exact):6.1%}"
                     ) if group == "readability" else f"{'':7} {mean(s.title_contains):7.1%}{'':16}"
            print(f"{group:17} {variant:12} {p:6.3f} {r:6.3f} {f:6.3f} {title} "
                  f"{ms:8.1f} {ratio} {s.errors:6d}")
    all_base = [s for g in groups for s in results.get("trafilatura", {}).get(g, Scores()).pages]
    if all_base:
        base_ms = statistics.median(s.ms for s in all_base)
        for variant in variants:
            ms = statistics.median(s.ms for g in groups for s in results[variant][g].pages)
            print(f"{'all pages':17} {variant:12} median {ms:.1f} ms/page, "
                  f"{ms / base_ms:.2f}× trafilatura's")
    if args.worst:
        for variant in variants:
            for group in groups:
                worst = sorted(results[variant][group].per_page.items(), key=lambda kv: kv[1])
                print(f"{variant} {group} worst: "
                      + ", ".join(f"{n} {f:.2f}" for n, f in worst[: args.worst]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
