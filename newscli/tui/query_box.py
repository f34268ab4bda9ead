"""The query box on top: the full query language of `newscli search`, and under it the
one-line error of a query that cannot run."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static


class QueryBox(Vertical):
    DEFAULT_CSS = """
    QueryBox { height: auto; }
    QueryBox > Input { padding: 0 1; }
    QueryBox > #query-error { display: none; color: $error; padding: 0 1; height: 1; }
    QueryBox.-error > #query-error { display: block; }
    """

    def __init__(self, value: str = "") -> None:
        super().__init__(id="query-box")
        self.value = value
        self._error = ""

    def compose(self) -> ComposeResult:
        yield Input(value=self.value, placeholder="search: words \"a phrase\" title:x "
                    "tag:x date:2024.. -word   (empty: every article)", id="query",
                    compact=True)
        yield Static("", id="query-error", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#query", Input)

    def show_error(self, message: str | None) -> None:
        from rich.text import Text

        if (message or "") == self._error:
            return
        self._error = message or ""
        self.query_one("#query-error", Static).update(
            Text(self._error, no_wrap=True, overflow="ellipsis"), layout=False)
        self.set_class(bool(message), "-error")
