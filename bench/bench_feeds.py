"""Benchmark `newscli feed update`: FEEDS feeds x ENTRIES entries on HOSTS host names.

Each host is its own loopback address (127.0.0.1 … 127.0.0.HOSTS), served by a threaded
HTTP server in this process that answers with an ETag and Last-Modified, and 304 when they
come back. The feeds are subscribed with `feed import` (no fetch, --full-text never), then:

1. first update: every feed fetched, parsed, every entry written as an article file, and
   the new files catalogued (so `list` and `search` see them at once);
2. second update (--force): every feed answers 304 Not Modified.

Both run as whole processes with the per-host limit on (it cannot be turned off); wall time
and the child's peak RSS (bench/_timing.py) are printed. Targets: first <= 60 s, all-304
<= 5 s, peak RSS <= 250 MB.

    .venv/bin/python bench/bench_feeds.py [--feeds 200] [--entries 50] [--hosts 20]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import bench_env, fmt_bytes, newscli_exe, run_once  # noqa: E402

WORDS = ("harbour council budget river school transport housing energy court election "
         "market hospital police weather festival library museum bridge farm rail").split()
LAST_MODIFIED = "Tue, 01 Dec 2026 06:00:00 GMT"


def feed_body(n: int, entries: int) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
             f"<title>Bench feed {n}</title><link>https://site{n}.example/</link>"]
    for e in range(entries):
        words = " ".join(WORDS[(n * 7 + e * 3 + k) % len(WORDS)] for k in range(150))
        body = f"<p>Feed {n} entry {e} reports: {words}.</p><p>More on story {n}-{e}.</p>"
        parts.append(
            f"<item><title>Story {e} of feed {n}</title>"
            f"<link>https://site{n}.example/news/{e}.html</link><guid>feed{n}-entry{e}</guid>"
            f"<pubDate>Mon, 30 Nov 2026 {e % 24:02d}:00:00 GMT</pubDate>"
            f"<description>{escape(body)}</description></item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode()


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        body = self.server.bodies.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"v1-{self.path}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    bodies: dict[str, bytes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()

    servers: list[Server] = []
    outlines: list[str] = []
    for h in range(args.hosts):
        server = Server((f"127.0.0.{h + 1}", 0), Handler)
        server.bodies = {}
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    for n in range(args.feeds):
        server = servers[n % args.hosts]
        path = f"/feed{n}.xml"
        server.bodies[path] = feed_body(n, args.entries)
        host, port = server.server_address[:2]
        outlines.append(f"<outline text={quoteattr(f'Feed {n}')} "
                        f"xmlUrl={quoteattr(f'http://{host!s}:{port}{path}')}/>")

    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as tmp:
        store, home = Path(tmp) / "store", Path(tmp) / "home"
        home.mkdir()
        env = bench_env(str(home))
        opml = Path(tmp) / "feeds.opml"
        opml.write_text(f'<opml version="2.0"><body>{"".join(outlines)}</body></opml>', "utf-8")
        exe = newscli_exe()
        base = [exe, "--store", str(store), "feed"]
        imported = run_once([*base, "import", str(opml), "--full-text", "never"], env=env)
        assert imported.returncode == 0, imported.stderr
        first = run_once([*base, "update", "--jobs", str(args.jobs)], env=env)
        written = sum(1 for p in store.rglob("*.md") if ".newscli" not in p.parts)
        second = run_once([*base, "update", "--force", "--jobs", str(args.jobs)], env=env)
        again = sum(1 for p in store.rglob("*.md") if ".newscli" not in p.parts)
    for server in servers:
        server.shutdown()

    total = args.feeds * args.entries
    print(f"{args.feeds} feeds x {args.entries} entries on {args.hosts} hosts, "
          f"--jobs {args.jobs}, one request per host at a time")
    print(f"first update : {first.seconds:6.2f} s  {written} articles "
          f"({written / first.seconds:,.0f} articles/s)  peak RSS "
          f"{fmt_bytes(first.maxrss_kib * 1024)}  exit {first.returncode}")
    print(f"all-304 round: {second.seconds:6.2f} s  {again - written} new articles  peak RSS "
          f"{fmt_bytes(second.maxrss_kib * 1024)}  exit {second.returncode}")
    ok = (written == total and again == written and first.seconds <= 60
          and second.seconds <= 5 and max(first.maxrss_kib, second.maxrss_kib) <= 250 * 1024
          and first.returncode == second.returncode == 0)
    print("targets (first <= 60 s, all-304 <= 5 s, <= 250 MB):", "met" if ok else "NOT met")
    if first.returncode or second.returncode:
        print(first.stderr[-500:], second.stderr[-500:], file=sys.stderr)


if __name__ == "__main__":
    main()
