"""Main content and metadata of an HTML page, as Markdown plus a few fields.

Pure: no file or network I/O. The heavy imports (lxml, readability-lxml, html2text,
dateutil) happen inside the functions, so importing this module costs next to nothing.

The body comes from readability-lxml (scored as the best of the extractors measured by
`bench/eval_extract.py`), converted to Markdown with html2text. Metadata comes from this
module's own rules: JSON-LD, OpenGraph and other `<meta>` tags, `<time>`, visible bylines,
`<title>` and `<h1>`. Nothing raised by a parser escapes: a page that cannot be read yields
what could be read, possibly an empty `markdown`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from newscli.dates import normalise_date
from newscli.sanitize import clean

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["Extracted", "extract", "html_to_markdown", "metadata"]


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


# Fewer words than this from the main-content extractor and the whole body is used instead.
MIN_WORDS = 25

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
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:/·»«•]\s+|\s*[|·»«•]\s*")
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
_URLISH = re.compile(r"^(?:https?:|www\.|//)|://|^@", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_DEEP_TAGS = re.compile(
    r"</?(?:div|span|section|article|main|font|center|b|i|em|strong|u|small|big|blockquote"
    r"|ul|ol|li|dl|dd|dt|table|thead|tbody|tfoot|tr|td|th)\b[^>]*>",
    re.IGNORECASE,
)
_LONG_SPACE = re.compile(r"[ \t\n\r\f]{2,}")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Dropped before any conversion: never part of what a reader reads.
_NEVER_CONTENT = (
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
)
# Also dropped from the whole-body conversion: page furniture.
_FURNITURE = ("nav", "footer", "header", "aside", "form", "dialog", "menu")


# --- public API -------------------------------------------------------------------------------


def extract(html: str, url: str | None = None, *, main_content: bool = True) -> Extracted:
    """Metadata and body of an HTML page.

    With `main_content` the article is found and the page's furniture (menus, share bars,
    related stories, comments) left out; if that yields fewer than `MIN_WORDS` words, or
    without `main_content`, the whole `<body>` is converted, less scripts, navigation,
    headers, footers, asides and forms.
    """
    tree = _parse(html)
    if tree is None:
        return Extracted(url=url or "", site=_host(url or ""))
    meta = metadata(tree, url)
    base = _base_url(tree, url)

    markdown = ""
    if main_content:
        markdown = _main_markdown(tree, base)  # consumes the tree
    if _count_words(markdown) < MIN_WORDS:
        fresh = _parse(html) if main_content else tree
        whole = _whole_body_markdown(fresh, base) if fresh is not None else ""
        if _count_words(whole) > _count_words(markdown):
            markdown = whole
    meta.markdown = _drop_leading_title(markdown, meta.title)
    return meta


def metadata(html_or_tree: str | HtmlElement, url: str | None = None) -> Extracted:
    """Title, byline, date, site, canonical url, language, description and tags of a page,
    from an HTML string or an already parsed lxml tree (which is not changed)."""
    tree = _parse(html_or_tree) if isinstance(html_or_tree, str) else html_or_tree
    if tree is None:
        return Extracted(url=url or "", site=_host(url or ""))
    try:
        return _metadata(tree, url)
    except Exception:  # a malformed page must not stop an import; keep what is certain
        return Extracted(url=url or "", site=_host(url or ""))


def html_to_markdown(html_fragment: str, base_url: str | None = None) -> str:
    """An HTML fragment as readable Markdown: no hard wrap, inline links, headings, lists,
    tables and emphasis kept; images reduced to their alt text (dropped when they have none).
    """
    if not html_fragment.strip():
        return ""
    import html2text

    converter = html2text.HTML2Text(baseurl=base_url or "", bodywidth=0)
    converter.unicode_snob = True
    converter.images_to_alt = True
    converter.default_image_alt = ""
    converter.inline_links = True
    converter.protect_links = False
    converter.wrap_links = False
    converter.wrap_list_items = False
    converter.ignore_tables = False
    converter.skip_internal_links = True
    converter.mark_code = False
    try:
        text = converter.handle(html_fragment)
    except Exception:  # html2text is a hand-written parser; a hostile page may trip it
        return _tidy_markdown(_plain_text_of_fragment(html_fragment))
    return _tidy_markdown(text)


# --- parsing ----------------------------------------------------------------------------------


def _parse(html: str) -> HtmlElement | None:
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
        flat = _LONG_SPACE.sub("\n", _DEEP_TAGS.sub("\n", html))
        try:
            tree = lxml.html.document_fromstring(flat, parser=parser)
        except (lxml.etree.LxmlError, ValueError):
            return None
    return tree


_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


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


def _text(el: HtmlElement | None) -> str:
    if el is None:
        return ""
    try:
        return _squash(el.text_content())
    except ValueError:
        return ""


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _http_url(candidate: str, base: str | None) -> str:
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


def _base_url(tree: HtmlElement, url: str | None) -> str | None:
    for href in tree.xpath("//base/@href"):
        resolved = _http_url(str(href), url)
        if resolved:
            return resolved
    return url


# --- body -------------------------------------------------------------------------------------


def _main_markdown(tree: HtmlElement, base: str | None) -> str:
    """The article's Markdown, found by readability-lxml; `tree` is changed on the way."""
    from readability import Document

    _drop(tree, _NEVER_CONTENT)
    # The byline is part of the metadata; keep it out of the body (unless it is a bare link,
    # which may sit inside a sentence).
    found = _byline_element(tree)
    if found is not None and found[0].tag != "a" and found[0].getparent() is not None:
        found[0].drop_tree()
    _collapse_whitespace(tree)
    try:
        summary = Document(tree).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions on pages it cannot score
        return ""
    return html_to_markdown(_clean_fragment(summary), base)


