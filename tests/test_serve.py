"""The preview server: the rebuild decision as plain functions, then the served site over raw HTTP.

No browser here (see test_serve_browser.py). Servers run on an ephemeral port of 127.0.0.1 in a
background thread and are stopped by the fixture.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from explainer import pipeline, quickedit
from explainer.config import PACKAGE_TEMPLATES, load_config
from explainer.errors import ConfigError, Location, Report
from explainer.preview import server as preview_server
from explainer.preview import watch
from explainer.preview.errorpage import describe, error_page
from explainer.preview.hosts import host_warning
from explainer.preview.http import resolve
from explainer.preview.outcome import Outcome, run_build
from explainer.preview.policy import Rebuilder
from explainer.preview.server import Preview, serve, start
from explainer.preview.watch import Stamp, fingerprint, is_ignored, scan, watch_globs
from explainer.preview.worker import Worker

from conftest import REPO, copy_example

T = TypeVar("T")
ARTICLE = "content/articles/putin-us-relations-trump.md"
ACTOR = "content/actors/vladimir-putin.yaml"
BROKEN_YAML = "id: vladimir-putin\nkind: person\nname: [Vladimir Putin\n"

# --- the rebuild decision, without files --------------------------------------------------------


def stamps(**files: int) -> dict[str, Stamp]:
    """A snapshot where each file's mtime (in ms) is given; size and inode are fixed."""
    return {name: Stamp(ms * 1_000_000, 10, 1) for name, ms in files.items()}


class FakeDigests:
    """File contents by name, for a Rebuilder that never reads the disk."""

    def __init__(self, **contents: str) -> None:
        self.contents = dict(contents)

    def __call__(self, path: str) -> str | None:
        return self.contents.get(path)

    def fingerprint(self, snapshot: dict[str, Stamp], wall_ms: int = 10**9) -> dict[str, Stamp]:
        return fingerprint(snapshot, wall_ms * 1_000_000, self)


def built_once(digests: FakeDigests, snapshot: dict[str, Stamp], quiet: float = 0.1) -> Rebuilder:
    rebuilder = Rebuilder(quiet=quiet, digest=digests, wall_ns=lambda: 10**18)
    rebuilder.observe(snapshot, 0.0)
    assert rebuilder.due(0.0), "the first poll always builds"
    rebuilder.begin()
    rebuilder.finish(digests.fingerprint(snapshot))
    return rebuilder


def test_nothing_changed_no_rebuild() -> None:
    digests = FakeDigests(a="A", b="B")
    rebuilder = built_once(digests, stamps(a=1, b=1))
    for now in (1.0, 2.0, 30.0):
        rebuilder.observe(stamps(a=1, b=1), now)
        assert not rebuilder.due(now)


def test_touch_without_new_content_is_skipped() -> None:
    digests = FakeDigests(a="A", b="B")
    rebuilder = built_once(digests, stamps(a=1, b=1))
    rebuilder.observe(stamps(a=5000, b=1), 5.0)  # mtime moved, bytes the same
    assert not rebuilder.due(6.0)
    assert rebuilder.builds == 1


def test_a_burst_of_saves_is_one_rebuild() -> None:
    digests = FakeDigests(a="A", b="B")
    rebuilder = built_once(digests, stamps(a=1, b=1), quiet=0.1)
    decisions = []
    for step, now in enumerate((10.00, 10.04, 10.08, 10.12, 10.16)):
        digests.contents["a"] = f"A{step}"
        rebuilder.observe(stamps(a=10_000 + step, b=1), now)
        decisions.append(rebuilder.due(now))
    assert decisions == [False] * 5, "still inside the quiet period"
    assert not rebuilder.due(10.2)
    assert rebuilder.due(10.27)
    assert rebuilder.begin() == ["a"]
    assert not rebuilder.due(10.3), "one build at a time"


def test_a_file_that_never_stops_changing_still_builds_after_max_wait() -> None:
    digests = FakeDigests(a="A")
    rebuilder = built_once(digests, stamps(a=1))
    rebuilder.max_wait = 2.0
    now, due_at = 10.0, None
    while now < 14 and due_at is None:
        digests.contents["a"] = f"A{now}"
        rebuilder.observe(stamps(a=int(now * 1000)), now)
        due_at = now if rebuilder.due(now) else None
        now = round(now + 0.05, 2)
    assert due_at is not None and 12.0 <= due_at < 12.1


