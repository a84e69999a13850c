"""The CI definitions (.github/workflows/pages.yml, .gitlab-ci.yml), read as YAML.

These are checks of structure, not a run: nothing here talks to GitHub or GitLab.
They keep the definitions in step with the project: the test job runs exactly the
README's test command (found the way .ci/run finds it), installs the system
packages .ci/run installs, the build is strict and given the public address, the
published folder is the one the build writes, and the site is rebuilt on a schedule.
"""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from conftest import ROOT

GITHUB = ROOT / ".github/workflows/pages.yml"
GITLAB = ROOT / ".gitlab-ci.yml"


def readme_test_command() -> str:
    """The line two after `<!-- test command -->` (the line after the ```sh fence), as .ci/run reads it."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    marker = next(i for i, line in enumerate(lines) if "<!-- test command -->" in line)
    return lines[marker + 2]


def ci_run_packages() -> set[str]:
    """The Debian packages .ci/run installs when a tool is missing."""
    script = (ROOT / ".ci/run").read_text(encoding="utf-8")
    return {name for group in re.findall(r"need\+=\(([^)]*)\)", script) for name in group.split()}


def apt_packages(commands: list[str]) -> set[str]:
    packages = set()
    for command in commands:
        for line in command.splitlines():
            words = shlex.split(line)
            if words[:2] == ["apt-get", "install"]:
                packages |= {w for w in words[2:] if not w.startswith("-")}
    return packages


def build_command(commands: list[str]) -> list[str]:
    """The words of the one `build.py build` command among `commands`."""
    found = [shlex.split(part) for command in commands for line in command.splitlines()
             for part in line.split("&&") if "build.py build" in part]
    assert len(found) == 1, found
    words = found[0]
    return words[words.index("build.py"):]


def option(words: list[str], name: str) -> str | None:
    return words[words.index(name) + 1] if name in words else None


@pytest.fixture(scope="module")
def github() -> dict:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gitlab() -> dict:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))


def runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def step_using(job: dict, action: str) -> dict:
    found = [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, (action, job["steps"])
    return found[0]


# -- the README's command --------------------------------------------------------

def test_the_readme_test_command_is_found():
    command = readme_test_command()
    assert "pytest" in command and "requirements-dev.txt" in command, command


# -- GitHub Actions ----------------------------------------------------------------

def test_github_runs_on_push_daily_and_by_hand(github):
    triggers = github.get("on", github.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "main" in triggers["push"]["branches"]
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert len(crons) == 1 and len(crons[0].split()) == 5, crons
    assert crons[0].split()[2:] == ["*", "*", "*"], "every day"
    assert "workflow_dispatch" in triggers


def test_github_permissions_and_concurrency(github):
    assert github["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert github["concurrency"]["group"] == "pages"


def test_github_test_job_runs_the_readme_command_in_debian(github):
    job = github["jobs"]["test"]
    image = job["container"] if isinstance(job["container"], str) else job["container"]["image"]
    assert image == "debian:bookworm"
    assert job["env"]["CI"] in ("1", 1, "true", True)
    assert [run.strip() for run in runs(job)].count(readme_test_command()) == 1
    packages = apt_packages(runs(job))
    assert ci_run_packages() <= packages, ci_run_packages() - packages
    assert {"python3", "python3-venv", "nodejs", "npm", "default-jre-headless", "chromium", "calcurse", "nginx",
            "git"} <= packages
    checkout = next(i for i, step in enumerate(job["steps"]) if step.get("uses", "").startswith("actions/checkout@"))
    install = next(i for i, step in enumerate(job["steps"]) if "apt-get install" in step.get("run", ""))
    assert install < checkout, "git is installed before the checkout, so it is a real clone"


def test_github_build_is_strict_with_the_pages_address(github):
    job = github["jobs"]["build"]
    assert job["needs"] in ("test", ["test"])
    pages = step_using(job, "actions/configure-pages")
    assert pages["uses"] == "actions/configure-pages@v5" and pages["id"] == "pages"
    build_step = next(step for step in job["steps"] if "build.py build" in step.get("run", ""))
    words = build_command([build_step["run"]])
    assert "--strict" in words
    base = option(words, "--base-url")
    assert base is not None and base.endswith("/"), words
    variable = re.fullmatch(r"\$\{?(\w+)(%/)?\}?/", base)
    assert variable, base
    assert build_step["env"][variable.group(1)] == "${{ steps.pages.outputs.base_url }}"
    out = option(words, "--out") or "site"
    upload = step_using(job, "actions/upload-pages-artifact")
    assert upload["uses"] == "actions/upload-pages-artifact@v3"
    assert upload["with"]["path"].rstrip("/") == out.rstrip("/"), "the artifact is the folder the build writes"
    report = step_using(job, "actions/upload-artifact")
    assert report["uses"] == "actions/upload-artifact@v4"
    assert report["with"]["path"] == "build-report.json" and report["if"] == "always()"


def test_github_build_keeps_its_cache_under_a_key_of_the_engine(github):
    """The build restores .cache/ and the last output from the latest run with the same
    engine, templates and packages, and saves a new entry every run."""
    job = github["jobs"]["build"]
    cache = step_using(job, "actions/cache")
    assert cache["uses"] == "actions/cache@v4"
    names = [step.get("uses", step.get("run", "")) for step in job["steps"]]
    build_at = next(i for i, step in enumerate(job["steps"]) if "build.py build" in step.get("run", ""))
    assert job["steps"].index(cache) < build_at, names
    out = option(build_command([job["steps"][build_at]["run"]]), "--out") or "site"
    assert set(cache["with"]["path"].split()) == {".cache", out}
    key, restore = cache["with"]["key"], cache["with"]["restore-keys"].strip()
    digest = re.search(r"\$\{\{ hashFiles\(([^)]*)\) \}\}", key)
    assert digest and {"'sitegen/**'", "'templates/**'", "'requirements.txt'"} <= set(digest.group(1).split(", "))
    assert key.endswith("-${{ github.run_id }}") and key.startswith(restore), (key, restore)
    assert "hashFiles" in restore, "an entry is restored only from a run with the same engine"


def test_github_deploy_follows_build(github):
    job = github["jobs"]["deploy"]
    assert job["needs"] in ("build", ["build"])
    assert job["environment"]["name"] == "github-pages"
    assert step_using(job, "actions/deploy-pages")["uses"] == "actions/deploy-pages@v4"


# -- GitLab CI ---------------------------------------------------------------------

def test_gitlab_stages_and_image(gitlab):
    assert gitlab["image"] == "debian:bookworm"
    assert gitlab["stages"] == ["test", "deploy"]


def test_gitlab_test_job_runs_the_readme_command(gitlab):
    job = gitlab["test"]
    assert job["stage"] == "test"
    assert [line.strip() for line in job["script"]].count(readme_test_command()) == 1
    assert job["variables"]["CI"] in ("1", 1, "true", True)
    packages = apt_packages(gitlab.get("before_script", []) + job.get("before_script", []))
    assert ci_run_packages() <= packages, ci_run_packages() - packages
    assert {"chromium", "calcurse", "nginx", "default-jre-headless", "npm", "python3-venv"} <= packages


def test_gitlab_pages_job_publishes_the_strict_build(gitlab):
    job = gitlab["pages"]  # the job GitLab publishes from
    assert job["stage"] == "deploy" and job["needs"] == ["test"]
    words = build_command(job["script"])
    assert "--strict" in words
    base = option(words, "--base-url")
    assert base is not None and "CI_PAGES_URL" in base and base.endswith("/"), words
    assert option(words, "--out") == "public", "GitLab Pages publishes public/"
    paths = [path.rstrip("/") for path in job["artifacts"]["paths"]]
    assert "public" in paths and "build-report.json" in paths
    assert job["artifacts"]["when"] == "always"


def test_gitlab_pages_keeps_its_cache_under_a_key_of_the_engine(gitlab):
    job = gitlab["pages"]
    assert {path.rstrip("/") for path in job["cache"]["paths"]} == {".cache", "public"}
    files = job["cache"]["key"]["files"]
    assert len(files) <= 2, "GitLab takes at most two files for a key"
    assert any(f.startswith("sitegen/") for f in files) and any(f.startswith("templates/") for f in files)


def test_gitlab_pages_runs_on_the_default_branch_including_schedules(gitlab):
    rules = gitlab["pages"]["rules"]
    assert rules and all("$CI_DEFAULT_BRANCH" in rule["if"] for rule in rules)
    # a scheduled pipeline (the daily rebuild, set up in GitLab's settings) must match a rule
    assert any("CI_PIPELINE_SOURCE" not in rule["if"] or "schedule" in rule["if"] for rule in rules)
    assert "schedule" in GITLAB.read_text(encoding="utf-8").lower(), "the file says how to set up the schedule"
