"""Reading a fetched feed: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1 here.

feedparser is only ever given the bytes we fetched (as a stream, so it can neither fetch a URL
nor open a local file named by the body) and the response headers it needs for the encoding
and for resolving relative links. Nothing in the result has been cleaned yet: entries.py does
that as the text enters the model. A bad entry is skipped with a warning; the feed fails
(FeedError) only when it is not a feed at all or when every entry is bad.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from newscli.dates import normalise_date
from newscli.feeds import FeedError

# More than this many entries in one document: the newest are kept, with a warning.
MAX_ENTRIES = 1000
JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")
FEED_LINK_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json",
     "application/rdf+xml", "application/json"}
)  # fmt: skip
_TAG = re.compile(r"<[^>]*>")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


@dataclass
class ParsedEntry:
    id: str = ""
    link: str = ""
    title: str = ""
    author: str = ""
    date: str = ""  # ISO 8601 (published, else updated); "" when unknown
    updated: str = ""
    html: str = ""  # the body as HTML (plain text is escaped into paragraphs)
    tags: list[str] = field(default_factory=list)


@dataclass
class ParsedFeed:
    title: str = ""
    link: str = ""  # the site's home page
    kind: str = ""  # "rss20", "atom10", "json11"...
    ttl: int | None = None  # seconds the feed says it may be cached (RSS ttl, sy:update*)
    entries: list[ParsedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def sniff(body: bytes, content_type: str) -> str:
    """'json', 'xml' or 'html': what the body is, by its first bytes, then by its type
    (servers label feeds text/html or text/plain often enough)."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return "json"
    if b"<html" in head or head.startswith(b"<!doctype html"):
        return "html"
    if any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel")):
        return "xml"
    if content_type in ("application/feed+json", "application/json"):
        return "json"
    if content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    return "xml"


def parse_feed(body: bytes, *, url: str, content_type: str = "",
               headers: dict[str, str] | None = None) -> ParsedFeed:
    """The feed in ``body`` (fetched from ``url``); raises FeedError when it is none."""
    kind = sniff(body, content_type)
    if kind == "html":
        raise FeedError(f"not a feed: {url} is an HTML page")
    if kind == "json":
        return parse_json_feed(body, url=url)
    return _parse_xml(body, url=url, headers=headers or {})


def _parse_xml(body: bytes, *, url: str, headers: dict[str, str]) -> ParsedFeed:
    if _ENTITY_DECLARATION.search(body[:65536]):
        # Feeds have no use for entity declarations; they are how entity bombs are built.
        raise FeedError(f"refused a feed that declares XML entities: {url}")
    import io

    import feedparser

    response_headers = {"content-location": url}
    for name in ("content-type", "content-language"):
        if headers.get(name):
            response_headers[name] = headers[name]
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=response_headers,
                                  sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # feedparser's loose parser is hand-written; never let it out
        raise FeedError(f"could not read the feed ({type(exc).__name__}): {url}") from None
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f": {_one_line(str(reason))[:120]}" if reason else ""
        raise FeedError(f"not a feed (malformed XML{detail}): {url}")
    info = parsed.feed
    feed = ParsedFeed(title=_text(info.get("title", ""), info.get("title_detail")),
                      link=str(info.get("link", "") or ""), kind=str(parsed.get("version", "")))
    feed.ttl = _ttl(info)
    raw = list(parsed.entries)
    if len(raw) > MAX_ENTRIES:
        feed.warnings.append(f"{len(raw)} entries; only the first {MAX_ENTRIES} are read")
        raw = raw[:MAX_ENTRIES]
    for n, item in enumerate(raw, start=1):
        try:
            feed.entries.append(_xml_entry(item))
        except Exception as exc:  # a strange entry is skipped, the others are kept
            feed.warnings.append(f"entry {n} skipped ({type(exc).__name__})")
    _require_entries(feed, len(raw), url)
    return feed


def _xml_entry(item: Any) -> ParsedEntry:
    contents = [c for c in item.get("content", []) or [] if c.get("value")]
    best = max(contents, key=lambda c: len(c.get("value", "")), default=None)
    if best is not None:
        body = _as_html(str(best["value"]), str(best.get("type", "text/html")))
    else:
        detail = item.get("summary_detail") or {}
        body = _as_html(str(item.get("summary", "") or ""), str(detail.get("type", "text/html")))
    published = _struct_date(item.get("published_parsed")) or normalise_date(
        item.get("published", ""))
    # dict.get: feedparser's own get maps a missing "updated" to "published", with a warning
    updated = _struct_date(dict.get(item, "updated_parsed")) or normalise_date(
        dict.get(item, "updated", ""))
    entry = ParsedEntry(
        id=str(item.get("id", "") or "").strip(),
        link=str(item.get("link", "") or "").strip(),
        title=_text(item.get("title", ""), item.get("title_detail")),
        author=str(item.get("author", "") or ""),
        date=published or updated,
        updated=updated,
        html=body,
        tags=[str(t.get("term")) for t in item.get("tags", []) or [] if t.get("term")][:20],
    )
    if not (entry.id or entry.link or entry.title or entry.html.strip()):
        raise ValueError("empty entry")
    return entry


