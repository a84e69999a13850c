"""The build report: `build-report.json` and the summary printed at the end of a run,
through the command line as CI runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import news, snapshot
from sitegen import report as report_module
from test_cli import _content, cli

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

KEYS = ["format", "generator", "command", "ok", "written", "strict", "now", "now_from", "base_url", "output",
        "seconds", "pages", "documents", "files", "bytes", "errors", "warnings", "notices",
        "translations"]


def _read(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n", "indent=2, UTF-8, one trailing newline"
    assert list(data) == KEYS, "the keys keep their order"
    return data


def _html_under(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*.html") if p.is_file())


def test_build_writes_the_report_beside_the_output_with_the_counts(site):
    _content(site)
    proc = cli("build", "--root", str(site.root), "--now", "2026-12-05", cwd=site.root)
    assert proc.returncode == 0, proc.stderr
    data = _read(site.root / "build-report.json")
    from sitegen import __version__
    assert data["generator"] == {"name": "sitegen", "version": __version__}
    assert data["command"] == "build" and data["ok"] is True and data["written"] is True
    assert data["now"] == "2026-12-04T19:00:00Z" and data["now_from"] == "--now"  # midnight in Tashkent, in UTC
    assert data["base_url"] == "https://example.org/"
    assert data["output"] == "site"
    out = site.root / "site"
    assert data["pages"] == {"uz": _html_under(out / "uz"), "en": _html_under(out / "en")}
    assert data["pages"]["uz"] > 0
    assert data["documents"] == {"uz": 3, "en": 3}  # home, news list, one item
    files = [p for p in out.rglob("*") if p.is_file()]
    assert data["files"] == len(files)
    assert data["bytes"] == sum(p.stat().st_size for p in files)
    assert data["errors"] == [] and data["warnings"] == []
    assert data["translations"] == {"missing": [], "missing_texts": [], "stale": [], "untracked": 3}  # the en files
    assert isinstance(data["seconds"], float) and data["seconds"] >= 0
    assert "build-report.json" not in {p.name for p in files}, "the report is not published"


def test_the_moment_names_where_it_came_from(site, tmp_path):
    _content(site)
    cli("build", "--root", str(site.root), "--out", str(tmp_path / "a" / "site"), cwd=site.root,
        env={"SOURCE_DATE_EPOCH": "1780000000"})
    data = _read(tmp_path / "a" / "build-report.json")
    assert data["now_from"] == "SOURCE_DATE_EPOCH" and data["now"] == "2026-05-28T20:26:40Z"
    cli("build", "--root", str(site.root), "--out", str(tmp_path / "b" / "site"), cwd=site.root)
    data = _read(tmp_path / "b" / "build-report.json")
    assert data["now_from"] == "clock" and data["now"].endswith("Z")
    assert data["output"] == str((tmp_path / "b" / "site").resolve())  # outside the project: absolute


def test_a_warning_is_listed_with_its_path_and_line(site):
    site.write("content/news/first.uz.md", news("uz", "Birinchi", "2025-06-12"))
    site.write("content/news/first.en.md", news("en", "First", "2025-06-13"))  # a shared field written twice
    proc = cli("build", "--root", str(site.root), cwd=site.root)
    assert proc.returncode == 0, proc.stderr
    data = _read(site.root / "build-report.json")
    assert data["ok"] is True and data["written"] is True
    assert data["warnings"], proc.stderr
    warning = data["warnings"][0]
    assert list(warning) == ["path", "line", "column", "severity", "message", "hint"]
    assert warning["path"] in ("content/news/first.uz.md", "content/news/first.en.md")
    assert warning["line"] > 0 and warning["severity"] == "warning" and warning["message"]
    assert f"{warning['path']}:{warning['line']}" in proc.stderr  # the same problem the terminal shows


def test_a_failed_build_writes_the_report_and_leaves_the_site_untouched(site):
    _content(site)
    assert cli("build", "--root", str(site.root), "--quiet", cwd=site.root).returncode == 0
    before = snapshot(site.root / "site")
    site.write("content/news/bad.uz.md", '---\ntitle: "Yomon"\ndate: 2025-06-01\npartners: [gʻalaba]\n---\nMatn.\n')
    proc = cli("build", "--root", str(site.root), "--quiet", cwd=site.root)
    assert proc.returncode == 1
    assert snapshot(site.root / "site") == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".")] == [".cache"], "no staging leftovers"
    data = _read(site.root / "build-report.json")
    assert data["ok"] is False and data["written"] is False
    error = data["errors"][0]
    assert error["path"] == "content/news/bad.uz.md" and error["line"] == 4 and error["column"] > 0
    assert error["severity"] == "error" and "gʻalaba" in error["message"] and error["hint"]
    assert "gʻalaba" in (site.root / "build-report.json").read_text(encoding="utf-8"), "not \\u-escaped"
    assert "Build failed" in proc.stdout and "errors 1" in proc.stdout  # printed even with --quiet


def test_a_configuration_error_still_gives_a_report(site):
    _content(site)
    proc = cli("build", "--root", str(site.root), "--base-url", "ftp://x", cwd=site.root)
    assert proc.returncode == 1
    data = _read(site.root / "build-report.json")
    assert data["written"] is False and data["base_url"] == "ftp://x"
    assert data["now"] is None and data["pages"] == {} and data["translations"] is None
    assert any(e["path"] == "--base-url" for e in data["errors"])


def test_report_option_chooses_the_path_for_build_and_check(site, tmp_path):
    _content(site)
    target = tmp_path / "reports" / "build.json"
    proc = cli("build", "--root", str(site.root), "--report", str(target), cwd=site.root)
    assert proc.returncode == 0, proc.stderr
    assert _read(target)["written"] is True
    assert not (site.root / "build-report.json").exists(), "--report replaces the default place"
    assert f"report: {target}" in proc.stdout

    before = snapshot(site.root)
    proc = cli("check", "--root", str(site.root), cwd=site.root)
    assert proc.returncode == 0 and snapshot(site.root) == before, "check writes no report unless asked"
    assert "report:" not in proc.stdout
    proc = cli("check", "--root", str(site.root), "--report", "check.json", cwd=site.root)  # relative to cwd
    assert proc.returncode == 0, proc.stderr
    data = _read(site.root / "check.json")
    assert data["command"] == "check" and data["written"] is False and data["output"] is None
    assert data["documents"] == {"uz": 3, "en": 3}
    assert "report: check.json" in proc.stdout


def test_report_inside_the_output_folder_is_refused(site):
    _content(site)
    proc = cli("build", "--root", str(site.root), "--report", "site/report.json", cwd=site.root)
    assert proc.returncode == 2
    assert "--report" in proc.stderr
    assert not (site.root / "site").exists()


def test_a_refused_output_folder_writes_no_report_beside_the_project(site, tmp_path):
    _content(site)
    proc = cli("build", "--root", str(site.root), "--out", ".", cwd=site.root)
    assert proc.returncode == 1
    assert not (site.root / "build-report.json").exists()
    assert not (site.root.parent / "build-report.json").exists()


def test_quiet_prints_nothing_on_success_but_writes_the_report(site):
    _content(site)
    proc = cli("build", "--root", str(site.root), "--quiet", cwd=site.root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""
    assert _read(site.root / "build-report.json")["written"] is True


def test_summary_names_pages_per_language_and_translations(site):
    _content(site)
    site.write("content/news/solo.uz.md", news("uz", "Yakka", "2025-06-13"))
    proc = cli("build", "--root", str(site.root), cwd=site.root)
    assert proc.returncode == 0, proc.stderr
    data = _read(site.root / "build-report.json")
    lines = proc.stdout.splitlines()
    assert len(lines) <= 5, proc.stdout
    uz, en = data["pages"]["uz"], data["pages"]["en"]
    assert lines[0].startswith(f"Built {uz + en} pages into site/ in ")
    assert lines[0].endswith(f"(uz {uz}, en {en})")
    assert "warnings 0 · errors 0" in proc.stdout
    assert "translations: 1 missing, 0 stale, 3 not tracked" in proc.stdout
    assert "report: build-report.json" in proc.stdout
    assert data["translations"]["missing"] == [{"path": "content/news/solo.uz.md", "languages": ["en"]}]


def test_the_report_is_replaced_atomically(tmp_path, monkeypatch):
    path = tmp_path / "build-report.json"
    report_module.write_report({"a": "oʻ"}, path)
    assert path.read_text(encoding="utf-8") == '{\n  "a": "oʻ"\n}\n'

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_module.os, "replace", broken)
    with pytest.raises(OSError):
        report_module.write_report({"a": "new"}, path)
    assert path.read_text(encoding="utf-8") == '{\n  "a": "oʻ"\n}\n', "the previous report stays whole"
    assert [p.name for p in tmp_path.iterdir()] == ["build-report.json"], "no temporary file is left"
