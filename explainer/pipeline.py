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

from .config import PACKAGE_TEMPLATES, Project
from .depends import SOURCE_KINDS, WITH_BODIES, Fingerprints, PageInputs, bodies_digest, index_key, site_parts
from .errors import ContentError, Diagnostic, Report
from .exports import SLICE_OF
from .feeds import newest_articles
from .kinds import KINDS
from .link import LinkState, Touched, check_quote, link, relink
from .load import is_content_file, load_file, source_files
from .model import Article, Quote, Site
from .parallel import map_chunks
from .publish import Held, Publication, now_utc, withhold
from .redirects import check_record, redirects
from .render import (
    PageSpec,
    Renderer,
    TemplateEnvironment,
    make_environment,
    page_problems,
    page_specs,
    static_files,
    template_stamps,
)
from .search import index_site, layout, stale_bundles
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
    # (template folders' files, template_stamps, whether the project has templates of its own)
    templates: tuple[object, dict[str, object], bool] | None = None
    keep_pages: bool = True  # False for one-off builds: no page digests are computed
    workers: int | None = None  # None: all cores; the preview server builds on one thread
    linked: Linked | None = None  # the last build's model, if it succeeded (see _relink_edited)
    # Outputs the fast path re-rendered since the last write (None: unknown, compare them all):
    # a write that failed, or builds never written, must not leave pages behind.
    unwritten: set[str] | None = None
    # The template environment, kept while the template files are unchanged.
    environment: TemplateEnvironment | None = None


@dataclass
class Linked:
    """What the last build made, for the fast path of edits to articles' text and to quotes."""

    content: Content
    site: Site
    state: LinkState
    specs: dict[tuple[str, str], PageSpec]  # (kind, key) of the article, actor and vote pages
    site_wide: list[PageSpec]  # the other pages and files
    outputs: dict[str, bytes]  # as BuildResult.outputs
    # site_parts and bodies_digest of the site as it is, once a relink has needed them
    parts: dict[str, int] | None = None
    bodies: int | None = None
    in_feed: frozenset[str] = frozenset()  # the articles bodies_digest reads


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
    with _stages_frozen(keep=not one_off) as stage_done:
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
                rendered = len(files)
            else:
                outputs, rendered, specs = _render(site, project, cache)
                files = list(outputs)
                if cache.keep_pages:
                    by_source = {(spec.kind, spec.key): spec for spec in specs if spec.kind in SOURCE_KINDS}
                    cache.linked = Linked(content, site, state, by_source,
                                          [spec for spec in specs if spec.kind not in SOURCE_KINDS], dict(outputs))
        clock.lap("render")
    return BuildResult(outputs=outputs, files=files, report=report, site=site, rendered=rendered,
                       timings=clock.laps, held=withheld.held, next_release=withheld.next_release)


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
def _stages_frozen(keep: bool) -> Iterator[Callable[[], None]]:
    """Freeze each finished stage's objects for the rest of the build.

    The cyclic collector's full passes walk every live object, and a build makes millions that
    live until it ends: at 5,000 articles those passes were a third of an edit's relinking.
    Frozen objects are skipped. A one-off build unfreezes them all when it ends; a build whose
    cache is kept (the preview server) leaves them frozen, so that a full pass does not stall a
    later quick rebuild for half a second: they are unfrozen when the next full build starts,
    and cyclic garbage among them is collected then, so the preview leaks nothing lasting.
    """
    gc.unfreeze()
    succeeded = False
    try:
        yield gc.freeze
        succeeded = True
    finally:
        if keep and succeeded:
            gc.freeze()
        else:
            gc.unfreeze()


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
    touched, report = relink(site, content, linked.state, articles, cache.articles, quotes)
    clock.lap("link")
    if report.failed(strict):
        raise ContentError("the content has errors", report)
    outputs, names, rendered = _render_touched(site, project, cache, linked, touched)
    clock.lap("render")
    return BuildResult(outputs=outputs, files=list(outputs), report=report, site=site, rendered=rendered,
                       timings=clock.laps, touched=names)


