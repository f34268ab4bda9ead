"""Chinese and Japanese words inside runs of text written without spaces.

The full-text tokenizer (unicode61) keeps a run such as 北京举行马拉松比赛 as one token, so
北京 alone finds nothing in it. The catalog therefore also indexes every run's overlapping
character pairs (北京 京举 举行 …, then the run's last character alone) in side columns, and
a query word with Chinese or Japanese characters is looked up there as the phrase of its
pairs: 北京 is the pair 北京, 马拉松 the phrase "马拉 拉松", a single character 京 a prefix.
Measured in bench/bench_search.py (`--cjk`).

Pure text functions: no SQL here.
"""

from __future__ import annotations

import functools
import re

# Han (with extensions and compatibility ideographs), kana, and the iteration marks 々〆〇.
_CJK = ("\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
        "\uff66-\uff9f\U00020000-\U0002fa1f")


@functools.cache
def _run() -> re.Pattern[str]:
    """A run of those characters (compiled on first use: it costs 6 ms at start-up)."""
    return re.compile(f"[{_CJK}]+")


# The first UTF-8 bytes of those characters (and of a few others): text that has none of
# them is told apart without a regular expression, which costs 30 times more.
_LEADS = tuple(bytes([b]) for b in (0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEF, 0xF0))


def has_cjk(text: str) -> bool:
    if text.isascii():
        return False
    data = text.encode("utf-8", "surrogatepass")
    if not any(lead in data for lead in _LEADS):
        return False
    return _run().search(text) is not None


def spans(text: str) -> list[tuple[int, int]]:
    """Where the runs of Chinese or Japanese characters are: (start, end) offsets."""
    return [m.span() for m in _run().finditer(text)] if has_cjk(text) else []


def _pairs(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(text: str) -> str:
    """The side-column text of `text`: each run's pairs, then its last character (so a
    one-character query, searched as a prefix, finds a run's every character); empty when
    the text has no Chinese or Japanese."""
    if not has_cjk(text):
        return ""
    out: list[str] = []
    for m in _run().finditer(text):
        run = m.group(0)
        out += _pairs(run)
        if len(run) > 1:
            out.append(run[-1])
    return " ".join(out)


def query_tokens(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], bool] | None:
    """The side-column phrase for a query phrase's tokens, and whether it is a prefix (a
    single character); None unless every token is Chinese or Japanese only (a token that
    mixes in Latin letters or digits is searched whole, as before)."""
    if not tokens or not all(_run().fullmatch(t) for t in tokens):
        return None
    out: list[str] = []
    for n, token in enumerate(tokens):
        out += _pairs(token)
        if n < len(tokens) - 1 and len(token) > 1:
            out.append(token[-1])  # as indexed: a run's last character follows its pairs
    return tuple(out), len(out) == 1 and len(out[0]) == 1


def words(tokens: tuple[str, ...]) -> list[str]:
    """The Chinese or Japanese runs in a query phrase, as typed, for marking matches."""
    return [m.group(0) for t in tokens for m in _run().finditer(t)]


def mark(text: str, found: list[str], on: str, off: str) -> str:
    """`text` with each of the `found` runs wrapped in on/off marks, outside marks already
    there. Matching ignores case only as far as Chinese and Japanese have none."""
    if not found or not text:
        return text
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(found), key=len,
                                                                 reverse=True)))
    parts = re.split(f"({re.escape(on)}.*?{re.escape(off)})", text, flags=re.S)
    for i in range(0, len(parts), 2):  # even parts are outside existing marks
        parts[i] = pattern.sub(lambda m: f"{on}{m.group(0)}{off}", parts[i])
    return "".join(parts)


def window(text: str, found: list[str], width: int = 60) -> str | None:
    """About `width` characters of `text` around the first of the `found` runs, with "…"
    where it was cut; None if none occurs."""
    at = [(i, w) for w in found if (i := text.find(w)) >= 0]
    if not at:
        return None
    start, word = min(at)
    lo = max(0, start - width // 3)
    hi = min(len(text), start + len(word) + width * 2 // 3)
    return ("…" if lo else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")
