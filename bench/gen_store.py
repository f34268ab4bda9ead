"""Generate a synthetic, deterministic article store for benchmarks.

    python bench/gen_store.py N DIR [--seed 1] [--flat] [--mix txt=70,md=25,html=5] [--big K]
                                    [--json]

Writes N articles of 2-4 KB (2048..4096 bytes) each under DIR/YYYY/MM/<slug>.<ext> (or
all in DIR with --flat) and, with --big K, K long reads of ~5,000 words each. Nothing else
is written into DIR: the summary (counts, bytes, marker frequencies, a typical and the big
articles' paths) goes to stdout.

The text is synthetic: a Zipf-distributed vocabulary of pseudo-English words built from
syllables, mixed with real English function words, in capitalised, punctuated sentences.
Marker terms with known document frequencies are planted in the bodies of the N regular
articles (never in the big ones), so benchmarks have stable queries; see MARKERS / QUERIES.

The vocabulary does not depend on --seed (queries stay meaningful across seeds); everything
else does. Same N, seed, mix, layout and --big give byte-identical files.
"""

from __future__ import annotations

import argparse
import functools
import html
import itertools
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

# --------------------------------------------------------------------------------------
# Planted markers: document frequencies over the N regular articles (exact counts are
# max(1, round(N * freq)) except `common`/`council`, which are round(N * freq)).
# --------------------------------------------------------------------------------------
COMMON_WORD = "minister"  # ~50% of articles
COUNCIL_WORD = "council"  # ~10% of articles, independent of COMMON_WORD
RARE_WORD = "quixotrel"  # ~0.1% of articles (at least one)
PHRASE = ("climate", "accord")  # adjacent, ~1% of articles
PHRASE_DECOYS = 0.02  # "climate" alone in ~2% and "accord" alone in ~2% more
PREFIX = "zorbla"
PREFIX_FAMILY = ("zorblat", "zorblation", "zorblatic", "zorblatism", "zorblaters", "zorblating")

MARKER_FREQ: dict[str, float] = {
    "common": 0.50,
    "council": 0.10,
    "rare": 0.001,
    "phrase": 0.01,
    "climate_only": PHRASE_DECOYS,
    "accord_only": PHRASE_DECOYS,
    "prefix": 0.02,
}

#: Queries as a user would type them to `newscli search`.
QUERIES: dict[str, str] = {
    "common": COMMON_WORD,
    "rare": RARE_WORD,
    "two_words": f"{COMMON_WORD} {COUNCIL_WORD}",  # both words, anywhere: ~5%
    "phrase": f'"{PHRASE[0]} {PHRASE[1]}"',
    "prefix": f"{PREFIX}*",
}

#: The same queries in raw SQLite FTS5 syntax (for a bare `fts MATCH ?`).
FTS_QUERIES: dict[str, str] = {
    "common": COMMON_WORD,
    "rare": RARE_WORD,
    "two_words": f"{COMMON_WORD} AND {COUNCIL_WORD}",
    "phrase": f'"{PHRASE[0]} {PHRASE[1]}"',
    "prefix": f"{PREFIX}*",
}

#: Expected share of regular articles matching each query.
QUERY_FREQ: dict[str, float] = {
    "common": MARKER_FREQ["common"],
    "rare": MARKER_FREQ["rare"],
    "two_words": MARKER_FREQ["common"] * MARKER_FREQ["council"],
    "phrase": MARKER_FREQ["phrase"],
    "prefix": MARKER_FREQ["prefix"],
}

#: Case-insensitive patterns for `rg -il` / substring checks (the phrase as adjacent words).
GREP_PATTERNS: dict[str, str] = {
    "common": COMMON_WORD,
    "rare": RARE_WORD,
    "council": COUNCIL_WORD,
    "phrase": f"{PHRASE[0]} {PHRASE[1]}",
    "prefix": PREFIX,
}

