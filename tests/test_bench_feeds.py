"""bench/bench_feeds.py keeps working: a tiny run counts what it should (no timings judged)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_a_tiny_feed_benchmark_writes_every_entry_then_gets_only_304s() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_feeds.py"), "--feeds", "4", "--entries",
         "3", "--hosts", "2"], capture_output=True, text=True, timeout=300, check=True)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("4 feeds x 3 entries on 2 hosts")
    assert " 12 articles " in lines[1] and "exit 0" in lines[1]
    assert " 0 new articles " in lines[2] and "exit 0" in lines[2]
