"""`newscli search`, `related` and `index` as a user drives them, on the bundled store."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

SEED = "el-salvador-cecot-mega-prison"
SEED_TITLE = "El Salvador’s controversial mega-prison, the Terrorism Confinement Center (CECOT)…"
HIT_KEYS = {
    "id", "title", "byline", "source", "date", "url", "tags", "words", "path", "read", "starred",
    "score", "snippet", "highlights", "matched",
}
ANSI = "\x1b["

# A second report of the seed's story, for `related` and read's "Related in your store".
SAME_STORY = """---
title: Venezuelan deportees arrive at El Salvador's CECOT mega-prison
byline: Carla Jiménez
date: 2025-03-17
source: Wire Report
tags: [immigration, el salvador]
---

Planes carrying Venezuelan men deported by the Trump administration landed in El Salvador,
and the deportees were driven to CECOT, the Terrorism Confinement Center in Tecoluca.
President Nayib Bukele, who built the mega-prison to hold gang members, posted video of the
men having their heads shaved. U.S. officials said the deportees belonged to Tren de Aragua,
the Venezuelan gang; lawyers for several families said their relatives had no criminal
record. Human rights groups have described overcrowding inside the prison.
"""


def hit_blocks(stdout: str) -> list[list[str]]:
    """Piped hits: blocks of lines separated by a blank line."""
    blocks = [block.split("\n") for block in stdout.rstrip("\n").split("\n\n")]
    return [b for b in blocks if b != [""]]


def ids_shown(stdout: str) -> list[str]:
    return [block[1].strip().split(" · ")[0] for block in hit_blocks(stdout)]


# -- finding the seed, marked -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "title_line", "snippet_mark"),
    [
        ("mega-prison", f"1. {SEED_TITLE.replace('mega-prison', '**mega-prison**')}",
         "**mega-prison**"),
        ('"Tren de Aragua"', f"1. {SEED_TITLE}", "**Tren de Aragua**"),
        ("title:cecot", f"1. {SEED_TITLE.replace('(CECOT)', '(**CECOT**)')}", None),
    ],
)
def test_piped_hit_is_three_lines_with_matches_marked(
    store: Path, run, query: str, title_line: str, snippet_mark: str | None
) -> None:
    result = run(store, "search", query)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    blocks = hit_blocks(result.stdout)
    assert len(blocks) == 1
    title, meta, snippet = blocks[0]
    assert title == title_line
    assert meta == f"   {SEED}"
    assert snippet.startswith("   ") and len(snippet) > 40
    if snippet_mark:
        assert snippet_mark in snippet
    assert result.stdout.endswith("\n\n")
    assert ANSI not in result.stdout


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("mega-prison", "mega-prison"),
        ('"Tren de Aragua"', "Tren de Aragua"),
        ("title:cecot", "CECOT"),
    ],
)
def test_color_always_highlights_with_styles_not_stars(
    store: Path, run, query: str, word: str
) -> None:
    result = run(store, "search", query, "--color", "always")
    assert result.exit_code == 0, result.stderr
    assert ANSI in result.stdout
    assert f"**{word}**" not in result.stdout
    assert f"\x1b[1;33m{word}" in result.stdout  # bold yellow, like the other matches
    assert SEED in result.stdout


def test_color_never_and_no_color_keep_the_pipe_form(store: Path, run, monkeypatch) -> None:
    assert ANSI not in run(store, "search", "cecot", "--color", "never").stdout
    monkeypatch.setenv("NO_COLOR", "1")
    result = run(store, "search", "cecot")
    assert ANSI not in result.stdout and "**" in result.stdout


# -- ids and numbers lead to `read` -----------------------------------------------------------
def test_every_id_shown_can_be_read(store: Path, run) -> None:
    result = run(store, "search", "the")
    assert result.exit_code == 0, result.stderr
    ids = ids_shown(result.stdout)
    assert len(ids) == 4
    for article_id in ids:
        read = run(store, "read", article_id, "--format", "text", "--no-related")
        assert read.exit_code == 0, (article_id, read.stderr)
        assert read.stdout.strip()


def test_the_numbers_a_search_showed_can_be_read(store: Path, run) -> None:
    hits = json.loads(run(store, "search", "council OR heat*", "--json").stdout)
    assert len(hits) >= 2
    read = run(store, "read", "2", "--format", "json")
    assert read.exit_code == 0, read.stderr
    assert json.loads(read.stdout)["id"] == hits[1]["id"]


# -- options ---------------------------------------------------------------------------------
def test_limit(store: Path, run) -> None:
    assert len(json.loads(run(store, "search", "the", "--json").stdout)) == 4
    assert len(json.loads(run(store, "search", "the", "--json", "--limit", "2").stdout)) == 2
    assert len(hit_blocks(run(store, "search", "the", "-n", "1").stdout)) == 1
    bad = run(store, "search", "the", "--limit", "0")
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr


def test_sort_date_is_newest_first_undated_last(store: Path, run) -> None:
    hits = json.loads(run(store, "search", "the", "--sort", "date", "--json").stdout)
    assert [(h["date"] or "")[:10] for h in hits] == ["2025-06-28", "2025-03-14", "2025-01-22", ""]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--tag", "energy"], ["saved/harbour-wind-farm"]),
        (["--tag", "ENERGY"], ["saved/harbour-wind-farm"]),
        (["--source", "ledger"], ["2025/riverside-bike-lanes"]),
        (["--since", "2025-02"], ["heatwave-water-restrictions", "2025/riverside-bike-lanes"]),
        (["--until", "2025-01"], ["saved/harbour-wind-farm"]),
        (["--since", "2025-03", "--until", "2025-03"], ["2025/riverside-bike-lanes"]),
    ],
)
def test_filters(store: Path, run, options: list[str], expected: list[str]) -> None:
    result = run(store, "search", "the", "--sort", "date", "--json", *options)
    assert result.exit_code == 0, result.stderr
    assert [h["id"] for h in json.loads(result.stdout)] == expected


def test_a_filter_that_excludes_everything_is_no_match_with_a_hint(store: Path, run) -> None:
    result = run(store, "search", "cecot", "--tag", "sport")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "newscli: error: no articles match 'cecot'",
        "hint: drop a filter (tag:, date:, --since …) to search more widely",
    ]


def test_explain_shows_score_and_fields(store: Path, run) -> None:
    result = run(store, "search", "title:cecot OR aragua", "--explain")
    assert result.exit_code == 0, result.stderr
    explain = [line for line in result.stdout.splitlines() if line.startswith("   score ")]
    assert len(explain) == 1
    assert "matched title: cecot" in explain[0] and "body: aragua" in explain[0]
    float(explain[0].split()[1])
    hits = json.loads(run(store, "search", "title:cecot", "--explain", "--json").stdout)
    assert hits[0]["matched"] == {"title": ["cecot"]}
    assert hits[0]["score"] > 0


def test_json_contract(store: Path, run) -> None:
    result = run(store, "search", "mega-prison", "--json")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert [set(hit) for hit in hits] == [HIT_KEYS]
    hit = hits[0]
    assert hit["id"] == SEED and hit["title"] == SEED_TITLE
    assert hit["path"] == f"{SEED}.txt"
    assert hit["date"] is None and hit["url"] is None and hit["tags"] == []
    assert isinstance(hit["words"], int) and isinstance(hit["score"], float)
    assert hit["highlights"] == ["mega-prison"]
    assert "\x02" not in hit["snippet"] and "**" not in hit["snippet"]
    assert hit["matched"] is None  # only with --explain


def test_json_of_a_dated_article(store: Path, run) -> None:
    hit = json.loads(run(store, "search", "bike", "--json").stdout)[0]
    assert hit["byline"] == "Maya Okafor"
    assert hit["source"] == "The Riverside Ledger"
    assert hit["date"] == "2025-03-14"
    assert hit["tags"] == ["transport", "local politics"]
    assert hit["url"].startswith("https://")


# -- no hits and bad queries -----------------------------------------------------------------
def test_no_hits_is_exit_1_with_a_hint(store: Path, run) -> None:
    result = run(store, "search", "zeppelin")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "newscli: error: no articles match 'zeppelin'",
        "hint: try a prefix (word*) or a related word",
    ]


@pytest.mark.parametrize(
    "words",
    [
        ['"unclosed'],
        ["(("],
        ["NEAR("],
        ["-only"],
        ["court", "-appeal"],
        ["))"],
        ["OR"],
        ["a OR"],
        ['-"'],
        ["title:"],
        ["tag:"],
        ["date:2024-13"],
        ["*"],
        ["^x"],
        ['"a" NEAR/3 "b"'],
        ["((((((((((cecot))))))))))"],
        ["deport* OR -venezuela"],
    ],
    ids=repr,
)
def test_a_malformed_query_runs_or_fails_in_one_line(store: Path, run, words: list[str]) -> None:
    result = run(store, "search", *words)
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert "fts5" not in result.stderr.lower() and "syntax error" not in result.stderr
    if result.exit_code:
        assert result.stdout == ""
        first, *rest = result.stderr.splitlines()
        assert first.startswith("newscli: error: "), result.stderr
        assert all(line.startswith("hint: ") for line in rest), result.stderr


def test_an_excluded_word_as_its_own_argument_works_like_the_quoted_query(
    store: Path, run
) -> None:
    quoted = run(store, "search", "mega -venezuelan")
    apart = run(store, "search", "mega", "-venezuelan")
    assert quoted.exit_code == 1  # the seed mentions Venezuelan gangs
    assert (apart.exit_code, apart.stdout, apart.stderr) == (
        quoted.exit_code, quoted.stdout, quoted.stderr
    )


# -- related ---------------------------------------------------------------------------------
@pytest.fixture
def same_story(store: Path) -> Path:
    (store / "2025" / "cecot-deportees.md").write_text(SAME_STORY, encoding="utf-8")
    return store


def test_related_finds_the_other_report_of_the_story(same_story: Path, run) -> None:
    result = run(same_story, "related", "cecot-mega", "--json")
    assert result.exit_code == 0, result.stderr
    ids = [hit["id"] for hit in json.loads(result.stdout)]
    assert ids[0] == "2025/cecot-deportees"
    assert SEED not in ids
    back = json.loads(run(same_story, "related", "cecot-deportees", "--json").stdout)
    assert back[0]["id"] == SEED


def test_related_on_a_store_without_a_like_article_is_exit_1(store: Path, run) -> None:
    result = run(store, "related", "cecot")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"newscli: error: no article in the store is like '{SEED}'")


def test_read_shows_related_in_your_store(same_story: Path, run) -> None:
    result = run(same_story, "read", "cecot-mega", "--format", "text", "--width", "100")
    assert result.exit_code == 0, result.stderr
    tail = result.stdout.split("Related in your store", 1)
    assert len(tail) == 2
    assert "Venezuelan deportees arrive at El Salvador's CECOT mega-prison" in tail[1]
    assert "newscli read 2025/cecot-deportees" in tail[1]
    plain = run(same_story, "read", "cecot-mega", "--format", "text", "--no-related")
    assert "Related in your store" not in plain.stdout


# -- the store changing under the index ------------------------------------------------------
def search_ids(run, store: Path, query: str) -> list[str]:
    result = run(store, "search", query, "--json")
    assert result.exit_code in (0, 1), result.stderr
    return [hit["id"] for hit in json.loads(result.stdout)] if result.exit_code == 0 else []


def test_added_deleted_and_renamed_files_are_seen_without_index(store: Path, run) -> None:
    assert search_ids(run, store, "zeppelin") == []
    (store / "2025" / "airship.md").write_text(
        "---\ntitle: Zeppelin returns to the lake\n---\n\nThe airship flew at dawn.\n",
        encoding="utf-8",
    )
    assert search_ids(run, store, "zeppelin") == ["2025/airship"]
    (store / "2025" / "airship.md").rename(store / "saved" / "zeppelin.md")
    assert search_ids(run, store, "zeppelin") == ["saved/zeppelin"]
    (store / "saved" / "zeppelin.md").unlink()
    assert search_ids(run, store, "zeppelin") == []
    # a whole folder appears, then goes
    shutil.copytree(store / "2025", store / "archive")
    assert search_ids(run, store, "bike") == [
        "2025/riverside-bike-lanes", "archive/riverside-bike-lanes"
    ]
    shutil.rmtree(store / "archive")
    assert search_ids(run, store, "bike") == ["2025/riverside-bike-lanes"]


def test_an_edit_in_place_is_seen_after_index(store: Path, run) -> None:
    assert search_ids(run, store, "hosepipe") == ["heatwave-water-restrictions"]
    path = store / "heatwave-water-restrictions.txt"
    before = path.stat()
    path.write_text(
        path.read_text(encoding="utf-8").replace("hosepipe", "garden hose") + "\nZeppelins.\n",
        encoding="utf-8",
    )
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 5_000_000_000))
    result = run(store, "index")
    assert result.exit_code == 0, result.stderr
    assert search_ids(run, store, "zeppelin") == ["heatwave-water-restrictions"]
    assert search_ids(run, store, "hosepipe") == []


# -- index --status and --rebuild ------------------------------------------------------------
def status(run, store: Path) -> dict[str, str]:
    result = run(store, "index", "--status")
    assert result.exit_code == 0, result.stderr
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in result.stdout.splitlines())
    }


def test_index_status_before_and_after(store: Path, run) -> None:
    before = status(run, store)
    assert before["state"] == "never built"
    assert before["store"] == str(store)
    assert before["index"] == str(store / ".newscli" / "index.db")
    # folders last touched an hour ago, so none is within the two-second racy window
    for folder in (store, store / "2025", store / "saved"):
        os.utime(folder, ns=(time.time_ns() - 3600 * 10**9,) * 2)
    result = run(store, "index")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (f"4 articles indexed in {store / '.newscli' / 'index.db'} "
                             "(4 added, 0 changed, 0 removed)\n")
    after = status(run, store)
    assert after["articles"] == "4"
    assert after["state"].startswith("up to date")
    (store / "saved" / "new.md").write_text("# New\n\nText.\n", encoding="utf-8")
    assert status(run, store)["state"].startswith("out of date: 1 added, 0 changed, 0 removed")
    assert run(store, "index").stdout.startswith("5 articles indexed")


def test_status_right_after_the_first_index_is_up_to_date(store: Path, run) -> None:
    assert run(store, "index").exit_code == 0
    assert status(run, store)["state"].startswith("up to date")


def test_index_rebuild_starts_over_and_finds_the_same(store: Path, run) -> None:
    first = run(store, "search", "mega-prison", "--json").stdout
    result = run(store, "index", "--rebuild")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("4 articles indexed in ")
    assert run(store, "search", "mega-prison", "--json").stdout == first
    assert status(run, store)["articles"] == "4"
