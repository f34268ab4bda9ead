"""Cleaning a page's tree before and after the extractors: what no reader reads (scripts,
comments, share bars, newsletter boxes, captions and credits, edit links, citation marks)
is dropped, and inline markup is tidied so that the Markdown written from it is clean."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from newscli.extract.parse import LONG_SPACE, WORD

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Dropped before any conversion: never part of what a reader reads.
NEVER_CONTENT = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "button",
    "select",
    "input",
    "textarea",
    "link",
    "meta",
    "img",
    "picture",
    "figcaption",
)
# Also dropped from the whole-body conversion: page furniture.
FURNITURE = ("nav", "footer", "header", "aside", "form", "dialog", "menu")

# A class or id naming reader comments; dropped whatever their size.
COMMENTS = re.compile(
    r"(?:^|[\s_-])(?:comments?|commentlist|comment-?(?:list|area|section|thread|form|wrap\w*"
    r"|container|respond)|disqus\w*|respond|replies|reader-?responses?)(?:$|[\s_-])",
    re.IGNORECASE,
)
# A class or id naming furniture; dropped when it holds few words (so that a page whose
# wrapper happens to carry such a name keeps its article).
_SMALL_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:share\w*|social\w*|sociable|addthis\w*|sharethis|shareaholic|newsletter\w*"
    r"|subscri\w+|sign-?up|signup|promo\w*|wp-caption-text|caption\w*|credits?|photo-?credit"
    r"|image-?credit|copyright|getty|related\w*|recommended|more-?stories|outbrain|taboola"
    r"|mw-editsection|editsection|print-?link|email-?link|toolbar|tools|paywall|offer\w*"
    r"|pricing|advert\w*|ad-?container|sponsor\w*|breadcrumbs?|skip-?link|visually-?hidden"
    r"|sr-only|screen-?reader\w*)(?:$|[\s_-])",
    re.IGNORECASE,
)
_COMMENTS_ANCHOR = re.compile(r"^(?:comments?|responses|replies)$", re.IGNORECASE)
SHORT_TEXT = 30  # words: less is no article
_KEEP = {"html", "body", "article", "main"}
# Containers that hold nothing once their images are gone.
_EMPTYABLE = ("div", "p", "span", "a", "font", "center", "section", "figure")
_INLINE_MARKUP = {"b", "strong", "i", "em", "u", "a", "span", "font", "small", "big", "mark"}
_EMPHASIS = {"b", "strong", "i", "em", "u", "mark"}
_CITATION = re.compile(r"^\s*\[?\s*(?:\d{1,3}|[a-z]|note \d+|citation needed)\s*\]?\s*$", re.I)


def drop(root: HtmlElement, tags: Iterable[str]) -> None:
    wanted = set(tags)
    for el in [el for el in root.iter() if isinstance(el.tag, str) and el.tag in wanted]:
        if el.getparent() is not None:
            el.drop_tree()


def drop_hidden(root: HtmlElement) -> None:
    for el in root.xpath(
        "//*[@hidden or @aria-hidden='true' or contains(translate(@style,' ',''),'display:none')"
        " or contains(translate(@style,' ',''),'visibility:hidden')]"
    ):
        if el.getparent() is not None:
            el.drop_tree()


def drop_furniture(root: HtmlElement) -> None:
    """Reader comments, share bars, newsletter and subscription boxes, captions, credits,
    edit links and related-story boxes, by the names pages give them."""
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _KEEP:
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}".strip()
        if not names:
            continue
        if COMMENTS.search(names) and not re.search(r"commentary|no-?comments", names, re.I):
            doomed.append(el)
        elif _SMALL_FURNITURE.search(names) and _words(el) <= 40:
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None and not _holds_article(el):
            el.drop_tree()


def _words(el: HtmlElement) -> int:
    try:
        return len(WORD.findall(el.text_content()))
    except ValueError:
        return 0


def _holds_article(el: HtmlElement) -> bool:
    """True for an element that wraps the page's main heading or most of its paragraphs."""
    if el.find(".//h1") is not None or el.find(".//article") is not None:
        return True
    return len(el.findall(".//p")) >= 8


def drop_comment_threads(root: HtmlElement) -> None:
    """Comments written as siblings of the article (Movable Type, TypePad): the heading
    that anchors them (its id, or an anchor's in it, is "comments") and all after it, when
    something comes before it (not a "3 comments" link heading a post)."""
    for heading in root.xpath("//h1|//h2|//h3|//h4"):
        names = [heading.get("id")] + [a.get("id") or a.get("name") for a in heading.iter("a")]
        if heading.getparent() is None or not any(n and _COMMENTS_ANCHOR.match(n) for n in names):
            continue
        before = sum(_words(el) for el in heading.itersiblings(preceding=True))
        if before >= SHORT_TEXT:
            for after in list(heading.itersiblings()):
                after.drop_tree()
            heading.drop_tree()


