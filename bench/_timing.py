"""Timing helpers for the bench scripts: whole-process runs, peak RSS, ratio tables.

No third-party dependencies.

Peak RSS: a child's `ru_maxrss` (from `os.wait4` or RUSAGE_CHILDREN) is polluted by the
parent: Python's subprocess spawns with vfork, and Linux folds the high-water mark of the
memory image replaced at exec (the parent's!) into the child's maxrss. So each command runs
under a small launcher that spawns it and reports its maxrss: GNU `/usr/bin/time -f %M`
when present (a C program; ~1 ms), else a `python -S` launcher using posix_spawn (floor
~9 MiB, adds ~15 ms to every command alike). Wall time includes the launcher.

Commands measured together are run interleaved (A B C A B C …) after one warm-up each, so a
burst of noise on this shared machine hits all of them rather than one; the ratio of a
command to its baseline is of medians from the same interleaved run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_RUNS = 7
STDOUT_MODES = ("devnull", "pipe", "tty")


@dataclass
class Cmd:
    """A command to time. `stdout`: devnull, pipe (read and discarded by us) or tty (a
    pseudo-terminal of 120x40, so rich renders as it would for a person)."""

    label: str
    args: Sequence[str]
    env: Mapping[str, str] | None = None
    stdout: str = "devnull"
    cwd: str | None = None
    before: Callable[[], None] | None = None  # called before each run, not timed


@dataclass
class Once:
    seconds: float
    returncode: int
    maxrss_kib: int
    stderr: str = ""
    stdout_bytes: int = 0
    cpu_seconds: float = 0.0  # user + system CPU of the command (and the ~1 ms launcher)


@dataclass
class Timing:
    label: str
    samples_ms: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    error: str | None = None  # set when the command failed: its figures are "n/a"

    @property
    def cpu_median(self) -> float:
        """CPU time is far steadier than wall time on a loaded machine."""
        return statistics.median(self.cpu_ms) if self.ok and self.cpu_ms else float("nan")

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.samples_ms)

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms) if self.ok else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95) if self.ok else float("nan")

    @property
    def min(self) -> float:
        return min(self.samples_ms) if self.ok else float("nan")

    @property
    def peak_rss_mib(self) -> float:
        return max(self.rss_kib) / 1024 if self.ok and self.rss_kib else float("nan")


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (as numpy's default)."""
    if not values:
        return float("nan")
    data = sorted(values)
    k = (len(data) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


def _drain(fd: int, counter: list[int]) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO on a pty once the child side is closed
            break
        if not chunk:
            break
        counter[0] += len(chunk)


def _open_pty() -> tuple[int, int]:
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    return master, slave


GNU_TIME = "/usr/bin/time"
_PY_LAUNCHER = (
    "import os,sys\n"
    "try:\n pid=os.posix_spawnp(sys.argv[2],sys.argv[2:],os.environ)\n"
    "except OSError as e:\n sys.stderr.write(f'{type(e).__name__}: {e}\\n'); sys.exit(127)\n"
    "_,st,ru=os.wait4(pid,0)\n"
    "open(sys.argv[1],'w').write(str(ru.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(st))\n"
)


def launcher() -> str:
    """Which launcher reports peak RSS: 'gnu-time' or 'python'."""
    return "gnu-time" if os.access(GNU_TIME, os.X_OK) else "python"


def _wrap(args: Sequence[str], rss_file: str) -> list[str]:
    if launcher() == "gnu-time":
        return [GNU_TIME, "-f", "%M", "-o", rss_file, *args]
    return [sys.executable, "-S", "-c", _PY_LAUNCHER, rss_file, *args]


def _read_rss(path: str) -> int:
    try:
        with open(path) as fh:
            lines = [line for line in fh.read().split() if line.isdigit()]
        return int(lines[-1]) if lines else 0
    except OSError:
        return 0


def run_once(args: Sequence[str], env: Mapping[str, str] | None = None,
             stdout: str = "devnull", cwd: str | None = None,
             timeout: float = 600.0) -> Once:
    """Run `args` once as a whole process (under the RSS launcher); wall time from spawn
    to reaped exit, peak RSS of the command itself."""
    if stdout not in STDOUT_MODES:
        raise ValueError(f"stdout must be one of {STDOUT_MODES}")
    counter = [0]
    reader: threading.Thread | None = None
    master = slave = -1
    fd, rss_file = tempfile.mkstemp(prefix="bench-rss-")
    os.close(fd)
    args = _wrap(args, rss_file)
    with tempfile.TemporaryFile() as err:
        if stdout == "tty":
            master, slave = _open_pty()
            out: int = slave
        elif stdout == "pipe":
            out = subprocess.PIPE
        else:
            out = subprocess.DEVNULL
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(list(args), stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=err, env=dict(env) if env is not None else None,
                                    cwd=cwd)
        except OSError as exc:
            if master >= 0:
                os.close(master)
                os.close(slave)
            return Once(0.0, 127, 0, f"{type(exc).__name__}: {exc}")
        if stdout == "tty":
            os.close(slave)
            reader = threading.Thread(target=_drain, args=(master, counter), daemon=True)
        elif proc.stdout is not None:
            reader = threading.Thread(target=_drain, args=(proc.stdout.fileno(), counter),
                                      daemon=True)
        if reader:
            reader.start()
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        if reader:
            reader.join(timeout=5)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.stdout is not None:
            proc.stdout.close()
        if master >= 0:
            os.close(master)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    maxrss = _read_rss(rss_file)
    os.unlink(rss_file)
    # The launcher's rusage includes the command it waited for: its maxrss is wrong (see
    # the README), its CPU times are right.
    cpu = usage.ru_utime + usage.ru_stime
    return Once(elapsed, proc.returncode, maxrss, stderr, counter[0], cpu)


def _failure(once: Once) -> str:
    lines = [line for line in once.stderr.strip().splitlines() if line.strip()]
    tail = lines[-1][:160] if lines else ""
    return f"exit {once.returncode}" + (f": {tail}" if tail else "")


def measure(cmds: Sequence[Cmd], runs: int = DEFAULT_RUNS, warmup: int = 1) -> dict[str, Timing]:
    """Time every command `runs` times, interleaved, after `warmup` untimed runs each.
    A command that fails (non-zero exit) in warm-up or any run is reported, not raised."""
    results = {c.label: Timing(c.label) for c in cmds}
    for round_no in range(warmup + runs):
        for cmd in cmds:
            timing = results[cmd.label]
            if timing.error:
                continue
            if cmd.before:
                cmd.before()
            once = run_once(cmd.args, cmd.env, cmd.stdout, cmd.cwd)
            if once.returncode != 0:
                timing.error = _failure(once)
                continue
            if round_no >= warmup:
                timing.samples_ms.append(once.seconds * 1000)
                timing.rss_kib.append(once.maxrss_kib)
                timing.cpu_ms.append(once.cpu_seconds * 1000)
    return results


def measure_one(cmd: Cmd, runs: int = 1) -> Timing:
    """Run a command `runs` times with no warm-up (e.g. a cold build: `cmd.before` resets)."""
    return measure([cmd], runs=runs, warmup=0)[cmd.label]


def time_inprocess(fn: Callable[[], object], runs: int, warmup: int = 1) -> list[float]:
    """Milliseconds of `fn()` over `runs` calls after `warmup` calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


# -- formatting --------------------------------------------------------------------------
def fmt_ms(value: float) -> str:
    if value != value:  # NaN
        return "n/a"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def fmt_ratio(num: float, den: float) -> str:
    if num != num or den != den or den == 0:
        return "n/a"
    return f"{num / den:.2f}x"


def fmt_bytes(n: float) -> str:
    if n != n:
        return "n/a"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GiB"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
              for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        first, *rest = [str(c) for c in cells]
        return "  ".join([first.ljust(widths[0]),
                          *(c.rjust(w) for c, w in zip(rest, widths[1:], strict=True))])
    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def timing_table(timings: Sequence[Timing], baseline: Mapping[str, str] | None = None,
                 rss: bool = False) -> str:
    """median / p95 / min per command, and its ratio to the median of its baseline
    (`baseline` maps a label to its baseline's label)."""
    by_label = {t.label: t for t in timings}
    headers = ["command", "median ms", "p95 ms", "min ms", "n", "vs baseline"]
    if rss:
        headers.append("peak RSS")
    rows = []
    notes: list[str] = []
    for t in timings:
        base_label = (baseline or {}).get(t.label)
        base = by_label.get(base_label) if base_label else None
        ratio = f"{fmt_ratio(t.median, base.median)} {base_label}" if base else ""
        median = fmt_ms(t.median)
        if t.error:
            notes.append(f"[{len(notes) + 1}] {t.label}: {t.error}")
            median = f"n/a [{len(notes)}]"
        row = [t.label, median, fmt_ms(t.p95), fmt_ms(t.min), str(len(t.samples_ms)), ratio]
        if rss:
            row.append(f"{t.peak_rss_mib:.0f} MiB" if t.ok and t.rss_kib else "n/a")
        rows.append(row)
    return "\n".join([table(headers, rows), *notes])


def bench_env(home: str) -> dict[str, str]:
    """A fixed environment for the children: no user config, no pager, a known width."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSCLI")}
    env.update(
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, "config"),
        XDG_CACHE_HOME=os.path.join(home, "cache"),
        XDG_DATA_HOME=os.path.join(home, "data"),
        PAGER="cat",
        COLUMNS="120",
        LINES="40",
        TERM="xterm-256color",
        LANG="C.UTF-8",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # let the package keep its .pyc caches warm
    env.pop("NO_COLOR", None)
    return env


def newscli_exe() -> str:
    """The `newscli` console script next to this interpreter (the venv's bin)."""
    return os.path.join(os.path.dirname(sys.executable), "newscli")


def which(name: str) -> str | None:
    import shutil

    return shutil.which(name)


def dir_bytes(path: str) -> int:
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def setup(sizes_arg: str, keep: str | None) -> tuple[list[int], str, Path, dict[str, str]]:
    """The store sizes asked for, a temporary folder (to remove at the end), the folder that
    holds the stores (kept with --keep, else inside the temporary one) and the children's
    environment."""
    sizes = sorted(int(x.replace("_", "")) for x in sizes_arg.split(",") if x.strip())
    tmp = tempfile.mkdtemp(prefix="newscli-bench-")
    base = Path(keep) if keep else Path(tmp) / "stores"
    base.mkdir(parents=True, exist_ok=True)
    return sizes, tmp, base, bench_env(os.path.join(tmp, "home"))
