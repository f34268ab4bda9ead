"""The heading outline of an article (ctrl+t): pick a heading to jump to it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class OutlineScreen(ModalScreen[int | None]):
    """Returns the rendered line of the chosen heading, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,ctrl+t", "dismiss_none", "Close"),
        Binding("j", "cursor(1)", show=False),
        Binding("k", "cursor(-1)", show=False),
    ]

    DEFAULT_CSS = """
    OutlineScreen { align: center middle; }
    OutlineScreen > OptionList { width: 70%; max-height: 80%; border: round $accent; }
    """

    def __init__(self, headings: list[tuple[int, str, int]]) -> None:
        super().__init__()
        self.headings = headings

    def compose(self) -> ComposeResult:
        top = min((level for level, _, _ in self.headings), default=1)
        options = [
            Option(Text("  " * (level - top) + text, no_wrap=True, overflow="ellipsis"),
                   id=str(n))
            for n, (level, text, _) in enumerate(self.headings)
        ]
        outline = OptionList(*options, id="outline")
        outline.border_title = "Outline"
        yield outline

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.headings[event.option_index][2])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_cursor(self, step: int) -> None:
        outline = self.query_one(OptionList)
        outline.action_cursor_down() if step > 0 else outline.action_cursor_up()
