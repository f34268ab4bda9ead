"""An HTML fragment as clean Markdown: html2text for the prose, newscli's own writer for
tables (data tables stay tables, layout tables become their text), and a last pass that
removes furniture lines and any emphasis mark CommonMark would show literally."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from newscli.extract.clean import tidy_inline
from newscli.extract.parse import squash

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from markdown_it import MarkdownIt

_PLACEHOLDER = "NEWSCLITABLE{}X"
_PLACEHOLDER_LINE = re.compile(r"^\s*NEWSCLITABLE(\d+)X\s*$")
_LITERAL_CITATION = re.compile(r"(?<![\]\\!])\[(\d{1,3})\](?![(\[:])")
# Whole lines that are page furniture, whatever element held them.
_FURNITURE_LINE = re.compile(
    r"^(?:continue reading(?: the main story| below| (?:the )?(?:full )?(?:story|article))?"
    r"|advertisement|story continues below(?: advertisement)?|read more|read the full story"
    r"|(?:sign up|subscribe)(?: now)?(?: (?:for|to) (?:our|the) [\w ]{0,30}newsletters?)?"
    r"|sign up for (?:our|the) [\w ]{0,30}newsletters?.*"
    r"|(?:please )?(?:share|like) this(?: article| story)?|related(?: articles| stories)?"
    r"|image|photo|view gallery|enlarge this image|toggle caption|hide caption)[\s.:!»›>]*$",
    re.IGNORECASE,
)
_SHARE_WORDS = {
    "share", "shares", "on", "social", "email", "e", "mail", "print", "tweet", "twitter",
    "facebook", "linkedin", "pinterest", "whatsapp", "reddit", "copy", "link", "this",
    "article", "story", "save", "flipboard", "messenger", "sms", "x", "telegram", "pocket",
    "google", "plus", "stumbleupon", "digg", "tumblr", "via", "or", "and", "the", "to",
}
_SHARE_CORE = {"share", "email", "print", "tweet", "facebook", "twitter", "linkedin"}
# A photo credit or caption line: "© Provided by …", "Photo: Getty Images".
_CREDIT = re.compile(
    r"©\s*provided by|^(?:photo|image|picture|illustration|credit|photograph)s?"
    r"(?: credit)?\s*[:：]|\((?:photo|image): [^)]*\)$|^(?:getty images|ap photo|reuters)\b",
    re.IGNORECASE,
)
_EDIT_LINK = re.compile(r"\s*\\?\[\s*\[?edit\]?(?:\([^)]*\))?\s*\\?\]", re.IGNORECASE)
_EMPHASIS_RESIDUE = re.compile(r"\*\*|__|(?<!\w)[*_](?!\w)|\w[*_]{1,3}$|^[*_]{1,3}\w")


def html_to_markdown(html_fragment: str, base_url: str | None = None) -> str:
    """An HTML fragment as readable Markdown: no hard wrap, inline links, headings, lists,
    tables and emphasis kept; images dropped (their alt text is rarely prose)."""
    if not html_fragment.strip():
        return ""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html_fragment, create_parent="div")
    except Exception:  # lxml rejects some fragments outright; keep their text
        return _tidy(_plain_text_of_fragment(html_fragment))
    return tree_to_markdown(root, base_url)


def tree_to_markdown(root: HtmlElement, base_url: str | None) -> str:
    """`root` (changed on the way) as Markdown."""
    import lxml.html

    tidy_inline(root)
    tables = _take_tables(root, base_url)
    try:
        text = _html2text(lxml.html.tostring(root, encoding="unicode"), base_url)
    except Exception:  # html2text is a hand-written parser; a hostile page may trip it
        return _tidy(_plain_text_of_fragment(lxml.html.tostring(root, encoding="unicode")))
    lines = []
    for line in text.split("\n"):
        match = _PLACEHOLDER_LINE.match(line)
        if match and int(match.group(1)) < len(tables):
            lines.append("\n" + tables[int(match.group(1))] + "\n")
        else:
            lines.append(line)
    return clean_markdown(_tidy("\n".join(lines)))


def _html2text(html: str, base_url: str | None) -> str:
    import html2text

    converter = html2text.HTML2Text(baseurl=base_url or "", bodywidth=0)
    converter.unicode_snob = True
    converter.ignore_images = True
    converter.inline_links = True
    converter.protect_links = False
    converter.wrap_links = False
    converter.wrap_list_items = False
    converter.ignore_tables = True
    converter.skip_internal_links = True
    converter.mark_code = False
    converter.emphasis_mark = "*"
    return converter.handle(html)


# --- tables -----------------------------------------------------------------------------------


def _take_tables(root: HtmlElement, base_url: str | None) -> list[str]:
    """Replace each data table with a placeholder paragraph (its Markdown kept aside) and
    unwrap each layout table into its cells' content."""
    tables: list[str] = []
    for table in reversed(list(root.iter("table"))):  # innermost first
        if table.getparent() is None:
            continue
        rows = _rows(table, base_url)
        if rows is None:
            _unwrap_table(table)
            continue
        placeholder = table.makeelement("p", {})
        placeholder.text = _PLACEHOLDER.format(len(tables))
        placeholder.tail = table.tail
        tables.append(_table_markdown(rows))
        table.getparent().replace(table, placeholder)
    return tables


