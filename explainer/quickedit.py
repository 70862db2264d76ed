"""The fast path for the preview's commonest edits: existing articles' text and existing quotes.

Only the edited files are read, and only what they touch is relinked (link.relink) and
rendered again (incremental.render_site with the last build's outputs); anything else goes the
full way. The incremental tests compare both ways with clean builds.
"""

from __future__ import annotations

from pathlib import Path

from . import archives
from .buildcache import BuildCache, Linked, Stamp, file_stamp, setup_stamp
from .config import Project
from .errors import ContentError, Report
from .incremental import render_site
from .link import relink
from .linkcheck import check_site_links
from .load import is_content_file
from .model import Quote
from .reading import load_chunk
from .references import check_quote
from .resolved import Article
from .result import BuildResult, Clock
from .validate import Parsed


def relink_edited(project: Project, cache: BuildCache, linked: Linked, paths: list[Path],
                  strict: bool) -> BuildResult | None:
    """The fast path for an edit to existing articles' text or to quotes (the preview's common
    cases): only those files are read, and only what they touch is relinked and re-rendered.

    None when the edit is anything else (a new, removed or broken file, front matter, a quote
    added, removed or referring to something missing, actors, votes, templates, config): the
    caller then builds in full. ``linked`` is the last build's model, updated in place; the
    caller keeps it only if this returns a result.
    """
    clock = Clock()
    if not paths or cache.setup != setup_stamp(project):
        return None
    content, site = linked.content, linked.site
    content_dir = project.root / "content"
    folders = {content_dir / "articles": ".md", content_dir / "quotes": ".yaml"}
    # Diagnostics of the last build that point into a file (a warning at some line) would need
    # their lines again if it changed: such a file goes the full way.
    pointed_at = {diagnostic.location.path for diagnostic in linked.state.head}
    edited: list[tuple[Path, Stamp, Parsed, bytes]] = []
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
        stamp = file_stamp(path)
        diagnostics, parsed, digest = load_chunk((project.root, [path]), [0])[0]
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
        edited.append((path, stamp, parsed, digest))
    changed_objects = {id(obj) for obj in (*articles, *quotes)}
    for path, stamp, parsed, digest in edited:
        cache.documents[path] = (stamp, (), parsed, digest)
        kind = "quote" if parsed.kind == "quotes" else parsed.kind
        for key, obj, origin in parsed.objects:
            content.origins[(kind, key)] = origin  # lines may have moved
            if id(obj) in changed_objects:  # unchanged quotes keep their objects, as the site does
                (content.articles if kind == "article" else content.quotes)[key] = obj
    clock.lap("load")
    # As the last build left it (kept by the quick rebuild that computed it), or computed now.
    paging = linked.paging if linked.paging is not None else archives.paging_signature(site)
    touched, report = relink(site, content, linked.state, articles, cache.articles, quotes)
    check_site_links(site, content, linked.state.article_links(), project, report,
                     pages=[spec.meta.path for spec in linked.specs], memo=linked.state.link_checks)
    clock.lap("link")
    if report.failed(strict):
        raise ContentError("the content has errors", report)
    # Only the archives of the actors the edit touched (their mentions, their quotes) can have
    # gained or lost a page, and the timeline only if a quote changed (its date, taken back).
    paging_now = archives.paging_recounted(site, paging, {"actor": touched.actors}, timeline_too=bool(quotes))
    if paging_now != paging:
        return None  # a list gained or lost a page (an actor's mentions, a quote's date or speaker): a full build
    linked.paging = paging_now
    rendering = render_site(site, project, cache, linked.specs, previous=linked.outputs)
    clock.lap("render")
    return BuildResult(outputs=rendering.outputs, files=rendering.files, report=report, site=site,
                       rendered=len(rendering.rendered), rendered_files=rendering.rendered, timings=clock.laps,
                       touched=rendering.rendered, changed=rendering.changed)
