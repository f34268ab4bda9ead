"""Reading state through the real CLI: read/unread, stars, tags, saved searches, export
and import, and what survives what."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newscli.config import Settings
from newscli.service import Library
from tests.conftest import REPO

SEED = "el-salvador-cecot-mega-prison"
RIVER = "2025/riverside-bike-lanes"


def listed(run, store: Path, *args: str) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    result = run(store, "list", "--json", *args)
    assert result.exit_code in (0, 1), result.stderr  # 1: nothing listed (and [] printed)
    return {item["id"]: item for item in json.loads(result.stdout)}


def found(run, store: Path, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    result = run(store, "search", query, "--json")
    assert result.exit_code in (0, 1), result.stderr
    return {hit["id"] for hit in json.loads(result.stdout or "[]")}


def test_new_articles_are_unread_and_reading_marks_read(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    items = listed(run, store)
    assert len(items) == 4 and not any(i["read"] or i["starred"] for i in items.values())
    assert run(store, "read", "cecot", "--format", "text").exit_code == 0
    assert listed(run, store)[SEED]["read"] is True
    assert set(listed(run, store, "--unread")) == set(items) - {SEED}
    assert found(run, store, "is:read") == {SEED}
    assert SEED not in found(run, store, "(council OR prison) is:unread")
    # piped list ends with the state field
    lines = run(store, "list").stdout.splitlines()
    assert {line.split("\t")[1]: line.split("\t")[7] for line in lines}[SEED] == ""
    assert all(line.endswith("\tunread") for line in lines if SEED not in line)


def test_mark_read_on_read_can_be_turned_off(store: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = Path(os.environ["NEWSCLI_CONFIG"])
    config.write_text("mark_read = false\n", encoding="utf-8")
    run(store, "read", "cecot", "--format", "text")
    assert listed(run, store)[SEED]["read"] is False


def test_mark_by_name_number_listing_and_query(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run(store, "mark", "read", "cecot", "riverside")
    assert result.exit_code == 0 and result.stdout == "2 articles marked read\n"
    assert {k for k, v in listed(run, store).items() if v["read"]} == {SEED, RIVER}
    assert run(store, "mark", "unread", "riverside").exit_code == 0
    run(store, "list", "--sort", "title")
    first = run(store, "list", "--sort", "title").stdout.split("\t")[1]
    assert run(store, "mark", "read", "1").exit_code == 0
    assert listed(run, store)[first]["read"] is True
    run(store, "mark", "unread", "cecot", "riverside", first)
    hits = found(run, store, "harbour OR heatwave")  # the last listing is now these hits
    marked = run(store, "mark", "read", "--all-listed")
    assert marked.stdout == f"{len(hits)} articles marked read\n"
    assert {k for k, v in listed(run, store).items() if v["read"]} == hits
    by_query = run(store, "mark", "unread", "--query", "source:ledger OR source:coastline")
    assert by_query.exit_code == 0
    unread = {k for k, v in listed(run, store).items() if not v["read"]}
    assert {RIVER, "saved/harbour-wind-farm"} <= unread


def test_mark_needs_something_to_mark(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run(store, "mark", "read")
    assert result.exit_code == 1 and result.stderr.startswith("newscli: error: name at least")
    missing = run(store, "mark", "read", "nothing-like-this")
    assert missing.exit_code == 1 and "no article named" in missing.stderr


def test_stars(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert run(store, "star", "cecot", "heatwave").stdout == "2 articles starred\n"
    assert set(listed(run, store, "--starred")) == {SEED, "heatwave-water-restrictions"}
    assert found(run, store, "is:starred") == {SEED, "heatwave-water-restrictions"}
    assert run(store, "unstar", "heatwave").exit_code == 0
    assert set(listed(run, store, "--starred")) == {SEED}
    assert SEED not in found(run, store, "prison -is:starred")
    terminal = run(store, "list", "--color", "always").stdout
    assert "★" in terminal and "•" in terminal


def test_tags_changed_here_and_in_front_matter_are_one_set(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    before = (store / "2025" / "riverside-bike-lanes.md").read_bytes()
    result = run(store, "tag", "riverside", "+Cycling", "-transport")
    assert result.exit_code == 0, result.stderr
    assert listed(run, store)[RIVER]["tags"] == ["local politics", "Cycling"]
    assert set(listed(run, store, "--tag", "cycling")) == {RIVER}
    assert listed(run, store, "--tag", "transport") == {}
    assert found(run, store, "tag:cycling council") == {RIVER}
    assert found(run, store, "council -tag:transport") >= {RIVER}
    assert (store / "2025" / "riverside-bike-lanes.md").read_bytes() == before  # untouched
    assert run(store, "tag", "riverside", "+transport").exit_code == 0
    assert set(listed(run, store, "--tag", "transport")) == {RIVER}
    bad = run(store, "tag", "riverside")
    assert bad.exit_code == 1 and "+TAG" in bad.stderr


def test_saved_searches(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    saved = run(store, "search", "--save", "prisons", "cecot", "OR", '"mega-prison"', "--json")
    assert saved.exit_code == 0 and {h["id"] for h in json.loads(saved.stdout)} == {SEED}
    assert run(store, "searches").stdout == 'prisons\tcecot OR "mega-prison"\n'
    assert found(run, store, "query:prisons") == {SEED}
    assert set(listed(run, store, "query:prisons")) == {SEED}
    run(store, "mark", "read", "cecot")
    assert found(run, store, "query:prisons is:unread") == set()
    # a saved search that refers to itself, directly or through another, is refused
    loop = run(store, "search", "--save", "loop", "query:loop", "x")
    assert loop.exit_code == 2 and "refers to itself" in loop.stderr
    assert len(loop.stderr.strip().splitlines()) == 1
    run(store, "search", "--save", "a", "query:prisons", "wind")
    indirect = run(store, "search", "--save", "prisons", "query:a")
    assert indirect.exit_code == 2 and "refers to itself (prisons → a → prisons)" in indirect.stderr
    missing = run(store, "search", "query:nope")
    assert missing.exit_code == 2 and "no saved search named 'nope'" in missing.stderr
    assert run(store, "searches", "--delete", "a").exit_code == 0
    assert json.loads(run(store, "searches", "--json").stdout) == {
        "prisons": 'cecot OR "mega-prison"'}


def test_export_wipe_import_round_trip(store: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run(store, "mark", "read", "cecot")
    run(store, "star", "riverside")
    run(store, "tag", "heatwave", "+drought")
    run(store, "search", "--save", "wind", "wind")
    export = tmp_path / "state.jsonl"
    assert run(store, "state", "export", "-o", str(export)).exit_code == 0
    records = [json.loads(line) for line in export.read_text().splitlines()]
    assert len(records) == 4 and all("key" in r or "saved_search" in r for r in records)
    before = listed(run, store)
    for name in ("state.db", "state.db-wal", "state.db-shm"):
        (store / ".newscli" / name).unlink(missing_ok=True)
    assert not any(i["read"] or i["starred"] for i in listed(run, store).values())
    result = run(store, "state", "import", str(export))
    assert result.exit_code == 0 and result.stdout == "4 entries changed\n"
    assert listed(run, store) == before
    assert run(store, "state", "import", str(export)).stdout == "0 entries changed\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"key": "url:x"}\nnot json\n', encoding="utf-8")
    refused = run(store, "state", "import", str(bad))
    assert refused.exit_code == 1 and "line 2 is not JSON" in refused.stderr


def test_state_survives_rebuild_deletion_and_rename(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    run(store, "star", "cecot", "riverside")
    run(store, "index", "--rebuild")
    assert set(listed(run, store, "--starred")) == {SEED, RIVER}
    (store / ".newscli" / "index.db").unlink()
    assert set(listed(run, store, "--starred")) == {SEED, RIVER}
    (store / "el-salvador-cecot-mega-prison.txt").rename(store / "renamed-seed.txt")
    assert set(listed(run, store, "--starred")) == {"renamed-seed", RIVER}


def test_prune_forgets_only_what_is_long_gone(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    run(store, "star", "cecot", "heatwave")
    (store / "heatwave-water-restrictions.txt").unlink()
    kept = run(store, "state", "prune")
    assert kept.exit_code == 0 and kept.stdout == "0 entries forgotten\n"  # gone only now
    pruned = run(store, "state", "prune", "--older-than", "2999-01-01")
    assert pruned.stdout == "1 entry forgotten\n"
    assert set(listed(run, store, "--starred")) == {SEED}


def test_prune_forgets_the_reading_position_of_what_is_long_gone(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    with Library(Settings(str(store))) as library:  # as the browser keeps them
        for name, line in (("cecot", 12), ("heatwave", 30)):
            library.keep_position(library.resolve(name), line)
    (store / "heatwave-water-restrictions.txt").unlink()
    pruned = run(store, "state", "prune", "--older-than", "2999-01-01")
    assert pruned.stdout == "1 entry forgotten\n"
    with Library(Settings(str(store))) as library:
        assert library.position(library.resolve("cecot")) == 12


def newscli(store: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "newscli", "--store", str(store), *args],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_marking_at_once_lose_nothing(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "s"
    store.mkdir()
    for n in range(40):
        (store / f"story-{n:02d}.txt").write_text(f"Story {n}\n\nBody number {n} here.\n")
    run(store, "list")
    first = newscli(store, "mark", "read", *[f"story-{n:02d}" for n in range(0, 40, 2)])
    second = newscli(store, "star", *[f"story-{n:02d}" for n in range(1, 40, 2)])
    third = newscli(store, "index", "--rebuild")
    for process in (first, second, third):
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    items = listed(run, store)
    assert {k for k, v in items.items() if v["read"]} == {f"story-{n:02d}" for n in range(0, 40, 2)}
    assert {k for k, v in items.items() if v["starred"]} == {
        f"story-{n:02d}" for n in range(1, 40, 2)}


@pytest.mark.parametrize("query", ["is:sleeping", "cecot is:new"])
def test_unknown_reading_state_is_a_usage_error(store: Path, run, query: str) -> None:  # type: ignore[no-untyped-def]
    result = run(store, "search", query)
    assert result.exit_code == 2 and "reading state" in result.stderr


@pytest.mark.parametrize("post_filtered", [False, True])
def test_unread_search_ranks_like_the_plain_search_less_the_read(  # type: ignore[no-untyped-def]
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch, post_filtered: bool
) -> None:
    """Both ways of running a reading-state search (test every match, or rank first and
    filter the top: what a big store does) give the same hits in the same order."""
    import newscli.catalog.sqlite as catalog

    calls: list[int] = []
    if post_filtered:
        monkeypatch.setattr(catalog, "POST_FILTER_MIN", 1)
        original = catalog.SqliteCatalog._post_filtered

        def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(1)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(catalog.SqliteCatalog, "_post_filtered", counted)
    store = tmp_path / "s"
    store.mkdir()
    for n in range(60):
        words = " ".join(["harbour"] * (n % 7 + 1))
        (store / f"story-{n:02d}.txt").write_text(f"Story {n}\n\n{words} and word {n}.\n")
    everything = json.loads(run(store, "search", "harbour", "--limit", "100", "--json").stdout)
    read = [hit["id"] for hit in everything[::3]]
    run(store, "mark", "read", *read)
    for limit in ("5", "100"):
        unread = json.loads(
            run(store, "search", "harbour is:unread", "--limit", limit, "--json").stdout)
        expected = [h["id"] for h in everything if h["id"] not in read][: int(limit)]
        assert [h["id"] for h in unread] == expected
        assert all(h["read"] is False for h in unread)
    assert bool(calls) == post_filtered


def test_related_shows_the_reading_state_of_what_it_finds(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "s"
    store.mkdir()
    words = "harbour dredging turbines seabed fishermen compensation cables council"
    for n in range(3):
        (store / f"story-{n}.txt").write_text(
            f"Harbour story {n}\n\nThe {words} meeting number {n} discussed {words} again.\n")
    for n in range(3, 43):  # enough articles that the shared words are distinctive
        (store / f"other-{n}.txt").write_text(f"Other {n}\n\nUnrelated note about gardens {n}.\n")
    run(store, "mark", "read", "story-1")
    run(store, "star", "story-2")
    result = run(store, "related", "story-0", "--json")
    assert result.exit_code == 0, result.stderr
    found = {hit["id"]: hit for hit in json.loads(result.stdout)}
    assert found["story-1"]["read"] is True and found["story-2"]["starred"] is True
