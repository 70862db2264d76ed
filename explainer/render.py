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
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path
from typing import Any, cast

import jinja2
import jinja2.meta
from markupsafe import Markup, escape

from . import charts, corrections, exports, feeds, i18n, social, timeline
from .config import Project
from .errors import ContentError, Diagnostic, Location, Report, Severity
from .fsguard import UnsafePath, check_inside, is_regular, read_regular
from .jsonld import Graph, to_script_text
from .kinds import KINDS, kind, page_kinds
from .model import ACTOR_KINDS, VOTE_CHOICES, Actor, Mention, Site, Vote
from .record import Memo, Recorder, SiteView
from .search import bundle_names
from .unstates import PERMANENT_MEMBERS, load_member_states
from .unsymbols import un_document_url
from .urls import INDEX_PAGES, Urls, wikidata_url

N_ = i18n.N_  # labels are marked here and translated where they are shown
KIND_LABELS = {"person": N_("People"), "state": N_("States"), "organisation": N_("Organisations"),
               "outlet": N_("Outlets"), "group": N_("Groups")}
VOTE_LABELS = {"yes": N_("In favour"), "no": N_("Against"), "abstain": N_("Abstained"), "absent": N_("Did not vote"),
               "unknown": N_("Not recorded")}
BODY_LABELS = {"security-council": N_("Security Council"), "general-assembly": N_("General Assembly")}
KIND_NAMES = {"person": N_("Person"), "state": N_("State"), "organisation": N_("Organisation"),
              "outlet": N_("Outlet"), "group": N_("Group")}
PIECES_PER_WRITE = 8192  # of the strings a template yields: most pages are one batch
# Pages beyond urls.INDEX_PAGES; search.html loads the Pagefind bundle written by search.index_site.
READER_PAGES = {"search": "search/", "timeline": "timeline/", "data": "data/", "corrections": "corrections/"}
# Pages whose titles and descriptions are interface text (translated in _in_language).
UI_PAGE_KINDS = ("index", "timeline", "search", "error", "data", "corrections")
SOCIAL_IMAGE = "static/social.png"
# What Pagefind indexes (data-pagefind-body) and the value of its "kind" filter, by template (kinds.py).
SEARCH_KINDS = {entry.template or f"{entry.search_page.strip('/')}.html": entry.search for entry in KINDS
                if entry.search}


@dataclass(frozen=True)
class PageMeta:
    """What base.html needs to know about every page."""

    title: str
    description: str
    path: str  # site-relative, e.g. 'actors/x/'
    kind: str
    search: str = ""  # the Pagefind "kind" filter value; empty: the page is not indexed


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
    env.filters["format_list"] = lambda items: Markup(lang.list(escape(item) for item in items))
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["wikidata_url"] = wikidata_url
    env.filters["un_url"] = un_document_url
    env.filters["correction_label"] = lambda note: lang.gettext(corrections.label(note))
    return env


@dataclass(frozen=True)
class PageSpec:
    """One page to render: plain, picklable data, so pages can be rendered in worker processes."""

    template: str
    meta: PageMeta
    kind: str = ""
    key: str = ""


def render_file(site: Site, project: Project, spec: PageSpec) -> bytes | None:
    """A non-HTML output (feed, sitemap, robots.txt, social image); None when it is not made."""
    urls = Urls(project.config.base_url)
    if spec.kind == "feed":
        return feeds.atom_feed(site, urls, {slug: site.bodies[slug].html for slug, _ in feeds.newest_articles(site)})
    if spec.kind == "sitemap":
        return feeds.sitemap(urls, _sitemap_pages(site))
    if spec.kind == "robots":
        return feeds.robots(urls, urls.origin is not None)
    if spec.kind == "data" or spec.kind in exports.SLICE_OF:
        return exports.data_file(site, urls, spec.meta.path)
    if spec.kind == "social-image":
        # A project's own templates/static/social.png wins over the generated one.
        return None if SOCIAL_IMAGE in static_files(project) else social.social_image(site.config.title)
    raise ValueError(f"unknown output kind {spec.kind!r}")


def published_pages(site: Site) -> list[str]:
    """The paths of the pages readers and crawlers find: every HTML page but 404, search and redirects."""
    return [spec.meta.path for spec in page_specs(site) if spec.template and spec.meta.kind not in _UNLISTED]


_UNLISTED = ("error", "search", "redirect")