MIN_BYTES = 2048
MAX_BYTES = 4096
BIG_WORDS = 5000
DEFAULT_MIX = "txt=70,md=25,html=5"
TXT_LAYOUTS = {"plain": 60, "pasted": 25, "frontmatter": 15}
FIRST_DAY = date(2019, 1, 1)
LAST_DAY = date(2025, 12, 31)
BIG_DATE = date(2024, 6, 15)

FUNCTION_WORDS = (
    "the of and to a in that is was for on it with as he she at by this from they be have "
    "had are but not or an were their which been has its would who will more there after "
    "when than about into also over new could two first some other its these while during "
    "before because under between said says against since most only such many where our "
    "much still through both those very then now last year years people"
).split()

SOURCES = (
    "The Daily Kavren", "Morlin Herald", "Stratholm Gazette", "Pellow Times", "Brendle Post",
    "The Varnock Courier", "Quenby Chronicle", "Astoria Ledger", "The Fennick Observer",
    "Harlow Tribune", "Ostrava Wire", "Calder Bay News", "The Elmstead Record",
    "Norwick Dispatch", "Ravelin Express", "The Tollan Journal", "Wexmoor Sentinel",
    "Gallion Press", "The Saltmarsh Review", "Drumlin Standard",
)
TAGS = (
    "politics", "economy", "health", "science", "technology", "energy", "education", "sport",
    "culture", "world", "europe", "asia", "africa", "americas", "elections", "courts",
    "business", "markets", "transport", "housing", "environment", "weather", "crime",
    "defence", "migration", "media", "agriculture", "space", "finance", "labour",
)
FIRST_NAMES = ("Ana", "Zoë", "José", "Mira", "Tomás", "Ingrid", "Kwame", "Léa", "Oskar",
               "Priya", "Chen", "Fatima", "Jonas", "Noor", "Ruth", "Émile")
LAST_NAMES = ("Müller", "Okafor", "Silva", "Novak", "Haddad", "Lindqvist", "Moreau", "Patel",
              "Kowalski", "Ferreira", "Nakamura", "O'Neill", "García", "Brandt", "Adeyemi")

_ONSETS = ("b c d f g h j k l m n p r s t v w br cr dr fl gr pl pr st tr sh ch th sk "
           "bl cl gl sl sp").split()
_VOWELS = "a e i o u a e i o a e i o u ai ea ou ee".split()
_CODAS = ["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rk", "ng", "ck", "nt"]
_SUFFIXES = ["", "", "", "", "", "", "ion", "ing", "ed", "er", "al", "ly", "ment", "ity", "ous"]
VOCAB_SIZE = 4000
VOCAB_SEED = 20240305


# --------------------------------------------------------------------------------------
# Vocabulary and sentences
# --------------------------------------------------------------------------------------
def _pseudo_word(rng: random.Random) -> str:
    syllables = rng.choices((1, 2, 3, 4), weights=(35, 45, 17, 3))[0]
    parts = []
    for i in range(syllables):
        onset = rng.choice(_ONSETS) if i == 0 or rng.random() < 0.8 else ""
        coda = rng.choice(_CODAS) if rng.random() < 0.5 else ""
        parts.append(onset + rng.choice(_VOWELS) + coda)
    return "".join(parts) + rng.choice(_SUFFIXES)


@functools.cache
def build_vocabulary(size: int = VOCAB_SIZE, seed: int = VOCAB_SEED) -> tuple[str, ...]:
    """The fixed pseudo-English vocabulary, most frequent first (independent of --seed)."""
    rng = random.Random(seed)
    reserved = {COMMON_WORD, COUNCIL_WORD, RARE_WORD, *PHRASE, *FUNCTION_WORDS, *TAGS}
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        word = _pseudo_word(rng)
        if (len(word) < 3 or len(word) > 13 or word in seen or word in reserved
                or PREFIX[:4] in word or "quix" in word):
            continue
        seen.add(word)
        words.append(word)
    return tuple(words)


