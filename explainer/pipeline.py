"""The build as named stages; the only module that knows their order.

configure (config.py) -> load -> validate -> link -> render -> write
``build`` runs load to render and returns data; ``write`` is separate so that ``check`` is a
build without writing, and tests can assert on outputs without touching the disk.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import archives
from .changes import SiteState, site_parts
from .config import Project
from .errors import ContentError, Diagnostic, Report
from .kinds import KINDS
from .link import LinkState, link, relink
from .linkcheck import check_site_links
from .load import is_content_file, load_file, source_files
from .model import Quote
from .pages import PageSpec, page_specs
from .parallel import map_chunks
from .publish import Held, Publication, now_utc, withhold
from .record import Key, Recorder
from .redirects import check_record, redirects
from .references import check_quote
from .render import Renderer, TemplateEnvironment, make_environment, page_problems, template_stamps
from .resolved import Article, Site
from .search import index_site, layout, stale_bundles
from .static import static_files
from .urls import Urls, output_file
from .validate import Content, Parsed, merge, parse_document
from .write import Staging, finish_site, update_site, write_site


@dataclass
class BuildResult:
    outputs: dict[str, bytes] = field(default_factory=dict)  # empty when pages went straight to staging
    files: list[str] = field(default_factory=list)  # every rendered output, in order
    report: Report = field(default_factory=Report)
    # With a cache, the next build may update this site in place; without one (a one-off build)
    # its articles come without their Markdown (Article.without_markdown).
    site: Site | None = None
    rendered: int = 0  # pages actually rendered (the rest came from the cache)
    rendered_files: list[str] = field(default_factory=list)  # their names
    # The outputs the fast path rendered again (None: a full build, any output may differ).
    touched: list[str] | None = None
    # Seconds per stage, for benchmarks: "load" reads and validates each changed file on its own,
    # "validate" merges them and checks ids across files.
    timings: dict[str, float] = field(default_factory=dict)
    held: list[Held] = field(default_factory=list)  # drafts and embargoed content (publish.py)
    next_release: dt.datetime | None = None  # the earliest embargo end: a later build publishes more


Stamp = tuple[int, int]
# Below this many files to read, forking and sending the parsed files back costs more than
# parsing them on two cores saves (measured on the benchmark corpora).
PARALLEL_LOAD_FILES = 1000


@dataclass(frozen=True)
class PageRecord:
    """A rendered page or file: what it was rendered as, what it read, and its bytes (None: its
    code made nothing, as the sitemap without a host)."""

    spec: PageSpec
    reads: frozenset[Key]
    data: bytes | None


class HeapFreezer:
    """The cyclic collector's freezing, for builds whose objects live on (see ``_stages_frozen``).

    ``gc.freeze`` is process-wide; this object knows whether it froze, so a build unfreezes
    only what a build of the same cache froze, and ``release`` (or a one-off build) ends it.
    """

    def __init__(self) -> None:
        self.frozen = False

    def freeze(self) -> None:
        gc.freeze()
        self.frozen = True

    def release(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = False


@dataclass
class BuildCache:
    """What one build keeps for the next: parsed files, rendered articles and pages.

    The preview server holds one between rebuilds. Parsed files are keyed by their stamp and
    articles by what they are made from; a page is kept with the keys of the site it read while
    rendering (record.py), and rendered again exactly when one of them changed (changes.py).
    The incremental tests compare with clean builds after edits.
    """

    documents: dict[Path, tuple[Stamp, tuple[Diagnostic, ...], Parsed]] = field(default_factory=dict)
    articles: dict[object, object] = field(default_factory=dict)
    pages: dict[str, PageRecord] = field(default_factory=dict)
    readers: dict[Key, set[str]] = field(default_factory=dict)  # the pages that read each key
    state: SiteState = field(default_factory=SiteState)  # the site the pages were rendered from
    setup: object = None  # the folders the cached pages were rendered with
    written: dict[str, bytes] | None = None  # what the last write put in the output folder
    search_layout: tuple[str, ...] | None = None  # the search bundles of the last complete index
    # (template folders' files, template_stamps)
    templates: tuple[object, dict[str, object]] | None = None
    keep_pages: bool = True  # False for one-off builds: nothing is recorded
    workers: int | None = None  # None: all cores; the preview server builds on one thread
    linked: Linked | None = None  # the last build's model, if it succeeded (see _relink_edited)
    # Outputs the fast path re-rendered since the last write (None: unknown, compare them all):
    # a write that failed, or builds never written, must not leave pages behind.
    unwritten: set[str] | None = None
    # The template environment, kept while the template files are unchanged.
    environment: TemplateEnvironment | None = None
    heap: HeapFreezer = field(default_factory=HeapFreezer)


@dataclass
class Linked:
    """What the last build made, for the fast path of edits to articles' text and to quotes."""

    content: Content
    site: Site
    state: LinkState
    specs: list[PageSpec]  # every page, as page_specs made them (an edit of text changes none)
    outputs: dict[str, bytes]  # as BuildResult.outputs


