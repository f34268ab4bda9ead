"""The command line: thin Click commands over the library modules."""

from __future__ import annotations

import sys
from typing import Any

import click

from newscli import __version__
from newscli.app import App
from newscli.commands import add_cmd, index_cmd, list_cmd, read_cmd, search_cmd
from newscli.errors import ExitStatus, NewscliError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Group(click.Group):
    """Turns the library's errors into one line on stderr and a meaningful exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewscliError as exc:
            click.echo(f"newscli: error: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"hint: {exc.hint}", err=True)
            ctx.exit(exc.exit_status)
        except KeyboardInterrupt:
            click.echo("", err=True)
            ctx.exit(ExitStatus.INTERRUPTED)
        except BrokenPipeError:
            _quiet_broken_pipe()
            ctx.exit(ExitStatus.OK)


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
      newscli --store ~/news list --tag politics --since 2024-01
    """
    ctx.obj = App(store)


def main() -> None:
    cli(prog_name="newscli")


for command in (
    list_cmd.command,
    read_cmd.command,
    search_cmd.command,
    search_cmd.related,
    add_cmd.command,
    index_cmd.command,
):
    cli.add_command(command)
