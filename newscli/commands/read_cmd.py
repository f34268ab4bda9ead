"""`newscli read`."""

from __future__ import annotations

import sys

import click

from newscli.app import App, color_option, pager_option, warn

FORMATS = ("rich", "text", "markdown", "json")


@click.command("read")
@click.argument("name")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="rich",
    show_default=True,
    help="rich: styled for the terminal; text: plain wrapped text; "
    "markdown: canonical Markdown with front matter; json: metadata and body.",
)
@click.option(
    "-w",
    "--width",
    type=click.IntRange(min=20, max=1000),
    help="Wrap at this many columns (default: the terminal, at most 88).",
)
@color_option
@pager_option
@click.pass_obj
def command(app: App, name: str, fmt: str, width: int | None, color: str, no_pager: bool) -> None:
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
        sys.stdout.write(render.dumps(render.article_json(article, row)) + "\n")
        return
    _show(render.ArticleView, article, fmt == "text", width, color, no_pager)


def _show(view_cls, article, plain: bool, width: int | None, color: str, no_pager: bool) -> None:  # type: ignore[no-untyped-def]
    from newscli.output import make_console, pager, should_page, terminal_size, use_color
    from newscli.render import DEFAULT_MEASURE

    colored = not plain and use_color(color, sys.stdout)
    measure = width or min(terminal_size().columns, DEFAULT_MEASURE)
    view = view_cls(article, plain=plain or not colored, hyperlinks=colored, width=measure)
    console = make_console(color=colored, width=measure)
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
