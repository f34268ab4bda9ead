"""Saved HTML pages: main text and metadata extracted, body converted with html2text."""

from __future__ import annotations

from newscli.formats import markdown
from newscli.model import Block, Meta
from newscli.sanitize import clean, clean_line, clean_url


def parse(page: str, url: str | None = None) -> tuple[Meta, list[Block]]:
    """HTML → (metadata from the page, body blocks)."""
    from newscli.extract import extract

    found = extract(page, url)
    meta = Meta(
        title=clean_line(found.title),
        byline=clean_line(found.byline),
        date=found.date,
        source=clean_line(found.site),
        url=clean_url(found.url) or "",
        tags=[clean_line(t, 80) for t in found.tags if clean_line(t, 80)],
        language=clean_line(found.language, 20),
    )
    h1, blocks = markdown.parse(clean(found.markdown))
    if not meta.title:
        meta.title = h1
    return meta, blocks
