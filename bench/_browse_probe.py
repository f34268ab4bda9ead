"""Run inside a child process by bench_browse.py: the browser headless, driven by the pilot.

    python bench/_browse_probe.py paint STORE WIDTH HEIGHT
    python bench/_browse_probe.py typing STORE WIDTH HEIGHT QUERIES_JSON RUNS

`paint` exits (os._exit, no teardown) as soon as the first frame showing the list has been
rendered: Textual's call_after_refresh from the app's on_mount fires after that frame.
`typing` prints one JSON object: per query, milliseconds from the last key press (sent
through the driver as the pilot sends keys) to the frame that shows the new results
(call_after_refresh once the list has them), and of the same search called alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

from newscli.config import Settings
from newscli.service import Library
from newscli.tui.app import SEARCH_LIMIT, BrowseApp


class FirstPaint(BrowseApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        assert self.listing is not None and self.listing.count > 0
        sys.stdout.write(f"painted {self.listing.count}\n")
        sys.stdout.flush()
        os._exit(0)


async def paint(store: str, size: tuple[int, int]) -> None:
    app = FirstPaint(Library(Settings(store)))
    async with app.run_test(size=size) as pilot:
        await pilot.pause(30)
    raise SystemExit("no first paint in 30 s")


async def typing(store: str, size: tuple[int, int], queries: dict[str, str],
                 runs: int) -> None:
    from textual import events
    from textual.keys import _character_to_key

    library = Library(Settings(store))
    app = BrowseApp(library)
    out = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        box = app.query_box.input
        for label, query in queries.items():
            typed, alone = [], []
            for run in range(runs + 1):  # the first is a warm-up
                box.focus()
                box.value = ""
                await pilot.pause(0.3)
                keys = [_character_to_key(c) for c in query]
                await pilot.press(*keys[:-1])
                await pilot.pause(0.3)
                # The last key goes in as the pilot sends keys (through the driver, as a
                # terminal's would), but without the pilot's waits for idleness (sleeps of
                # 20 ms and more), which would be counted as latency.
                last = events.Key(keys[-1], query[-1])
                last.set_sender(app)
                start = time.perf_counter()
                app._driver.send_message(last)
                while app.listing is None or app.listing.query != query:
                    await asyncio.sleep(0.001)
                painted = asyncio.Event()
                app.call_after_refresh(painted.set)  # after the frame that shows them
                await painted.wait()
                elapsed = (time.perf_counter() - start) * 1000
                begun = time.perf_counter()
                library.search(query, limit=SEARCH_LIMIT)
                if run:
                    typed.append(elapsed)
                    alone.append((time.perf_counter() - begun) * 1000)
            assert app.listing is not None
            out[label] = {"typing_ms": typed, "search_ms": alone, "hits": app.listing.count}
    print(json.dumps(out))


def main() -> None:
    mode, store, width, height = sys.argv[1:5]
    size = (int(width), int(height))
    if mode == "paint":
        asyncio.run(paint(store, size))
    else:
        asyncio.run(typing(store, size, json.loads(sys.argv[5]), int(sys.argv[6])))


if __name__ == "__main__":
    main()
