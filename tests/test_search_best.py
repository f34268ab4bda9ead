"""Best-match search as a user meets it: sentences find ranked hits, operators stay strict,
Chinese and Japanese words are found inside runs, copies of one text come once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ARTICLES = {
    "all-four.md": ("Council votes for the flood barrier",
                    "The council vote settled it: the flood barrier will be built by spring."),
    "barrier-only.md": ("Flood barrier tested",
                        "Engineers tested the flood barrier on the river at high tide."),
    "vote-only.md": ("Council vote on parking",
                     "The council vote on parking fees was delayed again."),
    "tagged.md": ("Harbour council and the barrier",
                  "A second barrier was discussed when the council met about the flood."),
    "unrelated.md": ("Marathon record falls", "Runners crossed the line in record time."),
}


def write(root: Path, rel: str, title: str, body: str, tags: str = "[]") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\ntags: {tags}\n---\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def news(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    for rel, (title, body) in ARTICLES.items():
        write(root, rel, title, body, "[harbour]" if rel == "tagged.md" else "[]")
    return root


def ids(run, store: Path, *args: str) -> list[str]:
    result = run(store, "search", "--json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return [hit["id"] for hit in json.loads(result.stdout)] if result.exit_code == 0 else []


def test_a_long_question_with_no_article_holding_every_word_finds_ranked_hits(
        store: Path, run) -> None:
    question = ("what did the riverside council finally decide about building protected "
                "bike lanes on harbour road")
    assert len(question.split()) == 15
    strict = run(store, "search", "--all", "--", question)
    assert strict.exit_code == 1  # no article has all fifteen words
    result = run(store, "search", "--json", "--", question)
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "2025/riverside-bike-lanes"
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_articles_with_every_word_come_first_then_most(news: Path, run) -> None:
    found = ids(run, news, "flood barrier council vote")
    assert found[0] == "all-four"
    assert set(found) == {"all-four", "barrier-only", "vote-only", "tagged"}
    assert ids(run, news, "--all", "flood barrier council vote") == ["all-four"]


def test_plus_word_and_and_are_required(news: Path, run) -> None:
    assert set(ids(run, news, "+barrier flood council vote")) == {
        "all-four", "barrier-only", "tagged"}
    assert set(ids(run, news, "flood AND barrier council vote tide")) == {
        "all-four", "barrier-only", "tagged"}
    assert set(ids(run, news, "+parking +fees flood barrier")) == {"vote-only"}


def test_quotes_exclusions_and_filters_stay_strict(news: Path, run) -> None:
    assert set(ids(run, news, '"flood barrier" council vote tide')) == {
        "all-four", "barrier-only"}
    assert set(ids(run, news, "flood barrier council vote -parking")) == {
        "all-four", "barrier-only", "tagged"}
    assert ids(run, news, "flood barrier council vote tag:harbour") == ["tagged"]
    assert ids(run, news, "flood barrier council vote", "--tag", "harbour") == ["tagged"]
    # a field is required; of the plain words, at least one
    assert set(ids(run, news, "title:council flood barrier tide")) == {"all-four", "tagged"}


def test_two_words_none_has_both_finds_either(news: Path, run) -> None:
    assert ids(run, news, "marathon zeppelin") == ["unrelated"]
    assert ids(run, news, "--all", "marathon zeppelin") == []


def test_explain_names_the_missing_and_the_unused_words(news: Path, run) -> None:
    result = run(news, "search", "--explain", "--", "what about the barrier tide river")
    assert result.exit_code == 0, result.stderr
    first = [line for line in result.stdout.splitlines() if line.startswith("   score ")][0]
    assert "matched title: barrier" in first
    hits = json.loads(run(news, "search", "--explain", "--json", "--",
                          "what about the barrier vote tide").stdout)
    by_id = {h["id"]: h["matched"] for h in hits}
    assert by_id["barrier-only"]["missing"] == ["vote"]
    assert by_id["barrier-only"]["ignored"] == ["what", "about", "the"]


# -- Chinese and Japanese -----------------------------------------------------------------
def test_cjk_words_inside_runs_are_found_and_marked(tmp_path: Path, run) -> None:
    root = tmp_path / "cjk"
    write(root, "beijing.md", "北京举行马拉松比赛", "比赛在周日上午开始。")
    write(root, "tokyo.md", "桜の便り", "今年の東京の桜は三月に満開になりました。")
    for word, found in (("北京", "beijing"), ("马拉松", "beijing"), ("満開", "tokyo"),
                        ("東京の桜", "tokyo")):
        assert ids(run, root, word) == [found], word
    piped = run(root, "search", "北京").stdout
    assert "1. **北京**举行马拉松比赛" in piped
    piped = run(root, "search", "満開").stdout
    assert "**満開**" in piped  # the snippet shows the word, marked
    assert ids(run, root, "満開 桜") == ["tokyo"]
    assert ids(run, root, "title:北京") == ["beijing"]
    assert ids(run, root, "title:満開") == []


# -- copies ---------------------------------------------------------------------------------
def test_copies_of_one_text_come_once_and_say_where_the_others_are(store: Path, run) -> None:
    seed = store / "el-salvador-cecot-mega-prison.txt"
    shutil.copy(seed, store / "saved" / "cecot-copy.txt")  # byte-identical
    title, _, body = seed.read_text(encoding="utf-8").partition("\n\n")
    rewrapped = f"{title}\n\n" + " ".join(body.split())  # the same words, one long line
    (store / "2025" / "cecot-pasted.txt").write_text(rewrapped + "\n", encoding="utf-8")
    result = run(store, "search", "--json", "mega-prison")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 1
    assert sorted(hits[0]["copies"]) == sorted(
        {"el-salvador-cecot-mega-prison.txt", "saved/cecot-copy.txt",
         "2025/cecot-pasted.txt"} - {hits[0]["path"]})
    piped = run(store, "search", "mega-prison").stdout
    assert "   same text also at: " in piped


def test_a_copy_is_never_related(store: Path, run) -> None:
    seed = store / "el-salvador-cecot-mega-prison.txt"
    shutil.copy(seed, store / "saved" / "cecot-copy.txt")
    for n in range(12):  # other news, so that words of the story are distinctive
        write(store, f"misc/other-{n}.md", f"Local note {n}", "Nothing of the story here.")
    write(store, "2025/deportees.md", "Venezuelan deportees arrive at CECOT mega-prison",
          "Planes carrying Venezuelan men deported by the Trump administration landed in "
          "El Salvador, and the deportees were driven to CECOT, the Terrorism Confinement "
          "Center in Tecoluca. President Nayib Bukele built the mega-prison for gang members; "
          "officials said the deportees belonged to Tren de Aragua.")
    result = run(store, "related", "--json", "el-salvador-cecot-mega-prison")
    assert result.exit_code == 0, result.stderr
    related = [hit["id"] for hit in json.loads(result.stdout)]
    assert "2025/deportees" in related
    assert "saved/cecot-copy" not in related


def test_a_catalog_from_before_the_cjk_index_is_built_again(tmp_path: Path, run) -> None:
    import sqlite3

    root = tmp_path / "old"
    write(root, "beijing.md", "北京举行马拉松比赛", "比赛在周日上午开始。")
    assert run(root, "index").exit_code == 0
    db = root / ".newscli" / "index.db"
    with sqlite3.connect(db) as con:  # as an older newscli left it: no character pairs
        con.execute("DROP TABLE fts")
        con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, byline, source, tags, body)")
        con.execute("PRAGMA user_version = 5")
    assert ids(run, root, "北京") == ["beijing"]
