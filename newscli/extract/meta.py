"""Metadata of a page: title, byline, date, site, canonical URL, language, description and
tags, from JSON-LD, OpenGraph and other `<meta>` tags, `<time>`, visible bylines, `<title>`
and `<h1>`."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newscli.dates import normalise_date
from newscli.extract.parse import base_url, host, http_url, norm, squash, text_of
from newscli.extract.titles import choose_title

if TYPE_CHECKING:
    from lxml.html import HtmlElement


@dataclass
class Extracted:
    title: str = ""
    byline: str = ""  # "Jane Doe, John Roe"; no leading "By "
    date: str = ""  # ISO 8601: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS+00:00"; "" if unknown
    site: str = ""  # og:site_name / JSON-LD publisher / application-name, else the host
    url: str = ""  # canonical url resolved against the page's base, else the given url
    language: str = ""  # "en", "pt-BR", ...
    description: str = ""
    tags: list[str] = field(default_factory=list)
    markdown: str = ""  # the main body as Markdown


_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "scholarlyarticle",
    "techarticle",
    "report",
}
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|reported|words|story)\s+)?(?:by|von|par|por|di|door)\b[:\s]*",
    re.IGNORECASE,
)
_BYLINE_HINT = re.compile(r"byline|author(?!i[sz]|ity)|writtenby|dateline", re.IGNORECASE)
# Elements that could carry a byline hint; `_BYLINE_HINT` and friends then decide.
_BYLINE_XPATH = ".//*[@class or @id or @rel or @itemprop]"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A date or time stamp that trails a visible byline ("Jane Doe March 5, 2024").
_TRAILING_STAMP = re.compile(
    rf"\s*(?:\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}(?:\s|\d|$)"
    r"|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b|\b(?:last\s+)?(?:updated|published|posted)\b).*$",
    re.IGNORECASE,
)
_NOT_BYLINE_HINT = re.compile(r"comment|avatar|bio\b|authors?-(?:bio|desc)|about", re.IGNORECASE)
_GLUED_NUMBER = re.compile(r"(?<=[^\W\d_]{2})\d.*$")
_ROLES = {
    "editor", "reporter", "correspondent", "writer", "contributor", "columnist", "producer",
    "journalist", "analyst", "critic", "staff", "photographer", "blogger",
    "editor-in-chief", "editor-at-large", "intern", "director", "chief",
}
_ROLE_QUALIFIERS = {
    "senior", "games", "tech", "technology", "news", "sports", "sport", "political",
    "politics", "contributing", "managing", "executive", "deputy", "associate", "business",
    "science", "health", "entertainment", "music", "film", "foreign", "national", "local",
    "digital", "features", "opinion", "culture", "travel", "food", "style", "fashion",
    "legal", "economics", "markets", "data", "investigative", "special", "regional",
    "global", "world", "international", "energy", "climate", "environment", "education",
    "white", "house", "staff", "assistant", "general", "chief", "lead", "principal",
}
_URLISH = re.compile(r"^(?:https?:|www\.|//)|://|^@", re.IGNORECASE)


def metadata(tree: HtmlElement, url: str | None) -> Extracted:
    """The metadata of a parsed page (which is not changed)."""
    try:
        return _metadata(tree, url)
    except Exception:  # a malformed page must not stop an import; keep what is certain
        return Extracted(url=url or "", site=host(url or ""))


def _metadata(tree: HtmlElement, url: str | None) -> Extracted:
    base = base_url(tree, url)
    metas = _meta_tags(tree)
    ld = _json_ld(tree)

    def first(*keys: str) -> str:
        for key in keys:
            for value in metas.get(key, ()):
                if value:
                    return value
        return ""

    site = (
        first("og:site_name")
        or ld.get("website", "")
        or ld.get("publisher", "")
        or first("application-name", "al:android:app_name", "al:ios:app_name", "twitter:site")
    )
    if site.startswith("@"):
        site = ""
    canonical = ""
    for href in tree.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
    ):
        canonical = http_url(str(href), base)
        if canonical:
            break
    canonical = canonical or http_url(first("og:url"), base) or http_url(ld.get("url", ""), base)
    page_url = canonical or (url or "")
    site = site or host(url or "") or host(page_url)

    title = choose_title(tree, metas, ld, site, page_url)
    byline = _choose_byline(tree, metas, ld)
    date = _choose_date(tree, metas, ld)
    language = (
        squash(tree.get("lang") or tree.get("xml:lang"))
        or first("content-language", "dc.language", "language")
        or ld.get("language", "")
        or first("og:locale")
    ).replace("_", "-")
    description = first("og:description", "description", "dc.description", "twitter:description")
    description = description or ld.get("description", "")

    tags: list[str] = []
    seen: set[str] = set()
    keywords = list(ld.get("keywords_list", []))
    raw_tags = list(metas.get("article:tag", ())) + (keywords if len(keywords) <= 12 else [])
    if not raw_tags:
        links = tree.xpath("//a[contains(concat(' ', @rel, ' '), ' tag ')]")
        raw_tags = [text_of(a) for a in links]
    for tag in raw_tags:
        for part in _split_list(tag) if "," in tag else [squash(tag)]:
            part = squash(html.unescape(html.unescape(part)))
            key = part.casefold()
            if _is_tag(part, title) and key not in seen:
                seen.add(key)
                tags.append(part)
    if len(tags) > 15:  # a keyword list, not the article's tags
        tags = []

    return Extracted(
        title=title,
        byline=byline,
        date=date,
        site=squash(site),
        url=page_url,
        language=language[:35],
        description=squash(description),
        tags=tags,
    )


def _is_tag(tag: str, title: str) -> bool:
    """A tag a person would pick: a few words, not an id, not the headline."""
    return (
        0 < len(tag) <= 40
        and len(tag.split()) <= 4
        and not re.search(r"\d{4,}|[_=/]|^\W|\w-\d", tag)
        and norm(tag) != norm(title)
    )


def _meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """Every `<meta>` by lower-cased name/property/itemprop/http-equiv → contents, those
    given by property= first (Open Graph's own attribute), then in page order. A property
    attribute may name several properties separated by spaces."""
    found: dict[str, list[str]] = {}
    later: list[tuple[str, str]] = []  # named by name=…, after those by property=…
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        content = squash(content)
        for attr in ("property", "name", "itemprop", "http-equiv"):
            for name in (meta.get(attr) or "").lower().split():
                name = name.replace("dcterms.", "dc.").replace("dc:", "dc.")
                if attr == "property":
                    found.setdefault(name, []).append(content)
                else:
                    later.append((name, content))
    for name, content in later:
        found.setdefault(name, []).append(content)
    return found


def _json_ld(tree: HtmlElement) -> dict[str, Any]:
    """The fields newscli wants from the page's JSON-LD article object, as plain strings."""
    nodes: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$", "", raw)
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        nodes.extend(_ld_nodes(data, 0))
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}

    def resolve(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"@id"}:
            return by_id.get(value["@id"], value)
        return value

    article = next((n for n in nodes if _ld_types(n) & _ARTICLE_TYPES), None)
    out: dict[str, Any] = {}
    website = next((n for n in nodes if "website" in _ld_types(n)), None)
    if website is not None:
        out["website"] = _ld_name(website)
    if article is None:
        return out

    out["headline"] = _ld_text(article.get("headline"))
    out["name"] = _ld_text(article.get("name"))
    authors = article.get("author") or article.get("creator")
    names = [_ld_name(resolve(a)) for a in (authors if isinstance(authors, list) else [authors])]
    out["authors"] = [n for n in names if n]
    out["date"] = _ld_text(article.get("datePublished")) or _ld_text(article.get("dateCreated"))
    out["publisher"] = _ld_name(resolve(article.get("publisher")))
    out["description"] = _ld_text(article.get("description"))
    language = article.get("inLanguage")
    out["language"] = _ld_name(language) if isinstance(language, dict) else _ld_text(language)
    entity = resolve(article.get("mainEntityOfPage"))
    out["url"] = _ld_text(article.get("url")) or (
        _ld_text(entity.get("@id")) if isinstance(entity, dict) else _ld_text(entity)
    )
    keywords = article.get("keywords")
    if isinstance(keywords, str):
        out["keywords_list"] = _split_list(keywords)
    elif isinstance(keywords, list):
        out["keywords_list"] = [squash(k) for k in keywords if isinstance(k, str) and k.strip()]
    return out


