"""Hostile articles through every command and every output (issue 5).

Each case from `tests/hostile.py` is one file alone in a store. For each: `list` (piped,
`--color always`, `--json`), `read` in every `--format` (rich with `--color always`), `search`
for its word (piped and `--color always`), and `add` of the file into a second store. Each
must exit 0, or 1 with one `newscli: error:` line, never a traceback; stdout (and stderr) must
hold no escape sequence, control, bidi or zero-width character that came from the article,
only newscli's own SGR and OSC 8 hyperlinks to URLs it also prints. Counts are reported at
the end of the session.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import traceback
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newscli.cli import cli
from newscli.store import article_id, read_article
from tests import hostile

CASES = hostile.cases()
STATS: Counter[str] = Counter()
FAILED: list[str] = []
STDERR_LINE = re.compile(r"^(?:newscli: (?:error|warning): |hint: )")


@pytest.fixture(scope="module", autouse=True)
def summary(request: pytest.FixtureRequest):
    """At the end of the module: inputs tried, commands run, failures."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    line = (
        f"hostile inputs: {STATS['inputs']} inputs tried, {STATS['commands']} commands run, "
        f"{STATS['failures']} failing commands"
        + (f" ({', '.join(sorted(set(FAILED)))})" if FAILED else "")
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # teardown output is captured otherwise
            reporter.write_line("")
            reporter.write_line(line)
    else:  # pragma: no cover - e.g. run under -p no:terminal
        print(line, file=sys.stderr)


# Seconds one command may take on one small hostile file (the 10-MB file takes ~2 s).
BUDGET = 10.0


class Overtime(Exception):
    """Raised in a command that runs past its time budget."""


def invoke(store: Path, *args: str, budget: float = BUDGET) -> Result:
    """The real CLI in-process (like the `run` fixture), with exceptions caught so that a
    traceback is recorded as a failure of this command rather than ending the case, and a
    time budget so that a runaway command fails instead of stalling the suite."""

    def overtime(signum: int, frame: object) -> None:
        raise Overtime(f"still running after {budget:g} s")

    previous = signal.signal(signal.SIGALRM, overtime)
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        return CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def stream_problems(result: Result) -> list[str]:
    """Exit status and stderr: 0, or 1 with exactly one error line; no traceback."""
    found: list[str] = []
    if isinstance(result.exception, Overtime):
        return [f"too slow: {result.exception}"]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc = result.exception
        frames = traceback.extract_tb(exc.__traceback__)
        ours = [f for f in frames if f"{os.sep}newscli{os.sep}" in f.filename]
        where = (ours or frames)[-1]
        found.append(
            f"traceback: {type(exc).__name__}: {str(exc)[:120]} "
            f"(at {Path(where.filename).name}:{where.lineno})"
        )
        return found
    if "Traceback" in result.stderr:
        found.append("Traceback in stderr")
    if result.exit_code not in (0, 1):
        found.append(f"exit status {result.exit_code}")
    lines = result.stderr.splitlines()
    if result.exit_code != 0:
        errors = [line for line in lines if line.startswith("newscli: error:")]
        if len(errors) != 1:
            found.append(f"exit {result.exit_code} with {len(errors)} error lines: {lines[:3]}")
        for line in lines:
            if not STDERR_LINE.match(line):
                found.append(f"stray stderr line {line[:80]!r}")
                break
    return found


def stderr_text_problems(stderr: str, case: hostile.Case) -> list[str]:
    return [f"stderr: {p}" for p in hostile.problems(stderr, case, colored=False)]


def put(folder: Path, case: hostile.Case) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    name = case.filename if isinstance(case.filename, bytes) else case.filename.encode()
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as handle:
        handle.write(case.data)
    return Path(os.fsdecode(path))


