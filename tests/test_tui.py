"""`newscli browse`, driven with Textual's pilot on real stores: what a reader sees."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot

from newscli.config import Settings
from newscli.service import Library
from newscli.tui.app import BrowseApp
from newscli.tui.pages import PAGE
from tests.conftest import REPO
from tests.tui_helpers import SECTIONS, add_long_read, drive, screen_text, type_query

NEWEST = "Harbour tunnel plan explained"


@pytest.fixture
def reading(store: Path) -> Path:
    add_long_read(store)
    return store


def states(store: Path, article_id: str) -> tuple[bool | None, bool | None]:
    with Library(Settings(str(store))) as library:
        row = library.resolve(article_id)
        state = library.states([row]).get(row.key)
        return (state.read, state.starred) if state else (None, None)


def listed_ids(run, store: Path, *args: str) -> list[str]:
    return [a["id"] for a in json.loads(run(store, *args, "--json").stdout)]


# -- the list ---------------------------------------------------------------------------------
def test_the_list_shows_the_rows_of_newscli_list_in_its_order(reading: Path, run) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        screen = screen_text(app)
        titles = [a["title"] for a in json.loads(run(reading, "list", "--json").stdout)]
        positions = [screen.index(t[:25]) for t in titles]
        assert positions == sorted(positions)
        assert "5 articles" in screen and screen.count("•") == 5  # all unread

    drive(reading, steps)


def test_the_list_is_virtual_and_reaches_the_last_of_many_articles(tmp_path: Path) -> None:
    store = tmp_path / "many"
    store.mkdir()
    total = PAGE * 3 + 7
    for n in range(total):
        (store / f"note-{n:04d}.md").write_text(
            f"---\ntitle: Note number {n:04d}\ndate: 2020-01-01\n---\n\nBody {n}.\n",
            encoding="utf-8")

    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        assert app.listing is not None and len(app.listing._pages) == 1  # one page read
        await pilot.press("G")
        screen = screen_text(app)
        assert f"{total:,} articles" in screen and f"{total}/{total}" in screen
        assert f"Note number {total - 1:04d}" in screen  # same date: by title
        await pilot.press("g")
        assert "1/" in screen_text(app)
        assert len(app.listing._pages) <= 3  # only the pages shown were fetched
        await type_query(pilot, "body")
        assert "100+ hits" in screen_text(app)  # the best hundred first
        await pilot.press("enter", "G")
        assert f"{total} hits" in screen_text(app)  # the rest when the end is reached

    drive(store, steps, size=(100, 20))


# -- opening and going back ----------------------------------------------------------------------
def test_enter_opens_the_article_marks_it_read_and_q_goes_back(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        screen = screen_text(app)
        assert "By Test Gazette" not in screen and "Test Gazette" in screen
        assert "Paragraph 1 of section 1" in screen
        assert app.focused is app.pane
        await pilot.press("q")
        assert app.focused is app.article_list and app.is_running
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    drive(reading, steps)
    assert states(reading, "harbour-tunnel") == (True, None)


def test_the_reading_position_survives_quitting_and_an_index_rebuild(reading: Path,
                                                                    run) -> None:
    kept: list[int] = []

    async def read_some(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "space", "space")
        kept.append(app.pane.line)
        await pilot.press("ctrl+c")  # quit with the article open

    async def come_back(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        assert app.pane.opened is not None and app.pane.opened.row.id == "2025/harbour-tunnel"
        assert app.pane.line == kept[0] > 0

    drive(reading, read_some)
    run(reading, "index", "--rebuild")  # reading state, positions included, outlives the index
    drive(reading, come_back)


def test_a_click_selects_a_row_and_a_second_click_opens_it(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.click("#list", offset=(8, 2))
        assert app.article_list.cursor == 2 and app.pane.opened is None
        await pilot.click("#list", offset=(8, 2))
        assert app.pane.opened is not None
        assert app.pane.opened.row.id == "2025/riverside-bike-lanes"

    drive(reading, steps)


def test_the_reading_position_is_kept_per_article(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "space", "space")
        line = app.pane.line
        assert line > 0
        await pilot.press("q", "j", "enter")  # another article starts at its top
        assert app.pane.line == 0
        await pilot.press("q", "k", "enter")
        assert app.pane.line == line

    drive(reading, steps)


# -- search as you type --------------------------------------------------------------------------
def test_search_as_you_type_shows_ranked_hits_as_search_does(reading: Path, run) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await type_query(pilot, "harbour")
        screen = screen_text(app)
        expected = listed_ids(run, reading, "search", "harbour")
        assert app.listing is not None
        assert [app.listing.row(i).id for i in range(app.listing.count)] == expected
        assert f"{len(expected)} hits" in screen and "query: harbour" in screen
        assert "Riverside council" in screen and "El Salvador" not in screen
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.pause(0.3)
        assert "no articles match" in screen_text(app)  # "harb" is a word, not a prefix

    drive(reading, steps)


def test_matched_words_are_highlighted_in_the_list(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await type_query(pilot, "tunnel")
        strip = app.article_list.render_line(0)
        styled = [seg.text for seg in strip if seg.style and seg.style.bold
                  and seg.style.color and seg.style.color.name == "yellow"]
        assert styled == ["tunnel"]

    drive(reading, steps)


def test_an_invalid_query_shows_its_error_and_keeps_the_last_results(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await type_query(pilot, "harbour")
        before = screen_text(app)
        # Whole values: a half-typed "date:" is a valid query, and when the debounce runs
        # between keys depends on the machine.
        app.query_box.input.value = "harbour date:soon"
        await pilot.pause(0.3)
        screen = screen_text(app)
        assert "invalid date 'soon'" in screen
        assert "Riverside council" in screen and "query: harbour" in screen
        app.query_box.input.value = "harbour"
        await pilot.pause(0.3)
        assert "invalid date" not in screen_text(app)
        assert screen_text(app) == before

    drive(reading, steps)


def test_keys_work_while_a_search_runs_and_its_late_results_never_replace_newer(
        reading: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Searches run in a thread of their own: a slow one does not freeze the list, and
    when it ends after a newer query's, its results are not shown."""
    import threading

    from newscli.tui.searcher import Searcher

    release = threading.Event()
    real = Searcher._hits

    def slow_for_tunnel(self: Searcher, text: str, limit: int) -> list:
        if text == "tunnel":
            release.wait(10)
        return real(self, text, limit)

    monkeypatch.setattr(Searcher, "_hits", slow_for_tunnel)

    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        app.query_box.input.value = "tunnel"
        await pilot.pause(0.2)
        assert "query:" not in screen_text(app)  # still running
        app.article_list.focus()
        await pilot.press("j", "j")
        assert app.article_list.cursor == 2  # the list answers meanwhile
        app.query_box.input.value = "council"
        await pilot.pause(0.2)
        release.set()  # "tunnel" ends last
        await pilot.pause(0.3)
        screen = screen_text(app)
        assert "query: council" in screen and "Riverside council" in screen
        assert NEWEST not in screen.split("\n")[2]  # not "tunnel"'s first hit

    drive(reading, steps)


