"""The command line: thin Click commands over the library modules."""

from __future__ import annotations

import sys
from typing import Any

import click

from newscli import __version__
from newscli.context import Context, error, say
from newscli.errors import ExitStatus, NewscliError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# Commands are imported only when used, so `newscli search` loads nothing of `add`.
COMMANDS = {
    "list": "newscli.commands.list_cmd:command",
    "read": "newscli.commands.read_cmd:command",
    "search": "newscli.commands.search_cmd:command",
    "related": "newscli.commands.search_cmd:related",
    "add": "newscli.commands.add_cmd:command",
    "index": "newscli.commands.index_cmd:command",
    "feed": "newscli.commands.feed_cmd:group",
    "mark": "newscli.commands.mark_cmd:mark",
    "star": "newscli.commands.mark_cmd:star",
    "unstar": "newscli.commands.mark_cmd:unstar",
    "tag": "newscli.commands.mark_cmd:tag",
    "searches": "newscli.commands.search_cmd:searches",
    "state": "newscli.commands.state_cmd:group",
    "browse": "newscli.commands.browse_cmd:command",
}


class Group(click.Group):
    """Loads commands lazily, and turns the library's errors into one line on stderr and a
    meaningful exit status."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Click's main, with usage errors in newscli's one-line form."""
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False,
                                  **extra)
            code = result if isinstance(result, int) else ExitStatus.OK
        except click.UsageError as exc:
            usage_error(exc)
            code = ExitStatus.USAGE
        except click.ClickException as exc:
            error(exc.format_message())
            code = exc.exit_code
        except click.Abort:
            _interrupted()
            code = ExitStatus.INTERRUPTED
        except BrokenPipeError:
            _quiet_broken_pipe()
            code = ExitStatus.OK
        if not standalone_mode:
            return code
        sys.exit(code)

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name not in COMMANDS and not ctx.resilient_parsing:
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.5)
            guess = f" (did you mean '{close[0]}'?)" if close else ""
            raise click.UsageError(f"no such command '{name}'{guess}", ctx)
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        import importlib

        module, _, attr = target.partition(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewscliError as exc:
            error(exc.message)
            if exc.hint:
                say(f"hint: {exc.hint}")
            ctx.exit(exc.exit_status)
        except KeyboardInterrupt:
            _interrupted()
            ctx.exit(ExitStatus.INTERRUPTED)
        except BrokenPipeError:
            _quiet_broken_pipe()
            ctx.exit(ExitStatus.OK)
        except OSError as exc:  # a full disk, a permission: one line, no traceback
            where = f": {exc.filename}" if exc.filename else ""
            error(f"{exc.strerror or exc}{where}")
            ctx.exit(ExitStatus.ERROR)


def usage_error(exc: click.UsageError) -> None:
    """`newscli: error: …` like every other error, and where to find the usage."""
    if isinstance(exc, click.NoSuchOption):
        message = f"no such option: {exc.option_name}"
        if exc.possibilities:
            message += f" (did you mean {' or '.join(sorted(exc.possibilities))}?)"
    else:
        message = exc.format_message()
        message = message[:1].lower() + message[1:]
    error(message.rstrip("."))
    if exc.ctx is not None:
        say(f"hint: see '{exc.ctx.command_path} -h'")


def _interrupted() -> None:
    """Ctrl-C: one line (on a terminal, after the ^C the terminal echoed)."""
    from newscli.output import is_tty

    if is_tty(sys.stderr):
        click.echo("", err=True)
    say("newscli: interrupted")


def _quiet_broken_pipe() -> None:
    """`newscli list | head`: stop quietly, as cat and grep do."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


@click.group(cls=Group, context_settings=CONTEXT)
@click.option(
    "--store",
    metavar="PATH",
    envvar="NEWSCLI_STORE",
    help="The folder of articles. Default: $NEWSCLI_STORE, the config file, ./articles, "
    "or the user data folder.",
)
@click.version_option(__version__, "-V", "--version", prog_name="newscli")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """Read, list, search and add news articles kept in a local folder.

    \b
    Examples:
      newscli list                      newest articles first
      newscli read cecot                read an article by (part of) its id
      newscli read 3                    read the 3rd article of the last listing
      newscli search '"Tren de Aragua"' mega-prison
      newscli add https://example.org/news/story.html
      newscli --store ~/news list --tag politics --since 2024-01
    """
    ctx.obj = Context(store)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    cli(prog_name="newscli")