def _rows(table: HtmlElement, base_url: str | None) -> list[list[str]] | None:
    """The cells of a data table as Markdown, or None for a layout table."""
    if table.find(".//table") is not None:
        return None
    rows: list[list[str]] = []
    for tr in table.iter("tr"):
        row: list[str] = []
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            if cell.find(".//p") is not None or cell.find(".//ul") is not None:
                return None
            text = _cell_markdown(cell, base_url)
            if len(text.split()) > 60:
                return None
            try:
                span = max(1, min(int(cell.get("colspan") or 1), 20))
            except ValueError:
                span = 1
            row.extend([text] + [""] * (span - 1))
        if any(row):
            rows.append(row)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [i for i in range(width) if any(r[i] for r in rows)]
    rows = [[r[i] for i in keep] for r in rows]
    if len(rows) < 2 or len(keep) < 2:
        return None
    return rows


def _cell_markdown(cell: HtmlElement, base_url: str | None) -> str:
    import lxml.html

    html = lxml.html.tostring(cell, encoding="unicode", with_tail=False)
    html = re.sub(r"^<t[dh]\b[^>]*>|</t[dh]>$", "", html.strip())
    try:
        text = _html2text(f"<span>{html}</span>", base_url)
    except Exception:
        text = cell.text_content()
    return squash(text).replace("|", "\\|")


def _table_markdown(rows: list[list[str]]) -> str:
    width = len(rows[0])
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _unwrap_table(table: HtmlElement) -> None:
    for cell in table.iter("td", "th", "caption"):
        cell.tag = "div"
    for el in table.iter("tr", "tbody", "thead", "tfoot", "colgroup", "col"):
        if el.tag in ("colgroup", "col"):
            el.drop_tree() if el.getparent() is not None else None
        else:
            el.tag = "div"
    table.tag = "div"


# --- the last pass ----------------------------------------------------------------------------


def clean_markdown(markdown: str) -> str:
    """Furniture lines out (share bars, "continue reading", newsletter calls, edit links),
    page citation numbers as (n) so they are not read as newscli's link numbers, and blocks
    whose emphasis CommonMark would not close written without it."""
    out: list[str] = []
    for block in markdown.split("\n\n"):
        block = _EDIT_LINK.sub("", block)
        if not block.strip() or _is_furniture(block):
            continue
        if not block.lstrip().startswith("|"):
            block = _LITERAL_CITATION.sub(r"(\1)", block)
        out.append(_without_residue(block))
    return "\n\n".join(out).strip() + ("\n" if out else "")


def _is_furniture(block: str) -> bool:
    plain = squash(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block)).strip("#*_>-|• ")
    if _FURNITURE_LINE.match(plain):
        return True
    words = re.findall(r"\w+", plain.lower())
    if len(words) <= 20 and _CREDIT.search(plain):
        return True
    return 0 < len(words) <= 10 and set(words) <= _SHARE_WORDS and bool(set(words) & _SHARE_CORE)


def _without_residue(block: str) -> str:
    """The block, or the block without emphasis marks if rendering it would leave some."""
    if "*" not in block and "_" not in block:
        return block
    if not _EMPHASIS_RESIDUE.search(_rendered(block)):
        return block
    return re.sub(r"(?<!\\)(?:\*{1,3}|_{2,3})(?=\S)|(?<=\S)(?<!\\)(?:\*{1,3}|_{2,3})", "", block)


def _rendered(block: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]*>", " ", _markdown_it().render(block)))


@cache
def _markdown_it() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _tidy(text: str) -> str:
    lines = [_one_blank(line.rstrip()) for line in text.replace("\r", "").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    return "\n".join(out).strip() + ("\n" if out else "")


def _one_blank(line: str) -> str:
    """Blanks between words as one, where dropped images left two (not in code)."""
    if line.startswith(("    ", "\t")):
        return line
    return re.sub(r"(?<=\S) {2,}(?=\S)", " ", line)


def _plain_text_of_fragment(fragment: str) -> str:
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return ""
    return "\n\n".join(squash(t) for t in root.itertext() if t.strip())
