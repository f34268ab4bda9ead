"""Markdown through a real CommonMark parser (markdown-it-py) into the article model."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from newscli.model import (
    Block,
    CodeBlock,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    spans_text,
)
from newscli.sanitize import clean_url

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_TAG = re.compile(r"<[^>]*>")
MAX_DEPTH = 40


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"maxNesting": MAX_DEPTH}).enable(["table", "strikethrough"])
    # Accept every link here, so that `[text](javascript:…)` becomes its text alone: which
    # targets are kept is decided in one place, sanitize.clean_url.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def _inline(token: Token | None) -> list[Span]:
    """Inline children → spans, merging neighbours with the same style."""
    spans: list[Span] = []
    bold = italic = 0
    href: str | None = None
    for child in (token.children or []) if token else []:
        kind = child.type
        text = ""
        code = False
        if kind == "text":
            text = child.content
        elif kind == "softbreak":
            text = " "
        elif kind == "hardbreak":
            text = "\n"
        elif kind == "code_inline":
            text, code = child.content, True
        elif kind == "image":
            text = child.content or spans_text(_inline(child))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = clean_url(str(child.attrs.get("href", "")))
        elif kind == "link_close":
            href = None
        if not text:
            continue
        span = Span(text, bold=bold > 0, italic=italic > 0, code=code, href=href)
        last = spans[-1] if spans else None
        if last and (last.bold, last.italic, last.code, last.href) == (
            span.bold,
            span.italic,
            span.code,
            span.href,
        ):
            spans[-1] = Span(last.text + text, last.bold, last.italic, last.code, last.href)
        else:
            spans.append(span)
    return spans


def _blocks(tokens: list[Token], start: int, stop_type: str | None) -> tuple[list[Block], int]:
    """Convert tokens from `start` until the matching `stop_type` close token."""
    blocks: list[Block] = []
    i = start
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if stop_type and kind == stop_type:
            return blocks, i + 1
        if kind == "heading_open":
            blocks.append(Heading(int(token.tag[1]), _inline(tokens[i + 1])))
            i += 3
            continue
        if kind == "paragraph_open":
            spans = _inline(tokens[i + 1])
            if spans:
                blocks.append(Paragraph(spans))
            i += 3
            continue
        if kind == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, "blockquote_close")
            blocks.append(Quote(inner))
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            close = kind.replace("_open", "_close")
            items: list[list[Block]] = []
            i += 1
            while i < len(tokens) and tokens[i].type != close:
                if tokens[i].type == "list_item_open":
                    item, i = _blocks(tokens, i + 1, "list_item_close")
                    items.append(item)
                else:
                    i += 1
            start_at = int(token.attrs.get("start", 1) or 1) if token.attrs else 1
            blocks.append(ListBlock(items, ordered=kind.startswith("ordered"), start=start_at))
            i += 1
            continue
        if kind in ("fence", "code_block"):
            blocks.append(CodeBlock(token.content.rstrip("\n")))
        elif kind == "hr":
            blocks.append(Rule())
        elif kind == "html_block":
            text = " ".join(_TAG.sub(" ", token.content).split())
            if text:
                blocks.append(Paragraph([Span(text)]))
        elif kind == "table_open":
            table, i = _table(tokens, i + 1)
            blocks.append(table)
            continue
        i += 1
    return blocks, i


def _table(tokens: list[Token], i: int) -> tuple[Table, int]:
    rows: list[list[list[Span]]] = []
    header: list[list[Span]] = []
    row: list[list[Span]] = []
    in_head = False
    while i < len(tokens) and tokens[i].type != "table_close":
        kind = tokens[i].type
        if kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if in_head and not header:
                header = row
            else:
                rows.append(row)
        elif kind == "inline":
            row.append(_inline(tokens[i]))
        i += 1
    return Table(header, rows), i + 1


def parse(body: str) -> tuple[str, list[Block]]:
    """Markdown → (title from the first H1, or '', body blocks without that H1)."""
    try:
        tokens = _parser().parse(body)
    except RecursionError:
        return "", [Paragraph([Span(" ".join(body.split()))])]
    blocks, _ = _blocks(tokens, 0, None)
    for index, block in enumerate(blocks):
        if isinstance(block, Heading) and block.level == 1:
            title = " ".join(spans_text(block.spans).split())
            return title, blocks[:index] + blocks[index + 1 :]
    return "", blocks
