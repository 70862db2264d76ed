"""Publish an already-built site/ to a gh-pages branch and push it (``build.py deploy``).

The second deploy route; the first is .github/workflows/pages.yml, which needs no git plumbing.
A deploy is all or nothing (issue #17.6): the commit is built aside with git's plumbing (the
site's files written as objects, a tree made through a temporary index, a commit on top of the
remote branch), the tree is checked to hold every file of the site with the same bytes, and only
then is the branch moved, in one compare-and-swap ``update-ref``, and pushed. A deploy killed
at any point before that leaves the branch where it was; objects it wrote are unreferenced and
git's garbage collection removes them. (ghp-import, used before, streamed the folder into
``git fast-import``, which moves the branch to whatever it received when its input ends early.)

Every git call lives in its own tiny function that fails with a message saying what to do
(STYLE.md habit 17); git runs in the repository with an environment we pass, never through
``os.chdir`` or changes to ``os.environ``. We push ourselves and capture git's message to add
advice.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__, faults
from .errors import ExplainerError
from .outdir import MARKER

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
        message = default_message(_current_sha(repo_dir, env), _has_uncommitted(repo_dir, site_dir, env))
    _mark_site_dir(site_dir, cname)
    files = _site_files(site_dir, _object_format(repo_dir, env))
    before = _ref_sha(repo_dir, f"refs/heads/{branch}", env)
    parent = _parent(repo_dir, before, _ref_sha(repo_dir, f"refs/remotes/{remote}/{branch}", env), env)
    tree = _write_tree(repo_dir, files, env)
    _verify_tree(repo_dir, tree, files, env)
    sha = _commit_tree(repo_dir, tree, parent, message, env)
    faults.point("deploy-committed")
    _move_branch(repo_dir, branch, sha, before, env)
    faults.point("deploy-moved")
    if push:
        _push(repo_dir, remote, branch, env)
    return sha


def default_message(source_sha: str, uncommitted: bool = False) -> str:
    """Name the source commit, so a live site can be traced back to the content it shows, and
    say when the site was built from more than that commit."""
    changes = " with uncommitted changes" if uncommitted else ""
    return f"Deploy {source_sha}{changes} with Explainer {__version__}"


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
    The CNAME bytes are those earlier deploys wrote (no trailing newline); the branch gets the folder's.
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
        # A deploy replaces the branch's whole tree with site/; on the checked-out branch
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


def _parent(repo_dir: Path, local: str | None, remote: str | None, env: Mapping[str, str]) -> str | None:
    """What the new commit follows: the remote's branch as last seen, unless the local branch
    is ahead of it. A deploy killed after moving the local branch (before or during the push,
    even once the remote took it) left the local branch ahead: building on it makes the next
    push a fast-forward either way."""
    if local is None or remote is None or local == remote:
        return remote or local
    ahead = _run_git(repo_dir, ["merge-base", "--is-ancestor", remote, local], env).returncode == 0
    return local if ahead else remote


def _ref_sha(repo_dir: Path, ref: str, env: Mapping[str, str]) -> str | None:
    result = _run_git(repo_dir, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], env)
    return result.stdout.strip() if result.returncode == 0 else None


def _has_uncommitted(repo_dir: Path, site_dir: Path, env: Mapping[str, str]) -> bool:
    """Changed, staged or new (not ignored) files in the project, the output folder apart."""
    args = ["status", "--porcelain", "--", "."]
    inside = os.path.relpath(site_dir.resolve(), repo_dir.resolve())
    if not inside.startswith(".."):
        args.append(f":(exclude){inside}")
    result = _run_git(repo_dir, args, env)
    return result.returncode == 0 and bool(result.stdout.strip())


def _object_format(repo_dir: Path, env: Mapping[str, str]) -> str:
    result = _run_git(repo_dir, ["rev-parse", "--show-object-format"], env)
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "sha1"


def _checked(repo_dir: Path, args: Sequence[str], env: Mapping[str, str], what: str,
             stdin: str | None = None) -> str:
    """Run a git plumbing command that must succeed; its failure says what failed and why."""
    if not repo_dir.is_dir():
        raise DeployError(f"{repo_dir} is not a folder: deploy from inside your repository")
    result = subprocess.run(["git", *args], cwd=repo_dir, env=dict(env), input=stdin, capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise DeployError(f"git could not {what}; nothing was published and the branch is unchanged.\n"
                          f"git said:\n{result.stderr.strip()}")
    return result.stdout


def _write_tree(repo_dir: Path, files: dict[str, SiteFile], env: Mapping[str, str]) -> str:
    """Write every file as an object (bytes as they are: no line-ending or filter conversion)
    and make their tree through a temporary index; no ref and no work tree is touched."""
    names = sorted(files)
    paths = "".join(f"{files[name].path}\n" for name in names)
    written = _checked(repo_dir, ["hash-object", "-w", "--no-filters", "--stdin-paths"], env,
                       "write the site's files into the repository", paths).split()
    faults.point("deploy-objects")
    if written != [files[name].blob for name in names]:
        raise DeployError("the site changed while it was being deployed: build it again and deploy")
    entries = "".join(f"{files[name].mode} {files[name].blob}\t{name}\0" for name in names)
    with tempfile.TemporaryDirectory(prefix="explainer-deploy-") as scratch:
        index_env = {**env, "GIT_INDEX_FILE": os.path.join(scratch, "index")}
        _checked(repo_dir, ["update-index", "-z", "--add", "--index-info"], index_env, "list the site's files",
                 entries)
        return _checked(repo_dir, ["write-tree"], index_env, "make the site's tree").strip()


def _verify_tree(repo_dir: Path, tree: str, files: dict[str, SiteFile], env: Mapping[str, str]) -> None:
    """The tree must hold exactly the site's files, each with its mode and the hash of its bytes."""
    listing = _checked(repo_dir, ["ls-tree", "-r", "-z", "--full-tree", tree], env, "read back the site's tree")
    found = {}
    for entry in filter(None, listing.split("\0")):
        info, name = entry.split("\t", 1)
        mode, _kind, blob = info.split()
        found[name] = (mode, blob)
    expected = {name: (file.mode, file.blob) for name, file in files.items()}
    if found != expected:
        missing = sorted(set(expected) - set(found)) or sorted(n for n in found if found[n] != expected.get(n))
        raise DeployError(f"the commit git made does not hold the site as built (first difference: {missing[:1]}); "
                          "nothing was published: build again and deploy")