def build(project: Project, *, strict: bool = False, cache: BuildCache | None = None,
          staging: Staging | None = None, changed: Collection[str] | None = None,
          publication: Publication | None = None) -> BuildResult:
    """Read, validate, link and render the whole site in memory.

    Raises ContentError (carrying every diagnostic) if any stage found an error, or a warning
    under ``strict``. With a ``cache``, only what changed since the last build is redone.
    ``publication`` says when the build happens and whether held content (drafts, embargoes) is
    shown: by default now, and as the project says (the preview shows it).
    With ``staging`` (one-off builds, see ``build_and_write``), pages are put there by
    whichever process renders them instead of being returned in ``outputs``.

    ``changed``, with a cache, names every input file (content, template, config) that may
    have changed since the cache's last build started; None: any may have. The preview server
    knows it from its file watcher. When only existing articles' text or existing quotes
    changed, the build takes a fast path that does work in proportion to what the edit touches.
    """
    one_off = cache is None
    cache = cache if cache is not None else BuildCache(keep_pages=False)
    linked, cache.linked = cache.linked, None  # kept only by a build that succeeds
    if changed is not None and linked is not None:
        quick = _relink_edited(project, cache, linked, [Path(p) for p in changed], strict)
        if quick is not None:
            cache.linked = linked
            if cache.unwritten is not None:
                cache.unwritten.update(quick.touched or ())
            return quick
    cache.unwritten = None
    if changed is not None:
        # The watcher also sees a rewrite that keeps a file's size and mtime (coarse clocks):
        # what it names is read again, whatever its stamp says.
        for path in changed:
            cache.documents.pop(Path(path), None)
        if any(Path(path).is_relative_to(folder) for path in changed for folder in project.template_dirs):
            cache.templates, cache.environment = None, None
    report = Report()
    clock = _Clock()
    with _stages_frozen(cache.heap, keep=not one_off) as stage_done:
        parsed = _load_and_parse(project, cache, report)
        stage_done()
        clock.lap("load")
        content = merge(parsed, report)
        publication = publication or Publication(now_utc(), show_held=project.show_held)
        withheld = withhold(content, publication, report)
        content = withheld.content
        stage_done()
        clock.lap("validate")
        # Link even after validation errors, so one run reports every problem; references to
        # documents that failed are not reported twice.
        state = LinkState()
        site = link(content, project.config, Urls(project.config.base_url), report, cache.articles, cache.workers,
                    state)
        if publication.show_held:
            site.unpublished = withheld.reasons()
        pages = [spec.meta.path for spec in page_specs(site) if spec.template]
        site.redirects = {r.old: r.target for r in redirects(site, content, pages, report)}
        check_site_links(site, content, state.article_links(), static_files(project), report)
        if not publication.show_held and not report.errors:  # a broken file's page is not gone
            check_record(project.root, pages, site.redirects, report)
        stage_done()
        clock.lap("link")
        if report.failed(strict):
            raise ContentError("the content has errors", report)
        if one_off:
            # Rendering needs only the site, and of each article its rendered HTML
            # (site.bodies): what the files were parsed into (with every value's line and
            # column, for error messages) and the articles' Markdown (24 MiB at 5,000 articles)
            # are dropped before the render workers fork and inherit them.
            del parsed, content, state
            cache.documents, cache.articles = {}, {}
            site.articles = {slug: article.without_markdown() for slug, article in site.articles.items()}
        with _reported_with(report):
            if staging is not None:
                files = _render_to(staging, site, project, cache.workers)
                outputs: dict[str, bytes] = {}
                rendered = files
            else:
                specs = page_specs(site)
                outputs, rendered = _render(site, project, cache, specs)
                files = list(outputs)
                if cache.keep_pages:
                    cache.linked = Linked(content, site, state, specs, dict(outputs))
        clock.lap("render")
    return BuildResult(outputs=outputs, files=files, report=report, site=site, rendered=len(rendered),
                       rendered_files=rendered, timings=clock.laps, held=withheld.held,
                       next_release=withheld.next_release)


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
def _reported_with(report: Report) -> Iterator[None]:
    """Errors of rendering reported together with the earlier stages' warnings (issue #19,
    item 4: a template error alone used to hide them)."""
    try:
        yield
    except ContentError as exc:
        raise ContentError(str(exc), Report([*report.diagnostics, *exc.report.diagnostics])) from None