_NUMBERS = ("12", "40", "3.5", "1,200", "2.4%", "$3 million", "17", "one", "three",
            "dozens of", "half", "2019", "90")


class Text:
    """Everything text-like for one seed: a Zipf token stream (content words weighted
    1/(rank+8), function words 1/(rank+1.5), ~42% function words, some proper nouns and
    numbers) and a pool of ready sentences. Fresh sentences and titles are slices of the
    stream at random offsets, which keeps generation cheap."""

    def __init__(self, seed: int, stream_len: int, pool_size: int) -> None:
        rng = random.Random(f"{seed}/text")
        self.vocab = build_vocabulary()
        cum = list(itertools.accumulate(1.0 / (r + 8.0) for r in range(len(self.vocab))))
        fcum = list(itertools.accumulate(1.0 / (r + 1.5) for r in range(len(FUNCTION_WORDS))))
        content = rng.choices(self.vocab, cum_weights=cum, k=stream_len)
        function = rng.choices(FUNCTION_WORDS, cum_weights=fcum, k=stream_len)
        stream: list[str] = []
        for i in range(stream_len):
            r = rng.random()
            if r < 0.42:
                stream.append(function[i])
            elif r < 0.47:
                stream.append(content[i].capitalize())  # a proper noun
            elif r < 0.49:
                stream.append(_NUMBERS[int(r * 7919) % len(_NUMBERS)])
            else:
                stream.append(content[i])
        self.stream = stream
        self.small = frozenset(FUNCTION_WORDS)
        self.pool = [self.sentence(rng) for _ in range(pool_size)]
        self.pool_bytes = [len(s.encode()) + 1 for s in self.pool]

    def words(self, rng: random.Random, lo: int, hi: int) -> list[str]:
        n = lo + int(rng.random() * (hi - lo + 1))
        j = int(rng.random() * (len(self.stream) - n))
        return self.stream[j:j + n]

    def sentence(self, rng: random.Random, extra: Sequence[str] = ()) -> str:
        """One sentence of 7-22 tokens; `extra` words (or adjacent phrases) inserted whole."""
        tokens = self.words(rng, 7, 22)
        for word in extra:
            tokens.insert(1 + int(rng.random() * len(tokens)), word)
        r = rng.random()
        if len(tokens) > 9 and r < 0.35:
            cut = 3 + int(rng.random() * (len(tokens) - 6))
            tokens[cut] += (",", ",", ",", " —", ";")[int(r * 1000) % 5]
        first = tokens[0]
        tokens[0] = first[:1].upper() + first[1:]
        r = rng.random()
        text = " ".join(tokens) + ("." if r < 0.94 else "?" if r < 0.98 else "!")
        if rng.random() < 0.07:
            text = f"“{text[:-1]},” said {self.person(rng)}."
        return text

    def title(self, rng: random.Random, lo: int = 5, hi: int = 10) -> str:
        words = self.words(rng, lo, hi)
        small = self.small
        title = " ".join(w if (i and w in small) else w[:1].upper() + w[1:]
                         for i, w in enumerate(words))
        if rng.random() < 0.15:
            title += rng.choice((" as Talks Stall", " Amid Protests", " After Vote",
                                 ", Officials Say"))
        return title

    def heading(self, rng: random.Random) -> str:
        return self.title(rng, 2, 4)

    @staticmethod
    def person(rng: random.Random) -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    def paragraphs(self, rng: random.Random, budget: int, planted: list[str],
                   lo: int = 2, hi: int = 5) -> list[str]:
        """Paragraphs of pool sentences whose joined size (2-byte separators) stays within
        `budget` bytes; each `planted` sentence goes into one of them."""
        pool, pool_bytes, size = self.pool, self.pool_bytes, len(self.pool)
        rand = rng.random
        paras: list[list[str]] = []
        current: list[str] = []
        used = 0
        want = lo + int(rand() * (hi - lo + 1))
        limit = budget - sum(len(s.encode()) + 1 for s in planted)
        while True:
            i = int(rand() * size)
            cost = pool_bytes[i] + (0 if current else 2)
            if used + cost > limit:
                break
            current.append(pool[i])
            used += cost
            if len(current) >= want:
                paras.append(current)
                current = []
                want = lo + int(rand() * (hi - lo + 1))
        if current:
            paras.append(current)
        if not paras:
            paras.append([])
        for sentence in planted:
            para = paras[int(rand() * len(paras))]
            para.insert(int(rand() * (len(para) + 1)), sentence)
        return [" ".join(p) for p in paras if p]


