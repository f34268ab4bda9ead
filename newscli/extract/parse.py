"""Parsing a page into an lxml tree, and small text and URL helpers shared by the others."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from newscli.sanitize import clean

if TYPE_CHECKING:
    from lxml.html import HtmlElement

WORD = re.compile(r"\w+")
LONG_SPACE = re.compile(r"[ \t\n\r\f]{2,}")
_DEEP_TAGS = re.compile(
    r"</?(?:div|span|section|article|main|font|center|b|i|em|strong|u|small|big|blockquote"
    r"|ul|ol|li|dl|dd|dt|table|thead|tbody|tfoot|tr|td|th)\b[^>]*>",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def parse(html: str) -> HtmlElement | None:
    """The page as an lxml tree, or None for an empty or unreadable document."""
    import lxml.etree
    import lxml.html

    # Character references to controls become the characters themselves, so that the one
    # sanitizer removes them (and any escape sequence they spell) before lxml sees them.
    html = clean(_CHAR_REF.sub(_char_ref, _XML_DECLARATION.sub("", html or "", count=1)))
    if not html.strip():
        return None
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return None
    if any("depth" in e.message.lower() for e in parser.error_log):
        # libxml2 stops nesting at a fixed depth and drops what lies below; the layout
        # containers are what nest that deep, so parse again without them.
        flat = LONG_SPACE.sub("\n", _DEEP_TAGS.sub("\n", html))
        try:
            tree = lxml.html.document_fromstring(flat, parser=parser)
        except (lxml.etree.LxmlError, ValueError):
            return None
    return tree


def _char_ref(match: re.Match[str]) -> str:
    """A numeric character reference to a control character, resolved as browsers do:
    128–159 are windows-1252 (`&#150;` is an en dash), other controls the character itself.
    Every other reference is left for lxml."""
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if 0x80 <= code <= 0x9F:
        try:
            return bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            return chr(code)
    if code < 0x20 or code == 0x7F:
        return chr(code)
    return match.group(0)


def text_of(el: HtmlElement | None) -> str:
    if el is None:
        return ""
    try:
        return squash(el.text_content())
    except ValueError:
        return ""


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def host(url: str) -> str:
    try:
        name = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return name.removeprefix("www.")


def http_url(candidate: str, base: str | None) -> str:
    """`candidate` resolved against `base`, if that gives an http(s) URL; else ''."""
    candidate = candidate.strip()
    if not candidate:
        return ""
    try:
        resolved = urljoin(base or "", candidate)
        parts = urlsplit(resolved)
    except ValueError:
        return ""
    return resolved if parts.scheme in ("http", "https") and parts.netloc else ""


def base_url(tree: HtmlElement, url: str | None) -> str | None:
    for href in tree.xpath("//base/@href"):
        resolved = http_url(str(href), url)
        if resolved:
            return resolved
    return url
