"""An article → output: Rich renderables, plain text and JSON (the Markdown writer is
`formats/writer.py`).

Renderers never open files and never print: they return renderables or strings and the
CLI prints once. Every piece of article text becomes a `rich.text.Text` (never markup), and
has already been cleaned by `sanitize` when it entered the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from newscli.formats.writer import md_blocks
from newscli.listing import human_date, row_json
from newscli.model import (
    Article,
    Block,
    CodeBlock,
    Heading,
    Link,
    ListBlock,
    Meta,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    block_text,
    spans_text,
)
from newscli.records import Hit, Row, reading_minutes

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.style import Style
    from rich.text import Text

DEFAULT_MEASURE = 88
# Wrapping costs Rich about 15 µs a word: a body past this many characters (some 80,000
# words, four times the longest real articles) is cut for display, so that no file can make
# `read` take minutes.
DISPLAY_CHARS = 500_000


def within(blocks: list[Block], budget: int) -> tuple[list[Block], int]:
    """The blocks that fit in `budget` characters (a long paragraph cut at a word), and the
    number of characters left out."""
    shown: list[Block] = []
    omitted = 0
    for block in blocks:
        size = len(block_text(block))
        if omitted or size > budget:
            if not omitted and isinstance(block, Paragraph) and budget > 0:
                text = spans_text(block.spans)[:budget].rsplit(" ", 1)[0]
                shown.append(Paragraph([Span(text + " …")]))
                size -= len(text)
            omitted += size
            continue
        budget -= size
        shown.append(block)
    return shown, omitted


# -- small shared pieces ------------------------------------------------------------------
def meta_parts(meta: Meta, words: int) -> list[str]:
    parts = []
    if meta.byline:
        parts.append(meta.byline if meta.byline.lower().startswith("by ") else f"By {meta.byline}")
    if meta.source:
        parts.append(meta.source)
    if meta.date:
        parts.append(human_date(meta.date))
    if words:
        parts.append(f"{reading_minutes(words)} min read")
    if meta.tags:
        parts.append(", ".join(meta.tags))
    return parts


# -- Rich ---------------------------------------------------------------------------------
class _Links:
    """Numbers the link targets of an article in order of first appearance."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1


class _Bar:
    """Renders its content indented behind a vertical bar, for quotations."""

    def __init__(self, content: RenderableType, bar: str = "│ ", style: str = "dim") -> None:
        self.content, self.bar, self.style = content, bar, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        width = max(options.max_width - len(self.bar), 10)
        lines = console.render_lines(self.content, options.update(width=width), pad=False)
        for line in lines:
            yield Segment(self.bar, console.get_style(self.style))
            yield from line
            yield Segment.line()


class _Hanging:
    """A marker (a bullet, a number, an arrow) and content whose lines all start at the same
    column after it. Each level renders its content once, so nested lists cost linear time
    (nested Rich tables measure their contents over and over)."""

    def __init__(self, marker: Text, content: RenderableType, indent: int) -> None:
        self.marker, self.content, self.indent = marker, content, indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        width = max(options.max_width - self.indent, 10)
        lines = console.render_lines(self.content, options.update(width=width), pad=False)
        marker = self.marker.copy()
        marker.pad_left(self.indent - 1 - marker.cell_len)
        marker.append(" ")
        for number, line in enumerate(lines):
            if number == 0:
                yield from marker.render(console)
            else:
                yield Segment(" " * self.indent)
            yield from line
            yield Segment.line()


# Line-breaking rules for Chinese and Japanese (kinsoku): no line starts with closing
# punctuation or a small kana, none ends with opening punctuation.
_NO_START = frozenset("、。，．・：；？！）」』】〕〉》”’ー…‥々ゝゞヽヾぁぃぅぇぉっゃゅょゎ"
                      "ァィゥェォッャュョヮヵヶ,.:;?!)]}%")
_NO_END = frozenset("（「『【〔〈《“‘([{")


def cjk_breaks(text: str, width: int, fold: bool) -> list[int]:
    """Where to break `text` into lines of at most `width` cells: at spaces, and between
    Chinese or Japanese characters as their line-breaking rules allow. A word longer than
    the width is folded only if `fold` (a URL in plain output stays whole)."""
    from rich.cells import cell_len

    from newscli.cjk import spans

    wide = bytearray(len(text))  # 1 where a Chinese or Japanese character is
    for start, end in spans(text):
        wide[start:end] = b"\1" * (end - start)
    allowed = [0]
    for i in range(1, len(text)):
        before, here = text[i - 1], text[i]
        if here.isspace() or here in _NO_START or before in _NO_END:
            continue
        if before.isspace() or wide[i - 1] or wide[i] or before in _NO_START:
            allowed.append(i)
    allowed.append(len(text))
    breaks: list[int] = []
    used = 0
    for start, end in zip(allowed, allowed[1:], strict=False):
        unit = text[start:end]
        cells = cell_len(unit.rstrip())
        if used and used + cells > width:
            breaks.append(start)
            used = 0
        if fold and cells > width:  # fold a long word at the width
            for i in range(start + 1, end):
                if cell_len(text[(breaks[-1] if breaks else 0) : i + 1]) > width:
                    breaks.append(i)
            used = cell_len(text[(breaks[-1] if breaks else 0) : end])
        else:
            used += cell_len(unit)
    return breaks


