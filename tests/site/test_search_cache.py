"""The search index is kept between builds, one bundle per language: Pagefind runs
only for the languages whose indexed pages changed, the bundle put together is the
one a build without a cache writes, and a missing, damaged or unwritable cache
changes speed only."""

from __future__ import annotations

import itertools
import json
import os
import shutil

import pytest

import sitegen.search
from conftest import address, errors, find_diag, messages, news, snapshot

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

PER_BUILD = 2  # Pagefind runs once per language, uz and en



@pytest.fixture
def pagefind_runs(monkeypatch):
    """Every Pagefind run from here on (the real Pagefind still runs)."""
    runs: list[list[str]] = []  # the pages each run was given
    real = sitegen.search.index_pages

    def spy(executable, pages, **options):
        runs.append(sorted(pages))
        return real(executable, pages, **options)

    monkeypatch.setattr(sitegen.search, "index_pages", spy)
    return runs


def search_cache(site):
    return site.root / ".cache/sitegen/search"


def entries(site) -> list:
    return sorted(p for p in search_cache(site).iterdir() if not p.name.startswith("."))


def bundle(result) -> dict[str, bytes]:
    return {name: data for name, data in result.files.items() if name.startswith("pagefind/")}


def indexed(result, lang: str) -> list[str]:
    """The pages of `lang` that Pagefind indexes, as a run of that language is given them."""
    return sorted(name for name, data in result.files.items()
                  if name.startswith(f"{lang}/") and name.endswith(".html") and sitegen.search.MARKER in data)


def language_of_entry(entry: Path):
    return json.loads((entry / "manifest.json").read_text())["language"]


def entry_of(site, lang: str) -> Path:
    [entry] = [entry for entry in entries(site) if language_of_entry(entry) == lang]
    return entry


def memo(lang: str, body: str) -> tuple[str, str]:
    title = {"uz": "Memorandum imzolandi", "en": "Memorandum signed"}[lang]
    return f"content/news/memo.{lang}.md", news(lang, title, "2025-11-17", body=body)


def test_unchanged_pages_do_not_run_pagefind_again(searchable, pagefind_runs, tmp_path):
    first = searchable.build(out=tmp_path / "one")
    assert errors(first) == [], messages(first)
    assert len(pagefind_runs) == 1 * PER_BUILD
    assert sorted(language_of_entry(entry) for entry in entries(searchable)) == ["en", "uz"]
    second = searchable.build(out=tmp_path / "two")
    assert errors(second) == [], messages(second)
    assert len(pagefind_runs) == 1 * PER_BUILD, "the bundles came from the cache"
    assert bundle(second) == bundle(first) and len(bundle(first)) > 5
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


@pytest.mark.parametrize("lang, other", [("en", "uz"), ("uz", "en")])
def test_a_changed_page_runs_pagefind_for_its_language_only(searchable, pagefind_runs, tmp_path, lang, other):
    first = searchable.build(out=tmp_path / "first")
    assert len(pagefind_runs) == 1 * PER_BUILD
    kept = entry_of(searchable, other)
    searchable.write(*memo(lang, "With the Kazakh National Conservatory.\n"))
    second = searchable.build(out=tmp_path / "second")
    assert errors(second) == [], messages(second)
    assert pagefind_runs[PER_BUILD:] == [indexed(second, lang)], "one run, over the changed language's pages"
    assert indexed(second, lang) and indexed(second, other)
    assert bundle(second) != bundle(first)
    ours = f"pagefind/index/{lang}_"
    assert {n for n in bundle(second) if n.startswith(ours)} != {n for n in bundle(first) if n.startswith(ours)}
    theirs = f"pagefind/index/{other}_"
    assert {n: d for n, d in bundle(second).items() if n.startswith(theirs)} == \
        {n: d for n, d in bundle(first).items() if n.startswith(theirs)} != {}
    assert entry_of(searchable, other) == kept
    assert sorted(language_of_entry(entry) for entry in entries(searchable)) == sorted([lang, lang, other])
    # the same pages built without a cache: the same site, byte for byte
    shutil.rmtree(searchable.root / ".cache")
    fresh = searchable.build(out=tmp_path / "fresh")
    assert errors(fresh) == [], messages(fresh)
    assert len(pagefind_runs) == 1 + 2 * PER_BUILD
    assert bundle(fresh) == bundle(second)
    assert snapshot(tmp_path / "fresh") == snapshot(tmp_path / "second")