def parse_json_feed(body: bytes, *, url: str) -> ParsedFeed:
    """JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError):
        raise FeedError(f"not a feed (invalid JSON): {url}") from None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or version.rstrip("/") not in JSON_FEED_VERSIONS:
        raise FeedError(f"not a feed (JSON without a JSON Feed version): {url}")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError(f"not a feed (JSON Feed without items): {url}")
    feed = ParsedFeed(title=_str(data.get("title")), link=_str(data.get("home_page_url")),
                      kind="json" + version.rstrip("/").rsplit("/", 1)[-1].replace(".", ""))
    feed_author = _json_author(data)
    if len(items) > MAX_ENTRIES:
        feed.warnings.append(f"{len(items)} entries; only the first {MAX_ENTRIES} are read")
        items = items[:MAX_ENTRIES]
    for n, item in enumerate(items, start=1):
        entry = _json_entry(item, url, feed_author)
        if entry is None:
            feed.warnings.append(f"entry {n} skipped (not a JSON Feed item with an id)")
        else:
            feed.entries.append(entry)
    _require_entries(feed, len(items), url)
    return feed


def _json_entry(item: object, base: str, feed_author: str) -> ParsedEntry | None:
    if not isinstance(item, dict):
        return None
    raw_id = item.get("id")
    entry_id = str(raw_id).strip() if isinstance(raw_id, str | int) else ""
    link = _str(item.get("url")) or _str(item.get("external_url"))
    if not entry_id and not link:
        return None
    if _str(item.get("content_html")):
        body = _str(item.get("content_html"))
    elif _str(item.get("content_text")):
        body = _as_html(_str(item.get("content_text")), "text/plain")
    else:
        body = _as_html(_str(item.get("summary")), "text/plain")
    published = normalise_date(_str(item.get("date_published")))
    updated = normalise_date(_str(item.get("date_modified")))
    tags = item.get("tags")
    return ParsedEntry(
        id=entry_id,
        link=urljoin(base, link) if link else "",
        title=_str(item.get("title")),
        author=_json_author(item) or feed_author,
        date=published or updated,
        updated=updated,
        html=body,
        tags=[t for t in tags if isinstance(t, str)][:20] if isinstance(tags, list) else [],
    )


def _json_author(obj: dict[str, Any]) -> str:
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj.get("author")]
    names = [_str(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if n)


def _require_entries(feed: ParsedFeed, total: int, url: str) -> None:
    if total and not feed.entries:
        raise FeedError(f"every entry of the feed is unreadable ({total}): {url}")


def discover(page: bytes, base: str, charset: str | None = None) -> list[str]:
    """Feed URLs an HTML page announces with <link rel="alternate" type="...">, in order."""
    import lxml.html

    from newscli.textio import decode

    try:
        root = lxml.html.fromstring(decode(page, charset, html=True))
    except Exception:
        return []
    found: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_LINK_TYPES and href:
            target = urljoin(base, href)
            if target not in found:
                found.append(target)
    return found


# -- small helpers ---------------------------------------------------------------------------


def _as_html(value: str, kind: str) -> str:
    if "html" in kind or "xml" in kind:
        return value
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _text(value: object, detail: Any) -> str:
    """A title as plain text: tags dropped and entities decoded when it was HTML."""
    text = str(value or "")
    kind = str((detail or {}).get("type", "")) if isinstance(detail, dict) else ""
    if "html" in kind and "<" in text:
        text = html.unescape(_TAG.sub(" ", re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ",
                                                   text)))
    return text


def _str(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _struct_date(value: Any) -> str:
    try:
        stamp = dt.datetime(*value[:6]).replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return ""
    return normalise_date(stamp)


def _ttl(info: Any) -> int | None:
    """RSS <ttl> (minutes), else sy:updatePeriod / sy:updateFrequency, as seconds."""
    try:
        minutes = int(str(info.get("ttl", "")).strip())
        if minutes > 0:
            return minutes * 60
    except ValueError:
        pass
    period = {"hourly": 3600, "daily": 86400, "weekly": 604800, "monthly": 2592000,
              "yearly": 31536000}.get(str(info.get("sy_updateperiod", "")).strip().lower())
    if period is None:
        return None
    try:
        frequency = max(1, int(str(info.get("sy_updatefrequency", "1")).strip() or 1))
    except ValueError:
        frequency = 1
    return period // frequency


def _one_line(text: str) -> str:
    from newscli.sanitize import clean_line

    return clean_line(text, 300)
