"""`newscli mark`, `star`, `unstar` and `tag`: reading state, through the state store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from newscli.context import Command, Context, QueryCommand, complete_names

SELECTION_HELP = """
NAME is an article id, a unique prefix or word of it, or a number of the last listing;
--all-listed takes every article of the last listing, --query every article a query
finds (e.g. --query 'source:bbc date:..2024')."""


def _selection(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--query", "query", metavar="QUERY",
                        help="Every article this search query finds.")(func)
    func = click.option("--all-listed", is_flag=True,
                        help="Every article of the last list or search.")(func)
    return click.argument("names", nargs=-1, shell_complete=complete_names)(func)


def _rows(context: Context, names: tuple[str, ...], all_listed: bool, query: str | None):  # type: ignore[no-untyped-def]
    from newscli.errors import NewscliError

    if not (names or all_listed or query):
        raise NewscliError("name at least one article, or give --all-listed or --query")
    return context.library.select(names, listed=all_listed, query=query)


def _report(count: int, what: str) -> None:
    click.echo(f"{count:,} article{'s' if count != 1 else ''} {what}")


@click.command("mark", cls=Command, help="Mark articles read or unread.\n" + SELECTION_HELP + """

\b
Examples:
  newscli mark read 1 2 3
  newscli mark unread cecot
  newscli mark read --all-listed
  newscli mark read --query 'source:bbc date:..2024'
""")
@click.argument("state", type=click.Choice(("read", "unread")))
@_selection
@click.pass_obj
def mark(context: Context, state: str, names: tuple[str, ...], all_listed: bool,
         query: str | None) -> None:
    rows = _rows(context, names, all_listed, query)
    context.library.mark(rows, read=state == "read")
    _report(len(rows), f"marked {state}")


def _star_command(name: str, value: bool) -> click.Command:
    verb = "Star" if value else "Unstar"

    @click.command(name, cls=Command, help=f"{verb} articles.\n" + SELECTION_HELP + f"""

\b
Examples:
  newscli {name} cecot
  newscli {name} 2 5
  newscli {name} --query 'tag:politics'
""")
    @_selection
    @click.pass_obj
    def command(context: Context, names: tuple[str, ...], all_listed: bool,
                query: str | None) -> None:
        rows = _rows(context, names, all_listed, query)
        context.library.mark(rows, starred=value)
        _report(len(rows), "starred" if value else "unstarred")

    return command


star = _star_command("star", True)
unstar = _star_command("unstar", False)


@click.command("tag", cls=QueryCommand)
@click.argument("words", nargs=-1, required=True, shell_complete=complete_names)
@click.option("--all-listed", is_flag=True, help="Every article of the last list or search.")
@click.option("--query", "query", metavar="QUERY", help="Every article this query finds.")
@click.pass_obj
def tag(context: Context, words: tuple[str, ...], all_listed: bool, query: str | None) -> None:
    """Add (+TAG) and remove (-TAG) tags of articles.

    Tags from an article's front matter and tags changed here are one set: `list`,
    `search`, `tag:` in queries and --tag all see the result. Changes are kept in the
    state store; article files are never edited.

    \b
    Examples:
      newscli tag cecot +politics +prisons
      newscli tag 3 -draft
      newscli tag --query 'source:"riverside ledger"' +local
    """
    from newscli.errors import NewscliError

    add = tuple(w[1:] for w in words if w.startswith("+") and len(w) > 1)
    remove = tuple(w[1:] for w in words if w.startswith("-") and len(w) > 1)
    names = tuple(w for w in words if not w.startswith(("+", "-")))
    if not (add or remove):
        raise NewscliError("give tags to add (+TAG) or remove (-TAG)",
                           hint="e.g. newscli tag cecot +politics -draft")
    rows = _rows(context, names, all_listed, query)
    context.library.tag(rows, add=add, remove=remove)
    changes = ", ".join([*(f"+{t}" for t in add), *(f"-{t}" for t in remove)])
    _report(len(rows), f"tagged {changes}")