def test_going_back_to_the_text_before_takes_both_languages_from_the_cache(searchable, pagefind_runs):
    first = searchable.build()
    searchable.write(*memo("en", "With the Kazakh National Conservatory.\n"))
    second = searchable.build()
    assert errors(second) == [], messages(second)
    assert len(pagefind_runs) == 1 * PER_BUILD + 1
    assert bundle(second) != bundle(first)
    # the site goes back to the first text: the English bundle before is still kept
    searchable.write(*memo("en", "With the Kazakh National University of Arts.\n"))
    third = searchable.build()
    assert errors(third) == [], messages(third)
    assert len(pagefind_runs) == 1 * PER_BUILD + 1
    assert bundle(third) == bundle(first)


def test_a_page_that_is_not_indexed_does_not_run_pagefind(searchable, pagefind_runs):
    first = searchable.build()
    strings = searchable.root / "templates/strings/en.yaml"
    strings.write_text(strings.read_text().replace("search_none: \"Nothing was found", "search_none: \"Nothing found"))
    second = searchable.build()
    assert errors(second) == [], messages(second)
    search_page = address.file(address.search("en"))
    assert second.files[search_page] != first.files[search_page]
    assert len(pagefind_runs) == 1 * PER_BUILD
    assert bundle(second) == bundle(first)


def test_the_cached_bundle_equals_a_fresh_one(searchable, pagefind_runs, tmp_path):
    searchable.build(out=tmp_path / "one")
    cached = searchable.build(out=tmp_path / "two")
    assert len(pagefind_runs) == 1 * PER_BUILD
    shutil.rmtree(searchable.root / ".cache")
    fresh = searchable.build(out=tmp_path / "three")
    assert len(pagefind_runs) == 2 * PER_BUILD
    assert bundle(cached) == bundle(fresh)
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "three")


@pytest.mark.parametrize("lang", ["uz", "en"])
@pytest.mark.parametrize("damage", ["flip a byte", "cut the bundle", "lengthen the bundle", "bad manifest",
                                    "manifest lies", "no bundle file", "no manifest", "a path outside",
                                    "another entry's files"])
def test_a_damaged_cache_only_costs_time(searchable, pagefind_runs, damage, lang):
    first = searchable.build()
    before = snapshot(searchable.root / "site")
    assert len(pagefind_runs) == 1 * PER_BUILD
    entry = entry_of(searchable, lang)
    blob, manifest = entry / "bundle.bin", entry / "manifest.json"
    data = bytearray(blob.read_bytes())
    if damage == "flip a byte":
        data[len(data) // 2] ^= 0x01
        blob.write_bytes(bytes(data))
    elif damage == "cut the bundle":
        blob.write_bytes(bytes(data[:-1]))
    elif damage == "lengthen the bundle":
        blob.write_bytes(bytes(data) + b"x")
    elif damage == "bad manifest":
        manifest.write_text("{not json")
    elif damage == "manifest lies":
        listed = json.loads(manifest.read_text())
        listed["files"][0]["sha256"] = "0" * 64
        manifest.write_text(json.dumps(listed))
    elif damage == "no bundle file":
        blob.unlink()
    elif damage == "no manifest":
        manifest.unlink()
    elif damage == "a path outside":
        listed = json.loads(manifest.read_text())
        listed["files"][0]["name"] = "pagefind/../index.html"
        manifest.write_text(json.dumps(listed))
    elif damage == "another entry's files":  # whole and sound, but the bundle of the other language
        [other] = [other for other in entries(searchable) if other != entry]
        for name in ("bundle.bin", "manifest.json"):
            shutil.copy(other / name, entry / name)
    second = searchable.build()
    assert errors(second) == [], messages(second)
    assert pagefind_runs[PER_BUILD:] == [indexed(first, lang)], "the damaged entry only is not used"
    assert bundle(second) == bundle(first)
    assert snapshot(searchable.root / "site") == before
    third = searchable.build()  # the entry was written again
    assert len(pagefind_runs) == 1 * PER_BUILD + 1
    assert bundle(third) == bundle(first)
    assert sorted(language_of_entry(entry) for entry in entries(searchable)) == ["en", "uz"]


def test_a_deleted_cache_only_costs_time(searchable, pagefind_runs):
    first = searchable.build()
    before = snapshot(searchable.root / "site")
    shutil.rmtree(search_cache(searchable))
    second = searchable.build()
    assert errors(second) == [], messages(second)
    assert len(pagefind_runs) == 2 * PER_BUILD
    assert bundle(second) == bundle(first)
    assert snapshot(searchable.root / "site") == before


def test_an_unwritable_cache_only_costs_time(searchable, pagefind_runs, tmp_path):
    fresh = searchable.build(out=tmp_path / "fresh")
    shutil.rmtree(searchable.root / ".cache")
    search_cache(searchable).parent.mkdir(parents=True)
    search_cache(searchable).write_text("not a folder")  # no entry can be read or written
    for name in ("one", "two"):
        result = searchable.build(out=tmp_path / name)
        assert errors(result) == [], messages(result)
        assert result.written
        assert bundle(result) == bundle(fresh)
    assert len(pagefind_runs) == 3 * PER_BUILD
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "fresh")


