"""Things that drifted apart while the work lived in the commands, pinned now that one use
case serves each of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_completion_in_a_fresh_store_creates_nothing(tmp_path: Path) -> None:
    store = tmp_path / "fresh"
    store.mkdir()
    (store / "story.txt").write_text("A story\n\nWith a body.\n", encoding="utf-8")
    env = {**os.environ, "_NEWSCLI_COMPLETE": "bash_complete", "COMP_CWORD": "4",
           "COMP_WORDS": f"newscli --store {store} read st"}
    out = subprocess.run([sys.executable, "-m", "newscli"], env=env, capture_output=True,
                         text=True, check=True, cwd=REPO)
    assert out.stdout.split() == []
    assert sorted(p.name for p in store.iterdir()) == ["story.txt"]


def test_related_and_read_report_an_unreadable_file_alike(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    run(store, "list")
    (store / "heatwave-water-restrictions.txt").write_bytes(bytes(range(256)) * 40)
    read = run(store, "read", "heatwave")
    related = run(store, "related", "heatwave")
    assert read.exit_code == related.exit_code == 1
    assert "heatwave-water-restrictions.txt" in read.stderr
    assert read.stderr == related.stderr


def test_source_option_means_what_source_field_means(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    def found(*args: str) -> list[str]:
        result = run(store, *args, "--json")
        return sorted(hit["id"] for hit in json.loads(result.stdout or "[]"))

    for words in ("ledger", "riverside ledger", "coastline"):
        by_option = found("search", "council OR wind", "--source", words)
        by_field = found("search", f'(council OR wind) source:"{words}"')
        assert by_option == by_field != []
        assert found("list", "--source", words) == by_field
    assert found("search", "council OR wind", "--source", "ledg") == []  # words, not letters


def test_titles_in_other_scripts_get_readable_file_names(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "s"
    cases = {
        "Президент подписал закон о выборах": "prezident-podpisal-zakon",
        "北京举行马拉松比赛": "bei-jing-ju-xing-ma-la-song-bi-sai",
    }
    for title, slug in cases.items():
        text = f"{title}\n\nThe body of the story about {slug}, long enough to be an article.\n"
        new_id = run(store, "add", "-", input=text).stdout.strip()
        assert slug in new_id, new_id
        assert run(store, "read", new_id, "--format", "json").exit_code == 0


def test_reordered_query_parameters_are_one_article(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "s"
    text = "Same story\n\nBody of the same story.\n"
    first = run(store, "add", "-", "--url", "https://example.org/s?b=2&a=1", input=text)
    assert first.exit_code == 0
    other = "Same story, edited\n\nA body that differs in its words.\n"
    second = run(store, "add", "-", "--url", "https://example.org/s?a=1&b=2", input=other)
    assert "already in the store" in second.stderr and second.stdout == ""


def test_added_articles_carry_the_id_their_state_is_kept_under(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "s"
    new_id = run(store, "add", "-", input="A story\n\nWith a body.\n").stdout.strip()
    text = (store / f"{new_id}.md").read_text(encoding="utf-8")
    assert "\nuid: " in text.split("\n---\n", 1)[0]