def _render_touched(site: Site, project: Project, cache: BuildCache, linked: Linked,
                    touched: Touched) -> tuple[dict[str, bytes], list[str], int]:
    """Page keys for the pages a relink touched and the site-wide ones; the others' inputs are
    unchanged. Renders those whose key changed; returns all outputs, the names re-rendered."""
    touched_keys = {"article": sorted(touched.articles), "actor": sorted(touched.actors), "vote": sorted(touched.votes)}
    specs = [linked.specs[(kind, key)] for kind in SOURCE_KINDS for key in touched_keys[SLICE_OF.get(kind, kind)]
             if (kind, key) in linked.specs]
    specs += linked.site_wide
    # Front matter is unchanged, so the feed's articles are the same; the rest of the site
    # digest changes only when a relink says so.
    if linked.parts is None or touched.site_wide:
        linked.parts = site_parts(site, cache.fingerprints)
    if linked.bodies is None or touched.articles & linked.in_feed:
        linked.bodies = bodies_digest(site)
        linked.in_feed = frozenset(slug for slug, _ in newest_articles(site))
    parts, bodies = linked.parts, linked.bodies
    inputs = PageInputs(site, cache.fingerprints)
    assert cache.templates is not None  # a full build with a cache came first
    _, templates, own = cache.templates
    todo = []
    for spec in specs:
        key = _page_key(inputs, spec, parts, own, bodies, templates.get(spec.template, ()))
        name = output_file(spec.meta.path)
        cached = cache.pages.get(name)
        if key is None or cached is None or cached[0] != key:
            todo.append((spec, key))
    made = _render_pages(site, project, [spec for spec, _ in todo], 1, environment=_environment(project, cache))
    outputs = linked.outputs
    names = []
    for spec, key in todo:
        name = output_file(spec.meta.path)
        data = made[name]
        if key is not None:
            cache.pages[name] = (key, data)
        if data is None:
            outputs.pop(name, None)
        else:
            outputs[name] = data
        names.append(name)
    return dict(outputs), names, len(todo)  # a copy: the caller may keep the previous build's result


def _setup_stamp(project: Project) -> object:
    """What every page depends on: a change here re-renders everything (templates are per page)."""
    return (repr(project.config), str(project.out_dir), tuple(str(d) for d in project.template_dirs))


def _render(site: Site, project: Project, cache: BuildCache) -> tuple[dict[str, bytes], int, list[PageSpec]]:
    setup = _setup_stamp(project)
    if setup != cache.setup:
        cache.pages, cache.environment = {}, None
        cache.setup = setup
    specs = page_specs(site)
    keys: list[int | None] = [None] * len(specs)
    if cache.keep_pages:
        parts = site_parts(site, cache.fingerprints)
        bodies = bodies_digest(site)
        inputs = PageInputs(site, cache.fingerprints)
        templates, own = _template_stamps(project, cache, [spec.template for spec in specs if spec.template])
        keys = [_page_key(inputs, spec, parts, own, bodies, templates.get(spec.template, ())) for spec in specs]
    produced: dict[str, bytes | None] = {}  # None: the page's code decided to write nothing (no sitemap)
    todo = []
    for spec, key in zip(specs, keys):
        path = output_file(spec.meta.path)
        cached = cache.pages.get(path)
        if key is not None and cached is not None and cached[0] == key:
            produced[path] = cached[1]
        else:
            todo.append(spec)
    environment = _environment(project, cache) if cache.keep_pages else None
    produced.update(_render_pages(site, project, todo, cache.workers, environment=environment))
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
    return ordered, len(todo), specs


def _render_to(staging: Staging, site: Site, project: Project, workers: int | None) -> list[str]:
    specs = page_specs(site)
    staging.prepare()  # before the workers fork, so they all write into the same folder
    made = _render_pages(site, project, specs, workers, staging)
    return [name for name in (output_file(spec.meta.path) for spec in specs) if name in made]


