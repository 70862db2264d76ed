"""The build as named stages; the only module that knows their order.

configure (config.py) -> load -> validate -> link -> render -> write
``build`` runs load to render and returns data; ``write`` is separate so that ``check`` is a
build without writing, and tests can assert on outputs without touching the disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .config import Project
from .errors import ContentError, Report
from .link import link
from .load import load_content
from .model import Site
from .parallel import map_chunks
from .render import PageSpec, page_specs, render_pages, static_files
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
    site = link(content, project.config, Urls(project.config.base_url), report)
    if report.failed(strict):
        raise ContentError("the content has errors", report)
    specs = page_specs(site)
    outputs = dict(map_chunks(_render_chunk, (site, project, specs), len(specs)))
    return BuildResult(outputs=outputs, report=report, site=site)


def _render_chunk(shared: tuple[Site, Project, list[PageSpec]], indices: Sequence[int]) -> list[tuple[str, bytes]]:
    """Render some pages; runs in worker processes for large sites."""
    site, project, specs = shared
    return list(render_pages(site, project, [specs[i] for i in indices], Report()).items())


def write(project: Project, result: BuildResult) -> None:
    extra = {".nojekyll": b""}
    if project.config.deploy.cname:
        extra["CNAME"] = project.config.deploy.cname.encode("utf-8") + b"\n"
    write_site(result.outputs, static_files(project), project.out_dir, extra)