def run_case(case: hostile.Case, tmp_path: Path) -> dict[str, list[str]]:
    """Every command on one hostile file; {command: problems}."""
    store = tmp_path / "store"
    path = put(store, case)
    rel = path.relative_to(store).as_posix()
    name = article_id(rel)
    commands: list[tuple[str, tuple[str, ...], bool, bool]] = [
        # label, args, coloured output expected, JSON output
        ("list", ("list",), False, False),
        ("list --color always", ("list", "--color", "always", "--no-pager"), True, False),
        ("list --json", ("list", "--json"), False, True),
        ("read rich", ("read", name, "--color", "always", "--no-pager"), True, False),
        ("read text", ("read", name, "--format", "text"), False, False),
        ("read markdown", ("read", name, "--format", "markdown"), False, False),
        ("read json", ("read", name, "--format", "json"), False, True),
        ("search", ("search", case.word), False, False),
        ("search --color always", ("search", case.word, "--color", "always", "--no-pager"),
         True, False),
    ]
    if "big" in case.tags:
        # Wrapping 10 MB for the terminal is timed in test_faults; here only its safety.
        commands = [c for c in commands if c[0] not in ("read rich", "read text")]
    report: dict[str, list[str]] = {}
    STATS["inputs"] += 1
    for label, args, colored, as_json in commands:
        result = invoke(store, *args)
        found = stream_problems(result)
        found += hostile.problems(result.stdout, case, colored=colored, json_out=as_json,
                                  markdown=label == "read markdown")
        found += stderr_text_problems(result.stderr, case)
        if label in ("read rich", "read text", "list") and result.exit_code == 0:
            text = hostile.SGR.sub("", hostile.OSC8.sub("", result.stdout))
            for literal in case.literal:
                if literal not in text:
                    found.append(f"markup {literal!r} not shown literally")
        record(case, label, found, report)
    # `add` of the file into a second store; what it writes must be clean too.
    second = tmp_path / "second"
    result = invoke(second, "add", str(path))
    found = stream_problems(result) + hostile.problems(result.stdout, case, colored=False)
    found += stderr_text_problems(result.stderr, case)
    if result.exit_code == 0:
        written = [p for p in second.rglob("*.md") if ".newscli" not in p.parts]
        if len(written) != 1:
            found.append(f"add wrote {len(written)} files")
        for file in written:
            text = file.read_text("utf-8")
            found += [f"written file: {p}"
                      for p in hostile.problems(text, case, colored=False, markdown=True)]
            try:
                article = read_article(second, file.relative_to(second).as_posix(), 1 << 30)
            except Exception as exc:  # noqa: BLE001 - any failure to read back is the finding
                found.append(f"written file does not read back: {exc!r}")
            else:
                if not article.title:
                    found.append("written file has no title")
    record(case, "add", found, report)
    return report


def record(case: hostile.Case, label: str, found: list[str], report: dict[str, list[str]]) -> None:
    STATS["commands"] += 1
    if found:
        STATS["failures"] += 1
        FAILED.append(label)
        report[label] = found


def describe(report: dict[str, list[str]]) -> str:
    return "\n".join(f"  {label}: {'; '.join(found[:3])}" for label, found in report.items())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_article(case: hostile.Case, tmp_path: Path) -> None:
    report = run_case(case, tmp_path)
    assert not report, f"{case.name}:\n{describe(report)}"


# -- symbolic links -------------------------------------------------------------------------------
SECRET = "secretoutsidethestore"


@pytest.fixture
def linked_store(tmp_path: Path) -> Path:
    """A store with one ordinary article, a link to a file outside, a link to a folder
    outside, a link to itself and a dangling one."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.txt").write_text(f"Private {SECRET}\n\nNot yours {SECRET} at all.\n")
    store = tmp_path / "store"
    store.mkdir()
    (store / "plain.txt").write_text("Plain headline\n\nAn ordinary article body here.\n")
    (store / "out.txt").symlink_to(outside / "private.txt")
    (store / "outdir").symlink_to(outside, target_is_directory=True)
    (store / "loop.txt").symlink_to(store / "loop.txt")
    (store / "dangling.md").symlink_to(tmp_path / "missing.md")
    return store


def _no_secret(result: Result, label: str) -> list[str]:
    found = stream_problems(result)
    if SECRET in result.stdout:
        found.append("text from outside the store shown")
    return [f"{label}: {p}" for p in found]


def test_symlinks_are_never_followed(linked_store: Path, tmp_path: Path) -> None:
    store = linked_store
    case = hostile.Case("symlinks", "out.txt", b"", SECRET)
    STATS["inputs"] += 1
    report: dict[str, list[str]] = {}
    listing = invoke(store, "list", "--json")
    found = _no_secret(listing, "list --json")
    if '"plain"' not in listing.stdout:
        found.append("the ordinary article is not listed")
    record(case, "symlink list", found, report)
    for name in ("out", "loop", "dangling", "private", str(store / "out.txt"),
                 str(store / "loop.txt"), str(store / "outdir" / "private.txt")):
        result = invoke(store, "read", name, "--format", "text")
        found = _no_secret(result, f"read {name}")
        if result.exit_code != 1:
            found.append(f"read {name}: exit {result.exit_code}, expected a refusal")
        record(case, "symlink read", found, report)
    result = invoke(store, "search", SECRET)
    found = _no_secret(result, "search")
    if result.exit_code != 1:
        found.append("search found text outside the store")
    record(case, "symlink search", found, report)
    # `add` of the store folder copies only what is really inside it; the self-link and the
    # dangling link given by name are refused with one line each.
    second = tmp_path / "second"
    result = invoke(second, "add", str(store))
    found = stream_problems(result)
    copied = " ".join(p.read_text() for p in second.rglob("*.md") if ".newscli" not in p.parts)
    if SECRET in copied:
        found.append("add of the folder followed a link out of it")
    record(case, "symlink add folder", found, report)
    for link in ("loop.txt", "dangling.md"):
        result = invoke(second, "add", str(store / link))
        found = stream_problems(result)
        if result.exit_code != 1:
            found.append(f"add {link}: exit {result.exit_code}")
        record(case, "symlink add", found, report)
    assert not report, describe(report)


# -- a real terminal ------------------------------------------------------------------------------
def _pty_run(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run newscli in a pseudo-terminal; (exit status, everything it printed)."""
    import pty
    import subprocess

    main, secondary = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "newscli", *args],
        stdin=secondary, stdout=secondary, stderr=secondary, env=env, close_fds=True,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("name", ["osc8-hyperlink.md", "csi-colour.txt", "c1-osc.html"])
