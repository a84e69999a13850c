"""Pagefind given the pages in one fixed order (sitegen/lib/pagefind.py): through a
folder listed in that order, or through its service; the same bundle either way, and
every way Pagefind can fail is an error that says why, never a hang or a traceback."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest

import sitegen.lib.pagefind as pagefind_module
from sitegen.lib.pagefind import PagefindError, index_pages, order
from sitegen.search import pagefind_executable

PAGE = ('<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title></head>'
        '<body><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main></body></html>')


def page(title: str, text: str, lang: str = "en") -> bytes:
    return PAGE.format(lang=lang, title=title, text=text).encode("utf-8")


def fake_service(tmp_path, body: str):
    """A stand-in for `pagefind --service`, in Python: `body` runs with `messages()`
    (the requests as they come) and `answer(number, payload)` defined."""
    script = tmp_path / "pagefind"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent('''\
        import base64, json, sys
        assert sys.argv[1:] == ["--service"], sys.argv

        def messages():
            buffer = b""
            while True:
                chunk = sys.stdin.buffer.read1(65536)
                if not chunk:
                    return
                buffer += chunk
                *complete, buffer = buffer.split(b",")
                for item in complete:
                    yield json.loads(base64.b64decode(item))

        def answer(number, payload, before=b""):
            message = json.dumps({"message_id": number, "payload": payload}).encode()
            sys.stdout.buffer.write(before + base64.b64encode(message) + b",")
            sys.stdout.buffer.flush()
        ''') + textwrap.dedent(body))
    script.chmod(0o755)
    return script


REPLY_ALL = '''
    for message in messages():
        payload = message["payload"]
        if payload["type"] == "AddFile":
            with open(sys.argv[0] + ".order", "a") as log:
                log.write(payload["file_path"] + "\\n")
            answer(message["message_id"], {"type": "IndexedFile", "page_word_count": 1,
                                           "page_url": "/", "page_meta": {}})
        elif payload["type"] == "WriteFiles":
            import os
            os.makedirs(payload["output_path"] + "/index")
            with open(payload["output_path"] + "/index/en.pf_index", "wb") as out:
                out.write(b"bundle")
            answer(message["message_id"], {"type": "WriteFiles", "output_path": payload["output_path"]},
                   before=b"a line logged by the service\\n")
        else:
            answer(message["message_id"], {"type": "NewIndex", "index_id": 0})
'''


def test_the_pages_go_in_the_order_of_their_names_whatever_the_order_given(tmp_path):
    fake = fake_service(tmp_path, REPLY_ALL)
    pages = {name: page(name, "text") for name in ("en/b/index.html", "en/a/index.html", "en/c/index.html")}
    bundle = index_pages(fake, pages, scratch=())  # the service, whatever this machine's file systems
    assert bundle == {"index/en.pf_index": b"bundle"}, "a logged line before an answer is not part of it"
    assert (tmp_path / "pagefind.order").read_text().split() == ["en/a/index.html", "en/b/index.html",
                                                                 "en/c/index.html"]


def test_a_page_pagefind_cannot_read_is_named(tmp_path):
    fake = fake_service(tmp_path, '''
        for message in messages():
            payload = message["payload"]
            if payload["type"] == "AddFile" and "b/" in payload["file_path"]:
                answer(message["message_id"], {"type": "Error", "message": "unreadable HTML"})
            elif payload["type"] == "WriteFiles":
                answer(message["message_id"], {"type": "WriteFiles"})
            else:
                answer(message["message_id"], {"type": "IndexedFile"})
        ''')
    pages = {"en/a/index.html": page("A", "a"), "en/b/index.html": page("B", "b")}
    with pytest.raises(PagefindError, match=r"^unreadable HTML \(the page en/b/index.html\)$"):
        index_pages(fake, pages, scratch=())


def test_a_service_that_stops_says_why_in_its_own_words(tmp_path):
    fake = fake_service(tmp_path, '''
        next(messages())
        sys.stderr.write("starting\\ncannot index: disk full\\n")
        sys.exit(3)
        ''')
    with pytest.raises(PagefindError, match=r"^cannot index: disk full$"):
        index_pages(fake, {"en/a/index.html": page("A", "a")}, scratch=())
    silent = tmp_path / "silent"
    silent.write_text("#!/bin/sh\nexit 4\n")
    silent.chmod(0o755)
    with pytest.raises(PagefindError, match="status 4"):
        index_pages(silent, {"en/a/index.html": page("A", "a")}, scratch=())


def test_a_service_that_hangs_is_stopped(tmp_path):
    fake = fake_service(tmp_path, '''
        import time
        for message in messages():
            time.sleep(60)
        ''')
    with pytest.raises(PagefindError, match="longer than 1 s"):
        index_pages(fake, {"en/a/index.html": page("A", "a")}, scratch=(), timeout=1)


def test_a_bundle_not_written_or_an_unreadable_message_is_an_error(tmp_path):
    fake = fake_service(tmp_path, '''
        for message in messages():
            answer(message["message_id"], {"type": "Nothing"})
        ''')
    with pytest.raises(PagefindError, match="did not write the bundle"):
        index_pages(fake, {"en/a/index.html": page("A", "a")}, scratch=())
    garbled = fake_service(tmp_path, '''
        for message in messages():
            sys.stdout.buffer.write(base64.b64encode(json.dumps(
                {"message_id": None, "payload": {"type": "Error", "message": "not valid base64"}}).encode()) + b",")
            sys.stdout.buffer.flush()
        ''')
    with pytest.raises(PagefindError, match="^not valid base64$"):
        index_pages(garbled, {"en/a/index.html": page("A", "a")}, scratch=())


def test_a_missing_binary_is_an_error(tmp_path):
    with pytest.raises(PagefindError):
        index_pages(tmp_path / "nowhere", {"en/a/index.html": page("A", "a")}, scratch=())


@pytest.fixture
def pagefind():
    executable = pagefind_executable()
    if executable is None:
        pytest.skip("Pagefind is not installed (pip install -r requirements.txt)")
    return executable


def comparable(bundle: dict[str, bytes]) -> dict:
    """The bundle with its entry file read as JSON: Pagefind lists the languages there in
    no fixed order (the search stage puts them in one)."""
    return {**bundle, "pagefind-entry.json": json.loads(bundle["pagefind-entry.json"])}


def test_the_same_pages_given_in_any_order_make_the_same_bundle(pagefind):
    pages = {f"en/{name}/index.html": page(f"Concert {name}", "A concert of folk music in the hall.")
             for name in ("delta", "alpha", "charlie", "bravo")}
    pages["uz/alpha/index.html"] = page("Konsert", "Zalda xalq musiqasi konserti.", lang="uz")
    first = index_pages(pagefind, pages)
    again = index_pages(pagefind, dict(reversed(list(pages.items()))))
    assert comparable(first) == comparable(again)
    entry = json.loads(first["pagefind-entry.json"])
    assert sorted(entry["languages"]) == ["en", "uz"]
    assert entry["languages"]["en"]["page_count"] == 4
    assert any(name.startswith("fragment/en_") for name in first)
    assert not any(name.startswith("playground/") for name in first), "no playground on a live site"


def test_the_order_compares_paths_folder_by_folder():
    names = ["en/a-b/index.html", "en/a/index.html", "en/a.html", "en/b/c/index.html", "en/b/index.html"]
    assert sorted(names, key=order) == ["en/a/index.html", "en/a-b/index.html", "en/a.html",
                                        "en/b/c/index.html", "en/b/index.html"]


def a_place_listed_in_order():
    """Where this machine can make a folder listed in the order of its making (tmpfs)."""
    for place in pagefind_module.SCRATCH:
        try:
            if (place is None or pagefind_module.os.path.isdir(place)) and \
                    pagefind_module._lists_newest_first(place) is not None:
                return place
        except OSError:
            continue
    pytest.skip("no file system here lists a folder in the order its entries were made (no tmpfs); "
                "only Pagefind's service is used on this machine")


def test_a_folder_of_pages_is_listed_in_the_order_pagefind_gets_them(tmp_path):
    place = a_place_listed_in_order()
    pages = {name: b"<html></html>" for name in ("uz/z/index.html", "en/a-b/index.html", "en/a/index.html",
                                                 "en/a.html", "en/news/2/index.html", "en/news/10/index.html")}
    names = sorted(pages, key=order)
    folder = pagefind_module._listed_in_order(pages, names, place)
    assert folder is not None
    try:
        assert pagefind_module._walk(folder) == names
    finally:
        pagefind_module.shutil.rmtree(folder)


def test_a_file_system_listed_in_no_order_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(pagefind_module, "_lists_newest_first", lambda place: None)
    assert pagefind_module._listed_in_order({"en/a/index.html": b"x"}, ["en/a/index.html"], str(tmp_path)) is None
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    monkeypatch.setattr(pagefind_module, "_free", lambda place: 10)
    assert pagefind_module._listed_in_order({"en/a/index.html": b"x" * 100}, ["en/a/index.html"],
                                            str(tmp_path)) is None, "not where there is no room"


def corpus() -> dict[str, bytes]:
    """Pages with words in common, so that many results have equal scores and the
    order the pages were read in decides their ranking."""
    topics = ["concert", "festival", "exhibition", "master class", "delegation"]
    pages = {}
    for number in range(60):
        topic = topics[number % len(topics)]
        name = f"en/news/{'item-' if number % 3 else 'item/'}{number}/index.html"
        pages[name] = page(f"A {topic} {number}", f"The {topic} of the institute with a partner university.")
        pages[f"uz/news/{number}/index.html"] = page(f"Tadbir {number}", "Institut va hamkor universitet.", "uz")
    pages["en/about/index.html"] = page("About", "The department and its partner universities.")
    return pages


def test_the_folder_and_the_service_make_the_same_bundle(pagefind, monkeypatch):
    place = a_place_listed_in_order()
    pages = corpus()
    ran = []
    original = pagefind_module._index_folder
    monkeypatch.setattr(pagefind_module, "_index_folder", lambda *args: ran.append(args) or original(*args))
    through_folder = index_pages(pagefind, pages, scratch=(place,))
    assert ran, "the folder was used"
    through_service = index_pages(pagefind, dict(reversed(list(pages.items()))), scratch=())
    assert comparable(through_folder) == comparable(through_service)


def test_the_folder_reads_no_settings_from_the_project(pagefind, monkeypatch, tmp_path):
    place = a_place_listed_in_order()
    pages = corpus()
    plain = index_pages(pagefind, pages, scratch=(place,))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pagefind.yml").write_text("force_language: fr\nexclude_selectors: ['p']\n")
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    assert comparable(index_pages(pagefind, pages, scratch=(place,))) == comparable(plain)
    assert comparable(index_pages(pagefind, pages, scratch=())) == comparable(plain)


def test_folders_of_pages_left_by_a_killed_build_are_removed(tmp_path):
    old, recent, other = tmp_path / "sitegen-pages-old", tmp_path / "sitegen-pages-recent", tmp_path / "mine"
    for folder in (old, recent, other):
        (folder / "en").mkdir(parents=True)
        (folder / "en/index.html").write_bytes(b"x")
    long_ago = pagefind_module.time.time() - 2 * pagefind_module.STALE
    pagefind_module.os.utime(old, (long_ago, long_ago))
    pagefind_module.os.utime(other, (long_ago, long_ago))
    pagefind_module._remove_stale(str(tmp_path))
    assert not old.exists()
    assert recent.exists(), "perhaps another build's, running now"
    assert other.exists(), "not the build's own"


def test_a_folder_run_that_fails_is_tried_once_more_through_the_service(pagefind, monkeypatch):
    place = a_place_listed_in_order()
    pages = corpus()

    def full(*args):
        raise PagefindError("No space left on device (os error 28)")

    monkeypatch.setattr(pagefind_module, "_index_folder", full)
    assert comparable(index_pages(pagefind, pages, scratch=(place,))) == \
        comparable(index_pages(pagefind, pages, scratch=()))

    def late(*args):
        raise PagefindError("Pagefind took longer than 1 s", late=True)

    monkeypatch.setattr(pagefind_module, "_index_folder", late)
    with pytest.raises(PagefindError, match="longer"):
        index_pages(pagefind, pages, scratch=(place,))


def test_the_caller_is_told_once_when_the_pages_are_handed_over(pagefind, monkeypatch):
    """`handed` comes once the folder of pages is written and before Pagefind reads it
    (the build starts its other work then), and once when the service is used, also
    when a folder run failed and the service tries again."""
    place = a_place_listed_in_order()
    pages = corpus()
    seen: list = []
    folders = []
    original = pagefind_module._index_folder

    def index_folder(executable, folder, *args):
        folders.append(folder)
        assert len(seen) == 1, "told before Pagefind runs"
        return original(executable, folder, *args)

    monkeypatch.setattr(pagefind_module, "_index_folder", index_folder)

    def handed():
        written = sorted(str(path.relative_to(folder)) for folder in pagefind_module.Path(place).glob(
            "sitegen-pages-*") for path in folder.rglob("*.html"))
        seen.append(written)

    bundle = index_pages(pagefind, pages, scratch=(place,), handed=handed)
    assert folders and bundle
    assert seen == [sorted(pages)], "every page was written when the caller was told"

    told = []
    index_pages(pagefind, pages, scratch=(), handed=lambda: told.append(1))
    assert told == [1]

    def full(*args):
        raise PagefindError("No space left on device (os error 28)")

    monkeypatch.setattr(pagefind_module, "_index_folder", full)
    told.clear()
    assert index_pages(pagefind, pages, scratch=(place,), handed=lambda: told.append(1))
    assert told == [1]
