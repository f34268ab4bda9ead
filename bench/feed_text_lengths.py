"""How long is an entry's own text? The measurement behind `--full-text auto`'s threshold.

For every feed in ../shared/feeds, the words of each entry's text as newscli converts it
(the same conversion `feed update` uses), summarised per feed: min, median, max. Summary-only
feeds (teasers) should fall below `FULL_TEXT_MIN_WORDS`, full-text feeds above it.

    .venv/bin/python bench/feed_text_lengths.py
"""

from __future__ import annotations

import statistics
from pathlib import Path

from newscli.feeds import FeedError
from newscli.feeds.entries import FULL_TEXT_MIN_WORDS, body_blocks
from newscli.feeds.parse import parse_feed
from newscli.model import Article, Meta

FEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "feeds"


def main() -> None:
    print(f"{'feed':<40} {'entries':>7} {'min':>5} {'median':>7} {'max':>5}  below threshold")
    for path in sorted(FEEDS.glob("*/*")):
        if path.suffix not in (".xml", ".atom", ".rss", ".json"):
            continue
        try:
            feed = parse_feed(path.read_bytes(), url="https://example.org/feed")
        except FeedError:
            continue
        words = [Article(Meta(), body_blocks(e.html, "https://example.org/")).words
                 for e in feed.entries]
        if not words:
            continue
        below = sum(w < FULL_TEXT_MIN_WORDS for w in words)
        print(f"{path.relative_to(FEEDS).as_posix():<40} {len(words):>7} {min(words):>5} "
              f"{statistics.median(words):>7.0f} {max(words):>5}  {below}/{len(words)}")
    print(f"threshold: FULL_TEXT_MIN_WORDS = {FULL_TEXT_MIN_WORDS}")


if __name__ == "__main__":
    main()
