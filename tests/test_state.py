"""The durable state store: user data that outlives the index, renames and copies."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newscli.config import Settings
from newscli.errors import StateError
from newscli.service import Library
from newscli.state import StateStore
from tests.conftest import REPO


def key_of(store: Path, article_id: str) -> str:
    with Library(Settings(str(store))) as library:
        row = library.resolve(article_id)
        assert row.key
        return row.key


def star(store: Path, article_id: str) -> str:
    key = key_of(store, article_id)
    with StateStore.for_store(store) as state:
        state.set_flag([key], "starred", True)
        state.set_flag([key], "read", True)
        state.change_tags([key], add=["keep"])
    return key


def starred(store: Path, article_id: str) -> bool:
    key = key_of(store, article_id)
    with StateStore.for_store(store) as state:
        found = state.get([key]).get(key)
    return bool(found and found.starred and found.read and found.tags["keep"][0])


def test_state_lives_in_the_store_beside_the_index(store: Path) -> None:
    star(store, "riverside")
    assert (store / ".newscli" / "state.db").is_file()
    assert (store / ".newscli" / "index.db").is_file()


def test_state_survives_a_rebuild_of_the_index(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    star(store, "riverside")
    assert run(store, "index", "--rebuild").exit_code == 0
    assert starred(store, "riverside")


def test_state_survives_deleting_the_index(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    star(store, "cecot")
    for name in ("index.db", "index.db-wal", "index.db-shm"):
        (store / ".newscli" / name).unlink(missing_ok=True)
    assert run(store, "list").exit_code == 0
    assert starred(store, "cecot")


def test_state_survives_a_damaged_index(store: Path, run) -> None:  # type: ignore[no-untyped-def]
    star(store, "heatwave")
    (store / ".newscli" / "index.db").write_bytes(b"this is not a database" * 100)
    result = run(store, "list")
    assert result.exit_code == 0 and "damaged" in result.stderr
    assert starred(store, "heatwave")


@pytest.mark.parametrize("article", ["riverside", "cecot", "harbour"])
def test_state_follows_an_article_renamed_or_moved(store: Path, article: str) -> None:
    star(store, article)
    with Library(Settings(str(store))) as library:
        path = store / library.resolve(article).path
    (store / "elsewhere").mkdir()
    path.rename(store / "elsewhere" / f"renamed{path.suffix}")
    assert starred(store, "elsewhere/renamed")


def test_state_travels_with_a_copied_store(store: Path, tmp_path: Path) -> None:
    star(store, "riverside")
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)
    (copy / ".newscli" / "index.db").unlink()
    assert starred(copy, "riverside")


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    StateStore(path).close()
    script = (
        "import sys\nfrom pathlib import Path\nfrom newscli.state import StateStore\n"
        "with StateStore(Path(sys.argv[1])) as state:\n"
        "    for n in range(150):\n"
        "        state.set_flag([f'{sys.argv[2]}:{n}'], 'read', True)\n"
        "        state.change_tags([f'shared:{n}'], add=[sys.argv[2]])\n"
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(path), name], cwd=REPO)
        for name in ("a", "b")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    with StateStore(path) as state:
        everything = {s.key: s for s in state.all()}
    assert sum(1 for k, s in everything.items() if s.read and not k.startswith("shared")) == 300
    assert all(set(everything[f"shared:{n}"].tags) == {"a", "b"} for n in range(150))


def test_export_and_merge_keep_the_later_change(tmp_path: Path) -> None:
    with StateStore(tmp_path / "one.db") as one, StateStore(tmp_path / "two.db") as two:
        one.set_flag(["url:x"], "read", True, at="2026-01-01T00:00:00")
        one.change_tags(["url:x"], add=["politics"], at="2026-01-01T00:00:00")
        one.save_search("mine", "tag:politics", at="2026-01-01T00:00:00")
        two.set_flag(["url:x"], "read", False, at="2026-02-01T00:00:00")  # later: wins
        two.change_tags(["url:x"], remove=["Politics"], at="2025-12-01T00:00:00")  # earlier
        two.set_flag(["url:y"], "starred", True)
        lines = [json.dumps(record) for record in one.export()]
        assert two.merge(json.loads(line) for line in lines) == 2
        merged = two.get(["url:x", "url:y"])
        assert merged["url:x"].read is False
        assert merged["url:x"].tags == {"Politics": (True, "2026-01-01T00:00:00")}
        assert merged["url:y"].starred is True  # nothing already set is lost
        assert two.saved_searches() == {"mine": "tag:politics"}
        assert two.merge(json.loads(line) for line in lines) == 0  # idempotent


def test_a_damaged_state_store_is_never_deleted(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"not a database at all" * 200)
    with pytest.raises(StateError) as info:
        StateStore(path)
    assert "never deleted" in (info.value.hint or "")
    assert path.read_bytes().startswith(b"not a database at all")


def test_a_read_only_store_keeps_state_in_the_user_data_dir(store: Path) -> None:
    import os

    mode = store.stat().st_mode
    store.chmod(mode & ~0o222)
    try:
        if os.access(store, os.W_OK):  # root ignores the mode: make .newscli impossible
            store.chmod(mode)
            (store / ".newscli").write_text("not a folder\n", encoding="utf-8")
        with StateStore.for_store(store) as state:
            state.set_flag(["url:z"], "read", True)
            assert state.path.is_relative_to(Path(os.environ["XDG_DATA_HOME"]))
        with StateStore.for_store(store) as again:
            assert again.get(["url:z"])["url:z"].read is True
    finally:
        store.chmod(mode)
