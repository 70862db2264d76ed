#!/usr/bin/env python3
"""Lighthouse scores of every page type, served compressed under a project path as GitHub Pages
serves a site (issue #23, item 6).

    python benchmarks/lighthouse.py [--articles 1000] [--base-url /repo/] [--work DIR]

Builds the example site (``--articles 0``) or a generated corpus (benchmarks/corpus.py), serves
the output at ``http://127.0.0.1:PORT/repo/`` with gzip as GitHub Pages does, and runs
Lighthouse (``node_modules/.bin/lighthouse``, installed by ``make test-tools``; Debian's
``/usr/bin/chromium``) with its default mobile settings (a mid-range phone, simulated slow 4G)
on the heaviest page of each type: the home page, an article, an actor, a vote, every index and
the archive pages of each list. Prints performance and accessibility scores with the metrics
behind them, and the HTML size of each page, compressed and not.

Lighthouse's performance score is simulated from a trace of a real load, so a busy machine
lowers it: run it on a quiet one and compare runs made one after the other.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run")
COMPRESSED = ("text/html", "text/css", "javascript", "json", "image/svg+xml", "xml", "wasm")
METRICS = ("largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index")


def page_type(relative: str) -> str:
    """'articles/page/3/index.html' -> 'articles archive'; 'votes/x/index.html' -> 'vote'."""
    parts = relative.split("/")[:-1]
    if not parts:
        return "home"
    if "page" in parts[1:] or re.fullmatch(r"\d{4}(-\d{2})?", parts[-1]):
        return f"{parts[0]} archive"
    if len(parts) == 1:
        return f"{parts[0]} index"
    return {"articles": "article", "actors": "actor", "votes": "vote", "quotes": "quote"}.get(parts[0], parts[0])


def heaviest_pages(site: Path) -> dict[str, str]:
    """The largest index.html of each page type, by path relative to the site."""
    chosen: dict[str, tuple[int, str]] = {}
    for path in sorted(site.rglob("index.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(("pagefind/", "data/")) and relative != "data/index.html":
            continue
        kind = page_type(relative)
        if kind == "vote" and b"chart-council" in path.read_bytes():
            kind = "vote (Security Council)"  # its own chart, unlike the Assembly's world map
        size = path.stat().st_size
        if size > chosen.get(kind, (-1, ""))[0]:
            chosen[kind] = (size, relative)
    return {kind: relative for kind, (_, relative) in sorted(chosen.items())}


def _handler(site: Path, base: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Compressed(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

        def translate_path(self, path: str) -> str:
            # the site lives under the project path, as on GitHub Pages; anything else is a 404
            if not path.startswith(base):
                return str(site / "nowhere")
            return super().translate_path("/" + path[len(base):])

        def send_head(self) -> io.BytesIO | None:
            path = Path(self.translate_path(self.path.split("?")[0]))
            if path.is_dir():
                path = path / "index.html"
            kind = self.guess_type(str(path))
            if (not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "")
                    or not any(mark in kind for mark in COMPRESSED)):
                return super().send_head()  # type: ignore[return-value]
            body = gzip.compress(path.read_bytes(), 6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    return Compressed


@contextmanager
def served(site: Path, base: str) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, base))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base}"
    finally:
        server.shutdown()


def lighthouse(url: str, report: Path) -> dict[str, object]:
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                    "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"],
                   check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=600)
    data = json.loads(report.read_text(encoding="utf-8"))
    found: dict[str, object] = {name: round(100 * (category["score"] or 0))
                                for name, category in data["categories"].items()}
    for metric in METRICS:
        found[metric] = data["audits"][metric].get("displayValue", "").replace("\xa0", " ")
    return found


def build(project: Path, out: Path, base: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(project), "--out", str(out),
                    "--base-url", base, "--force"], check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000, help="0: the example site")
    parser.add_argument("--base-url", default="/repo/")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "explainer-lighthouse")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `make test-tools` (npm ci) first")
    work = args.work / str(args.articles)
    project = ROOT if args.articles == 0 else work / "project"
    if args.articles and not (project / "config.yaml").exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(args.articles), str(project)],
                       check=True)
    site = work / "site"
    build(project, site, args.base_url)
    pages = heaviest_pages(site)
    print(f"{args.articles or 'example'} articles, served with gzip under {args.base_url}; Lighthouse "
          f"{subprocess.run([str(LIGHTHOUSE), '--version'], capture_output=True, text=True).stdout.strip()}, "
          "mobile defaults")
    print("| page type | page | HTML KB | gzip KB | performance | accessibility | LCP | TBT | CLS |")
    print("|---|---|---|---|---|---|---|---|---|")
    with served(site, args.base_url) as origin:
        for kind, relative in pages.items():
            html = (site / relative).read_bytes()
            url = origin + relative.removesuffix("index.html")
            scores = lighthouse(url, work / "report.json")
            print(f"| {kind} | {relative.removesuffix('index.html') or '/'} | {len(html) / 1024:.0f} | "
                  f"{len(gzip.compress(html, 6)) / 1024:.0f} | {scores['performance']} | {scores['accessibility']} | "
                  f"{scores['largest-contentful-paint']} | {scores['total-blocking-time']} | "
                  f"{scores['cumulative-layout-shift']} |", flush=True)


if __name__ == "__main__":
    main()
