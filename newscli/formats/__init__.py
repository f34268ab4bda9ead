"""Every input format converts into the one `Article` model here.

A registry by file suffix; each format module parses a body into (metadata hints, blocks).
Front matter, related-story trailers, titles and sanitising are handled once, here.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newscli.model import Article, Meta

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
SUFFIXES = frozenset(FORMATS)
# Bump when parsing changes what the catalog would hold: every article is then re-read.
PARSER_VERSION = 7


def format_for(path: str | PurePath) -> str | None:
    return FORMATS.get(PurePath(path).suffix.lower())


def _merge(primary: Meta, fallback: Meta) -> Meta:
    """Fields of `primary`, with its empty ones filled from `fallback`."""
    from dataclasses import fields

    from newscli.model import Meta

    merged = Meta()
    for f in fields(Meta):
        value = getattr(primary, f.name) or getattr(fallback, f.name)
        setattr(merged, f.name, value)
    return merged


def parse(text: str, kind: str, *, url: str | None = None) -> Article:
    """Decoded file text of the given kind ('text', 'markdown', 'html') → Article."""
    from urllib.parse import urlsplit

    from newscli.formats import common, frontmatter, html, markdown
    from newscli.formats import text as plain
    from newscli.model import Article, Meta, Paragraph, spans_text
    from newscli.sanitize import clean

    text = clean(text)
    warnings: list[str] = []
    declared = Meta()
    if kind in ("text", "markdown"):
        yaml_text, text = frontmatter.split(text)
        if yaml_text is None and (unclosed := frontmatter.split_unclosed(text)):
            yaml_text, text = unclosed
            warnings.append("front matter is never closed (no --- line after it); its "
                            "field lines are read, the rest is the text")
        if yaml_text is not None:
            declared, problems = frontmatter.parse(yaml_text)
            warnings += problems
    if kind == "html":
        hints, blocks = html.parse(text, url)
    elif kind == "markdown":
        hints = Meta()
        hints.title, blocks = markdown.parse(text)
    else:
        hints, blocks = plain.parse(text)
    meta = _merge(declared, hints)
    blocks, related = common.split_trailers(blocks)
    if not meta.title:
        lead = next((spans_text(b.spans) for b in blocks if isinstance(b, Paragraph)), "")
        meta.title = common.derive_title(lead) if lead.strip() else ""
    if not meta.source and meta.url:
        meta.source = urlsplit(meta.url).hostname or ""
        meta.source = meta.source.removeprefix("www.")
    return Article(meta=meta, blocks=blocks, related=related, warnings=warnings)


def humanise_name(path: str | PurePath) -> str:
    """A title from a file name, for articles with no words at all."""
    return PurePath(path).stem.replace("-", " ").replace("_", " ").strip() or "Untitled"
