"""A page's headline: the first declared title that is not the site's own, less the site's
name (in any script and in the forms sites use: "Story | Site", "Site: Story", "Story «
Site", "标题_网站"), or a blog post's own heading when the page is titled by the blog."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from newscli.extract.parse import host, norm, squash, text_of

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:/·»«›‹•]\s+|\s*[|·»«›‹•]\s*")
# A link to a site's or a blog's front page: "/", "https://host", "/blog/" (not a post's
# "/a-post-slug/", nor one marked rel=bookmark).
_FRONT_PAGE = re.compile(r"^(?:(?:https?:)?//[^/?#]+)?(?:/[^/?#\d-]*)?/?$", re.IGNORECASE)
_BLOG_ARCHIVE = re.compile(r"^blog archive\s*[»|:-]\s*", re.IGNORECASE)  # WordPress's
# hAtom's name for a post's own heading, and Blogger's and WordPress's: the headline of a
# blog post, whose <title> is often "Blog name: Post" and whose <h1> the blog's name.
_ENTRY_TITLE = " | ".join(
    f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    for name in ("entry-title", "post-title", "posttitle")
)
_SITE_TAIL = re.compile(r"\s*(?:\[[^\]\s]*\.[a-z]{2,6}\]|::[^:]{1,40}::)\s*$", re.IGNORECASE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def choose_title(
    tree: HtmlElement, metas: dict[str, list[str]], ld: dict[str, Any], site: str, url: str
) -> str:
    h1s, names = _headings(tree)
    entries = [t for t in (text_of(e) for e in tree.xpath(_ENTRY_TITLE)) if t]
    entry = entries[0] if len(entries) == 1 else ""  # several: a list of posts
    doc_title = text_of(tree.find(".//title"))
    candidates = [
        _ld_title(ld, doc_title),
        *metas.get("dc.title", ()),
        *metas.get("og:title", ()),
        *metas.get("twitter:title", ()),
        *metas.get("parsely-title", ()),
        *metas.get("sailthru.title", ()),
        *metas.get("headline", ()),
    ]
    # The first declared title that is not the site's own, in the order Readability.js
    # takes them, less the site's name; else the page's <title>; else its first <h1>.
    candidates = [c for c in candidates if c and not _is_site_title(c, site)]
    raw = candidates[0] if candidates else doc_title
    title = (_blog_post_title(raw, entry, [*h1s, *names], url)
             or _without_site(raw, site, [*h1s, entry] if entry else h1s, names))
    if h1s and (not title or _is_site_title(raw, site)):
        return h1s[0]
    return title


def _headings(tree: HtmlElement) -> tuple[list[str], list[str]]:
    """The page's <h1>s that may be its headline, and those that name the site: a
    masthead, whose whole text links to a front page or sits in a link (a logo)."""
    headlines: list[str] = []
    names: list[str] = []
    for h1 in list(tree.iter("h1"))[:5]:
        text = text_of(h1)
        if not text:
            continue
        links = h1.findall(".//a")
        front = len(links) == 1 and text_of(links[0]) == text and _links_home(links[0])
        logo = any(a.tag == "a" for a in h1.iterancestors())
        (names if front or logo else headlines).append(text)
    return headlines, names


def _links_home(a: HtmlElement) -> bool:
    href = a.get("href")
    return bool(href) and a.get("rel") != "bookmark" and bool(_FRONT_PAGE.match(href))


def _blog_post_title(title: str, entry: str, h1s: list[str], url: str | None) -> str:
    """A blog post's headline when the page title is "Blog name: Post" (the name being the
    page's <h1>, or the rest the post's hAtom entry title) or just the blog's name (the
    name of its host: "Bike Hugger" on bikehugger.com); else ''."""
    name, colon, rest = squash(title).partition(": ")  # "Title : Site" is another form
    if colon and not name.endswith(" ") and rest:
        if norm(rest) == norm(entry) or norm(name) in map(norm, h1s):
            return rest
    label = host(url or "").removeprefix("www.").split(".")[0]
    if entry and label and re.sub(r"\W", "", title.casefold()) == label.replace("-", ""):
        return entry
    return ""


def _ld_title(ld: dict[str, Any], doc_title: str) -> str:
    """JSON-LD's headline or name: the one closer to the page's <title> when they differ
    (a site may name itself in "name", or summarise in "headline"), else the name."""
    headline, name = ld.get("headline", ""), ld.get("name", "")
    if headline and name and headline != name:
        return headline if _similar(headline, doc_title) > _similar(name, doc_title) else name
    return name or headline


def _similar(a: str, b: str) -> float:
    """Word overlap of two titles (Jaccard)."""
    x, y = set(re.findall(r"\w+", a.casefold())), set(re.findall(r"\w+", b.casefold()))
    return len(x & y) / len(x | y) if x | y else 0.0


def _is_site_title(title: str, site: str) -> bool:
    """"Yahoo News - Latest News & Headlines" on a page of the site "Yahoo News"."""
    key = norm(site)
    return bool(key) and (norm(title) == key or norm(title).startswith(key + " "))


def _without_site(title: str, site: str, h1s: list[str], names: list[str]) -> str:
    """A page title less a site name before or after it ("Story | Site", "Site - Story",
    "Story [Site.net]", "标题_栏目_网站", "Story :: Site ::")."""
    title = _SITE_TAIL.sub("", squash(title)) or squash(title)
    if _CJK.search(title) and "_" in title:
        parts = title.split("_")
        while len(parts) > 1 and len(parts[-1]) <= 8 and len("_".join(parts[:-1])) >= 8:
            parts.pop()
        title = "_".join(parts)
    sep = f"(?:{_TITLE_SEPARATOR.pattern})"
    for words in (n.split() for n in (site, *names)):  # the site's or its masthead's name
        if not words:
            continue
        name = r"\s*".join(map(re.escape, words))  # "BBC News" or "BBCNews"
        found = re.match(rf"{name}{sep}(.+)$|(.+?){sep}{name}$", title, re.IGNORECASE)
        if found:
            title = _BLOG_ARCHIVE.sub("", squash(found.group(1) or found.group(2)))
            break
    return _headline_part(title, h1s)


def _headline_part(title: str, h1s: list[str]) -> str:
    """The part of a title of several that is a heading on the page, or all but a short
    last part behind a strong separator (the name of a site not otherwise known)."""
    norm_h1s = {norm(h) for h in h1s}
    if norm(title) in norm_h1s:
        return title
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    # A run of parts that is exactly a heading on the page is the headline.
    for start in range(len(parts)):
        for end in range(len(parts), start, -1):
            if (start, end) == (0, len(parts)):
                continue
            piece = _join_parts(title, parts, start, end)
            if norm(piece) in norm_h1s:
                return piece
    # A short last part behind a strong separator is taken as the site's name.
    last = parts[-1]
    if re.search(r"\s[|–—«»]\s|\s-\s|\s//\s", title) and len(last.split()) <= 4:
        head = _join_parts(title, parts, 0, len(parts) - 1)
        if len(head.split()) >= 3:
            return head
    return title


def _join_parts(title: str, parts: list[str], start: int, end: int) -> str:
    """The stretch of `title` covering parts[start:end], separators included."""
    pos = 0
    spans = []
    for part in parts:
        at = title.find(part, pos)
        spans.append((at, at + len(part)))
        pos = at + len(part)
    return title[spans[start][0] : spans[end - 1][1]].strip()
