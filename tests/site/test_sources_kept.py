"""Content files as parsed are kept between builds (sources.Parsed, sources.sqlite): a
file whose text is unchanged is not parsed again, and what the build makes of it, its
pages and its messages, is the same as from a fresh parse."""

from __future__ import annotations

import os
import sqlite3

import pytest

import sitegen.sources
from conftest import messages, news, snapshot

STORE = ".cache/sitegen/sources.sqlite"
# Files with something to say: look-alikes of ʻ corrected in the body and front matter
# (a notice), Cyrillic text in the English file (a warning), a heading written inside the
# front matter (a warning); dates, lists and a nested field.
FILES = {
    "content/news/visit.uz.md": "---\ntitle: \"Delegatsiya tashrifi\"\ndate: 2025-06-12\n"
                                "summary: \"Ikki tomonlama o'quv dasturlari\"\ntags: [hamkorlik]\n"
                                "## Reja\n---\n\nTalabalar o'qishni davom ettiradi.\n",
    "content/news/visit.en.md": "---\ntitle: \"A delegation's visit\"\nsummary: \"Joint study programmes\"\n"
                                "---\n\nStudents continue their studies. Привет друзья мои.\n",
    "content/news/concert.uz.md": news("uz", "Konsert", "2025-05-01", body="Xalq musiqasi.\n"),
}


def counted_calls(monkeypatch, name: str) -> list[str]:
    """The names of the files that sitegen.sources.<name>(path, ...) is called with."""
    calls = []
    real = getattr(sitegen.sources, name)

    def counting(path, *args, **kwargs):
        calls.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(sitegen.sources, name, counting)
    return calls


@pytest.fixture
def parses(monkeypatch):
    """The files each build parses (instead of taking them from the store)."""
    return counted_calls(monkeypatch, "parse_source")


@pytest.fixture
def talkative(site):
    for rel, text in FILES.items():
        site.write(rel, text)
    return site


def test_an_unchanged_file_is_not_parsed_again_and_makes_the_same_site(talkative, parses, tmp_path):
    first = talkative.build(out=tmp_path / "one")
    assert "visit.uz.md" in parses and "visit.en.md" in parses
    said = messages(first)
    assert any("oʻ" in message or "ʻ" in message for message in said), said
    assert any("Cyrillic" in message for message in said) and any("front matter" in message for message in said)
    parses.clear()
    second = talkative.build(out=tmp_path / "two")
    assert parses == []
    assert messages(second) == said
    assert [(d.path, d.line, d.column, d.severity, d.hint) for d in second.diagnostics.sorted()] == \
        [(d.path, d.line, d.column, d.severity, d.hint) for d in first.diagnostics.sorted()]
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")


def test_an_edited_file_is_parsed_again_alone(talkative, parses, tmp_path):
    talkative.build(out=tmp_path / "one")
    talkative.write("content/news/concert.uz.md", news("uz", "Katta konsert", "2025-05-01", body="Xalq musiqasi.\n"))
    parses.clear()
    result = talkative.build(out=tmp_path / "two")
    assert parses == ["concert.uz.md"]
    assert [page.title for page in result.site.pages if page.key == "news/concert"] == ["Katta konsert"] * 2


@pytest.mark.parametrize("damage", ["not json", "another shape", "wrong types"])
def test_a_damaged_entry_is_parsed_again(talkative, parses, tmp_path, damage):
    first = talkative.build(out=tmp_path / "one")
    value = {"not json": "{", "another shape": '{"meta": 5}',
             "wrong types": '{"meta": {"M": [2, 1, []]}, "body": 7, "line": "x", "problems": []}'}[damage]
    with sqlite3.connect(talkative.root / STORE) as db:
        db.execute("UPDATE entries SET value = ?", (value,))
    parses.clear()
    second = talkative.build(out=tmp_path / "two")
    assert len(parses) >= len(FILES)
    assert messages(second) == messages(first)
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")


def test_the_kept_entry_is_what_the_build_uses(talkative, parses, tmp_path):
    """Shown by changing a kept title: only a store the build reads could change the page."""
    talkative.build(out=tmp_path / "one")
    with sqlite3.connect(talkative.root / STORE) as db:
        rows = db.execute("SELECT key, value FROM entries").fetchall()
        changed = [(value.replace('"Konsert"', '"Kept title"'), key) for key, value in rows if '"Konsert"' in value]
        assert len(changed) == 1
        db.executemany("UPDATE entries SET value = ? WHERE key = ?", changed)
    result = talkative.build(out=tmp_path / "two")
    assert any(page.title == "Kept title" for page in result.site.pages)


def test_the_store_keeps_no_more_than_the_files_need(talkative, tmp_path):
    for number in range(6):
        talkative.write("content/news/concert.uz.md", news("uz", f"Konsert {number}", "2025-05-01"))
        talkative.build(out=tmp_path / "site")
    files = len(list((talkative.root / "content").rglob("*.md")))
    with sqlite3.connect(talkative.root / STORE) as db:
        kept = db.execute("SELECT count(*) FROM entries WHERE key NOT LIKE 'stamp:%'").fetchone()[0]
        stamps = db.execute("SELECT count(*) FROM entries WHERE key LIKE 'stamp:%'").fetchone()[0]
    assert files <= kept <= 1.5 * files + 1
    assert stamps <= 1.5 * files + 1


@pytest.fixture
def reads(monkeypatch):
    """The content files each build reads."""
    return counted_calls(monkeypatch, "read_text")


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled however new they are (RACY_NS is 0): a test cannot make a
    file's change time older, only wait for it."""
    monkeypatch.setattr(sitegen.sources, "RACY_NS", 0)


def test_a_file_whose_size_times_and_inode_are_unchanged_is_not_read(talkative, reads, settled, tmp_path):
    first = talkative.build(out=tmp_path / "one")
    assert "concert.uz.md" in reads
    reads.clear()
    second = talkative.build(out=tmp_path / "two")
    assert reads == []
    assert messages(second) == messages(first)
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")
    # saved again: a new time, so it is read (and its new text parsed)
    talkative.write("content/news/concert.uz.md", news("uz", "Konsert!", "2025-05-01", body="Xalq musiqasi.\n"))
    third = talkative.build(out=tmp_path / "three")
    assert reads == ["concert.uz.md"]
    assert [page.title for page in third.site.pages if page.key == "news/concert"] == ["Konsert!"] * 2


def test_a_file_written_with_its_old_size_and_time_is_read(talkative, reads, settled, tmp_path):
    """`cp -p` of another version, or `touch -r`: the size and modification time are the
    old ones, the change time is not."""
    talkative.build(out=tmp_path / "one")
    path = talkative.root / "content/news/concert.uz.md"
    status = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Konsert", "Kansert"), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size and path.stat().st_mtime_ns == status.st_mtime_ns
    reads.clear()
    result = talkative.build(out=tmp_path / "two")
    assert reads == ["concert.uz.md"]
    assert [page.title for page in result.site.pages if page.key == "news/concert"] == ["Kansert"] * 2


def test_a_file_saved_just_before_it_was_read_is_read_again(talkative, reads, tmp_path):
    """Its time may be that of a later save of the same size as well (RACY_NS)."""
    talkative.build(out=tmp_path / "one")
    reads.clear()
    talkative.build(out=tmp_path / "two")
    assert sorted(reads) == sorted(path.name for path in (talkative.root / "content").rglob("*.md"))
