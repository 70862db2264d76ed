"""The build as named stages; the only module that knows their order.

configure (config.py) -> load -> validate -> link -> render -> write
``build`` runs load to render and returns data; ``write`` is separate so that ``check`` is a
build without writing, and tests can assert on outputs without touching the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .config import Project
from .errors import ContentError, Report
from .link import link
from .load import load_content
from .markdown import make_markdown
from .model import Site
from .render import render_site, static_files
from .urls import Urls
from .validate import validate
from .write import write_site


@dataclass
class BuildResult:
    outputs: dict[str, bytes] = field(default_factory=dict)
    report: Report = field(default_factory=Report)
    site: Site | None = None


def build(project: Project, *, strict: bool = False) -> BuildResult:
    """Read, validate, link and render the whole site in memory.

    Raises ContentError (carrying every diagnostic) if any stage found an error, or a warning
    under ``strict``.
    """
    report = Report()
    documents = load_content(project.root, report)
    content = validate(documents, report)
    if report.errors:
        raise ContentError("the content has errors", report)
    site = link(content, project.config, Urls(project.config.base_url), make_markdown(), report)
    if report.failed(strict):
        raise ContentError("the content has errors", report)
    outputs = render_site(site, project, report)
    return BuildResult(outputs=outputs, report=report, site=site)


def write(project: Project, result: BuildResult) -> None:
    extra = {".nojekyll": b""}
    if project.config.deploy.cname:
        extra["CNAME"] = project.config.deploy.cname.encode("utf-8") + b"\n"
    write_site(result.outputs, static_files(project), project.out_dir, extra)