def test_only_the_newest_two_bundles_of_each_language_are_kept(searchable, pagefind_runs):
    for text in ("first", "second", "third"):
        searchable.write(*memo("en", f"The {text} text.\n"))
        result = searchable.build()
        assert errors(result) == [], messages(result)
    english, uzbek = indexed(result, "en"), indexed(result, "uz")
    # the first build runs both languages side by side, in either order
    assert sorted(pagefind_runs[:2]) == sorted([english, uzbek]), pagefind_runs
    assert pagefind_runs[2:] == [english, english], "Uzbek is not evicted by English"
    assert sorted(language_of_entry(entry) for entry in entries(searchable)) == ["en", "en", "uz"]
    searchable.build()  # the third text: kept
    searchable.write(*memo("en", "The second text.\n"))
    searchable.build()  # the second text: kept
    assert len(pagefind_runs) == 4
    searchable.write(*memo("en", "The first text.\n"))
    searchable.build()  # the first text: no longer kept
    assert pagefind_runs[4:] == [english]
    assert sorted(language_of_entry(entry) for entry in entries(searchable)) == ["en", "en", "uz"]
    searchable.write(*memo("uz", "Birinchi matn.\n"))
    searchable.build()  # Uzbek: its bundle before is kept with the new one, and English's two stay
    assert pagefind_runs[5:] == [indexed(result, "uz")]
    assert sorted(language_of_entry(entry) for entry in entries(searchable)) == ["en", "en", "uz", "uz"]


def test_a_bundle_of_another_cache_format_is_removed(searchable, pagefind_runs):
    searchable.build()
    old = search_cache(searchable) / ("0" * 64)
    shutil.copytree(entry_of(searchable, "en"), old)
    listed = json.loads((old / "manifest.json").read_text())
    (old / "manifest.json").write_text(json.dumps({**listed, "format": "sitegen-search-cache/1"}))
    unrelated = entry_of(searchable, "uz")
    searchable.write(*memo("en", "The second text.\n"))
    searchable.build()
    assert len(pagefind_runs) == PER_BUILD + 1
    assert not old.exists()
    assert unrelated.exists()


def test_an_unfinished_entry_of_a_crashed_build_is_removed(searchable):
    old = search_cache(searchable) / ".0123.99999.tmp"
    old.mkdir(parents=True)
    (old / "bundle.bin").write_bytes(b"half")
    os.utime(old, (0, 0))
    recent = search_cache(searchable) / ".4567.99998.tmp"
    recent.mkdir()
    searchable.build()
    assert not old.exists(), "left by a crash long ago"
    assert recent.exists(), "perhaps another build writing it now"


def test_another_pagefind_does_not_reuse_the_bundle(searchable, pagefind_runs, failing_pagefind):
    assert searchable.build().written
    failing_pagefind()
    result = searchable.build()
    assert not result.written
    assert find_diag(result, "data/site.yaml", text="cannot index: disk full")


def test_a_failed_run_is_not_kept(searchable, monkeypatch, tmp_path):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sitegen.search, "pagefind_executable", lambda: fake)
    assert not searchable.build().written
    assert not search_cache(searchable).exists() or entries(searchable) == []


