"""The command line, run as editors and CI run it: `python build.py ...` in a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, address, news, snapshot

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

BUILD = str(ROOT / "build.py")
DIAGNOSTIC = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<severity>error|warning): (?P<message>.+)$")


def cli(*args, cwd, env=None):
    """build.py in a new process; SOURCE_DATE_EPOCH from the caller's environment is left out."""
    environ = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environ.update(env or {})
    proc = subprocess.run([sys.executable, BUILD, *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env=environ)
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback" not in stream, stream
    return proc


def _content(site):
    site.write("content/news/first.uz.md", news("uz", "Birinchi", "2025-06-12", partners="[kaznua]"))
    site.write("content/news/first.en.md", news("en", "First", body="Text.\n"))


def test_help_exits_zero():
    proc = cli("--help", cwd=ROOT)
    assert proc.returncode == 0
    for word in ("build", "check"):
        assert word in proc.stdout
    sub = cli("build", "--help", cwd=ROOT)
    assert sub.returncode == 0
    for option in ("--out", "--base-url", "--drafts", "--strict", "--quiet"):
        assert option in sub.stdout


def test_clean_build_exits_zero_and_quiet_prints_nothing(site):
    _content(site)
    proc = cli("build", "--root", str(site.root), "--quiet", cwd=site.root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == ""
    assert (site.root / "site" / address.file(address.document("uz", "news", "first"))).is_file()
    loud = cli("--root", str(site.root), cwd=site.root)  # 'build' is the default command
    assert loud.returncode == 0 and loud.stdout.strip(), loud.stderr


def test_content_error_exits_one_with_path_line_message(site):
    _content(site)
    site.write("content/news/bad.uz.md", '---\ntitle: "Yomon"\ndate: 2025-6-1\n---\nMatn.\n')
    proc = cli("build", "--root", str(site.root), cwd=site.root)
    assert proc.returncode == 1
    lines = [DIAGNOSTIC.match(line) for line in proc.stderr.splitlines()]
    found = [m for m in lines if m and m["severity"] == "error"]
    assert found, proc.stderr
    assert any(m["path"] == "content/news/bad.uz.md" and m["line"] == "3" for m in found), proc.stderr
    assert str(site.root) not in proc.stderr.split("\n")[0]  # paths are relative to the project
    assert not (site.root / "site").exists()


def test_unknown_option_exits_two_with_usage(site):
    proc = cli("build", "--no-such-option", "--root", str(site.root), cwd=site.root)
    assert proc.returncode == 2
    assert "usage" in proc.stderr.lower()
    assert not (site.root / "site").exists()


def test_strict_turns_a_warning_into_exit_one(site):
    site.write("content/news/first.uz.md", news("uz", "Birinchi", "2025-06-12"))
    site.write("content/news/first.en.md", news("en", "First", "2025-06-13"))
    lenient = cli("build", "--root", str(site.root), "--out", "lenient", cwd=site.root)
    assert lenient.returncode == 0, lenient.stderr
    assert re.search(r"^content/news/first\.(uz|en)\.md:\d+(:\d+)?: warning: ", lenient.stderr, re.M), lenient.stderr
    assert (site.root / "lenient" / address.file(address.home("uz"))).is_file()  # --out relative to the working folder
    strict = cli("build", "--root", str(site.root), "--strict", "--out", "strict", cwd=site.root)
    assert strict.returncode == 1
    assert not (site.root / "strict").exists()


def test_check_writes_nothing_and_lists_missing_translations(site):
    _content(site)
    site.write("content/news/solo.uz.md", news("uz", "Yakka", "2025-06-13"))
    before = snapshot(site.root)
    proc = cli("check", "--root", str(site.root), cwd=site.root)
    assert proc.returncode == 0, proc.stderr
    assert not (site.root / "site").exists()
    assert snapshot(site.root) == before
    out = proc.stdout + proc.stderr
    line = next((l for l in out.splitlines() if "content/news/solo.uz.md" in l), None)
    assert line is not None and "en" in line, out
    assert "first.uz.md" not in out


def test_check_fails_on_errors(site):
    site.write("content/news/bad.uz.md", '---\ntitle: "Yomon"\npartners: [kaznu]\n---\nMatn.\n')
    proc = cli("check", "--root", str(site.root), cwd=site.root)
    assert proc.returncode == 1
    assert re.search(r"^content/news/bad\.uz\.md:3(:\d+)?: error:", proc.stderr, re.M), proc.stderr
    assert "kaznua" in proc.stderr


def test_base_url_option_with_sub_path(site):
    _content(site)
    sub = "https://example.org/ir/"
    proc = cli("build", "--root", str(site.root), "--base-url", sub, cwd=site.root)
    assert proc.returncode == 0, proc.stderr
    html = (site.root / "site/index.html").read_text(encoding="utf-8")
    assert re.search(re.escape(f'url={address.href(address.home("uz"), sub)}"'), html)
    first = address.document("en", "news", "first")
    page = (site.root / "site" / address.file(first)).read_text(encoding="utf-8")
    assert f'rel="canonical" href="{address.absolute(first, sub)}"' in page
    assert f'href="{address.href(address.record("en", "partners", "kaznua"), sub)}"' in page
    assert "https://example.org/ir/sitemap.xml" in (site.root / "site/robots.txt").read_text(encoding="utf-8")


def test_invalid_base_url_exits_one(site):
    _content(site)
    proc = cli("build", "--root", str(site.root), "--base-url", "ftp://x", cwd=site.root)
    assert proc.returncode == 1
    assert "ftp://x" in proc.stderr
    assert not (site.root / "site").exists()


def test_refuses_out_at_project_root(site):
    _content(site)
    before = snapshot(site.root)
    proc = cli("build", "--root", str(site.root), "--out", ".", cwd=site.root)
    assert proc.returncode == 1
    assert "error" in proc.stderr
    assert snapshot(site.root) == before


def test_help_lists_the_commands():
    proc = cli("--help", cwd=ROOT)
    assert proc.returncode == 0
    for command in ("build", "check"):
        assert re.search(rf"\b{command}\b", proc.stdout), (command, proc.stdout)


def test_data_crash_is_reported_not_a_traceback(site):
    site.write("content/news/bad.uz.md", '---\ntitle: "Yomon"\ndate: 2025-02-30\n---\nMatn.\n')
    proc = cli("check", "--root", str(site.root), cwd=site.root)  # cli() asserts no Traceback
    assert proc.returncode == 1
    assert re.search(r"^content/news/bad\.uz\.md:3(:\d+)?: error:", proc.stderr, re.M), proc.stderr


def test_real_site_check_strict_exits_zero():
    proc = cli("check", "--strict", "--quiet", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_version_prints_the_package_version():
    source = (ROOT / "sitegen/__init__.py").read_text(encoding="utf-8")
    declared = re.search(r'^__version__ = "([^"]+)"$', source, re.M)
    assert declared, "sitegen/__init__.py declares __version__"
    proc = cli("--version", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"build.py {declared.group(1)}"


def test_ctrl_c_during_a_build_is_a_line_not_a_traceback(site, monkeypatch, capsys):
    import sitegen.cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(sitegen.cli, "_build_or_check", interrupted)
    assert sitegen.cli.main(["build", "--root", str(site.root)]) == 130
    err = capsys.readouterr().err
    assert "interrupted: the site folder stays as the last complete build left it" in err
    assert "Traceback" not in err
