"""`newscli read` as a user drives it: names, formats, terminals, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_seed_golden_text_at_80_columns(store: Path, run, golden) -> None:
    result = run(store, "read", "cecot", "--format", "text", "--width", "80")
    assert result.exit_code == 0, result.stderr
    golden("seed-80.txt", result.stdout)
    lines = result.stdout.splitlines()
    # The two section headings are set as headings: underlined, with space around them.
    for heading in ("CECOT: The World’s Largest Mega-Prison", "Trump’s Bold Immigration Plan"):
        at = lines.index(heading)
        assert set(lines[at + 1]) == {"-"} and lines[at - 1] == "" and lines[at + 2] == ""
    # The trailer is set apart at the end, not left in the body.
    at = lines.index("Also read")
    assert " ".join(line.strip() for line in lines[at + 1 :]) == (
        "→ Over 400 Palestinians Killed In Overnight Israeli Airstrikes on Gaza: Officials"
    )
    assert "ALSO READ" not in result.stdout
    assert max(len(line) for line in lines) <= 80


def test_markdown_article_golden(store: Path, run, golden) -> None:
    result = run(store, "read", "riverside", "--format", "text", "--width", "72")
    golden("riverside-72.txt", result.stdout)
    assert "[1] https://ledger.example.org/docs/harbour-road.pdf" in result.stdout
    assert '> "Every one of us' in result.stdout


def test_rich_output_styles_and_hyperlinks_when_asked(store: Path, run) -> None:
    result = run(store, "read", "riverside", "--color", "always", "--no-pager")
    assert "\x1b[1m" in result.stdout  # bold headline
    assert "\x1b]8;" in result.stdout  # the URL as a terminal hyperlink


def test_piped_rich_is_plain(store: Path, run) -> None:
    assert "\x1b" not in run(store, "read", "riverside").stdout


def test_no_color_env_wins_over_auto(store: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run(store, "read", "riverside").stdout


def test_markdown_format_round_trips_through_the_reader(store: Path, run, tmp_path: Path) -> None:
    md = run(store, "read", "cecot", "--format", "markdown").stdout
    assert md.startswith("---\ntitle: El Salvador’s controversial")
    (store / "copy.md").write_text(md, "utf-8")
    original = json.loads(run(store, "read", "cecot", "--format", "json").stdout)
    copy = json.loads(run(store, "read", "copy", "--format", "json").stdout)
    for key in ("title", "body", "related", "words"):
        assert copy[key] == original[key]


def test_json_has_metadata_and_body(store: Path, run) -> None:
    data = json.loads(run(store, "read", "wind", "--format", "json").stdout)
    assert data["title"] == "Offshore wind farm wins approval despite fishing fears"
    assert data["byline"] == "Priya Natarajan"
    assert data["date"].startswith("2025-01-22")
    assert data["source"] == "Coastline Daily"
    assert "Compensation for crews" in data["body"]
    assert "Accept all" not in data["body"] and "All rights reserved" not in data["body"]


def test_read_by_number_from_last_listing(store: Path, run) -> None:
    listing = run(store, "list").stdout.splitlines()
    third = listing[2].split("\t")
    result = run(store, "read", "3", "--format", "json")
    assert json.loads(result.stdout)["id"] == third[1]


def test_number_before_any_listing(store: Path, run) -> None:
    result = run(store, "read", "7")
    assert result.exit_code == 1
    assert "no article number 7" in result.stderr


def test_ambiguous_and_unknown_names(store: Path, run) -> None:
    (store / "2025" / "riverside-flood.txt").write_text("River floods.\n", "utf-8")
    result = run(store, "read", "riverside")
    assert result.exit_code == 1
    assert "matches several articles: 2025/riverside-bike-lanes, 2025/riverside-flood" in (
        result.stderr
    )
    result = run(store, "read", "riversyde-bike")
    assert result.exit_code == 1
    assert "no article named 'riversyde-bike'" in result.stderr
    assert "did you mean: 2025/riverside-bike-lanes" in result.stderr


@pytest.mark.parametrize("name", ["../../../etc/passwd", "/etc/passwd", "..", "../store2/x.txt"])
def test_names_cannot_escape_the_store(store: Path, run, name: str) -> None:
    outside = store.parent / "store2"
    outside.mkdir()
    (outside / "x.txt").write_text("Secret outside the store.\n", "utf-8")
    result = run(store, "read", name)
    assert result.exit_code == 1
    assert "Secret" not in result.stdout and result.stdout == ""


def test_symlink_out_of_the_store_is_not_followed(store: Path, run, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Top secret outside.\n", "utf-8")
    (store / "link.txt").symlink_to(secret)
    assert "link" not in run(store, "list").stdout
    assert "Top secret" not in run(store, "read", "link").stdout


def test_path_inside_the_store_works(store: Path, run) -> None:
    result = run(store, "read", str(store / "heatwave-water-restrictions.txt"), "--format", "json")
    assert json.loads(result.stdout)["id"] == "heatwave-water-restrictions"


def test_binary_file_is_refused_with_one_line(store: Path, run) -> None:
    (store / "blob.txt").write_bytes(bytes(range(256)) * 50)
    result = run(store, "read", "blob")
    assert result.exit_code == 1
    assert result.stderr.startswith("newscli: error: blob.txt: binary")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8-sig", b""), ("utf-16", b""), ("cp1252", b""), ("utf-16-le", b"")],
)
def test_encodings_are_detected(store: Path, run, encoding: str, prefix: bytes) -> None:
    text = (
        "Café owners’ “big” night in Zürich\n\nThe café served crème brûlée – and more – "
        "to a crowd of two hundred people on Saturday evening.\n"
    )
    (store / "enc.txt").write_bytes(prefix + text.encode(encoding))
    data = json.loads(run(store, "read", "enc", "--format", "json").stdout)
    assert data["title"] == "Café owners’ “big” night in Zürich"
    assert "crème brûlée – and more –" in data["body"]


def test_hostile_text_cannot_reach_the_terminal(store: Path, run) -> None:
    evil = (
        "Title \x1b]0;pwned\x07with escapes \x1b[31mred\x1b[0m\n\n"
        "Body [bold red]not markup[/bold red] \x1b]52;c;ZXZpbA==\x07 and \u202eevil "
        "\x9b2J and \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ here, long enough.\n"
    )
    (store / "evil.txt").write_text(evil, "utf-8")
    for args in (
        ["--format", "text"],
        ["--color", "always", "--no-pager"],
        ["--format", "json"],
        ["--format", "markdown"],
    ):
        out = run(store, "read", "evil", *args).stdout
        assert "pwned" not in out and "ZXZpbA" not in out and "evil.example" not in out
        assert "\u202e" not in out and "\x9b" not in out and "\x07" not in out
        if "--color" not in args:
            assert "\x1b" not in out
    text = run(store, "read", "evil", "--format", "text").stdout
    assert "[bold red]not markup[/bold red]" in text
    listing = run(store, "list").stdout
    assert "\x1b" not in listing and "pwned" not in listing


def test_broken_front_matter_warns_and_shows_body(store: Path, run) -> None:
    (store / "broken.md").write_text(
        "---\ntitle: [oops\n---\n# Real title\n\nBody text.\n", "utf-8"
    )
    result = run(store, "read", "broken", "--format", "text")
    assert result.exit_code == 0
    assert result.stdout.startswith("Real title\n")
    assert "front matter is not valid YAML" in result.stderr


def test_article_edited_in_place_is_reread(store: Path, run) -> None:
    run(store, "list")
    path = store / "heatwave-water-restrictions.txt"
    path.write_text("Changed headline entirely\n\nNew body text for the story.\n", "utf-8")
    data = json.loads(run(store, "read", "heatwave", "--format", "json").stdout)
    assert data["title"] == "Changed headline entirely"


def test_shell_completion_offers_article_ids(store: Path, run) -> None:
    import os
    import subprocess
    import sys

    run(store, "list")  # build the index
    env = {**os.environ, "_NEWSCLI_COMPLETE": "bash_complete", "COMP_CWORD": "4",
           "COMP_WORDS": f"newscli --store {store} read riv"}
    out = subprocess.run([sys.executable, "-m", "newscli"], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["plain,2025/riverside-bike-lanes"]
