"""Which pages a build renders: the new ones, those whose spec changed, and those that read a key
of the site that changed since the cache's last build (record.py, changes.py); the others come
from the cache, in memory (the preview) or as the files already in the output folder (``build``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from .buildcache import BuildCache, PageRecord, setup_stamp
from .changes import site_parts
from .config import Project
from .fsguard import UnsafePath, read_regular
from .pagejobs import Made, render_pages
from .pages import PageSpec
from .reading import file_digest
from .record import MEMO
from .render import TemplateEnvironment, make_environment, template_stamps
from .resolved import Site
from .static import static_files
from .urls import output_file
from .write import Staging

_NONE = b"none"  # the digest of no page at all (never a real digest: those are 16 bytes)
MAX_PAGE_BYTES = 1 << 31


@dataclass
class Rendering:
    """What rendering made of the site's pages."""

    files: list[str] = field(default_factory=list)  # every output made, in the order of the specs
    outputs: dict[str, bytes] = field(default_factory=dict)  # their bytes ({} when rendered into staging)
    rendered: list[str] = field(default_factory=list)  # rendered by this build; the others were kept
    changed: list[str] | None = None  # outputs made, changed or gone since the cache's build; None: any
    # Outputs unchanged since the cache's build: into staging, to take from the output folder
    # (which holds them as the cache's build left them, if the cache comes from its record).
    kept: list[str] = field(default_factory=list)
    specs: list[PageSpec] = field(default_factory=list)  # every page, as rendered or kept


def render_site(site: Site, project: Project, cache: BuildCache, specs: list[PageSpec], *,
                staging: Staging | None = None, previous: dict[str, bytes] | None = None) -> Rendering:
    """Render the pages of ``specs`` that the cache does not hold as they are now.

    With ``staging``, rendered pages are written there by the workers, and ``kept`` names the
    pages to take from the output folder. Otherwise ``outputs`` holds every page's bytes in the
    order of ``specs`` (so output is the same whether pages came from the cache or not).
    ``previous`` (the fast path, quickedit.py): the last build's outputs, whose specs were
    ``specs`` too; they are updated in place, and the pages to render are found from the keys
    that changed (``cache.reader_index``), not by looking at every page."""
    if cache.setup != setup_stamp(project):
        cache.forget_pages()
        cache.setup = setup_stamp(project)
    if not cache.keep_pages:  # a one-off build: everything, nothing recorded
        made = render_pages(site, project, specs, cache.workers, staging=staging).pages
        files = [name for name, page in made.items() if page.digest is not None]
        return Rendering(files, {name: page.data for name, page in made.items() if page.data is not None},
                         list(made), specs=specs)
    changed_keys, state = cache.state.compare(_parts(site, project, cache, [s.template for s in specs if s.template]))
    # Keys no page read: none. Then the memos that read a changed key (record.Memo).
    changed = cache.expand({cache.key_ids[key] for key in changed_keys if key in cache.key_ids})
    if previous is not None:
        stale: set[str] = set()
        readers = cache.reader_index()
        for key in changed:
            stale.update(readers.get(key, ()))
        todo = [cache.pages[name].spec for name in sorted(stale)]
    else:
        todo = [spec for spec in specs if _outdated(cache, project, spec, changed, staging is None)]
    before = {name: record.digest for name in map(output_file, (s.meta.path for s in todo))
              if (record := cache.pages.get(name)) is not None}
    renders = render_pages(site, project, todo, cache.workers, staging=staging,
                           environment=_environment(project, cache), ids=cache.ids)
    made = renders.pages
    cache.state = state
    for memo, reads in renders.memos.items():
        cache.memo_reads[cache.key_id((MEMO, memo))] = reads
    gone = _remember(cache, made, todo, None if previous is not None else specs)
    differ = [name for name, page in made.items() if before.get(name, _NONE) != page.digest] + gone
    if previous is not None:
        for name, page in made.items():
            if page.data is None:
                previous.pop(name, None)
            else:
                previous[name] = page.data
        # A copy of ``previous``: the caller may keep it.
        return Rendering(list(previous), dict(previous), list(made), differ, specs=specs)
    files = [name for name in map(output_file, (s.meta.path for s in specs)) if cache.pages[name].digest is not None]
    if staging is not None:
        return Rendering(files, {}, list(made), differ, [name for name in files if name not in made], specs)
    same = set(files).difference(differ)
    return Rendering(files, {name: _data(cache.pages[name]) for name in files}, list(made), differ,
                     [name for name in files if name in same], specs)


