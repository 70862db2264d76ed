"""Publish an already-built site/ to a gh-pages branch and push it (``build.py deploy``).

The second deploy route; the first is .github/workflows/pages.yml, which needs no git plumbing.
Like ``mkdocs gh-deploy`` we let ghp-import write the branch (one ``git fast-import`` commit of
the whole folder, on top of the remote branch, with ``.nojekyll`` and ``CNAME``), but every
other git call lives in its own tiny function that fails with a message saying what to do
(STYLE.md habit 17).

Two choices differ from MkDocs, both so that nothing depends on process-wide state:
- ghp-import runs git in the current directory and reads the committer from ``os.environ``.
  Instead of ``os.chdir`` and editing ``os.environ`` we hand it a ``Git`` subclass that pins
  ``cwd`` and ``env`` on every call it makes.
- We push ourselves, not with ``ghp_import(push=True)``: its ``check_call`` lets git's message
  scroll past and raises a bare ``CalledProcessError``; we capture the message and add advice.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ghp_import  # type: ignore[import-untyped]  # no py.typed in 2.1.0

from . import __version__
from .errors import ExplainerError

# Used only when neither the environment nor git config names a committer: CI runners and
# fresh containers have no identity, and the gh-pages commit is made by the tool anyway.
FALLBACK_NAME = "Explainer deploy"
FALLBACK_EMAIL = "explainer@localhost"


class DeployError(ExplainerError):
    """Deploying failed; the message says why and what to try."""


def deploy(
    site_dir: Path,
    *,
    repo_dir: Path,
    remote: str = "origin",
    branch: str = "gh-pages",
    message: str | None = None,
    cname: str | None = None,
    push: bool = True,
) -> str:
    """Publish the already-built site_dir to `branch` of the git repo at repo_dir and push it
    to `remote`. Returns the commit sha of the branch. Raises DeployError with guidance.

    Every check runs before anything is written, so a refused deploy changes nothing.
    """
    _check_site_dir(site_dir)
    _check_cname(cname)
    env = _git_env(repo_dir)
    _check_git_repo(repo_dir, env)
    _check_branch(repo_dir, branch, env)
    if push:
        _check_remote(repo_dir, remote, env)
    if message is None:
        message = default_message(_current_sha(repo_dir, env))
    _mark_site_dir(site_dir, cname)
    _import_site(
        site_dir, repo_dir, env, remote=remote, branch=branch, message=message, cname=cname
    )
    sha = _branch_sha(repo_dir, branch, env)
    if push:
        _push(repo_dir, remote, branch, env)
    return sha


def default_message(source_sha: str) -> str:
    """Name the source commit, so a live site can be traced back to the content it shows."""
    return f"Deploy {source_sha} with Explainer {__version__}"


# --- checks on our own inputs (no git) ------------------------------------------------------


def _check_site_dir(site_dir: Path) -> None:
    if not site_dir.is_dir():
        raise DeployError(
            f"there is no built site at {site_dir}: run `python build.py build` first"
        )
    if not any(site_dir.iterdir()):
        raise DeployError(
            f"the site folder {site_dir} is empty: run `python build.py build` first"
        )


def _check_cname(cname: str | None) -> None:
    # GitHub reads CNAME as a bare host name; a URL there silently breaks the custom domain.
    if cname is not None and (not cname or "/" in cname or ":" in cname or cname != cname.strip()):
        raise DeployError(
            f"CNAME {cname!r} is not a bare domain: give just the host, like news.example.org"
        )


def _mark_site_dir(site_dir: Path, cname: str | None) -> None:
    """Put .nojekyll (and CNAME) in the folder too, so it matches what the branch holds.

    Without .nojekyll GitHub's Jekyll step drops files and folders whose names start with "_".
    The CNAME bytes are those ghp-import writes (no trailing newline), so folder and branch agree.
    """
    (site_dir / ".nojekyll").touch()
    if cname is not None:
        (site_dir / "CNAME").write_text(cname, encoding="utf-8")


# --- git, one call per function -------------------------------------------------------------


def _git_env(repo_dir: Path) -> dict[str, str]:
    """The environment for every git child: ours, plus a fallback identity only where unset."""
    env = dict(os.environ)
    for part, fallback in (("NAME", FALLBACK_NAME), ("EMAIL", FALLBACK_EMAIL)):
        unset = [v for v in (f"GIT_AUTHOR_{part}", f"GIT_COMMITTER_{part}") if not env.get(v)]
        if unset and not _git_config(repo_dir, f"user.{part.lower()}", env):
            env.update(dict.fromkeys(unset, fallback))
    return env


def _run_git(
    repo_dir: Path, args: Sequence[str], env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run one git command in repo_dir and capture its output; never through a shell."""
    if not repo_dir.is_dir():
        raise DeployError(f"{repo_dir} is not a folder: deploy from inside your repository")
    try:
        return subprocess.run(
            ["git", *args], cwd=repo_dir, env=dict(env), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise DeployError("git is not installed or not on PATH: install git and try again") from exc


def _git_config(repo_dir: Path, key: str, env: Mapping[str, str]) -> str:
    # Outside a repository `git config` still reads global config, and an unset key is exit 1.
    return _run_git(repo_dir, ["config", "--get", key], env).stdout.strip()


def _is_git_repo(repo_dir: Path, env: Mapping[str, str]) -> bool:
    return _run_git(repo_dir, ["rev-parse", "--git-dir"], env).returncode == 0


def _check_git_repo(repo_dir: Path, env: Mapping[str, str]) -> None:
    if not _is_git_repo(repo_dir, env):
        raise DeployError(
            f"{repo_dir} is not inside a git repository: deploy from inside your repository, "
            "or create one with `git init` and add your project"
        )


def _current_branch(repo_dir: Path, env: Mapping[str, str]) -> str | None:
    """The checked-out branch, or None on a detached HEAD."""
    result = _run_git(repo_dir, ["symbolic-ref", "--quiet", "--short", "HEAD"], env)
    return result.stdout.strip() if result.returncode == 0 else None


def _is_valid_branch_name(repo_dir: Path, branch: str, env: Mapping[str, str]) -> bool:
    # A leading "-" would be read as an option by the git commands that take the name later.
    if branch.startswith("-"):
        return False
    return _run_git(repo_dir, ["check-ref-format", "--branch", branch], env).returncode == 0


def _check_branch(repo_dir: Path, branch: str, env: Mapping[str, str]) -> None:
    if not _is_valid_branch_name(repo_dir, branch, env):
        raise DeployError(f"{branch!r} is not a valid branch name: pass --branch gh-pages")
    if branch == _current_branch(repo_dir, env):
        # ghp-import replaces the branch's whole tree with site/; on the checked-out branch
        # that would turn every source file into a deletion waiting in `git status`.
        raise DeployError(
            f"refusing to deploy to {branch!r}: it is the branch you have checked out, and "
            "deploying replaces its files with the built site, which would overwrite your work; "
            "pass --branch with a branch that only holds the site (gh-pages), or switch back "
            "to your source branch first"
        )


def _remote_exists(repo_dir: Path, remote: str, env: Mapping[str, str]) -> bool:
    # Compare against the list rather than pass the name to git: no option injection possible.
    return remote in _run_git(repo_dir, ["remote"], env).stdout.split()


def _check_remote(repo_dir: Path, remote: str, env: Mapping[str, str]) -> None:
    if not _remote_exists(repo_dir, remote, env):
        raise DeployError(
            f"the repository has no remote named {remote!r}: add it with "
            f"`git remote add {remote} URL`, or pass --remote with one listed by `git remote -v`"
        )


def _current_sha(repo_dir: Path, env: Mapping[str, str]) -> str:
    result = _run_git(repo_dir, ["rev-parse", "--verify", "--quiet", "HEAD"], env)
    if result.returncode != 0:
        raise DeployError(
            "the repository has no commits yet, so the deploy message cannot name one: "
            "commit your content first, or pass --message TEXT"
        )
    return result.stdout.strip()


def _branch_sha(repo_dir: Path, branch: str, env: Mapping[str, str]) -> str:
    result = _run_git(repo_dir, ["rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], env)
    if result.returncode != 0:
        raise DeployError(
            f"git did not create branch {branch!r} (see git's message above); "
            "check that `git fast-import` works in this repository"
        )
    return result.stdout.strip()


def _push(repo_dir: Path, remote: str, branch: str, env: Mapping[str, str]) -> None:
    ref = f"refs/heads/{branch}"
    result = _run_git(repo_dir, ["push", remote, f"{ref}:{ref}"], env)
    if result.returncode != 0:
        git_says = result.stderr.strip()
        raise DeployError(
            f"pushing {branch!r} to {remote!r} failed: "
            f"{_push_advice(git_says, remote, branch)}.\ngit said:\n{git_says}"
        )


def _push_advice(git_says: str, remote: str, branch: str) -> str:
    if "(fetch first)" in git_says or "(non-fast-forward)" in git_says:
        return (
            f"{remote}/{branch} has commits this clone has not seen (someone deployed from "
            f"elsewhere). Run `git fetch {remote} {branch}` and deploy again; the new commit "
            "then goes on top of theirs"
        )
    if "[remote rejected]" in git_says:
        return (
            f"the remote refused the update: check whether {branch!r} is a protected branch "
            "or a server hook declines pushes to it"
        )
    return (
        "check the URL with `git remote -v`, your credentials, and that you may push to it, "
        f"for example with `git push {remote} {branch}`"
    )


# --- ghp-import -----------------------------------------------------------------------------


class _RepoGit(ghp_import.Git):  # type: ignore[misc]
    """ghp-import's git runner, pinned to one repository and one environment."""

    def __init__(self, repo_dir: Path, env: Mapping[str, str]) -> None:
        super().__init__(use_shell=False)
        self.repo_dir = repo_dir
        self.env = dict(env)

    def open(self, *args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
        kwargs.setdefault("cwd", self.repo_dir)
        kwargs.setdefault("env", self.env)
        return super().open(*args, **kwargs)  # type: ignore[no-any-return]

    def get_config(self, key: str) -> bytes:
        # start_commit() asks os.environ, then `git config`, for the committer; neither knows our
        # fallback identity, so answer from the child environment when config has nothing.
        value: bytes = super().get_config(key)
        fallback = {"user.name": "GIT_COMMITTER_NAME", "user.email": "GIT_COMMITTER_EMAIL"}
        if not value and key in fallback:
            return self.env.get(fallback[key], "").encode()
        return value


def _import_site(
    site_dir: Path,
    repo_dir: Path,
    env: Mapping[str, str],
    *,
    remote: str,
    branch: str,
    message: str,
    cname: str | None,
) -> None:
    """Commit site_dir as the whole tree of `branch`, on top of `remote`/`branch` if it exists.

    These are the steps of ghp_import.ghp_import() minus its chdir-dependent Git() and its push.
    """
    git = _RepoGit(repo_dir, env)
    if not git.try_rebase(remote, branch):
        raise DeployError(
            f"could not start {branch!r} from {remote}/{branch}: run `git fetch {remote}` and retry"
        )
    options = {
        "branch": branch,
        "mesg": message,
        "prefix": None,
        "followlinks": False,
        "nojekyll": True,
        "cname": cname,
    }
    try:
        ghp_import.run_import(git, str(site_dir.resolve()), **options)
    except TypeError as exc:
        # ghp-import 2.1.0 reports a failed fast-import with sys.stdout.write(bytes), which
        # itself raises TypeError on Python 3; git has already printed its own reason.
        raise DeployError(
            f"git fast-import failed while writing {branch!r} (see git's message above)"
        ) from exc
