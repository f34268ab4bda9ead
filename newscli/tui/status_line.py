"""The status line: store, count, query, and the last thing that happened."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__("", id="status", markup=False)
        self.parts: dict[str, str] = {}

    def set(self, **parts: str) -> None:
        self.parts.update(parts)
        text = Text(no_wrap=True, overflow="ellipsis")
        for name in ("store", "count", "query", "position", "message"):
            value = self.parts.get(name)
            if value:
                if text:
                    text.append(" · ", style="dim")
                text.append(value, style="bold" if name == "message" else "")
        self.update(text, layout=False)  # always one line high
