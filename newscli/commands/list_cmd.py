"""`newscli list`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from newscli.context import Context, QueryCommand, color_option, pager_option

if TYPE_CHECKING:
    from rich.console import RenderableType

    from newscli.records import Row

SORTS = ("date", "title", "source", "length")


@click.command("list", cls=QueryCommand)
@click.argument("words", nargs=-1)
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="date",
    show_default=True,
    help="Order; dates newest first, undated last.",
)
@click.option("-r", "--reverse", is_flag=True, help="Reverse the order.")
@click.option("-n", "--limit", type=click.IntRange(min=0), help="Show at most N articles.")
@click.option(
    "--tag",
    "tags",
    multiple=True,
    metavar="TAG",
    help="Only articles with this tag (repeat for all of several).",
)
@click.option("--source", metavar="TEXT", help="Only sources containing TEXT (any case).")
@click.option(
    "--since", metavar="DATE", help="Dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)."
)
@click.option("--until", metavar="DATE", help="Dated on or before DATE (the whole month or year).")
@click.option("--unread", "unread", is_flag=True, help="Only articles not read yet.")
@click.option("--starred", is_flag=True, help="Only starred articles.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of articles.")
@color_option
@pager_option
@click.pass_obj
def command(
    context: Context,
    words: tuple[str, ...],
    sort: str,
    reverse: bool,
    limit: int | None,
    tags: tuple[str, ...],
    source: str | None,
    since: str | None,
    until: str | None,
    unread: bool,
    starred: bool,
    as_json: bool,
    color: str,
    no_pager: bool,
) -> None:
    """List the articles in the store, newest first; or those a QUERY selects, in list
    order (the query language of `newscli search`, e.g. query:NAME or is:unread).

    In a terminal: a table, paged when longer than the screen. Piped: one tab-separated
    line per article (number, id, date, source, minutes, title, tags), no colour.
    The numbers can be given to `newscli read`.

    \b
    Examples:
      newscli list --limit 10
      newscli list --tag politics --since 2024-06 --sort title
      newscli list --json | jq '.[].title'
      newscli list | cut -f2,6
      newscli list --unread --tag politics
      newscli list query:prisons
    """
    from newscli.errors import NotFound
    from newscli.output import Output
    from newscli.query import make_filters

    filters = make_filters(tags=tags, source=source, since=since, until=until)
    filters = filters._replace(read=False if unread else None, starred=True if starred else None)
    query = " ".join(words) or None
    library = context.library
    out = Output(color, no_pager)
    with library.numbered(library.rows(sort=sort, reverse=reverse, limit=limit,
                                       filters=filters, query=query)) as rows:
        if as_json:
            shown = _write_json(rows)
        elif out.terminal:
            shown = library.count(filters, limit, query)
            if shown:
                out.show(_table(rows, shown), shown + 1)
        else:
            shown = _write_lines(rows)
    if not shown and limit != 0:
        raise NotFound("no articles match" if filters or query
                       else "the store has no articles yet")


def _write_json(rows: Iterator[Row]) -> int:
    from newscli.listing import dumps, row_json

    out = sys.stdout
    out.write("[")
    n = 0
    for n, row in enumerate(rows, start=1):
        out.write(("," if n > 1 else "") + "\n  " + dumps(row_json(row), indent=None))
    out.write("\n]\n" if n else "]\n")
    return n


def _write_lines(rows: Iterator[Row]) -> int:
    from newscli.listing import tsv_line

    n = 0
    for n, row in enumerate(rows, start=1):
        sys.stdout.write(tsv_line(n, row) + "\n")
    return n


def _table(rows: Iterator[Row], total: int) -> Iterator[RenderableType]:
    from itertools import chain, islice

    from newscli.listing import ListLayout
    from newscli.output import terminal_size

    first = list(islice(rows, ListLayout.SAMPLE))
    layout = ListLayout(terminal_size().columns, len(str(total)), first)
    yield layout.header()
    for n, row in enumerate(chain(first, rows), start=1):
        yield layout.row(n, row)
