"""Limits and faults (issue 5): the article size limit, pathological files, `add` killed
mid-way, and a full disk while writing.

(Several processes at once, a killed `index`, a damaged index and a read-only store are
covered in test_concurrency.py.)
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newscli.formats import parse
from newscli.store import read_article

REPO = Path(__file__).resolve().parent.parent
TEMP_PREFIX, TEMP_SUFFIX = ".newscli-add-", ".tmp"


def newscli(*args: str, timeout: float = 60, preexec=None, env_extra=None):  # type: ignore[no-untyped-def]
    """`python -m newscli ARGS` in a subprocess; (CompletedProcess, seconds taken)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["PYTHONPATH"] = str(REPO)
    env.update(env_extra or {})
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "newscli", *args],
        capture_output=True, text=True, timeout=timeout, env=env, preexec_fn=preexec,
    )
    return result, time.monotonic() - start


def article_files(store: Path) -> list[Path]:
    return sorted(p for p in store.rglob("*.md") if ".newscli" not in p.relative_to(store).parts)


def stray_files(store: Path) -> list[Path]:
    """Files in the store that are neither articles nor newscli's own data."""
    return sorted(
        p for p in store.rglob("*")
        if p.is_file() and p.suffix != ".md" and ".newscli" not in p.relative_to(store).parts
    )


def one_error_line(stderr: str) -> bool:
    lines = stderr.splitlines()
    return len(lines) == 1 and lines[0].startswith("newscli: error: ")


# -- the size limit -------------------------------------------------------------------------------
def test_article_over_the_size_limit_is_skipped_by_list_and_refused_by_read(
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "small.txt").write_text("Small headline\n\nA short article body.\n")
    (store / "big.txt").write_text("Big headline\n\n" + "word " * 1000 + "\n")
    monkeypatch.setenv("NEWSCLI_MAX_ARTICLE_BYTES", "2000")
    listing = run(store, "list")
    assert listing.exit_code == 0
    assert [line.split("\t")[1] for line in listing.stdout.splitlines()] == ["small"]
    warnings = listing.stderr.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("newscli: warning: skipped big.txt")
    assert "2,000-byte" in warnings[0]
    # Said once: the next listing does not repeat it.
    assert run(store, "list").stderr == ""
    read = run(store, "read", "big")
    assert read.exit_code == 1 and read.stdout == ""
    assert one_error_line(read.stderr), read.stderr
    assert "limit" in read.stderr
    # By path too, and in every format.
    for fmt in ("text", "json", "markdown"):
        read = run(store, "read", str(store / "big.txt"), "--format", fmt)
        assert read.exit_code == 1 and one_error_line(read.stderr), (fmt, read.stderr)


def test_raising_the_limit_makes_a_skipped_file_readable(
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "big.txt").write_text("Big headline\n\n" + "word " * 1000 + "\n")
    monkeypatch.setenv("NEWSCLI_MAX_ARTICLE_BYTES", "2000")
    assert run(store, "read", "big").exit_code == 1
    monkeypatch.setenv("NEWSCLI_MAX_ARTICLE_BYTES", "100000")
    read = run(store, "read", "big", "--format", "text")
    assert read.exit_code == 0, read.stderr
    listing = run(store, "list", "--json")
    assert [row["path"] for row in json.loads(listing.stdout)] == ["big.txt"]


def test_add_refuses_a_file_over_the_limit(tmp_path: Path, run, monkeypatch) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Big headline\n\n" + "word " * 1000 + "\n")
    monkeypatch.setenv("NEWSCLI_MAX_ARTICLE_BYTES", "2000")
    result = run(tmp_path / "store", "add", str(big))
    assert result.exit_code == 1 and one_error_line(result.stderr), result.stderr
    assert article_files(tmp_path / "store") == []


# -- pathological files finish in bounded time ----------------------------------------------------
BOUND = 20.0  # seconds, loosely: each of these takes well under a second to parse
PATHOLOGICAL = {
    "deep-html.html": lambda: (
        "<html><head><title>Deep</title></head><body>" + "<div>" * 10_000
        + "<p>Deep text " + "words " * 100 + "</p>" + "</div>" * 10_000 + "</body></html>"
    ),
    "deep-lists.md": lambda: "# Deep lists\n\nSome words first.\n\n" + "- " * 3000 + "item\n",
    "deep-list-html.html": lambda: (
        "<html><body><article><h1>Deep lists</h1><p>" + "words " * 60 + "</p>"
        + "<ul><li>x" * 300 + "</li></ul>" * 300 + "</article></body></html>"
    ),
    "huge-line.txt": lambda: "Huge line\n\n" + "word " * 2_000_000 + "\n",  # 10 MB
    "long-word.txt": lambda: "Long word\n\n" + "A" * 100_000 + "\n",
}


@pytest.fixture(scope="module")
def pathological(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("pathological") / "store"
    store.mkdir()
    for name, make in PATHOLOGICAL.items():
        (store / name).write_text(make(), encoding="utf-8")
    return store


def _bounded(args: list[str], what: str) -> subprocess.CompletedProcess[str]:
    try:
        result, took = newscli(*args, timeout=BOUND)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what}: still running after {BOUND:g} s")
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode in (0, 1), result.stderr[-500:]
    if result.returncode:
        assert one_error_line(result.stderr), result.stderr
    assert took < BOUND
    return result


