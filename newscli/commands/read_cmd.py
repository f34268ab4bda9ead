"""`newscli read`."""

from __future__ import annotations

import sys

import click

from newscli.context import Command, Context, color_option, complete_names, pager_option

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
def command(context: Context, name: str, fmt: str, width: int | None, no_related: bool,
            color: str, no_pager: bool) -> None:
    """Read one article, set for the terminal.

    NAME is an article id, a unique prefix or word of it, the number `newscli list`
    showed, or the path of a file inside the store. Reading marks the article read
    (`mark_read = false` in the config file turns that off).

    \b
    Examples:
      newscli read cecot
      newscli read 2 --width 72
      newscli read cecot --format markdown > cecot.md
      newscli read cecot --color always | less -R
    """
    from newscli import render
    from newscli.output import Output, is_tty, terminal_size

    library = context.library
    opened = library.read(name)
    out = Output(color, no_pager)
    if fmt == "markdown":
        from newscli.formats.writer import to_markdown

        sys.stdout.write(to_markdown(opened.article))
        return
    if fmt == "json":
        out.json(render.article_json(opened.article, opened.row))
        return
    related = [] if no_related else library.related(opened, limit=3)
    styled = fmt != "text" and out.styled
    columns = terminal_size().columns
    if width is None:
        width = min(columns, render.DEFAULT_MEASURE)
    elif styled and is_tty(sys.stdout):  # wider than the terminal, it would break words
        width = min(width, columns)
    view = render.ArticleView(
        opened.article, plain=not styled, hyperlinks=styled, related=related, width=width)
    out.text(out.render(view.renderable(), view.width, styled))