def _outdated(cache: BuildCache, project: Project, spec: PageSpec, changed: set[int], in_memory: bool) -> bool:
    """Whether a page must render: new, its spec changed, it read a key that changed, or its
    bytes are wanted in memory and only the output folder has them (and no longer can give them)."""
    name = output_file(spec.meta.path)
    record = cache.pages.get(name)
    if record is None or record.spec != spec or not changed.isdisjoint(record.reads):
        return True
    if in_memory and record.data is None and record.digest is not None:
        try:
            data = read_regular(project.out_dir / name, MAX_PAGE_BYTES)
        except (UnsafePath, OSError):
            return True
        cache.pages[name] = PageRecord(record.spec, record.reads, record.digest, data)
    return False


def _data(record: PageRecord) -> bytes:
    assert record.data is not None
    return record.data


def _remember(cache: BuildCache, made: dict[str, Made], todo: list[PageSpec],
              specs: list[PageSpec] | None) -> list[str]:
    """Keep the pages just rendered, and which pages read each key; ``specs``: every page of
    a full build (the others are forgotten, and returned if they had made a file)."""
    readers = cache.readers  # kept up to date once made
    for spec in todo:
        name = output_file(spec.meta.path)
        old = cache.pages.get(name)
        page = made[name]
        record = cache.pages[name] = PageRecord(spec, page.reads, page.digest, page.data)
        if readers is not None:
            for key in old.reads if old is not None else ():
                readers[key].discard(name)
            for key in record.reads:
                readers.setdefault(key, set()).add(name)
    gone: list[str] = []
    if specs is not None and len(cache.pages) != len(specs):
        names = {output_file(spec.meta.path) for spec in specs}
        for name in [name for name in cache.pages if name not in names]:
            record = cache.pages.pop(name)
            if readers is not None:
                for key in record.reads:
                    readers[key].discard(name)
            if record.digest is not None:
                gone.append(name)
    return gone


def _parts(site: Site, project: Project, cache: BuildCache, templates: list[str]) -> dict[str, Mapping[object, object]]:
    """Everything a page can read (record.py): the site's parts, the templates (each by the
    digests of the files it is made of; one that cannot be parsed is new each time, so its
    pages render again and report it) and the names of the static files."""
    stamps = _template_stamps(project, cache, templates)
    parts: dict[str, Mapping[object, object]] = dict(site_parts(site))
    parts["template"] = {name: stamp if stamp is not None else os.urandom(16) for name, stamp in stamps.items()}
    parts["static"] = dict.fromkeys(static_files(project), True)
    return parts


def _template_stamps(project: Project, cache: BuildCache, names: list[str]) -> dict[str, object]:
    """template_stamps, parsed again only when a file in a template folder changed: the files
    are compared by a digest of their bytes (a few dozen small files), so that a record from
    another process can be trusted too (persist.py)."""
    listing = (tuple(dict.fromkeys(names)),
               tuple((str(path), file_digest(path)) for folder in project.template_dirs if folder.is_dir()
                     for path in sorted(folder.rglob("*")) if path.is_file()))
    if cache.templates is None or cache.templates[0] != listing:
        cache.templates = (listing, template_stamps(project, names))
        cache.environment = None
    return cache.templates[1]


def _environment(project: Project, cache: BuildCache) -> TemplateEnvironment:
    """The template environment of the last build while the setup and the template files are
    unchanged (``render_site`` and ``_template_stamps`` forget it): compiling the templates
    again took longer than rendering the pages an edit touches."""
    if cache.environment is None:
        cache.environment = make_environment(project)
    return cache.environment