def test_a_save_during_a_build_gets_its_own_build() -> None:
    """The last save wins: the build read the inputs as they were at its start."""
    digests = FakeDigests(a="v1")
    rebuilder = built_once(digests, stamps(a=1))
    digests.contents["a"] = "v2"
    rebuilder.observe(stamps(a=2000), 2.0)
    assert rebuilder.due(2.2)
    rebuilder.begin()
    taken = digests.fingerprint(stamps(a=2000))  # the worker fingerprints, then builds v2 ...
    digests.contents["a"] = "v3"  # ... while the editor saves again
    rebuilder.observe(stamps(a=2300), 2.3)
    assert not rebuilder.due(2.5), "busy"
    rebuilder.finish(taken)
    assert rebuilder.due(2.5)
    assert rebuilder.begin() == ["a"]


def test_a_rewrite_within_the_same_mtime_tick_is_caught_by_content() -> None:
    digests = FakeDigests(a="v1")
    rebuilder = Rebuilder(digest=digests, wall_ns=lambda: 10**18)
    rebuilder.observe(stamps(a=1000), 0.0)
    rebuilder.begin()
    rebuilder.finish(digests.fingerprint(stamps(a=1000), wall_ms=1000))  # mtime == build start: racy
    digests.contents["a"] = "v2"  # same size, same mtime tick
    rebuilder.observe(stamps(a=1000), 1.0)
    assert rebuilder.due(1.0)


def test_added_and_removed_files_are_changes() -> None:
    digests = FakeDigests(a="A", b="B", c="C")
    rebuilder = built_once(digests, stamps(a=1, b=1))
    rebuilder.observe(stamps(a=1, c=1), 5.0)
    assert rebuilder.due(5.5)
    assert rebuilder.begin() == ["b", "c"]


# --- watching real files ------------------------------------------------------------------------