def slugify(text: str, max_words: int = 7) -> str:
    out = []
    for word in text.lower().split():
        clean = "".join(c for c in word if c.isascii() and c.isalnum())
        if clean:
            out.append(clean)
    return "-".join(out[:max_words]) or "article"


# --------------------------------------------------------------------------------------
# Article rendering
# --------------------------------------------------------------------------------------
@dataclass
class Meta:
    fmt: str  # txt | md | html
    layout: str  # plain | pasted | frontmatter (txt); md; html
    title: str
    day: date
    source: str
    tags: list[str]
    byline: str
    url: str
    rel: str = ""


def _yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _front_matter(meta: Meta, *, full: bool) -> str:
    lines = ["---", f"title: {_yaml_str(meta.title)}"]
    if full:
        lines.append(f"byline: {_yaml_str(meta.byline)}")
    lines.append(f"date: {meta.day.isoformat()}")
    lines.append(f"source: {_yaml_str(meta.source)}")
    if full:
        lines.append(f"url: {meta.url}")
    lines.append(f"tags: [{', '.join(meta.tags)}]")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _with_headings(rng: random.Random, text: Text, paras: list[str], count: int,
                   prefix: str = "") -> list[str]:
    blocks = list(paras)
    slots = list(range(2, len(blocks)))
    rng.shuffle(slots)
    for slot in sorted(slots[:count], reverse=True):
        blocks.insert(slot, prefix + text.heading(rng))
    return blocks


def render_txt_plain(rng: random.Random, text: Text, meta: Meta, target: int,
                     planted: list[str]) -> str:
    """Headline, blank line, blank-line-separated paragraphs, 0-2 section headings;
    layout `frontmatter` adds a YAML block on top."""
    head = (_front_matter(meta, full=False) + "\n") if meta.layout == "frontmatter" else ""
    head += meta.title + "\n\n"
    headings = rng.choice((0, 0, 1, 1, 2))
    budget = target - len(head.encode()) - headings * 40 - 1
    blocks = _with_headings(rng, text, text.paragraphs(rng, budget, planted), headings)
    return head + "\n\n".join(blocks) + "\n"


def render_txt_pasted(rng: random.Random, text: Text, meta: Meta, target: int,
                      planted: list[str]) -> str:
    """One paragraph per line, no blank lines, no headline; sometimes an ALSO READ trailer."""
    trailer = ("ALSO READ: " + text.title(rng) + "\n") if rng.random() < 0.4 else ""
    budget = target - len(trailer.encode()) - 1
    return "\n".join(text.paragraphs(rng, budget, planted, 2, 6)) + "\n" + trailer


def render_md(rng: random.Random, text: Text, meta: Meta, target: int,
              planted: list[str]) -> str:
    head = _front_matter(meta, full=True) + "\n"
    extras: list[str] = []
    if rng.random() < 0.3:
        extras.append("> " + text.sentence(rng))
    if rng.random() < 0.25:
        items = rng.randint(3, 4)
        extras.append("\n".join("- " + text.title(rng, 3, 6) for _ in range(items)))
    link = rng.random() < 0.4
    headings = rng.randint(1, 3)
    extras_bytes = sum(len(e.encode()) + 2 for e in extras) + (70 if link else 0)
    budget = target - len(head.encode()) - extras_bytes - headings * 40 - 1
    paras = text.paragraphs(rng, budget, planted)
    if link:
        i = rng.randrange(len(paras))
        paras[i] += (f" See [{text.words(rng, 1, 2)[-1].lower()} coverage]"
                     f"(https://example.org/{slugify(meta.title, 3)}).")
    for extra in extras:
        paras.insert(rng.randint(1, len(paras)), extra)
    blocks = _with_headings(rng, text, paras, headings, "## ")
    return head + "\n\n".join(blocks) + "\n"


