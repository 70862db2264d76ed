"""Full-text search: run Pagefind over the staged output folder. The only pagefind importer.

Pagefind reads the written HTML (only the parts marked ``data-pagefind-body``: articles, actors,
votes and the quotes page, each with a ``kind`` filter) and writes a static index. Nothing is
fetched at run time: the binary ships in the ``pagefind-bin`` wheel (``pip install
'pagefind[bin]'``), or set PAGEFIND_BINARY_PATH to a Pagefind executable.

One bundle per kind, ``<site>/pagefind/<kind>/``, which the search page merges in the browser
(Pagefind's ``mergeIndex``). Why not one bundle: Pagefind 1.5 writes the values of a filter in
hash-map order, which changes from run to run, so a single index with a four-valued ``kind``
filter would make every build's bytes differ; a bundle whose filter has one value is the same
on every run. The search page loads the bundles relative to the site's base path, so search
works at '/' and under '/repo/'.

Called from ``pipeline.write`` through ``write_site``'s ``before_swap`` hook, so a failed
indexing leaves the previous site in place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

from .config import Project
from .errors import ExplainerError
from .urls import INDEX_PAGES, PAGE_KINDS

BUNDLE_DIR = "pagefind"
# Bundle name -> the pages it indexes (globs relative to the site folder).
BUNDLES = {
    "article": f"{PAGE_KINDS['article']}/*/index.html",
    "actor": f"{PAGE_KINDS['actor']}/*/index.html",
    "vote": f"{PAGE_KINDS['vote']}/*/index.html",
    "quote": f"{INDEX_PAGES['quotes']}index.html",
}
# Pagefind's ready-made user interfaces: the search page uses its own, so these are not copied.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
INSTALL_HINT = "install it with: pip install 'pagefind[bin]==1.5.2' (or set PAGEFIND_BINARY_PATH)"
TIMEOUT_SECONDS = 600


class SearchIndexError(ExplainerError):
    """Pagefind is missing or failed: a clear message, never a traceback."""


def index_site(folder: Path, project: Project, cancel: threading.Event | None = None) -> bool:
    """Build the Pagefind bundles of the site in ``folder`` into ``folder/pagefind/<kind>/``.

    The bundles are independent and indexed at the same time (the article bundle dominates).
    Setting ``cancel`` stops the indexing (the preview server does when a new edit arrives) and
    returns False; the next run starts again from scratch.
    """
    binary = pagefind_binary()
    language = project.config.language.split("-")[0]
    shutil.rmtree(folder / BUNDLE_DIR, ignore_errors=True)  # no stale bundle files from an earlier run
    commands = [[str(binary), "--site", str(folder), "--glob", glob, "--output-subdir", f"{BUNDLE_DIR}/{name}",
                 "--force-language", language, "--silent"] for name, glob in BUNDLES.items()]
    if not _run_all(binary, commands, cancel):
        return False
    for name in BUNDLES:
        bundle = f"{BUNDLE_DIR}/{name}"
        if not (folder / bundle / "pagefind-entry.json").is_file():
            raise SearchIndexError(f"search index: Pagefind wrote no {bundle}/pagefind-entry.json in {folder}")
        for unused in UNUSED:
            (folder / bundle / unused).unlink(missing_ok=True)
    return True


def _run_all(binary: Path, commands: list[list[str]], cancel: threading.Event | None) -> bool:
    """Run the commands at once; False if cancelled (they are killed), an error if one fails."""
    try:
        # --silent keeps stderr to a few lines on failure, so the pipe never fills while we wait.
        running = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                    stdin=subprocess.DEVNULL) for command in commands]
    except OSError as exc:
        raise SearchIndexError(f"search index: could not run Pagefind ({binary}): {exc.strerror or exc}; "
                               f"{INSTALL_HINT}") from None
    deadline = time.monotonic() + TIMEOUT_SECONDS
    waiter = cancel or threading.Event()
    try:
        while any(process.poll() is None for process in running):
            if waiter.wait(0.05):
                return False
            if time.monotonic() > deadline:
                raise SearchIndexError(f"search index: Pagefind did not finish within {TIMEOUT_SECONDS} s")
        for process in running:
            _, err = process.communicate()
            if process.returncode != 0:
                output = (err or "").strip().splitlines()[-10:]
                raise SearchIndexError("search index: Pagefind failed (exit code "
                                       f"{process.returncode}): " + " | ".join(output))
        return True
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()


def pagefind_binary() -> Path:
    """The Pagefind executable: $PAGEFIND_BINARY_PATH, else the one in the pagefind-bin wheel."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise SearchIndexError(f"search index: PAGEFIND_BINARY_PATH is {configured}, which is not a file")
        return path
    try:
        import pagefind_bin  # type: ignore[import-untyped,unused-ignore]  # the wheel with the binary
    except ImportError:
        raise SearchIndexError(f"search index: Pagefind is not installed; {INSTALL_HINT}") from None
    try:
        return Path(pagefind_bin.get_executable())
    except (FileNotFoundError, OSError) as exc:
        raise SearchIndexError(f"search index: the Pagefind binary is missing ({exc}); {INSTALL_HINT}") from None
