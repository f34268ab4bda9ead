"""`newscli search` and `newscli related`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from newscli.context import (
    Command,
    Context,
    QueryCommand,
    color_option,
    complete_names,
    pager_option,
)
from newscli.errors import NotFound

if TYPE_CHECKING:
    from newscli.records import Hit
    from newscli.service import Library

SEARCH_HELP = """Search the articles by keyword, best matches first.

Each hit shows the passage that matched, with the matching words highlighted.

\b
Query language:
  deportation court      both words (words are ANDed)
  "exact phrase"         the words in this order
  trump OR biden         either; OR must be uppercase
  (a OR b) c             parentheses group
  -word  -"a phrase"     exclude; NOT word does the same
  deport*                prefix: deport, deported, deportation, ...
  title:word             in the title; also title:"a phrase"
  author:name            in the byline
  source:name            in the source (publication) name
  tag:name               tagged name; -tag:name excludes
  date:2024-01..2024-03  a date range; open ends date:2025.. and date:..2024-06-30;
                         dates are YYYY, YYYY-MM, YYYY-MM-DD, today, 7d, 2w, 3m, 1y
  after:X  before:X      on or after / before the start of X
  is:unread  is:read     reading state; also is:starred, is:unstarred
  query:NAME             a saved search (see --save and `newscli searches`)

Case and accents are ignored and English words are stemmed (deport finds deported);
mega-prison finds "mega prison" too; U.S., MS-13 and Trump's work as typed.

\b
Examples:
  newscli search mega-prison
  newscli search '"Tren de Aragua"'
  newscli search 'title:cecot' --explain
  newscli search 'deport* -venezuela date:2024..' --sort date
  newscli search bukele --json | jq -r '.[].id'
  newscli search --save prisons 'cecot OR "mega-prison"'
  newscli search 'query:prisons is:unread'
"""


def _search_options(func):  # type: ignore[no-untyped-def]
    for option in reversed(
        [
            click.option("-n", "--limit", type=click.IntRange(min=1), default=20,
                         show_default=True, help="Show at most N hits."),
            click.option("--json", "as_json", is_flag=True, help="Hits as a JSON array."),
            color_option,
            pager_option,
        ]
    ):
        func = option(func)
    return func


@click.command("search", cls=QueryCommand, help=SEARCH_HELP)
@click.argument("words", nargs=-1, required=True)
@click.option("--sort", type=click.Choice(("relevance", "date")), default="relevance",
              show_default=True, help="Best match first, or newest first.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only articles with this tag.")
@click.option("--source", metavar="TEXT", help="Only sources containing TEXT.")
@click.option("--since", metavar="DATE", help="Dated on or after DATE.")
@click.option("--until", metavar="DATE", help="Dated on or before DATE.")
@click.option("--explain", is_flag=True, help="Show the score and which fields matched.")
@click.option("--save", metavar="NAME", help="Save the query as NAME (query:NAME), then run it.")
@_search_options
@click.pass_obj
def command(context: Context, words: tuple[str, ...], sort: str, tags: tuple[str, ...],
            source: str | None, since: str | None, until: str | None, explain: bool,
            save: str | None, limit: int, as_json: bool, color: str, no_pager: bool) -> None:
    from newscli.query import make_filters

    filters = make_filters(tags=tags, source=source, since=since, until=until)
    library = context.library
    if save is not None:
        library.save_search(save, " ".join(words))
    try:
        hits = library.search(" ".join(words), filters=filters, limit=limit, sort=sort,
                              explain=explain)
    except NotFound:
        _no_hits(library, as_json)
        raise
    library.remember_listing([hit.row.id for hit in hits])
    show_hits(hits, as_json=as_json, explain=explain, color=color, no_pager=no_pager)


def _no_hits(library: Library, as_json: bool) -> None:
    """Nothing matched: the last listing is now empty (`read 1` refuses rather than open a
    row of an older one), and --json still prints a JSON value."""
    from newscli.output import Output

    library.remember_listing([])
    if as_json:
        Output().json([])


def show_hits(hits: list[Hit], *, as_json: bool, explain: bool, color: str,
              no_pager: bool) -> None:
    """Print hits: JSON, plain lines when piped, Rich in a terminal (paged if long)."""
    from newscli import listing
    from newscli.output import Output

    out = Output(color, no_pager)
    if as_json:
        out.json([listing.hit_json(h) for h in hits])
    elif not out.terminal:
        out.lines(listing.hit_lines(hits, explain))
    else:
        renderables = listing.hit_renderables(hits, explain)
        out.show(renderables, len(renderables))


@click.command("related", cls=Command)
@click.argument("name", shell_complete=complete_names)
@_search_options
@click.pass_obj
def related(context: Context, name: str, limit: int, as_json: bool, color: str,
            no_pager: bool) -> None:
    """Articles most like NAME, found by its most distinctive words.

    \b
    Examples:
      newscli related cecot
      newscli related 3 --limit 10 --json
    """
    library = context.library
    opened = library.open(name)
    hits = library.related(opened, limit=limit)
    if not hits:
        _no_hits(library, as_json)
        raise NotFound(f"no article in the store is like '{opened.row.id}'")
    library.remember_listing([hit.row.id for hit in hits])
    show_hits(hits, as_json=as_json, explain=False, color=color, no_pager=no_pager)


@click.command("searches", cls=Command)
@click.option("--delete", metavar="NAME", help="Forget the saved search NAME.")
@click.option("--json", "as_json", is_flag=True, help="As one JSON object, name → query.")
@click.pass_obj
def searches(context: Context, delete: str | None, as_json: bool) -> None:
    """List saved searches (saved with `newscli search --save NAME QUERY`).

    Run one with `newscli search query:NAME` or `newscli list query:NAME`; combine it
    with anything else a query takes: `newscli search 'query:NAME is:unread'`.

    \b
    Examples:
      newscli searches
      newscli searches --delete prisons
    """
    from newscli.output import Output

    library = context.library
    if delete is not None:
        library.delete_search(delete)
        return
    saved = library.state.saved_searches()
    out = Output()
    if as_json:
        out.json(saved)
    else:
        out.lines(f"{name}\t{query}" for name, query in saved.items())
