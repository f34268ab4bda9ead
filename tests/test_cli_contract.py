"""The terminal contract where no terminal is needed: bad front matter never hides an
article, files saved by replacement are seen, typos get help, one rule for no match, config
problems are said, honest small messages. Driven through the real CLI on real files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

BAD_DATES = ["2025-02-30", "2024-13-45", "0000-01-01", "2024-05-01 25:00", '"2025-02-30"']


def ids(run, store: Path, *args: str) -> list[str]:
    result = run(store, "list", "--json", *args)
    return [row["id"] for row in json.loads(result.stdout)]


def one_warning(stderr: str, path: str, field: str) -> None:
    lines = [line for line in stderr.splitlines() if path in line]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("newscli: warning: ") and f"'{field}'" in lines[0], stderr


# -- 4. a bad value never hides an article --------------------------------------------------
@pytest.mark.parametrize("date", BAD_DATES)
def test_an_impossible_date_is_dropped_with_a_warning_and_the_article_stays(
        store: Path, run, date: str) -> None:
    (store / "bad.md").write_text(
        f"---\ntitle: Zeppelin landing\ndate: {date}\n---\n\nA zeppelin landed today.\n")
    index = run(store, "index")
    assert index.exit_code == 0
    one_warning(index.stderr, "bad.md", "date")
    assert "ValueError" not in index.stderr
    # every later command that meets the file says so again, and shows the article
    listed = run(store, "list", "--json")
    assert "bad" in [row["id"] for row in json.loads(listed.stdout)]
    one_warning(listed.stderr, "bad.md", "date")
    found = run(store, "search", "zeppelin", "--json")
    assert [hit["id"] for hit in json.loads(found.stdout)] == ["bad"]
    one_warning(found.stderr, "bad.md", "date")
    read = run(store, "read", "bad", "--format", "json")
    assert json.loads(read.stdout)["date"] is None
    one_warning(read.stderr, "bad.md", "date")


def test_an_unknown_time_zone_keeps_the_time_and_no_raw_python_warning(store: Path,
                                                                         run) -> None:
    (store / "zone.md").write_text("---\ntitle: Zoned\ndate: 2024-05-01 10:00 XYZT\n---\n\nText.\n")
    (store / "cest.md").write_text("---\ntitle: Summer\ndate: 2024-05-01 10:00 CEST\n---\n\nT.\n")
    result = run(store, "list", "--json")
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["zone"]["date"] == "2024-05-01T10:00:00"
    assert rows["cest"]["date"] == "2024-05-01T10:00:00+02:00"
    assert "UnknownTimezoneWarning" not in result.stderr and "site-packages" not in result.stderr
    one_warning(result.stderr, "zone.md", "date")


@pytest.mark.parametrize(
    ("front", "title", "date"),
    [
        ("---\ntitle: Colon: in a title\ndate: 2024-02-02\n---\n", "Colon: in a title",
         "2024-02-02"),
        ("---\ntitle: Never closed\ndate: 2024-03-03\n\n", "Never closed", "2024-03-03"),
    ],
)
def test_broken_front_matter_keeps_the_fields_it_can(store: Path, run, front: str, title: str,
                                                      date: str) -> None:
    (store / "broken.md").write_text(front + "The body about a zeppelin.\n")
    listed = run(store, "list", "--json")
    row = next(r for r in json.loads(listed.stdout) if r["id"] == "broken")
    assert (row["title"], row["date"]) == (title, date)
    assert len([ln for ln in listed.stderr.splitlines() if "broken.md" in ln]) == 1
    again = run(store, "search", "zeppelin")
    assert "broken.md" in again.stderr  # shown by every command that meets the file
    read = run(store, "read", "broken", "--format", "text")
    assert "The body about a zeppelin." in read.stdout and "title:" not in read.stdout


# -- 5. files saved by replacement ----------------------------------------------------------
def test_a_file_replaced_by_rename_is_seen_and_status_is_honest(store: Path, run) -> None:
    assert run(store, "index").exit_code == 0
    target = store / "heatwave-water-restrictions.txt"
    replacement = store / ".heatwave.tmp"  # as sed -i and editors do: a new inode renamed over
    replacement.write_text(target.read_text().replace("hosepipe", "zeppelin"))
    os.replace(replacement, target)
    status = run(store, "index", "--status")
    assert "up to date" not in status.stdout and "1 changed" in status.stdout
    assert run(store, "search", "zeppelin").exit_code == 0
    assert "up to date" in run(store, "index", "--status").stdout


def test_a_file_appended_in_place_is_seen(store: Path, run) -> None:
    assert run(store, "index").exit_code == 0
    with open(store / "2025" / "riverside-bike-lanes.md", "a") as file:
        file.write("\nA zeppelin was seen over the bike lanes.\n")
    assert "1 changed" in run(store, "index", "--status").stdout
    assert run(store, "search", "zeppelin").exit_code == 0


def test_index_reports_what_changed(store: Path, run) -> None:
    first = run(store, "index")
    assert "(4 added, 0 changed, 0 removed)" in first.stdout
    (store / "el-salvador-cecot-mega-prison.txt").unlink()
    (store / "new.txt").write_text("New story\n\nWords.\n")
    assert "(1 added, 0 changed, 1 removed)" in run(store, "index").stdout


def test_status_and_rebuild_together_are_refused(store: Path, run) -> None:
    result = run(store, "index", "--status", "--rebuild")
    assert result.exit_code == 2
    assert result.stderr.startswith("newscli: error: ")


# -- 8. typos -------------------------------------------------------------------------------
@pytest.mark.parametrize(("typo", "meant"), [("--jsno", "--json"), ("--explian", "--explain")])
def test_an_unknown_search_option_is_a_usage_error_with_the_closest(
        store: Path, run, typo: str, meant: str) -> None:
    result = run(store, "search", "water", typo)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        f"newscli: error: no such option: {typo} (did you mean {meant}?)")


def test_a_dash_word_still_excludes(store: Path, run) -> None:
    result = run(store, "search", "water", "-hosepipe", "--json")
    assert result.exit_code == 1 and json.loads(result.stdout) == []


def test_an_unknown_command_suggests_the_closest(store: Path, run) -> None:
    result = run(store, "lst")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "newscli: error: no such command 'lst' (did you mean 'list'?)")


def test_usage_errors_have_the_one_error_form(store: Path, run) -> None:
    for args in (["list", "--bogus"], ["list", "--limit", "x"], ["read"]):
        result = run(store, *args)
        assert result.exit_code == 2 and result.stderr.startswith("newscli: error: "), args
        assert "Usage:" not in result.stderr


@pytest.mark.parametrize(("name", "suggested"), [
    ("rivrside", "2025/riverside-bike-lanes"),
    ("cecto", "el-salvador-cecot-mega-prison"),
    ("harbor", "saved/harbour-wind-farm"),
])
def test_read_a_misspelt_name_suggests_close_ids(store: Path, run, name: str,
                                                  suggested: str) -> None:
    result = run(store, "read", name)
    assert result.exit_code == 1
    assert suggested in result.stderr.splitlines()[1]


def test_read_a_name_nothing_is_like_suggests_search(store: Path, run) -> None:
    result = run(store, "read", "xylophone")
    assert "newscli search xylophone" in result.stderr


def test_store_after_the_command(store: Path, run) -> None:
    result = run(None, "list", "--json", "--store", str(store))
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 4


# -- 9. one rule for no match ---------------------------------------------------------------
@pytest.mark.parametrize("args", [["list", "--tag", "nope"], ["search", "zeppelin"]])
def test_no_match_is_exit_1_and_json_is_an_empty_array(store: Path, run,
                                                        args: list[str]) -> None:
    as_json = run(store, *args, "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout) == []
    piped = run(store, *args)
    assert piped.exit_code == 1 and piped.stdout == ""
    assert piped.stderr.startswith("newscli: error: no articles match")


def test_no_match_leaves_no_older_numbers(store: Path, run) -> None:
    assert run(store, "list").exit_code == 0
    assert run(store, "search", "zeppelin").exit_code == 1
    assert "no article number 1" in run(store, "read", "1").stderr


def test_limit_0_is_not_an_empty_store(store: Path, run) -> None:
    result = run(store, "list", "--limit", "0", "--color", "always")
    assert result.exit_code == 0 and "no articles" not in result.stderr


def test_config_problems_are_warned(tmp_path: Path, store: Path, run,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('max_article_bytes = "big"\nstroe = "x"\n')
    monkeypatch.setenv("NEWSCLI_CONFIG", str(config))
    result = run(store, "list")
    assert "newscli: warning: " in result.stderr
    assert "'stroe'" in result.stderr and "max_article_bytes" in result.stderr
    monkeypatch.setenv("NEWSCLI_CONFIG", str(tmp_path / "missing.toml"))
    fresh = tmp_path / "fresh"  # a store to index: the size limit is looked up
    fresh.mkdir()
    (fresh / "a.txt").write_text("A story\n\nIts words.\n")
    result = run(fresh, "list")
    assert "missing.toml" in result.stderr and result.exit_code == 0


# -- 10. small honesty -----------------------------------------------------------------------
def test_add_dry_run_creates_nothing(tmp_path: Path, run) -> None:
    page = tmp_path / "page.txt"
    page.write_text("A story\n\nIts words.\n")
    for store in (tmp_path / "absent", tmp_path / "empty"):
        if store.name == "empty":
            store.mkdir()
        result = run(store, "add", str(page), "--dry-run")
        assert result.exit_code == 0 and "would write" in result.stdout
        assert not store.exists() or list(store.iterdir()) == []


def test_a_store_that_is_a_file_says_so(tmp_path: Path, run) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    result = run(path, "list")
    assert result.exit_code == 1 and "is a file" in result.stderr
    assert "create it" not in result.stderr


def test_a_read_only_store_says_so(store: Path, tmp_path: Path, run,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import tempfile

    def read_only(*args: object, **kwargs: object) -> None:  # what a read-only mount answers
        raise OSError(errno.EROFS, "Read-only file system", str(store / ".newscli-add-x.tmp"))

    page = tmp_path / "page.txt"
    page.write_text("A story\n\nIts words.\n")
    assert run(store, "index").exit_code == 0
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    result = run(store, "add", str(page))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"newscli: error: {page}: the store at {store} is read-only; nothing was added")


def test_an_identical_copy_is_never_related(store: Path, run) -> None:
    shutil.copy(store / "el-salvador-cecot-mega-prison.txt", store / "copy-of-cecot.txt")
    result = run(store, "related", "el-salvador-cecot-mega-prison", "--json")
    listed = json.loads(result.stdout) if result.stdout else []
    assert "copy-of-cecot" not in [hit["id"] for hit in listed]
    read = run(store, "read", "el-salvador-cecot-mega-prison", "--format", "text")
    assert "newscli read copy-of-cecot" not in read.stdout


# -- 7. URLs are never broken ----------------------------------------------------------------
LONG_URLS = [
    "https://www.example.org/news/2025/06/28/why-are-so-many-people-getting-stranded-on-the-motorway",
    "https://example.org/reports/2025/a-very-long-report-name-that-goes-on-and-on-and-on.pdf",
    "https://example.org/another/very/long/path/that/is/a/bare/url/in/the/text/of/it.html",
]


@pytest.mark.parametrize("width", ["40", "72"])
def test_text_format_never_breaks_a_url(store: Path, run, width: str) -> None:
    (store / "links.md").write_text(
        f"---\ntitle: Links\nurl: {LONG_URLS[0]}\n---\n\nRead [the report]({LONG_URLS[1]}) "
        f"now. Also see {LONG_URLS[2]} here, a bare address in the text.\n")
    result = run(store, "read", "links", "--format", "text", "--width", width)
    lines = result.stdout.splitlines()
    for url in LONG_URLS:
        assert url in lines, url  # on a line of its own, whole
    assert all(len(line) <= int(width) for line in lines if "://" not in line)
