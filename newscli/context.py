"""What the commands share: the per-invocation Context, messages, progress, common options."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

import click

from newscli.output import COLOR_CHOICES

if TYPE_CHECKING:
    from newscli.config import Settings
    from newscli.service import Library


def warn(message: str) -> None:
    say(f"newscli: warning: {message}")


def error(message: str) -> None:
    say(f"newscli: error: {message}")


def say(line: str) -> None:
    """The one way messages reach stderr: file names and paths in them are untrusted, so
    control and invisible characters are shown escaped, never sent."""
    from newscli.sanitize import visible

    click.echo(visible(line), err=True)


def _store_after_command(ctx: click.Context, param: click.Parameter,
                         value: str | None) -> None:
    context = ctx.find_object(Context)
    if value and context is not None:
        context.store_option = value


class Command(click.Command):
    """A newscli command: takes `--store` after its name too (`newscli list --store x`);
    if the index turns out to be damaged while it runs, the index is discarded and the
    command runs once more on a freshly built one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(click.Option(
            ["--store"], metavar="PATH", expose_value=False, is_eager=True,
            callback=_store_after_command, help="The folder of articles (as before the command)."))

    def invoke(self, ctx: click.Context) -> Any:
        from newscli.errors import IndexDamaged

        try:
            return super().invoke(ctx)
        except IndexDamaged as exc:
            context = ctx.find_object(Context)
            if context is None or context.retried:
                raise
            context.retried = True
            context.library.discard_index(exc)
            return super().invoke(ctx)


class QueryCommand(Command):
    """A command whose free words may start with '-' (`search court -appeal`): the declared
    options are taken as options, an unknown `--name` is a usage error (a typo for an
    option, with the closest suggested; `--` before it makes it a word), and every other
    argument is a word of the query."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        options: list[str] = []
        words: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                words += args[i + 1 :]
                break
            name = arg.split("=", 1)[0]
            if name in takes_value:
                options.append(arg)
                if takes_value[name] and "=" not in arg and i + 1 < len(args):
                    options.append(args[i + 1])
                    i += 1
            elif arg.startswith("--") and len(name) > 2:
                import difflib

                close = difflib.get_close_matches(name, list(takes_value), n=1, cutoff=0.6)
                raise click.NoSuchOption(name, possibilities=close, ctx=ctx)
            else:
                words.append(arg)
            i += 1
        return super().parse_args(ctx, [*options, "--", *words])


def complete_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of article ids (`eval "$(_NEWSCLI_COMPLETE=bash_source newscli)"`),
    from the index as it stands; never an error, at worst no suggestions."""
    try:
        from newscli.config import Settings
        from newscli.service import complete_ids

        root = ctx.find_root()
        store = root.params.get("store") if root else None
        return complete_ids(Settings(store), incomplete)
    except Exception:
        return []


class Context:
    """What every command needs: the settings, and the store opened as a Library."""

    def __init__(self, store_option: str | None) -> None:
        self.store_option = store_option
        self.retried = False

    @cached_property
    def settings(self) -> Settings:
        from newscli.config import Settings

        return Settings(self.store_option, warn=warn)

    @cached_property
    def library(self) -> Library:
        from newscli.service import Library

        return Library(self.settings, warn=warn, progress=progress_bar)

    def close(self) -> None:
        if "library" in self.__dict__:
            self.library.close()


class progress_bar:  # noqa: N801 - used like a function
    """A progress bar on stderr, only on a terminal and only for long work; with a total
    of 0, a spinner (work of unknown length, such as fetching a page)."""

    def __init__(self, label: str, threshold: int = 200) -> None:
        self.label, self.threshold = label, threshold
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[int, int], None]:
        return self.update

    def update(self, done: int, total: int) -> None:
        from newscli.output import is_tty

        if self.bar is None:
            if total < self.threshold or not is_tty(sys.stderr):
                return
            from rich.progress import Progress

            from newscli.output import make_console

            console = make_console(color=True, file=sys.stderr)
            if total == 0:
                from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

                from newscli.sanitize import visible

                self.label = visible(self.label)
                columns: Any = (SpinnerColumn(), TextColumn("{task.description}", markup=False),
                                TimeElapsedColumn())
            else:
                columns = Progress.get_default_columns()
            self.bar = Progress(*columns, console=console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total or None)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


color_option = click.option(
    "--color",
    type=click.Choice(COLOR_CHOICES),
    default="auto",
    show_default=True,
    help="Colour and styles; 'always' keeps them through a pipe (e.g. to less -R).",
)
pager_option = click.option("--no-pager", is_flag=True, help="Never send output to a pager.")
