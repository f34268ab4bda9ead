"""Terminal plumbing: colour decisions, consoles built per invocation, the pager."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

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


class Output:
    """The one place that decides where a command's result goes and how it looks: JSON,
    plain lines for a pipe, or styled renderables for a terminal (through the pager when
    taller than the screen). Built per invocation from --color and --no-pager."""

    def __init__(self, color: str = "auto", no_pager: bool = False) -> None:
        self.color, self.no_pager = color, no_pager

    @property
    def terminal(self) -> bool:
        """Terminal layout (tables, highlights): on a terminal, or with --color always."""
        return self.color == "always" or is_tty(sys.stdout)

    @property
    def styled(self) -> bool:
        return use_color(self.color, sys.stdout)

    def json(self, value: object) -> None:
        from newscli.listing import dumps

        sys.stdout.write(dumps(value) + "\n")

    def lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            sys.stdout.write(line + "\n")

    def text(self, text: str) -> None:
        """Text already laid out (a rendered article), paged when taller than the screen."""
        if should_page(self.no_pager, text.count("\n")):
            with pager() as stream:
                stream.write(text)
        else:
            sys.stdout.write(text)

    def show(self, renderables: Iterable[RenderableType], height: int,
             width: int | None = None) -> None:
        """Renderables printed one by one (a listing streams), paged when `height` lines
        will not fit the screen."""
        from contextlib import nullcontext

        paging = should_page(self.no_pager, height)
        with pager() if paging else nullcontext(sys.stdout) as stream:
            console = make_console(color=self.styled, file=stream,
                                   width=width or terminal_size().columns)
            for item in renderables:
                console.print(item)

    def render(self, renderable: RenderableType, width: int, styled: bool) -> str:
        """A renderable laid out as text at `width`, without trailing spaces when plain."""
        console = make_console(color=styled, width=width)
        with console.capture() as capture:
            console.print(renderable)
        text = capture.get()
        return text if styled else "\n".join(line.rstrip() for line in text.split("\n"))
