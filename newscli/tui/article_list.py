"""The list of articles: a virtual list (Textual's line API) that renders only the rows on
screen, asking its `Listing` for them, so 100,000 articles cost what 40 do."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newscli.listing import human_date, marker
from newscli.records import MARK_OFF, MARK_ON, reading_minutes

if TYPE_CHECKING:
    from textual import events

    from newscli.tui.pages import Listing


def marked_title(title: str, unread: bool) -> Text:
    """A title (bold while unread, as `newscli list` shows it) with its matched words
    (between MARK_ON and MARK_OFF) highlighted."""
    text = Text(no_wrap=True, overflow="ellipsis")
    style = "bold" if unread else ""
    for i, piece in enumerate(title.replace(MARK_OFF, MARK_ON).split(MARK_ON)):
        text.append(piece, style="bold yellow" if i % 2 else style)
    return text


def row_line(listing: Listing, index: int, width: int) -> Text:
    """One line of the list: number, markers, title, then source, date and minutes as the
    width allows (the columns of `newscli list`, fewer when narrow)."""
    row = listing.row(index)
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    if row is None:
        return line
    digits = len(str(max(listing.count, 1)))
    line.append(f"{index + 1:>{digits}} ", style="dim")
    line.append(marker(row) + " ", style="yellow")
    date = human_date(row.date) if row.date else "—"
    tail = [(date.ljust(11), "green"), (f"{reading_minutes(row.words):>3}", "")]
    if width >= 90:
        tail.insert(0, ((row.source or "—")[:16].ljust(17), "cyan"))
    tail_width = sum(len(cell) + 1 for cell, _ in tail)
    title_width = max(width - len(line) - tail_width, 10)
    title = marked_title(listing.title(index), not row.read)
    title.truncate(title_width, overflow="ellipsis", pad=True)
    line.append_text(title)
    for cell, style in tail:
        line.append(" ")
        line.append(cell, style=style)
    return line


class ArticleList(ScrollView, can_focus=True):
    """The articles of a `Listing`, one line each, with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("j,down", "move(1)", "Down", show=False),
        Binding("k,up", "move(-1)", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("space,pagedown", "page(1)", "Page", show=False),
        Binding("b,pageup", "page(-1)", "Page up", show=False),
    ]

    DEFAULT_CSS = """
    ArticleList { background: $surface; }
    """

    class Opened(Message):
        """The user asked to read the article at `index`."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Moved(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.listing: Listing | None = None
        self.cursor = 0
        self._base: Style | None = None  # this widget's style, worked out once
        self._lines: dict[int, Strip] = {}  # rendered rows on screen, by index

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self._lines.clear()

    def refresh_rows(self) -> None:
        """The rows' content changed (reading state, a new listing): draw them again."""
        self._lines.clear()
        self.refresh()

    # -- data ------------------------------------------------------------------------------
    def show(self, listing: Listing, keep_cursor: bool = False) -> None:
        self.listing = listing
        if not keep_cursor:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = min(self.cursor, max(listing.count - 1, 0))
        self.virtual_size = Size(self.scrollable_content_region.width, listing.count)
        self.refresh_rows()
        self.post_message(self.Moved(self.cursor))

    @property
    def count(self) -> int:
        return self.listing.count if self.listing else 0

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if self._base is None:
            self._base = self.rich_style
        base = self._base
        if self.listing is None or index >= self.listing.count:
            return Strip.blank(width, base)
        strip = self._lines.get(index)
        if strip is None or strip.cell_length != width:
            text = row_line(self.listing, index, width)
            segments = list(text.render(self.app.console))
            strip = Strip(Segment.apply_style(segments, base)).crop_extend(0, width, base)
            if len(self._lines) > 500:
                self._lines.clear()
            self._lines[index] = strip
        if index == self.cursor:
            cursor = Style(reverse=True) if self.has_focus else Style(bgcolor="grey30")
            strip = strip.apply_style(cursor)
        return strip

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.count)
        self.refresh_rows()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- moving ----------------------------------------------------------------------------
    def go(self, index: int) -> None:
        if not self.count:
            return
        index = max(0, min(index, self.count - 1))
        self.cursor = index
        top, height = self.scroll_offset.y, max(self.size.height, 1)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Moved(index))

    def action_move(self, step: int) -> None:
        self.go(self.cursor + step)

    def action_first(self) -> None:
        self.go(0)

    def action_last(self) -> None:
        self.go(self.count - 1)

    def action_page(self, direction: int) -> None:
        height = max(self.size.height - 1, 1)
        self.scroll_to(y=self.scroll_offset.y + direction * height, animate=False,
                       immediate=True)
        self.go(self.cursor + direction * height)

    def action_open(self) -> None:
        if self.count:
            self.post_message(self.Opened(self.cursor))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < self.count:
            if index == self.cursor or event.chain > 1:
                self.go(index)
                self.post_message(self.Opened(index))
            else:
                self.go(index)
