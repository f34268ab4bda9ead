"""`newscli add`."""

from __future__ import annotations

import sys

import click

from newscli.app import App, Command, error, progress_bar, warn


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
def command(app: App, sources: tuple[str, ...], fmt: str | None, url: str | None,
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
    import datetime as dt

    from newscli import importer
    from newscli.errors import NewscliError
    from newscli.render import front_matter, to_markdown

    settings = app.settings
    settings.store.mkdir(parents=True, exist_ok=True)
    index = app.index(report=False)
    dedupe = importer.Deduplicator(index)
    stdin = sys.stdin.buffer.read() if "-" in sources else None
    expanded = list(importer.expand(list(sources), fmt, stdin))
    failures = 0
    now = dt.datetime.now(dt.UTC).astimezone()
    with progress_bar("Adding", threshold=10) as progress:
        for done, source in enumerate(expanded, start=1):
            progress(done, len(expanded))
            if isinstance(source, str):
                error(source)
                failures += 1
                continue
            try:
                loaded = importer.load(source, max_bytes=settings.max_article_bytes,
                                         timeout=timeout, page_url=url)
            except NewscliError as exc:
                error(f"{source.label}: {exc.message}")
                failures += 1
                continue
            for message in loaded.article.warnings:
                warn(f"{source.label}: {message}")
            importer.finish(loaded, tags=list(tags), now=now)
            article = loaded.article
            existing = None if force else dedupe.find(article)
            if existing:
                warn(f"{source.label}: already in the store as {existing} (--force adds it)")
                continue
            stem = importer.file_name(article, now.date())
            if dry_run:
                click.echo(f"would write {settings.store / stem}.md")
                click.echo(front_matter(article.meta), nl=False)
                dedupe.remember(article, stem)
                continue
            try:
                target = importer.write_new(settings.store, stem, to_markdown(article))
            except NewscliError as exc:
                error(f"{source.label}: {exc.message}")
                failures += 1
                continue
            new_id = _catalogue(index, target)
            dedupe.remember(article, new_id)
            if keep_original and loaded.original is not None:
                importer.keep_original(index, new_id, loaded.original)
            click.echo(new_id)
    if failures:
        sys.exit(1)


def _catalogue(index, target) -> str:  # type: ignore[no-untyped-def]
    """Bring the new file into the index now, and return its id."""
    index.refresh()
    row = index.by_path(target.relative_to(index.root).as_posix())
    return row.id if row else target.stem
