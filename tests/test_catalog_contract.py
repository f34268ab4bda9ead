"""The catalog contract: what every catalog implementation must do, run against each one
(SQLite today; a server backend later runs the same tests). Each test builds a real store
of files and brings the catalog up to date with the real `Sync`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newscli.catalog import Catalog
from newscli.catalog.sqlite import SqliteCatalog
from newscli.catalog.sync import Sync
from newscli.query import parse_query
from newscli.records import Filters

IMPLEMENTATIONS: dict[str, Callable[[Path], Catalog]] = {"sqlite": SqliteCatalog}

ARTICLES = {
    "2024/flood-barrier.md": """---
title: Council backs the flood barrier
byline: Ann Lee
source: The Riverside Ledger
date: 2024-03-05
url: https://ledger.example/flood?b=2&a=1&utm_source=x
tags: [Flooding, Local Politics]
---

The council voted for a barrier on the river after the winter floods.
""",
    "2024/harbour.md": """---
title: Harbour dredging starts
source: Coastline Daily
date: 2024-06-01
tags: [harbour]
uid: 7a4d2c1e-0000-4000-8000-000000000001
---

Dredgers arrived at the harbour. The flood defences are not affected.
""",
    "misc/undated.txt": "A note without a date\n\nFlood maps of the valley, kept for later.\n",
    "misc/copy.txt": "A note without a date\n\nFlood maps of the valley, kept for later.\n",
}


@pytest.fixture(params=sorted(IMPLEMENTATIONS))
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Catalog]]:
    """A factory for the implementation under test, over a store of ARTICLES."""
    root = tmp_path / "store"
    for rel, text in ARTICLES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    opened: list[Catalog] = []

    def factory() -> Catalog:
        catalog = IMPLEMENTATIONS[request.param](root)
        opened.append(catalog)
        return catalog

    yield factory
    for catalog in opened:
        catalog.close()


def synced(make: Callable[[], Catalog], full: bool = True) -> Catalog:
    catalog = make()
    Sync(catalog, lambda: 1 << 20, print).refresh(full=full)
    return catalog


def ids(rows: object) -> list[str]:
    return [r.id for r in rows]  # type: ignore[attr-defined]


def test_a_new_catalog_is_empty_and_never_built(make: Callable[[], Catalog]) -> None:
    catalog = make()
    assert catalog.count() == 0
    assert list(catalog.rows()) == []
    assert catalog.stale_dirs() is None


def test_rows_in_list_order(make: Callable[[], Catalog]) -> None:
    catalog = synced(make)
    assert catalog.count() == 4
    newest = ids(catalog.rows())
    assert newest[:2] == ["2024/harbour", "2024/flood-barrier"]  # newest first, undated last
    assert set(newest[2:]) == {"misc/undated", "misc/copy"}
    oldest = ids(catalog.rows(sort="date", reverse=True))  # undated stay last
    assert oldest[:2] == ["2024/flood-barrier", "2024/harbour"]
    assert ids(catalog.rows(sort="title", limit=1)) == ["misc/copy"]
    assert catalog.count_rows(limit=3) == 3


def test_rows_by_page(make: Callable[[], Catalog]) -> None:
    catalog = synced(make)
    everything = ids(catalog.rows(sort="title"))
    pages = [ids(catalog.rows(sort="title", offset=n, limit=2)) for n in (0, 2, 4)]
    assert pages == [everything[:2], everything[2:4], []]
    assert ids(catalog.rows(sort="title", offset=1)) == everything[1:]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(tags=("local politics",)), {"2024/flood-barrier"}),
        (Filters(tags=("flooding", "harbour")), set()),
        (Filters(source="ledger"), {"2024/flood-barrier"}),
        (Filters(source="riverside ledger"), {"2024/flood-barrier"}),
        (Filters(source="ledge"), set()),  # words, as source: in a query
        (Filters(since="2024-04-01"), {"2024/harbour"}),
        (Filters(until="2024-04-01"), {"2024/flood-barrier"}),
    ],
)
def test_filters(make: Callable[[], Catalog], filters: Filters, expected: set[str]) -> None:
    catalog = synced(make)
    assert set(ids(catalog.rows(filters=filters))) == expected
    assert catalog.count_rows(filters) == len(expected)


def test_search_ranks_title_matches_first_and_marks_matches(make: Callable[[], Catalog]) -> None:
    catalog = synced(make)
    hits = catalog.search(parse_query("flood"), explain=True)
    assert hits[0].row.id == "2024/flood-barrier"
    assert {h.row.id for h in hits} == set(ARTICLES_IDS)
    assert "\x02" in hits[0].title and "\x03" in hits[0].title
    assert hits[0].matched["title"] == ["flood"]
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))
    dated = catalog.search(parse_query("flood"), sort="date")
    assert [h.row.id for h in dated][:2] == ["2024/harbour", "2024/flood-barrier"]
    only = catalog.search(parse_query("flood"), filters=Filters(tags=("harbour",)))
    assert [h.row.id for h in only] == ["2024/harbour"]
    without = catalog.search(parse_query("flood"), filters=Filters(exclude=(hits[0].row.rowid,)))
    assert hits[0].row.id not in {h.row.id for h in without}
    assert [h.row.id for h in catalog.search(parse_query("tag:harbour"))] == ["2024/harbour"]


ARTICLES_IDS = ["2024/flood-barrier", "2024/harbour", "misc/undated", "misc/copy"]


def test_lookups(make: Callable[[], Catalog]) -> None:
    catalog = synced(make)
    row = catalog.by_id("2024/harbour")
    assert row is not None and row.title == "Harbour dredging starts"
    assert catalog.by_path("2024/harbour.md") == row
    assert catalog.by_id("nothing") is None
    assert ids(catalog.by_prefix("harb", 11)) == ["2024/harbour"]
    assert ids(catalog.by_prefix("barrier", 11)) == ["2024/flood-barrier"]  # a word in it
    assert catalog.ids_containing("und", 10) == ["misc/undated"]
    assert catalog.ids_starting("2024/f", 10) == ["2024/flood-barrier"]
    assert catalog.ids_starting("und", 10) == ["misc/undated"]
    catalog.save_listing(["misc/copy", "2024/harbour"])
    assert (found := catalog.by_number(2)) is not None and found.id == "2024/harbour"
    assert catalog.by_number(3) is None


def test_duplicates_and_state_keys(make: Callable[[], Catalog]) -> None:
    from newscli.keys import text_key
    from newscli.urls import url_key

    catalog = synced(make)
    url = "https://LEDGER.example/flood?a=1&b=2"
    assert catalog.find_duplicate(url_key(url), "") == "2024/flood-barrier"
    copy = catalog.by_id("misc/copy")
    assert copy is not None and copy.key.startswith("text:")
    body = "Flood maps of the valley, kept for later."
    assert catalog.find_duplicate("", text_key(body)) in {"misc/copy", "misc/undated"}
    assert catalog.find_duplicate("", "") is None
    harbour, flood = catalog.by_id("2024/harbour"), catalog.by_id("2024/flood-barrier")
    assert harbour is not None and harbour.key == "id:7a4d2c1e-0000-4000-8000-000000000001"
    assert flood is not None and flood.key == "url:https://ledger.example/flood?a=1&b=2"


def test_word_counts_stop_at_the_cap(make: Callable[[], Catalog]) -> None:
    catalog = synced(make)
    assert catalog.doc_count("flood", 100) == 4
    assert catalog.doc_count("flood", 2) == 2
    assert catalog.doc_count("dredgers", 100) == 1


def test_changes_are_seen(make: Callable[[], Catalog]) -> None:
    catalog = synced(make)
    root = catalog.root
    sync = Sync(catalog, lambda: 1 << 20, print)
    (root / "misc" / "copy.txt").rename(root / "misc" / "moved.txt")
    (root / "2024" / "new.md").write_text("# New story\n\nAbout the flood.\n", encoding="utf-8")
    (root / "misc" / "undated.txt").unlink()
    past = os.stat(root / "2024").st_mtime_ns - 10_000_000_000
    for folder in ("2024", "misc"):
        os.utime(root / folder, ns=(past, past))  # as if changed a while ago
    changes = sync.refresh()
    assert (changes.added, changes.removed) == (2, 2)
    assert set(ids(catalog.rows())) == {"2024/flood-barrier", "2024/harbour", "2024/new",
                                        "misc/moved"}
    # edited in place: seen by the full check, or by check_file for the one article
    path = root / "2024" / "new.md"
    path.write_text("# Renamed story\n\nAbout the flood, and more.\n", encoding="utf-8")
    row = catalog.by_id("2024/new")
    assert row is not None and sync.check_file(row).title == "Renamed story"


def test_re_reading_most_of_the_store_compacts_it_and_every_search_answers_the_same(
        make: Callable[[], Catalog], monkeypatch: pytest.MonkeyPatch) -> None:
    import newscli.catalog.sync as sync_module

    catalog = synced(make)
    queries = ["flood", "harbour dredging", "tag:harbour", '"flood maps"', "flood -dredging"]
    before = {q: [(h.row.id, h.title, h.snippet) for h in catalog.search(parse_query(q))]
              for q in queries}
    compacted: list[bool] = []
    real = type(catalog).compact
    monkeypatch.setattr(type(catalog), "compact",
                        lambda self: compacted.append(True) or real(self))
    monkeypatch.setattr(sync_module, "COMPACT_MIN", 2)
    for rel, text in ARTICLES.items():  # every file edited: all re-read
        (catalog.root / rel).write_text(text + "\n", encoding="utf-8")
    changes = Sync(catalog, lambda: 1 << 20, print).refresh(full=True)
    assert changes.updated == 4 and compacted == [True]
    after = {q: [(h.row.id, h.title, h.snippet) for h in catalog.search(parse_query(q))]
             for q in queries}
    assert after == before and all(before.values())


def test_unreadable_files_are_listed_not_shown(make: Callable[[], Catalog]) -> None:
    root = make().root
    (root / "misc" / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    catalog = synced(make)
    assert [p for p, _ in catalog.unreadable()] == ["misc/binary.txt"]
    assert "misc/binary" not in ids(catalog.rows())


def test_drop_forgets_everything(make: Callable[[], Catalog]) -> None:
    catalog = synced(make)
    catalog.drop()
    assert catalog.count() == 0 and catalog.stale_dirs() is None
    Sync(catalog, lambda: 1 << 20, print).refresh()
    assert catalog.count() == 4
