"""The store's Markdown writer, beside the parser that reads it back (`markdown.py`): an
Article → canonical Markdown with YAML front matter. What it writes, the parser reads
back to the same title and words (a property test checks it)."""

from __future__ import annotations

import re
from typing import Any

from newscli.model import (
    Article,
    Block,
    CodeBlock,
    Heading,
    ListBlock,
    Meta,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
)

_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>~|&])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))", re.M)


def md_escape(text: str) -> str:
    """Escape text so a CommonMark parser reads it back literally."""
    text = _MD_ANYWHERE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(
        lambda m: (
            m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit() else m.group(0) + "\\"
        ),
        text,
    )


def md_spans(spans: list[Span]) -> str:
    """Spans as inline Markdown; neighbouring spans with one target are one link."""
    out: list[str] = []
    index = 0
    while index < len(spans):
        href = spans[index].href
        end = index + 1
        while href and end < len(spans) and spans[end].href == href:
            end += 1
        inner = _md_plain_spans(spans[index:end])
        out.append(f"[{inner}](<{href}>)" if href else inner)
        index = end
    return "".join(out)


def _md_plain_spans(spans: list[Span]) -> str:
    out = []
    for span in spans:
        if span.code:
            fence = "``" if "`" in span.text else "`"
            piece = f"{fence} {span.text} {fence}" if "`" in span.text else f"`{span.text}`"
        else:
            piece = md_escape(span.text).replace("\n", "\\\n")
            if span.text.strip():
                lead = piece[: len(piece) - len(piece.lstrip())]
                trail = piece[len(piece.rstrip()) :]
                core = piece.strip()
                if span.bold:
                    core = f"**{core}**"
                if span.italic:
                    core = f"*{core}*"
                piece = lead + core + trail
        out.append(piece)
    return "".join(out)


def md_blocks(blocks: list[Block], indent: str = "") -> list[str]:
    out: list[str] = []
    for block in blocks:
        match block:
            case Heading(level=level, spans=spans):
                out.append("#" * max(level, 2) + " " + md_spans(spans))
            case Paragraph(spans=spans):
                out.append(md_spans(spans))
            case Quote(blocks=inner):
                body = "\n\n".join(md_blocks(inner))
                out.append("\n".join("> " + line if line else ">" for line in body.split("\n")))
            case ListBlock(items=items, ordered=ordered, start=start):
                lines = []
                for n, item in enumerate(items, start=start):
                    marker = f"{n}. " if ordered else "- "
                    body = "\n\n".join(md_blocks(item))
                    pad = " " * len(marker)
                    lines.append(marker + body.replace("\n", "\n" + pad))
                out.append("\n".join(lines))
            case CodeBlock(text=code):
                fence = "~~~~" if "```" in code else "```"
                out.append(f"{fence}\n{code}\n{fence}")
            case Rule():
                out.append("* * *")
            case Table(header=header, rows=rows):
                width = max([len(header), *(len(r) for r in rows)] or [1])
                head = [md_spans(c).replace("|", "\\|") for c in header] + [""] * width
                lines = ["| " + " | ".join(head[:width]) + " |", "|" + "---|" * width]
                for row in rows:
                    cells = [md_spans(c) for c in row] + [""] * width
                    lines.append("| " + " | ".join(cells[:width]) + " |")
                out.append("\n".join(lines))
    return out


def front_matter(meta: Meta) -> str:
    import yaml

    fields: dict[str, Any] = {
        "title": meta.title,
        "byline": meta.byline,
        "date": meta.date,
        "source": meta.source,
        "url": meta.url,
        "tags": meta.tags,
        "language": meta.language,
        **meta.extra,
    }
    fields = {k: v for k, v in fields.items() if v not in ("", [], None)}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: 5x faster, same text
    return yaml.dump(fields, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000)


def to_markdown(article: Article) -> str:
    """The canonical Markdown of an article: YAML front matter, then the body; related
    links as 'Label: [text](url)' paragraphs, which the parser sets apart again."""
    parts = md_blocks(article.blocks)
    for link in article.related:
        text = md_escape(link.text)
        parts.append(f"{link.label}: " + (f"[{text}](<{link.url}>)" if link.url else text))
    return f"---\n{front_matter(article.meta)}---\n\n" + "\n\n".join(parts) + "\n"
