"""`newscli feed add|list|update|remove|import|export`: thin views over newscli.feeds."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from newscli.context import Command, Context, progress_bar, say, warn
from newscli.feeds import DEFAULT_JOBS, FULL_TEXT_MODES, MAX_JOBS

if TYPE_CHECKING:
    from newscli.feeds.subscriptions import Feed, Subscriptions
    from newscli.feeds.update import Options, Result, Writer
    from newscli.importer import Deduplicator

FULL_TEXT = click.Choice(FULL_TEXT_MODES)


@click.group("feed", context_settings={"help_option_names": ["-h", "--help"]})
def group() -> None:
    """Subscribe to RSS, Atom and JSON Feed; each new entry becomes an article file.

    Entries are written as YYYY-MM-DD-slug.md in a folder per feed inside the store, so
    list, read and search work on them. Updates are polite: conditional requests, one
    request per host at a time, and each feed's own schedule.

    \b
    Examples:
      newscli feed add https://example.org/            (finds the site's feed)
      newscli feed add https://example.org/feed.xml --name Example --tag news
      newscli feed update
      newscli feed list
      newscli feed import subscriptions.opml
    """


@contextmanager
def _subscriptions(context: Context) -> Iterator[Subscriptions]:
    from newscli.feeds.subscriptions import opened

    root = context.settings.store
    root.mkdir(parents=True, exist_ok=True)
    with opened(context.library.state) as subs:
        yield subs


def _writer(context: Context, dry_run: bool) -> Writer:
    """The catalog is opened (and brought up to date) only when an entry needs deduping."""
    from newscli.feeds.update import Writer

    def dedupe() -> Deduplicator:
        from contextlib import nullcontext

        # The update's own progress bar is showing; a second live display is refused.
        context.library.progress = lambda label, threshold: nullcontext(lambda done, total: None)
        return context.library.deduplicator(dry_run)

    return Writer(context.settings.store, dedupe, dry_run)


def _options(context: Context, **kwargs: Any) -> Options:
    from newscli.feeds.update import Options

    return Options(max_page_bytes=context.settings.max_article_bytes, **kwargs)


@group.command("add", cls=Command)
@click.argument("url")
@click.option("--name", help="What to call the feed (default: its title).")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Tag its articles.")
@click.option("--full-text", type=FULL_TEXT, default="auto", show_default=True,
              help="Fetch each entry's page for its text: when the feed's is short (auto), "
              "always, or never.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds allowed for fetching each feed (and each page).")
@click.pass_obj
def add(context: Context, url: str, name: str | None, tags: tuple[str, ...], full_text: str,
        dry_run: bool, timeout: float) -> None:
    """Subscribe to a feed and import its entries.

    URL is the feed, or a site's home page that announces its feed with
    <link rel="alternate">.

    \b
    Examples:
      newscli feed add https://example.org/
      newscli feed add https://example.org/atom.xml --name Example --tag tech
      newscli feed add https://example.org/rss --full-text never
    """
    from newscli.feeds.update import subscribe
    from newscli.sanitize import clean_line

    with _subscriptions(context) as subs:
        writer = _writer(context, dry_run)
        feed, result = subscribe(subs, url, name=name, full_text=full_text,
                                 tags=[t for t in (clean_line(t, 80) for t in tags) if t],
                                 writer=writer, options=_options(context, dry_run=dry_run,
                                                                 timeout=timeout,
                                                                 page_timeout=timeout))
    if result.written and not dry_run:
        context.library.refresh(report=False)  # catalogued now: list and search see them
    for message in result.warnings:
        warn(f"{feed.name}: {message}")
    verb = "would subscribe" if dry_run else "subscribed"
    _echo(f"{verb} to {feed.name} ({feed.url}): {_counts(result)}")


@group.command("list", cls=Command)
@click.option("--json", "as_json", is_flag=True, help="One JSON array of feeds.")
@click.pass_obj
def list_feeds(context: Context, as_json: bool) -> None:
    """Show subscriptions: name, URL, last success, next check, new entries last time,
    errors, and whether the feed moved or is gone.

    \b
    Examples:
      newscli feed list
      newscli feed list --json | jq '.[] | select(.errors > 0)'
    """
    from newscli.feeds.subscriptions import Subscriptions

    root = context.settings.store
    state = context.library.recorded_state() if root.is_dir() else None  # never creates one
    feeds = list(Subscriptions(state).feeds.values()) if state is not None else []
    if as_json:
        import json

        from newscli.sanitize import json_safe

        rows = [_feed_json(f) for f in feeds]
        click.echo(json_safe(json.dumps(rows, indent=2, ensure_ascii=False)))
        return
    if not feeds:
        say("no feeds yet; `newscli feed add URL` subscribes to one")
        return
    from newscli.output import is_tty

    table = [_feed_row(feed) for feed in feeds]
    if not is_tty(sys.stdout):  # one tab-separated line per feed, for cut and awk
        from newscli.sanitize import visible

        for row in table:
            click.echo("\t".join(visible(cell) for cell in row))
        return
    table.insert(0, ["NAME", "URL", "LAST OK", "NEXT CHECK", "NEW", "ERRORS", "STATE"])
    widths = [max(len(row[n]) for row in table) for n in range(len(table[0]) - 1)]
    for row in table:
        _echo("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)),
                         row[-1]]).rstrip())


@group.command("update", cls=Command)
@click.argument("names", nargs=-1)
@click.option("--force", is_flag=True, help="Poll every feed now, due or not.")
@click.option("--jobs", type=click.IntRange(1, MAX_JOBS), default=DEFAULT_JOBS,
              show_default=True,
              help="Feeds polled at once (never more than one per host).")
@click.option("--dry-run", is_flag=True, help="Fetch and show what would be written; write "
              "nothing and remember nothing.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of per-feed results.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds allowed for fetching each feed (and each page).")
@click.pass_obj
def update_feeds(context: Context, names: tuple[str, ...], force: bool, jobs: int, dry_run: bool,
                 as_json: bool, timeout: float) -> None:
    """Fetch new entries of the feeds that are due (or of the NAMEs given).

    Exits with status 1 if any feed failed.

    \b
    Examples:
      newscli feed update
      newscli feed update "Example News" --force
      newscli feed update --dry-run --json
    """
    from newscli.feeds import update as use_case
    from newscli.output import is_tty

    piped = as_json or not is_tty(sys.stdout)
    with _subscriptions(context) as subs:
        writer = _writer(context, dry_run)
        feeds, skipped = use_case.select(subs, names, force, use_case.now())
        done: list[Result] = []
        with progress_bar("Updating feeds", threshold=1) as progress:
            progress(0, len(feeds))

            def show(result: Result) -> None:
                done.append(result)
                progress(len(done), len(feeds))
                if not as_json and (piped or result.failed):
                    _echo(_result_line(result))

            results = use_case.update(subs, feeds, writer,
                                      _options(context, dry_run=dry_run, jobs=jobs,
                                               timeout=timeout, page_timeout=timeout),
                                      on_result=show)
    if any(r.written for r in results) and not dry_run:
        context.library.refresh(report=False)  # catalogued now: list and search see them
    for result in results:
        for message in result.warnings:
            warn(f"{result.name}: {message}")
    if as_json:
        import json

        from newscli.sanitize import json_safe

        rows = [r.as_json() for r in [*results, *skipped]]
        click.echo(json_safe(json.dumps(rows, indent=2, ensure_ascii=False)))
    else:
        if piped:
            for result in skipped:
                _echo(_result_line(result))
        new = sum(r.new for r in results)
        failed = sum(r.failed for r in results)
        say(f"{len(results)} feeds polled, {len(skipped)} not due or gone: {new} new "
            f"articles{f', {failed} failed' if failed else ''}"
            f"{' (dry run: nothing written, nothing remembered)' if dry_run else ''}")
    if any(r.failed for r in results):
        sys.exit(1)


@group.command("remove", cls=Command)
@click.argument("name")
@click.pass_obj
def remove(context: Context, name: str) -> None:
    """Unsubscribe; the feed's articles stay in the store.

    \b
    Examples:
      newscli feed remove "Example News"
    """
    from newscli.feeds import FeedError

    with _subscriptions(context) as subs:
        feed = subs.find(name)
        if feed is None:
            raise FeedError(f"no feed named {name!r}", hint="`newscli feed list` shows them")
        del subs.feeds[feed.name]
        subs.save()
    _echo(f"removed {feed.name}; its articles stay in {feed.folder or '.'}/")


@group.command("import", cls=Command)
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--dry-run", is_flag=True, help="Show the feeds that would be added.")
@click.option("--full-text", type=FULL_TEXT, default="auto", show_default=True,
              help="As for `feed add`, for every feed imported.")
@click.pass_obj
def import_opml(context: Context, file: str, dry_run: bool, full_text: str) -> None:
    """Subscribe to every feed of an OPML file (other readers export one).

    Folders become tags. Nothing is fetched now: `newscli feed update` does it.

    \b
    Examples:
      newscli feed import ~/Downloads/subscriptions.opml
      newscli feed import feeds.opml --dry-run
    """
    from newscli.feeds import FeedError, opml
    from newscli.feeds.update import adopt

    try:
        data = sys.stdin.buffer.read() if file == "-" else open(file, "rb").read(16 << 20)
    except OSError as exc:
        raise FeedError(f"cannot read {file}: {exc.strerror or exc}") from None
    outlines = opml.read(data, file)
    with _subscriptions(context) as subs:
        added, known = adopt(subs, outlines, dry_run=dry_run, full_text=full_text)
    for feed in added:
        _echo(f"{'would add' if dry_run else 'added'} {feed.name} ({feed.url})")
    say(f"{len(added)} feeds {'would be ' if dry_run else ''}added, {known} already subscribed")


@group.command("export", cls=Command)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@click.pass_obj
def export_opml(context: Context, output: str | None) -> None:
    """Write the subscriptions as OPML (to stdout, or to FILE).

    \b
    Examples:
      newscli feed export -o feeds.opml
    """
    from pathlib import Path

    from newscli.feeds import opml
    from newscli.feeds.subscriptions import Subscriptions
    from newscli.textio import write_atomic

    root = context.settings.store
    state = context.library.recorded_state() if root.is_dir() else None  # never creates one
    feeds = list(Subscriptions(state).feeds.values()) if state is not None else []
    text = opml.write([(f.name, f.url, f.tags, "") for f in feeds])
    if output:
        write_atomic(Path(output), text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


# -- views -----------------------------------------------------------------------------------


def _echo(line: str) -> None:
    from newscli.sanitize import visible

    click.echo(visible(line))


def _counts(result: Result) -> str:
    parts = [f"{result.new} new"]
    if result.updated:
        parts.append(f"{result.updated} updated")
    if result.duplicates:
        parts.append(f"{result.duplicates} already in the store")
    return ", ".join(parts)


def _result_line(result: Result) -> str:
    if result.status == "error":
        return f"{result.name}: error: {result.error}"
    if result.status == "gone":
        return f"{result.name}: gone ({result.error or '410 Gone'})"
    if result.status == "not-due":
        return f"{result.name}: not due until {_when(result.next_check)}"
    line = f"{result.name}: " + ("not modified" if result.status == "not-modified"
                                  else _counts(result))
    if result.moved_to:
        line += f"; moved permanently, now {result.moved_to}"
    return line


def _when(stamp: str) -> str:
    return stamp.replace("T", " ")[:16] if stamp else "-"


def _feed_row(feed: Feed) -> list[str]:
    if feed.gone:
        state = "gone (410)"
    elif feed.errors:
        state = f"failing: {feed.last_error}"
    else:
        state = "ok"
    if feed.moved_from:
        state += f"; moved from {feed.moved_from}"
    return [feed.name, feed.url, _when(feed.last_success), _when(feed.next_check),
            str(feed.new_last_time), str(feed.errors), state]


def _feed_json(feed: Feed) -> dict[str, Any]:
    return {"name": feed.name, "url": feed.url, "title": feed.title, "tags": feed.tags,
            "folder": feed.folder, "full_text": feed.full_text,
            "last_success": feed.last_success or None, "last_check": feed.last_check or None,
            "next_check": feed.next_check or None, "new_last_time": feed.new_last_time,
            "errors": feed.errors, "last_error": feed.last_error or None,
            "moved_from": feed.moved_from or None, "gone": feed.gone,
            "entries": len(feed.entries)}
