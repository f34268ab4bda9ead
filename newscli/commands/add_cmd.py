"""`newscli add`."""

from __future__ import annotations

import sys

import click

from newscli.context import Command, Context, error, say, warn


@click.command("add", cls=Command)
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(("html", "text", "markdown")),
              help="What the sources are (default: by file suffix; stdin is sniffed).")
@click.option("--url", metavar="URL", help="Where a file or stdin came from, to record.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Tag the new articles.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--force", is_flag=True, help="Add even when the store already has the article.")
@click.option("--keep-original", is_flag=True,
              help="Also keep the source HTML, in the store's .newscli/originals/.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds allowed for fetching each URL.")
@click.pass_obj
def command(context: Context, sources: tuple[str, ...], fmt: str | None, url: str | None,
            tags: tuple[str, ...], dry_run: bool, force: bool, keep_original: bool,
            timeout: float) -> None:
    """Add articles from web pages, files, folders or stdin.

    SOURCE is an http(s) URL, an .html, .htm, .txt or .md file, a folder, or - for stdin.

    Each article becomes a Markdown file with front matter (title, byline, date, source,
    url, tags, time added) named YYYY-MM-DD-slug.md in the store. The main text of HTML is
    extracted and the page's navigation, ads and comments are left out. An article already
    in the store (same canonical URL, or the same text) is reported, not added again.
    Prints the id of each new article.

    \b
    Examples:
      newscli add https://example.org/news/2025/some-story
      newscli add ~/Downloads/saved-page.html --tag politics
      newscli add ~/old-notes/                  (every .txt, .md, .html inside)
      pbpaste | newscli add - --url https://example.org/story
      newscli add page.html --dry-run
    """
    from newscli.output import is_tty

    if "-" in sources and is_tty(sys.stdin):
        say("newscli: reading an article from the terminal; end it with Ctrl-D")
    stdin = sys.stdin.buffer.read() if "-" in sources else None
    failures = 0
    for event in context.library.add(list(sources), fmt=fmt, url=url, tags=tags,
                                     dry_run=dry_run, force=force, keep_original=keep_original,
                                     timeout=timeout, stdin=stdin):
        if event.kind == "added":
            click.echo(event.value)
        elif event.kind == "duplicate":
            warn(f"{event.label}: already in the store as {event.value} (--force adds it)")
        elif event.kind == "dry-run":
            click.echo(f"would write {event.value}")
            click.echo(event.detail, nl=False)
        else:
            error(f"{event.label}: {event.value}" if event.value else event.label)
            failures += 1
    if failures:
        sys.exit(1)
