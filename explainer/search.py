"""Full-text search: run Pagefind over the staged output folder. The only pagefind importer.

Pagefind reads the written HTML (only the parts marked ``data-pagefind-body``: articles, actors,
votes and the quotes page, each with a ``kind`` filter) and writes a static index. Nothing is
fetched at run time: the binary ships in the ``pagefind-bin`` wheel (``pip install
'pagefind[bin]'``), or set PAGEFIND_BINARY_PATH to a Pagefind executable.

One bundle per kind, ``<site>/pagefind/<kind>/``, which the search page merges in the browser
(Pagefind's ``mergeIndex``). Articles beyond ARTICLES_PER_BUNDLE are split over several bundles
(``article-1`` …, by a hash of the slug): Pagefind holds a whole bundle in memory (900 MB for
5,000 articles in one), and the bundles are indexed two at a time on two cores. Why not one
bundle: Pagefind 1.5 writes the values of a filter in hash-map order, which changes from run to
run, so a single index with a four-valued ``kind`` filter would make every build's bytes
differ; a bundle whose filter has one value is the same on every run. The search page loads
the bundles relative to the site's base path, so search works at '/' and under '/repo/'.

Called from ``pipeline.write`` through ``write_site``'s ``before_swap`` hook, so a failed
indexing leaves the previous site in place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
import zlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from .config import Project
from .errors import ExplainerError
from .kinds import KINDS, Kind
from .parallel import worker_count

BUNDLE_DIR = "pagefind"


def _indexed_kinds() -> list[Kind]:
    """The kinds with a search bundle: those with pages first, then those indexed on another
    page (quotes, on the quotes page), each in the table's order."""
    return [k for k in KINDS if k.search and k.page] + [k for k in KINDS if k.search and not k.page]


# Bundle name -> the pages it indexes (globs relative to the site folder), from kinds.py.
# A kind indexed on another page takes every page of that page's list (quotes/, quotes/page/2/...).
BUNDLES = {k.name: f"{k.folder}/*/index.html" if k.page else f"{k.search_page}**/index.html" for k in _indexed_kinds()}
# Pagefind's ready-made user interfaces: the search page uses its own, so these are not copied.
ARTICLES_PER_BUNDLE = 1000
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
INSTALL_HINT = "install it with: pip install 'pagefind[bin]==1.5.2' (or set PAGEFIND_BINARY_PATH)"
TIMEOUT_SECONDS = 600


class SearchIndexError(ExplainerError):
    """Pagefind is missing or failed: a clear message, never a traceback."""


def bundle_names(pages: Mapping[str, int]) -> list[str]:
    """The bundles a site with ``pages`` pages of each kind (by kind name) is indexed into; the
    search page loads them all. A kind without pages has none: Pagefind refuses to build an
    empty index, and a story need not have votes (or, when it starts, actors). A kind indexed
    on another page (quotes) always has its bundle, as that page always exists."""
    names: list[str] = []
    for entry in _indexed_kinds():
        count = pages.get(entry.name, 0)
        if not entry.page:
            names.append(entry.name)
        elif count and entry.search_shards and _shards(count) > 1:
            names += [f"{entry.name}-{n}" for n in range(1, _shards(count) + 1)]
        elif count:
            names.append(entry.name)
    return names


def bundle_weight(name: str) -> float:
    """How the search page weighs the results of bundle ``name`` (kinds.Kind.search_weight)."""
    kind_name = name.split("-")[0]
    return next(k.search_weight for k in _indexed_kinds() if k.name == kind_name)