def drop_empty(root: HtmlElement) -> None:
    """Containers left holding nothing (a picture's frame, once the picture is dropped),
    keeping the text that follows them. trafilatura loses text that follows an emptied
    block: a Blogger post's first paragraph, which comes right after its picture."""
    for el in reversed(list(root.iter(*_EMPTYABLE))):  # the innermost first
        if not len(el) and not (el.text or "").strip() and el.getparent() is not None:
            el.drop_tree()  # its tail stays


def drop_citations(root: HtmlElement) -> None:
    """A page's own reference marks (`[1]`, Wikipedia's `<sup class=reference>`), which
    would be read as newscli's link numbers."""
    for sup in list(root.iter("sup")):
        links = sup.findall(".//a")
        href = links[0].get("href", "") if links else ""
        cls = sup.get("class") or ""
        if ("reference" in cls or href.startswith("#") or "cite" in href) and _CITATION.match(
            sup.text_content()
        ):
            sup.drop_tree()


def collapse_whitespace(root: HtmlElement) -> None:
    """Runs of white space as one character, as a browser shows them (not inside <pre>).

    Besides being what a reader sees, this keeps readability's text-length regexes, which
    slow down sharply on long runs of blanks, fast."""
    keep = {"pre", "textarea", "code", "xmp", "listing", "plaintext"}
    skip: set[Any] = set()
    for el in root.iter(*keep):
        skip.update(el.iter())
    for el in root.iter():
        if el not in skip and el.text and LONG_SPACE.search(el.text):
            el.text = LONG_SPACE.sub(_one_space, el.text)
        if el.tail and LONG_SPACE.search(el.tail) and el.getparent() not in skip:
            el.tail = LONG_SPACE.sub(_one_space, el.tail)


def _one_space(match: re.Match[str]) -> str:
    return "\n" if "\n" in match.group() else " "


def tidy_inline(root: HtmlElement) -> None:
    """Inline markup that converts to clean Markdown: links and emphasis hold no leading or
    trailing blanks (`**word **` would show its stars), empty ones go, neighbours with the
    same target or style merge into one (one link, one reference), and emphasis that
    CommonMark could not close (punctuation against a letter) becomes plain text."""
    for el in list(root.iter("a")):
        href = (el.get("href") or "").strip()
        if href.lower().startswith(("javascript:", "data:", "vbscript:")):
            del el.attrib["href"]
    _merge_neighbours(root)
    for el in list(root.iter(*_EMPHASIS, "a")):
        if el.getparent() is None:
            continue
        if not el.text_content().strip():
            if el.tag in _EMPHASIS or not len(el):
                el.drop_tag()
            continue
        _push_blanks_out(el)
        if el.tag in _EMPHASIS and (_unclosable(el) or _inside_same(el)):
            el.drop_tag()


def _merge_neighbours(root: HtmlElement) -> None:
    for el in list(root.iter(*_EMPHASIS, "a")):
        parent = el.getparent()
        if parent is None:
            continue
        nxt = el.getnext()
        while (
            nxt is not None
            and nxt.tag == el.tag
            and not (el.tail or "").strip()
            and (el.tag != "a" or (nxt.get("href") or "") == (el.get("href") or ""))
        ):
            gap = el.tail or ""
            el.tail = None
            if len(el):
                el[-1].tail = (el[-1].tail or "") + gap + (nxt.text or "")
            else:
                el.text = (el.text or "") + gap + (nxt.text or "")
            for child in list(nxt):
                el.append(child)
            el.tail = nxt.tail
            parent.remove(nxt)
            nxt = el.getnext()


def _push_blanks_out(el: HtmlElement) -> None:
    text = el.text or ""
    if text and text[0].isspace():
        stripped = text.lstrip()
        lead = text[: len(text) - len(stripped)]
        el.text = stripped
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + lead
        else:
            parent = el.getparent()
            parent.text = (parent.text or "") + lead
    last = el[-1] if len(el) else None
    end = (last.tail if last is not None else el.text) or ""
    if end and end[-1].isspace():
        stripped = end.rstrip()
        trail = end[len(stripped) :]
        if last is not None:
            last.tail = stripped
        else:
            el.text = stripped
        el.tail = trail + (el.tail or "")


def _unclosable(el: HtmlElement) -> bool:
    inner = el.text_content()
    prev = _text_before(el)
    after = (el.tail or "")[:1]
    if inner and prev and not inner[0].isalnum() and prev[-1].isalnum():
        return True
    return bool(inner and after and not inner[-1].isalnum() and after.isalnum())


def _text_before(el: HtmlElement) -> str:
    prev = el.getprevious()
    if prev is not None:
        return prev.tail or ""
    parent = el.getparent()
    return (parent.text or "") if parent is not None else ""


def _inside_same(el: HtmlElement) -> bool:
    same = {"b": "bs", "strong": "bs", "i": "ie", "em": "ie"}.get(el.tag)
    parent = el.getparent()
    while parent is not None and same:
        if {"b": "bs", "strong": "bs", "i": "ie", "em": "ie"}.get(parent.tag) == same:
            return True
        parent = parent.getparent()
    return False