def test_listing_pathological_files_is_bounded(pathological: Path) -> None:
    result = _bounded(["--store", str(pathological), "list", "--json"], "list")
    listed = {row["path"] for row in json.loads(result.stdout)}
    assert listed == set(PATHOLOGICAL)


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_reading_a_pathological_file_is_bounded(pathological: Path, name: str) -> None:
    _bounded(["--store", str(pathological), "read", str(pathological / name), "--format",
              "text", "--no-related"], f"read {name}")


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_adding_a_pathological_file_is_bounded(
    pathological: Path, name: str, tmp_path: Path
) -> None:
    _bounded(["--store", str(tmp_path / "second"), "add", str(pathological / name)],
             f"add {name}")


# -- `add` killed at random points ----------------------------------------------------------------
def _sources(folder: Path, count: int = 30) -> dict[str, list[str]]:
    """`count` distinct articles in `folder`; {title: words} as newscli reads them."""
    folder.mkdir()
    expected = {}
    for n in range(count):
        body = "\n\n".join(
            f"Paragraph {p} of story {n} tells about the topic{n} in some detail, "
            f"with words like alpha{n}x{p} and omega{n}y{p}, enough for an article."
            for p in range(1, 40)
        )
        text = f"Story number {n} makes the news\n\n{body}\n"
        (folder / f"story-{n:02d}.txt").write_text(text)
        article = parse(text, "text")
        expected[article.title] = article.plain_text().split()
    return expected


def test_add_killed_at_random_points_leaves_no_partial_article(
    tmp_path: Path, run, request: pytest.FixtureRequest
) -> None:
    folder = tmp_path / "incoming"
    expected = _sources(folder)
    rng = random.Random(5)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["PYTHONPATH"] = str(REPO)
    written = leftovers = 0
    for attempt in range(8):
        store = tmp_path / f"store-{attempt}"
        store.mkdir()
        process = subprocess.Popen(
            [sys.executable, "-m", "newscli", "--store", str(store), "add", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        time.sleep(rng.uniform(0.05, 0.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        files = article_files(store)
        written += len(files)
        for path in files:
            article = read_article(store, path.relative_to(store).as_posix(), 1 << 30)
            assert article.title in expected, (path, article.title)
            assert article.plain_text().split() == expected[article.title], f"partial {path}"
        strays = stray_files(store)
        for path in strays:
            assert path.name.startswith(TEMP_PREFIX) and path.name.endswith(TEMP_SUFFIX), path
        leftovers += len(strays)
        # The next listing sees exactly the article files (and ignores a leftover temp file).
        listing = run(store, "list", "--json")
        assert listing.exit_code == (0 if files else 1), listing.stderr  # 1: nothing listed
        listed = sorted(row["path"] for row in json.loads(listing.stdout))
        assert listed == sorted(p.relative_to(store).as_posix() for p in files)
        # And `add` run again completes the job, without duplicates.
        again = run(store, "add", str(folder))
        assert again.exit_code == 0, again.stderr
        assert len(article_files(store)) == len(expected)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(
                f"add killed 8 times: {written} complete articles written, "
                f"{leftovers} leftover {TEMP_PREFIX}*{TEMP_SUFFIX} files (ignored by list)"
            )


def test_a_leftover_temp_file_is_ignored(tmp_path: Path, run) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "real.md").write_text("# Real\n\nA real article.\n")
    (store / f"{TEMP_PREFIX}abc123{TEMP_SUFFIX}").write_text("---\ntitle: Half\n---\n\nHal")
    listing = run(store, "list", "--json")
    assert [row["path"] for row in json.loads(listing.stdout)] == ["real.md"]
    assert listing.stderr == ""


# -- a full disk ----------------------------------------------------------------------------------
def _file_size_limit(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_full_disk_while_writing_an_article(tmp_path: Path, run) -> None:
    """The article does not fit (writes fail with EFBIG): one line, exit 1, nothing left."""
    store = tmp_path / "store"
    store.mkdir()
    empty = run(store, "list")  # the index exists and is small
    assert empty.exit_code == 1 and "no articles yet" in empty.stderr
    source = tmp_path / "long.txt"
    source.write_text("A long story\n\n" + "\n\n".join(
        f"Paragraph {n} of a long story, with enough words to fill the disk." for n in range(8000)
    ))
    result, _ = newscli("--store", str(store), "add", str(source),
                        preexec=_file_size_limit(256 * 1024))
    assert result.returncode == 1, result.stderr
    assert one_error_line(result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert article_files(store) == [] and stray_files(store) == []
    # The store still works, and the same add succeeds once there is room.
    again = run(store, "add", str(source))
    assert again.exit_code == 0, again.stderr
    assert len(article_files(store)) == 1


def test_full_disk_before_anything_fits(tmp_path: Path) -> None:
    """Even the index cannot grow: still one line and exit 1, and no article file."""
    store = tmp_path / "store"
    store.mkdir()
    source = tmp_path / "story.txt"
    source.write_text("A story\n\nWith a body of a few words.\n")
    result, _ = newscli("--store", str(store), "add", str(source),
                        preexec=_file_size_limit(4096))
    assert "Traceback" not in result.stderr, result.stderr[-1500:]
    assert result.returncode == 1, result.stderr
    assert one_error_line(result.stderr), result.stderr
    assert article_files(store) == [] and stray_files(store) == []
