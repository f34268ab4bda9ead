"""Terminal plumbing: colour decisions, consoles built per invocation, the pager."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

COLOR_CHOICES = ("auto", "always", "never")


def use_color(color: str, stream: IO[str]) -> bool:
    """--color always/never win; auto means a terminal, no NO_COLOR, and TERM not dumb."""
    if color == "always":
        return True
    if color == "never" or os.environ.get("NO_COLOR"):
        return False
    return is_tty(stream) and os.environ.get("TERM") != "dumb"


def is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_size() -> os.terminal_size:
    import shutil

    return shutil.get_terminal_size((100, 40))


def make_console(*, color: bool, width: int | None = None, file: IO[str] | None = None) -> Console:
    """A console whose every decision is made here, from the options, not at import time."""
    from rich.console import Console

    return Console(
        file=file or sys.stdout,
        color_system="truecolor" if color else None,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
        _environ={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
    )


def pager_command() -> list[str]:
    import shlex

    env = os.environ.get("NEWSCLI_PAGER") or os.environ.get("PAGER") or "less -R"
    try:
        return shlex.split(env)
    except ValueError:
        return ["less", "-R"]


@contextmanager
def pager() -> Iterator[IO[str]]:
    """A writable stream into the user's pager (LESS defaults to FRX, like git), or stdout
    when no pager can be started."""
    import subprocess

    command = pager_command()
    environment = dict(os.environ)
    environment.setdefault("LESS", "FRX")
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            env=environment,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError:
        yield sys.stdout
        return
    assert process.stdin is not None
    try:
        yield process.stdin
    except BrokenPipeError:
        pass  # the reader quit the pager early: not an error
    finally:
        try:
            process.stdin.close()
        except BrokenPipeError:
            pass
        process.wait()


def should_page(no_pager: bool, lines: int) -> bool:
    return not no_pager and is_tty(sys.stdout) and lines > terminal_size().lines
