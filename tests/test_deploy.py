"""deploy(): site/ -> gh-pages of a local bare "origin", with no network and no global git setup."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from explainer import __version__
from explainer.deploy import FALLBACK_EMAIL, FALLBACK_NAME, DeployError, deploy

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.org",
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config, a fixed identity, and no repository above tmp_path.

    CI runners have no git identity; the developer's own config (signing, hooks, default
    branch) must not change what these tests see either.
    """
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name, value in IDENTITY.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    return bare


@pytest.fixture
def work(tmp_path: Path, origin: Path) -> Path:
    """A work repository on branch main, with one commit and `origin` pointing at the bare repo."""
    repo = tmp_path / "work"
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    (repo / "config.yaml").write_text("title: Test\n", encoding="utf-8")
    git(repo, "add", "config.yaml")
    git(repo, "commit", "--quiet", "-m", "content")
    git(repo, "remote", "add", "origin", str(origin))
    return repo


@pytest.fixture
def site(work: Path) -> Path:
    site_dir = work / "site"
    (site_dir / "_underscore").mkdir(parents=True)
    (site_dir / "index.html").write_text("<h1>first</h1>\n", encoding="utf-8")
    (site_dir / "_underscore" / "file.txt").write_text("kept\n", encoding="utf-8")
    return site_dir


def tree(bare: Path, branch: str = "gh-pages") -> list[str]:
    return git(bare, "--git-dir", str(bare), "ls-tree", "-r", "--name-only", branch).split()


def show(bare: Path, spec: str) -> str:
    return git(bare, "--git-dir", str(bare), "show", spec)


def test_deploy_pushes_site_with_nojekyll_cname_and_underscore_files(
    work: Path, origin: Path, site: Path
) -> None:
    sha = deploy(site, repo_dir=work, cname="news.example.org")

    assert sorted(tree(origin)) == [".nojekyll", "CNAME", "_underscore/file.txt", "index.html"]
    assert show(origin, "gh-pages:CNAME").strip() == "news.example.org"
    assert show(origin, "gh-pages:index.html") == "<h1>first</h1>\n"
    assert git(origin, "--git-dir", str(origin), "rev-parse", "gh-pages").strip() == sha
    # The folder holds the same marker files as the branch.
    assert (site / ".nojekyll").is_file()
    assert (site / "CNAME").read_text(encoding="utf-8") == "news.example.org"


def test_default_message_names_source_commit_and_version(
    work: Path, origin: Path, site: Path
) -> None:
    source_sha = git(work, "rev-parse", "HEAD").strip()
    deploy(site, repo_dir=work)
    subject = git(origin, "--git-dir", str(origin), "log", "-1", "--format=%s", "gh-pages").strip()
    assert subject == f"Deploy {source_sha} with Explainer {__version__}"


def test_second_deploy_updates_branch_on_top_of_the_first(
    work: Path, origin: Path, site: Path
) -> None:
    first = deploy(site, repo_dir=work, message="first")
    (site / "index.html").write_text("<h1>second</h1>\n", encoding="utf-8")
    (site / "_underscore" / "file.txt").unlink()

    second = deploy(site, repo_dir=work, message="second")

    assert second != first
    assert show(origin, "gh-pages:index.html") == "<h1>second</h1>\n"
    assert "_underscore/file.txt" not in tree(origin)  # the branch mirrors the folder
    parents = git(origin, "--git-dir", str(origin), "log", "--format=%s", "gh-pages").split()
    assert parents == ["second", "first"]
    # Deploying never touches the checked-out branch or the work tree.
    assert git(work, "symbolic-ref", "--short", "HEAD").strip() == "main"
    assert git(work, "status", "--porcelain", "--untracked-files=no") == ""


def test_push_false_commits_locally_only(work: Path, origin: Path, site: Path) -> None:
    sha = deploy(site, repo_dir=work, push=False, message="local")
    assert git(work, "rev-parse", "gh-pages").strip() == sha
    assert git(origin, "--git-dir", str(origin), "branch", "--list") == ""