def _render_pages(site: Site, project: Project, specs: list[PageSpec], workers: int | None,
                  staging: Staging | None = None,
                  environment: TemplateEnvironment | None = None) -> dict[str, bytes | None]:
    """Render ``specs`` on the workers: output name -> bytes, or None when a page's code made
    nothing (no sitemap). With ``staging``, each worker writes its pages there and only the
    names come back (with None for bytes). ``environment``: a template environment to reuse."""
    todo = sorted(specs, key=_slowest_first)
    renderer = Renderer(site, project, [spec.template for spec in todo if spec.template], environment)
    results = map_chunks(_render_chunk, (renderer, todo, staging), len(todo), workers=workers)
    problems = [diagnostic for _, _, found in results for diagnostic in found]
    if problems:  # every page's, so that one run reports every template error
        raise ContentError("rendering failed", page_problems(problems))
    made = {name: data for name, data, _ in results}
    return {name: made.get(name) for name in (output_file(spec.meta.path) for spec in todo)
            if staging is None or name in made}


def _slowest_first(spec: PageSpec) -> int:
    """The workers take chunks of pages in order: slow pages first (kinds.Kind.render_order;
    the site-wide pages, such as the quotes page at 640 ms, before all), so that the last
    chunks are of quick ones and no worker is left rendering long after the other finished."""
    return next((entry.render_order for entry in KINDS if entry.name == spec.kind), 0)


def _render_chunk(shared: tuple[Renderer, list[PageSpec], Staging | None],
                  indices: Sequence[int]) -> list[tuple[str, bytes | None, tuple[Diagnostic, ...]]]:
    """Render some pages, putting them in the staging folder if there is one; runs in worker
    processes for large sites. A page that fails comes back with its diagnostics, and the
    others are rendered all the same."""
    renderer, specs, staging = shared
    made: list[tuple[str, bytes | None, tuple[Diagnostic, ...]]] = []
    for index in indices:
        name = output_file(specs[index].meta.path)
        report = Report()
        try:
            if staging is None:
                data = renderer.render_one(specs[index], report)
                if data is not None:
                    made.append((name, data, ()))
            else:
                pieces = renderer.render_pieces(specs[index], report)
                if pieces is not None:
                    staging.put(name, pieces)
                    made.append((name, None, ()))
        except ContentError as exc:
            made.append((name, None, tuple(exc.report.diagnostics)))
    return made


def _template_stamps(project: Project, cache: BuildCache, names: list[str]) -> tuple[dict[str, object], bool]:
    """template_stamps, parsed again only when a file in a template folder changed, and whether
    the project has templates of its own."""
    listing = (tuple(dict.fromkeys(names)),
               tuple((str(path), *_stamp(path)) for folder in project.template_dirs if folder.is_dir()
                     for path in sorted(folder.rglob("*")) if path.is_file()))
    if cache.templates is None or cache.templates[0] != listing:
        own = project.templates_dir.resolve() != PACKAGE_TEMPLATES.resolve() and any(
            path.suffix == ".html" for path in project.templates_dir.rglob("*"))
        cache.templates = (listing, template_stamps(project, names), own)
        cache.environment = None
    return cache.templates[1], cache.templates[2]


def _environment(project: Project, cache: BuildCache) -> TemplateEnvironment:
    """The template environment of the last build while the setup and the template files are
    unchanged (``_render`` and ``_template_stamps`` forget it): compiling the templates again
    took longer than rendering the pages an edit touches."""
    if cache.environment is None:
        cache.environment = make_environment(project)
    return cache.environment


def _page_key(page_inputs: PageInputs, spec: PageSpec, parts: dict[str, int], own_templates: bool, bodies: int,
              template: object) -> int | None:
    if template is None:
        return None  # its template cannot be read or parsed: render, so the error is reported
    inputs = page_inputs(spec.kind, spec.key)
    if inputs is not None:
        return hash((inputs, template))
    # Indexes, home, feeds: keyed on the parts of the site they show.
    site_wide = index_key(parts, spec.template or spec.kind, own_templates)
    return hash((spec.template, spec.meta, spec.kind, site_wide, bodies if spec.kind in WITH_BODIES else None,
                 template))


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
