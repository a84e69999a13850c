"""Rendering in several processes gives exactly what one process gives: the
same bytes and the same problems, in the same order."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from conftest import ROOT, snapshot
from sitegen import documents, render, sources
from sitegen.lib import parallel
from sitegen.pipeline import run

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

pytestmark = [pytest.mark.skipif(not hasattr(os, "fork"), reason="rendering in processes needs os.fork"),
              pytest.mark.slow]  # left out of the fast tier (see tests/conftest.py)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A synthetic bilingual corpus big enough to be rendered in processes,
    with one broken link and one missing heading in its last pages."""
    root = tmp_path_factory.mktemp("parallel") / "project"
    made = corpus.generate(root, per_language=160, seed=7)
    last = sorted((root / "content/news").glob("*.uz.md"))[-1]
    last.write_text(last.read_text(encoding="utf-8") + "\n[Yoʻq](@/news/no-such-item.md) va "
                    f"[sarlavha](@/news/{made.news_keys[0]}.md#no-such-heading).\n", encoding="utf-8")
    for uzbek in sorted((root / "content/news").glob("*.uz.md"))[:2]:  # two English files left untranslated
        english = uzbek.with_name(uzbek.name.replace(".uz.md", ".en.md"))
        head = english.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        english.write_text(head + "\n---\n" + uzbek.read_text(encoding="utf-8").split("\n---\n", 1)[1],
                           encoding="utf-8")
    return root


def _build(project, tmp_path, name, workers, monkeypatch):
    copy = tmp_path / name
    shutil.copytree(project, copy)
    monkeypatch.setenv("SITEGEN_WORKERS", str(workers))
    forks = []
    real_fork = os.fork

    def counting_fork():
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(parallel.os, "fork", counting_fork)
    monkeypatch.setattr(sources, "PARALLEL_FROM", 100)  # the content files in processes too
    monkeypatch.setattr(documents, "COPIES_PARALLEL_FROM", 100)  # and the translations compared
    # other tests may have left a server thread running in this process; these builds fork anyway
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    result = run(copy, out=copy / "site", write=False)
    problems = [str(d).replace(str(copy), "<root>") for d in result.diagnostics.items]
    return result, problems, len(forks)


def test_two_processes_give_the_bytes_and_problems_of_one(project, tmp_path, monkeypatch):
    one, one_problems, one_forks = _build(project, tmp_path, "one", 1, monkeypatch)
    two, two_problems, two_forks = _build(project, tmp_path, "two", 2, monkeypatch)
    assert one_forks == 0 and two_forks == 3  # content files, translations compared, pages
    assert len([n for n in one.files if n.endswith(".html")]) >= render.PARALLEL_FROM
    assert one.files == two.files
    assert one_problems == two_problems  # the same problems, in the same order
    assert any("no-such-item" in p for p in two_problems), two_problems
    assert any("no-such-heading" in p for p in two_problems), two_problems
    assert any("untranslated copy" in p for p in two_problems), two_problems  # found in the processes too


def test_a_second_build_in_processes_reuses_pages_and_writes_the_same_site(project, tmp_path, monkeypatch, counted):
    copy = tmp_path / "again"
    shutil.copytree(project, copy)
    last = sorted((copy / "content/news").glob("*.uz.md"))[-1]
    text = last.read_text(encoding="utf-8")
    last.write_text(text[: text.index("\n[Yoʻq]")] + "\n", encoding="utf-8")  # mend the links
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    assert run(copy).ok()
    first = snapshot(copy / "site")
    assert run(copy).ok()
    assert snapshot(copy / "site") == first
    rendered, reused = counted[-1]
    assert rendered == 0 and reused >= render.PARALLEL_FROM  # counted across both processes


@pytest.fixture
def may_fork(monkeypatch):
    """Other tests may have left a server thread running in this process; fork anyway."""
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def test_a_share_whose_process_fails_is_done_again_here(may_fork, monkeypatch):
    forked_calls, forks = [], []
    real_fork = os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or real_fork())

    def work(share, forked):
        forked_calls.append(forked)
        if forked:
            raise RuntimeError("a crash in the forked process")
        return [item * 2 for item in share]

    assert parallel.fork_map(work, parallel.shares(list(range(10)), 3)) == [[0, 2, 4, 6], [8, 10, 12, 14], [16, 18]]
    assert len(forks) == 2 and forked_calls.count(False) == 3  # two processes failed; their shares redone here


def test_work_split_in_order_whatever_the_number_of_processes(may_fork):
    items = list(range(101))
    for count in (1, 2, 3, 7):
        parts = parallel.fork_map(lambda share, forked: [(item, forked) for item in share],
                                  parallel.shares(items, count))
        assert [item for part in parts for item, _ in part] == items
        assert [forked for part in parts for _, forked in part].count(True) == (0 if count == 1 else 101 - len(parts[0]))


def test_a_process_with_other_threads_is_not_forked(monkeypatch):
    import threading

    forks = []
    real_fork = os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or real_fork())
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        parts = parallel.fork_map(lambda share, forked: (list(share), forked), parallel.shares([1, 2, 3, 4], 2))
    finally:
        stop.set()
        helper.join()
    assert parts == [([1, 2], False), ([3, 4], False)] and not forks
