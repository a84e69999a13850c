"""The whole shipped site is valid HTML according to the W3C Nu HTML Checker (vnu)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from sitegen.pipeline import run

VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def _skip_reason() -> str | None:
    if shutil.which("java") is None:
        return "Java is not installed (apt-get install default-jre-headless); the Nu HTML Checker needs it"
    if not VNU.is_file():
        return f"the Nu HTML Checker is not installed ({VNU.relative_to(ROOT)} missing; run npm ci)"
    return None


@pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason()))
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
