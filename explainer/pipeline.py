"""The build as named stages; the only module that knows their order.

configure (config.py) -> load -> validate -> link -> render -> write
``build`` runs load to render and returns data; ``write`` is separate so that ``check`` is a
build without writing, and tests can assert on outputs without touching the disk.

Every stage goes through one ``BuildCache`` (buildcache.py) when the caller keeps one: the
preview holds it in memory, ``build`` loads it from ``.explainer-cache/`` and saves it back
(persist.py). The same stages, the same page choice (incremental.py) and the same writer
serve both; only where unchanged pages come from differs (memory, or the site on disk).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import persist, quickedit
from .buildcache import BuildCache, HeapFreezer, Linked, PageRecord, changed_since_read
from .config import Project
from .errors import ContentError, Report
from .freshness import output_stamps
from .incremental import Rendering, render_site
from .link import LinkState, link
from .linkcheck import check_site_links
from .outdir import MARKER
from .pages import page_specs
from .publish import Publication, Withheld, now_utc, withhold
from .reading import load_and_parse
from .redirects import check_record, redirects
from .resolved import Site
from .result import BuildResult, Clock
from .search import BUNDLE_DIR, index_site, layout, stale_bundles
from .static import static_files
from .urls import Urls
from .validate import Content, Parsed, merge
from .write import Staging, finish_site, update_site, write_site

_Clock = Clock  # benchmarks/profile_build.py puts a clock that also counts CPU time here

__all__ = ["BuildCache", "BuildResult", "HeapFreezer", "PageRecord", "build", "build_and_write",
           "changed_since_read", "update_index", "write"]


def build(project: Project, *, strict: bool = False, cache: BuildCache | None = None,
          staging: Staging | None = None, changed: Collection[str] | None = None,
          publication: Publication | None = None) -> BuildResult:
    """Read, validate, link and render the whole site.

    Raises ContentError (carrying every diagnostic) if any stage found an error, or a warning
    under ``strict``. With a ``cache``, only what changed since its last build is redone.
    ``publication`` says when the build happens and whether held content (drafts, embargoes) is
    shown: by default now, and as the project says (the preview shows it).
    With ``staging`` (see ``build_and_write``), pages are put there by whichever process
    renders them instead of being returned in ``outputs``.

    ``changed``, with a cache, names every input file (content, template, config) that may
    have changed since the cache's last build started; None: any may have. The preview server
    knows it from its file watcher. When only existing articles' text or existing quotes
    changed, the build takes a fast path that does work in proportion to what the edit touches.
    """
    one_off = cache is None
    cache = cache if cache is not None else BuildCache(keep_pages=False)
    quick = _quick_edit(project, cache, changed, strict)
    if quick is not None:
        return quick
    _forget_changed(project, cache, changed)
    publication = publication or Publication(now_utc(), show_held=project.show_held)
    report, clock = Report(), _Clock()
    with _stages_frozen(cache.heap, keep=not one_off) as stage_done:
        parsed = load_and_parse(project.root, cache, report)
        stage_done(clock, "load")
        content, withheld = _validate(parsed, publication, report)
        stage_done(clock, "validate")
        site, state = _link(project, content, withheld, publication, cache, report)
        stage_done(clock, "link")
        if report.failed(strict):
            raise ContentError("the content has errors", report)
        # The preview keeps the model for its fast path; anything else lets it go before rendering.
        linked = Linked(content, site, state, [], {}) if staging is None and cache.keep_pages else None
        # The validated content holds every article's Markdown too (24 MiB at 5,000 articles).
        held, next_release = withheld.held, withheld.next_release
        del parsed, content, state, withheld
        _lighten(project, site, cache, one_off, staging)
        with _reported_with(report):
            rendering = _render(project, site, cache, staging)
        if linked is not None:
            linked.specs, linked.outputs = rendering.specs, dict(rendering.outputs)
            cache.linked = linked
        clock.lap("render")
    return BuildResult(outputs=rendering.outputs, files=rendering.files, report=report, site=site,
                       rendered=len(rendering.rendered), rendered_files=rendering.rendered,
                       changed=rendering.changed, kept=rendering.kept, timings=clock.laps, held=held,
                       next_release=next_release)


def _quick_edit(project: Project, cache: BuildCache, changed: Collection[str] | None,
                strict: bool) -> BuildResult | None:
    """The fast path (quickedit.py) when the edit allows it; the cache's model of the site is
    kept only by a build that succeeds."""
    linked, cache.linked = cache.linked, None
    if changed is None or linked is None:
        return None
    quick = quickedit.relink_edited(project, cache, linked, [Path(p) for p in changed], strict)
    if quick is not None:
        cache.linked = linked
        if cache.unwritten is not None:
            cache.unwritten.update(quick.touched or ())
    return quick


def _forget_changed(project: Project, cache: BuildCache, changed: Collection[str] | None) -> None:
    """The watcher also sees a rewrite that keeps a file's size and mtime (coarse clocks):
    what it names is read again, whatever its stamp says."""
    cache.unwritten = None
    for path in changed or ():
        cache.documents.pop(Path(path), None)
    if any(Path(path).is_relative_to(folder) for path in changed or () for folder in project.template_dirs):
        cache.templates, cache.environment = None, None


def _validate(parsed: list[Parsed], publication: Publication, report: Report) -> tuple[Content, Withheld]:
    """Merge the parsed files (ids checked across files) and hold back what is not public."""
    withheld = withhold(merge(parsed, report), publication, report)
    return withheld.content, withheld


def _link(project: Project, content: Content, withheld: Withheld, publication: Publication, cache: BuildCache,
          report: Report) -> tuple[Site, LinkState]:
    """Link even after validation errors, so one run reports every problem; references to
    documents that failed are not reported twice. Then the redirects of pages gone."""
    state = LinkState()
    site = link(content, project.config, Urls(project.config.base_url), report, cache.articles, cache.workers, state)
    if publication.show_held:
        site.unpublished = withheld.reasons()
    pages = [spec.meta.path for spec in page_specs(site) if spec.template]
    site.redirects = {r.old: r.target for r in redirects(site, content, pages, report)}
    check_site_links(site, content, state.article_links(), project, report, memo=state.link_checks)
    if not publication.show_held and not report.errors:  # a broken file's page is not gone
        check_record(project.root, pages, site.redirects, report)
    return site, state


def _lighten(project: Project, site: Site, cache: BuildCache, one_off: bool, staging: Staging | None) -> None:
    """Drop what rendering does not need before the render workers fork and inherit it: in a
    one-off build, and in a build to disk with a record (which keeps it on disk meanwhile)."""
    if not one_off and staging is not None:
        persist.set_aside(project, cache)
    if one_off or staging is not None:
        _drop_markdown(site, cache)


def _render(project: Project, site: Site, cache: BuildCache, staging: Staging | None) -> Rendering:
    specs = page_specs(site)
    if staging is not None:
        staging.prepare()  # before the workers fork, so they all write into the same folder
    return render_site(site, project, cache, specs, staging=staging)


def _drop_markdown(site: Site, cache: BuildCache) -> None:
    """Rendering needs only the site, and of each article its rendered HTML (site.bodies):
    what the files were parsed into (with every value's line and column, for error messages)
    and the articles' Markdown (24 MiB at 5,000 articles) are dropped before the render
    workers fork and inherit them (a record keeps them on disk: persist.set_aside)."""
    if cache.set_aside is None:
        cache.documents, cache.articles = {}, {}
    site.articles = {slug: article.without_markdown() for slug, article in site.articles.items()}


def build_and_write(project: Project, *, strict: bool = False, search: bool = True,
                    record: bool = False, from_scratch: bool = False) -> BuildResult:
    """A build straight to disk: the same files as ``build`` then ``write``, but each page is
    written by the worker that rendered it, so no process holds the whole site.

    ``record`` (the ``build`` and ``deploy`` commands): start from the record of the last build
    in ``.explainer-cache/`` (persist.py) and leave one for the next: only pages whose reads
    changed are rendered, the others are taken from the site being replaced, and only the
    search bundles holding changed pages are indexed again. ``from_scratch`` (``build --force``):
    render everything, and record it for the next build."""
    started = time.time_ns()
    cache = ((None if from_scratch else persist.load(project)) or BuildCache()) if record else None
    try:
        with Staging(project.out_dir) as staging:
            result = build(project, strict=strict, cache=cache, staging=staging)
            clock = _Clock()
            unchanged = cache is not None and cache.from_record and _same_on_disk(project, result, cache, search)
            if not unchanged:
                _finish(project, staging, result, cache, search)
            clock.lap("write")
            result.timings.update(clock.laps)
        if cache is not None and not (unchanged and cache.record_current and not result.rendered):
            persist.save(project, cache, started)
    finally:
        if cache is not None:
            persist.discard(cache)
    return result


def _same_on_disk(project: Project, result: BuildResult, cache: BuildCache, search: bool) -> bool:
    """Whether the output folder already is this build's site, as the record (which ``cache``
    comes from) found it: no page
    changed, none gone, the static and extra files the same, the search index whole (or, without
    search, absent), nothing else there. Then there is nothing to write or swap."""
    if result.changed != [] or cache.damaged or \
            (cache.search_layout is not None) != search or (project.out_dir / BUNDLE_DIR).is_dir() != search:
        return False
    files = {**{name: path.read_bytes() for name, path in static_files(project).items()}, **_extra_files(project)}
    expected = {*result.files, *files, MARKER}
    found = {name for name in cache.on_disk if not name.startswith(f"{BUNDLE_DIR}/")}
    return found == expected and all(_holds(project.out_dir / name, data) for name, data in files.items()
                                     if name not in result.files)


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _finish(project: Project, staging: Staging, result: BuildResult, cache: BuildCache | None, search: bool) -> None:
    """The writer's last step for every command: the pages not in staging yet (the unchanged
    ones, linked from the site being replaced; the others from memory), the static and extra
    files, the search index, then the swap."""
    kept = set(result.kept)
    for name in result.files:
        if name in kept:
            staging.link(name, project.out_dir / name)
        elif name in result.outputs:
            staging.put(name, result.outputs[name])
    def before_swap(folder: Path) -> None:
        if search:
            _index(folder, project, cache, result.changed, staging)
        elif cache is not None:
            cache.search_layout = None
        if cache is not None:
            # The files as swapped in (a rename keeps their stamps): were another build to
            # swap its site in meanwhile, the record would not take its files for ours.
            cache.written_stamps = output_stamps(folder)

    finish_site(staging, result.files, static_files(project), _extra_files(project), before_swap)


def _index(folder: Path, project: Project, cache: BuildCache | None, changed: list[str] | None,
           staging: Staging) -> None:
    """Index the staged site for search: every bundle, or, with a record of the last index, only
    the bundles holding changed pages (the others are taken from the site being replaced)."""
    if cache is None or changed is None or cache.search_layout is None:
        indexed = index_site(folder, project)
    else:
        for name in cache.search_layout:
            if name not in cache.damaged and (project.out_dir / BUNDLE_DIR / name).is_dir():
                staging.link_tree(f"{BUNDLE_DIR}/{name}", project.out_dir / BUNDLE_DIR / name)
        indexed = index_site(folder, project, only=stale_bundles(folder, changed, cache.search_layout))
    if cache is not None:
        cache.search_layout = indexed
        cache.damaged = set()


@contextmanager
def _reported_with(report: Report) -> Iterator[None]:
    """Errors of rendering reported together with the earlier stages' warnings (issue #19,
    item 4: a template error alone used to hide them)."""
    try:
        yield
    except ContentError as exc:
        raise ContentError(str(exc), Report([*report.diagnostics, *exc.report.diagnostics])) from None


@contextmanager
def _stages_frozen(heap: HeapFreezer, keep: bool) -> Iterator[Callable[[Clock, str], None]]:
    """Freeze each finished stage's objects for the rest of the build (and time the stage).

    The cyclic collector's full passes walk every live object, and a build makes millions that
    live until it ends: at 5,000 articles those passes were a third of an edit's relinking.
    Frozen objects are skipped. A one-off build unfreezes them all when it ends; a build whose
    cache is kept (the preview server) leaves them frozen in the cache's ``heap``, so that a
    full pass does not stall a later quick rebuild for half a second: they are unfrozen when
    the next full build of that cache starts (cyclic garbage among them is collected then), or
    when its holder calls ``heap.release()``.
    """
    heap.release()
    succeeded = False

    def done(clock: Clock, stage: str) -> None:
        heap.freeze()
        clock.lap(stage)

    try:
        yield done
        succeeded = True
    finally:
        if not (keep and succeeded):
            heap.release()


def write(project: Project, result: BuildResult, cache: BuildCache | None = None, *,
          search: bool = True) -> list[str] | None:
    """Write the site: into a staging folder swapped in whole, or, with a cache that knows
    what the last write left in the folder, only the files that changed.

    Returns the names of the files changed in place, or None when the whole site was written.
    ``search`` False leaves the search index to the caller (the preview server indexes after
    the browser has reloaded, so an edit shows without waiting for it)."""
    extra = _extra_files(project)
    static = static_files(project)
    from_record = cache is not None and cache.from_record
    if cache is not None:
        cache.from_record = False  # written from now on (or, failing, not to be trusted)
        cache.written_stamps = None  # set again by a write through staging
    if cache is not None and cache.unwritten is None:
        # Compared with the folder and remembered below: read once. A rendered file wins over a
        # static one of the same name, as in finish_site.
        extra = {**extra, **{name: path.read_bytes() for name, path in static.items() if name not in result.outputs}}
        static = {}
    if cache is not None and cache.written is not None and project.out_dir.is_dir():
        changed: list[str] | None = update_site(result.outputs, static, project.out_dir, cache.written, extra,
                                                only=cache.unwritten)
        if changed and search:
            update_index(project, cache, changed)
    elif cache is not None and from_record and result.changed is not None:
        # The first write of a preview started on a recorded build: unchanged pages are the
        # files already there, and only the bundles holding changed pages are indexed again.
        changed = None
        if not _same_on_disk(project, result, cache, search):
            with Staging(project.out_dir) as staging:
                _finish(project, staging, result, cache, search)
    else:
        changed = None
        write_site(result.outputs, static, project.out_dir, extra,
                   before_swap=(lambda folder: index_site(folder, project)) if search else None)
        if cache is not None:
            cache.search_layout = layout(project.out_dir) if search else None
    if cache is not None and cache.unwritten is not None and cache.written is not None:
        for name in cache.unwritten:
            if name in result.outputs:
                cache.written[name] = result.outputs[name]
            else:
                cache.written.pop(name, None)
    elif cache is not None:
        cache.written = {**result.outputs, **extra}
    if cache is not None:
        cache.unwritten = set()
    return changed


def update_index(project: Project, cache: BuildCache, changed: list[str] | None,
                 cancel: threading.Event | None = None) -> bool:
    """Bring the search index of the output folder up to date after the files named in
    ``changed`` (None: any) were written: only the bundles holding them are indexed again.
    False if cancelled."""
    folder = project.out_dir
    stale = None if changed is None else stale_bundles(folder, changed, cache.search_layout)
    indexed = index_site(folder, project, cancel, only=stale)
    if indexed is None:  # cancelled: what it removed is missing, so stale next time
        return False
    cache.search_layout = indexed
    return True


def _extra_files(project: Project) -> dict[str, bytes]:
    extra = {".nojekyll": b""}
    if project.config.deploy.cname:
        extra["CNAME"] = project.config.deploy.cname.encode("utf-8") + b"\n"
    return extra