def test_each_language_is_indexed_by_a_run_of_its_own(searchable, pagefind_runs):
    result = searchable.build()
    assert errors(result) == [], messages(result)
    marked = sorted(name for name, data in result.files.items()
                    if name.endswith(".html") and sitegen.search.MARKER in data)
    assert len(pagefind_runs) == 2
    assert sorted(name.split("/")[0] for run in pagefind_runs for name in run) == sorted(
        name.split("/")[0] for name in marked)
    for run in pagefind_runs:
        assert len({name.split("/")[0] for name in run}) == 1, run
    entry = json.loads(result.files["pagefind/pagefind-entry.json"])
    assert set(entry["languages"]) == {"uz", "en"}


def test_the_bundles_of_the_languages_together_equal_one_run_over_all(searchable, pagefind_runs,
                                                                       monkeypatch, tmp_path):
    apart = searchable.build(out=tmp_path / "apart")
    assert len(pagefind_runs) == 2
    shutil.rmtree(searchable.root / ".cache")
    monkeypatch.setattr(sitegen.search, "language_of", lambda page: "")
    together = searchable.build(out=tmp_path / "together")
    assert len(pagefind_runs) == 3
    assert bundle(apart) == bundle(together)
    assert snapshot(tmp_path / "apart") == snapshot(tmp_path / "together")


def test_runs_whose_bundles_do_not_fit_together_give_way_to_one_run(searchable, pagefind_runs,
                                                                    monkeypatch, tmp_path):
    together = searchable.build(out=tmp_path / "together")
    shutil.rmtree(searchable.root / ".cache")
    # groups that split each language in two (pages are grouped in the order of their
    # names): both runs write an index for uz and one for en
    alternate = itertools.cycle("ab")
    monkeypatch.setattr(sitegen.search, "language_of", lambda page: next(alternate))
    mixed = searchable.build(out=tmp_path / "mixed")
    assert errors(mixed) == [], messages(mixed)
    assert len(pagefind_runs) == 2 + 3
    assert len(pagefind_runs[-1]) == len(pagefind_runs[-2]) + len(pagefind_runs[-3])
    assert bundle(mixed) == bundle(together)
    assert sorted(map(str, (language_of_entry(entry) for entry in entries(searchable)))) == ["None", "a", "b"]
    # the next build takes the bundles of both groups and of the run over all from the cache
    alternate = itertools.cycle("ab")
    again = searchable.build(out=tmp_path / "again")
    assert errors(again) == [], messages(again)
    assert len(pagefind_runs) == 2 + 3
    assert bundle(again) == bundle(together)
    assert snapshot(tmp_path / "again") == snapshot(tmp_path / "together")


def test_combining_bundles():
    def part(languages: dict, version="1.5.2", **files) -> dict:
        entry = {"version": version, "languages": languages, "include_characters": ["_"]}
        return {"pagefind/pagefind-entry.json": json.dumps(entry).encode(), **files}

    en = {"hash": "en_1", "wasm": "en", "page_count": 2}
    uz = {"hash": "uz_2", "wasm": None, "page_count": 3}
    combine = sitegen.search.combine_bundles
    both = combine([part({"uz": uz}, **{"pagefind/pagefind.js": b"js", "pagefind/index/uz_2.pf_index": b"u"}),
                    part({"en": en}, **{"pagefind/pagefind.js": b"js", "pagefind/index/en_1.pf_index": b"e"})])
    assert both is not None
    assert json.loads(both["pagefind/pagefind-entry.json"]) == {
        "version": "1.5.2", "languages": {"en": en, "uz": uz}, "include_characters": ["_"]}
    assert both["pagefind/pagefind-entry.json"].startswith(b'{"include_characters":["_"],"languages":{"en":')
    assert both["pagefind/index/uz_2.pf_index"] == b"u" and both["pagefind/pagefind.js"] == b"js"
    assert combine([part({"en": en}), part({"en": en})]) is None, "a language in two runs"
    assert combine([part({"en": en}), part({"uz": uz}, version="1.6.0")]) is None
    assert combine([part({"en": en}, **{"pagefind/pagefind.js": b"a"}),
                    part({"uz": uz}, **{"pagefind/pagefind.js": b"b"})]) is None, "a shared file that differs"
    assert combine([part({"en": en}), {"pagefind/pagefind.js": b"js"}]) is None, "no entry file"
    assert combine([part({"en": en}), {"pagefind/pagefind-entry.json": b"{"}]) is None