@cache
def _unbroken(fold: bool = False) -> type[Text]:
    from rich._wrap import divide_line
    from rich.containers import Lines
    from rich.text import Text

    from newscli.cjk import has_cjk

    class Unbroken(Text):
        """Wraps at spaces, and in Chinese or Japanese text as its line-breaking rules
        allow; never cuts a line, and folds a word only if `fold`."""

        def wrap(self, console: Console, width: int, **options: Any) -> Lines:
            if fold and not has_cjk(self.plain):
                return super().wrap(console, width, **options)
            lines = Lines()
            for line in self.split(allow_blank=True):
                if "\t" in line:
                    line.expand_tabs(options.get("tab_size") or 8)
                plain = str(line)
                offsets = (cjk_breaks(plain, width, fold) if has_cjk(plain)
                           else divide_line(plain, width, fold=fold))
                pieces = line.divide(offsets)
                for piece in pieces:
                    piece.rstrip_end(width)
                lines.extend(pieces)
            return lines

    return Unbroken


class ArticleView:
    """Builds the renderables of one article. `plain` adds textual decoration (underlines,
    markers) for output with no styles: `--format text` and pipes."""

    def __init__(
        self,
        article: Article,
        *,
        plain: bool,
        hyperlinks: bool = True,
        width: int = DEFAULT_MEASURE,
        related: list[Hit] | None = None,
    ) -> None:
        self.article = article
        self.related_hits = related or []
        self.width = width
        self.plain = plain
        self.hyperlinks = hyperlinks and not plain
        self.links = _Links()

    def spans(self, spans: list[Span], style: str = "") -> Text:
        from rich.style import Style

        text = self._text(style=style)
        for index, span in enumerate(spans):
            span_style = Style(
                bold=span.bold or None,
                italic=span.italic or None,
                link=span.href if (span.href and self.hyperlinks) else None,
                color="cyan" if span.code else None,
                underline=bool(span.href) or None,
            )
            following = spans[index + 1].href if index + 1 < len(spans) else None
            if not span.href or following == span.href:
                text.append(span.text, span_style)
                continue
            # one link, one reference: after its last span, before any trailing blank
            body = span.text.rstrip()
            text.append(body, span_style)
            text.append(f"[{self.links.number(span.href or '')}]", "dim")
            text.append(span.text[len(body) :])
        return text

    def _text(self, value: str = "", style: str | Style = "") -> Text:
        """A Text that breaks Chinese and Japanese text by their line-breaking rules, and
        in plain output never breaks a word: one longer than the width (a URL) gets a line
        of its own, whole, so that it can be copied."""
        return _unbroken(fold=not self.plain)(value, style=style)

    def _underline(self, text: str, char: str) -> Text:
        from rich.cells import cell_len
        from rich.text import Text

        return Text(char * min(cell_len(text), self.width), style="dim")

    def header(self) -> list[RenderableType]:
        from rich.style import Style
        from rich.text import Text

        meta = self.article.meta
        out: list[RenderableType] = [Text(meta.title, style="bold")]
        out.append(self._underline(meta.title, "=" if self.plain else "━"))
        parts = meta_parts(meta, self.article.words)
        if parts:
            out.append(Text(" · ".join(parts), style="dim"))
        if meta.url:
            link = Style(link=meta.url if self.hyperlinks else None, color="blue")
            out.append(self._text(meta.url, style=link))
        return out

    def block(self, block: Block) -> list[RenderableType]:
        from rich.console import Group
        from rich.text import Text

        match block:
            case Heading(level=level, spans=spans):
                style = "bold cyan" if level <= 2 else "bold"
                text = self.spans(spans, style)
                if self.plain:
                    if level <= 2:
                        return [text, self._underline(text.plain, "-")]
                    return [Text("#" * level + " ") + text]
                return [text]
            case Paragraph(spans=spans):
                return [self.spans(spans)]
            case Quote(blocks=blocks):
                inner = self.blocks(blocks)
                return [_Bar(Group(*inner), "> " if self.plain else "│ ", "dim")]
            case ListBlock(items=items, ordered=ordered, start=start):
                return [self._list(items, ordered, start)]
            case CodeBlock(text=code):
                return [_Bar(Text(code, style="cyan", no_wrap=False), "    ", "")]
            case Rule():
                return [Text("* * *", style="dim", justify="center")]
            case Table(header=header, rows=rows):
                return [self._table(header, rows)]
        return []

    def _list(self, items: list[list[Block]], ordered: bool, start: int) -> RenderableType:
        from rich.console import Group
        from rich.text import Text

        bullet = "-" if self.plain else "•"
        return self._grid(
            [
                (Text(f"{n}." if ordered else bullet), Group(*self.blocks(item, gap=False)))
                for n, item in enumerate(items, start=start)
            ]
        )

    def _table(self, header: list[list[Span]], rows: list[list[list[Span]]]) -> RenderableType:
        from rich import box
        from rich.table import Table as RichTable

        table = RichTable(
            box=box.ASCII2 if self.plain else box.SIMPLE_HEAD, show_header=bool(header)
        )
        width = max([len(header), *(len(r) for r in rows)] or [0])
        for i in range(width):
            table.add_column(self.spans(header[i]) if i < len(header) else "")
        for row in rows:
            table.add_row(*(self.spans(cell) for cell in row))
        return table

    def blocks(self, blocks: list[Block], gap: bool = True) -> list[RenderableType]:
        from rich.text import Text

        out: list[RenderableType] = []
        for index, block in enumerate(blocks):
            if gap and index:
                out.append(Text(""))
            elif not gap and index and isinstance(block, Heading):
                out.append(Text(""))
            out.extend(self.block(block))
        return out

    def related(self, links: list[Link]) -> list[RenderableType]:
        from rich.style import Style
        from rich.text import Text

        out: list[RenderableType] = []
        for label in dict.fromkeys(link.label for link in links):
            out += [Text(""), self._underline(label, "─"), Text(label, style="bold yellow")]
            rows = []
            for link in (lk for lk in links if lk.label == label):
                line = Text(link.text, Style(link=link.url if self.hyperlinks else None))
                if link.url:
                    line.append(f" [{self.links.number(link.url)}]", "dim")
                rows.append((Text("→", style="yellow"), line))
            out.append(self._grid(rows))
        return out

    @staticmethod
    def _grid(rows: Sequence[tuple[Text, RenderableType]]) -> RenderableType:
        """Markers and contents, each content hanging under itself (lists, links)."""
        from rich.cells import cell_len
        from rich.console import Group

        indent = max((cell_len(marker.plain) for marker, _ in rows), default=0) + 1
        return Group(*(_Hanging(marker, content, indent) for marker, content in rows))

    def references(self) -> list[RenderableType]:
        from rich.style import Style
        from rich.text import Text

        if not self.links.urls:
            return []
        out: list[RenderableType] = [Text(""), Text("Links", style="bold")]
        for n, url in enumerate(self.links.urls, start=1):
            line = self._text(f"[{n}] ", style="dim")
            line.append(url, Style(link=url if self.hyperlinks else None, color="blue"))
            out.append(line)
        return out

    def renderable(self) -> RenderableType:
        from rich.console import Group
        from rich.text import Text

        shown, omitted = within(self.article.blocks, DISPLAY_CHARS)
        parts = self.header() + [Text("")] + self.blocks(shown)
        if omitted:
            parts += [Text(""), Text(f"[{omitted:,} more characters not shown; "
                                     "--format markdown gives the whole article]", style="dim")]
        parts += self.related(self.article.related)
        parts += self.references()
        parts += self.in_store()
        return Group(*parts)

    def in_store(self) -> list[RenderableType]:
        """Related articles found in the store (search hits), with the id to read them by."""
        from rich.text import Text

        if not self.related_hits:
            return []
        out: list[RenderableType] = [Text(""), Text("Related in your store", style="bold")]
        rows = []
        for hit in self.related_hits:
            line = Text(hit.row.title)
            line.append(f"  newscli read {hit.row.id}", style="dim")
            rows.append((Text("→", style="yellow"), line))
        out.append(self._grid(rows))
        return out


# -- JSON -----------------------------------------------------------------------------------
def article_json(article: Article, row: Row) -> dict[str, Any]:
    """`read --format json`: the `list --json` keys (the catalog row is current: `read`
    re-reads a changed file first), and the language, related links and body."""
    return {
        **row_json(row),
        "language": article.meta.language or None,
        "reading_minutes": article.reading_minutes,
        "related": [{"label": lk.label, "text": lk.text, "url": lk.url} for lk in article.related],
        "body": "\n\n".join(md_blocks(article.blocks)),
    }