def test_a_search_after_the_first_star_sees_it(reading: Path) -> None:
    """The search thread looks for the state file again: starring creates it."""
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await type_query(pilot, "harbour")  # a search before any reading state exists
        app.article_list.focus()
        await pilot.press("s")
        await type_query(pilot, " is:starred")
        assert "1 hit" in screen_text(app)
        assert app.listing is not None and app.listing.count == 1

    drive(reading, steps)


def test_a_query_given_on_the_command_line_fills_the_box(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        assert "query: title:tunnel" in screen_text(app)
        assert app.listing is not None and app.listing.count == 1

    drive(reading, steps, query="title:tunnel")


# -- inside the article ------------------------------------------------------------------------
def test_the_outline_jumps_to_a_heading(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "ctrl+t")
        screen = screen_text(app)
        assert all(section in screen for section in SECTIONS) and "Outline" in screen
        await pilot.press("down", "down", "down", "enter")
        assert app.pane.rendered is not None
        assert app.pane.rendered.plain[app.pane.line].strip() == "Reactions"
        assert screen_text(app).split("\n")[2].endswith("▏ Reactions")  # at the top

    drive(reading, steps)


def test_find_with_n_and_N(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "slash", *"section 4", "enter")
        assert "'section 4': 1 of 6" in screen_text(app)
        first = app.pane.line
        await pilot.press("n", "n")
        assert "'section 4': 3 of 6" in screen_text(app)
        await pilot.press("N", "N", "N")
        assert "'section 4': 6 of 6" in screen_text(app)  # wraps around
        await pilot.press("n")
        assert "1 of 6" in screen_text(app) and app.pane.line == first
        assert "Paragraph 1 of section 4" in screen_text(app)

    drive(reading, steps)


def test_o_opens_the_url_and_a_number_then_o_opens_that_link(
        reading: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)

    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "o", "1", "o", "9", "o")
        assert "no such link" in screen_text(app)

    drive(reading, steps)
    assert opened == ["https://gazette.example.org/tunnel", "https://gazette.example.org/plan.pdf"]


