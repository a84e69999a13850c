"""The Uzbek letters oʻ, gʻ and ʼ in place of the look-alikes editors type, and what is
left as written: code, addresses, e-mail addresses, tags, comments, other languages."""

from __future__ import annotations

import pytest

from sitegen.lib.orthography import cyrillic_lines, fix_markdown, fix_plain

CASES = [
    ("O'quv yili, g`oya va san’at.", "Oʻquv yili, gʻoya va sanʼat."),
    ("Yozing: info@example.uz yoki o'qing.", "Yozing: info@example.uz yoki oʻqing."),
    ("first.o'q@example.uz va o'q", "first.o'q@example.uz va oʻq"),
    ("Manzil: https://example.uz/o'quv va www.example.uz/ma'lumot, so'ng.",
     "Manzil: https://example.uz/o'quv va www.example.uz/ma'lumot, soʻng."),
    ("[bo'lim](bo'lim.md) va <a title=\"o'q\">o'q</a>", "[boʻlim](bo'lim.md) va <a title=\"o'q\">oʻq</a>"),
    ("<!-- o'q\nma'no -->\nma'no", "<!-- o'q\nma'no -->\nmaʼno"),
    ("`kod'i` va g`oya, ``o'q`` tamom", "`kod'i` va gʻoya, ``o'q`` tamom"),
    ("```\nprint('o'q')\n```\nO'q", "```\nprint('o'q')\n```\nOʻq"),
    ("*Students' Union*{lang=en} va o'q\n\nThe department's.\n{lang=en}\n\nSan'at.",
     "*Students' Union*{lang=en} va oʻq\n\nThe department's.\n{lang=en}\n\nSanʼat."),
    ("'Oʻzbekiston' dedi", "'Oʻzbekiston' dedi"),
    ("[1]: https://example.uz/o'q\nmo'l", "[1]: https://example.uz/o'q\nmoʻl"),
]


@pytest.mark.parametrize("written, published", CASES)
def test_look_alikes_in_prose_become_letters_and_the_rest_is_left(written, published):
    fixes = fix_markdown(written)
    assert fixes.text == published
    assert fixes.count == sum(a != b for a, b in zip(written, published))
    assert len(fixes.text) == len(written)


def test_the_first_correction_is_named_with_its_line_and_column():
    fixes = fix_markdown("Salom.\n\nYozing: info@example.uz, ma'lumot uchun.")
    assert fixes.where(5) == (7, 28)
    assert fixes.example == ("ma'lumot", "maʼlumot")


def test_a_field_keeps_its_addresses():
    assert fix_plain("Qo'qon, www.example.uz/qo'qon, a'b@example.uz").text == \
        "Qoʻqon, www.example.uz/qo'qon, a'b@example.uz"


def test_cyrillic_words_outside_code_and_unmarked_paragraphs_are_found():
    text = "Salom.\n\nБу матн.\n\n`код` va x\n\nРусский текст.\n{lang=ru}\n\nЯ"
    assert cyrillic_lines(text) == [2]
