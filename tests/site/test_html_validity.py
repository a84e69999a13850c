"""The whole shipped site is valid HTML according to the W3C Nu HTML Checker (vnu)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from sitegen.pipeline import run

pytestmark = pytest.mark.external("java", "vnu")

VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def test_every_page_of_the_default_site_is_valid_html(tmp_path: Path):
    out = tmp_path / "site"
    result = run(ROOT, out=out)
    assert result.written, [d.format() for d in result.diagnostics.sorted()]
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 50
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--skip-non-html", "--format", "gnu", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    problems = [line for line in checked.stderr.splitlines() if line.strip()]
    assert problems == [], "\n".join(problems[:40])
    assert checked.returncode == 0
