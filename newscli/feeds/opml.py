"""OPML: subscriptions in and out.

Import takes every outline with an ``xmlUrl``, whatever its ``type``; the titles of the
outlines around it become its tags, as do the names in its ``category`` attribute. Export
writes each feed inside an outline named after its first tag and lists all its tags in
``category``, so importing the export gives back the same names, URLs and tags.
The XML parser resolves no entities and fetches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from newscli.feeds import FeedError


@dataclass
class Outline:
    url: str
    title: str = ""
    tags: list[str] = field(default_factory=list)


def read(data: bytes, label: str) -> list[Outline]:
    """The feeds of an OPML document (FeedError when it is not OPML)."""
    from lxml import etree

    from newscli.sanitize import clean_line, clean_url

    if b"<!ENTITY" in data[:65536].upper():
        raise FeedError(f"{label}: refused an OPML file that declares XML entities")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"{label}: not valid OPML ({' '.join(str(exc).split())})") from None
    if not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise FeedError(f"{label}: not an OPML file (the root element is not <opml>)")
    body = next((el for el in root if isinstance(el.tag, str) and el.tag.lower() == "body"),
                None)
    if body is None:
        raise FeedError(f"{label}: the OPML file has no <body>, so no feeds")
    found: list[Outline] = []

    def walk(element: etree._Element, folders: list[str]) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag.lower() != "outline":
                continue
            attrs = {k.lower(): v for k, v in child.attrib.items() if isinstance(k, str)}
            title = clean_line(attrs.get("text") or attrs.get("title") or "", 200)
            url = clean_url((attrs.get("xmlurl") or "").strip())
            if url:
                categories = [c.strip().strip("/") for c in attrs.get("category", "").split(",")]
                tags = [clean_line(t, 80) for t in [*folders, *categories]]
                found.append(Outline(url, title, list(dict.fromkeys(t for t in tags if t))))
            walk(child, [*folders, title] if title and not url else folders)

    walk(body, [])
    return found


def write(feeds: list[tuple[str, str, list[str], str]], title: str = "newscli feeds") -> str:
    """OPML 2.0 for (name, url, tags, home page) tuples."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
             f"  <head><title>{_text(title)}</title></head>", "  <body>"]
    folders: dict[str, list[str]] = {}
    loose: list[str] = []
    for name, url, tags, home in feeds:
        attrs = (f'type="rss" text={quoteattr(name)} title={quoteattr(name)} '
                 f"xmlUrl={quoteattr(url)}")
        if home:
            attrs += f" htmlUrl={quoteattr(home)}"
        if len(tags) > 1:
            attrs += f" category={quoteattr(','.join(tags[1:]))}"
        line = f"<outline {attrs}/>"
        if tags:
            folders.setdefault(tags[0], []).append(line)
        else:
            loose.append(line)
    lines += [f"    {line}" for line in loose]
    for folder, items in folders.items():
        lines.append(f"    <outline text={quoteattr(folder)} title={quoteattr(folder)}>")
        lines += [f"      {line}" for line in items]
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    from xml.sax.saxutils import escape

    return escape(value)
