"""The keys (?), each with the command that does the same from the shell."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str, str]] = [
    ("j k ↓ ↑", "move / scroll a line", ""),
    ("g G", "first / last", ""),
    ("space b", "page down / up", ""),
    ("enter", "open the article", "newscli read ID"),
    ("q esc", "back to the list; quit from the list", ""),
    ("/", "list: search box; article: find", "newscli search QUERY"),
    ("n N", "next / previous match", ""),
    ("ctrl+t", "heading outline, jump to a heading", ""),
    ("o  3o", "open the article's URL / link 3 in the browser", ""),
    ("r", "mark read / unread", "newscli mark read|unread ID"),
    ("s", "star / unstar", "newscli star|unstar ID"),
    ("t", "tags: +add -remove", "newscli tag ID +TAG -TAG"),
    ("ctrl+r", "look for changed files", "newscli index"),
    ("tab", "next pane or box", ""),
    ("?", "this help", ""),
    ("ctrl+c ctrl+q", "quit", ""),
]


def keys_table() -> Table:
    table = Table(box=None, show_header=True, pad_edge=False, expand=False)
    table.add_column("key", style="bold cyan", no_wrap=True)
    table.add_column("does")
    table.add_column("the same from the shell", style="dim")
    for key, does, command in KEYS:
        table.add_row(Text(key), Text(does), Text(command))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 98; max-width: 100%; height: auto; max-height: 100%;
                                  border: round $accent; padding: 0 1; background: $panel; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Keys (q closes)"
            yield Static(keys_table())

    def action_close(self) -> None:
        self.dismiss(None)
