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


def use_styles(color: str, stream: IO[str]) -> bool:
    """Bold, underline and the like: NO_COLOR forbids colour, not these."""
    if color in ("always", "never"):
        return color == "always"
    return is_tty(stream) and os.environ.get("TERM") != "dumb"


def is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_size() -> os.terminal_size:
    import shutil

    return shutil.get_terminal_size((100, 40))


def make_console(*, color: bool, width: int | None = None, file: IO[str] | None = None,
                 styles: bool | None = None) -> Console:
    """A console whose every decision is made here, from the options, not at import time.
    `styles` without `color` gives bold and underline but no colour (NO_COLOR)."""
    from rich.console import Console

    styles = color if styles is None else styles or color
    console = Console(
        file=file or sys.stdout,
        color_system=("truecolor" if color else "standard") if styles else None,
        force_terminal=styles,
        no_color=not color,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
        _environ={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
    )
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
    return console


def _broken_pipe() -> None:
    """Rich exits with status 1 when its reader goes away; newscli treats the pager quit or
    a closed pipe as the reader being done (see cli and `pager`)."""
    raise BrokenPipeError


def pager_command() -> list[str]:
    import shlex

    env = os.environ.get("NEWSCLI_PAGER") or os.environ.get("PAGER") or "less -R"
    try:
        return shlex.split(env)
    except ValueError:
        return ["less", "-R"]


def pager_environment(command: list[str], styled: bool) -> dict[str, str]:
    """The pager's environment: LESS defaults to FRX (like git); when styled output goes to
    less, R is added to the user's LESS, so that styles show as styles, not as raw escapes."""
    environment = dict(os.environ)
    less = environment.get("LESS")
    if less is None:
        environment["LESS"] = "FRX"
    elif styled and command and os.path.basename(command[0]) == "less":
        if "R" not in less and "r" not in less:
            environment["LESS"] = (less if less.startswith("-") or not less else "-" + less) + "R"
    return environment


@contextmanager
def pager(styled: bool = True) -> Iterator[IO[str]]:
    """A writable stream into the user's pager, or stdout when no pager can be started.

    While the pager runs, newscli ignores Ctrl-C (the pager gets the key, as with git) and
    waits for it to end; the reader quitting early (`q`) is not an error."""
    import signal
    import subprocess

    command = pager_command()
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            env=pager_environment(command, styled),
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError:
        yield sys.stdout
        return
    assert process.stdin is not None
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
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
        signal.signal(signal.SIGINT, previous)


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
        """Styles for the terminal (bold, underline; colour unless NO_COLOR)."""
        return use_styles(self.color, sys.stdout)

    @property
    def colored(self) -> bool:
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
            with pager(self.styled) as stream:
                stream.write(text)
        else:
            sys.stdout.write(text)

    def show(self, renderables: Iterable[RenderableType], height: int,
             width: int | None = None) -> None:
        """Renderables printed one by one (a listing streams), paged when `height` lines
        will not fit the screen."""
        from contextlib import nullcontext

        paging = should_page(self.no_pager, height)
        with pager(self.styled) if paging else nullcontext(sys.stdout) as stream:
            console = make_console(color=self.colored, styles=self.styled, file=stream,
                                   width=width or terminal_size().columns)
            for item in renderables:
                console.print(item)

    def render(self, renderable: RenderableType, width: int, styled: bool) -> str:
        """A renderable laid out as text at `width`, without trailing spaces when plain."""
        console = make_console(color=styled and self.colored, styles=styled, width=width)
        with console.capture() as capture:
            console.print(renderable, crop=styled)  # plain: a whole URL may pass the width
        text = capture.get()
        return text if styled else "\n".join(line.rstrip() for line in text.split("\n"))