@pytest.fixture
def project_root(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


def test_watch_globs_cover_inputs_and_never_the_output(project_root: Path) -> None:
    project = load_config(project_root)
    globs = watch_globs(project)
    assert f"{project_root}/content/**/*" in globs
    assert f"{project_root}/templates/**/*" in globs
    assert f"{project_root}/config.yaml" in globs
    if PACKAGE_TEMPLATES.resolve() != (project_root / "templates").resolve():
        assert f"{PACKAGE_TEMPLATES}/**/*" in globs
    pipeline.write(project, pipeline.build(project))
    snapshot = scan(globs, project.root, project.out_dir)
    assert f"{project_root}/{ARTICLE}" in snapshot
    assert f"{project_root}/config.yaml" in snapshot
    assert not [p for p in snapshot if Path(p).is_relative_to(project.out_dir)]


def test_editor_litter_is_ignored(project_root: Path) -> None:
    articles = project_root / "content" / "articles"
    litter = [".putin.md.swp", "putin.md~", "4913", "#putin.md#", ".#putin.md", "putin.md.tmp", "x.bak"]
    for name in litter:
        (articles / name).write_text("scratch")
    (project_root / "content" / "__pycache__").mkdir()
    (project_root / "content" / "__pycache__" / "x.pyc").write_bytes(b"x")
    project = load_config(project_root)
    snapshot = scan(watch_globs(project), project.root, project.out_dir)
    names = {Path(p).name for p in snapshot}
    assert not names & set(litter) and "x.pyc" not in names
    assert "putin-us-relations-trump.md" in names


def test_output_folder_inside_the_project_is_never_watched(project_root: Path) -> None:
    project = load_config(project_root)
    assert is_ignored(str(project.out_dir / "index.html"), project.root, project.out_dir)
    assert not is_ignored(str(project_root / ARTICLE), project.root, project.out_dir)


def finishes(function: Callable[[], T], seconds: float = 10) -> T:
    """``function()`` on a daemon thread; fails the test (leaving the thread blocked) if it has
    not returned within ``seconds``."""
    result: list[T] = []
    thread = threading.Thread(target=lambda: result.append(function()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"still running after {seconds}s"
    return result[0]


def unblock(fifo: Path) -> None:
    """Release a reader blocked opening ``fifo`` (a failed test leaves one behind)."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


def test_the_watcher_never_opens_a_fifo_and_tolerates_odd_entries(project_root: Path) -> None:
    """A FIFO, a dangling link and a link back up the tree (issue #17, findings 4 and 7): a
    scan and a fingerprint return promptly, watch the odd entries without reading them, and
    walk the looped folder once."""
    project = load_config(project_root)
    fifo = project_root / "content" / "actors" / "pipe.yaml"
    os.mkfifo(fifo)
    dangling = project_root / "content" / "articles" / "gone.md"
    dangling.symlink_to("nowhere.md")
    (project_root / "content" / "articles" / "loop").symlink_to("..")
    try:
        assert finishes(lambda: watch.file_digest(str(fifo))) is not None
        snapshot = finishes(lambda: scan(watch_globs(project), project.root, project.out_dir))
        built = finishes(lambda: fingerprint(snapshot, time.time_ns()))
    finally:
        unblock(fifo)
    assert str(fifo) in built and str(dangling) in built  # removing them later rebuilds
    assert built[str(dangling)].digest is None
    assert not [path for path in built if path.count("/loop/") > 1]
    assert built[str(project_root / ARTICLE)].digest is not None
    # A FIFO written to (its stat changes) is seen as changed without being read.
    before = watch.file_digest(str(fifo))
    os.utime(fifo, ns=(1, 1))
    assert watch.file_digest(str(fifo)) != before


# --- one guarded build ---------------------------------------------------------------------------


def test_a_broken_file_keeps_the_last_good_site_and_records_the_error(project_root: Path) -> None:
    project = load_config(project_root)
    first = run_build(project, strict=False, reload_config=None, config_changed=False)
    assert first.ok and first.pages > 100
    page = project.out_dir / "articles" / "putin-us-relations-trump" / "index.html"
    before = (page.read_bytes(), page.stat().st_mtime_ns)
    (project_root / ACTOR).write_text(BROKEN_YAML)
    outcome = run_build(project, strict=False, reload_config=None, config_changed=False)
    assert not outcome.ok
    assert [(d.location.path, d.location.line) for d in outcome.report.errors] == [(ACTOR, 4)]
    assert (page.read_bytes(), page.stat().st_mtime_ns) == before
    html = error_page(outcome).decode()
    assert f"{ACTOR}:4" in html and "invalid YAML" in html and "</head>" in html


def test_an_internal_error_is_caught_and_kept_as_a_traceback(project_root: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    project = load_config(project_root)

    def explode(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(pipeline, "build", explode)
    outcome = run_build(project, strict=False, reload_config=None, config_changed=False)
    assert not outcome.ok and "ZeroDivisionError: boom" in outcome.internal
    assert "bug in Explainer" in "\n".join(describe(outcome, project.root))
    assert "ZeroDivisionError" in error_page(outcome).decode()


def test_a_broken_config_keeps_the_previous_project(project_root: Path) -> None:
    project = load_config(project_root)

    def reload_config() -> object:
        report = Report()
        report.error("config", "base_url must end with '/'", Location("config.yaml", 4))
        raise ConfigError("configuration failed", report)

    outcome = run_build(project, strict=False, reload_config=reload_config,  # type: ignore[arg-type]
                              config_changed=True)
    assert not outcome.ok and outcome.project is project
    assert "config.yaml:4" in error_page(outcome).decode()


def test_strict_turns_warnings_into_a_failed_build(project_root: Path) -> None:
    (project_root / "content" / "stray.txt").write_text("not content")  # a warning: ignored file
    project = load_config(project_root)
    assert run_build(project, strict=False, reload_config=None, config_changed=False).ok
    strict = run_build(project, strict=True, reload_config=None, config_changed=False)
    assert not strict.ok and strict.report.warnings


# --- request paths ------------------------------------------------------------------------------


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    (out / "articles" / "a").mkdir(parents=True)
    (out / "articles" / "a" / "index.html").write_text("<html><head></head>article</html>")
    (out / "index.html").write_text("<html><head></head>home</html>")
    (tmp_path / "config.yaml").write_text("secret")
    return out


@pytest.mark.parametrize("raw", [
    "/../config.yaml", "/%2e%2e/config.yaml", "/%2E%2E/config.yaml", "/..%2fconfig.yaml", "/..%2Fconfig.yaml",
    "/%252e%252e/config.yaml", "/%252e%252e%252fconfig.yaml", "/..\\config.yaml", "/%5c..%5cconfig.yaml",
    "/articles/../../config.yaml", "/./index.html", "/%00", "/%ff", "config.yaml",
])
def test_resolve_refuses_escapes(site_dir: Path, raw: str) -> None:
    assert resolve(raw, "/", site_dir).kind == "bad"


def test_resolve_refuses_a_symlink_out_of_the_site(site_dir: Path) -> None:
    (site_dir / "leak").symlink_to(site_dir.parent / "config.yaml")
    assert resolve("/leak", "/", site_dir).kind == "missing"
    assert resolve("//etc/passwd", "/", site_dir).kind == "missing"


def test_resolve_serves_under_the_base_path(site_dir: Path) -> None:
    assert resolve("/repo/", "/repo/", site_dir).path == site_dir.resolve() / "index.html"
    assert resolve("/repo/articles/a/", "/repo/", site_dir).path == site_dir.resolve() / "articles/a/index.html"
    assert resolve("/repo/articles/a", "/repo/", site_dir).location == "/repo/articles/a/"
    assert resolve("/", "/repo/", site_dir).location == "/repo/"
    assert resolve("/repo", "/repo/", site_dir).location == "/repo/"
    assert resolve("/articles/a/", "/repo/", site_dir).kind == "missing"
    assert resolve("/repo/nope/", "/repo/", site_dir).kind == "missing"


def test_host_warning() -> None:
    for local in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"):
        assert host_warning(local) is None
    for exposed in ("0.0.0.0", "", "::", "192.168.1.20", "example.org"):
        warning = host_warning(exposed)
        assert warning and "other machines" in warning and "--host 127.0.0.1" in warning


# --- the running server -------------------------------------------------------------------------


class Server:
    """A started preview with helpers: raw requests, waiting for the next build."""

    def __init__(self, root: Path, base_url: str | None = None, host: str = "127.0.0.1") -> None:
        self.root, self.log = root, []  # type: list[str]
        self.builds: list[Outcome] = []
        self.built = threading.Condition()
        project = load_config(root, base_url=base_url)
        self.running = start(project, host=host, port=0, reload_config=lambda: load_config(root, base_url=base_url),
                             log=self.log.append, quiet=0.05, poll=0.02)
        self.running.preview.on_build = self._on_build
        assert self.running.preview.outcome is not None
        self.builds.append(self.running.preview.outcome)  # the first build, done by start()

    def _on_build(self, outcome: Outcome) -> None:
        with self.built:
            self.builds.append(outcome)
            self.built.notify_all()

    def wait_build(self, count: int, timeout: float = 20) -> Outcome:
        with self.built:
            assert self.built.wait_for(lambda: len(self.builds) >= count, timeout), self.log
            return self.builds[count - 1]

    def request(self, path: str, method: str = "GET", host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        """A raw request; ``host``: the Host header to send instead of 127.0.0.1:<port>."""
        connection = http.client.HTTPConnection("127.0.0.1", self.running.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_host=host is not None, skip_accept_encoding=True)
            if host is not None:
                connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


@pytest.fixture
def server(project_root: Path) -> Iterator[Server]:
    running = Server(project_root)
    yield running
    running.running.stop()
    assert not running.running.thread.is_alive()


@pytest.fixture
def repo_server(project_root: Path) -> Iterator[Server]:
    running = Server(project_root, base_url="https://example.github.io/repo/")
    yield running
    running.running.stop()


TRAVERSALS = ["/../config.yaml", "/%2e%2e/config.yaml", "/..%2fconfig.yaml", "/%252e%252e/config.yaml",
              "/%252e%252e%252fconfig.yaml", "/..\\config.yaml", "/%5c..%5cconfig.yaml", "/static/../../config.yaml",
              "/static/%2e%2e/%2e%2e/config.yaml", "//etc/passwd", "/%2fetc%2fpasswd", "/....//config.yaml"]


@pytest.mark.parametrize("base_url", [None, "/repo/"])
def test_no_request_reaches_outside_the_output_folder(project_root: Path, base_url: str | None) -> None:
    server = Server(project_root, base_url=base_url)
    try:
        prefix = "/repo" if base_url else ""
        secret = (project_root / "config.yaml").read_bytes()
        for raw in TRAVERSALS + [prefix + raw for raw in TRAVERSALS]:
            status, _, body = server.request(raw)
            assert status in (400, 404), raw
            assert secret not in body and b"root:" not in body, raw
    finally:
        server.running.stop()


def test_missing_page_is_the_sites_404_with_status_404(server: Server) -> None:
    status, headers, body = server.request("/no/such/page/")
    assert status == 404
    assert body.startswith((server.running.preview.out_dir / "404.html").read_bytes()[:200])
    assert b"Page not found" in body and b"livereload.js" in body
    assert headers["Content-Type"].startswith("text/html")


def test_pages_assets_and_the_reload_script(server: Server) -> None:
    status, headers, body = server.request("/articles/putin-us-relations-trump/")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert b"livereload.js" in body and body.count(b"</head>") == 1
    status, headers, css = server.request("/static/site.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and b"livereload" not in css
    status, _, _ = server.request("/livereload.js")
    assert status == 200
    status, headers, body = server.request("/articles/putin-us-relations-trump")
    assert (status, headers["Location"]) == (302, "/articles/putin-us-relations-trump/")
    status, headers, body = server.request("/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000


def test_base_path_is_served_as_the_host_does(repo_server: Server) -> None:
    status, headers, _ = repo_server.request("/")
    assert (status, headers["Location"]) == (302, "/repo/")
    status, _, body = repo_server.request("/repo/")
    assert status == 200 and b'href="/repo/static/site.css"' in body
    assert repo_server.request("/repo/static/site.css")[0] == 200
    assert repo_server.request("/repo/actors/vladimir-putin/")[0] == 200
    status, _, body = repo_server.request("/actors/vladimir-putin/")
    assert status == 404 and b"Page not found" in body
    assert repo_server.running.url.endswith("/repo/")


def test_many_concurrent_requests(server: Server) -> None:
    paths = ["/", "/articles/putin-us-relations-trump/", "/static/site.css", "/actors/vladimir-putin/",
             "/votes/a-res-es-11-7/", "/missing/"]
    expected = {p: server.request(p) for p in paths}

    def fetch(index: int) -> bool:
        path = paths[index % len(paths)]
        status, _, body = server.request(path)
        return (status, body) == (expected[path][0], expected[path][2])

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(fetch, range(200)))
    assert all(results) and len(results) == 200


def test_edit_break_fix_over_http(server: Server, project_root: Path) -> None:
    page = "/articles/putin-us-relations-trump/"
    article = project_root / ARTICLE
    article.write_text(article.read_text().replace("The Kremlin is keeping", "LIVE-EDIT-1 The Kremlin is keeping"))
    assert server.wait_build(2).ok
    assert b"LIVE-EDIT-1" in server.request(page)[2]

    actor = project_root / ACTOR
    good = actor.read_text()
    actor.write_text(BROKEN_YAML)
    failed = server.wait_build(3)
    assert not failed.ok
    status, _, body = server.request(page)
    assert status == 500 and f"{ACTOR}:4".encode() in body and b"livereload.js" in body
    assert server.request("/static/site.css")[0] == 200, "assets of the last good build stay"
    assert any("build failed" in line for line in server.log)

    actor.write_text(good)
    assert server.wait_build(4).ok
    status, _, body = server.request(page)
    assert status == 200 and b"LIVE-EDIT-1" in body
    assert any("fixed" in line for line in server.log)


def test_a_fifo_and_a_dangling_link_in_content_do_not_stop_later_edits(server: Server, project_root: Path) -> None:
    """Issue #17, findings 4 and 7, in the running preview: the build is not wedged by a FIFO,
    neither is an internal error, and once they are gone the site is in sync again."""
    fifo = project_root / "content" / "actors" / "pipe.yaml"
    dangling = project_root / "content" / "articles" / "gone.md"
    article = project_root / ARTICLE
    page = "/articles/putin-us-relations-trump/"

    def built_after(path: Path, since: int) -> Outcome:
        """The first build after the ``since``-th one that was told about ``path``."""
        count = since + 1
        while str(path) not in (outcome := server.wait_build(count)).changed:
            count += 1
        assert not outcome.internal, outcome.internal  # a content error at most, never a bug
        return outcome

    try:
        os.mkfifo(fifo)
        with_fifo = built_after(fifo, len(server.builds))
        dangling.symlink_to("nowhere.md")
        built_after(dangling, len(server.builds))
        article.write_text(article.read_text().replace("The Kremlin is keeping", "AFTER-FIFO The Kremlin is keeping"))
        edited = built_after(article, len(server.builds))
        if not edited.ok:  # the build refuses them: it says where, and the error page names them
            named = {d.location.path for d in edited.report.errors}
            assert any("pipe.yaml" in path for path in named) and any("gone.md" in path for path in named), named
            assert not with_fifo.ok
        fifo.unlink()
        dangling.unlink()
        if not edited.ok:
            assert built_after(dangling, len(server.builds)).ok
    finally:
        unblock(fifo)
    status, _, body = server.request(page)
    assert status == 200 and b"AFTER-FIFO" in body


def test_an_article_text_edit_is_rebuilt_by_delta_and_equals_a_clean_build(
        server: Server, project_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watcher's list of changed files lets the preview relink and re-render only what an
    edit to an article's text touches; the folder it serves must still be a clean build's."""
    quick: list[bool] = []
    relink = quickedit.relink_edited

    def spy(*args: Any, **kwargs: Any) -> pipeline.BuildResult | None:
        result = relink(*args, **kwargs)
        quick.append(result is not None)
        return result

    monkeypatch.setattr(quickedit, "relink_edited", spy)
    article = project_root / ARTICLE
    article.write_text(article.read_text().replace("The Kremlin is keeping", "Meanwhile, the Kremlin is keeping"))
    outcome = server.wait_build(2)
    assert outcome.ok and outcome.changed == [str(article)]
    assert quick == [True], "the preview did not take the fast path for an edit to an article's text"
    assert 0 < outcome.rendered < outcome.pages / 10
    assert any(f"({outcome.rendered} rendered again)" in line for line in server.log)
    clean = tmp_path / "clean"
    pipeline.build_and_write(load_config(project_root, clean), search=False)
    served = server.running.preview.out_dir
    expected = sorted(p.relative_to(clean) for p in clean.rglob("*") if p.is_file())
    found = sorted(p.relative_to(served) for p in served.rglob("*") if p.is_file() and "pagefind" not in p.parts)
    assert found == expected
    assert [p for p in expected if (served / p).read_bytes() != (clean / p).read_bytes()] == []


def test_a_save_between_the_poll_and_the_build_is_read(project_root: Path, tmp_path: Path) -> None:
    """A poll hands a build the saves it saw; a file saved before that build's own fingerprint
    is in the fingerprint (so no later poll reports it) and must be read by this build."""
    project = load_config(project_root)
    preview = Preview(project, log=lambda line: None)
    assert preview.build_now().ok
    article, quotes = project_root / ARTICLE, project_root / "content/quotes/putin-us-relations-trump.yaml"
    article.write_text(article.read_text().replace("The Kremlin is keeping", "Meanwhile, the Kremlin is keeping"))
    preview.rebuilder.observe(scan(preview.globs, project_root, preview.out_dir), time.monotonic() + 10)
    changed = preview.rebuilder.begin()
    assert changed == [str(article)]
    quotes.write_text(quotes.read_text().replace("said_to: cnbc", "said_to: tass"))  # the moment after
    built, outcome = preview._job(preview.project, False, changed)
    preview._apply(built, outcome)
    assert outcome.ok
    preview.rebuilder.observe(scan(preview.globs, project_root, preview.out_dir), time.monotonic() + 20)
    assert preview.rebuilder.changes() == []
    clean = tmp_path / "clean"
    pipeline.build_and_write(load_config(project_root, clean), search=False)
    for page in ["actors/dmitry-peskov/index.html", "quotes/index.html", f"articles/{Path(ARTICLE).stem}/index.html"]:
        assert (preview.out_dir / page).read_bytes() == (clean / page).read_bytes(), page


def test_inputs_of_a_build_stopped_by_a_broken_config_are_read_by_the_next(project_root: Path,
                                                                           tmp_path: Path) -> None:
    """A broken config.yaml stops a build before it reads anything; a template rewritten then
    (same size and mtime, a coarse clock) must still reach the build after the fix."""
    templates = project_root / "templates"
    templates.mkdir(exist_ok=True)
    template = templates / "article.html"
    shutil.copy(PACKAGE_TEMPLATES / "article.html", template)
    config = project_root / "config.yaml"
    good = config.read_text()
    preview = Preview(load_config(project_root), reload_config=lambda: load_config(project_root),
                            log=lambda line: None)
    assert preview.build_now().ok
    status = template.stat()
    config.write_text(good + "title: [broken\n")
    text = template.read_text()
    template.write_text(text.replace('<div class="article-body">', '<div class="article-BODY">'))
    os.utime(template, ns=(status.st_atime_ns, status.st_mtime_ns))
    built, outcome = preview._job(preview.project, True, [str(config), str(template)])
    preview._apply(built, outcome)
    assert not outcome.ok
    config.write_text(good)
    built, outcome = preview._job(preview.project, True, [str(config)])
    preview._apply(built, outcome)
    assert outcome.ok
    page = f"articles/{Path(ARTICLE).stem}/index.html"
    assert b'<div class="article-BODY">' in (preview.out_dir / page).read_bytes()


def test_a_file_changed_during_a_build_and_changed_back_is_built_again(project_root: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved after the build's fingerprint, read by the build, then undone before the next poll:
    the file matches the fingerprint again, but not what the site was built from."""
    preview = Preview(load_config(project_root), log=lambda line: None, quiet=0)
    assert preview.build_now().ok
    article, actor = project_root / ARTICLE, project_root / ACTOR
    original = article.read_text()
    real_build = pipeline.build

    def saved_and_undone(*args: Any, **kwargs: Any) -> pipeline.BuildResult:
        article.write_text(original.replace("The Kremlin is keeping", "UNDONE-EDIT The Kremlin is keeping"))
        try:
            return real_build(*args, **kwargs)
        finally:
            article.write_text(original)
            later = time.time_ns() + 2_000_000_000
            os.utime(article, ns=(later, later))

    monkeypatch.setattr(pipeline, "build", saved_and_undone)
    actor.write_text(actor.read_text() + "\n")  # a YAML file: a full build, which reads every changed stamp
    preview.rebuilder.observe(scan(preview.globs, project_root, preview.out_dir), time.monotonic() + 10)
    built, outcome = preview._job(preview.project, False, preview.rebuilder.begin())
    preview._apply(built, outcome)
    monkeypatch.setattr(pipeline, "build", real_build)
    page = preview.out_dir / f"articles/{Path(ARTICLE).stem}/index.html"
    assert outcome.ok and b"UNDONE-EDIT" in page.read_bytes()  # what the build read
    submitted: list[list[str]] = []
    monkeypatch.setattr(preview, "_submit", submitted.append)
    preview.poll()
    assert submitted and str(article) in submitted[0], "the undone edit was never built again"
    built, outcome = preview._job(preview.project, False, submitted[0])
    preview._apply(built, outcome)
    assert outcome.ok and b"UNDONE-EDIT" not in page.read_bytes()


def _indexed_text(bundle: Path) -> bytes:
    text = b""
    for fragment in bundle.glob("fragment/*.pf_fragment"):
        try:
            text += gzip.decompress(fragment.read_bytes())
        except (OSError, EOFError):  # being written
            pass
    return text


def test_the_search_index_follows_an_edit_bundle_by_bundle(server: Server, project_root: Path) -> None:
    out = server.running.preview.out_dir
    untouched = (out / "pagefind/vote/pagefind-entry.json").stat().st_mtime_ns
    article = project_root / ARTICLE
    article.write_text(article.read_text().replace("The Kremlin is keeping", "Zanzibarite. The Kremlin is keeping"))
    assert server.wait_build(2).ok
    deadline = time.monotonic() + 60
    while b"Zanzibarite" not in _indexed_text(out / "pagefind/article"):
        assert time.monotonic() < deadline, server.log
        time.sleep(0.1)
    # Vote pages do not show article text: their bundle was left as it was.
    assert (out / "pagefind/vote/pagefind-entry.json").stat().st_mtime_ns == untouched


def test_indexed_files_are_dropped_once_even_when_callbacks_overlap(server: Server) -> None:
    """Two indexing runs' callbacks may arrive after the next run was submitted: positions, not
    counts, say what is in the index, so files written later are never dropped unindexed."""
    preview = server.running.preview
    preview._unindexed[:] = ["a", "b"]  # run 1 was submitted with a, b (upto 2)
    preview._unindexed.append("c")  # run 2 with a, b, c (upto 3); then d arrives
    preview._indexed(2)
    preview._indexed(3)
    preview._unindexed.append("d")
    preview._indexed(2)  # a late callback changes nothing
    assert preview._unindexed == ["d"]


def test_a_config_change_reloads_the_project(server: Server, project_root: Path) -> None:
    config = project_root / "config.yaml"
    config.write_text(config.read_text().replace("base_url: /", "base_url: /moved/"))
    assert server.wait_build(2).ok
    assert server.request("/")[1].get("Location") == "/moved/"
    assert server.request("/moved/")[0] == 200


def test_unchanged_save_does_not_rebuild(server: Server, project_root: Path) -> None:
    article = project_root / ARTICLE
    os.utime(article)  # a save without edits
    time.sleep(0.5)
    assert len(server.builds) == 1 and server.running.preview.rebuilder.builds == 1


def test_browsers_are_told_to_reload_after_each_build(server: Server, project_root: Path) -> None:
    """The livereload protocol over a real WebSocket: hello, info, then one reload per build."""
    from tornado.websocket import websocket_connect

    async def session() -> list[dict[str, object]]:
        url = f"ws://127.0.0.1:{server.running.port}/livereload"
        origin = f"http://127.0.0.1:{server.running.port}"
        from tornado.httpclient import HTTPRequest
        socket = await websocket_connect(HTTPRequest(url, headers={"Origin": origin}))
        await socket.write_message(json.dumps({"command": "hello", "protocols": []}))
        messages = [json.loads(await socket.read_message())]
        await socket.write_message(json.dumps({"command": "info", "url": origin + "/"}))
        deadline = time.monotonic() + 10
        while not server.running.preview.clients:  # the server has not read 'info' yet
            assert time.monotonic() < deadline, "the socket never registered"
            await asyncio.sleep(0.01)
        article = project_root / ARTICLE
        article.write_text(article.read_text() + "\nOne more line.\n")
        messages.append(json.loads(await asyncio.wait_for(socket.read_message(), 20)))
        socket.close()
        return messages

    hello, reload = run_in_own_thread(session)
    assert hello["command"] == "hello"
    assert reload["command"] == "reload" and reload["path"] == "*"
    assert server.builds[-1].ok


def run_in_own_thread(coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """asyncio.run on a fresh thread: Playwright's sync API keeps a loop running on this one."""
    result: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coroutine()))
        except BaseException as exc:  # re-raised below, in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    if errors:
        raise errors[0]
    return result[0]


def test_a_foreign_origin_cannot_open_the_reload_socket(server: Server) -> None:
    status, _, _ = server.request("/livereload")  # not a WebSocket upgrade
    assert status == 400
    connection = http.client.HTTPConnection("127.0.0.1", server.running.port, timeout=10)
    connection.request("GET", "/livereload", headers={
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": "http://evil.example"})
    assert connection.getresponse().status == 403
    connection.close()


def test_port_in_use_is_a_clear_error(server: Server, project_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = load_config(project_root)
    assert serve(project, port=server.running.port) == 2
    assert "cannot listen" in capsys.readouterr().err


def test_ctrl_c_stops_cleanly(project_root: Path) -> None:
    """The real command in a subprocess: SIGINT gives exit code 0 and a message."""
    process, lines = start_command(project_root)
    process.send_signal(signal.SIGINT)
    rest = process.communicate(timeout=30)[1]
    assert process.returncode == 0, lines + [rest]
    assert "stopped" in rest


def start_command(project_root: Path) -> tuple[subprocess.Popen[str], list[str]]:
    """``build.py serve`` in a subprocess, once it says it is serving; its stderr lines so far."""
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(project_root),
                                "--port", "0"], stderr=subprocess.PIPE, text=True, cwd=REPO)
    lines: list[str] = []
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        lines.append(line)
        if "serving" in line or not line:
            break
    assert any("serving" in line and "http://127.0.0.1:" in line for line in lines), lines
    return process, lines


def test_ctrl_c_ends_the_process_even_with_a_fifo_in_content(project_root: Path) -> None:
    """A FIFO named *.yaml used to wedge the build thread, and the process stayed after Ctrl-C
    (issue #17, finding 4). Whatever the build does with it, Ctrl-C ends the process in seconds."""
    process, lines = start_command(project_root)
    fifo = project_root / "content" / "actors" / "pipe.yaml"
    os.mkfifo(fifo)
    try:
        time.sleep(1)  # the watcher sees the FIFO and hands a build to the build thread
        article = project_root / ARTICLE
        article.write_text(article.read_text() + "\nAn edit after the FIFO.\n")
        time.sleep(1)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        try:
            rest = process.communicate(timeout=preview_server.STOP_SECONDS + 10)[1]
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError("the process did not end after Ctrl-C") from None
    finally:
        unblock(fifo)
    assert process.returncode == 0, lines + [rest]
    assert "stopped" in rest and "Traceback" not in rest
    assert time.monotonic() - started < preview_server.STOP_SECONDS + 5


def test_a_worker_stuck_in_a_job_does_not_hold_up_its_shutdown() -> None:
    running, release = threading.Event(), threading.Event()
    worker = Worker("test-worker")
    stuck = worker.submit(lambda: running.set() or release.wait())
    queued = worker.submit(lambda: "never run")
    assert running.wait(5)
    started = time.monotonic()
    assert worker.shutdown(0.5) is False  # still running: left to end with the process
    assert time.monotonic() - started < 2
    assert queued.cancelled() and stuck.running()
    assert worker.submit(lambda: "too late").cancelled()
    release.set()
    assert stuck.result(5) is True


def test_fingerprint_reuses_digests_of_files_unchanged_since_the_last_one() -> None:
    read: list[str] = []

    def digest(path: str) -> str:
        read.append(path)
        return f"digest of {path} #{len(read)}"

    first = fingerprint(stamps(a=1000, b=1000), 10_000 * 1_000_000, digest)
    assert sorted(read) == ["a", "b"]
    read.clear()
    # b changed (new mtime); a is old and unchanged: only b is read again.
    second = fingerprint(stamps(a=1000, b=5000), 20_000 * 1_000_000, digest, previous=first)
    assert read == ["b"]
    assert second["a"].digest == first["a"].digest
    read.clear()
    # A file that was racy (modified just before) is always read again.
    racy = fingerprint(stamps(a=19_500), 20_000 * 1_000_000, digest)
    read.clear()
    fingerprint(stamps(a=19_500), 30_000 * 1_000_000, digest, previous=racy)
    assert read == ["a"]
