"""The article: rendered by `newscli.render.ArticleView` (the renderer of `newscli read`)
into lines once per width, shown with Textual's line API; with find (/ n N), a heading
outline and the article's numbered links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newscli.model import Heading, spans_text

if TYPE_CHECKING:
    from textual import events

    from newscli.records import Hit
    from newscli.service import Opened

FOUND = Style(bgcolor="yellow", color="black")
CURRENT = Style(bgcolor="dark_orange", color="black", bold=True)
MAX_MEASURE = 88  # as `newscli read`: at most render.DEFAULT_MEASURE columns


@dataclass
class Rendered:
    """An article as lines at one width, with what the pane needs to know of them."""

    width: int
    lines: list[list[Segment]]
    plain: list[str]
    headings: list[tuple[int, str, int]]  # level, text, line
    links: list[str] = field(default_factory=list)


def render_article(opened: Opened, related: list[Hit], width: int) -> Rendered:
    from rich.console import Console

    from newscli.render import ArticleView

    view = ArticleView(opened.article, plain=False, hyperlinks=False, width=width,
                       related=related)
    console = Console(width=width, color_system="truecolor", force_terminal=True,
                      legacy_windows=False, emoji=False, highlight=False, markup=False)
    lines = console.render_lines(view.renderable(), console.options.update_width(width),
                                 pad=False)
    plain = ["".join(s.text for s in line).rstrip() for line in lines]
    return Rendered(width, lines, plain, _headings(opened, plain), list(view.links.urls))


def _headings(opened: Opened, plain: list[str]) -> list[tuple[int, str, int]]:
    """Where each heading of the article starts among the rendered lines (found in order,
    by the text of its first line)."""
    found = []
    at = 0
    for block in opened.article.blocks:
        if not isinstance(block, Heading):
            continue
        text = " ".join(spans_text(block.spans).split())
        for number in range(at, len(plain)):
            line = plain[number].strip()
            if line and text.startswith(line.split("[")[0].strip() or line):
                found.append((block.level, text, number))
                at = number + 1
                break
    return found


class ArticlePane(ScrollView, can_focus=True):
    """One article at a time, scrolled by line; remembers nothing itself (the app keeps
    each article's position)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_by(1)", "Down", show=False),
        Binding("k,up", "scroll_by(-1)", "Up", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
        Binding("space,pagedown", "page(1)", "Page", show=False),
        Binding("b,pageup", "page(-1)", "Page up", show=False),
        Binding("n", "next_match(1)", "Next", show=False),
        Binding("N", "next_match(-1)", "Previous", show=False),
        *(Binding(str(d), f"digit({d})", show=False) for d in range(10)),
    ]

    DEFAULT_CSS = """
    ArticlePane { padding: 0 1; }
    """

    class Found(Message):
        """A find ran: `count` matches, the current one `current` (0-based; -1: none)."""

        def __init__(self, needle: str, count: int, current: int) -> None:
            super().__init__()
            self.needle, self.count, self.current = needle, count, current

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.opened: Opened | None = None
        self.related: list[Hit] = []
        self.rendered: Rendered | None = None
        self.needle = ""
        self.matches: list[tuple[int, int, int]] = []  # line, start, end (characters)
        self.by_line: dict[int, list[tuple[int, int, int]]] = {}  # line: (match, start, end)
        self.current = -1
        self.prefix = ""  # digits typed before `o`: the link to open

    # -- content ---------------------------------------------------------------------------
    def show(self, opened: Opened, related: list[Hit], line: int = 0) -> None:
        self.opened, self.related = opened, related
        self.needle, self.matches, self.by_line, self.current = "", [], {}, -1
        self.prefix = ""
        self.rendered = None
        self._layout()
        self.scroll_to(y=line, animate=False, immediate=True)
        if self.scroll_offset.y != line:  # no scroll bar yet (the first article shown)
            self.call_after_refresh(self.scroll_to, y=line, animate=False, immediate=True)

    def _measure(self) -> int:
        return max(min(self.scrollable_content_region.width, MAX_MEASURE), 20)

    def _layout(self) -> None:
        if self.opened is None:
            return
        width = self._measure()
        if self.rendered is None or self.rendered.width != width:
            self.rendered = render_article(self.opened, self.related, width)
            if self.needle:
                self._find_all()
        self.virtual_size = Size(width, len(self.rendered.lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.rendered is None:
            return
        # Keep the same part of the article in view when the width changes.
        old = max(len(self.rendered.lines), 1)
        fraction = self.scroll_offset.y / old
        self._layout()
        self.scroll_to(y=round(fraction * len(self.rendered.lines)), animate=False,
                       immediate=True)

    @property
    def line(self) -> int:
        return self.scroll_offset.y

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        number = self.scroll_offset.y + y
        if self.rendered is None and number == 0:
            hint = Segment("Enter opens the article under the cursor; ? shows the keys.",
                           base + Style(dim=True))
            return Strip([hint]).crop_extend(0, width, base)
        if self.rendered is None or number >= len(self.rendered.lines):
            return Strip.blank(width, base)
        strip = Strip(Segment.apply_style(self.rendered.lines[number], base))
        spans = self.by_line.get(number)
        if spans:
            strip = self._highlight(strip, self.rendered.plain[number], spans)
        return strip.crop_extend(0, width, base)

    def _highlight(self, strip: Strip, text: str, spans: list[tuple[int, int, int]]) -> Strip:
        from rich.cells import cell_len

        cuts = []
        for _, start, end in spans:
            cuts += [cell_len(text[:start]), cell_len(text[:end])]
        pieces = strip.divide([*cuts, strip.cell_length])
        out = []
        for n, piece in enumerate(pieces):
            if n % 2:
                which = spans[n // 2][0]
                piece = piece.apply_style(CURRENT if which == self.current else FOUND)
            out.append(piece)
        return Strip.join(out)

    # -- scrolling -------------------------------------------------------------------------
    def action_scroll_by(self, lines: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + lines, animate=False, immediate=True)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def action_page(self, direction: int) -> None:
        step = max(self.scrollable_content_region.height - 1, 1)
        self.action_scroll_by(direction * step)

    def jump(self, line: int) -> None:
        """Put this line at the top (an outline entry, a match)."""
        self.scroll_to(y=line, animate=False, immediate=True)

    # -- find ------------------------------------------------------------------------------
    def find(self, needle: str) -> None:
        """Every occurrence of `needle` (any case); jump to the first at or after the top."""
        self.needle = needle
        self._find_all()
        top = self.scroll_offset.y
        self.current = next((i for i, (ln, _, _) in enumerate(self.matches) if ln >= top),
                            0 if self.matches else -1)
        self._show_current()

    def _find_all(self) -> None:
        self.matches, self.by_line = [], {}
        if not self.needle or self.rendered is None:
            return
        pattern = re.compile(re.escape(self.needle), re.IGNORECASE)
        for number, text in enumerate(self.rendered.plain):
            for m in pattern.finditer(text):
                self.by_line.setdefault(number, []).append((len(self.matches), *m.span()))
                self.matches.append((number, *m.span()))
        self.current = min(self.current, len(self.matches) - 1)

    def action_next_match(self, step: int) -> None:
        if not self.matches:
            self.post_message(self.Found(self.needle, 0, -1))
            return
        self.current = (self.current + step) % len(self.matches)
        self._show_current()

    def _show_current(self) -> None:
        if self.current >= 0:
            line = self.matches[self.current][0]
            top, height = self.scroll_offset.y, self.scrollable_content_region.height
            if not top <= line < top + height:
                self.jump(max(line - height // 3, 0))
        self.refresh()
        self.post_message(self.Found(self.needle, len(self.matches), self.current))

    # -- links -----------------------------------------------------------------------------
    def action_digit(self, digit: int) -> None:
        self.prefix = (self.prefix + str(digit))[-4:]

    def take_link(self) -> str | None:
        """The URL `o` opens: link N when digits were typed first, else the article's."""
        prefix, self.prefix = self.prefix, ""
        if self.opened is None:
            return None
        if prefix and self.rendered is not None:
            number = int(prefix)
            links = self.rendered.links
            return links[number - 1] if 1 <= number <= len(links) else None
        return self.opened.article.meta.url or self.opened.row.url or None
