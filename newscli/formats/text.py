"""Plain text, the hard case: pasted articles with no markup at all.

Rules (documented in the README):
- Paragraphs are separated by blank lines, or come one per line. Inside a blank-line
  block, line breaks are joined only where the block is hard-wrapped (most lines near one
  width of at most 120 columns, and the next line's first word would not have fitted).
- The first line is the headline only when it looks like one: at most 200 characters and
  30 words, not ending in . , ; or :, not opening with a quotation mark, and followed by
  more text.
- A line near the top that is only a date ("March 5, 2024", "Updated 10:30 AM") becomes
  the article's date; one that starts with "By " and is short becomes its byline.
- A later line is a section heading when it is short (at most 100 characters, 12 words),
  starts with a capital or digit, ends without sentence punctuation, is not a quotation
  or a list item, is followed by a longer paragraph, and reads like a heading (Title Case
  or ALL CAPS, or at most 8 words).
- "ALSO READ: …", "Read more: …", "Related: …" lines are related links, not body text.
- Markdown-like characters (*, #, [, >) are shown literally: nothing here is markup.
"""

from __future__ import annotations

import re

from newscli.dates import normalise_date
from newscli.model import Block, Heading, Meta, Paragraph, Span

_BYLINE = re.compile(r"^(?:by|written by|words by)\s+(?P<name>[^\d\W][^.!?]{1,80})$", re.I)
_DATE_WORDS = re.compile(
    r"^(?:(?:published|updated|posted|last\s+updated)(?:\s+on)?\s*:?\s*)?(?P<date>.{6,50})$",
    re.I,
)
_DATEISH = re.compile(r"\b(?:\d{4}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
_LIST_MARK = re.compile(r"^(?:[-*•–—+>#]|\d+[.)])(?:\s|$)")
_OPEN_QUOTES = "\"“‘'«„‚‹(["
_CLOSE_QUOTES = "\"”’'»›)]"
_NO_HEADING_END = ".,;:!"
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or over the to up via with vs".split()
)
_WORD = re.compile(r"[^\W_][\w’'\-.]*")
WRAP_MIN, WRAP_MAX = 40, 120
_SENTENCE_END = '.!?:"”’)'
_SENTENCE_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZ\"“‘'(0123456789"


def _wrapped_units(lines: list[str]) -> list[str]:
    """Units (paragraph candidates) from one blank-line-separated block. A line break is
    a soft wrap when the block is hard-wrapped (most lines near one width of 40 to 120
    columns) and the next line's first word would not have fitted. A break after a full
    sentence before a capital is a soft wrap only with strong evidence (3+ lines near width)."""
    if len(lines) < 2:
        return lines
    width = max(len(line) for line in lines)
    near = sum(1 for line in lines[:-1] if len(line) >= 0.7 * width)
    if not WRAP_MIN <= width <= WRAP_MAX or near < 0.7 * (len(lines) - 1):
        return lines
    strong = near >= 3
    units = [[lines[0]]]
    for line in lines[1:]:
        previous = units[-1][-1]
        first_word = line.split(maxsplit=1)[0]
        fits = len(previous) + 1 + len(first_word) <= width - 2
        sentence_break = previous[-1] in _SENTENCE_END and line[0] in _SENTENCE_START
        if fits or (sentence_break and not strong):
            units.append([line])
        else:
            units[-1].append(line)
    return [" ".join(unit) for unit in units]


def units(body: str) -> list[str]:
    """Split text into paragraph candidates."""
    blocks: list[list[str]] = [[]]
    for raw in body.split("\n"):
        line = " ".join(raw.split())
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [u for block in blocks for u in _wrapped_units(block) if u]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def date_line(text: str) -> str:
    """The ISO date of a line that is nothing but a date, else ''."""
    match = _DATE_WORDS.match(text)
    if not match or not _DATEISH.search(text) or len(_words(text)) > 9:
        return ""
    candidate = match.group("date")
    if sum(c.isalpha() for c in candidate) > 25:
        return ""
    return normalise_date(candidate.strip(" ,|·"))


def byline(text: str) -> str:
    match = _BYLINE.match(text)
    if not match or len(_words(text)) > 10:
        return ""
    return match.group("name").strip(" ,|·")


def _title_case(words: list[str]) -> bool:
    significant = [w for w in words[1:] if w.lower() not in _SMALL_WORDS and w[0].isalpha()]
    if not significant:
        return True
    capitals = sum(1 for w in significant if w[0].isupper())
    return capitals >= 0.6 * len(significant)


def looks_like_heading(text: str, following: str | None) -> bool:
    # Cheap tests first: nearly every unit is a long paragraph and fails the first line.
    if following is None or len(text) > 100 or text[-1] in _NO_HEADING_END:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if text[0] in _OPEN_QUOTES or text[-1] in _CLOSE_QUOTES:
        return False
    words = _words(text)
    if not words or len(words) > 12:
        return False
    if text.endswith("?") and len(words) < 2:
        return False
    if _LIST_MARK.match(text) or date_line(text) or byline(text):
        return False
    if len(following) < max(60, len(text)):
        return False
    return text.isupper() or _title_case(words) or len(words) <= 8


def looks_like_headline(text: str, rest: list[str]) -> bool:
    if not rest or len(text) > 200:
        return False
    words = _words(text)
    if not words or len(words) > 30:
        return False
    if text[-1] in ".,;:" or text[0] in _OPEN_QUOTES or _LIST_MARK.match(text):
        return False
    return not (date_line(text) or byline(text))


def parse(body: str) -> tuple[Meta, list[Block]]:
    """Plain text → (metadata found in the text, body blocks)."""
    meta = Meta()
    found = units(body)
    if found and looks_like_headline(found[0], found[1:]):
        meta.title = found.pop(0)
    # A short preamble of byline and date lines before the story proper.
    while found and len(found) > 1 and len(found[0]) <= 80:
        if not meta.byline and (name := byline(found[0])):
            meta.byline = name
        elif not meta.date and (day := date_line(found[0])):
            meta.date = day
        else:
            break
        found.pop(0)
    blocks: list[Block] = []
    for index, text in enumerate(found):
        following = found[index + 1] if index + 1 < len(found) else None
        if index > 0 and looks_like_heading(text, following):
            blocks.append(Heading(2, [Span(text)]))
        else:
            blocks.append(Paragraph([Span(text)]))
    return meta, blocks
