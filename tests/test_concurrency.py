"""Several newscli processes at once, processes killed mid-build, and a damaged or unwritable
index: the catalog must always end up agreeing with the files, and no command may show a
traceback or "database is locked".

Every command here is a real process (`python -m newscli`), as a user's shell would start it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIG = 1500
TOPICS = ("harbour", "council", "budget", "river", "school", "rail", "market", "festival")


def newscli(store: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newscli", "--store", str(store), *args],
        capture_output=True, text=True, timeout=timeout, env=os.environ.copy(),
    )


def start(store: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newscli", "--store", str(store), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )


def article(n: int, title: str | None = None, extra: str = "") -> str:
    topic = TOPICS[n % len(TOPICS)]
    return (
        f"---\ntitle: {title or f'Story {n} about the {topic}'}\n"
        f"date: 2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}\ntags: [{topic}]\n---\n\n"
        f"Article number {n} reports on the {topic}. " * 6 + extra + "\n"
    )


def write_store(root: Path, count: int) -> None:
    for n in range(count):
        folder = root / f"y{n % 5}" / f"m{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".md" if n % 3 else ".txt"
        (folder / f"story-{n:05d}{suffix}").write_text(article(n), encoding="utf-8")


def files_on_disk(root: Path) -> dict[str, str]:
    """path → title, for every article file (titles as written in the front matter)."""
    found = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and path.suffix in (".md", ".txt") and not rel.startswith("."):
            first = path.read_text(encoding="utf-8").split("\n")[1]
            found[rel] = first.removeprefix("title: ")
    return found


def catalog(root: Path) -> list[tuple[str, str]]:
    """(path, title) of every article `list --json` shows."""
    result = newscli(root, "list", "--json")
    assert result.returncode == 0, result.stderr
    assert_clean(result.stderr)
    return [(item["path"], item["title"]) for item in json.loads(result.stdout)]


def assert_agrees(root: Path) -> None:
    listed = catalog(root)
    assert len(listed) == len({path for path, _ in listed}), "an article listed twice"
    on_disk = files_on_disk(root)
    assert dict(listed) == on_disk


def assert_clean(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "locked" not in stderr, stderr


@pytest.fixture(scope="module")
def big_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big") / "store"
    write_store(root, BIG)
    return root


@pytest.fixture
def big(big_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "big"
    shutil.copytree(big_template, target)
    return target


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    write_store(root, 60)
    return root


# -- (a) a search while another process builds the index ------------------------------------
def test_search_while_another_process_builds_the_index(big: Path) -> None:
    (big / "y0" / "needle.md").write_text(article(9999, "The quixotrel needle"), "utf-8")
    builder = start(big, "index")
    try:
        wal = big / ".newscli" / "index.db-wal"
        deadline = time.monotonic() + 10
        while not wal.exists() and builder.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)
        assert builder.poll() is None, "the build finished before the search started"
        found = newscli(big, "search", "quixotrel", "--json")
    finally:
        out, err = builder.communicate(timeout=60)
    assert found.returncode == 0, found.stderr
    assert_clean(found.stderr)
    assert [hit["path"] for hit in json.loads(found.stdout)] == ["y0/needle.md"]
    assert builder.returncode == 0, err
    assert_clean(err)
    assert out.startswith(f"{BIG + 1:,} articles indexed")
    assert_agrees(big)


# -- (b) readers, writers and a changing store, all at once ----------------------------------
def test_commands_at_once_while_files_change(small: Path) -> None:
    assert newscli(small, "index").returncode == 0
    commands = [
        ("list", "--json"),
        ("search", "harbour OR council", "--json"),
        ("index",),
        ("search", "story", "--limit", "5"),
        ("list",),
        ("index",),
    ]
    rng = random.Random(7)
    deadline = time.monotonic() + 4.0
    running: list[tuple[tuple[str, ...], subprocess.Popen[str]]] = []
    finished: list[tuple[tuple[str, ...], int, str]] = []
    counter = 10_000
    while time.monotonic() < deadline:
        while len(running) < 4:
            args = rng.choice(commands)
            running.append((args, start(small, *args)))
        # change the store: add, edit in place, rename, delete, new folder
        files = sorted(small.rglob("story-*"))
        action = rng.choice(("add", "edit", "rename", "delete", "folder"))
        if action == "add":
            counter += 1
            folder = rng.choice([p for p in small.rglob("m*") if p.is_dir()])
            (folder / f"story-{counter}.md").write_text(article(counter), "utf-8")
        elif action == "edit" and files:
            path = rng.choice(files)
            n = rng.randrange(10**6)
            path.write_text(article(n, f"Edited story {n}", extra="More. " * (n % 9)), "utf-8")
        elif action == "rename" and files:
            path = rng.choice(files)
            counter += 1
            path.rename(path.with_name(f"story-{counter}{path.suffix}"))
        elif action == "delete" and files:
            rng.choice(files).unlink()
        elif action == "folder":
            counter += 1
            folder = small / f"new{counter}"
            folder.mkdir()
            (folder / "story-a.md").write_text(article(counter), "utf-8")
        time.sleep(0.02)
        still = []
        for args, proc in running:
            if proc.poll() is None:
                still.append((args, proc))
            else:
                finished.append((args, proc.returncode, proc.communicate()[1]))
        running = still
    for args, proc in running:
        finished.append((args, proc.wait(timeout=60), proc.communicate()[1]))
    assert len(finished) >= 8
    for args, code, stderr in finished:
        assert code in (0, 1), (args, code, stderr)
        assert_clean(stderr)
    result = newscli(small, "index")
    assert result.returncode == 0, result.stderr
    assert_agrees(small)


# -- (c) a build killed at random points -----------------------------------------------------
@pytest.mark.parametrize("command", [("index",), ("index", "--rebuild"), ("list",)])
def test_a_build_killed_at_any_point_recovers(big: Path, command: tuple[str, ...]) -> None:
    rng = random.Random(hash(command) & 0xFFFF)
    if command == ("index", "--rebuild"):
        assert newscli(big, "index").returncode == 0
    kills = 5 if command != ("list",) else 2
    for _ in range(kills):
        proc = start(big, *command)
        time.sleep(rng.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
    victim = sorted(big.rglob("story-*"))[3]
    victim.unlink()
    assert_agrees(big)


# -- (d) a damaged index ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "damage", ["garbage", "truncated", "empty", "page:fts_data", "page:dirs", "page:settings"]
)
def test_a_damaged_index_is_rebuilt_with_a_warning(small: Path, damage: str) -> None:
    assert newscli(small, "index").returncode == 0
    db = small / ".newscli" / "index.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if damage == "garbage":
        db.write_bytes(random.Random(1).randbytes(64 * 1024))
    elif damage == "truncated":
        with db.open("r+b") as handle:
            handle.truncate(db.stat().st_size // 3)
    elif damage == "empty":
        db.write_bytes(b"")
    else:  # one table's first page overwritten: the file's size and header are intact
        con = sqlite3.connect(db)
        table = damage.removeprefix("page:")
        sql = "SELECT rootpage FROM sqlite_master WHERE name = ?"
        (page,) = con.execute(sql, (table,)).fetchone()
        (size,) = con.execute("PRAGMA page_size").fetchone()
        con.close()
        with db.open("r+b") as handle:
            handle.seek((page - 1) * size)
            handle.write(random.Random(2).randbytes(size))
    result = newscli(small, "search", "harbour", "--json", "--limit", "100")
    assert result.returncode == 0, result.stderr
    assert_clean(result.stderr)
    if damage != "empty":  # an empty file is a valid new database: nothing to warn about
        assert "newscli: warning: the index at" in result.stderr
        assert "rebuilding it" in result.stderr
    hits = json.loads(result.stdout)
    expected = {p for p, title in files_on_disk(small).items() if "harbour" in title}
    assert {hit["path"] for hit in hits} == expected
    assert_agrees(small)


# -- (e) a store newscli cannot write to -----------------------------------------------------
def test_a_read_only_store_lists_reads_and_searches(small: Path) -> None:
    mode = small.stat().st_mode
    small.chmod(mode & ~0o222)
    try:
        if os.access(small, os.W_OK):  # root ignores the mode: make .newscli impossible instead
            small.chmod(mode)
            (small / ".newscli").write_text("not a folder\n", encoding="utf-8")
        assert_agrees(small)
        read = newscli(small, "read", "y1/m1/story-00001", "--format", "text")
        assert read.returncode == 0, read.stderr
        assert "Article number 1 reports on the council." in read.stdout
        found = newscli(small, "search", "title:\"story 1 about\"", "--json")
        assert found.returncode == 0, found.stderr
        assert [hit["path"] for hit in json.loads(found.stdout)] == ["y1/m1/story-00001.md"]
        status = newscli(small, "index", "--status")
        assert status.returncode == 0, status.stderr
        cache = Path(os.environ["XDG_CACHE_HOME"])
        index_line = next(line for line in status.stdout.splitlines() if line.startswith("index:"))
        assert Path(index_line.split(":", 1)[1].strip()).is_relative_to(cache)
        assert list(cache.glob("newscli/stores/*/index.db"))
        assert not (small / ".newscli").is_dir()
    finally:
        small.chmod(mode)