def test_works_without_any_git_identity(
    work: Path, origin: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in IDENTITY:
        monkeypatch.delenv(name)
    deploy(site, repo_dir=work, message="anonymous")
    committer = git(origin, "--git-dir", str(origin), "log", "-1", "--format=%cn <%ce>", "gh-pages")
    assert committer.strip() == f"{FALLBACK_NAME} <{FALLBACK_EMAIL}>"


def test_repo_identity_wins_over_fallback(
    work: Path, origin: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in IDENTITY:
        monkeypatch.delenv(name)
    git(work, "config", "user.name", "Repo Person")
    git(work, "config", "user.email", "repo@example.org")
    deploy(site, repo_dir=work, message="configured")
    committer = git(origin, "--git-dir", str(origin), "log", "-1", "--format=%cn <%ce>", "gh-pages")
    assert committer.strip() == "Repo Person <repo@example.org>"


# --- refusals with guidance -----------------------------------------------------------------


def test_not_a_git_repo(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    (plain / "site").mkdir(parents=True)
    (plain / "site" / "index.html").write_text("x", encoding="utf-8")
    with pytest.raises(DeployError, match="not inside a git repository.*git init"):
        deploy(plain / "site", repo_dir=plain)


def test_missing_remote(work: Path, site: Path) -> None:
    expected = "no remote named 'upstream'.*git remote add upstream URL"
    with pytest.raises(DeployError, match=expected):
        deploy(site, repo_dir=work, remote="upstream")


@pytest.mark.parametrize("make", [False, True], ids=["missing", "empty"])
def test_missing_or_empty_site_dir(work: Path, make: bool) -> None:
    site_dir = work / "site"
    if make:
        site_dir.mkdir()
    with pytest.raises(DeployError, match=r"python build\.py build"):
        deploy(site_dir, repo_dir=work)


def test_refuses_the_checked_out_branch(work: Path, site: Path) -> None:
    with pytest.raises(DeployError, match="checked out.*overwrite your work"):
        deploy(site, repo_dir=work, branch="main")
    assert git(work, "log", "--format=%s", "main").split() == ["content"]


@pytest.mark.parametrize("branch", ["-f", "a..b", "bad name"])
def test_refuses_invalid_branch_names(work: Path, site: Path, branch: str) -> None:
    with pytest.raises(DeployError, match="not a valid branch name"):
        deploy(site, repo_dir=work, branch=branch)


@pytest.mark.parametrize("cname", ["https://news.example.org", "news.example.org/", ""])
def test_refuses_cname_that_is_not_a_bare_domain(work: Path, site: Path, cname: str) -> None:
    with pytest.raises(DeployError, match="bare domain"):
        deploy(site, repo_dir=work, cname=cname)


def test_no_commit_yet_needs_a_message(tmp_path: Path, origin: Path) -> None:
    repo = tmp_path / "fresh"
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "remote", "add", "origin", str(origin))
    (repo / "site").mkdir()
    (repo / "site" / "index.html").write_text("x", encoding="utf-8")
    with pytest.raises(DeployError, match="no commits yet.*--message"):
        deploy(repo / "site", repo_dir=repo)
    assert deploy(repo / "site", repo_dir=repo, message="explicit")


def test_rejected_push_shows_git_message_and_advice(
    tmp_path: Path, work: Path, origin: Path, site: Path
) -> None:
    deploy(site, repo_dir=work, message="mine")
    # Someone else deploys from another clone, so our origin/gh-pages is now stale.
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", "--branch", "gh-pages", str(origin), str(other))
    (other / "index.html").write_text("theirs", encoding="utf-8")
    git(other, "commit", "--quiet", "-am", "theirs")
    git(other, "push", "--quiet", "origin", "gh-pages")

    with pytest.raises(DeployError) as caught:
        deploy(site, repo_dir=work, message="mine again")
    text = str(caught.value)
    assert "rejected" in text  # git's own words
    assert "git fetch origin gh-pages" in text  # and what to do

    git(work, "fetch", "--quiet", "origin", "gh-pages")
    deploy(site, repo_dir=work, message="after fetch")
    log = git(origin, "--git-dir", str(origin), "log", "--format=%s", "gh-pages").splitlines()
    assert log[:2] == ["after fetch", "theirs"]


def test_push_declined_by_the_remote_says_so(work: Path, origin: Path, site: Path) -> None:
    hook = origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'gh-pages is protected' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    with pytest.raises(DeployError) as caught:
        deploy(site, repo_dir=work, message="declined")
    text = str(caught.value)
    assert "gh-pages is protected" in text  # the remote's own words reach the user
    assert "protected branch or a server hook" in text


def test_cli_deploy_builds_the_example_and_publishes_it(tmp_path: Path, origin: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from explainer import cli

    repo = tmp_path / "site-project"
    repo.mkdir()
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", repo / "content")
    config = (Path(__file__).resolve().parent.parent / "config.yaml").read_text(encoding="utf-8")
    config = config.replace("base_url: /", "base_url: https://news.example.org/").replace(
        "  branch: gh-pages", "  branch: gh-pages\n  cname: news.example.org")
    (repo / "config.yaml").write_text(config, encoding="utf-8")
    (repo / ".gitignore").write_text("site/\n.explainer-cache/\n", encoding="utf-8")
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "content")
    git(repo, "remote", "add", "origin", str(origin))
    assert cli.main(["deploy", "--root", str(repo), "--message", "Publish test"]) == 0
    files = git(origin, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert "index.html" in files and ".nojekyll" in files and "CNAME" in files
    assert "articles/putin-us-relations-trump/index.html" in files
    assert git(origin, "show", "gh-pages:CNAME").strip() == "news.example.org"
    assert "Publish test" in git(origin, "log", "-1", "--format=%s", "gh-pages")
    assert 'href="https://news.example.org/"' in git(origin, "show", "gh-pages:index.html")


def test_cli_deploy_refuses_when_the_build_fails(tmp_path: Path, origin: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from explainer import cli

    repo = tmp_path / "broken"
    repo.mkdir()
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", repo / "content")
    shutil.copy(Path(__file__).resolve().parent.parent / "config.yaml", repo / "config.yaml")
    actor = repo / "content/actors/vladimir-putin.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("kind: person", "kind: persn"), encoding="utf-8")
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "content")
    git(repo, "remote", "add", "origin", str(origin))
    assert cli.main(["deploy", "--root", str(repo)]) == 1
    assert "persn" in capsys.readouterr().err
    assert "gh-pages" not in git(origin, "branch", "--list")


# --- all or nothing (issue #17.6) and what the message says (#17.13) --------------------------


def test_our_marker_file_is_not_published(work: Path, origin: Path, site: Path) -> None:
    from explainer.outdir import MARKER, mark

    mark(site)
    deploy(site, repo_dir=work, message="marked")
    assert MARKER not in tree(origin)
    assert (site / MARKER).is_file()


def test_default_message_says_when_uncommitted_changes_are_deployed(work: Path, origin: Path, site: Path) -> None:
    source_sha = git(work, "rev-parse", "HEAD").strip()
    (work / "config.yaml").write_text("title: Edited but not committed\n", encoding="utf-8")
    deploy(site, repo_dir=work)
    subject = git(origin, "--git-dir", str(origin), "log", "-1", "--format=%s", "gh-pages").strip()
    assert subject == f"Deploy {source_sha} with uncommitted changes with Explainer {__version__}"


def deploy_in_child(site: Path, work: Path, fault: str | None, message: str) -> int:
    """Run deploy() in a child process, which EXPLAINER_FAULT may kill at a named point."""
    import os
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    env.pop("EXPLAINER_FAULT", None)
    if fault:
        env["EXPLAINER_FAULT"] = fault
    code = ("import sys; from pathlib import Path; from explainer.deploy import deploy; "
            "deploy(Path(sys.argv[1]), repo_dir=Path(sys.argv[2]), message=sys.argv[3])")
    return subprocess.run([sys.executable, "-c", code, str(site), str(work), message], env=env,
                          capture_output=True, timeout=120, check=False).returncode


def branch_state(repo: Path, branch: str = "gh-pages") -> tuple[str, str]:
    return git(repo, "rev-parse", branch).strip(), git(repo, "ls-tree", "-r", branch)


@pytest.mark.parametrize("fault", ["deploy-objects", "deploy-committed"])
def test_a_killed_deploy_leaves_the_branch_as_it_was(work: Path, origin: Path, site: Path, fault: str) -> None:
    import signal

    deploy(site, repo_dir=work, message="first")
    before, published = branch_state(work), branch_state(origin)
    for number in range(30):  # a site bigger than a pipe's buffer of file names
        (site / f"page-{number}.html").write_text(f"<p>{number}</p>\n", encoding="utf-8")
    (site / "index.html").write_text("<h1>second</h1>\n", encoding="utf-8")

    assert deploy_in_child(site, work, fault, "second") == -signal.SIGKILL
    assert branch_state(work) == before and branch_state(origin) == published

    assert deploy_in_child(site, work, None, "second") == 0
    assert git(origin, "log", "--format=%s", "gh-pages").split() == ["second", "first"]
    assert show(origin, "gh-pages:index.html") == "<h1>second</h1>\n"
    assert sorted(tree(origin)) == sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_a_deploy_killed_before_its_push_is_pushed_by_the_next(work: Path, origin: Path, site: Path) -> None:
    import signal

    deploy(site, repo_dir=work, message="first")
    (site / "index.html").write_text("<h1>second</h1>\n", encoding="utf-8")
    assert deploy_in_child(site, work, "deploy-moved", "second") == -signal.SIGKILL
    assert git(work, "show", "gh-pages:index.html") == "<h1>second</h1>\n"  # committed whole, not pushed yet
    assert git(origin, "log", "--format=%s", "gh-pages").split() == ["first"]
    assert deploy_in_child(site, work, None, "second-again") == 0
    # The unpushed commit was whole and verified: the next one follows it, a fast-forward.
    assert git(origin, "log", "--format=%s", "gh-pages").split() == ["second-again", "second", "first"]


def test_a_deploy_killed_after_the_remote_took_its_push_does_not_block_the_next(
        work: Path, origin: Path, site: Path) -> None:
    deploy(site, repo_dir=work, message="first")
    first = git(work, "rev-parse", "gh-pages").strip()
    (site / "index.html").write_text("<h1>second</h1>\n", encoding="utf-8")
    deploy(site, repo_dir=work, message="second")
    # What a kill between the remote's answer and git's own bookkeeping leaves: the remote has
    # "second", this clone still thinks it has "first".
    git(work, "update-ref", "refs/remotes/origin/gh-pages", first)
    (site / "index.html").write_text("<h1>third</h1>\n", encoding="utf-8")
    deploy(site, repo_dir=work, message="third")
    assert git(origin, "log", "--format=%s", "gh-pages").split() == ["third", "second", "first"]


def test_a_tree_that_does_not_match_the_site_is_not_committed(work: Path, site: Path) -> None:
    from explainer.deploy import _git_env, _site_files, _verify_tree, _write_tree

    env = _git_env(work)
    files = _site_files(site, "sha1")
    tree_sha = _write_tree(work, files, env)
    _verify_tree(work, tree_sha, files, env)  # the real tree matches
    (site / "index.html").write_text("changed after hashing\n", encoding="utf-8")
    with pytest.raises(DeployError, match="changed while it was being deployed"):
        _write_tree(work, files, env)
    fewer = {name: file for name, file in files.items() if name != "index.html"}
    with pytest.raises(DeployError, match="does not hold the site as built"):
        _verify_tree(work, tree_sha, fewer, env)


def test_a_branch_moved_by_someone_else_meanwhile_is_left_alone(work: Path, site: Path) -> None:
    from explainer.deploy import _git_env, _move_branch

    first = deploy(site, repo_dir=work, push=False, message="first")
    (site / "index.html").write_text("<h1>second</h1>\n", encoding="utf-8")
    second = deploy(site, repo_dir=work, push=False, message="second")
    with pytest.raises(DeployError, match="changed while deploying"):
        _move_branch(work, "gh-pages", first, first, _git_env(work))  # it is no longer at `first`
    assert git(work, "rev-parse", "gh-pages").strip() == second


def test_a_symlink_in_the_site_is_refused(work: Path, site: Path, tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("secret\n", encoding="utf-8")
    (site / "leak.txt").symlink_to(tmp_path / "secret")
    with pytest.raises(DeployError, match="not a regular file"):
        deploy(site, repo_dir=work, push=False, message="leak")
    assert "gh-pages" not in git(work, "branch", "--list")
