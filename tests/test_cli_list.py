"""`newscli list` as a user drives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

JSON_KEYS = {"id", "title", "byline", "source", "date", "url", "tags", "words", "path", "read",
             "starred"}


def test_piped_list_is_tab_separated_newest_first_undated_last(store: Path, run) -> None:
    result = run(store, "list")
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [r[0] for r in rows] == ["1", "2", "3", "4"]
    assert [r[1] for r in rows][:2] == ["heatwave-water-restrictions", "2025/riverside-bike-lanes"]
    dated = [r[2] for r in rows if r[2]]
    assert dated == sorted(dated, reverse=True)
    assert rows[-1][2] == ""  # the undated seed comes last
    assert "\x1b" not in result.stdout


def test_json_contract(store: Path, run) -> None:
    result = run(store, "list", "--json")
    items = json.loads(result.stdout)
    assert len(items) == 4
    assert all(set(item) == JSON_KEYS for item in items)
    riverside = next(i for i in items if i["id"] == "2025/riverside-bike-lanes")
    assert riverside["byline"] == "Maya Okafor"
    assert riverside["tags"] == ["transport", "local politics"]
    assert riverside["date"] == "2025-03-14"
    assert riverside["path"] == "2025/riverside-bike-lanes.md"
    assert isinstance(riverside["words"], int) and riverside["words"] > 150


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--tag", "energy"], ["saved/harbour-wind-farm"]),
        (["--source", "ledger"], ["2025/riverside-bike-lanes"]),
        (["--since", "2025-02"], ["heatwave-water-restrictions", "2025/riverside-bike-lanes"]),
        (["--until", "2025-01"], ["saved/harbour-wind-farm"]),
        (
            ["--sort", "title", "--limit", "2"],
            ["el-salvador-cecot-mega-prison", "heatwave-water-restrictions"],
        ),
        (["--sort", "length", "--limit", "1"], ["el-salvador-cecot-mega-prison"]),
    ],
)
def test_filters_and_sorting(store: Path, run, args: list[str], expected: list[str]) -> None:
    result = run(store, "list", "--json", *args)
    assert [i["id"] for i in json.loads(result.stdout)] == expected


def test_reverse_keeps_undated_last(store: Path, run) -> None:
    ids = [i["id"] for i in json.loads(run(store, "list", "--json", "--reverse").stdout)]
    assert ids[0] == "saved/harbour-wind-farm" and ids[-1] == "el-salvador-cecot-mega-prison"


def test_bad_date_is_a_usage_error(store: Path, run) -> None:
    result = run(store, "list", "--since", "last tuesday")
    assert result.exit_code == 2
    assert result.stderr.startswith("newscli: error: --since") and "Traceback" not in result.stderr


def test_table_in_colour_when_asked(store: Path, run) -> None:
    result = run(store, "list", "--color", "always", "--no-pager")
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "Title" in result.stdout and "Riverside council" in result.stdout


def test_new_deleted_and_renamed_files_are_noticed(store: Path, run) -> None:
    run(store, "list")
    (store / "heatwave-water-restrictions.txt").rename(store / "2025" / "heatwave.txt")
    (store / "el-salvador-cecot-mega-prison.txt").unlink()
    (store / "2025" / "new-story.md").write_text("# Brand new\n\nFresh text.\n", "utf-8")
    ids = {i["id"] for i in json.loads(run(store, "list", "--json").stdout)}
    assert ids == {
        "2025/riverside-bike-lanes",
        "2025/heatwave",
        "2025/new-story",
        "saved/harbour-wind-farm",
    }


def test_unreadable_file_is_skipped_with_one_warning(store: Path, run) -> None:
    (store / "junk.txt").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    result = run(store, "list")
    assert result.exit_code == 0
    assert "junk" not in result.stdout
    assert result.stderr.count("\n") == 1 and "junk.txt" in result.stderr


def test_hidden_folders_and_other_files_are_ignored(store: Path, run) -> None:
    (store / ".git").mkdir()
    (store / ".git" / "notes.txt").write_text("Not an article.\n", "utf-8")
    (store / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    ids = [i["id"] for i in json.loads(run(store, "list", "--json").stdout)]
    assert len(ids) == 4


def test_missing_store_is_a_one_line_error(tmp_path: Path, run) -> None:
    result = run(tmp_path / "nope", "list")
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[0] == f"newscli: error: no article store at {tmp_path / 'nope'}"
    )
