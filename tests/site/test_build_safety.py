"""Deterministic, atomic builds; output folders that must never be replaced;
a base URL with a sub-path."""

from __future__ import annotations

import re

import feedparser
import pytest

from conftest import (address, alternates, canonical, errors, find_diag, html_files, messages, news, page_of,
                      sitemap_entries, snapshot, url_to_file)

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

FIRST = {lang: address.document(lang, "news", "first") for lang in ("uz", "en")}
SECOND = {lang: address.document(lang, "news", "second") for lang in ("uz", "en")}


def _content(site):
    site.write("content/news/first.uz.md", news("uz", "Birinchi", "2025-06-12", tags="[memo]",
                                                partners="[kaznua]", body="[Boshqa](second.md)\n"))
    site.write("content/news/first.en.md", news("en", "First", body="[Other](second.md#top)\n"))
    site.write("content/news/second.uz.md", news("uz", "Ikkinchi", "2025-07-01"))
    site.write("content/news/second.en.md", news("en", "Second", body="## Top\n\nTwo.\n"))


# -- determinism -------------------------------------------------------------

def test_two_builds_are_byte_identical(site, tmp_path):
    _content(site)
    one = site.build(out=tmp_path / "one")
    two = site.build(out=tmp_path / "two")
    assert errors(one) == [] and one.written and two.written, messages(one)
    a, b = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert a == one.files


def test_build_does_not_depend_on_file_creation_order(tmp_path):
    from conftest import BASE_FILES, SiteDir
    first = SiteDir(tmp_path / "p1")
    second = SiteDir(tmp_path / "p2")
    for rel, text in BASE_FILES.items():
        first.write(rel, text)
    for rel, text in reversed(list(BASE_FILES.items())):
        second.write(rel, text)
    second.write("content/news/second.en.md", news("en", "Second", body="Two.\n"))
    second.write("content/news/second.uz.md", news("uz", "Ikkinchi", "2025-07-01"))
    _content(first)
    _content(second)
    a, b = first.build(), second.build()
    assert errors(a) == [], messages(a)
    assert a.files == b.files


# -- atomicity ---------------------------------------------------------------

@pytest.fixture
def previous(site):
    _content(site)
    result = site.build()
    assert result.written, messages(result)
    return snapshot(site.root / "site")


def _assert_untouched(site, before, result):
    assert errors(result), "the broken site must give an error"
    assert result.written is False
    assert snapshot(site.root / "site") == before
    leftovers = [p.name for p in site.root.iterdir() if p.name.startswith(".site")]
    assert leftovers == [], leftovers


def test_failed_build_leaves_previous_output_untouched_yaml_error(site, previous):
    site.write("content/news/first.uz.md", '---\ntitle: "Birinchi"\ndate: [2025\n---\nBody.\n')
    _assert_untouched(site, previous, site.build())


def test_failed_build_leaves_previous_output_untouched_template_error(site, previous):
    template = site.root / "templates/news-item.html"
    template.write_text(template.read_text(encoding="utf-8") + "{% endif %}\n", encoding="utf-8")
    _assert_untouched(site, previous, site.build())


def test_failed_build_leaves_previous_output_untouched_broken_link(site, previous):
    site.write("content/news/second.en.md", news("en", "Second", body="[x](nothing.md)\n"))
    _assert_untouched(site, previous, site.build())


def test_strict_build_with_warning_leaves_previous_output_untouched(site, previous):
    site.write("content/news/second.en.md", news("en", "Second", "2025-07-02", body="## Top\n\nTwo.\n"))
    result = site.build(strict=True)
    assert result.diagnostics.warnings and not result.written
    assert snapshot(site.root / "site") == previous
    assert site.build().written  # without --strict the warning does not stop the build


def test_successful_rebuild_replaces_the_whole_output(site, previous):
    (site.root / "content/news/second.uz.md").unlink()
    (site.root / "content/news/second.en.md").unlink()
    site.write("content/news/first.uz.md", news("uz", "Birinchi", "2025-06-12"))
    site.write("content/news/first.en.md", news("en", "First"))
    stray = site.root / "site" / "stray.txt"
    stray.write_text("left by hand", encoding="utf-8")
    result = site.build()
    assert result.written, messages(result)
    after = snapshot(site.root / "site")
    assert after == result.files
    assert address.file(SECOND["uz"]) not in after and "stray.txt" not in after
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize("target", [".", "content", "data", "templates", "static"])
def test_refuses_output_folder_holding_the_project(site, target):
    _content(site)
    before = snapshot(site.root)
    out = site.root if target == "." else site.root / target
    result = site.build(out=out)
    assert result.written is False
    assert errors(result), "refusing must be an error"
    assert any("--out" in d.format() or "refus" in d.message.lower() for d in errors(result)), messages(result)
    assert snapshot(site.root) == before


def test_refuses_output_folder_that_is_a_parent_of_the_project(site):
    _content(site)
    before = snapshot(site.root)
    result = site.build(out=site.root.parent)
    assert result.written is False and errors(result)
    assert snapshot(site.root) == before


def test_refuses_output_folder_that_is_a_git_repository(site, tmp_path):
    _content(site)
    repo = tmp_path / "elsewhere"
    (repo / ".git").mkdir(parents=True)
    (repo / "keep.txt").write_text("keep", encoding="utf-8")
    result = site.build(out=repo)
    assert result.written is False and errors(result)
    assert (repo / "keep.txt").read_text(encoding="utf-8") == "keep"


def test_check_mode_writes_nothing(site):
    _content(site)
    result = site.build(write=False)
    assert errors(result) == [] and not result.written
    assert result.files  # everything was rendered and validated
    assert not (site.root / "site").exists()


