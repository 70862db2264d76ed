"""Stage 5, render: Site + templates -> {output path: bytes}, all in memory.

The only jinja2 importer. One Environment per set of template files, autoescaping,
StrictUndefined so a typo in a template is an error, not a blank. Templates receive plain data
from here and never reach back into loaders. Project templates in <root>/templates override
the defaults file by file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import jinja2
import jinja2.meta
from markupsafe import Markup, escape

from . import archives, colours, corrections, exports, feeds, i18n, quotetext, social, timeline
from .config import Project
from .editorlinks import SiteLinks
from .errors import ContentError, Diagnostic, Location, Report
from .fsguard import UnsafePath, check_inside, read_regular
from .jsonld import Graph, to_script_text
from .kinds import kind, page_kinds
from .markdown import make_markdown, render_inline
from .outputaudit import Audit, Stray, where_written
from .pages import SOCIAL_IMAGE, PageMeta, PageSpec, sitemap_pages
from .record import Memo, Recorder, SiteView
from .resolved import Site
from .search import bundle_names, bundle_weight
from .static import refused, static_files
from .template_context import SiteContext
from .unsymbols import un_document_url, vote_heading
from .urls import Urls, wikidata_url

PIECES_PER_WRITE = 8192  # of the strings a template yields: most pages are one batch
# Pages whose titles and descriptions are interface text (translated in _in_language).
UI_PAGE_KINDS = ("index", "timeline", "search", "error", "data", "corrections", "archive")
MAX_TEMPLATE_BYTES = 5_000_000


class UnsafeTemplate(jinja2.TemplateError):
    """A project template that must not be read (see ``ProjectTemplates``)."""

    def __init__(self, problem: UnsafePath) -> None:
        super().__init__(problem.message)
        self.problem = problem


class ProjectTemplates(jinja2.FileSystemLoader):
    """The project's own templates/, read through fsguard: a template that is a link out of the
    project or to nothing, a FIFO or a device is an error naming it (issue #17), never read and
    never silently replaced by the default template of the same name."""

    def __init__(self, project: Project) -> None:
        super().__init__(str(project.templates_dir))
        self.root = project.root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        path = Path(self.searchpath[0], *jinja2.loaders.split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        try:
            source = read_regular(check_inside(self.root, path), MAX_TEMPLATE_BYTES).decode("utf-8")
        except UnsafePath as exc:
            raise UnsafeTemplate(exc) from None
        return source, os.path.normpath(path), lambda: False  # auto_reload is off (make_environment)


# The type of what make_environment returns, for modules that keep one without importing jinja2.
TemplateEnvironment = jinja2.Environment


def make_environment(project: Project) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([ProjectTemplates(project) if d == project.templates_dir
                                  else jinja2.FileSystemLoader(str(d)) for d in project.template_dirs if d.is_dir()])
    # auto_reload off: the pipeline keeps an environment only while no template file changed,
    # so checking every template file's mtime on each get_template would only cost a stat per page.
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
                             extensions=["jinja2.ext.i18n"])
    # The site's language (explainer/i18n.py): _() and ngettext() from its catalogs, and
    # dates, numbers and lists formatted by Babel for its locale.
    lang = i18n.load(project.root, project.config.language)
    env.install_gettext_translations(lang.translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    env.filters["date"] = lang.date
    env.filters["number"] = lang.number
    env.filters["month"] = lang.month
    env.filters["dark_accent"] = colours.dark_accent
    env.filters["format_list"] = lambda items: Markup(lang.list(escape(item) for item in items))
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["wikidata_url"] = wikidata_url
    env.filters["un_url"] = un_document_url
    env.filters["vote_heading"] = lambda vote: vote_heading(vote.resolution, vote.title)
    env.filters["quote_display"] = quotetext.display_text
    env.tests["short_quote"] = quotetext.is_short
    env.filters["correction_label"] = lambda note: lang.gettext(corrections.label(note))
    env.filters["inline_markdown"] = _inline_markdown(make_markdown())
    return env


def _inline_markdown(md: Any) -> Any:
    """The filter for texts written in YAML (a quote's context, a correction): inline Markdown,
    the site's own links through the base path of the page's ``urls`` (linkcheck.py checks them)."""
    @jinja2.pass_context
    def inline_markdown(context: Any, text: str) -> Markup:
        return Markup(render_inline(md, text, SiteLinks(context["urls"].base_url))[0])
    return inline_markdown


def render_file(site: Site, project: Project, spec: PageSpec) -> bytes | None:
    """A non-HTML output (feed, sitemap, robots.txt, social image); None when it is not made."""
    urls = Urls(project.config.base_url)
    if spec.kind == "feed":
        full = site.config.feed.content == "full"
        return feeds.atom_feed(site, urls, {slug: site.bodies[slug].html for slug, _ in feeds.newest_articles(site)}
                               if full else None)
    if spec.kind == "object-feed":
        name, key = spec.key.split("/", 1)
        entry = kind(name)
        assert entry.feed is not None
        subject = site.registry(entry.folder)[key]
        return feeds.atom_feed(site, urls, path=spec.meta.path, title=f"{site.config.title}: {entry.title(subject)}",
                               page=f"{entry.folder}/{key}/", slugs=entry.feed(site, key))
    if spec.kind == "sitemap":
        # Without a host there is no sitemap: its pages (which read what decides the lists'
        # pages, such as every quote's date for the timeline's) are not even listed.
        return feeds.sitemap(urls, sitemap_pages(site)) if urls.origin else None
    if spec.kind == "robots":
        return feeds.robots(urls, urls.origin is not None)
    if spec.kind == "data" or spec.kind in exports.SLICE_OF:
        return exports.data_file(site, urls, spec.meta.path)
    if spec.kind == "social-image":
        # A project's own templates/static/social.png wins over the generated one.
        return None if SOCIAL_IMAGE in static_files(project) else social.social_image(site.config.title)
    raise ValueError(f"unknown output kind {spec.kind!r}")



class Renderer:
    """Everything page rendering needs, made once per build.

    The pipeline makes it before worker processes fork, so they inherit compiled templates
    and the memoised lookups instead of each chunk compiling and computing them again.
    """

    def __init__(self, site: Site, project: Project, templates: Sequence[str] = (),
                 environment: jinja2.Environment | None = None) -> None:
        self.site = site
        self.project = project
        self.env = environment if environment is not None else make_environment(project)
        self.urls = Urls(project.config.base_url)
        self.lang: i18n.Language = self.env.globals["lang"]  # type: ignore[assignment]
        self.memo = Memo()  # what helpers compute once for all pages, with the reads it took
        self.audit = Audit(self.urls.base_path, self.urls.origin)
        # A template that cannot be compiled is reported by each page that uses it (pages are
        # then merged by page_problems); compiling it again for each of them took seconds.
        self.broken: dict[str, jinja2.TemplateError] = {}
        for name in dict.fromkeys(templates):
            try:
                self.env.get_template(name)
            except jinja2.TemplateError as exc:
                self.broken[name] = exc

    def view(self, spec: PageSpec, recorder: Recorder | None) -> Site:
        """The site as ``spec``'s page sees it, recording into ``recorder`` what it reads: its
        template (and those it is made of, see template_stamps) and every link's base_url too.
        Without a recorder (a one-off build, which keeps nothing), the site itself: the same
        data, as its articles are already without their Markdown, and no cost per read."""
        if recorder is None:
            return self.site
        recorder.read("template", spec.template)
        recorder.read("config", "base_url")
        return cast(Site, SiteView(self.site, recorder))  # reads like a Site, for the helpers

    def render_one(self, spec: PageSpec, report: Report, recorder: Recorder | None = None) -> bytes | None:
        """One page's bytes; None for a file its code decided not to make."""
        pieces = self.render_pieces(spec, report, recorder)
        return None if pieces is None else b"".join(pieces)

    def render_pieces(self, spec: PageSpec, report: Report, recorder: Recorder | None = None) -> Iterator[bytes] | None:
        """One page's bytes in pieces, to be written as they come; None as for ``render_one``.
        What the page reads of the site lands in ``recorder`` (complete once the pieces are)."""
        site = self.view(spec, recorder)
        if not spec.template:  # a file made by code, not by a template
            if recorder is not None:
                recorder.read("static", spec.meta.path)  # a static file of the same name wins (social image)
            data = render_file(site, self.project, spec)
            return None if data is None else iter((data,))
        return self._template_pieces(spec, report, site)

    def _listed(self, spec: PageSpec, site: Site) -> dict[str, Any]:
        """A list page's entries and where it sits in its list (archives.py), the timeline's with
        the days they fall on and the months to jump to; for the page of an object with archives
        (an actor), what it shows of each (``shown``); {} for other pages."""
        if not spec.meta.page:
            entry = next((entry for entry in page_kinds() if entry.name == spec.kind and entry.archives), None)
            return {"shown": archives.first_entries(site, entry, spec.key)} if entry is not None else {}
        if spec.template != archives.TIMELINE_TEMPLATE:
            entries, paging = archives.page_entries(site, spec.template, spec.key, spec.meta.page, self.memo)
            return {"entries": entries, "paging": paging}
        events = self._events(site)
        size = site.config.pagination.page_size
        paging = archives.Paging(archives.TIMELINE, spec.meta.page, archives.page_count(len(events), size),
                                 len(events), size)
        shown = events[paging.start:paging.end]
        months: list[tuple[dt.date, int]] = self.memo.get(
            site, ("timeline-months",),
            lambda view: archives.timeline_months(self._events(view), view.config.pagination.page_size))
        return {"entries": shown, "paging": paging, "days": timeline.by_day(shown), "months": months}

    def _events(self, site: Site) -> list[timeline.Event]:
        events: list[timeline.Event] = self.memo.get(site, ("events",),
                                                     lambda view: timeline.events(view, self.urls, self.lang))
        return events

    def _template_pieces(self, spec: PageSpec, report: Report, site: Site) -> Iterator[bytes]:
        # Jinja yields a page as many small strings: joined whole, the quotes page and the
        # timeline at 15,000 quotes took 45 and 60 MiB each while rendering (two-byte str,
        # the strings, their list, the bytes); in batches they never are whole in memory.
        project = self.project
        try:
            if spec.template in self.broken:
                raise self.broken[spec.template]
            template = self.env.get_template(spec.template)
            context = SiteContext(site=site, urls=self.urls, lang=self.lang, memo=self.memo)
            listed = self._listed(spec, site)
            meta = _in_language(spec.meta, self.lang, site.config.title)
            data = Graph(site, self.urls, context.social_image).page(spec.template, spec.key, meta.path, meta.title,
                                                                    meta.description, listed.get("entries"))
            strings = template.generate(site=site, urls=self.urls, page=meta, ctx=context,
                                        json_ld=Markup(to_script_text(data)), **listed, **_page_data(site, spec))
            strays: list[Stray] = []
            while batch := list(itertools.islice(strings, PIECES_PER_WRITE)):
                text = "".join(batch)
                strays += self.audit.strays(text, meta.path)
                yield text.encode("utf-8")
            if strays:
                self._report_strays(spec, strays, report)
                raise ContentError("rendering failed", report)
        except UnsafeTemplate as exc:
            report.add(refused(project, exc.problem))
            raise ContentError("rendering failed", report) from None
        except RecursionError as exc:
            where = _template_location(exc, project)
            report.error("template", f"while rendering {spec.meta.path or 'the home page'}: {where.path} extends or "
                         "includes itself without end (directly or through other templates)", where,
                         "remove the {% extends %} or {% include %} that leads back to this template")
            raise ContentError("rendering failed", report) from None
        except jinja2.TemplateNotFound as exc:
            folders = ", ".join(project.display(d) for d in project.template_dirs)
            where = _template_location(exc, project)  # the {% include %} or {% extends %} naming it
            if not where.line:
                where = Location(project.display(project.templates_dir))
            report.error("template", f"template '{exc.name}' not found (looked in {folders})", where,
                         "restore or create the template, or correct the name")
            raise ContentError("rendering failed", report) from None
        except jinja2.TemplateSyntaxError as exc:
            report.error("template", f"template syntax error: {exc.message}",
                         Location(_template_path(exc.filename, project), exc.lineno), "fix the template")
            raise ContentError("rendering failed", report) from None
        except jinja2.TemplateError as exc:
            where = _template_location(exc, project)
            report.error("template", f"while rendering {spec.meta.path or 'the home page'}: {exc}", where,
                         "fix the template or the data it uses")
            raise ContentError("rendering failed", report) from None


    def _report_strays(self, spec: PageSpec, strays: Sequence[Stray], report: Report) -> None:
        """An error per URL of a page that leaves the base path, where a template it is made of
        writes it (outputaudit.py); one that none writes came from the content."""
        sources = list(_template_sources(self.env, spec.template, {}).items())
        for stray in dict.fromkeys(strays):
            found = where_written(stray.url, sources)
            where = Location(_template_path(found[0], self.project), found[1], found[2]) if found else \
                Location(self.project.display(self.project.content_dir))
            fix = f"{{{{ urls.path('{stray.url.lstrip('/')}') }}}}" if stray.url.startswith("/") else "urls.path()"
            report.error("url-outside-base", f"while rendering {spec.meta.path or 'the home page'}: {stray.where} "
                         f"'{stray.url}' is outside the base path {self.urls.base_path}", where,
                         f"write the site's URLs through urls so that they follow base_url, e.g. {fix}")


_PAGE_PREFIX = re.compile(r"^while rendering (?:the home page|\S+): ")


def page_problems(diagnostics: Sequence[Diagnostic]) -> Report:
    """The rendering errors of every page, each once: a broken template shared by many pages
    is reported at its file and line with the first page and how many others it broke."""
    groups: dict[tuple[object, ...], list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        key = (diagnostic.location, diagnostic.code, _PAGE_PREFIX.sub("", diagnostic.message), diagnostic.hint)
        groups.setdefault(key, []).append(diagnostic)
    report = Report()
    for same in groups.values():
        first = same[0]
        others = len(same) - 1
        named = _PAGE_PREFIX.match(first.message) is not None  # syntax errors name no page
        message = first.message + (f" (and {others} other page{'s' * (others != 1)})" if others and named else "")
        report.add(Diagnostic(first.severity, first.code, message, first.location, first.hint))
    return report



def _in_language(meta: PageMeta, lang: i18n.Language, site_title: str) -> PageMeta:
    """The title and description of a page that is not content (lists, search, 404), in the
    site's language: page_specs stays language-free, as the sitemap and the cache read it too."""
    if meta.kind not in UI_PAGE_KINDS:
        return meta
    title = lang.gettext(meta.title) % {"name": meta.subject} if meta.subject else lang.gettext(meta.title)
    if meta.page > 1:
        title = lang.gettext("%(title)s, page %(number)s") % {"title": title, "number": lang.number(meta.page)}
    return replace(meta, title=title,
                   description=lang.gettext(meta.description) % {"title": site_title} if meta.description else "")


def _template_path(filename: str | None, project: Project) -> str:
    return project.display(Path(filename)) if filename else "templates"


def _template_location(exc: Exception, project: Project) -> Location:
    """The innermost template frame of a runtime error, from jinja2's rewritten traceback."""
    tb = exc.__traceback__
    where = Location("templates")
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") or "/templates/" in filename:
            where = Location(_template_path(filename, project), tb.tb_lineno)
        tb = tb.tb_next
    return where



def _page_data(site: Site, spec: PageSpec) -> dict[str, Any]:
    """The page's own subject, by kind (a list page's entries come from Renderer._listed)."""
    if spec.meta.kind == "archive":  # an object's archive: the object, under its kind's name
        entry = next(entry for entry in page_kinds() if spec.template.startswith(f"{entry.name}_"))
        return {entry.name: site.registry(entry.folder)[spec.key]}
    if spec.template == "redirect.html":
        urls = Urls(site.config.base_url)
        target = urls.path(spec.key)
        return {"target": target, "canonical_target": urls.absolute(target) or target}
    if spec.template == "corrections.html":
        return {"entries": corrections.entries(site, Urls(site.config.base_url))}
    if spec.template == "data.html":
        return {"files": exports.FILES, "as_of": exports.as_of(site), "data_dir": exports.DATA_DIR}
    if spec.template == "search.html":
        names = bundle_names({entry.name: len(site.registry(entry.folder)) for entry in page_kinds()})
        return {"bundles": [(name, bundle_weight(name)) for name in names]}
    if spec.kind == "article":  # its HTML too, rendered from its Markdown while linking (article_bodies.py)
        return {"article": site.articles[spec.key].without_markdown(), "body": Markup(site.bodies[spec.key].html),
                "notes": corrections.article_notes(site, Urls(site.config.base_url), spec.key)}
    if spec.key:  # the page of an object: under its kind's name
        return {spec.kind: site.registry(kind(spec.kind).folder)[spec.key]}
    return {}


def template_stamps(project: Project, names: Sequence[str]) -> dict[str, object]:
    """For each template name: the file and a digest of the text of every template it is made
    of (itself, what it extends, includes and imports), so a page is re-rendered only when one
    of those changes (by content: a rewrite within one tick of a coarse clock counts too). None
    for a template that cannot be read or parsed: such pages always re-render, and rendering
    reports the error with its line."""
    env = make_environment(project)
    # Every page shows interface strings: a changed translation is a changed template.
    catalogs = ("catalogs", i18n.catalog_stamp(project.root, project.config.language))
    stamps: dict[str, object] = {}
    for name in dict.fromkeys(names):
        try:
            stamps[name] = (*sorted(_template_files(env, name, set())), catalogs)
        except (jinja2.TemplateError, OSError):
            stamps[name] = None
    return stamps


def _template_files(env: jinja2.Environment, name: str, seen: set[str]) -> set[tuple[str, str]]:
    return {(filename, hashlib.blake2b(source.encode("utf-8"), digest_size=16).hexdigest())
            for filename, source in _template_sources(env, name, {}, seen).items()}


def _template_sources(env: jinja2.Environment, name: str, found: dict[str, str],
                      seen: set[str] | None = None) -> dict[str, str]:
    """File name -> text of template ``name`` and of every template it extends, includes or
    imports (every template when it names one at render time), the page's own first."""
    seen = seen if seen is not None else set()
    seen.add(name)
    if env.loader is None:
        raise jinja2.TemplateNotFound(name)
    source, filename, _ = env.loader.get_source(env, name)
    found[str(filename)] = source
    for referenced in jinja2.meta.find_referenced_templates(env.parse(source)):
        if referenced is None:  # a name computed at render time: depend on every template
            for other in env.list_templates():
                if other not in seen:
                    _template_sources(env, other, found, seen)
        elif referenced not in seen:
            _template_sources(env, referenced, found, seen)
    return found
