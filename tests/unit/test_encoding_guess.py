"""The encoding named when a file is not UTF-8: the editor reopens the file in that
encoding and saves it as UTF-8, so a wrong name (a short Windows-1251 data file was
called Shift-JIS) sends them the wrong way."""

from __future__ import annotations

import pytest

from sitegen.lib.textfile import guess_encoding

TAGS = 'kazakhstan:\n  uz: "Qozogiston"\n  en: "Kazakhstan"\n  ru: "Казахстан"\n'
STRINGS = 'festival: {uz: "Festival", ru: "Фестиваль"}\n'
NEWS = 'title: "Визит делегации"\ndate: 2025-06-12\n---\nДелегация посетила институт.\n'


@pytest.mark.parametrize("text", [TAGS, STRINGS, NEWS], ids=["tags", "one word", "news"])
@pytest.mark.parametrize("encoding, name", [
    ("cp1251", "Windows-1251 (Cyrillic)"), ("koi8_r", "KOI8-R (Cyrillic)"), ("cp866", "DOS Cyrillic (CP866)")])
def test_short_cyrillic_files_are_named_by_their_encoding(text, encoding, name):
    assert guess_encoding(text.encode(encoding)) == name


@pytest.mark.parametrize("text", ["name: Université de Montréal, École\n", "city: Zürich, Straße\n",
                                  "partner: Universidade de São Paulo, ação\n"])
def test_western_accents_are_named_windows_1252(text):
    assert guess_encoding(text.encode("cp1252")) == "Windows-1252 (Western European)"


def test_utf16_and_binary():
    assert guess_encoding("title: x\n".encode("utf-16")) == "UTF-16"
    assert guess_encoding(bytes(range(128, 256))) == "binary data, not text"