def test_hostile_article_in_a_real_terminal(name: str, tmp_path: Path) -> None:
    """`read` and `list` on a pseudo-terminal (colour decided by newscli itself)."""
    case = next(c for c in CASES if c.name == name)
    store = tmp_path / "store"
    put(store, case)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    env.update(TERM="xterm-256color", NEWSCLI_PAGER="cat", PYTHONPATH=str(Path.cwd()))
    report: dict[str, list[str]] = {}
    STATS["inputs"] += 1
    ident = article_id(case.filename if isinstance(case.filename, str) else "x")
    for label, args in (("pty read", ["read", ident, "--no-pager"]),
                        ("pty list", ["list", "--no-pager"])):
        status, out = _pty_run(["--store", str(store), *args], env)
        out = out.replace("\r\n", "\n")
        found = [] if status == 0 else [f"exit {status}: {out[-300:]!r}"]
        if "Traceback" in out:
            found.append("Traceback")
        if "\x1b[" not in out:
            found.append("no styles on a terminal (was colour detected?)")
        found += hostile.problems(out, case, colored=True)
        record(case, label, found, report)
    assert not report, describe(report)


# -- the checks themselves, and link targets in HTML ----------------------------------------------
def test_the_checks_catch_what_they_should() -> None:
    """The oracle is not vacuous: each kind of leak it looks for is reported."""
    case = next(c for c in CASES if c.name == "osc52-clipboard.txt")
    bad = {
        "raw ESC": "title \x1b[31mred",
        "C1": "title \x9b31m",
        "bidi": "report\u202etxt.exe",
        "payload": "Y3VybCBldmlsfHNo",
        "numbered link": "Links\n[1] javascript:alert(1)\n",
    }
    for what, text in bad.items():
        assert hostile.problems(text, case, colored=False), what
    evil = "\x1b]8;id=1;https://evil.example/\x1b\\click\x1b]8;;\x1b\\\n[1] https://ok.example/\n"
    assert hostile.problems(evil, case, colored=True)
    ok = "\x1b[1mT\x1b[0m \x1b]8;id=1;https://ok.example/\x1b\\x\x1b]8;;\x1b\\\n[1] https://ok.example/\n"
    assert hostile.problems(ok, case, colored=True) == []
    assert hostile.problems("---\ntitle: x\n---\n\n[x](<javascript:y>)\n", case,
                            colored=False, markdown=True)
    assert hostile.problems('{"url": "file:///etc/passwd"}', case, colored=False, json_out=True)


def test_html_anchor_targets_other_than_http_are_dropped(tmp_path: Path) -> None:
    """README: links keep only http, https and mailto targets; javascript:, file:, data: are
    dropped. An anchor's text stays; its target is neither a link nor shown as text."""
    store = tmp_path / "store"
    store.mkdir()
    paragraph = "<p>" + "An ordinary sentence of the article body, long enough to count. " * 3
    anchors = {
        "js-anchor": "javascript:alert(1)",
        "file-anchor": "file:///etc/passwd",
        "data-anchor": "data:text/html,PAYLOADDATA",
        "vb-anchor": "vbscript:msgbox",
        "ok-anchor": "https://ok.example/fine",
    }
    links = " ".join(f"<a href='{href}'>{text}</a>" for text, href in anchors.items())
    (store / "anchors.html").write_text(
        f"<html><head><title>Anchors</title></head><body><article><h1>Anchors</h1>"
        f"{paragraph}</p><p>Links: {links}.</p>{paragraph}</p></article></body></html>"
    )
    STATS["inputs"] += 1
    report: dict[str, list[str]] = {}
    case = hostile.Case("anchors", "anchors.html", b"", "anchors", kind="html")
    for fmt in ("text", "markdown", "json"):
        result = invoke(store, "read", "anchors", "--format", fmt)
        found = stream_problems(result)
        for text, href in anchors.items():
            if text not in result.stdout:
                found.append(f"anchor text {text!r} lost")
            if not href.startswith("https:") and href.split(",")[0] in result.stdout:
                found.append(f"target {href!r} shown")
        record(case, f"anchors read {fmt}", found, report)
    assert not report, describe(report)