def _sitemap_pages(site: Site) -> list[tuple[str, dt.date | None]]:
    """Every HTML page but those marked noindex (404, search, redirects), with its last change."""
    kinds = {entry.name: entry for entry in page_kinds()}
    return [(spec.meta.path, kinds[spec.kind].updated(site.registry(kinds[spec.kind].folder)[spec.key])
             if spec.kind in kinds else None)
            for spec in page_specs(site) if spec.template and spec.meta.kind not in _UNLISTED]


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
            events = self.memo.get(site, ("events",), lambda view: timeline.events(view, self.urls, self.lang)) \
                if spec.template == "timeline.html" else None
            meta = _in_language(spec.meta, self.lang, site.config.title)
            data = Graph(site, self.urls, context.social_image).page(spec.template, spec.key, meta.path, meta.title,
                                                                    meta.description, events)
            strings = template.generate(site=site, urls=self.urls, page=meta, ctx=context,
                                        json_ld=Markup(to_script_text(data)), **_page_data(site, spec, events))
            while batch := list(itertools.islice(strings, PIECES_PER_WRITE)):
                yield "".join(batch).encode("utf-8")
        except UnsafeTemplate as exc:
            report.add(_unsafe(project, exc.problem))
            raise ContentError("rendering failed", report) from None
        except RecursionError as exc:
            where = _template_location(exc, project)
            report.error("template", f"while rendering {spec.meta.path or 'the home page'}: {where.path} extends or "
                         "includes itself without end (directly or through other templates)", where,
                         "remove the {% extends %} or {% include %} that leads back to this template")
            raise ContentError("rendering failed", report) from None
        except jinja2.TemplateNotFound as exc:
            folders = ", ".join(project.display(d) for d in project.template_dirs)
            report.error("template", f"template '{exc.name}' not found (looked in {folders})",
                         Location(project.display(project.templates_dir)), "restore or create the template")
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


def _unsafe(project: Project, problem: UnsafePath) -> Diagnostic:
    """An fsguard refusal as a diagnostic on the project file it names."""
    try:
        shown = problem.path.relative_to(project.root).as_posix()
    except ValueError:
        shown = project.display(problem.path)
    message = problem.message.replace(str(problem.path), shown)
    return Diagnostic(Severity.ERROR, "template", message, Location(shown), problem.hint)


