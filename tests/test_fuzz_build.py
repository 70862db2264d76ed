"""Fuzz target for issue #17: hostile project trees through ``build`` and ``check``.

Each example starts from a copy of a tiny valid project, already built, with a sibling
``outside/`` folder that links may point to, and makes it hostile: symlinks in and out of the
project, FIFOs, deep YAML nesting, control characters, huge values, duplicate ids, odd file
names, empty and binary files. ``build`` and ``check`` then run in a child process (a crash
must not take pytest with it), and for every run:

- the exit code is 0 or 1: never 3 (a bug), a signal, or a hang;
- nothing outside ``site/`` and ``.explainer-cache/`` changed, in the project or outside it (but a
  successful build's ``published-urls.txt``, the record the README documents);
- after a failed build, ``site/`` is byte-identical to the site before it; after a successful
  one it is ours (marker) and no staging folder or old copy is left beside it.

Bounded in the normal suite; ``EXPLAINER_FUZZ_EXAMPLES=2000`` runs a longer campaign.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from explainer import outdir
from tests.conftest_helpers import REPO, TINY_ACTOR, site_bytes, write_tiny

EXAMPLES = int(os.environ.get("EXPLAINER_FUZZ_EXAMPLES", "30"))
# Shrinking reruns two child processes per step, minutes for one failure; the mutations print
# readably (e.g. ``dangling('articles')``), so EXPLAINER_FUZZ_SHRINK=0 skips it when hunting.
PHASES = [phase for phase in Phase if os.environ.get("EXPLAINER_FUZZ_SHRINK") != "0" or phase != Phase.shrink]
TIMEOUT = 60  # seconds: a build of this tiny project takes about one; more is a hang (a FIFO read)

Mutation = Callable[[Path, Path], None]  # (project, outside) -> None


# --- the mutations -------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _link(path: Path, target: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not os.path.lexists(path):
        path.symlink_to(target)


KINDS = ["articles", "actors", "quotes", "votes"]
SUFFIX = {"articles": ".md", "actors": ".yaml", "quotes": ".yaml", "votes": ".yaml"}
ODD_NAMES = ["-leading-dash", "with space", "ünïcödé", "new\nline", "tab\tname", "x" * 200, ".hidden",
             "semi;colon", "quote'\"", "back\\slash", "percent%20", "UPPER", "a.b.c"]


def link_out(kind: str, to_folder: bool) -> Mutation:
    def apply(project: Path, outside: Path) -> None:
        target = outside / ("folder" if to_folder else f"secret{SUFFIX[kind]}")
        name = "linked" if to_folder else f"linked{SUFFIX[kind]}"
        _link(project / "content" / kind / name, os.path.relpath(target, project / "content" / kind))
    return apply


def link_in(kind: str) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        source = next(iter(sorted((project / "content" / kind).glob(f"*{SUFFIX[kind]}"))), None)
        if source is not None:
            _link(project / "content" / kind / f"again{SUFFIX[kind]}", source.name)
    return apply


def dangling(kind: str) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        _link(project / "content" / kind / f"gone{SUFFIX[kind]}", "does-not-exist")
    return apply


def folder_link(where: str) -> Mutation:
    """A whole folder of the project replaced by a link out (content/actors, templates/static)."""
    def apply(project: Path, outside: Path) -> None:
        path = project / where
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        _link(path, os.path.relpath(outside / "folder", path.parent))
    return apply


def static_link_out(project: Path, outside: Path) -> None:
    _link(project / "templates" / "static" / "leak.txt", os.path.relpath(outside / "secret.yaml",
                                                                         project / "templates" / "static"))


def fifo(kind: str) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        path = project / "content" / kind / f"pipe{SUFFIX[kind]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not os.path.lexists(path):
            os.mkfifo(path)
    return apply


def deep_yaml(depth: int, flow: bool) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        if flow:
            text = "id: deep\nmembers: " + "[" * depth + "]" * depth + "\n"
        else:
            text = "id: deep\nmembers:\n" + "".join(" " * i + "- \n" for i in range(min(depth, 3000)))
        _write(project / "content" / "votes" / "deep.yaml", text.encode())
    return apply


def control_character(code: int, where: str) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        char = chr(code)
        if where == "title":
            _replace(project / "content/articles/tiny.md", "A tiny article", f"A tiny{char}article")
        elif where == "body":
            _replace(project / "content/articles/tiny.md", "Vladimir Putin spoke.", f"Vladimir{char} Putin spoke.")
        elif where == "name":
            _replace(project / "content/actors/vladimir-putin.yaml", "name: Vladimir Putin",
                     f'name: "Vladimir\\x{code:02x}Putin"' if code < 0x100 else f"name: Vladimir{char}Putin")
        else:
            _replace(project / "config.yaml", "title: Tiny", f'title: "Ti\\x{code:02x}ny"' if code < 0x100 else
                     f"title: Ti{char}ny")
    return apply


def _replace(path: Path, old: str, new: str) -> None:
    if path.is_file() and not path.is_symlink():
        path.write_text(path.read_text(encoding="utf-8", errors="replace").replace(old, new, 1), encoding="utf-8")


def huge(size: int, where: str) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        if where == "title":
            _replace(project / "content/articles/tiny.md", "A tiny article", "A" * size)
        elif where == "body":
            with (project / "content/articles/tiny.md").open("a", encoding="utf-8") as file:
                file.write(("word " * (size // 5)) + "\n")
        else:
            _write(project / "content/actors/huge.yaml",
                   f"id: huge\nkind: person\nname: Huge\ndescription: {'d' * size}\n".encode())
    return apply


def duplicate_id(kind: str) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        source = next(iter(sorted((project / "content" / kind).glob(f"*{SUFFIX[kind]}"))), None)
        if source is not None and source.is_file():
            _write(source.with_name(f"copy-{source.name}"), source.read_bytes())
    return apply


def odd_name(kind: str, name: str) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        data = TINY_ACTOR.encode() if kind == "actors" else b"- id: odd\n" if kind == "quotes" else b"title: odd\n"
        _write(project / "content" / kind / f"{name}{SUFFIX[kind]}", data)
    return apply


def raw_file(kind: str, data: bytes, name: str) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        _write(project / "content" / kind / f"{name}{SUFFIX[kind]}", data)
    return apply


def yaml_text(text: str) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        _write(project / "content" / "actors" / "tagged.yaml", text.encode())
    return apply


def config_text(data: bytes) -> Mutation:
    def apply(project: Path, _outside: Path) -> None:
        _write(project / "config.yaml", data)
    return apply


def foreign_site(project: Path, _outside: Path) -> None:
    """A hand-written file in an output folder without our marker: must be refused, not replaced."""
    (project / "site" / outdir.MARKER).unlink(missing_ok=True)
    _write(project / "site" / "about.md", b"# About us\n")


def site_link(project: Path, outside: Path) -> None:
    """site/ as a link to a folder outside (in the snapshot): must be refused, the folder kept."""
    if not (project / "site").is_symlink():
        shutil.rmtree(project / "site")
    _link(project / "site", os.path.relpath(outside / "folder", project))


kinds = st.sampled_from(KINDS)
mutations: st.SearchStrategy[Mutation] = st.one_of(
    st.builds(link_out, kinds, st.booleans()),
    st.builds(link_in, kinds),
    st.builds(dangling, kinds),
    st.builds(folder_link, st.sampled_from(["content/actors", "content/articles", "templates/static"])),
    st.just(static_link_out),
    st.just(foreign_site),
    st.just(site_link),
    st.builds(fifo, kinds),
    st.builds(deep_yaml, st.sampled_from([50, 1000, 30000]), st.booleans()),
    st.builds(control_character, st.sampled_from([0, 1, 8, 0x0B, 0x0C, 0x1B, 0x7F, 0x85, 0x2028, 0xFEFF]),
              st.sampled_from(["title", "body", "name", "config"])),
    st.builds(huge, st.sampled_from([1000, 200_000, 2_000_000]), st.sampled_from(["title", "body", "actor"])),
    st.builds(duplicate_id, kinds),
    st.builds(odd_name, kinds, st.sampled_from(ODD_NAMES)),
    st.builds(raw_file, kinds, st.one_of(st.just(b""), st.binary(min_size=1, max_size=64),
                                         st.just(b"\xff\xfe\x00\x00binary\x00"), st.just(b"---\n---\n")),
              st.sampled_from(["empty", "bin", "x"])),
    st.builds(yaml_text, st.sampled_from([
        "id: tagged\nkind: person\nname: !!binary aGVsbG8=\n",
        "id: tagged\nkind: person\nname: Tagged\naliases: !!set {a, b}\n",
        "id: tagged\nkind: !!python/object:os.system person\nname: T\n",
        "&a [*a]\n", "a: &x [1]\nb: *x\n" * 3, "id: [\n", "\t- tab\n",
    ])),
    st.builds(config_text, st.sampled_from([
        b"", b"\x00\x01", b"title: T\nbase_url: '\"<>'\n", b"title: T\nbase_url: /\ndeploy: {cname: 'a/b'}\n",
        b"- a list\n", b"title: [" * 1000 + b"\n",
    ])),
)


# --- running and observing -----------------------------------------------------------------


def snapshot(folder: Path, skip: set[Path]) -> dict[str, str]:
    """Every entry under ``folder`` by kind and content hash, without following links or
    opening FIFOs; of the folders in ``skip`` only whether they are a folder or a link counts."""
    found: dict[str, str] = {}
    for current, subfolders, names in os.walk(folder):
        entries = sorted(subfolders + names)
        subfolders[:] = sorted(name for name in subfolders if Path(current, name) not in skip)
        for name in entries:
            path = Path(current, name)
            relative = str(path.relative_to(folder))
            mode = path.lstat().st_mode
            if path in skip and stat.S_ISDIR(mode):
                found[relative] = "folder"
            elif stat.S_ISLNK(mode):
                found[relative] = "link " + os.readlink(path)
            elif stat.S_ISREG(mode):
                found[relative] = "file " + hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISDIR(mode):
                found[relative] = f"folder {stat.S_IMODE(mode):o}"
            else:
                found[relative] = f"special {stat.S_IFMT(mode):o}"
    return found


def run(command: str, project: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "EXPLAINER_WORKERS": "1"}
    env.pop("EXPLAINER_FAULT", None)
    child = subprocess.Popen([sys.executable, str(REPO / "build.py"), command, "--root", str(project)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = child.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"`{command}` hung for {TIMEOUT}s")
    return subprocess.CompletedProcess(child.args, child.returncode, out, err)


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project with its site built once, and an ``outside`` folder beside it."""
    base = tmp_path_factory.mktemp("fuzz-template")
    project = write_tiny(base / "project")
    (project / "templates" / "static").mkdir(parents=True)
    (project / "templates" / "static" / "own.css").write_text("body { color: black }\n", encoding="utf-8")
    outside = base / "outside"
    (outside / "folder").mkdir(parents=True)
    for name in ("secret.yaml", "secret.md", "folder/secret.yaml", "folder/secret.md"):
        (outside / name).write_text("id: secret\nkind: person\nname: Secret\n", encoding="utf-8")
    result = run("build", project)
    assert result.returncode == 0, result.stderr.decode()
    return base


