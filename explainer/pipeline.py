"""The build as named stages; the only module that knows their order.

configure (config.py) -> load -> validate -> link -> render -> write
``build`` runs load to render and returns data; ``write`` is separate so that ``check`` is a
build without writing, and tests can assert on outputs without touching the disk.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .config import Project
from .depends import WITH_BODIES, Fingerprints, PageInputs, bodies_digest, site_digest
from .errors import ContentError, Diagnostic, Report
from .link import link
from .load import load_file, source_files
from .model import Site
from .parallel import map_chunks
from .render import PageSpec, Renderer, page_specs, static_files, template_stamps
from .search import index_site, layout, stale_bundles
from .urls import Urls, output_file
from .validate import Parsed, merge, parse_document
from .write import Staging, finish_site, update_site, write_site


@dataclass
class BuildResult:
    outputs: dict[str, bytes] = field(default_factory=dict)  # empty when pages went straight to staging
    files: list[str] = field(default_factory=list)  # every rendered output, in order
    report: Report = field(default_factory=Report)
    site: Site | None = None
    rendered: int = 0  # pages actually rendered (the rest came from the cache)
    # Seconds per stage, for benchmarks: "load" reads and validates each changed file on its own,
    # "validate" merges them and checks ids across files.
    timings: dict[str, float] = field(default_factory=dict)


Stamp = tuple[int, int]
# Below this many files to read, forking and sending the parsed files back costs more than
# parsing them on two cores saves (measured on the benchmark corpora).
PARALLEL_LOAD_FILES = 1000


@dataclass
class BuildCache:
    """What one build keeps for the next: parsed files, rendered articles and pages.

    The preview server holds one between rebuilds. Every entry is keyed by what it was made
    from (a file's mtime and size, an article's text and annotations, a page's inputs), so a
    stale entry is never used; the incremental tests compare with clean builds after edits.
    """

    documents: dict[Path, tuple[Stamp, tuple[Diagnostic, ...], Parsed]] = field(default_factory=dict)
    articles: dict[object, object] = field(default_factory=dict)
    pages: dict[str, tuple[int, bytes | None]] = field(default_factory=dict)
    setup: object = None  # the config and folders the cached pages were rendered with
    written: dict[str, bytes] | None = None  # what the last write put in the output folder
    search_layout: tuple[str, ...] | None = None  # the search bundles of the last complete index
    fingerprints: Fingerprints = field(default_factory=Fingerprints)
    templates: tuple[object, dict[str, object]] | None = None  # (template folders' files, template_stamps)
    keep_pages: bool = True  # False for one-off builds: no page digests are computed
    workers: int | None = None  # None: all cores; the preview server builds on one thread


def build(project: Project, *, strict: bool = False, cache: BuildCache | None = None,
          staging: Staging | None = None) -> BuildResult:
    """Read, validate, link and render the whole site in memory.

    Raises ContentError (carrying every diagnostic) if any stage found an error, or a warning
    under ``strict``. With a ``cache``, only what changed since the last build is redone.
    With ``staging`` (one-off builds, see ``build_and_write``), pages are put there by
    whichever process renders them instead of being returned in ``outputs``.
    """
    one_off = cache is None
    cache = cache if cache is not None else BuildCache(keep_pages=False)
    report = Report()
    clock = _Clock()
    with _stages_frozen() as stage_done:
        parsed = _load_and_parse(project, cache, report)
        stage_done()
        clock.lap("load")
        content = merge(parsed, report)
        stage_done()
        clock.lap("validate")
        # Link even after validation errors, so one run reports every problem; references to
        # documents that failed are not reported twice.
        site = link(content, project.config, Urls(project.config.base_url), report, cache.articles, cache.workers)
        stage_done()
        clock.lap("link")
        if report.failed(strict):
            raise ContentError("the content has errors", report)
        if one_off:
            # Rendering needs only the site: what the files were parsed into (with every
            # value's line and column, for error messages) is dropped before the workers fork.
            del parsed, content
            cache.documents, cache.articles = {}, {}
        if staging is not None:
            files = _render_to(staging, site, project, cache.workers)
            outputs, rendered = {}, len(files)
        else:
            outputs, rendered = _render(site, project, cache)
            files = list(outputs)
        clock.lap("render")
    return BuildResult(outputs=outputs, files=files, report=report, site=site, rendered=rendered,
                       timings=clock.laps)


def build_and_write(project: Project, *, strict: bool = False, search: bool = True) -> BuildResult:
    """A one-off build straight to disk: the same files as ``build`` then ``write``, but each
    page is written by the worker that rendered it, so no process holds the whole site."""
    with Staging(project.out_dir) as staging:
        result = build(project, strict=strict, staging=staging)
        clock = _Clock()
        finish_site(staging, result.files, static_files(project), _extra_files(project),
                    (lambda folder: index_site(folder, project)) if search else None)
        clock.lap("write")
        result.timings.update(clock.laps)
    return result


@contextmanager
def _stages_frozen() -> Iterator[object]:
    """Freeze each finished stage's objects for the rest of the build.

    The cyclic collector's full passes walk every live object, and a build makes millions that
    live until it ends: at 5,000 articles those passes were a third of an edit's relinking.
    Frozen objects are skipped. All are unfrozen when the build ends, so cyclic garbage among
    them is still collected then and the preview server, which builds again and again, leaks
    nothing.
    """
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now


def _stamp(path: Path) -> Stamp:
    status = path.stat()
    return (status.st_mtime_ns, status.st_size)


def _load_and_parse(project: Project, cache: BuildCache, report: Report) -> list[Parsed]:
    paths = source_files(project.root, report)
    stamps = [_stamp(path) for path in paths]
    entries: list[tuple[Stamp, tuple[Diagnostic, ...], Parsed] | None] = [
        entry if entry is not None and entry[0] == stamp else None
        for entry, stamp in ((cache.documents.get(path), stamp) for path, stamp in zip(paths, stamps))]
    todo = [index for index, entry in enumerate(entries) if entry is None]
    # Files are read and parsed by the workers; their results are unpickled here while they go on.
    fresh = map_chunks(_load_chunk, (project.root, [paths[i] for i in todo]), len(todo), workers=cache.workers,
                       min_items=PARALLEL_LOAD_FILES)
    for index, (diagnostics, document) in zip(todo, fresh):
        entries[index] = (stamps[index], diagnostics, document)
    cache.documents = {}
    parsed = []
    for path, entry in zip(paths, entries):
        assert entry is not None
        cache.documents[path] = entry
        for diagnostic in entry[1]:
            report.add(diagnostic)
        parsed.append(entry[2])
    return parsed


def _load_chunk(shared: tuple[Path, list[Path]], indices: Sequence[int]) -> list[tuple[tuple[Diagnostic, ...], Parsed]]:
    root, paths = shared
    results = []
    for index in indices:
        file_report = Report()
        document = load_file(root, paths[index], file_report)
        results.append((tuple(file_report.diagnostics), parse_document(document) if document else Parsed("")))
    return results


def _setup_stamp(project: Project) -> object:
    """What every page depends on: a change here re-renders everything (templates are per page)."""
    return (repr(project.config), str(project.out_dir), tuple(str(d) for d in project.template_dirs))


def _render(site: Site, project: Project, cache: BuildCache) -> tuple[dict[str, bytes], int]:
    setup = _setup_stamp(project)
    if setup != cache.setup:
        cache.pages = {}
        cache.setup = setup
    specs = page_specs(site)
    keys: list[int | None] = [None] * len(specs)
    if cache.keep_pages:
        whole = site_digest(site, cache.fingerprints)
        bodies = bodies_digest(site)
        inputs = PageInputs(site, cache.fingerprints)
        templates = _template_stamps(project, cache, [spec.template for spec in specs if spec.template])
        keys = [_page_key(inputs, spec, whole, bodies, templates.get(spec.template, ())) for spec in specs]
    produced: dict[str, bytes | None] = {}  # None: the page's code decided to write nothing (no sitemap)
    todo = []
    for spec, key in zip(specs, keys):
        path = output_file(spec.meta.path)
        cached = cache.pages.get(path)
        if key is not None and cached is not None and cached[0] == key:
            produced[path] = cached[1]
        else:
            todo.append(spec)
    produced.update(_render_pages(site, project, todo, cache.workers))
    cache.fingerprints.keep_only([*site.actors.values(), *site.quotes.values(), *site.votes.values(),
                                  *(article.meta for article in site.articles.values())])
    cache.pages = {output_file(spec.meta.path): (key, produced[output_file(spec.meta.path)])
                   for spec, key in zip(specs, keys) if key is not None}
    # In the order of page_specs, so output is the same whether pages came from the cache or not.
    ordered = {}
    for spec in specs:
        data = produced[output_file(spec.meta.path)]
        if data is not None:
            ordered[output_file(spec.meta.path)] = data
    return ordered, len(todo)


def _render_to(staging: Staging, site: Site, project: Project, workers: int | None) -> list[str]:
    specs = page_specs(site)
    staging.prepare()  # before the workers fork, so they all write into the same folder
    made = _render_pages(site, project, specs, workers, staging)
    return [name for name in (output_file(spec.meta.path) for spec in specs) if name in made]


def _render_pages(site: Site, project: Project, specs: list[PageSpec], workers: int | None,
                  staging: Staging | None = None) -> dict[str, bytes | None]:
    """Render ``specs`` on the workers: output name -> bytes, or None when a page's code made
    nothing (no sitemap). With ``staging``, each worker writes its pages there and only the
    names come back (with None for bytes)."""
    todo = sorted(specs, key=_site_wide_first)
    renderer = Renderer(site, project, [spec.template for spec in todo if spec.template])
    made = dict(map_chunks(_render_chunk, (renderer, todo, staging), len(todo), workers=workers))
    return {name: made.get(name) for name in (output_file(spec.meta.path) for spec in todo)
            if staging is None or name in made}


def _site_wide_first(spec: PageSpec) -> bool:
    """Site-wide pages (indexes, timeline, feed) are the slowest: they go first, so no worker is
    left with one of them at the end while the other idles."""
    return spec.kind in ("article", "actor", "vote")


def _render_chunk(shared: tuple[Renderer, list[PageSpec], Staging | None],
                  indices: Sequence[int]) -> list[tuple[str, bytes | None]]:
    """Render some pages, putting them in the staging folder if there is one; runs in worker
    processes for large sites."""
    renderer, specs, staging = shared
    made: list[tuple[str, bytes | None]] = []
    for index in indices:
        data = renderer.render_one(specs[index], Report())
        if data is not None:
            name = output_file(specs[index].meta.path)
            if staging is not None:
                staging.put(name, data)
            made.append((name, None if staging is not None else data))
    return made


def _template_stamps(project: Project, cache: BuildCache, names: list[str]) -> dict[str, object]:
    """template_stamps, parsed again only when a file in a template folder changed."""
    listing = (tuple(dict.fromkeys(names)),
               tuple((str(path), *_stamp(path)) for folder in project.template_dirs if folder.is_dir()
                     for path in sorted(folder.rglob("*")) if path.is_file()))
    if cache.templates is None or cache.templates[0] != listing:
        cache.templates = (listing, template_stamps(project, names))
    return cache.templates[1]


def _page_key(page_inputs: PageInputs, spec: PageSpec, whole: int, bodies: int, template: object) -> int | None:
    if template is None:
        return None  # its template cannot be read or parsed: render, so the error is reported
    inputs = page_inputs(spec.kind, spec.key)
    if inputs is not None:
        return hash((inputs, template))
    # Indexes, home, feeds: they may show anything of the site.
    return hash((spec.template, spec.meta, spec.kind, whole, bodies if spec.kind in WITH_BODIES else None, template))


def write(project: Project, result: BuildResult, cache: BuildCache | None = None, *,
          search: bool = True) -> list[str] | None:
    """Write the site: into a staging folder swapped in whole, or, with a cache that knows
    what the last write left in the folder, only the files that changed.

    Returns the names of the files changed in place, or None when the whole site was written.
    ``search`` False leaves the search index to the caller (the preview server indexes after
    the browser has reloaded, so an edit shows without waiting for it)."""
    extra = _extra_files(project)
    static = static_files(project)
    if cache is not None and cache.written is not None and project.out_dir.is_dir():
        changed: list[str] | None = update_site(result.outputs, static, project.out_dir, cache.written, extra)
        if changed and search:
            update_index(project, cache, changed)
    else:
        changed = None
        write_site(result.outputs, static, project.out_dir, extra,
                   before_swap=(lambda folder: index_site(folder, project)) if search else None)
        if cache is not None:
            cache.search_layout = layout(project.out_dir) if search else None
    if cache is not None:
        cache.written = {**result.outputs, **extra,
                         **{name: path.read_bytes() for name, path in static.items()}}
    return changed


def update_index(project: Project, cache: BuildCache, changed: list[str] | None,
                 cancel: threading.Event | None = None) -> bool:
    """Bring the search index of the output folder up to date after the files named in
    ``changed`` (None: any) were written: only the bundles holding them are indexed again.
    False if cancelled."""
    folder = project.out_dir
    stale = None if changed is None else stale_bundles(folder, changed, cache.search_layout)
    if not index_site(folder, project, cancel, only=stale):  # what it removed is missing: stale next time
        return False
    cache.search_layout = layout(folder)
    return True


def _extra_files(project: Project) -> dict[str, bytes]:
    extra = {".nojekyll": b""}
    if project.config.deploy.cname:
        extra["CNAME"] = project.config.deploy.cname.encode("utf-8") + b"\n"
    return extra
