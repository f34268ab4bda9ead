"""`newscli list`."""

from __future__ import annotations

import sys

import click

from newscli.app import App, Command, color_option, pager_option

SORTS = ("date", "title", "source", "length")


@click.command("list", cls=Command)
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
@click.option("--json", "as_json", is_flag=True, help="One JSON array of articles.")
@color_option
@pager_option
@click.pass_obj
def command(
    app: App,
    sort: str,
    reverse: bool,
    limit: int | None,
    tags: tuple[str, ...],
    source: str | None,
    since: str | None,
    until: str | None,
    as_json: bool,
    color: str,
    no_pager: bool,
) -> None:
    """List the articles in the store, newest first.

    In a terminal: a table, paged when longer than the screen. Piped: one tab-separated
    line per article (number, id, date, source, minutes, title, tags), no colour.
    The numbers can be given to `newscli read`.

    \b
    Examples:
      newscli list --limit 10
      newscli list --tag politics --since 2024-06 --sort title
      newscli list --json | jq '.[].title'
      newscli list | cut -f2,6
    """
    from newscli.index import catalog_filters
    from newscli.listing import row_json, tsv_line

    where, params = catalog_filters(tags=tags, source=source, since=since, until=until)
    index = app.index()
    rows = index.rows(sort=sort, reverse=reverse, limit=limit, where=where, params=params)
    shown: list[str] = []
    if as_json:
        _write_json(rows, row_json, shown)
    elif _terminal(color):
        _write_table(index, rows, shown, where, params, limit, color, no_pager)
    else:
        for n, row in enumerate(rows, start=1):
            shown.append(row.id)
            sys.stdout.write(tsv_line(n, row) + "\n")
    index.save_listing(shown)


def _terminal(color: str) -> bool:
    from newscli.output import is_tty

    return color == "always" or is_tty(sys.stdout)


def _write_json(rows, row_json, shown) -> None:  # type: ignore[no-untyped-def]
    from newscli.listing import dumps

    out = sys.stdout
    out.write("[")
    for n, row in enumerate(rows):
        shown.append(row.id)
        out.write(("," if n else "") + "\n  " + dumps(row_json(row), indent=None))
    out.write("\n]\n" if shown else "]\n")


def _write_table(index, rows, shown, where, params, limit, color, no_pager) -> None:  # type: ignore[no-untyped-def]
    from contextlib import nullcontext

    from newscli.listing import ListLayout
    from newscli.output import make_console, pager, should_page, terminal_size, use_color

    bound = f" LIMIT {int(limit)}" if limit is not None else ""
    total = index.db.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE a.error IS NULL AND ({where})"
        f"{bound})",
        params,
    ).fetchone()[0]
    if not total:
        click.echo(
            "No articles match." if where != "1" else "The store has no articles yet.", err=True
        )
        return
    paging = should_page(no_pager, total + 1)
    width = terminal_size().columns
    layout = ListLayout(width, len(str(total)))
    with pager() if paging else nullcontext(sys.stdout) as stream:
        console = make_console(color=use_color(color, sys.stdout), width=width, file=stream)
        console.print(layout.header())
        for n, row in enumerate(rows, start=1):
            shown.append(row.id)
            console.print(layout.row(n, row))