def _in_language(meta: PageMeta, lang: i18n.Language, site_title: str) -> PageMeta:
    """The title and description of a page that is not content (lists, search, 404), in the
    site's language: page_specs stays language-free, as the sitemap and the cache read it too."""
    if meta.kind not in UI_PAGE_KINDS:
        return meta
    return replace(meta, title=lang.gettext(meta.title),
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


# --- the data each page gets ------------------------------------------------------------


@dataclass(frozen=True)
class ArticleMentions:
    """Where an article names an actor: the first paragraph, and how many paragraphs do."""

    first: Mention
    paragraphs: int


@dataclass(frozen=True)
class BallotRow:
    actor: str
    name: str
    code: str
    vote: str
    href: str
    permanent: bool


@dataclass(frozen=True)
class Figure:
    svg: Markup
    off_map: list[BallotRow]


@dataclass
class SiteContext:
    """Helpers shared by all templates: plain lookups over the resolved site."""

    site: Site  # the page's view of the site (record.SiteView)
    urls: Urls
    lang: i18n.Language = i18n.ENGLISH
    # A vote's member rows feed its tally, chart and lists, and each actor page's records:
    # made once for all pages, with the reads that made them (record.Memo).
    memo: Memo = field(default_factory=Memo, repr=False)

    def actor(self, actor_id: str) -> Actor:
        return self.site.actors[actor_id]

    def actor_url(self, actor_id: str, anchor: str | None = None) -> str:
        return self.urls.page("actor", actor_id, anchor)

    def article_url(self, slug: str, anchor: str | None = None) -> str:
        return self.urls.page("article", slug, anchor)

    def vote_url(self, vote_id: str, anchor: str | None = None) -> str:
        return self.urls.page("vote", vote_id, anchor)

    def quote_url(self, quote_id: str) -> str:
        quote = self.site.quotes[quote_id]
        return self.urls.page("article", quote.article, self.site.quote_anchors.get(quote_id))

    def vote_label(self, choice: str) -> str:
        return self.lang.gettext(VOTE_LABELS[choice])

    def body_label(self, body: str) -> str:
        return self.lang.gettext(BODY_LABELS[body])

    def kind_label(self, kind: str) -> str:
        return self.lang.gettext(KIND_LABELS[kind])

    def kind_name(self, kind: str) -> str:
        return self.lang.gettext(KIND_NAMES[kind])

    def result_label(self, result: str) -> str:
        return self.lang.gettext(i18n.RESULT_LABELS[result])

    def outcome_reason(self, decision: Any) -> str:
        return i18n.outcome_phrase(self.lang, decision.reason)

    def outcome_rule(self, decision: Any) -> str:
        return i18n.outcome_phrase(self.lang, decision.rule)

    def member_name(self, actor_id: str) -> str:
        """A UN member's name on vote pages: Babel's name for the site's locale when the page was
        generated from the UN list (an annotated actor keeps the name its editor gave it)."""
        return self._member_name(self.site, actor_id)

    def _member_name(self, site: Site, actor_id: str) -> str:
        # ``site``: the view whose recorder gets the reads (a memoised computation's own).
        actor = site.actors[actor_id]
        if actor_id not in site.generated_actors or not actor.iso3:
            return actor.name
        state = load_member_states().get(actor.iso3)
        return self.lang.country(state.iso2 if state else "", actor.name)

    def rows(self, vote: Vote, amendment: str | None = None) -> list[BallotRow]:
        def make(site: Site) -> list[BallotRow]:
            ballots = site.ballots.get((vote.id, amendment), [])
            return sorted((BallotRow(b.actor, self._member_name(site, b.actor), b.code, b.vote, self.actor_url(b.actor),
                                     vote.body == "security-council" and b.code in PERMANENT_MEMBERS) for b in ballots),
                          key=lambda r: (VOTE_CHOICES.index(r.vote), r.name))
        rows: list[BallotRow] = self.memo.get(self.site, ("rows", vote.id, amendment), make)
        return rows

    def grouped(self, vote: Vote, amendment: str | None = None) -> list[tuple[str, list[BallotRow]]]:
        rows = self.rows(vote, amendment)
        return [(choice, [r for r in rows if r.vote == choice]) for choice in VOTE_CHOICES
                if any(r.vote == choice for r in rows)]

    def counted(self, vote: Vote, amendment: str | None = None) -> dict[str, int]:
        rows = self.rows(vote, amendment)
        return {choice: sum(1 for r in rows if r.vote == choice) for choice in VOTE_CHOICES}

    def figure(self, vote: Vote, amendment: str | None = None, vetoed_by: Sequence[str] = ()) -> Figure | None:
        """The vote drawn as inline SVG (seats or world map), or None when no member vote is known."""
        rows = self.rows(vote, amendment)
        if not rows:
            return None
        chart_id = f"chart-{vote.id}" + (f"-{amendment}" if amendment else "")
        title = vote.resolution + (self.lang.gettext(", amendment %(id)s") % {"id": amendment} if amendment else "")
        vetoes = {self.site.actors[a].iso3 or a if a in self.site.actors else a for a in vetoed_by}
        # The main vote's members whose vote changed since the vote it follows are marked.
        was = {c.actor: c.before for c in self.site.vote_changes.get(vote.id, ())} if amendment is None else {}
        ballots = [charts.Ballot(code=r.code, name=r.name, vote=r.vote, href=r.href, permanent=r.permanent,
                                 veto=r.vote == "no" and r.code in vetoes, was=was.get(r.actor)) for r in rows]
        if vote.body == "security-council":
            return Figure(Markup(charts.council_chart(ballots, title=title, chart_id=chart_id, lang=self.lang)), [])
        states = load_member_states()
        drawn = charts.world_map(ballots, title=title, chart_id=chart_id,
                                 m49_of={code: state.m49 for code, state in states.items()}, lang=self.lang)
        off = {b.code for b in drawn.off_map}
        return Figure(Markup(drawn.svg), [r for r in rows if r.code in off])

    def key_actors(self, count: int) -> list[Actor]:
        """The most mentioned and quoted actors, for the home page."""
        def weight(actor_id: str) -> tuple[int, str]:
            mentions = len(self.site.mentions.get(actor_id, [])) + len(self.site.quotes_by_speaker.get(actor_id, []))
            return (-mentions, self.site.actors[actor_id].name)
        ranked = sorted((a for a in self.site.mentions if a not in self.site.generated_actors), key=weight)
        return [self.site.actors[a] for a in ranked[:count]]

    def mentions_by_article(self, actor_id: str) -> list[ArticleMentions]:
        """An actor's mentions, one entry per article, in article order (``site.mentions`` has
        one per paragraph, each article's together): a line per paragraph repeated the
        article's title and was half the bytes of actor pages."""
        entries = []
        for _, group in itertools.groupby(self.site.mentions.get(actor_id, []), key=attrgetter("article")):
            paragraphs = list(group)
            entries.append(ArticleMentions(paragraphs[0], len(paragraphs)))
        return entries

    def actor_votes(self, actor_id: str) -> list[tuple[Vote, str | None, str]]:
        records = self.site.voting_records.get(actor_id, [])
        return [(self.site.votes[r.vote], r.amendment, r.choice) for r in records]

    def actors_by_kind(self, actor_ids: list[str]) -> list[tuple[str, list[Actor]]]:
        actors = [self.site.actors[a] for a in actor_ids]
        return [(kind, sorted((a for a in actors if a.kind == kind), key=lambda a: a.name)) for kind in ACTOR_KINDS
                if any(a.kind == kind for a in actors)]

    def json_ld(self, data: dict[str, Any]) -> Markup:
        """Any data as JSON safe inside <script type="application/ld+json">."""
        return Markup(to_script_text(data))

    def reader_url(self, name: str) -> str:
        """The search or timeline page."""
        return self.urls.path(READER_PAGES[name])

    def absolute(self, link: str) -> str:
        """An absolute URL when base_url names a host, else the path-absolute link."""
        return self.urls.absolute(link) or link

    @property
    def social_image(self) -> str:
        return self.absolute(self.urls.path(SOCIAL_IMAGE))

    @property
    def feed_url(self) -> str:
        return self.urls.path(feeds.FEED_PATH)


def page_specs(site: Site) -> list[PageSpec]:
    """Every page of the site, then the files made by code (feed, sitemap...), in a stable order."""
    config = site.config
    specs = [PageSpec("index.html", PageMeta(config.title, config.description, INDEX_PAGES["home"], "home"))]
    for entry in page_kinds():
        objects = site.registry(entry.folder)
        for key in sorted(objects) if entry.pages_sorted else objects:
            obj = objects[key]
            meta = PageMeta(entry.title(obj), entry.description(obj, config), f"{entry.folder}/{key}/", entry.name,
                            entry.search)
            specs.append(PageSpec(entry.template, meta, entry.name, key))
    specs += [
        PageSpec("actors.html", PageMeta(N_("Actors"), N_("Everyone in the story, by kind."), INDEX_PAGES["actors"],
                                         "index")),
        PageSpec("votes.html", PageMeta(N_("Votes"), N_("UN votes in the story."), INDEX_PAGES["votes"], "index")),
        PageSpec("quotes.html", _indexed(PageMeta(N_("Who said what"), N_("Every attributed quote."),
                                                  INDEX_PAGES["quotes"], "index"), "quotes.html")),
        PageSpec("articles.html", PageMeta(N_("Articles"), N_("Every article."), INDEX_PAGES["articles"], "index")),
        PageSpec("timeline.html", PageMeta(N_("Timeline"), N_("What was published, voted and said, day by day."),
                                           READER_PAGES["timeline"], "timeline")),
        # %(title)s: filled in with the site's title when the page is rendered (_in_language)
        PageSpec("search.html", PageMeta(N_("Search"), N_("Search %(title)s: articles, actors, quotes and votes."),
                                         READER_PAGES["search"], "search")),
        PageSpec("404.html", PageMeta(N_("Page not found"), "", "404.html", "error")),
        PageSpec("corrections.html", PageMeta(N_("Corrections"),
                                              N_("Every correction and update to %(title)s, newest first."),
                                              READER_PAGES["corrections"], "corrections")),
        PageSpec("data.html", PageMeta(N_("Open data"), N_("The data of %(title)s as JSON, CSV and Popolo files."),
                                       READER_PAGES["data"], "data")),
    ]
    specs += [PageSpec("redirect.html", PageMeta(_redirect_title(site, target), "", old, "redirect"), "redirect",
                       target)
              for old, target in sorted(site.redirects.items())]
    # Files made by code (template ""): render_file dispatches on the kind.
    specs += [PageSpec("", PageMeta(name, "", path, "file"), kind)
              for name, path, kind in [("Atom feed", feeds.FEED_PATH, "feed"),
                                       ("Sitemap", feeds.SITEMAP_PATH, "sitemap"),
                                       ("robots.txt", feeds.ROBOTS_PATH, "robots"),
                                       ("Social image", SOCIAL_IMAGE, "social-image")]]
    specs += [PageSpec("", PageMeta(name, "", name, "file"), "data") for name in exports.site_files()]
    specs += [PageSpec("", PageMeta(path, "", path, "file"), kind, key)
              for path, kind, key in exports.slice_files(site)]
    return specs


def _redirect_title(site: Site, target: str) -> str:
    folder, key = target.strip("/").split("/", 1)
    return next(entry.title(site.registry(folder)[key]) for entry in page_kinds() if entry.folder == folder)


def _indexed(meta: PageMeta, template: str) -> PageMeta:
    return PageMeta(meta.title, meta.description, meta.path, meta.kind, SEARCH_KINDS[template])


def _page_data(site: Site, spec: PageSpec, events: list[timeline.Event] | None) -> dict[str, Any]:
    """The page's own subject, by kind."""
    if spec.template == "timeline.html":
        return {"days": timeline.by_day(events or [])}
    if spec.template == "redirect.html":
        urls = Urls(site.config.base_url)
        target = urls.path(spec.key)
        return {"target": target, "canonical_target": urls.absolute(target) or target}
    if spec.template == "corrections.html":
        return {"entries": corrections.entries(site, Urls(site.config.base_url))}
    if spec.template == "data.html":
        return {"files": exports.FILES, "as_of": exports.as_of(site), "data_dir": exports.DATA_DIR}
    if spec.template == "search.html":
        return {"bundles": bundle_names({entry.name: len(site.registry(entry.folder)) for entry in page_kinds()})}
    if spec.kind == "article":  # its HTML too, which link.py rendered from its Markdown
        return {"article": site.articles[spec.key].without_markdown(), "body": Markup(site.bodies[spec.key].html)}
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
    seen.add(name)
    if env.loader is None:
        raise jinja2.TemplateNotFound(name)
    source, filename, _ = env.loader.get_source(env, name)
    files = {(str(filename), hashlib.blake2b(source.encode("utf-8"), digest_size=16).hexdigest())}
    for referenced in jinja2.meta.find_referenced_templates(env.parse(source)):
        if referenced is None:  # a name computed at render time: depend on every template
            for other in env.list_templates():
                if other not in seen:
                    files |= _template_files(env, other, seen)
        elif referenced not in seen:
            files |= _template_files(env, referenced, seen)
    return files


def static_files(project: Project) -> dict[str, Path]:
    """Files under templates/static, the project's own winning over the defaults.

    The project's are checked with fsguard first: a link out of the project or to nothing, a
    link to a folder (not followed), a FIFO or a device raises ContentError naming each one
    (issue #17: a link to /etc/hostname was copied into the site and deployed).
    """
    found: dict[str, Path] = {}
    report = Report()
    for folder in reversed(project.template_dirs):
        static = folder / "static"
        own = folder == project.templates_dir
        if own and os.path.lexists(static) and not _static_allowed(project, static, report, top=True):
            continue
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            if own and not _static_allowed(project, path, report):
                continue
            if path.is_file() and not path.name.startswith("."):
                found["static/" + path.relative_to(static).as_posix()] = path
    if report.errors:
        raise ContentError("static files refused", report)
    return found


def _static_allowed(project: Project, path: Path, report: Report, top: bool = False) -> bool:
    """Whether a path under the project's templates/static may be read; reports why not.
    ``top``: templates/static itself, which may be a link to a folder inside the project."""
    try:
        check_inside(project.root, path)
    except UnsafePath as exc:
        report.add(_unsafe(project, exc))
        return False
    shown = path.relative_to(project.root).as_posix()
    if path.is_symlink() and path.is_dir() and not top:
        report.error("static", f"{shown} is a link to a folder, which is not followed", Location(shown),
                     "copy the folder into templates/static/ instead of linking to it")
        return False
    if not path.is_dir() and not is_regular(path):
        report.error("static", f"{shown} is not a regular file", Location(shown),
                     "remove it or replace it with an ordinary file")
        return False
    return True
