"""Two machines build the same bytes: the same commit, built in another folder, by
another process with another hash seed, time zone and locale, with no cache, at
the same SOURCE_DATE_EPOCH, gives an identical site (search index included)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

IGNORED = shutil.ignore_patterns(".cache", "site", "node_modules", ".venv", ".git", "test-screenshots",
                                 "__pycache__", ".pytest_cache", ".hypothesis", "build-report.json")


def build(project, environment: dict[str, str]) -> dict[str, bytes]:
    env = {key: value for key, value in os.environ.items() if key not in ("SOURCE_DATE_EPOCH", "TZ", "LANG")}
    env.update(environment)
    done = subprocess.run([sys.executable, str(project / "build.py"), "build", "--quiet"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    out = project / "site"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_two_machines_build_the_same_bytes(tmp_path):
    first, second = tmp_path / "a" / "project", tmp_path / "somewhere-else" / "ir-site"
    shutil.copytree(ROOT, first, ignore=IGNORED)
    shutil.copytree(ROOT, second, ignore=IGNORED)
    epoch = "1796860800"  # 2026-12-10T00:00:00Z
    one = build(first, {"SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "1", "TZ": "UTC", "LANG": "C.UTF-8"})
    two = build(second, {"SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "4242", "TZ": "Asia/Seoul",
                         "LANG": "uz_UZ.UTF-8", "SITEGEN_WORKERS": "1"})
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert any(name.startswith("pagefind/") for name in one)  # the search index is part of it
    assert any(name.endswith(".ics") for name in one)
