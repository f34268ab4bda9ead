"""`newscli index`."""

from __future__ import annotations

import click

from newscli.app import App, Command


@click.command("index", cls=Command)
@click.option("--rebuild", is_flag=True, help="Forget the index and build it again.")
@click.option("--status", is_flag=True, help="Report articles, size and staleness; change nothing.")
@click.pass_obj
def command(app: App, rebuild: bool, status: bool) -> None:
    """Bring the catalog and search index up to date.

    Every command notices added, deleted and renamed files by itself; `newscli index`
    also finds files edited in place (it checks every file's size and time).

    \b
    Examples:
      newscli index
      newscli index --status
      newscli index --rebuild
    """
    if status:
        _status(app)
        return
    if rebuild:
        from newscli.index import Index

        Index(app.settings.store, app.settings.max_article_bytes, lambda m: None).drop()
    index = app.index(full=True)
    click.echo(f"{index.count():,} articles indexed in {index.path}")


def _status(app: App) -> None:
    from newscli.index import Index
    from newscli.sanitize import visible

    index = Index(app.settings.store, app.settings.max_article_bytes, lambda m: None)
    for key, value in index.status().items():
        click.echo(visible(f"{key + ':':<13}{value}"))
    for path, problem in index.unreadable():
        click.echo(visible(f"unreadable:  {path}: {problem}"))