def _commit_tree(repo_dir: Path, tree: str, parent: str | None, message: str, env: Mapping[str, str]) -> str:
    parents = ["-p", parent] if parent else []
    return _checked(repo_dir, ["commit-tree", tree, *parents, "-F", "-"], env, "make the deploy commit",
                    message if message.endswith("\n") else message + "\n").strip()


def _move_branch(repo_dir: Path, branch: str, sha: str, before: str | None, env: Mapping[str, str]) -> None:
    """Move the branch in one step, and only from where it was when the deploy started."""
    ref = f"refs/heads/{branch}"
    result = _run_git(repo_dir, ["update-ref", "-m", "explainer deploy", ref, sha, before or ""], env)
    if result.returncode != 0:
        raise DeployError(f"{branch!r} changed while deploying (another deploy?); it was left as it is: "
                          f"deploy again.\ngit said:\n{result.stderr.strip()}")


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


# --- the site as files ----------------------------------------------------------------------


@dataclass(frozen=True)
class SiteFile:
    path: Path
    mode: str  # git's file mode: 100755 for executables, else 100644
    blob: str  # the hash git gives these bytes as an object


def _site_files(site_dir: Path, object_format: str) -> dict[str, SiteFile]:
    """Every file to publish, by its path in the branch: the whole folder but our marker.

    Hashed here, as git hashes objects, so that the tree git makes can be checked against what
    is on disk. A link is refused: the branch would hold the link, not the page."""
    files = {}
    for folder, subfolders, names in os.walk(site_dir):
        subfolders.sort()
        for name in sorted(names + [d for d in subfolders if os.path.islink(os.path.join(folder, d))]):
            path = Path(folder, name)
            relative = path.relative_to(site_dir).as_posix()
            if relative == MARKER:
                continue
            if "\n" in relative:
                raise DeployError(f"{path!r}: a file name with a line break cannot be deployed; rename it")
            if path.is_symlink() or not path.is_file():
                raise DeployError(f"{path} is not a regular file: a built site holds only files; "
                                  "build again (python build.py build) and deploy")
            data = path.read_bytes()
            digest = hashlib.new(object_format, b"blob %d\0" % len(data) + data).hexdigest()
            mode = "100755" if os.access(path, os.X_OK) else "100644"
            files[relative] = SiteFile(path.resolve(), mode, digest)
    return files