def test_language_of_a_page():
    language = sitegen.search.language_of
    assert language(b'<!DOCTYPE html>\n<html lang="en" dir="ltr"><head>') == "en"
    assert language(b"<html dir=ltr LANG=pt_BR>") == "pt"
    assert language(b"<html lang='uz-Latn'>") == "uz"
    assert language(b'<HTML Lang = " EN ">') == "en"
    assert language(b'<html xml:lang="fr">') == ""
    assert language(b'<html data-lang="fr">') == ""
    assert language(b"<html><body lang=en>") == ""
    assert language(b"<p>no html element</p>") == ""


def test_the_digest_covers_what_shapes_the_bundle(monkeypatch, tmp_path):
    executable = tmp_path / "pagefind"
    executable.write_bytes(b"binary one")
    pages = {"en/a/index.html": b"<html lang=en>a", "uz/a/index.html": b"<html lang=uz>a"}
    monkeypatch.chdir(tmp_path)
    digest = sitegen.search.input_digest
    base = digest(pages, executable)
    assert base == digest(dict(reversed(pages.items())), executable), "not the order pages were rendered in"
    assert digest({**pages, "en/a/index.html": b"<html lang=en>b"}, executable) != base
    assert digest({"en/a/index.htm": b"l<html lang=en>a", "uz/a/index.html": pages["uz/a/index.html"]},
                  executable) != base, "names and bytes cannot run into each other"
    assert digest({**pages, "en/b/index.html": b""}, executable) != base
    renamed = {"en/b/index.html": pages["en/a/index.html"], "uz/a/index.html": pages["uz/a/index.html"]}
    assert digest(renamed, executable) != base, "a page moved is in another place in the index"
    executable.write_bytes(b"binary two")
    assert digest(pages, executable) != base
    executable.write_bytes(b"binary one")
    monkeypatch.setattr(sitegen.search, "SERVICE_CONFIG", {"force_language": "en"})
    assert digest(pages, executable) != base
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sitegen.search, "UNUSED", sitegen.search.UNUSED[:-1])
    assert digest(pages, executable) != base
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    assert digest(pages, executable) == base
    executable.write_bytes(b"binary two")
    assert digest(pages, executable) != base
    executable.unlink()
    assert digest(pages, executable) is None, "then the cache is not used"


def test_a_language_in_parts_runs_pagefind_for_the_edited_part_only(searchable, pagefind_runs, monkeypatch, tmp_path):
    """With more pages to index than SPLIT_FROM, each language is indexed in parts
    listed in pagefind/parts.json; an edit runs Pagefind again for its own part."""
    for number in range(1, 6):
        for lang, title in (("uz", "Tashrif"), ("en", "Visit")):
            searchable.write(f"content/news/visit-{number}.{lang}.md",
                             news(lang, f"{title} {number}", "2025-10-0" + str(number), body=f"Matn {number}.\n"))
    monkeypatch.setattr(sitegen.search, "PART_PAGES", 3)
    monkeypatch.setattr(sitegen.search, "SPLIT_FROM", 3)
    first = searchable.build(out=tmp_path / "first")
    assert errors(first) == [], messages(first)
    listed = json.loads(first.files[sitegen.search.PARTS])
    assert set(listed) == {"uz", "en"} and all(len(folders) >= 1 for folders in listed.values())
    runs = len(pagefind_runs)
    assert runs == sum(len(folders) + 1 for folders in listed.values())
    indexed = [page for run in pagefind_runs for page in run]
    assert len(indexed) == len(set(indexed)), "a page is in one part only"
    for lang, folders in listed.items():
        for folder in folders:
            entry = json.loads(first.files[f"pagefind/{folder}pagefind-entry.json"])
            assert list(entry["languages"]) == [lang]

    edited = address.file(address.document("en", "news", "visit-3"))
    searchable.write("content/news/visit-3.en.md", news("en", "Visit 3", body="Another text.\n"))
    second = searchable.build(out=tmp_path / "second")
    assert errors(second) == [], messages(second)
    again = pagefind_runs[runs:]
    assert len(again) == 1 and edited in again[0], again
    part = next(run for run in pagefind_runs[:runs] if edited in run)
    assert again[0] == part, "the part holds the same pages as before"
    assert json.loads(second.files[sitegen.search.PARTS]) == listed