# -- base URL with a sub-path ------------------------------------------------

SUB = "https://example.org/ir/"


@pytest.fixture
def sub(site):
    _content(site)
    result = site.build(base_url=SUB)
    assert errors(result) == [], messages(result)
    return result


def _internal_refs(page):
    refs = [a["href"] for a in page.find_all(["a", "link"], href=True)]
    refs += [el["src"] for el in page.find_all(src=True)]
    return [r for r in refs if not re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", r, re.I)]


def test_sub_path_prefixes_every_internal_link(sub):
    checked = 0
    for name in html_files(sub):
        for ref in _internal_refs(page_of(sub, name)):
            assert ref.startswith("/ir/"), (name, ref)
            assert url_to_file(ref[len("/ir"):]) in sub.files, (name, ref)
            checked += 1
    assert checked > 100


def test_sub_path_markdown_links(sub):
    uz = page_of(sub, address.file(FIRST["uz"]))
    assert uz.find("a", string="Boshqa")["href"] == address.href(SECOND["uz"], SUB)
    en = page_of(sub, address.file(FIRST["en"]))
    assert en.find("a", string="Other")["href"] == address.href(SECOND["en"], SUB) + "#top"


def test_sub_path_absolute_urls(sub):
    for name in html_files(sub):
        page = page_of(sub, name)
        assert canonical(page).startswith(SUB), name
        for href in alternates(page).values():
            assert href.startswith(SUB), (name, href)
    page = page_of(sub, address.file(FIRST["en"]))
    assert canonical(page) == address.absolute(FIRST["en"], SUB)
    assert alternates(page)["uz"] == address.absolute(FIRST["uz"], SUB)


def test_sub_path_sitemap_robots_and_feed(sub):
    entries = sitemap_entries(sub.files["sitemap.xml"])
    assert address.absolute(FIRST["uz"], SUB) in entries
    for loc, alts in entries.items():
        assert loc.startswith(SUB), loc
        assert all(h.startswith(SUB) for h in alts.values()), alts
    assert f"Sitemap: {SUB}sitemap.xml" in sub.files["robots.txt"].decode("utf-8")
    feed = feedparser.parse(sub.files[address.file(address.feed("en"))])
    assert feed.bozo == 0
    assert [e.link for e in feed.entries] == [address.absolute(SECOND["en"], SUB), address.absolute(FIRST["en"], SUB)]
    assert all(link.href.startswith(SUB) for link in feed.feed.links)
    # links inside the entry's HTML content are usable from a feed reader too
    first = next(e for e in feed.entries if e.link.endswith("/first/"))
    assert address.href(SECOND["en"], SUB) in first.content[0].value


def test_sub_path_landing_page_refreshes_under_the_sub_path(sub):
    page = page_of(sub, "index.html")
    refresh = page.find("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)})
    homes = {lang: address.href(address.home(lang), SUB) for lang in ("uz", "en")}
    assert re.fullmatch(r"\d+;url=" + re.escape(homes["uz"]), refresh["content"].replace(" ", ""), re.I), \
        refresh["content"]
    assert {a["href"] for a in page.find_all("a", hreflang=True)} == set(homes.values())


def test_sub_path_without_trailing_slash_is_normalised(site):
    _content(site)
    result = site.build(base_url="https://example.org/ir")
    assert errors(result) == [], messages(result)
    assert canonical(page_of(result, address.file(address.home("uz")))) == address.absolute(address.home("uz"), SUB)


@pytest.mark.parametrize("url", ["ftp://x", "example.org", "https://", "https://example.org/?q=1"])
def test_invalid_base_url_is_an_error(site, url):
    _content(site)
    result = site.build(base_url=url)
    assert not result.written
    assert find_diag(result, "--base-url", None, ""), messages(result)


# -- only what changed is written ------------------------------------------------

def _stats(folder):
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_a_rebuild_keeps_unchanged_files_and_rewrites_only_what_changed(site):
    _content(site)
    assert site.build().written
    out = site.root / "site"
    before = _stats(out)
    site.write("content/news/second.en.md", news("en", "Second", body="## Top\n\nTwo, edited.\n"))
    result = site.build()
    assert result.written, messages(result)
    after = _stats(out)
    assert snapshot(out) == result.files
    changed = {name for name in after if before.get(name) != after[name]}
    assert address.file(SECOND["en"]) in changed
    assert address.file(SECOND["uz"]) not in changed, "an unchanged page keeps its file and time"
    assert not any(name.startswith("assets/") for name in changed)
    assert len(changed) < len(after) / 2


def test_a_rebuild_with_nothing_changed_writes_no_file(site):
    _content(site)
    assert site.build().written
    before = _stats(site.root / "site")
    assert site.build().written
    assert _stats(site.root / "site") == before


def test_a_file_changed_by_hand_in_the_output_is_written_again(site):
    _content(site)
    result = site.build()
    home = address.file(address.home("uz"))
    page = site.root / "site" / home
    page.write_text("changed by hand", encoding="utf-8")
    assert site.build().written
    assert page.read_bytes() == result.files[home]


def test_an_unchanged_build_leaves_the_output_folder_untouched(site):
    assert site.build().ok()
    out = site.root / "site"
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    folder = out.stat().st_ino
    assert site.build().ok()
    assert out.stat().st_ino == folder  # not swapped for a new folder
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")} == before
    (out / "stray.txt").write_text("not built", encoding="utf-8")
    assert site.build().ok()
    assert not (out / "stray.txt").exists()  # anything else in the folder: the complete site is swapped in