@pytest.mark.timeout(max(600, EXAMPLES * 30))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=PHASES)
@given(st.lists(mutations, min_size=1, max_size=4))
def test_hostile_projects_never_crash_leak_or_lose_the_site(built_template: Path, changes: list[Mutation]) -> None:
    with tempfile.TemporaryDirectory(prefix="explainer-fuzz-") as scratch:
        base = Path(scratch)
        shutil.copytree(built_template, base, symlinks=True, dirs_exist_ok=True)
        project, outside = base / "project", base / "outside"
        for change in changes:
            change(project, outside)
        site, cache = project / "site", project / ".explainer-cache"
        before = snapshot(base, {site, cache})
        site_before = site_bytes(site)

        record = project / "published-urls.txt"
        for command in ("check", "build"):  # check first: it must write nothing at all
            result = run(command, project)
            err = result.stderr.decode(errors="replace")
            assert result.returncode in (0, 1), f"`{command}` exited {result.returncode}:\n{err[-3000:]}"
            assert "Traceback" not in err and "internal error" not in err, err[-3000:]
            after = snapshot(base, {site, cache})
            if command == "build" and result.returncode == 0:
                # A build that succeeds also records the pages it published (README: Redirects);
                # that one file, and nothing else, may differ, and only as a regular file.
                assert after.get("project/published-urls.txt", "file").startswith("file"), "the record is a file"
                after.pop("project/published-urls.txt", None)
                before.pop("project/published-urls.txt", None)
            elif command == "build":
                assert not record.exists() or after.get("project/published-urls.txt") == \
                    before.get("project/published-urls.txt"), "a failed build changed the record"
            assert after == before, f"`{command}` changed files outside site/"
        if result.returncode == 1:
            assert site_bytes(site) == site_before, "a failed build changed site/"
        else:
            assert outdir.is_ours(site)
            assert not [name for name in os.listdir(project) if name.startswith(".site.")]