def _whole_body_markdown(tree: HtmlElement, base: str | None) -> str:
    import copy

    import lxml.html

    body = tree.find("body")
    if body is None:
        body = tree
    work = copy.deepcopy(body)
    _drop(work, _NEVER_CONTENT + _FURNITURE)
    _drop_hidden(work)
    _collapse_whitespace(work)
    return html_to_markdown(lxml.html.tostring(work, encoding="unicode"), base)


def _drop(root: HtmlElement, tags: Iterable[str]) -> None:
    wanted = set(tags)
    for el in [el for el in root.iter() if isinstance(el.tag, str) and el.tag in wanted]:
        if el.getparent() is not None:
            el.drop_tree()


def _collapse_whitespace(root: HtmlElement) -> None:
    """Runs of white space as one character, as a browser shows them (not inside <pre>).

    Besides being what a reader sees, this keeps readability's text-length regexes, which
    slow down sharply on long runs of blanks, fast."""
    keep = {"pre", "textarea", "code", "xmp", "listing", "plaintext"}
    skip: set[Any] = set()
    for el in root.iter(*keep):
        skip.update(el.iter())
    for el in root.iter():
        if el not in skip and el.text and _LONG_SPACE.search(el.text):
            el.text = _LONG_SPACE.sub(_one_space, el.text)
        if el.tail and _LONG_SPACE.search(el.tail) and el.getparent() not in skip:
            el.tail = _LONG_SPACE.sub(_one_space, el.tail)


def _one_space(match: re.Match[str]) -> str:
    return "\n" if "\n" in match.group() else " "


def _drop_hidden(root: HtmlElement) -> None:
    for el in root.xpath(
        "//*[@hidden or @aria-hidden='true' or contains(translate(@style,' ',''),'display:none')"
        " or contains(translate(@style,' ',''),'visibility:hidden')]"
    ):
        if el.getparent() is not None:
            el.drop_tree()


