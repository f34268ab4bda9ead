"""`newscli index`."""

from __future__ import annotations

import click

from newscli.context import Command, Context


@click.command("index", cls=Command)
@click.option("--rebuild", is_flag=True, help="Forget the index and build it again.")
@click.option("--status", is_flag=True, help="Report articles, size and staleness; change nothing.")
@click.pass_obj
def command(context: Context, rebuild: bool, status: bool) -> None:
    """Bring the catalog and search index up to date.

    Every command notices added, deleted, renamed and replaced files by itself (and, in
    a store of up to 5,000 articles, files edited in place); `newscli index` checks every
    file's size and time. `--status` says what has changed since, without changing it.

    \b
    Examples:
      newscli index
      newscli index --status
      newscli index --rebuild
    """
    from newscli.sanitize import visible

    library = context.library
    if status and rebuild:
        raise click.UsageError("--status reports and changes nothing; it cannot --rebuild")
    if status:
        for key, value in library.status().items():
            click.echo(visible(f"{key + ':':<13}{value}"))
        for path, problem in library.catalog.unreadable():
            click.echo(visible(f"unreadable:  {path}: {problem}"))
        for path, problems in library.catalog.warned():
            for problem in problems:
                click.echo(visible(f"warning:     {path}: {problem}"))
        return
    if rebuild:
        library.rebuild()
    changes = library.refresh(full=True)
    click.echo(f"{library.catalog.count():,} articles indexed in {library.catalog.location} "
               f"({changes.added:,} added, {changes.updated:,} changed, "
               f"{changes.removed:,} removed)")
