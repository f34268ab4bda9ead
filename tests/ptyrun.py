"""Run the real `newscli` in a pseudo-terminal, as a user's shell would: its own session,
the terminal as controlling tty (so a written Ctrl-C is a real SIGINT to the foreground
process group), a chosen window size. Waits are guards against a hang, never assertions
on speed."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import sys
import termios
from pathlib import Path

NEWSCLI = [sys.executable, "-m", "newscli"]
HANG_GUARD = 120.0  # seconds before a test gives up waiting (a hang, not slowness)


class Terminal:
    def __init__(self, args: list[str], *, env: dict[str, str], columns: int = 100,
                 lines: int = 30, cwd: Path | None = None) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        pid = os.fork()
        if pid == 0:  # the child: a new session whose controlling terminal is the pty
            try:
                os.close(master)
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                if slave > 2:
                    os.close(slave)
                if cwd is not None:
                    os.chdir(cwd)
                os.execvpe(NEWSCLI[0], [*NEWSCLI, *args], env)
            finally:
                os._exit(127)
        os.close(slave)
        self.master, self.pid = master, pid
        self.output = b""
        self.status: int | None = None

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child side is closed
            return False
        if not chunk:
            return False
        self.output += chunk
        return True

    def expect(self, pattern: str | bytes) -> None:
        """Read until `pattern` (a regex) has appeared in the output, escapes removed."""
        regex = re.compile(pattern if isinstance(pattern, str) else pattern.decode())
        import time

        deadline = time.monotonic() + HANG_GUARD
        while not regex.search(self.text()):
            if not self._read(0.2) or time.monotonic() > deadline:
                raise AssertionError(f"never saw {pattern!r}; output: {self.text()[-2000:]}")

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait(self) -> int:
        """Read everything until the child exits; its exit status (128+N for a signal)."""
        import time

        deadline = time.monotonic() + HANG_GUARD
        while self.status is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.status = os.waitstatus_to_exitcode(status)
                if self.status < 0:
                    self.status = 128 - self.status
                break
            if time.monotonic() > deadline:
                os.killpg(self.pid, signal.SIGKILL)
                raise AssertionError(f"newscli hung; output: {self.text()[-2000:]}")
            self._read(0.1)
        while self._read(0.05) and select.select([self.master], [], [], 0)[0]:
            pass
        os.close(self.master)
        return self.status

    def text(self) -> str:
        """The output as a user reads it: escape sequences removed, CRLF as LF."""
        plain = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)", b"",
                       self.output)
        return plain.decode("utf-8", "replace").replace("\r\n", "\n")


def environment(store: Path, home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for the child: the test's store, config and cache; no pager
    unless asked for."""
    (home / "config.toml").touch()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "NEWSCLI_STORE": str(store),
        "NEWSCLI_CONFIG": str(home / "config.toml"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "NEWSCLI_PAGER": "cat",
    }
    env.update(extra)
    return env


FAKE_PAGER = r'''#!{python}
"""A pager for tests: reads one screen, says so, records any SIGINT, waits for 'q' on the
terminal, then quits without reading the rest (as less does)."""
import os, signal, sys
log = open({log!r}, "a", buffering=1)
signal.signal(signal.SIGINT, lambda *a: log.write("SIGINT\n"))
log.write("LESS=%s\n" % os.environ.get("LESS", ""))
for _ in range(5):
    line = sys.stdin.readline()
    log.write("line:" + line)
tty = open("/dev/tty")
sys.stdout.write("PAGER READY\n"); sys.stdout.flush()
while True:
    key = tty.readline()
    if key.strip() == "q" or not key:
        break
log.write("ppid=%d\n" % os.getppid())
'''


def fake_pager(folder: Path) -> tuple[Path, Path]:
    """A fake pager script and the log it writes."""
    log = folder / "pager.log"
    script = folder / "fakepager"
    script.write_text(FAKE_PAGER.format(python=sys.executable, log=str(log)))
    script.chmod(0o755)
    return script, log