def test_the_other_outputs_are_rendered_while_pagefind_runs(searchable, monkeypatch, tmp_path):
    """Feeds, sitemap, the root 404 and landing pages are rendered while Pagefind indexes
    the pages: a Pagefind run that waits for them finds them done."""
    import threading

    from sitegen import render

    rest_done, seen = threading.Event(), []
    real_rest, real_index = render.Renderer.render_rest, sitegen.search.index_pages

    def rest(self, out):
        real_rest(self, out)
        rest_done.set()

    def index(executable, pages, **options):
        options.get("handed", lambda: None)()  # the pages written where Pagefind reads them
        seen.append(rest_done.wait(timeout=20))  # the old order, Pagefind first, would wait in vain
        return real_index(executable, pages, **options)

    monkeypatch.setattr(render.Renderer, "render_rest", rest)
    monkeypatch.setattr(sitegen.search, "index_pages", index)
    result = searchable.build(out=tmp_path / "site")
    assert errors(result) == [], messages(result)
    assert seen and all(seen)
    assert "sitemap.xml" in result.files and bundle(result)


def test_a_page_of_the_other_outputs_marked_for_search_is_indexed_too(searchable, pagefind_runs, tmp_path):
    """A theme's 404 page marked for search: the root 404.html, rendered with the other
    outputs, is indexed with the pages, as when everything was rendered first."""
    template = searchable.root / "templates/404.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        '<section class="not-found"', '<section data-pagefind-body class="not-found"'), encoding="utf-8")
    result = searchable.build(out=tmp_path / "site")
    assert errors(result) == [], messages(result)
    assert "404.html" in [page for run in pagefind_runs for page in run]
    assert any(b"data-pagefind-body" in data for name, data in result.files.items() if name == "404.html")


def test_a_small_site_has_one_part_per_language(searchable, pagefind_runs, tmp_path):
    result = searchable.build(out=tmp_path / "site")
    assert json.loads(result.files[sitegen.search.PARTS]) == {}
    assert not [name for name in result.files if name.startswith("pagefind/parts/")]


@pytest.fixture
def staged(monkeypatch):
    """What the build staged in its new output folder while Pagefind ran, each time."""
    import sitegen.pipeline
    calls: list[list[str]] = []
    real = sitegen.pipeline.stage

    def spy(files, out, root, same=frozenset(), spares=None, live=None):
        made = real(files, out, root, same, spares, live)
        calls.append(sorted(made.staged) if made is not None else [])
        return made

    monkeypatch.setattr(sitegen.pipeline, "stage", spy)
    return calls


def test_the_pages_are_staged_while_pagefind_runs_and_only_then(searchable, pagefind_runs, staged, tmp_path):
    out = tmp_path / "site"
    first = searchable.build(out=out)
    assert errors(first) == [], messages(first)
    assert len(staged) == 1 and address.file(address.document("en", "news", "memo")) in staged[0]
    assert not [name for name in staged[0] if name.startswith("pagefind/")], "the index comes after"
    assert snapshot(out) == {name: data for name, data in first.files.items()}
    searchable.build(out=out)  # nothing changed: the index comes from the cache, nothing is staged early
    assert len(staged) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_a_failing_pagefind_leaves_no_staged_folder_and_the_site_as_it_was(searchable, failing_pagefind, staged,
                                                                            tmp_path, monkeypatch):
    out = tmp_path / "site"
    assert errors(searchable.build(out=out)) == []
    before = snapshot(out)
    done = tmp_path / "staged"  # Pagefind fails once the pages are staged
    failing_pagefind(wait_for=done)
    import sitegen.pipeline
    spy = sitegen.pipeline.stage

    def stage(*args, **options):
        try:
            return spy(*args, **options)
        finally:
            done.touch()
    monkeypatch.setattr(sitegen.pipeline, "stage", stage)
    searchable.write("content/news/memo.en.md", news("en", "Memorandum signed", body="Changed.\n"))
    result = searchable.build(out=out)
    assert find_diag(result, "data/site.yaml", 0, "search index could not be built") is not None
    assert not result.written and snapshot(out) == before
    assert len(staged) == 2, "the pages were staged while the failing Pagefind ran, then thrown away"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]