def _ld_nodes(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _ld_nodes(data[key], depth + 1)


def _ld_types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def _ld_text(value: Any) -> str:
    if isinstance(value, str):
        return squash(value)
    if isinstance(value, list) and value and isinstance(value[0], str):
        return squash(value[0])
    return ""


def _ld_name(value: Any) -> str:
    if isinstance(value, str):
        return squash(value)
    if isinstance(value, list):
        return ", ".join(n for n in (_ld_name(v) for v in value) if n)
    if isinstance(value, dict):
        return _ld_text(value.get("name")) or _ld_text(value.get("alternateName"))
    return ""


def _split_list(text: str) -> list[str]:
    return [squash(part) for part in text.split(",") if part.strip()]


def _clean_author(name: str) -> str:
    """A name, or '': no "By", no date or count glued on, no job title after it."""
    name = squash(html.unescape(name))
    name = _BY_PREFIX.sub("", name, count=1)
    glued = _GLUED_NUMBER.search(name)
    if glued and " " in name[: glued.start()]:  # "Lucas Nolan22 Dec 2016651" (not "CC7567")
        name = name[: glued.start()]
    name = _TRAILING_STAMP.sub("", name).strip(" ,|-–—:")
    name = _without_role(name)
    if (
        not re.search(r"\w\w", name)
        or re.search(r"\d", name)
        or _URLISH.search(name)
        or len(name) > 100
        or len(name.split()) > 6
    ):
        return ""
    return name


def _without_role(name: str) -> str:
    """"Ben Silverman Games Editor" → "Ben Silverman"; a lone role word is kept out too."""
    words = name.split()
    for i, word in enumerate(words):
        if word.strip(",").lower() in _ROLES and i >= 2:
            cut = i
            while cut > 2 and words[cut - 1].strip(",").lower() in _ROLE_QUALIFIERS:
                cut -= 1
            return " ".join(words[:cut]).strip(" ,|-–—:")
    return name


def _join_authors(names: Iterable[str]) -> str:
    seen: set[str] = set()
    out = []
    for raw in names:
        for name in re.split(r"\s*,\s*|\s+(?:and|&)\s+", _clean_author(raw)):
            name = _clean_author(name)
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out.append(name)
    return ", ".join(out)


def _choose_byline(tree: HtmlElement, metas: dict[str, list[str]], ld: dict[str, Any]) -> str:
    if ld.get("authors"):
        byline = _join_authors(ld["authors"])
        if byline:
            return byline
    for key in (
        "dc.creator",
        "author",
        "byl",
        "parsely-author",
        "sailthru.author",
        "article:author",
        "citation_author",
    ):
        values = [v for v in metas.get(key, ()) if _clean_author(v)]
        if values:
            return _join_authors(values)
    return _visible_byline(tree)


def _visible_byline(tree: HtmlElement) -> str:
    found = byline_element(tree)
    return found[1] if found else ""


def byline_element(tree: HtmlElement) -> tuple[HtmlElement, str] | None:
    """The first element shown as a byline, with the author names it gives."""
    body = tree.find("body")
    if body is None:
        return None
    for el in body.xpath(_BYLINE_XPATH):
        if el.tag in ("script", "style", "meta"):
            continue
        rel = (el.get("rel") or "").lower().split()
        itemprop = (el.get("itemprop") or "").lower()
        hint = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not ("author" in rel or "author" in itemprop or _BYLINE_HINT.search(hint)):
            continue
        if _NOT_BYLINE_HINT.search(hint) or _in_comments(el):
            continue
        text = text_of(el)
        if not 0 < len(text) < 100:
            continue  # a container that merely carries an author class
        names = [text_of(n) for n in el.xpath(".//*[@itemprop='name']")]
        if any(names):
            text = ", ".join(n for n in names if n)
        if text:
            cleaned = _join_authors([text])
            if cleaned:
                return el, cleaned
    return None


def _in_comments(el: HtmlElement) -> bool:
    from newscli.extract.clean import COMMENTS

    parent = el.getparent()
    while parent is not None:
        names = f"{parent.get('class') or ''} {parent.get('id') or ''}"
        if names.strip() and COMMENTS.search(names):
            return True
        parent = parent.getparent()
    return False


def _choose_date(tree: HtmlElement, metas: dict[str, list[str]], ld: dict[str, Any]) -> str:
    candidates: list[str] = [ld.get("date", "")]
    for key in (
        "article:published_time",
        "og:published_time",
        "datepublished",
        "article.published",
        "parsely-pub-date",
        "dc.date.issued",
        "dc.date",
        "dc.created",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "sailthru.date",
        "citation_publication_date",
        "article:modified_time",
    ):
        candidates.extend(metas.get(key, ()))
    for el in tree.xpath("//*[@itemprop='datePublished']"):
        candidates.append(el.get("datetime") or el.get("content") or text_of(el))
    times = tree.xpath("//time[@pubdate]/@datetime") + tree.xpath("//time/@datetime")
    candidates.extend(str(t) for t in times[:3])
    for candidate in candidates:
        iso = normalise_date(squash(candidate))
        if iso:
            return iso
    return _visible_date(tree)


def _visible_date(tree: HtmlElement) -> str:
    """A publication date shown on the page ("2/26/2015 7:11 AM PST", "Posted … on
    2019-02-15"), found by htmldate; '' if none."""
    import copy
    import logging

    from newscli.extract.body import LARGE_TEXT

    if len(tree.text_content()) > LARGE_TEXT:  # htmldate's search costs seconds there
        return ""
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    try:
        from htmldate import find_date

        found = find_date(
            copy.deepcopy(tree), extensive_search=True, original_date=True, outputformat="%Y-%m-%d"
        )
    except Exception:  # htmldate is a heuristic; a page it trips on has no visible date
        return ""
    return normalise_date(found) if found else ""
