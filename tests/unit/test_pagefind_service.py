"""Pagefind's service mode (sitegen/lib/pagefind.py): the pages go in a fixed order,
the bundle is read back from the folder it was written to, and every way the service can fail is an error
that says why, never a hang or a traceback."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest

from sitegen.lib.pagefind import PagefindError, index_pages
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
    assert index_pages(fake, pages) == {"index/en.pf_index": b"bundle"}, "a logged line before an answer is not part of it"
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
        index_pages(fake, pages)


def test_a_service_that_stops_says_why_in_its_own_words(tmp_path):
    fake = fake_service(tmp_path, '''
        next(messages())
        sys.stderr.write("starting\\ncannot index: disk full\\n")
        sys.exit(3)
        ''')
    with pytest.raises(PagefindError, match=r"^cannot index: disk full$"):
        index_pages(fake, {"en/a/index.html": page("A", "a")})
    silent = tmp_path / "silent"
    silent.write_text("#!/bin/sh\nexit 4\n")
    silent.chmod(0o755)
    with pytest.raises(PagefindError, match="status 4"):
        index_pages(silent, {"en/a/index.html": page("A", "a")})


def test_a_service_that_hangs_is_stopped(tmp_path):
    fake = fake_service(tmp_path, '''
        import time
        for message in messages():
            time.sleep(60)
        ''')
    with pytest.raises(PagefindError, match="longer than 1 s"):
        index_pages(fake, {"en/a/index.html": page("A", "a")}, timeout=1)


def test_a_bundle_not_written_or_an_unreadable_message_is_an_error(tmp_path):
    fake = fake_service(tmp_path, '''
        for message in messages():
            answer(message["message_id"], {"type": "Nothing"})
        ''')
    with pytest.raises(PagefindError, match="did not write the bundle"):
        index_pages(fake, {"en/a/index.html": page("A", "a")})
    garbled = fake_service(tmp_path, '''
        for message in messages():
            sys.stdout.buffer.write(base64.b64encode(json.dumps(
                {"message_id": None, "payload": {"type": "Error", "message": "not valid base64"}}).encode()) + b",")
            sys.stdout.buffer.flush()
        ''')
    with pytest.raises(PagefindError, match="^not valid base64$"):
        index_pages(garbled, {"en/a/index.html": page("A", "a")})


def test_a_missing_binary_is_an_error(tmp_path):
    with pytest.raises(PagefindError):
        index_pages(tmp_path / "nowhere", {"en/a/index.html": page("A", "a")})


@pytest.fixture
def pagefind():
    executable = pagefind_executable()
    if executable is None:
        pytest.skip("Pagefind is not installed (pip install -r requirements.txt)")
    return executable


def test_the_real_service_gives_the_same_bundle_for_pages_given_in_any_order(pagefind):
    pages = {f"en/{name}/index.html": page(f"Concert {name}", "A concert of folk music in the hall.")
             for name in ("delta", "alpha", "charlie", "bravo")}
    pages["uz/alpha/index.html"] = page("Konsert", "Zalda xalq musiqasi konserti.", lang="uz")
    first = index_pages(pagefind, pages)
    again = index_pages(pagefind, dict(reversed(list(pages.items()))))
    entry = json.loads(first.pop("pagefind-entry.json"))
    assert entry == json.loads(again.pop("pagefind-entry.json")), "it lists the languages in no fixed order"
    assert first == again
    assert sorted(entry["languages"]) == ["en", "uz"]
    assert entry["languages"]["en"]["page_count"] == 4
    assert any(name.startswith("fragment/en_") for name in first)
    assert not any(name.startswith("playground/") for name in first), "no playground on a live site"
