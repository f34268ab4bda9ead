"""Rules every format shares: related-story trailers and titles for headline-less articles."""

from __future__ import annotations

import re

from newscli.model import Block, Link, Paragraph, Span, spans_text
from newscli.sanitize import clean_url

# "ALSO READ: …", "Read more: …", "Related: …" and their kin, with the label kept.
TRAILER = re.compile(
    r"""^\s*(?P<label>also\s+read|read\s+also|read\s+more|more\s+to\s+read|related(?:\s+(?:stories|
    articles|content|coverage|reading|links?))?|see\s+also|also\s+see|also\s+on\s+\S+|
    you\s+(?:may|might)\s+also\s+like|further\s+reading|more\s+on\s+this(?:\s+story)?|
    recommended(?:\s+reading)?)\s*(?:[:：|]|\s[-–—]|—|–)\s*(?P<text>\S.*)$""",
    re.I | re.X,
)
TRAILER_LABEL = re.compile(
    r"^\s*(also\s+read|read\s+also|read\s+more|related(\s+(stories|articles))?|see\s+also)"
    r"\s*:?\s*$",
    re.I,
)
_URL = re.compile(r"https?://\S+")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof gen gov sen rep col lt sgt inc co corp ltd vs etc no"
    " jan feb mar apr jun jul aug sep sept oct nov dec fig approx dept est".split()
)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9À-Þ])")
_CLAUSE = re.compile(r",\s|;\s|\s[—–-]\s|:\s")
TITLE_MAX = 90


def _label(text: str) -> str:
    words = " ".join(text.split()).lower()
    return words[:1].upper() + words[1:]


def trailer_link(text: str) -> Link | None:
    """'ALSO READ: Some headline' → Link; None for ordinary text."""
    match = TRAILER.match(text)
    if not match or len(text) > 400:
        return None
    rest = match.group("text").strip()
    url = None
    found = _URL.search(rest)
    if found:
        url = clean_url(found.group(0).rstrip(".,;)"))
        rest = (rest[: found.start()] + rest[found.end() :]).strip(" -–—|:") or rest
    return Link(text=rest, url=url, label=_label(match.group("label")))


def span_trailer(spans: list[Span]) -> Link | None:
    """A paragraph (with inline links) that is a trailer: 'Read more: [Headline](url)'."""
    link = trailer_link(spans_text(spans))
    if link is None:
        return None
    hrefs = [s for s in spans if s.href]
    if len(hrefs) == 1 and link.url is None:
        return Link(text=link.text, url=hrefs[0].href, label=link.label)
    return link


def split_trailers(blocks: list[Block]) -> tuple[list[Block], list[Link]]:
    """Move trailer paragraphs out of the body. A bare label paragraph ('ALSO READ') takes
    the paragraph that follows it as its link."""
    body: list[Block] = []
    related: list[Link] = []
    pending_label: str | None = None
    for block in blocks:
        if isinstance(block, Paragraph):
            text = spans_text(block.spans)
            if pending_label is not None:
                hrefs = [s.href for s in block.spans if s.href]
                related.append(Link(text, hrefs[0] if hrefs else None, pending_label))
                pending_label = None
                continue
            link = span_trailer(block.spans)
            if link is not None:
                related.append(link)
                continue
            if TRAILER_LABEL.match(text):
                pending_label = _label(text.strip().rstrip(":"))
                continue
        elif pending_label is not None:
            body.append(Paragraph([Span(pending_label)]))
            pending_label = None
        body.append(block)
    if pending_label is not None:
        body.append(Paragraph([Span(pending_label)]))
    return body, related


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph, not fooled by 'U.S.', 'Mr.' or initials."""
    for match in _SENTENCE_END.finditer(text):
        before = text[: match.start() + 1].split()[-1].rstrip(".!?…").lower()
        if text[match.start()] == "." and (
            len(before) <= 1 or "." in before or before in _ABBREVIATIONS
        ):
            continue
        return text[: match.start() + 1].strip()
    return text.strip()


def derive_title(lead: str) -> str:
    """A readable title for an article that has none: its lead sentence, shortened.

    Rule: the first sentence of the first paragraph, without its final full stop. If that is
    longer than 90 characters, it is cut at the last clause break (comma, semicolon, colon
    or dash) between characters 30 and 90, else at the last word boundary before 80, and
    '…' is added. Never longer than 91 characters.
    """
    sentence = first_sentence(" ".join(lead.split()))
    if len(sentence) <= TITLE_MAX:
        return sentence.rstrip(".").rstrip() if not sentence.endswith("..") else sentence
    cuts = [m.start() for m in _CLAUSE.finditer(sentence, 0, TITLE_MAX + 1) if m.start() >= 30]
    cut = cuts[-1] if cuts else sentence.rfind(" ", 0, 80)
    if cut <= 0:
        cut = 80
    return sentence[:cut].rstrip(" ,;:—–-") + "…"