def render_html(rng: random.Random, text: Text, meta: Meta, target: int,
                planted: list[str]) -> str:
    esc = html.escape
    head = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{esc(meta.title)} | {esc(meta.source)}</title>\n"
        f"<meta property=\"og:site_name\" content=\"{esc(meta.source)}\">\n"
        f"<meta property=\"og:title\" content=\"{esc(meta.title)}\">\n"
        "<meta property=\"article:published_time\" "
        f"content=\"{meta.day.isoformat()}T08:30:00Z\">\n"
        f"<meta name=\"author\" content=\"{esc(meta.byline)}\">\n"
        "</head>\n<body>\n"
        "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li>"
        "<li><a href=\"/business\">Business</a></li><li><a href=\"/sport\">Sport</a></li>"
        "</ul></nav>\n"
        f"<article>\n<h1>{esc(meta.title)}</h1>\n"
        f"<p class=\"byline\">By {esc(meta.byline)}</p>\n"
    )
    foot = (
        f"</article>\n<footer><p>© 2025 {esc(meta.source)}. All rights reserved.</p>"
        "<p><a href=\"/privacy\">Privacy</a> · <a href=\"/contact\">Contact</a></p></footer>\n"
        "</body>\n</html>\n"
    )
    budget = target - len(head.encode()) - len(foot.encode())
    paras = text.paragraphs(rng, int(budget * 0.95), planted)  # room for <p> and escapes
    return head + "".join(f"<p>{esc(p, quote=False)}</p>\n" for p in paras) + foot


RENDERERS = {
    "plain": render_txt_plain,
    "frontmatter": render_txt_plain,
    "pasted": render_txt_pasted,
    "md": render_md,
    "html": render_html,
}


def render_big(rng: random.Random, text: Text, meta: Meta) -> str:
    """A ~BIG_WORDS-word Markdown long read."""
    blocks: list[str] = []
    words = 0
    while words < BIG_WORDS:
        if blocks and rng.random() < 0.12:
            blocks.append("## " + text.heading(rng))
            continue
        para = " ".join(rng.choice(text.pool) for _ in range(rng.randint(3, 6)))
        words += para.count(" ") + 1
        blocks.append(para)
    return _front_matter(meta, full=True) + "\n" + "\n\n".join(blocks) + "\n"


def planted_sentences(rng: random.Random, text: Text, i: int,
                      picks: dict[str, set[int]]) -> list[str]:
    out = []
    if i in picks["common"]:
        out.append(text.sentence(rng, ["the " + COMMON_WORD]))
    if i in picks["council"]:
        out.append(text.sentence(rng, ["the " + COUNCIL_WORD]))
    if i in picks["rare"]:
        out.append(text.sentence(rng, [RARE_WORD]))
    if i in picks["phrase"]:
        out.append(text.sentence(rng, [f"the {PHRASE[0]} {PHRASE[1]}"]))
    if i in picks["climate_only"]:
        out.append(text.sentence(rng, [PHRASE[0]]))
    if i in picks["accord_only"]:
        out.append(text.sentence(rng, [PHRASE[1]]))
    if i in picks["prefix"]:
        out.append(text.sentence(rng, rng.sample(PREFIX_FAMILY, rng.randint(1, 2))))
    return out