@contextmanager
def _stages_frozen(heap: HeapFreezer, keep: bool) -> Iterator[Callable[[], None]]:
    """Freeze each finished stage's objects for the rest of the build.

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
    try:
        yield heap.freeze
        succeeded = True
    finally:
        if not (keep and succeeded):
            heap.release()


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now


def changed_since_read(cache: BuildCache, project: Project, stamps: Mapping[str, Stamp]) -> list[str]:
    """Content files whose stamp in ``stamps`` (a watcher's stat of every input, taken before
    the build) differs from the one the cache's last build read them at, new content files,
    and files that build read which ``stamps`` lacks."""
    read = {str(path): entry[0] for path, entry in cache.documents.items()}
    content = project.root / "content"
    changed = [path for path, stamp in stamps.items()
               if (path in read and read[path] != stamp) or (path not in read and is_content_file(content, Path(path)))]
    return changed + [path for path in read if path not in stamps]


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
    fresh = map_chunks(_load_chunk, (project.root, [paths[i] for i in todo]), len(todo),
                       workers=cache.workers, min_items=PARALLEL_LOAD_FILES)
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


def _load_chunk(shared: tuple[Path, list[Path]],
                indices: Sequence[int]) -> list[tuple[tuple[Diagnostic, ...], Parsed]]:
    """Read and validate files; runs in worker processes for large sites."""
    root, paths = shared
    results = []
    for index in indices:
        file_report = Report()
        document = load_file(root, paths[index], file_report)
        results.append((tuple(file_report.diagnostics), parse_document(document) if document else Parsed("")))
    return results


def _relink_edited(project: Project, cache: BuildCache, linked: Linked, paths: list[Path],
                     strict: bool) -> BuildResult | None:
    """The fast path for an edit to existing articles' text or to quotes (the preview's common
    cases): only those files are read, and only what they touch is relinked and re-rendered.

    None when the edit is anything else (a new, removed or broken file, front matter, a quote
    added, removed or referring to something missing, actors, votes, templates, config): the
    caller then builds in full. ``linked`` is the last build's model, updated in place; the
    caller keeps it only if this returns a result.
    """
    clock = _Clock()
    if not paths or cache.setup != _setup_stamp(project):
        return None
    content, site = linked.content, linked.site
    content_dir = project.root / "content"
    folders = {content_dir / "articles": ".md", content_dir / "quotes": ".yaml"}
    # Diagnostics of the last build that point into a file (a warning at some line) would need
    # their lines again if it changed: such a file goes the full way.
    pointed_at = {diagnostic.location.path for diagnostic in linked.state.head}
    edited: list[tuple[Path, Stamp, Parsed]] = []
    articles: list[Article] = []
    quotes: list[Quote] = []
    for path in dict.fromkeys(paths):
        if path.is_relative_to(content_dir) and not is_content_file(content_dir, path):
            continue  # watched but never built (content/raw/, editor litter)
        entry = cache.documents.get(path)
        if entry is None or folders.get(path.parent) != path.suffix or not path.is_file() or \
                path.relative_to(project.root).as_posix() in pointed_at:
            return None
        old_parsed = entry[2]
        stamp = _stamp(path)
        diagnostics, parsed = _load_chunk((project.root, [path]), [0])[0]
        if entry[1] or diagnostics or old_parsed.diagnostics or parsed.diagnostics or parsed.broken or \
                [key for key, *_ in parsed.objects] != [key for key, *_ in old_parsed.objects]:
            return None  # a problem, or objects added, removed or renamed: ids are checked across files
        for (key, new, origin), (_, old, _) in zip(parsed.objects, old_parsed.objects):
            if key not in (content.articles if parsed.kind == "article" else content.quotes):
                return None  # held back (a draft, an embargo): publish.py decides, in a full build
            if parsed.kind == "article":
                if repr(new.meta) != repr(old.meta):
                    return None  # front matter: titles, dates and order show on other pages
                articles.append(new)
            elif repr(new) != repr(old):
                checks = Report()
                check_quote(site, new, origin, checks)
                if checks.diagnostics:
                    return None  # reported by a full link, in its place among the others
                quotes.append(new)
        edited.append((path, stamp, parsed))
    changed_objects = {id(obj) for obj in (*articles, *quotes)}
    for path, stamp, parsed in edited:
        cache.documents[path] = (stamp, (), parsed)
        kind = "quote" if parsed.kind == "quotes" else parsed.kind
        for key, obj, origin in parsed.objects:
            content.origins[(kind, key)] = origin  # lines may have moved
            if id(obj) in changed_objects:  # unchanged quotes keep their objects, as the site does
                (content.articles if kind == "article" else content.quotes)[key] = obj
    clock.lap("load")
    paging = archives.paging_signature(site)
    _, report = relink(site, content, linked.state, articles, cache.articles, quotes)
    check_site_links(site, content, linked.state.article_links(), static_files(project), report)
    clock.lap("link")
    if report.failed(strict):
        raise ContentError("the content has errors", report)
    if archives.paging_signature(site) != paging:
        return None  # a list gained or lost a page (an actor's mentions, a quote's date or speaker): a full build
    outputs, names = _render(site, project, cache, linked.specs, linked.outputs)
    clock.lap("render")
    return BuildResult(outputs=outputs, files=list(outputs), report=report, site=site, rendered=len(names),
                       rendered_files=names, timings=clock.laps, touched=names)


def _setup_stamp(project: Project) -> object:
    """What the cached pages' names and bytes rest on besides what they read: the folders, and
    the interface language (read through the template environment's translations, not the site)."""
    return (str(project.out_dir), tuple(str(d) for d in project.template_dirs), project.config.language)


def _render(site: Site, project: Project, cache: BuildCache, specs: list[PageSpec],
            previous: dict[str, bytes] | None = None) -> tuple[dict[str, bytes], list[str]]:
    """Render the pages of ``specs`` that are new, whose spec changed, or that read a key of
    the site that changed since the cache's last build; the others come from the cache.
    Returns every output, in the order of ``specs`` (so output is the same whether pages came
    from the cache or not), and the names rendered.

    ``previous`` (the fast path): the last build's outputs, whose specs were ``specs`` too;
    they are updated in place, and the pages to render are found from the keys that changed
    (``cache.readers``), not by looking at every page."""
    setup = _setup_stamp(project)
    if setup != cache.setup:
        cache.pages, cache.readers, cache.environment, cache.state = {}, {}, None, SiteState()
        cache.templates = None  # their stamps include the language's catalogs
        cache.setup = setup
    if not cache.keep_pages:  # a one-off build: everything, nothing recorded
        made = _render_pages(site, project, specs, cache.workers)
        names = [output_file(spec.meta.path) for spec in specs]
        return {name: data for name in names if (data := made[name][0]) is not None}, names
    changed, state = cache.state.compare(_parts(site, project, cache, [s.template for s in specs if s.template]))
    if previous is not None:
        stale: set[str] = set()
        for key in changed:
            stale.update(cache.readers.get(key, ()))
        todo = [cache.pages[name].spec for name in sorted(stale)]
    else:
        todo = []
        for spec in specs:
            record = cache.pages.get(output_file(spec.meta.path))
            if record is None or record.spec != spec or not record.reads.isdisjoint(changed):
                todo.append(spec)
    made = _render_pages(site, project, todo, cache.workers, environment=_environment(project, cache))
    cache.state = state
    _remember(cache, made, todo, None if previous is not None else specs)
    rendered = list(made)
    if previous is not None:
        for name, (data, _) in made.items():
            if data is None:
                previous.pop(name, None)
            else:
                previous[name] = data
        return dict(previous), rendered  # a copy: the caller may keep the previous build's result
    ordered = {}
    for spec in specs:
        data = cache.pages[output_file(spec.meta.path)].data
        if data is not None:
            ordered[output_file(spec.meta.path)] = data
    return ordered, rendered


def _remember(cache: BuildCache, made: dict[str, tuple[bytes | None, frozenset[Key]]], todo: list[PageSpec],
              specs: list[PageSpec] | None) -> None:
    """Keep the pages just rendered, and which pages read each key; ``specs``: every page of
    a full build (the others are forgotten)."""
    for spec in todo:
        name = output_file(spec.meta.path)
        old = cache.pages.get(name)
        for key in old.reads if old is not None else ():
            cache.readers[key].discard(name)
        data, reads = made[name]
        cache.pages[name] = PageRecord(spec, reads, data)
        for key in reads:
            cache.readers.setdefault(key, set()).add(name)
    if specs is not None and len(cache.pages) != len(specs):
        names = {output_file(spec.meta.path) for spec in specs}
        for name in [name for name in cache.pages if name not in names]:
            for key in cache.pages.pop(name).reads:
                cache.readers[key].discard(name)


def _parts(site: Site, project: Project, cache: BuildCache, templates: list[str]) -> dict[str, Mapping[object, object]]:
    """Everything a page can read (record.py): the site's parts, the templates (each by the
    digests of the files it is made of; one that cannot be parsed is new each time, so its
    pages render again and report it) and the names of the static files."""
    stamps = _template_stamps(project, cache, templates)
    parts: dict[str, Mapping[object, object]] = dict(site_parts(site))
    parts["template"] = {name: stamp if stamp is not None else object() for name, stamp in stamps.items()}
    parts["static"] = dict.fromkeys(static_files(project), True)
    return parts


def _render_to(staging: Staging, site: Site, project: Project, workers: int | None) -> list[str]:
    specs = page_specs(site)
    staging.prepare()  # before the workers fork, so they all write into the same folder
    made = _render_pages(site, project, specs, workers, staging)
    return [name for name in (output_file(spec.meta.path) for spec in specs) if name in made]


def _render_pages(site: Site, project: Project, specs: list[PageSpec], workers: int | None,
                  staging: Staging | None = None,
                  environment: TemplateEnvironment | None = None,
                  ) -> dict[str, tuple[bytes | None, frozenset[Key]]]:
    """Render ``specs`` on the workers: output name -> (bytes, or None when a page's code made
    nothing (no sitemap); the keys of the site it read). With ``staging``, each worker writes
    its pages there and only the names come back (with None for bytes and no keys).
    ``environment``: a template environment to reuse."""
    todo = sorted(specs, key=_slowest_first)
    renderer = Renderer(site, project, [spec.template for spec in todo if spec.template], environment)
    results = map_chunks(_render_chunk, (renderer, todo, staging), len(todo), workers=workers)
    problems = [diagnostic for _, _, _, found in results for diagnostic in found]
    if problems:  # every page's, so that one run reports every template error
        raise ContentError("rendering failed", page_problems(problems))
    made = {name: (data, reads) for name, data, reads, _ in results}
    return {name: made.get(name, (None, frozenset())) for name in (output_file(spec.meta.path) for spec in todo)
            if staging is None or name in made}


def _slowest_first(spec: PageSpec) -> int:
    """The workers take chunks of pages in order: slow pages first (kinds.Kind.render_order;
    the site-wide pages, such as the quotes page at 640 ms, before all), so that the last
    chunks are of quick ones and no worker is left rendering long after the other finished."""
    return next((entry.render_order for entry in KINDS if entry.name == spec.kind), 0)


Rendered = tuple[str, bytes | None, frozenset[Key], tuple[Diagnostic, ...]]


def _render_chunk(shared: tuple[Renderer, list[PageSpec], Staging | None], indices: Sequence[int]) -> list[Rendered]:
    """Render some pages, putting them in the staging folder if there is one; runs in worker
    processes for large sites. Each comes back with what it read of the site (not recorded
    into staging: a one-off build keeps nothing). A page that fails comes back with its
    diagnostics, and the others are rendered all the same."""
    renderer, specs, staging = shared
    made: list[Rendered] = []
    for index in indices:
        name = output_file(specs[index].meta.path)
        recorder, report = Recorder(), Report()
        try:
            if staging is None:
                data = renderer.render_one(specs[index], report, recorder)
                made.append((name, data, recorder.frozen(), ()))
            else:  # a one-off build: nothing to record
                pieces = renderer.render_pieces(specs[index], report)
                if pieces is not None:
                    staging.put(name, pieces)
                    made.append((name, None, frozenset(), ()))
        except ContentError as exc:
            made.append((name, None, frozenset(), tuple(exc.report.diagnostics)))
    return made


def _template_stamps(project: Project, cache: BuildCache, names: list[str]) -> dict[str, object]:
    """template_stamps, parsed again only when a file in a template folder changed."""
    listing = (tuple(dict.fromkeys(names)),
               tuple((str(path), *_stamp(path)) for folder in project.template_dirs if folder.is_dir()
                     for path in sorted(folder.rglob("*")) if path.is_file()))
    if cache.templates is None or cache.templates[0] != listing:
        cache.templates = (listing, template_stamps(project, names))
        cache.environment = None
    return cache.templates[1]


def _environment(project: Project, cache: BuildCache) -> TemplateEnvironment:
    """The template environment of the last build while the setup and the template files are
    unchanged (``_render`` and ``_template_stamps`` forget it): compiling the templates again
    took longer than rendering the pages an edit touches."""
    if cache.environment is None:
        cache.environment = make_environment(project)
    return cache.environment


def write(project: Project, result: BuildResult, cache: BuildCache | None = None, *,
          search: bool = True) -> list[str] | None:
    """Write the site: into a staging folder swapped in whole, or, with a cache that knows
    what the last write left in the folder, only the files that changed.

    Returns the names of the files changed in place, or None when the whole site was written.
    ``search`` False leaves the search index to the caller (the preview server indexes after
    the browser has reloaded, so an edit shows without waiting for it)."""
    extra = _extra_files(project)
    static = static_files(project)
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
