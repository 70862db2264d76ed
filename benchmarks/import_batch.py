"""Time one ``build.py import`` run over a folder of many pages (issue #25.3: 100 pages < 30 s).

Usage: ``.venv/bin/python benchmarks/import_batch.py DIR [--pages 100]``

DIR is shaped like the shared extraction-dev set (``html/*.html.gz``, ``page_text/*.txt``). The
pages (HTML and text alike) are copied round-robin under new names into a temporary project's
``incoming/`` folder until there are ``--pages`` files, so most are copies: the run exercises the
duplicate check as a real re-scrape would. One in-process CLI call imports the folder; the script
prints the wall time and the summary the command printed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import shutil
import sys
import tempfile
import time
from pathlib import Path

from explainer.cli import main as cli_main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args(argv)
    pages = sorted((args.folder / "html").glob("*.html.gz")) + sorted((args.folder / "page_text").glob("*.txt"))
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        (root / "config.yaml").write_text("title: Batch benchmark\n")
        incoming = root / "incoming"
        incoming.mkdir()
        for number, page in zip(range(args.pages), itertools.cycle(pages)):
            suffix = "".join(page.suffixes[-2:]) if page.name.endswith(".gz") else page.suffix
            shutil.copyfile(page, incoming / f"page-{number:04d}{suffix}")
        out = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out):
            code = cli_main(["import", str(incoming), "--root", str(root), "--date", "2000-01-01"])
        elapsed = time.perf_counter() - started
        summary = out.getvalue().split("summary:", 1)[-1]
        print(f"{args.pages} files ({len(pages)} distinct pages) in {elapsed:.1f} s, exit {code}")
        print("summary:" + summary.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