# --------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------
@dataclass
class Summary:
    dir: str
    seed: int
    count: int = 0
    big_count: int = 0
    bytes: int = 0
    formats: dict[str, int] = field(default_factory=dict)
    txt_layouts: dict[str, int] = field(default_factory=dict)
    markers: dict[str, int] = field(default_factory=dict)
    marker_freq: dict[str, float] = field(default_factory=dict)
    queries: dict[str, str] = field(default_factory=lambda: dict(QUERIES))
    typical: str = ""  # store-relative path of a typical (plain .txt, ~3 KB) article
    typical_id: str = ""  # its newscli id (the path without extension)
    big: list[str] = field(default_factory=list)
    big_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def articles_per_s(self) -> float:
        return (self.count + self.big_count) / self.seconds if self.seconds else 0.0

    def to_json(self) -> str:
        data = asdict(self)
        data["articles_per_s"] = round(self.articles_per_s, 1)
        return json.dumps(data, indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> Summary:
        data = json.loads(raw)
        data.pop("articles_per_s", None)
        return cls(**data)


def parse_mix(spec: str) -> dict[str, int]:
    mix: dict[str, int] = {}
    for part in spec.split(","):
        name, _, weight = part.partition("=")
        name = name.strip().lower()
        if name not in ("txt", "md", "html"):
            raise ValueError(f"unknown format in --mix: {name!r}")
        mix[name] = int(weight)
    if sum(mix.values()) <= 0 or min(mix.values()) < 0:
        raise ValueError("--mix weights must be >= 0 and add up to more than 0")
    return mix


def allocate(n: int, weights: dict[str, int]) -> dict[str, int]:
    """Largest-remainder split of n by weights: exact, deterministic counts."""
    total = sum(weights.values())
    raw = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(v) for k, v in raw.items()}
    order = list(raw)
    for k in sorted(raw, key=lambda k: (counts[k] - raw[k], order.index(k))):
        if sum(counts.values()) >= n:
            break
        counts[k] += 1
    return counts


def _shuffled(rng: random.Random, counts: dict[str, int]) -> list[str]:
    out = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(out)
    return out


def _pick(rng: random.Random, n: int, freq: float, at_least_one: bool) -> set[int]:
    k = round(n * freq)
    if at_least_one and n:
        k = max(1, k)
    return set(rng.sample(range(n), min(k, n)))


EXT = {"txt": ".txt", "md": ".md", "html": ".html"}


def _plan(n: int, seed: int, flat: bool, weights: dict[str, int], text: Text,
          summary: Summary) -> tuple[list[Meta], dict[str, set[int]]]:
    """Formats, layouts, dates, titles, unique paths and marker picks for every article."""
    rng = random.Random(f"{seed}/plan")
    fmt_counts = allocate(n, weights)
    formats = _shuffled(rng, fmt_counts)
    txt_counts = allocate(fmt_counts.get("txt", 0), TXT_LAYOUTS)
    layouts = iter(_shuffled(rng, txt_counts))
    summary.formats = {k: v for k, v in fmt_counts.items() if v}
    summary.txt_layouts = {k: v for k, v in txt_counts.items() if v}
    picks = {key: _pick(rng, n, freq, key in ("rare", "phrase", "prefix"))
             for key, freq in MARKER_FREQ.items()}
    span = (LAST_DAY - FIRST_DAY).days
    used: set[str] = set()
    metas: list[Meta] = []
    for i in range(n):
        fmt = formats[i]
        day = FIRST_DAY + timedelta(days=rng.randint(0, span))
        title = text.title(rng)
        slug = slugify(title)
        meta = Meta(fmt, next(layouts) if fmt == "txt" else fmt, title, day,
                    SOURCES[rng.randrange(len(SOURCES))],
                    sorted(rng.sample(TAGS, rng.randint(1, 3))), text.person(rng),
                    f"https://example.org/{day.year}/{day.month:02d}/{slug}")
        meta.rel = _unique(used, day, slug, flat) + EXT[fmt]
        metas.append(meta)
    return metas, picks


def _unique(used: set[str], day: date, slug: str, flat: bool) -> str:
    stem = slug if flat else f"{day.year:04d}/{day.month:02d}/{slug}"
    candidate, k = stem, 2
    while candidate in used:
        candidate, k = f"{stem}-{k}", k + 1
    used.add(candidate)
    return candidate


