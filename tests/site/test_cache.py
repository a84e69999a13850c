"""The cache kept between builds (.cache/sitegen/): converted Markdown is reused only when
every link and image it resolved still resolves the same way; a deleted, damaged or
unwritable cache changes the time a build takes, never its output or its messages."""

from __future__ import annotations

import shutil

import markdown
import pytest

from conftest import address, errors, find_diag, messages, news, snapshot

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

LINKING = news("uz", "Hamkorlik", "2025-06-12", body=(
    "Batafsil: [memorandum](memo.md), [hamkor](../partners/kaznua.md), [boʻlim](#reja).\n\n"
    "## Reja\n\nMatn[^1].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: Izoh.\n"))
MEMO = news("uz", "Memorandum", "2025-06-10", body="## Tafsilotlar\n\nMatn.\n")


@pytest.fixture
def linked(site):
    site.write("content/news/visit.uz.md", LINKING)
    site.write("content/news/memo.uz.md", MEMO)
    return site


@pytest.fixture
def conversions(monkeypatch):
    """How many bodies Python-Markdown converts."""
    calls = []
    real = markdown.Markdown.convert

    def counting(self, text):
        calls.append(text[:30])
        return real(self, text)

    monkeypatch.setattr(markdown.Markdown, "convert", counting)
    return calls


def build_clean(site, out):
    result = site.build(out=out)
    assert errors(result) == [] and result.written, messages(result)
    return snapshot(out)


def cold(site, out):
    """A build with no cache at all."""
    shutil.rmtree(site.root / ".cache", ignore_errors=True)
    return build_clean(site, out)


def test_an_unchanged_site_converts_no_markdown_the_second_time(linked, conversions, tmp_path):
    first = build_clean(linked, tmp_path / "one")
    assert len(conversions) > 0
    conversions.clear()
    second = build_clean(linked, tmp_path / "two")
    assert conversions == []
    assert first == second


def test_only_the_edited_document_is_converted_again(linked, conversions, tmp_path):
    build_clean(linked, tmp_path / "one")
    linked.write("content/news/memo.uz.md", MEMO.replace("Matn.", "Yangi matn."))
    conversions.clear()
    warm = build_clean(linked, tmp_path / "two")
    # once per language it is published in (English shows the Uzbek text as a fallback)
    assert len(conversions) == 2 and all(text.startswith("## Tafsilotlar") for text in conversions)
    assert warm == cold(linked, tmp_path / "three")


def test_a_moved_link_target_updates_the_kept_body(linked, tmp_path):
    build_clean(linked, tmp_path / "one")
    linked.write("content/news/memo.uz.md", MEMO.replace('date: 2025-06-10', 'date: 2025-06-10\nslug: "memorandum"'))
    warm = build_clean(linked, tmp_path / "two")
    moved = address.document("uz", "news", "memorandum")
    assert f'href="{moved}"'.encode() in warm[address.file(address.document("uz", "news", "visit"))]
    assert warm == cold(linked, tmp_path / "three")


def test_a_deleted_link_target_is_reported_on_a_warm_build(linked, tmp_path):
    build_clean(linked, tmp_path / "one")
    (linked.root / "content/news/memo.uz.md").unlink()
    for _ in range(2):  # and again: a body with a problem is never kept
        result = linked.build(out=tmp_path / "two")
        assert not result.written
        assert find_diag(result, "content/news/visit.uz.md", text="the link 'memo.md' points at no document")


def test_a_renamed_heading_breaks_a_kept_fragment_link(site, tmp_path):
    site.write("content/news/memo.uz.md", MEMO)
    site.write("content/news/visit.uz.md", news("uz", "Tashrif", "2025-06-12",
                                                body="[Tafsilotlar](memo.md#tafsilotlar)\n"))
    build_clean(site, tmp_path / "one")
    site.write("content/news/memo.uz.md", MEMO.replace("## Tafsilotlar", "## Batafsil"))
    result = site.build(out=tmp_path / "two")
    assert find_diag(result, "content/news/visit.uz.md", text="names no heading or anchor")


def test_the_same_link_in_several_bodies_is_checked_for_each(site, tmp_path):
    """Links found once are answered from memory for the next body of the folder that
    writes them the same way (markup.py): each body's #fragment is still checked, at
    its own file, in a first build and when the kept pages are reused."""
    site.write("content/news/memo.uz.md", MEMO)
    for name in ("visit", "forum", "concert"):
        site.write(f"content/news/{name}.uz.md", news("uz", name.title(), "2025-06-12",
                                                      body="[Xat](memo.md) va [Tafsilotlar](memo.md#tafsilotlar)\n"))
    build_clean(site, tmp_path / "one")
    site.write("content/news/memo.uz.md", MEMO.replace("## Tafsilotlar", "## Batafsil"))
    for _ in range(2):  # a body with a problem is never kept: reported again
        result = site.build(out=tmp_path / "two")
        for name in ("visit", "forum", "concert"):
            assert find_diag(result, f"content/news/{name}.uz.md", text="names no heading or anchor"), name


@pytest.mark.parametrize("damage", ["garbage", "empty", "folder-is-a-file", "deleted"])
def test_a_damaged_cache_changes_nothing_but_time(linked, tmp_path, damage):
    fresh = cold(linked, tmp_path / "fresh")
    store = linked.root / ".cache/sitegen/markdown.sqlite"
    assert store.is_file()
    if damage == "garbage":
        store.write_bytes(b"SQLite format 3\x00" + b"\xff" * 300)
    elif damage == "empty":
        store.write_bytes(b"")
    elif damage == "folder-is-a-file":
        shutil.rmtree(linked.root / ".cache")
        (linked.root / ".cache").write_text("not a folder")
    else:
        shutil.rmtree(linked.root / ".cache")
    assert build_clean(linked, tmp_path / "again") == fresh


def test_a_kept_body_from_another_markdown_setup_is_not_used(linked, conversions, tmp_path, monkeypatch):
    import sitegen.markup

    build_clean(linked, tmp_path / "one")
    monkeypatch.setattr(sitegen.markup, "MARKDOWN_SETUP", [*sitegen.markup.MARKDOWN_SETUP, "changed"])
    conversions.clear()
    build_clean(linked, tmp_path / "two")
    assert len(conversions) >= 2
