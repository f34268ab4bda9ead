"""Driving the browser in tests: a store to read, the app on it, and the screen as text."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from newscli.config import Settings
from newscli.service import Library
from newscli.tui.app import BrowseApp

SECTIONS = ("Background", "The vote", "What happens next", "Reactions", "Costs")


def long_read() -> str:
    """A dated Markdown article with five sections, long enough to scroll."""
    parts = ["---", "title: Harbour tunnel plan explained", "date: 2025-07-01",
             "source: Test Gazette", "url: https://gazette.example.org/tunnel", "---", ""]
    for n, section in enumerate(SECTIONS, start=1):
        parts += [f"## {section}", ""]
        for p in range(6):
            parts += [f"Paragraph {p + 1} of section {n} says the harbour tunnel would cost "
                      "more than planned, and that engineers disagree about its route under "
                      "the old docks and the river bed.", ""]
    parts += ["See [the plan](https://gazette.example.org/plan.pdf).", ""]
    return "\n".join(parts)


def add_long_read(store: Path) -> Path:
    path = store / "2025" / "harbour-tunnel.md"
    path.write_text(long_read(), encoding="utf-8")
    return path


def screen_text(app: BrowseApp) -> str:
    """What the terminal shows, as text (Textual's compositor; no public API gives it)."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


Steps = Callable[[BrowseApp, Pilot[None]], Awaitable[None]]


def drive(store: Path, steps: Steps, size: tuple[int, int] = (120, 30),
          query: str = "") -> BrowseApp:
    """Run the browser on `store` at a fixed terminal size and play `steps` on it."""

    async def main() -> BrowseApp:
        with Library(Settings(str(store))) as library:
            app = BrowseApp(library, query=query, store_label="store")
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                await steps(app, pilot)
            return app

    return asyncio.run(main())


async def type_query(pilot: Pilot[None], text: str) -> None:
    """Type into the query box as a person would, then let the debounce pass."""
    if pilot.app.focused is None or pilot.app.focused.id != "query":
        await pilot.press("slash")
    await pilot.press(*[_key(c) for c in text])
    await pilot.pause(0.3)


def _key(char: str) -> str:
    return {" ": "space", ":": "colon", "-": "minus", '"': "quotation_mark",
            "*": "asterisk", ".": "full_stop"}.get(char, char)
