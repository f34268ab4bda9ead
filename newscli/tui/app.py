"""The browser: the query box on top, the list and the article side by side (one at a time
when the terminal is narrower than 100 columns), a status line and the keys at the bottom.

Every action calls the use case a CLI command calls: the list is `Library.rows` and
`Library.search`, opening is `Library.read` (which marks the article read, as `read` does),
the keys r, s and t are `Library.mark` and `Library.tag` (`newscli mark`, `star`, `tag`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Input

from newscli.errors import NewscliError, NotFound
from newscli.tui.article_list import ArticleList
from newscli.tui.article_pane import ArticlePane
from newscli.tui.pages import Listing
from newscli.tui.query_box import QueryBox
from newscli.tui.searcher import Searcher
from newscli.tui.status_line import StatusLine

if TYPE_CHECKING:
    from textual import events
    from textual.timer import Timer

    from newscli.records import Row
    from newscli.service import Library

NARROW = 100  # below this many columns, one pane at a time
DEBOUNCE = 0.02  # seconds of quiet typing before a search starts (a newer one stops it)
SEARCH_LIMIT = 100  # hits a query shows at first, best first; more as the list nears its end
MORE = 5  # ... each time this many times as many


class BrowseApp(App[None]):
    TITLE = "newscli"
    CSS = """
    #panes { height: 1fr; border-top: hkey $panel-lighten-2; }
    ArticleList, ArticlePane { scrollbar-size-vertical: 1; overflow-x: hidden;
                              scrollbar-gutter: stable; }
    #list { width: 45%; }
    #article { width: 1fr; border-left: vkey $panel-lighten-2; }
    #panes.-narrow #list { width: 1fr; }
    #panes.-narrow #article { display: none; border-left: none; }
    #panes.-narrow.-reading #list { display: none; }
    #panes.-narrow.-reading #article { display: block; }
    """
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c,ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("q,escape", "go_back", "Back/quit"),
        Binding("slash", "slash", "Search/find"),
        Binding("question_mark", "help", "Keys"),
        Binding("ctrl+t", "outline", "Outline"),
        Binding("o", "open_url", "Open URL"),
        Binding("r", "toggle_read", "Read"),
        Binding("s", "toggle_star", "Star"),
        Binding("t", "tag", "Tag"),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]

    def __init__(self, library: Library, *, query: str = "", store_label: str = "") -> None:
        super().__init__()
        self.library = library
        self.store_label = store_label or str(library.root)
        self.initial_query = query
        self.listing: Listing | None = None
        self._timer: Timer | None = None
        self._searcher: Searcher | None = None
        self._wanted: str | None = None  # the query whose results are shown or on the way
        self._warnings: list[str] = []  # said before the status line was there
        self._status_up = False

    # -- parts -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield QueryBox(self.initial_query)
        with Horizontal(id="panes"):
            yield ArticleList(id="list")
            yield ArticlePane(id="article")
        yield StatusLine()
        yield Footer()

    @property
    def panes(self) -> Horizontal:
        return self.query_one("#panes", Horizontal)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def pane(self) -> ArticlePane:
        return self.query_one(ArticlePane)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def query_box(self) -> QueryBox:
        return self.query_one(QueryBox)

    def on_mount(self) -> None:
        self._searcher = Searcher(self.library, self.warned)
        self.status.set(store=self.store_label)
        self._status_up = True
        self._narrow(self.size.width)
        self.run_query(force=True)
        if self._warnings:
            self.status.set(message="; ".join(self._warnings))
        self.article_list.focus()

    def on_unmount(self) -> None:
        if self._searcher is not None:
            self._searcher.close()

    def on_resize(self, event: events.Resize) -> None:
        self._narrow(event.size.width)

    def _narrow(self, width: int) -> None:
        self.panes.set_class(width < NARROW, "-narrow")

    @property
    def narrow(self) -> bool:
        return self.panes.has_class("-narrow")

    @property
    def reading(self) -> bool:
        """Keys act on the open article (else on the one under the list's cursor)."""
        return self.focused is self.pane or (self.narrow and self.panes.has_class("-reading"))

    def warned(self, message: str) -> None:
        """The library's warnings, shown in the status line."""
        if self._status_up:
            self.status.set(message=message)
        else:
            self._warnings.append(message)

    # -- the list and the query ------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "query":
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.search_typed)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "query":
            if self._timer is not None:
                self._timer.stop()
            self.search_typed()
            self.panes.remove_class("-reading")  # the results, even in a narrow terminal
            self.article_list.focus()

    @property
    def query_text(self) -> str:
        return " ".join(self.query_box.input.value.split())

    def run_query(self, force: bool = False) -> None:
        """Show what the query box asks for, now; an invalid query keeps the last results."""
        text = self._wanted = self.query_text
        self.workers.cancel_group(self, "search")
        if not force and self.listing is not None and text == self.listing.query:
            self.query_box.show_error(None)
            return
        try:
            self._found(text, self._listing(text, SEARCH_LIMIT))
        except NewscliError as exc:
            self._found(text, exc)

    def search_typed(self) -> None:
        """Search for what was typed, in the searcher's thread (an empty box lists all)."""
        text = self.query_text
        if text == self._wanted:
            return
        if not text or (self.listing is not None and text == self.listing.query):
            self.run_query()
            return
        self._wanted = text
        self.run_worker(self._search(text), group="search", exclusive=True)

    async def _search(self, text: str) -> None:
        assert self._searcher is not None
        try:
            hits = await self._searcher.search(text, SEARCH_LIMIT)
        except NewscliError as exc:
            self._found(text, exc)
            return
        self._found(text, Listing(self.library, text, hits, SEARCH_LIMIT))

    def _found(self, text: str, listing: Listing | NewscliError) -> None:
        """Results or the error of the query `text`, shown if it is still the one wanted."""
        if text != self._wanted:
            return
        if isinstance(listing, NewscliError):
            self.query_box.show_error(listing.message)
            return
        self.query_box.show_error(None)
        self._show(listing)

    def _listing(self, text: str, limit: int) -> Listing:
        if not text:
            return Listing(self.library)
        try:
            return Listing(self.library, text, self.library.search(text, limit=limit), limit)
        except NotFound:
            return Listing(self.library, text, [], limit)

    def _show(self, listing: Listing, keep_cursor: bool = False) -> None:
        self.listing = listing
        self.article_list.show(listing, keep_cursor)
        if not listing.counted:  # count the whole store once the first rows are on screen
            self.call_after_refresh(self._count, listing)
        self._show_count(listing)
        self.status.set(message="")

    def _count(self, listing: Listing) -> None:
        if listing is self.listing:
            listing.count_all()
            self.article_list.show(listing, keep_cursor=True)
            self._show_count(listing)

    def _show_count(self, listing: Listing) -> None:
        more = "" if listing.complete and listing.counted else "+"
        if listing.query:
            noun = "hit" if listing.count == 1 and not more else "hits"
            count = f"{listing.count:,}{more} {noun}" if listing.count else "no articles match"
        else:
            count = f"{listing.count:,}{more} articles" if listing.count else "no articles yet"
        self.status.set(count=count, query=listing.query and f"query: {listing.query}")

    def on_article_list_moved(self, message: ArticleList.Moved) -> None:
        count = self.article_list.count
        self.status.set(position=f"{message.index + 1:,}/{count:,}" if count else "")
        listing = self.listing
        if listing is not None and not listing.complete and message.index >= count - 10:
            # Near the end of the hits fetched so far: fetch more of them.
            more = self._listing(listing.query, listing.limit * MORE)
            self._show(more, keep_cursor=True)

    def on_article_list_opened(self, message: ArticleList.Opened) -> None:
        self.open_index(message.index)

    # -- one article -----------------------------------------------------------------------
    def open_index(self, index: int) -> None:
        row = self.listing.row(index) if self.listing else None
        if row is None:
            return
        self._keep_position()
        try:
            opened = self.library.read(row.path)  # marks it read, as `newscli read` does
        except NewscliError as exc:  # gone or changed since it was listed
            self.status.set(message=exc.message)
            self.action_reload(quiet=True)
            return
        self._state_changed()
        related = self.library.related(opened, limit=3)
        self.pane.show(opened, related, self.library.position(opened.row))
        self.panes.add_class("-reading")
        self.pane.focus()
        self.status.set(message=f"newscli read {opened.row.id}")

    def _keep_position(self) -> None:
        """Where the reader is in the open article, kept in the state store for next time."""
        opened = self.pane.opened
        if opened is not None:
            try:
                self.library.keep_position(opened.row, self.pane.line)
            except NewscliError as exc:  # the state store busy: the place is not kept
                self.status.set(message=exc.message)

    async def action_quit(self) -> None:
        self._keep_position()
        self.exit()

    async def action_go_back(self) -> None:
        if self.focused is self.query_box.input:
            hidden = self.narrow and self.panes.has_class("-reading")
            (self.pane if hidden else self.article_list).focus()
        elif self.reading:
            self._keep_position()
            self.panes.remove_class("-reading")
            self.article_list.focus()
        else:
            await self.action_quit()

    def action_slash(self) -> None:
        if self.focused is self.pane and self.pane.opened is not None:
            from newscli.tui.prompt import PromptScreen

            def found(needle: str | None) -> None:
                if needle:
                    self.pane.find(needle)

            self.push_screen(PromptScreen("Find in the article:", self.pane.needle), found)
        else:
            self.query_box.input.focus()

    def on_article_pane_found(self, message: ArticlePane.Found) -> None:
        if message.count:
            self.status.set(message=f"'{message.needle}': {message.current + 1} of "
                            f"{message.count}")
        else:
            self.status.set(message=f"'{message.needle}' not found" if message.needle
                            else "/ finds a word in the article")

    def action_outline(self) -> None:
        rendered = self.pane.rendered
        if rendered is None or not self.reading:
            return
        if not rendered.headings:
            self.status.set(message="this article has no headings")
            return
        from newscli.tui.outline import OutlineScreen

        def chosen(line: int | None) -> None:
            if line is not None:
                self.pane.jump(line)
            self.pane.focus()

        self.push_screen(OutlineScreen(rendered.headings), chosen)

    def action_open_url(self) -> None:
        row = self._target()
        url = self.pane.take_link() if self.reading else row.url if row else None
        if not url:
            self.status.set(message="no such link")
            return
        import webbrowser

        webbrowser.open(url)
        self.status.set(message=f"opened {url}")

    def action_help(self) -> None:
        from newscli.tui.help import HelpScreen

        self.push_screen(HelpScreen())

    # -- reading state ---------------------------------------------------------------------
    def _target(self) -> Row | None:
        """The article a key acts on: the one open, else the one under the cursor."""
        if self.reading and self.pane.opened is not None:
            return self.pane.opened.row
        return self.listing.row(self.article_list.cursor) if self.listing else None

    def _state_changed(self) -> None:
        if self.listing is not None:
            self.listing.forget_states()
        self.article_list.refresh_rows()

    def action_toggle_read(self) -> None:
        self._toggle("read", ("mark read", "mark unread"))

    def action_toggle_star(self) -> None:
        self._toggle("starred", ("star", "unstar"))

    def _toggle(self, flag: str, commands: tuple[str, str]) -> None:
        """Flip `read` or `starred` of the article at hand; say the command that does it."""
        row = self._target()
        if row is None:
            return
        state = self.library.states([row]).get(row.key)
        on = not (state is not None and getattr(state, flag))
        self.library.mark([row], **{flag: on})
        self._state_changed()
        self.status.set(message=f"newscli {commands[0] if on else commands[1]} {row.id}")

    def action_tag(self) -> None:
        row = self._target()
        if row is None:
            return
        from newscli.tui.prompt import PromptScreen

        def tagged(answer: str | None) -> None:
            words = (answer or "").split()
            add = tuple(w.lstrip("+") for w in words if not w.startswith("-") and w != "+")
            remove = tuple(w[1:] for w in words if w.startswith("-") and len(w) > 1)
            if add or remove:
                self.library.tag([row], add=add, remove=remove)
                self._state_changed()
                change = " ".join([*(f"+{t}" for t in add), *(f"-{t}" for t in remove)])
                self.status.set(message=f"newscli tag {row.id} {change}")

        self.push_screen(PromptScreen(f"Tags of {row.id} (+add -remove):"), tagged)

    # -- the store changing ----------------------------------------------------------------
    def action_reload(self, quiet: bool = False) -> None:
        """Catch up with the files (as any command does when it starts)."""
        self.library.refresh(report=False)
        listing = self.listing
        if listing is not None:
            try:
                again = self._listing(listing.query, listing.limit)
            except NewscliError:
                again = Listing(self.library, listing.query, [], listing.limit)
            message = self.status.parts.get("message", "")
            self._show(again, keep_cursor=True)
            if quiet:
                self.status.set(message=message)
        opened = self.pane.opened
        if opened is not None:
            try:
                self.library.resolve(opened.row.path)
            except NewscliError:
                self.status.set(message=f"{opened.row.id}: its file is gone; the text "
                                "shown is as it was read")

