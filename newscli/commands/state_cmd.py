"""`newscli state`: export, import and prune the durable reading state."""

from __future__ import annotations

import sys
from typing import TextIO

import click

from newscli.context import Command, Context


@click.group("state")
def group() -> None:
    """Export, import and prune reading state (read, stars, tags, saved searches).

    \b
    Examples:
      newscli state export -o state.jsonl
      newscli state import state.jsonl
      newscli state prune --older-than 90d
    """


@group.command("export", cls=Command)
@click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write to FILE (atomically) instead of stdout.")
@click.pass_obj
def export(context: Context, output: str | None) -> None:
    """Write all reading state as text: one JSON object per line."""
    from newscli.listing import dumps

    lines = "".join(dumps(r, indent=None) + "\n" for r in context.library.export_state())
    if output is None:
        sys.stdout.write(lines)
        return
    from pathlib import Path

    from newscli.textio import write_atomic

    write_atomic(Path(output), lines.encode("utf-8"))


@group.command("import", cls=Command)
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.pass_obj
def import_(context: Context, file: TextIO) -> None:
    """Merge exported state from FILE (- for stdin): for each field the later change
    wins, and nothing already set is lost."""
    changed = context.library.import_state(file)
    click.echo(f"{changed:,} entr{'ies' if changed != 1 else 'y'} changed")


@group.command("prune", cls=Command)
@click.option("--older-than", default="90d", show_default=True, metavar="AGE",
              help="Forget state of articles gone this long (7d, 2w, 3m, 1y, or a date).")
@click.pass_obj
def prune(context: Context, older_than: str) -> None:
    """Forget the state of articles that are no longer in the store.

    State is kept when an article's file goes away, so that an article that comes back
    (restored, or added again) keeps it; prune forgets what has been gone a while.
    """
    import datetime as dt

    from newscli.dates import period

    start, _ = period(older_than, dt.date.today())
    gone = context.library.prune_state(start.isoformat())
    click.echo(f"{gone:,} entr{'ies' if gone != 1 else 'y'} forgotten")
