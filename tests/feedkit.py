"""Helpers for the feed tests: build small RSS documents, read what a store holds."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

from tests.conftest import REPO

FEEDS = REPO.parent / "shared" / "feeds"
RSS_TYPE = "application/rss+xml; charset=utf-8"
LONG_WORDS = " ".join(f"word{n}" for n in range(120))  # over the full-text threshold


def item(n: int, *, guid: str | None = None, link: str | None = None, title: str | None = None,
         body: str | None = None, date: str = "Tue, 01 Dec 2026 08:00:00 GMT") -> dict[str, str]:
    return {
        "title": f"Story number {n}" if title is None else title,
        "link": f"https://news.example/stories/{n}" if link is None else link,
        "guid": f"urn:story:{n}" if guid is None else guid,
        "description": f"<p>Story {n} says {LONG_WORDS}</p>" if body is None else body,
        "pubDate": date,
    }


def rss(items: list[dict[str, str]], *, title: str = "Test News", ttl: int | None = None,
        charset: str = "utf-8") -> bytes:
    parts = [f'<?xml version="1.0" encoding="{charset}"?>', '<rss version="2.0"><channel>',
             f"<title>{escape(title)}</title><link>https://news.example/</link>"]
    if ttl is not None:
        parts.append(f"<ttl>{ttl}</ttl>")
    for entry in items:
        parts.append("<item>")
        for key, value in entry.items():
            if value != "":
                parts.append(f"<{key}>{escape(value)}</{key}>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode(charset)


def articles(store: Path) -> list[str]:
    """Article files in the store, relative, sorted (the state folder left out)."""
    return sorted(p.relative_to(store).as_posix() for p in store.rglob("*.md")
                  if ".newscli" not in p.parts)


def feeds(run, store: Path) -> dict[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    result = run(store, "feed", "list", "--json")
    assert result.exit_code == 0, result.stderr
    return {f["name"]: f for f in json.loads(result.stdout)}


def front(path: Path) -> str:
    return path.read_text("utf-8").split("---\n")[1]
