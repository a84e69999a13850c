"""Every mistake in the catalogue (tests/mistakes.py) is reported with its file, line and a
message an editor can act on; exit 1, no traceback, and the previous site/ untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, snapshot
from mistakes import CASES, END, START, apply, first_message, table, tiny_site


def test_the_catalogue_has_at_least_thirty_distinct_mistakes():
    assert len({case.mistake for case in CASES}) == len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.mistake for c in CASES])
def test_mistake_is_reported_where_it_is(case, tmp_path):
    site = tiny_site(tmp_path / "project")
    first = site.build()
    assert first.written, [d.format() for d in first.diagnostics.sorted()]
    before = snapshot(site.root / "site")

    apply(case, site)
    result = site.build(strict=case.strict)  # the pipeline itself must not raise
    shown = first_message(case, result)
    assert shown, f"nothing reported at {case.path}:{case.line}; got:\n" + \
        "\n".join(d.format() for d in result.diagnostics.sorted())
    assert case.text in shown, shown
    assert "Traceback" not in shown
    assert result.diagnostics.failed(case.strict) and not result.written
    assert snapshot(site.root / "site") == before


@pytest.mark.parametrize("case", CASES[::6], ids=[c.mistake for c in CASES[::6]])
def test_the_command_line_exits_one_without_a_traceback(case, tmp_path):
    site = tiny_site(tmp_path / "project")
    apply(case, site)
    args = [sys.executable, str(ROOT / "build.py"), "build", "--root", str(site.root)]
    proc = subprocess.run(args + (["--strict"] if case.strict else []), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert f"{case.path}:{case.line}" in proc.stderr if case.line else case.path in proc.stderr
    assert not (site.root / "site").exists()


def test_readme_table_of_mistakes_is_generated_from_the_catalogue():
    readme = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    assert START in readme and END in readme
    shown = readme.split(START, 1)[1].split(END, 1)[0].strip()
    assert shown == table().strip(), "run: .venv/bin/python tests/mistakes.py --docs"