def _clean_fragment(fragment: str) -> str:
    """Readability's output, less links that lead nowhere a reader can follow."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return fragment
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href.lower().startswith(("javascript:", "data:", "vbscript:")):
            del a.attrib["href"]
    return lxml.html.tostring(root, encoding="unicode")


def _plain_text_of_fragment(fragment: str) -> str:
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return ""
    return "\n\n".join(_squash(t) for t in root.itertext() if t.strip())


def _tidy_markdown(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r", "").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    return "\n".join(out).strip() + ("\n" if out else "")


def _drop_leading_title(markdown: str, title: str) -> str:
    if not title:
        return markdown
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match and _norm(_strip_md_links(match.group(1))) == _norm(title):
            return "\n".join(lines[i + 1 :]).lstrip("\n")
        break
    return markdown


def _strip_md_links(text: str) -> str:
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("\\", "")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- metadata ---------------------------------------------------------------------------------


def _metadata(tree: HtmlElement, url: str | None) -> Extracted:
    base = _base_url(tree, url)
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
        canonical = _http_url(str(href), base)
        if canonical:
            break
    canonical = canonical or _http_url(first("og:url"), base) or _http_url(ld.get("url", ""), base)
    page_url = canonical or (url or "")
    site = site or _host(url or "") or _host(page_url)

    title = _choose_title(tree, metas, ld, site)
    byline = _choose_byline(tree, metas, ld)
    date = _choose_date(tree, metas, ld)
    language = (
        _squash(tree.get("lang") or tree.get("xml:lang"))
        or first("content-language", "dc.language", "language")
        or ld.get("language", "")
        or first("og:locale")
    ).replace("_", "-")
    description = first("og:description", "description", "dc.description", "twitter:description")
    description = description or ld.get("description", "")

    tags: list[str] = []
    seen: set[str] = set()
    raw_tags = list(metas.get("article:tag", ())) + list(ld.get("keywords_list", []))
    if not raw_tags:
        raw_tags = _split_list(first("news_keywords", "parsely-tags"))
    for tag in raw_tags:
        for part in _split_list(tag) if "," in tag else [_squash(tag)]:
            key = part.casefold()
            if part and key not in seen:
                seen.add(key)
                tags.append(part)

    return Extracted(
        title=title,
        byline=byline,
        date=date,
        site=_squash(site),
        url=page_url,
        language=language[:35],
        description=_squash(description),
        tags=tags,
    )


def _meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """Every `<meta>` by lower-cased name/property/itemprop/http-equiv → contents in order.
    A property attribute may name several properties separated by spaces."""
    found: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        content = _squash(content)
        names: list[str] = []
        for attr in ("property", "name", "itemprop", "http-equiv"):
            names.extend((meta.get(attr) or "").lower().split())
        for name in names:
            found.setdefault(name.replace("dcterms.", "dc.").replace("dc:", "dc."), []).append(
                content
            )
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
        out["keywords_list"] = [_squash(k) for k in keywords if isinstance(k, str) and k.strip()]
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
        return _squash(value)
    if isinstance(value, list) and value and isinstance(value[0], str):
        return _squash(value[0])
    return ""


def _ld_name(value: Any) -> str:
    if isinstance(value, str):
        return _squash(value)
    if isinstance(value, list):
        return ", ".join(n for n in (_ld_name(v) for v in value) if n)
    if isinstance(value, dict):
        return _ld_text(value.get("name")) or _ld_text(value.get("alternateName"))
    return ""


def _split_list(text: str) -> list[str]:
    return [_squash(part) for part in text.split(",") if part.strip()]


def _choose_title(
    tree: HtmlElement, metas: dict[str, list[str]], ld: dict[str, Any], site: str
) -> str:
    h1s = [t for t in (_text(h) for h in tree.iter("h1")) if t][:5]
    doc_title = _text(tree.find(".//title"))
    candidates = [
        ld.get("headline", ""),
        ld.get("name", ""),
        *metas.get("og:title", ()),
        *metas.get("dc.title", ()),
        *metas.get("twitter:title", ()),
        *metas.get("parsely-title", ()),
        *metas.get("sailthru.title", ()),
        *metas.get("headline", ()),
    ]
    candidates = [c for c in candidates if c]
    # Prefer a declared title that the page itself shows: an <h1>, or a stretch of <title>
    # between separators. JSON-LD "headline" is sometimes a summary, not the headline.
    headings = {_norm(h) for h in h1s}
    for candidate in candidates:
        if _norm(candidate) in headings:
            return candidate
    shown: set[str] = set()
    if doc_title:
        parts = _TITLE_SEPARATOR.split(doc_title)
        for start in range(len(parts)):
            for end in range(start + 1, len(parts) + 1):
                shown.add(_norm(_join_parts(doc_title, parts, start, end)))
    for candidate in candidates:
        if _norm(candidate) in shown:
            return _without_site(candidate, site, h1s)
    if candidates:
        return _without_site(candidates[0], site, h1s)
    if doc_title:
        return _without_site(doc_title, site, h1s)
    return h1s[0] if h1s else ""


def _without_site(title: str, site: str, h1s: list[str]) -> str:
    """A page title less a site name before or after it ("Story | Site", "Site - Story")."""
    title = _squash(title)
    norm_h1s = {_norm(h) for h in h1s}
    if _norm(title) in norm_h1s:
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
            if _norm(piece) in norm_h1s:
                return piece
    site_keys = {_norm(site), _norm(site).replace(" ", "")} - {""}
    if site_keys:
        if _norm(parts[-1]) in site_keys or _norm(parts[-1]).replace(" ", "") in site_keys:
            return _join_parts(title, parts, 0, len(parts) - 1)
        if _norm(parts[0]) in site_keys or _norm(parts[0]).replace(" ", "") in site_keys:
            return _join_parts(title, parts, 1, len(parts))
    # A short last part behind a strong separator is taken as the site's name.
    last = parts[-1]
    if re.search(r"\s[|–—]\s|\s-\s", title) and len(last.split()) <= 4:
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


def _clean_author(name: str) -> str:
    name = _squash(name)
    name = _BY_PREFIX.sub("", name, count=1)
    name = _TRAILING_STAMP.sub("", name).strip(" ,|-–—:")
    if (
        not re.search(r"\w\w", name)
        or _URLISH.search(name)
        or len(name) > 100
        or len(name.split()) > 6
    ):
        return ""
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
    found = _byline_element(tree)
    return found[1] if found else ""


def _byline_element(tree: HtmlElement) -> tuple[HtmlElement, str] | None:
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
        if _NOT_BYLINE_HINT.search(hint):
            continue
        text = _text(el)
        if not 0 < len(text) < 100:
            continue  # a container that merely carries an author class
        names = [_text(n) for n in el.xpath(".//*[@itemprop='name']")]
        if any(names):
            text = ", ".join(n for n in names if n)
        if text:
            cleaned = _join_authors([text])
            if cleaned:
                return el, cleaned
    return None


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
        candidates.append(el.get("datetime") or el.get("content") or _text(el))
    times = tree.xpath("//time[@pubdate]/@datetime") + tree.xpath("//time/@datetime")
    candidates.extend(str(t) for t in times[:3])
    for candidate in candidates:
        iso = normalise_date(_squash(candidate))
        if iso:
            return iso
    return ""