# -- reading state --------------------------------------------------------------------------
def test_r_and_s_mark_read_and_star_as_the_cli_would(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("r", "s")
        screen = screen_text(app)
        assert "newscli star 2025/harbour-tunnel" in screen
        assert screen.split("\n")[2].startswith("1  ★ Harbour")  # read: no dot; starred
        await pilot.press("r")
        assert screen_text(app).split("\n")[2].startswith("1 •★ Harbour")

    drive(reading, steps)
    assert states(reading, "harbour-tunnel") == (False, True)


def test_is_unread_in_the_box_leaves_out_what_was_just_read(reading: Path, run) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "q")
        await type_query(pilot, "is:unread")
        assert "4 hits" in screen_text(app) and app.listing is not None
        assert NEWEST not in [app.listing.title(i) for i in range(app.listing.count)]

    drive(reading, steps)
    listed = json.loads(run(reading, "list", "--json").stdout)
    assert [a["read"] for a in listed] == [True, False, False, False, False]


def test_t_adds_and_removes_tags(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("t", *"later +work", "enter")
        await pilot.press("t", "minus", *"work", "enter")
        assert "newscli tag 2025/harbour-tunnel -work" in screen_text(app)

    drive(reading, steps)
    with Library(Settings(str(reading))) as library:
        row = library.resolve("harbour-tunnel")
        tags = library.states([row])[row.key].tags
    assert {t: added for t, (added, _) in tags.items()} == {"later": True, "work": False}


# -- layout -----------------------------------------------------------------------------------
def test_a_narrow_terminal_shows_one_pane_at_a_time(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        assert "Offshore wind" in screen_text(app)
        await pilot.press("enter")
        screen = screen_text(app)
        assert "Paragraph 1 of section 1" in screen and "Offshore wind" not in screen
        await pilot.press("slash", "escape")  # a find, cancelled: still the article
        assert app.focused is app.pane and "Paragraph 1 of section 1" in screen_text(app)
        await pilot.press("escape")
        screen = screen_text(app)
        assert "Offshore wind" in screen and "Paragraph 1" not in screen
        await pilot.press("enter", "tab")  # from the article to the box, then a search
        await type_query(pilot, "wind")
        await pilot.press("enter")
        screen = screen_text(app)
        assert "Offshore wind" in screen and "Paragraph 1" not in screen

    drive(reading, steps, size=(80, 24))


def test_both_panes_side_by_side_when_wide(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        screen = screen_text(app)
        assert "Paragraph 1 of section 1" in screen and "Offshore wind" in screen

    drive(reading, steps, size=(140, 30))


def test_resizing_rewraps_the_article_and_switches_layout(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "space")
        assert "Offshore wind" in screen_text(app)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        screen = screen_text(app)
        assert "Offshore wind" not in screen  # narrow: the article alone
        assert app.pane.rendered is not None and app.pane.rendered.width <= 60
        assert all(len(line) <= 60 for line in screen.split("\n"))
        assert "section 1" in screen  # still about where it was
        await pilot.resize_terminal(130, 30)
        await pilot.pause()
        assert "Offshore wind" in screen_text(app)

    drive(reading, steps)


# -- the store changing ------------------------------------------------------------------------
def test_an_article_deleted_before_opening_is_reported_and_leaves_the_list(
        reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        (reading / "2025" / "harbour-tunnel.md").unlink()
        await pilot.press("enter")
        screen = screen_text(app)
        assert "harbour-tunnel.md" in screen  # the error, in the status line
        assert NEWEST not in screen and "4 articles" in screen
        assert app.is_running

    drive(reading, steps)


def test_an_article_deleted_while_open_stays_readable(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        (reading / "2025" / "harbour-tunnel.md").unlink()
        await pilot.press("ctrl+r", "space")
        screen = screen_text(app)
        assert "its file is gone" in screen and "section 1" in screen
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert "section" in screen_text(app)

    drive(reading, steps)


def test_a_hostile_article_is_shown_as_text(tmp_path: Path) -> None:
    store = tmp_path / "hostile"
    store.mkdir()
    title = "Bad \x1b]0;pwned\x07[bold red]markup[/] \u202eevil"
    (store / "bad.txt").write_text(title + "\n\n" + "x" * 5000 + "\n\nEnd [link=x]here[/link]\n",
                                   encoding="utf-8")

    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        assert "[bold red]markup[/]" in screen_text(app)
        await pilot.press("enter", "G")
        screen = screen_text(app)
        assert "End [link=x]here[/link]" in screen
        assert "\x1b" not in screen and "\u202e" not in screen and "pwned" not in screen

    drive(store, steps, size=(80, 24))


# -- keys -------------------------------------------------------------------------------------
def test_help_lists_the_keys_and_their_commands(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        screen = screen_text(app)
        assert "ctrl+t" in screen and "newscli mark read|unread ID" in screen
        await pilot.press("escape")
        assert "ctrl+t" not in screen_text(app).split("\n")[3]

    drive(reading, steps)


def test_ctrl_c_quits(reading: Path) -> None:
    async def steps(app: BrowseApp, pilot: Pilot[None]) -> None:
        await type_query(pilot, "harb")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running

    drive(reading, steps)


# -- the command -------------------------------------------------------------------------------
def test_browse_needs_a_terminal(store: Path, run) -> None:
    result = run(store, "browse")
    assert result.exit_code == 1
    assert "browse needs a terminal" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("args", [["list"], ["search", "council"], ["read", "riverside"]])
def test_other_commands_do_not_import_textual(store: Path, args: list[str]) -> None:
    code = (
        "import sys\nfrom newscli.cli import cli\n"
        f"try:\n    cli(['--store', {str(store)!r}, *{args!r}], prog_name='newscli')\n"
        "except SystemExit:\n    pass\n"
        "print('TEXTUAL', any(m == 'textual' or m.startswith('textual.') for m in sys.modules),"
        " file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True)
    assert "TEXTUAL False" in out.stderr


def test_the_real_command_in_a_terminal_paints_and_quits_on_ctrl_c(reading: Path) -> None:
    """`newscli browse` in a pseudo-terminal: it draws the list, Ctrl-C ends it with status 0,
    and the terminal is given back (the alternate screen left, the cursor shown)."""
    import fcntl
    import os
    import pty
    import select
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    proc = subprocess.Popen([sys.executable, "-m", "newscli", "--store", str(reading), "browse"],
                            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO,
                            close_fds=True)
    os.close(slave)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                raise AssertionError(f"no {marker!r} in {seen[-500:]!r}")
            try:
                seen += os.read(master, 65536)
            except OSError:  # the child closed the terminal
                raise AssertionError(f"no {marker!r} in {seen[-500:]!r}") from None

    try:
        read_until(b"Harbour tunnel plan")
        os.write(master, b"\x03")
        assert proc.wait(timeout=60) == 0
        read_until(b"\x1b[?1049l")  # left the alternate screen
        assert b"\x1b[?25h" in seen  # the cursor shown again
    finally:
        proc.kill()
        os.close(master)
