"""What the browser looks like, pinned as SVG snapshots (pytest-textual-snapshot; Textual is
pinned to an exact version in setup.cfg so that they stay stable). Fixed terminal sizes,
the bundled store (fixed dates), no clock. `pytest --snapshot-update` rewrites them."""

from __future__ import annotations

from pathlib import Path

from newscli.config import Settings
from newscli.service import Library
from newscli.tui.app import BrowseApp


def app_on(store: Path) -> BrowseApp:
    return BrowseApp(Library(Settings(str(store))), store_label="store")


def test_the_list_beside_an_open_article(store: Path, snap_compare) -> None:
    assert snap_compare(app_on(store), press=["j", "enter"], terminal_size=(110, 22))


def test_a_find_in_a_narrow_terminal(store: Path, snap_compare) -> None:
    keys = ["j", "enter", "slash", *"council", "enter", "n"]
    assert snap_compare(app_on(store), press=keys, terminal_size=(70, 20))


def test_search_results_with_an_invalid_query_under_the_box(store: Path, snap_compare) -> None:
    async def type_two_queries(pilot) -> None:  # whole queries: no half-typed ones between
        box = pilot.app.query_box.input
        box.focus()
        for text in ("council", "council date:x"):
            box.value = text
            await pilot.pause(0.3)

    assert snap_compare(app_on(store), run_before=type_two_queries, terminal_size=(90, 14))
