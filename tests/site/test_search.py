"""Search without a server: a Pagefind index per language, written with the site."""

from __future__ import annotations

import json

import pytest

import sitegen.search
from conftest import address, errors, find_diag, messages, news, snapshot




def test_search_page_box_and_index_per_language(searchable):
    result = searchable.build()
    assert errors(result) == [], messages(result)
    for lang in ("uz", "en"):
        page = searchable.soup(address.file(address.search(lang)))
        form = page.find("form", attrs={"data-search": True})
        assert form["action"] == address.search(lang) and form["method"] == "get"
        assert form.find("input", attrs={"name": "q"})
        assert form["data-bundle"] == "/pagefind/pagefind.js"
        assert page.find(attrs={"data-search-status": True}).get_text(strip=True), "a message without JavaScript"
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        home = searchable.soup(address.file(address.home(lang)))
        box = home.find("form", role="search")
        assert box["action"] == address.search(lang)
        label = home.find("label", attrs={"for": box.find("input")["id"]})
        assert label.get_text(strip=True)
    entry = json.loads((searchable.root / "site/pagefind/pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"uz", "en"}
    assert (searchable.root / "site/pagefind/pagefind.js").is_file()
    assert not list((searchable.root / "site/pagefind").glob("pagefind-ui*")), "the ready-made UI is not shipped"
    assert "search/" not in "".join(str(p) for p in (searchable.root / "site").glob("sitemap.xml"))
    assert b"/search/" not in (searchable.root / "site/sitemap.xml").read_bytes()


def test_only_content_pages_are_indexed(searchable):
    result = searchable.build()
    assert errors(result) == [], messages(result)
    marked = {name for name, data in result.files.items()
              if name.endswith(".html") and b"data-pagefind-body" in data}
    assert address.file(address.document("en", "news", "memo")) in marked and address.file(address.home("uz")) in marked
    assert address.file(address.record("en", "partners", "kaznua")) in marked
    for name in ("404.html", *map(address.file, (address.section("en", "news"), address.search("en"),
                                                 address.not_found("en"), address.tag("en", "memo")))):
        assert name not in marked, name
    entry = json.loads(result.files["pagefind/pagefind-entry.json"])
    assert entry["languages"]["en"]["page_count"] == len([m for m in marked if m.startswith("en/")])


def test_the_index_is_deterministic(searchable, tmp_path):
    first = searchable.build(out=tmp_path / "one")
    second = searchable.build(out=tmp_path / "two")
    assert first.written and second.written
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_search_off_writes_no_index_page_or_box(site):
    result = site.build()
    assert errors(result) == [], messages(result)
    assert not any(name.startswith("pagefind/") for name in result.files)
    assert address.file(address.search("uz")) not in result.files
    assert site.soup(address.file(address.home("uz"))).find("form", role="search") is None


def test_missing_pagefind_is_an_error_and_keeps_the_old_site(searchable, monkeypatch):
    assert searchable.build().written
    before = snapshot(searchable.root / "site")
    monkeypatch.setattr(sitegen.search, "pagefind_executable", lambda: None)
    result = searchable.build()
    assert not result.written
    assert find_diag(result, "data/site.yaml", text="Pagefind is not installed")
    assert snapshot(searchable.root / "site") == before


def test_a_failing_pagefind_is_reported_not_raised(searchable, failing_pagefind):
    failing_pagefind()
    result = searchable.build()
    assert not result.written
    assert find_diag(result, "data/site.yaml", text="cannot index: disk full")


def test_search_setting_must_be_true_or_false(site):
    site.write("data/site.yaml", site.root.joinpath("data/site.yaml").read_text() + "search: yes please\n")
    result = site.build()
    assert find_diag(result, "data/site.yaml", text="'search' must be true or false")


def test_check_does_not_build_the_index(searchable, monkeypatch):
    monkeypatch.setattr(sitegen.search, "pagefind_executable", lambda: None)
    result = searchable.build(write=False)
    assert errors(result) == [], messages(result)
