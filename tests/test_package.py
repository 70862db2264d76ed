"""The package installs: a wheel built from the repository carries the default theme and the
schemas, and its ``explainer`` command builds a site from any folder in a fresh virtual env."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from explainer import config, freshness, resources

from conftest import REPO, copy_example

# What the source distribution carries (MANIFEST.in): enough to build the wheel.
SOURCES = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "explainer", "templates", "schemas"]
LOCK = REPO / "requirements" / "test.lock"


def test_one_home_for_the_default_theme() -> None:
    """In a checkout the default theme is the top-level templates/; config and freshness use that one path."""
    assert resources.PACKAGE_TEMPLATES == REPO / "templates"
    assert resources.PACKAGE_SCHEMAS == REPO / "schemas"
    assert config.PACKAGE_TEMPLATES is resources.PACKAGE_TEMPLATES
    assert freshness.PACKAGE_TEMPLATES is resources.PACKAGE_TEMPLATES


def test_python_m_explainer_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "explainer", "check", "--help"], capture_output=True, text=True,
                          check=False, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m explainer check") and "--base-url" in done.stdout


def _clean_env() -> dict[str, str]:
    """The environment without PYTHONPATH, so the installed package is used, not this checkout."""
    return {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=cwd, env=_clean_env())
    assert done.returncode == 0, f"{' '.join(argv)}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_wheel_installs_and_builds_the_example_from_another_folder(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy, so the build leaves no build/ or egg-info in the checkout
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, source / name)
    started = time.perf_counter()
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(source)],
         tmp_path)
    wheel = next((tmp_path / "dist").glob("explainer-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "explainer/templates/base.html" in names and "explainer/templates/static/site.css" in names
    assert "explainer/schemas/vote.schema.json" in names and "explainer/scaffold/files/config.yaml" in names
    built = time.perf_counter()

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    constraints = ["-c", str(LOCK)] if LOCK.is_file() else []  # the same versions as the test environment
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel), *constraints], tmp_path)
    installed = time.perf_counter()
    print(f"wheel {built - started:.1f}s, venv + install {installed - built:.1f}s")

    where = _run([str(venv / "bin" / "python"), "-c", "import explainer.resources as r; print(r.PACKAGE_TEMPLATES)"],
                 tmp_path).stdout.strip()
    assert Path(where).is_relative_to(venv) and Path(where, "base.html").is_file()

    project = copy_example(tmp_path / "story")
    # The site's own templates override the installed ones file by file.
    (project / "templates").mkdir()
    (project / "templates" / "404.html").write_text("<!doctype html><title>Lost</title><p>Own 404 page</p>\n",
                                                    encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _run([str(venv / "bin" / "python"), "-m", "explainer", "check", "--root", str(project)], elsewhere)
    done = _run([str(venv / "bin" / "explainer"), "build", "--root", str(project), "--out", str(tmp_path / "site")],
                elsewhere)
    assert "built " in done.stdout
    site = tmp_path / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "putin-us-relations-trump" in index and 'href="/static/site.css"' in index
    article = (site / "articles" / "putin-us-relations-trump" / "index.html").read_text(encoding="utf-8")
    assert 'href="/actors/dmitry-peskov/"' in article
    assert (site / "static" / "site.css").read_bytes() == (REPO / "templates" / "static" / "site.css").read_bytes()
    assert "Own 404 page" in (site / "404.html").read_text(encoding="utf-8")
    # A newcomer's first two commands, from the installed package alone.
    _run([str(venv / "bin" / "explainer"), "new", "fresh"], elsewhere)
    _run([str(venv / "bin" / "explainer"), "check", "--strict"], elsewhere / "fresh")
    print(f"checked, built and scaffolded in {time.perf_counter() - installed:.1f}s")


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        name, _, version = line.split(";", 1)[0].strip().partition("==")
        if version:
            pins[re.sub(r"[-_.]+", "-", name.split("[", 1)[0]).lower()] = version.strip()
    return pins


def test_the_lock_has_every_pin_of_pyproject_and_every_package_pinned() -> None:
    """make installs requirements/test.lock: it must agree with pyproject.toml's pins (make lock)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = _pins([*project["dependencies"], *project["optional-dependencies"]["test"]])
    lines = [line for line in LOCK.read_text(encoding="utf-8").splitlines() if line and line[0] not in "# "]
    locked = _pins(lines)
    assert len(locked) == len(lines), "every line of the lock is an exact name==version pin"
    assert {name: locked.get(name) for name in declared} == declared, "run 'make lock' after changing a pin"
