"""Feed entries → the one Article model, and the identity that says two entries are one.

Identity, per entry of one fetched document: its id/guid when it has one that no other entry
of the document shares; else its canonical link, when unique; else its title and date; else a
fingerprint of its text. So a feed whose guids are blank or repeated gets a better key
without being told. Across updates, an entry whose id changed is still recognised by its
canonical link (see update.py).

Text enters the model here, and only through sanitize: titles with clean_line, links with
clean_url, bodies as HTML with scripts, frames and the like dropped, then Markdown → blocks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter

from newscli.feeds.parse import ParsedEntry
from newscli.model import Article, Meta, Paragraph, spans_text

MAX_ENTRY_HTML = 2 * 1024 * 1024  # characters of one entry's body that are read
# An entry with fewer words than this is a teaser: with --full-text auto its page is
# fetched. Measured on ../shared/feeds by bench/feed_text_lengths.py: the news teasers have
# at most 54 words, the full-text blog's shortest post 77; this is about halfway.
FULL_TEXT_MIN_WORDS = 65
_DROPPED = ("script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
            "embed", "applet", "svg", "math", "canvas", "form", "input", "button", "select",
            "textarea", "link", "meta", "base")
_ELEMENT_WITH_TEXT = re.compile(r"(?is)<(script|style|iframe|noscript|template|textarea)\b.*?"
                                r"(?:</\1\s*>|$)")
_ANY_TAG = re.compile(r"</?[a-zA-Z!][^<>]*>?")


def plain(text: str) -> str:
    """A title or a name as plain text: elements such as <script> dropped whole, other tags
    removed (feeds put markup in titles; a title is never markup in newscli)."""
    if "<" not in text:
        return text
    text = _ELEMENT_WITH_TEXT.sub(" ", text)
    return _ANY_TAG.sub(" ", text)


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()


def identity_keys(entries: list[ParsedEntry]) -> list[str]:
    """One key per entry (equal keys mean the document repeats the same entry)."""
    from newscli.urls import canonical_url

    ids = Counter(e.id for e in entries if e.id)
    links = Counter(canonical_url(e.link) for e in entries if e.link)
    keys: list[str] = []
    for entry in entries:
        link = canonical_url(entry.link) if entry.link else ""
        if entry.id and ids[entry.id] == 1:
            keys.append(f"id:{entry.id}")
        elif link and links[link] == 1:
            keys.append(f"url:{link}")
        elif entry.title.strip() and entry.date:
            keys.append(f"td:{_digest(entry.title.strip(), entry.date)}")
        else:
            keys.append(f"text:{_digest(entry.title, entry.link, entry.html)}")
    return keys


def signature(entry: ParsedEntry) -> str:
    """What the feed says of the entry; a different signature later means it was updated."""
    return _digest(entry.title, entry.link, entry.updated, entry.html)


def safe_fragment(fragment: str) -> str:
    """An entry's HTML without scripts, frames, forms, styles or script links."""
    fragment = fragment[:MAX_ENTRY_HTML]
    if "<" not in fragment:
        return fragment
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return ""
    for element in list(root.iter(*_DROPPED)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        for name in list(element.attrib):
            value = element.attrib[name].strip().lower()
            if name.lower().startswith("on") or value.startswith(
                    ("javascript:", "data:", "vbscript:")):
                del element.attrib[name]
    return str(lxml.html.tostring(root, encoding="unicode"))


def body_blocks(fragment: str, base: str) -> list:  # type: ignore[type-arg]
    from newscli.extract import html_to_markdown
    from newscli.formats import markdown
    from newscli.sanitize import clean

    _h1, blocks = markdown.parse(clean(html_to_markdown(safe_fragment(fragment), base)))
    return blocks


def to_article(entry: ParsedEntry, *, key: str, feed_url: str, feed_title: str,
               tags: list[str], now: dt.datetime) -> Article:
    """The article for an entry, its text from the feed."""
    from newscli.formats.common import derive_title
    from newscli.sanitize import clean_line, clean_url

    link = clean_url(entry.link) or ""
    blocks = body_blocks(entry.html, link or feed_url)
    title = clean_line(plain(entry.title))
    if not title:
        lead = next((spans_text(b.spans) for b in blocks if isinstance(b, Paragraph)), "")
        title = derive_title(lead) if lead.strip() else "Untitled"
    entry_tags = [clean_line(t, 80) for t in [*tags, *entry.tags]]
    meta = Meta(
        title=title,
        byline=clean_line(plain(entry.author)),
        date=entry.date,
        source=clean_line(plain(feed_title)),
        url=link,
        tags=list(dict.fromkeys(t for t in entry_tags if t))[:20],
        extra={
            "feed": clean_url(feed_url) or "",
            "entry_id": clean_line(entry.id or key, 300),
            "text_source": "feed",
            "added": now.isoformat(timespec="seconds"),
        },
    )
    return Article(meta=meta, blocks=blocks)


def with_page_text(article: Article, page: Article) -> Article:
    """The entry's article with the page's body (and byline, if the feed had none)."""
    meta = article.meta
    meta.extra = {**meta.extra, "text_source": "page"}
    if not meta.byline:
        meta.byline = page.meta.byline
    if not meta.date:
        meta.date = page.meta.date
    return Article(meta=meta, blocks=page.blocks, related=page.related)