def _shards(count: int) -> int:
    return max(1, -(-count // ARTICLES_PER_BUNDLE))


def article_bundle(slug: str, article_count: int, name: str = "article") -> str:
    """The bundle a page of a sharded kind (``name``: articles) is indexed in: stable for a
    slug while the site stays in the same thousand."""
    shards = _shards(article_count)
    return name if shards == 1 else f"{name}-{zlib.crc32(slug.encode('utf-8')) % shards + 1}"


def _sharded() -> Kind:
    return next(k for k in KINDS if k.search_shards)


def _article_slugs(folder: Path) -> list[str]:
    return sorted(page.parent.name for page in (folder / _sharded().folder).glob("*/index.html"))


def _folder_bundles(folder: Path, articles: int) -> list[str]:
    def pages(entry: Kind) -> int:
        return articles if entry.search_shards else sum(1 for _ in (folder / entry.folder).glob("*/index.html"))
    return bundle_names({entry.name: pages(entry) for entry in _indexed_kinds() if entry.page})


def layout(folder: Path) -> tuple[str, ...]:
    """The bundles the site in ``folder`` is indexed into."""
    return tuple(_folder_bundles(folder, len(_article_slugs(folder))))


def stale_bundles(folder: Path, changed: Iterable[str], indexed: Sequence[str] | None) -> set[str]:
    """The bundles to index again after the site files named in ``changed`` were written or
    removed, given the ``indexed`` layout of the last complete index: those holding a changed
    page, any missing one (a cancelled run removes what it was rebuilding), and every one when
    the layout changed (the article count moved to another number of bundles, which moves
    articles between them)."""
    articles = len(_article_slugs(folder))
    names = tuple(_folder_bundles(folder, articles))
    if indexed is None or tuple(indexed) != names:
        return set(names)
    stale = {name for name in names if not (folder / BUNDLE_DIR / name / "pagefind-entry.json").is_file()}
    by_folder = {entry.folder: entry for entry in _indexed_kinds() if entry.page}
    on_pages = {entry.search_page: entry.name for entry in _indexed_kinds() if not entry.page}
    for relative in changed:
        parts = relative.split("/")
        if parts[-1] == "index.html" and f"{parts[0]}/" in on_pages:
            stale.add(on_pages[f"{parts[0]}/"])
        elif len(parts) == 3 and parts[2] == "index.html" and parts[0] in by_folder:
            entry = by_folder[parts[0]]
            stale.add(article_bundle(parts[1], articles, entry.name) if entry.search_shards else entry.name)
    return stale


def index_site(folder: Path, project: Project, cancel: threading.Event | None = None,
               only: Collection[str] | None = None) -> tuple[str, ...] | None:
    """Build the Pagefind bundles of the site in ``folder`` into ``folder/pagefind/<bundle>/``:
    all of them, or ``only`` those (see ``stale_bundles``), leaving the others as they are.

    The bundles are independent and indexed as many at a time as there are cores. Setting
    ``cancel`` stops the indexing (the preview server does when a new edit arrives) and
    returns None; the bundles it was rebuilding are then missing, and ``stale_bundles``
    names them for the next run. Otherwise returns the site's bundles (see ``layout``).
    """
    binary = pagefind_binary()
    language = project.config.language.split("-")[0]
    articles = _article_slugs(folder)
    names = _folder_bundles(folder, len(articles))
    wanted = [name for name in names if only is None or name in only]
    if only is None:
        shutil.rmtree(folder / BUNDLE_DIR, ignore_errors=True)  # no stale bundle files from an earlier run
    elif (folder / BUNDLE_DIR).is_dir():
        for existing in (folder / BUNDLE_DIR).iterdir():
            if existing.name in wanted or existing.name not in names:  # rebuilt, or of an earlier layout
                shutil.rmtree(existing, ignore_errors=True)
    common = ["--force-language", language, "--silent"]
    globs = _bundle_globs(articles)
    commands = [[str(binary), "--site", str(folder), "--glob", globs[name], "--output-subdir", f"{BUNDLE_DIR}/{name}",
                 *common] for name in wanted]
    if not _run_all(binary, commands, cancel):
        return None
    for name in wanted:
        bundle = f"{BUNDLE_DIR}/{name}"
        if not (folder / bundle / "pagefind-entry.json").is_file():
            raise SearchIndexError(f"search index: Pagefind wrote no {bundle}/pagefind-entry.json in {folder}")
        for unused in UNUSED:
            (folder / bundle / unused).unlink(missing_ok=True)
    return tuple(names)


def _bundle_globs(articles: list[str]) -> dict[str, str]:
    """Bundle name -> the glob of the pages it indexes, relative to the site folder.

    Over ARTICLES_PER_BUNDLE articles, a bundle's glob lists the slugs of its hash bucket as
    alternatives ({a,b,...}): Pagefind reads the pages where they are, and no folder of links
    to them is made and removed on each run (0.65 s at 5,000 articles on a slow disk). Slugs
    are at most 80 of [a-z0-9-], so a bucket of about a thousand is an 81 KB argument, under
    Linux's limit of 128 KB for one.
    """
    globs = dict(BUNDLES)
    shards = _shards(len(articles))
    if shards == 1:
        return globs
    sharded = _sharded()
    del globs[sharded.name]
    buckets: dict[str, list[str]] = {f"{sharded.name}-{n}": [] for n in range(1, shards + 1)}
    for slug in articles:
        buckets[article_bundle(slug, len(articles))].append(slug)
    for name, slugs in buckets.items():
        if not slugs:  # a hash bucket left empty: not seen in practice, and Pagefind refuses an empty index
            raise SearchIndexError(f"search index: no article falls in search bundle {name} (articles are spread "
                                   f"over {shards} by a hash of the slug); add or rename an article")
        globs[name] = f"{sharded.folder}/{{{','.join(slugs)}}}/index.html"
    return globs


def _run_all(binary: Path, commands: list[list[str]], cancel: threading.Event | None) -> bool:
    """Run the commands, as many at once as there are cores; False if cancelled (they are
    killed), an error if one fails."""
    waiting = list(commands)
    running: list[subprocess.Popen[str]] = []
    deadline = time.monotonic() + TIMEOUT_SECONDS
    waiter = cancel or threading.Event()
    try:
        while waiting or running:
            while waiting and len(running) < worker_count():
                running.append(_start(binary, waiting.pop(0)))
            if waiter.wait(0.02):
                return False
            if time.monotonic() > deadline:
                raise SearchIndexError(f"search index: Pagefind did not finish within {TIMEOUT_SECONDS} s")
            for process in [p for p in running if p.poll() is not None]:
                running.remove(process)
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


def _start(binary: Path, command: list[str]) -> subprocess.Popen[str]:
    try:
        # --silent keeps stderr to a few lines on failure, so the pipe never fills while we wait.
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise SearchIndexError(f"search index: could not run Pagefind ({binary}): {exc.strerror or exc}; "
                               f"{INSTALL_HINT}") from None


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
