"""`newscli add`: pages, files, folders and stdin in; clean Markdown articles out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import BUNDLED
from tests.httpserver import LocalServer, Reply, local_server_fixture  # noqa: F401

WIND = BUNDLED / "saved" / "harbour-wind-farm.html"


def files(store: Path) -> list[str]:
    return sorted(p.relative_to(store).as_posix() for p in store.rglob("*")
                  if p.is_file() and ".newscli" not in p.parts)


def front(path: Path) -> str:
    return path.read_text("utf-8").split("---\n")[1]


def test_saved_page_becomes_a_clean_markdown_article(tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    result = run(store, "add", str(WIND), "--tag", "kept")
    assert result.exit_code == 0, result.stderr
    new_id = result.stdout.strip()
    assert new_id == "2025-01-22-offshore-wind-farm-wins-approval-despite-fishing-fears"
    written = store / f"{new_id}.md"
    meta = front(written)
    for line in ("title: Offshore wind farm wins approval despite fishing fears",
                 "byline: Priya Natarajan", "source: Coastline Daily",
                 "url: https://coastline.example.com/news/2025/01/offshore-wind-farm-approved",
                 "- kept", "added: "):
        assert line in meta
    assert "date: '2025-01-22" in meta
    page = run(store, "read", new_id, "--format", "text").stdout
    assert page.startswith("Offshore wind farm wins approval despite fishing fears\n")
    assert "By Priya Natarajan · Coastline Daily · 22 Jan 2025" in page
    assert "Compensation for crews" in page and "Seabed surveys begin" in page
    for junk in ("Accept all", "Subscribe", "All rights reserved", "Recommended for you",
                 "Great news for the region", "Ten beaches"):
        assert junk not in page


def test_url_is_fetched_and_not_added_twice(tmp_path: Path, run, local_server: LocalServer) -> None:
    local_server.route("/news/story", Reply(body=WIND.read_bytes()))
    store = tmp_path / "s"
    first = run(store, "add", local_server.url("/news/story?utm_source=x"))
    assert first.exit_code == 0, first.stderr
    again = run(store, "add", local_server.url("/news/story?utm_campaign=y#top"))
    assert again.exit_code == 0
    assert f"already in the store as {first.stdout.strip()}" in again.stderr
    assert len(files(store)) == 1
    forced = run(store, "add", "--force", local_server.url("/news/story"))
    assert forced.exit_code == 0 and forced.stdout.strip().endswith("-2")
    assert len(files(store)) == 2


def test_url_is_recorded_for_a_page_without_canonical(
    tmp_path: Path, run, local_server: LocalServer
) -> None:
    page = (b"<html><head><title>Small page</title></head><body><article><p>"
            + b"Words of a small story that is long enough to be an article. " * 10
            + b"</p></article></body></html>")
    url = local_server.route("/small", Reply(body=page))
    store = tmp_path / "s"
    new_id = run(store, "add", url).stdout.strip()
    data = json.loads(run(store, "read", new_id, "--format", "json").stdout)
    assert data["url"] == url and data["source"] == "127.0.0.1"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(status=404, body=b"gone"), "HTTP 404"),
        (Reply(body=b"%PDF-1.7", content_type="application/pdf"), "application/pdf"),
    ],
)
def test_fetch_errors_are_one_line_and_write_nothing(
    tmp_path: Path, run, local_server: LocalServer, reply: Reply, message: str
) -> None:
    url = local_server.route("/x", reply)
    store = tmp_path / "s"
    result = run(store, "add", url)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert files(store) == []


def test_one_failure_does_not_stop_the_rest(tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    result = run(store, "add", str(tmp_path / "missing.html"), str(WIND))
    assert result.exit_code == 1
    assert "missing.html: no such file" in result.stderr
    assert len(result.stdout.split()) == 1 and len(files(store)) == 1


def test_same_text_twice_from_stdin(tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    text = "Council backs new library\n\nThe council voted to build a library in the old mill.\n"
    first = run(store, "add", "-", input=text)
    assert first.stdout.strip().endswith("council-backs-new-library")
    second = run(store, "add", "-", input=text)
    assert "already in the store" in second.stderr and second.stdout == ""


def test_stdin_markdown_with_url(tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    md = "# Markdown headline\n\nSome *body* text for the article.\n"
    new_id = run(store, "add", "-", "--format", "markdown", "--url",
                 "https://example.org/md?utm_medium=email", input=md).stdout.strip()
    data = json.loads(run(store, "read", new_id, "--format", "json").stdout)
    assert data["title"] == "Markdown headline"
    assert data["url"] == "https://example.org/md?utm_medium=email"
    assert "canonical_url: https://example.org/md" in front(store / f"{new_id}.md")


def test_dry_run_writes_nothing(tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    result = run(store, "add", "--dry-run", str(WIND))
    assert "would write" in result.stdout and "title: Offshore wind farm" in result.stdout
    assert files(store) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.html", b"", "empty"),
        ("blank.txt", b"   \n\n", "empty"),
        ("junk.html", bytes(range(256)) * 40, "binary"),
        ("login.html", b"<html><body><form><input name=user></form></body></html>",
         "no article text"),
    ],
)
def test_bad_input_gets_one_line_and_no_file(tmp_path: Path, run, name: str, content: bytes,
                                             message: str) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    store = tmp_path / "s"
    result = run(store, "add", str(source))
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert files(store) == [] and not list(store.glob(".*.tmp"))


def test_truncated_html_still_becomes_an_article(tmp_path: Path, run) -> None:
    cut = WIND.read_bytes()[: WIND.read_bytes().index(b"What happens next")]
    source = tmp_path / "cut.html"
    source.write_bytes(cut)
    store = tmp_path / "s"
    result = run(store, "add", str(source))
    assert result.exit_code == 0, result.stderr
    text = run(store, "read", result.stdout.strip(), "--format", "text").stdout
    assert "Compensation for crews" in text


def test_folder_and_keep_original(tmp_path: Path, run) -> None:
    store = tmp_path / "s"
    result = run(store, "add", "--keep-original", str(BUNDLED))
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.split()) == 4
    originals = list((store / ".newscli" / "originals").glob("*.html"))
    assert len(originals) == 1 and originals[0].read_bytes() == WIND.read_bytes()
    # Everything added once; adding the folder again adds nothing.
    again = run(store, "add", str(BUNDLED))
    assert again.stdout == "" and again.stderr.count("already in the store") == 4


def test_single_line_five_megabyte_page(tmp_path: Path, run) -> None:
    source = tmp_path / "big.html"
    source.write_bytes(b"<html><body><p>" + b"word " * 1_000_000 + b"</p></body></html>")
    store = tmp_path / "s"
    result = run(store, "add", str(source))
    assert result.exit_code in (0, 1) and "Traceback" not in result.stderr
    assert not list(store.glob(".*.tmp"))
