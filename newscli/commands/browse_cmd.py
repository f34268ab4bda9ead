"""`newscli browse`."""

from __future__ import annotations

import click

from newscli.context import Context, QueryCommand


@click.command("browse", cls=QueryCommand)
@click.argument("query", nargs=-1)
@click.pass_obj
def command(context: Context, query: tuple[str, ...]) -> None:
    """Browse the store interactively: the list, the article, search as you type.

    QUERY (optional) fills the search box, in the language of `newscli search`.
    Press ? in the browser for its keys; every action there is also a command
    (read, search, mark, star, tag), for scripts and screen readers.

    \b
    Examples:
      newscli browse
      newscli browse 'tag:politics date:2024..'
      newscli browse is:unread -sport
    """
    import sys

    from newscli.errors import NewscliError
    from newscli.output import is_tty

    if not (is_tty(sys.stdin) and is_tty(sys.stdout)):
        raise NewscliError("browse needs a terminal",
                           hint="use `newscli list` or `newscli search` in scripts")
    from newscli.tui.app import BrowseApp

    library = context.library
    say = [library.warn]  # to stderr until the screen is up, then to its status line
    library.warn = lambda message: say[0](message)
    library.current()  # index before the screen opens, so its progress bar can be seen
    app = BrowseApp(library, query=" ".join(query))
    say[0] = app.warned
    app.run()
