"""The terminal contract, driven through a real pseudo-terminal: the pager (a small fake
pager script that is actually run), Ctrl-C as a real SIGINT, closed pipes, listing numbers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.httpserver import LocalServer, Reply, local_server_fixture  # noqa: F401
from tests.ptyrun import HANG_GUARD, NEWSCLI, Terminal, environment, fake_pager

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals")


def many(root: Path, count: int, folders: int = 1) -> Path:
    """A store of `count` short dated articles with distinct titles."""
    for n in range(count):
        folder = root / f"f{n % folders}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"story-{n:04d}.md").write_text(
            f"---\ntitle: Story number {n:04d} about the harbour and the town council\n"
            f"date: 2024-01-{n % 28 + 1:02d}\nsource: The Daily Example\ntags: [town]\n---\n\n"
            f"The council met about harbour item {n}. " * 4 + "\n", "utf-8")
    return root


def cli(store: Path, home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NEWSCLI, *args], env=environment(store, home, **env),
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def big(tmp_path: Path, home: Path) -> Path:
    """700 articles: a listing longer than a pipe holds, so a pager that quits early
    leaves newscli with a closed pipe."""
    store = many(tmp_path / "big", 700)
    assert cli(store, home, "index").returncode == 0
    return store


def read_id(store: Path, home: Path, number: str) -> str:
    result = cli(store, home, "read", number, "--format", "json")
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["id"])


def test_quitting_the_pager_is_success_and_read_n_means_this_listing(
        big: Path, home: Path, tmp_path: Path) -> None:
    assert cli(big, home, "search", "0123").returncode == 0  # an older listing
    script, log = fake_pager(tmp_path)
    term = Terminal(["list", "--sort", "title", "-r"],
                    env=environment(big, home, NEWSCLI_PAGER=str(script)), lines=10)
    term.expect("PAGER READY")
    term.send(b"q\n")
    assert term.wait() == 0
    assert "error" not in term.text() and "Traceback" not in term.text()
    assert read_id(big, home, "1") == "f0/story-0699"
    # every row the listing selected is numbered, not only those the pager showed
    assert read_id(big, home, "700") == "f0/story-0000"


def test_ctrl_c_goes_to_the_pager_and_newscli_waits_for_it(
        big: Path, home: Path, tmp_path: Path) -> None:
    script, log = fake_pager(tmp_path)
    term = Terminal(["list"], env=environment(big, home, NEWSCLI_PAGER=str(script)), lines=10)
    term.expect("PAGER READY")
    term.send(b"\x03")  # Ctrl-C: SIGINT to the terminal's foreground process group
    term.send(b"q\n")
    assert term.wait() == 0
    record = log.read_text()
    assert "SIGINT" in record  # the pager got the key ...
    assert f"ppid={term.pid}" in record  # ... and was never orphaned: newscli waited
    assert "Traceback" not in term.text()


def test_styled_output_to_less_gets_r_added_to_the_users_less(
        big: Path, home: Path, tmp_path: Path) -> None:
    script, log = fake_pager(tmp_path)
    less = tmp_path / "bin" / "less"
    less.parent.mkdir()
    less.symlink_to(script)
    term = Terminal(["list"], env=environment(big, home, NEWSCLI_PAGER=str(less), LESS="-i"),
                    lines=10)
    term.expect("PAGER READY")
    term.send(b"q\n")
    assert term.wait() == 0
    assert "LESS=-iR\n" in log.read_text()


def test_a_closed_pipe_ends_quietly_and_numbers_are_of_that_listing(
        big: Path, home: Path) -> None:
    assert cli(big, home, "search", "0123").returncode == 0
    shell = subprocess.run(
        ["bash", "-c", f"{' '.join(NEWSCLI)} list --sort title | head -2; "
         "echo \"status=${PIPESTATUS[0]}\""],
        env=environment(big, home), capture_output=True, text=True, timeout=300)
    assert shell.stdout.splitlines()[-1] == "status=0"
    assert shell.stderr == ""
    assert read_id(big, home, "2") == "f0/story-0001"


def test_ctrl_c_during_a_cold_parallel_build_stops_with_one_line(
        tmp_path: Path, home: Path) -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("the parallel build needs two cores")
    store = many(tmp_path / "cold", 2600, folders=4)
    term = Terminal(["index"], env=environment(store, home))
    term.expect(r"\s[1-9]\d?% ")  # parsing is under way in the worker processes
    term.send(b"\x03")
    assert term.wait() == 130
    text = term.text()
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert "newscli: interrupted" in text
    listed = cli(store, home, "list", "--json")  # the next command completes the index
    assert listed.returncode == 0
    assert len(json.loads(listed.stdout)) == 2600


def test_no_color_on_a_terminal_still_marks_matches(big: Path, home: Path) -> None:
    term = Terminal(["search", "0123", "--no-pager"], env=environment(big, home, NO_COLOR="1"))
    assert term.wait() == 0
    assert b"\x1b[1" in term.output  # bold
    assert b"\x1b[3" not in term.output.replace(b"\x1b[3m", b"")  # no foreground colour


@pytest.mark.parametrize("columns", [40, 100, 200])
def test_list_is_one_line_per_row_at_any_width(big: Path, home: Path, columns: int) -> None:
    term = Terminal(["list", "-n", "5", "--no-pager"], env=environment(big, home),
                    columns=columns)
    assert term.wait() == 0
    lines = term.text().splitlines()
    assert len(lines) == 6  # the header and five rows, none wrapped
    assert all(len(line) <= columns for line in lines)
    assert all("Jan 2024" in line for line in lines[1:])  # dates whole
    if columns >= 100:
        assert all("The Daily Example" in line for line in lines[1:])  # not cut when room


def test_read_width_is_clamped_to_the_terminal(big: Path, home: Path) -> None:
    term = Terminal(["read", "f0/story-0001", "--width", "150", "--no-pager"],
                    env=environment(big, home), columns=100)
    assert term.wait() == 0
    assert max(len(line) for line in term.text().splitlines()) <= 100


def test_add_from_stdin_on_a_terminal_says_it_is_reading(tmp_path: Path, home: Path) -> None:
    store = tmp_path / "new"
    store.mkdir()
    term = Terminal(["add", "-"], env=environment(store, home))
    term.expect("Ctrl-D")
    term.send(b"A headline\n\nSome text of a story typed in.\n")
    term.send(b"\x04")
    assert term.wait() == 0
    assert "a-headline" in term.text()


def test_search_hits_keep_their_hanging_indent_at_40_columns(big: Path, home: Path) -> None:
    term = Terminal(["search", "0123", "--no-pager"], env=environment(big, home), columns=40)
    assert term.wait() == 0
    lines = [line.rstrip() for line in term.text().splitlines() if line.strip()]
    assert lines[0].startswith(" 1. • Story number 0123")  # • unread
    assert all(line.startswith("    ") for line in lines[1:]), lines  # wrapped title too
    assert all(len(line) <= 40 for line in lines)


def test_a_slow_url_shows_a_spinner_on_a_terminal(tmp_path: Path, home: Path,
                                                  local_server: LocalServer) -> None:
    import threading

    page = (Path(__file__).parent / "fixtures" / "html" / "news_article.html").read_bytes()
    release = threading.Event()

    def slow(request: object) -> Reply:  # answers only once the test has seen the spinner
        release.wait(HANG_GUARD)
        return Reply(body=page)

    url = local_server.route("/story", slow)
    store = tmp_path / "new"
    store.mkdir()
    term = Terminal(["add", url], env=environment(store, home))
    term.expect("Fetching http://127.0.0.1")
    release.set()
    assert term.wait() == 0
    assert list(store.glob("*.md"))


def test_ctrl_c_while_a_listing_streams_still_numbers_the_whole_listing(
        big: Path, home: Path) -> None:
    assert cli(big, home, "search", "0123").returncode == 0  # an older listing
    term = Terminal(["list", "--sort", "title", "--no-pager"], env=environment(big, home))
    term.expect("Story number 0000")  # output has begun; the rest waits on the terminal
    term.send(b"\x03")
    assert term.wait() == 130
    assert "Traceback" not in term.text()
    assert read_id(big, home, "1") == "f0/story-0000"
    assert read_id(big, home, "700") == "f0/story-0699"
