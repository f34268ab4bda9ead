"""`newscli read`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from newscli.app import App, Command, color_option, complete_names, pager_option, warn

if TYPE_CHECKING:
    from newscli.render import ArticleView

FORMATS = ("rich", "text", "markdown", "json")


@click.command("read", cls=Command)
@click.argument("name", shell_complete=complete_names)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default="rich", show_default=True,
    help="rich: styled for the terminal; text: plain wrapped text; "
    "markdown: canonical Markdown with front matter; json: metadata and body.",
)
@click.option("-w", "--width", type=click.IntRange(min=20, max=1000),
              help="Wrap at this many columns (default: the terminal, at most 88).")
@click.option("--no-related", is_flag=True, help="Leave out related articles from the store.")
@color_option
@pager_option
@click.pass_obj
def command(app: App, name: str, fmt: str, width: int | None, no_related: bool, color: str,
            no_pager: bool) -> None:
    """Read one article, set for the terminal.

    NAME is an article id, a unique prefix or word of it, the number `newscli list`
    showed, or the path of a file inside the store.

    \b
    Examples:
      newscli read cecot
      newscli read 2 --width 72
      newscli read cecot --format markdown > cecot.md
      newscli read cecot --color always | less -R
    """
    from newscli import render
    from newscli.errors import Unreadable
    from newscli.listing import dumps
    from newscli.store import read_article

    index = app.index(report=False)
    row = index.check_file(index.resolve(name))
    if row.error:
        raise Unreadable(f"{row.path}: {row.error}")
    article = read_article(index.root, row.path, app.settings.max_article_bytes)
    for message in article.warnings:
        warn(f"{row.path}: {message}")
    if fmt == "markdown":
        sys.stdout.write(render.to_markdown(article))
        return
    if fmt == "json":
        sys.stdout.write(dumps(render.article_json(article, row)) + "\n")
        return
    related = [] if no_related else index.related(row, article, limit=3)
    show(render.ArticleView(article, plain=fmt == "text", related=related), width, color,
         no_pager)


def show(view: ArticleView, width: int | None, color: str, no_pager: bool) -> None:
    """Print an article view: styled on a terminal (or --color always), paged when taller
    than the screen, plain and without trailing spaces otherwise."""
    from newscli.output import make_console, pager, should_page, terminal_size, use_color
    from newscli.render import DEFAULT_MEASURE

    colored = not view.plain and use_color(color, sys.stdout)
    view.plain, view.hyperlinks = not colored, colored
    view.width = width or min(terminal_size().columns, DEFAULT_MEASURE)
    console = make_console(color=colored, width=view.width)
    with console.capture() as capture:
        console.print(view.renderable())
    text = capture.get()
    if not colored:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    if should_page(no_pager, text.count("\n")):
        with pager() as stream:
            stream.write(text)
    else:
        sys.stdout.write(text)