def _render(seed: int, text: Text, meta: Meta, i: int,
            picks: dict[str, set[int]]) -> tuple[bytes, bool]:
    """Article i's bytes (from its own RNG, so any article can be re-rendered alone) and
    whether markers were planted in it."""
    rng = random.Random(f"{seed}/{i}")
    planted = planted_sentences(rng, text, i, picks)
    target = rng.randint(MIN_BYTES + 250, MAX_BYTES - 60)
    return RENDERERS[meta.layout](rng, text, meta, target, planted).encode(), bool(planted)


class Writer:
    """Writes files from a couple of threads (the syscalls release the GIL), so file
    creation overlaps with rendering. Plain open/write, no fsync."""

    BATCH = 256

    def __init__(self, root: Path, enabled: bool, threads: int = 2,
                 collect: dict[str, bytes] | None = None) -> None:
        self.root = root
        self.collect = collect
        self.enabled = enabled
        self.made: set[str] = set()
        self.batch: list[tuple[str, bytes]] = []
        self.pending: list[Future[None]] = []
        self.pool = ThreadPoolExecutor(threads) if enabled else None

    def add(self, rel: str, data: bytes) -> None:
        if self.collect is not None:
            self.collect[rel] = data
        if not self.enabled:
            return
        parent = rel.rpartition("/")[0]
        if parent not in self.made:  # folders are made here, before any thread needs them
            (self.root / parent).mkdir(parents=True, exist_ok=True)
            self.made.add(parent)
        self.batch.append((rel, data))
        if len(self.batch) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pool and self.batch:
            self.pending.append(self.pool.submit(self._write_all, self.batch))
            self.batch = []
            while len(self.pending) > 8:  # bound memory
                self.pending.pop(0).result()

    def _write_all(self, batch: list[tuple[str, bytes]]) -> None:
        root = self.root
        for rel, data in batch:
            with open(root / rel, "wb") as fh:
                fh.write(data)

    def close(self) -> None:
        self.flush()
        for future in self.pending:
            future.result()
        if self.pool:
            self.pool.shutdown()


def generate(n: int, out_dir: str | os.PathLike[str], *, seed: int = 1, flat: bool = False,
             mix: str | dict[str, int] = DEFAULT_MIX, big: int = 0,
             write: bool = True, collect: dict[str, bytes] | None = None) -> Summary:
    """Write the store and return its summary. With `write=False` nothing is written (the
    summary and paths are the same); `collect`, if given, receives every file's bytes by
    store-relative path (for tests)."""
    started = time.perf_counter()
    root = Path(out_dir)
    weights = parse_mix(mix) if isinstance(mix, str) else dict(mix)
    summary = Summary(dir=str(root), seed=seed, count=n, big_count=big)
    text = Text(seed, stream_len=max(20_000, min(300_000, n * 30)),
                pool_size=max(2000, min(40_000, n * 4)))
    metas, picks = _plan(n, seed, flat, weights, text, summary)
    summary.markers = {k: len(v) for k, v in picks.items()}
    summary.markers["two_words"] = len(picks["common"] & picks["council"])
    summary.marker_freq = {k: round(v / n, 5) if n else 0.0 for k, v in summary.markers.items()}
    if write:
        root.mkdir(parents=True, exist_ok=True)
    writer = Writer(root, write, collect=collect)
    results: list[tuple[int, int, bool]] = []
    try:
        for i, meta in enumerate(metas):
            data, marked = _render(seed, text, meta, i, picks)
            writer.add(meta.rel, data)
            results.append((i, len(data), marked))
        used = {m.rel.rsplit(".", 1)[0] for m in metas}
        for k in range(big):
            rng = random.Random(f"{seed}/big/{k}")
            meta = Meta("md", "md", f"The Long Read: {text.title(rng, 4, 7)}", BIG_DATE,
                        SOURCES[k % len(SOURCES)], ["culture", "world"], text.person(rng),
                        f"https://example.org/long-read-{k + 1}")
            meta.rel = _unique(used, BIG_DATE, f"long-read-{k + 1}", flat) + ".md"
            data = render_big(rng, text, meta).encode()
            writer.add(meta.rel, data)
            summary.bytes += len(data)
            summary.big.append(meta.rel)
            summary.big_ids.append(_id(meta.rel))
    finally:
        writer.close()
    summary.bytes += sum(size for _, size, _ in results)
    typical = [(abs(size - 3000), i) for i, size, marked in results
               if metas[i].layout == "plain" and not marked]
    if typical or n:
        summary.typical = metas[min(typical)[1] if typical else 0].rel
        summary.typical_id = _id(summary.typical)

    summary.seconds = time.perf_counter() - started
    return summary


