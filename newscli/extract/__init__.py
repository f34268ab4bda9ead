"""Main content and metadata of an HTML page, as Markdown plus a few fields.

Pure: no file or network I/O. The heavy imports (lxml, readability-lxml, trafilatura,
jusText, html2text, dateutil) happen inside the functions, so importing this package costs
next to nothing.

- `parse`: the page as an lxml tree; text and URL helpers.
- `meta`: title, byline, date, site, canonical URL, language, description, tags.
- `titles`: the headline among the page's declared titles, less the site's name.
- `clean`: what no reader reads, dropped from the tree; inline markup tidied.
- `body`: the main text, from the agreement of trafilatura, readability-lxml and jusText.
- `convert`: HTML → clean Markdown (tables kept as tables, no emphasis residue).

Nothing raised by a parser escapes: a page that cannot be read yields what could be read,
possibly an empty `markdown`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from newscli.extract.convert import html_to_markdown
from newscli.extract.meta import Extracted, byline_element
from newscli.extract.meta import metadata as _metadata
from newscli.extract.parse import base_url, count_words, host, norm, parse

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["Extracted", "extract", "finished", "html_to_markdown", "metadata"]

# Fewer words than this from the main-content extractor and the whole body is used instead.
MIN_WORDS = 25


def extract(html: str, url: str | None = None, *, main_content: bool = True) -> Extracted:
    """Metadata and body of an HTML page.

    With `main_content` the article is found and the page's furniture (menus, share bars,
    related stories, comments) left out; if that yields fewer than `MIN_WORDS` words, or
    without `main_content`, the whole `<body>` is converted, less scripts, navigation,
    headers, footers, asides and forms.
    """
    from newscli.extract.body import main_markdown, prepare, whole_body_markdown

    tree = parse(html)
    if tree is None:
        return Extracted(url=url or "", site=host(url or ""))
    meta = _metadata(tree, url)
    base = base_url(tree, url)

    markdown = ""
    if main_content:
        found = byline_element(tree)
        prepare(tree, found[0] if found else None)
        markdown = main_markdown(tree, base, meta.language)  # consumes the tree

    def whole() -> str:
        fresh = parse(html) if main_content else tree
        return whole_body_markdown(fresh, base) if fresh is not None else ""

    meta.markdown = finished(markdown, whole, meta.title)
    return meta


def finished(markdown: str, whole: Callable[[], str], title: str) -> str:
    """The body as shown: the whole page's (`whole()`) when the article found has fewer
    than MIN_WORDS words and the page more, less what the header already shows."""
    if count_words(markdown) < MIN_WORDS:
        text = whole()
        if count_words(text) > count_words(markdown):
            markdown = text
    return _drop_repeats(markdown, title)


def metadata(html_or_tree: str | HtmlElement, url: str | None = None) -> Extracted:
    """Title, byline, date, site, canonical url, language, description and tags of a page,
    from an HTML string or an already parsed lxml tree (which is not changed)."""
    tree = parse(html_or_tree) if isinstance(html_or_tree, str) else html_or_tree
    if tree is None:
        return Extracted(url=url or "", site=host(url or ""))
    return _metadata(tree, url)


_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_DATE_LINE = re.compile(
    r"^(?:(?:published|posted|updated|last updated|on)[:\s]+)?"
    r"(?:\w+day,?\s+)?(?:\d{1,2}\s+\w+\.?,?\s+\d{4}|\w+\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})(?:\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
    r"(?:\s+[A-Z]{2,5})?)?\.?$",
    re.IGNORECASE,
)


def _drop_repeats(markdown: str, title: str) -> str:
    """The body less what the header already shows: the headline as its first line, and a
    bare date line among the first blocks."""
    blocks = markdown.split("\n\n")
    for i, block in enumerate(blocks[:3]):
        plain = _plain(block)
        if title and i == 0 and norm(plain) == norm(title) and "\n" not in block.strip():
            blocks[i] = ""
        elif _DATE_LINE.match(plain):
            blocks[i] = ""
    return "\n\n".join(b for b in blocks if b).lstrip("\n")


def _plain(block: str) -> str:
    match = _HEADING.match(block.strip())
    text = match.group(1) if match else block.strip()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("\\", "")
    return " ".join(text.strip("*_ ").split())
