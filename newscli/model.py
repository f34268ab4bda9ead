"""The one article model. Every input format converts into it; every output renders from it.

Plain dataclasses, no I/O. Text in the model has already been through `sanitize.clean`.
What the catalog returns about articles (`Row`, `Hit`, `Filters`) is in `records.py`, kept
free of dataclasses so that `list` and `search` start fast; this module imports nothing of
newscli but that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newscli.records import reading_minutes


@dataclass(frozen=True)
class Span:
    """A run of inline text with its emphasis and, for links, its target."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@dataclass
class Heading:
    level: int  # 1..6; the article title is not a heading block
    spans: list[Span]


@dataclass
class Paragraph:
    spans: list[Span]


@dataclass
class Quote:
    blocks: list[Block]


@dataclass
class ListBlock:
    items: list[list[Block]]
    ordered: bool = False
    start: int = 1


@dataclass
class CodeBlock:
    text: str


@dataclass
class Rule:
    pass


@dataclass
class Table:
    header: list[list[Span]]
    rows: list[list[list[Span]]]


Block = Heading | Paragraph | Quote | ListBlock | CodeBlock | Rule | Table


@dataclass(frozen=True)
class Link:
    """A related-story link set apart from the body ("ALSO READ: …")."""

    text: str
    url: str | None = None
    label: str = "Also read"


@dataclass
class Meta:
    title: str = ""
    byline: str = ""
    date: str = ""  # ISO 8601: YYYY-MM-DD or full timestamp; "" when unknown
    source: str = ""
    url: str = ""
    tags: list[str] = field(default_factory=list)
    language: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Article:
    meta: Meta
    blocks: list[Block] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _words: int | None = field(default=None, repr=False, compare=False)

    @property
    def title(self) -> str:
        return self.meta.title

    def plain_text(self) -> str:
        """The body's words as plain text, one block per line (for counting and indexing)."""
        return "\n".join(block_text(b) for b in self.blocks)

    @property
    def words(self) -> int:
        if self._words is None:
            self._words = count_words(self.plain_text())
        return self._words

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.words)


def spans_text(spans: list[Span]) -> str:
    return "".join(s.text for s in spans)


def block_text(block: Block) -> str:
    match block:
        case Heading(spans=spans) | Paragraph(spans=spans):
            return spans_text(spans)
        case Quote(blocks=blocks):
            return "\n".join(block_text(b) for b in blocks)
        case ListBlock(items=items):
            return "\n".join(block_text(b) for item in items for b in item)
        case CodeBlock(text=text):
            return text
        case Table(header=header, rows=rows):
            return "\n".join(" ".join(spans_text(c) for c in row) for row in [header, *rows])
    return ""


def count_words(text: str) -> int:
    """Words as `wc -w` counts them: runs of non-space characters."""
    return len(text.split())