def _id(rel: str) -> str:
    return rel.rsplit(".", 1)[0]


def prepare(size: int, base: str | os.PathLike[str], *, seed: int = 1, big: int = 1,
            mix: str = DEFAULT_MIX,
            log: Callable[[str], None] | None = None) -> tuple[Path, Summary, bool]:
    """The store `base/<size>` (`base/<size>-<mix>` for another mix): reused when already
    there (its summary is kept beside it, in `base/<name>.summary.json`, never inside the
    store), else generated. Returns the store path, its summary and whether it was reused."""
    name = str(size) if mix == DEFAULT_MIX else f"{size}-{mix.replace('=', '').replace(',', '-')}"
    store = Path(base) / name
    summary_file = Path(base) / f"{name}.summary.json"
    if store.is_dir() and any(store.iterdir()):
        summary = None
        if summary_file.exists():
            try:
                summary = Summary.from_json(summary_file.read_text())
            except (ValueError, TypeError):
                summary = None
        if summary is None:  # assume it was made with these parameters
            summary = generate(size, store, seed=seed, big=big, mix=mix, write=False)
            summary_file.write_text(summary.to_json())
        elif log and (summary.seed, summary.big_count) != (seed, big):
            log(f"note: reusing {store} made with seed {summary.seed}, big {summary.big_count}")
        return store, summary, True
    if log:
        log(f"generating {size:,} articles into {store} …")
    summary = generate(size, store, seed=seed, big=big, mix=mix)
    summary_file.write_text(summary.to_json())
    return store, summary, False


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------
def format_summary(s: Summary) -> str:
    lines = [
        f"wrote {s.count} articles (+{s.big_count} big) to {s.dir} in {s.seconds:.2f} s "
        f"({s.articles_per_s:,.0f} articles/s), {s.bytes:,} bytes",
        "formats: " + ", ".join(f"{k}={v}" for k, v in s.formats.items())
        + "  txt layouts: " + ", ".join(f"{k}={v}" for k, v in s.txt_layouts.items()),
        "markers (articles containing, share of N):",
    ]
    for key, count in s.markers.items():
        lines.append(f"  {key:<13} {count:>7}  {s.marker_freq.get(key, 0):.4f}")
    lines.append("queries: " + json.dumps(s.queries, ensure_ascii=False))
    lines.append(f"typical: {s.typical}  (id {s.typical_id})")
    for path, ident in zip(s.big, s.big_ids, strict=True):
        lines.append(f"big:     {path}  (id {ident})")
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of regular (2-4 KB) articles")
    parser.add_argument("dir", help="store folder to write into (created if missing)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flat", action="store_true", help="all files directly in DIR")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"format weights ({DEFAULT_MIX})")
    parser.add_argument("--big", type=int, default=0, metavar="K",
                        help=f"also write K long reads of ~{BIG_WORDS} words")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        summary = generate(args.n, args.dir, seed=args.seed, flat=args.flat, mix=args.mix,
                           big=args.big)
    except ValueError as exc:
        parser.error(str(exc))
    print(summary.to_json() if args.json else format_summary(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
