"""The JSON form in which a parsed front matter is kept between builds
(yamlsource.keepable, from_kept) gives back the same values, of the same types, with the
same lines, columns and spellings, or is not used at all."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sitegen.lib.yamlsource import Mapping, Sequence, _identical, from_kept, keepable, load_yaml
from sitegen.sources import split_front_matter

ROOT = Path(__file__).resolve().parents[2]


def front_matters() -> list[str]:
    found = []
    for path in sorted((ROOT / "content").rglob("*.md")) + sorted((ROOT / "tests/corpus").rglob("*.md")):
        parts = split_front_matter(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
        if parts:
            found.append(parts[0])
    found += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "data").rglob("*.yaml"))]
    return found


def through_json(value):
    """What a later build gets back: the kept form written as JSON text and read again."""
    data = keepable(value)
    assert data is not None
    return from_kept(json.loads(json.dumps(data, ensure_ascii=False)))


def test_every_front_matter_and_data_file_of_the_project_comes_back_the_same():
    checked = 0
    for text in front_matters():
        value, problems = load_yaml(text, first_line=2)
        if value is None or problems:
            continue
        assert _identical(through_json(value), value), text
        checked += 1
    assert checked > 50


TRICKY = """\
title: "Ochiq eshiklar kuni: yangi sana"
draft: no
weight: 10
big: 123456789012345678901234567890
ratio: 1.0
negative: -0.0
exponent: 1e3
empty:
date: 2025-06-12
start: 2025-06-12 10:30:00
zoned: 2025-06-12T10:30:00+05:00
utc: 2025-06-12T10:30:00.123456Z
"key with spaces": [1, "two", 3.5, null, true]
nested:
  - name: Bir
    tags: [a, b]
  - name: Ikki
    inner: {x: 1, y: [oʻ, gʻ]}
  - []
  - {}
quoted: 'yes'
multi: |
  line one
  line two
"""


def test_values_of_every_kind_come_back_with_their_types_lines_and_spellings():
    value, problems = load_yaml(TRICKY, first_line=2)
    assert problems == []
    again = through_json(value)
    assert _identical(again, value)
    assert type(again["date"]) is dt.date and type(again["start"]) is dt.datetime
    assert again["zoned"].utcoffset() == dt.timedelta(hours=5) and again["utc"].microsecond == 123456
    assert again["draft"] is False and again.raw["draft"] == "no" and again.raw["quoted"] == "yes"
    assert type(again["ratio"]) is float and type(again["big"]) is int and again["empty"] is None
    assert again.line_of("nested") == value.line_of("nested") == 15 and again.col_of("nested") == 1
    nested = again["nested"]
    assert isinstance(nested, Sequence) and nested.line_of(1) == 18 and isinstance(nested[1]["inner"], Mapping)
    assert nested[1]["inner"].line_of("y") == value["nested"][1]["inner"].line_of("y")
    assert nested[1]["inner"]["y"].raws == ["oʻ", "gʻ"]


@pytest.mark.parametrize("text", [
    "tags: !!set {a, b}",
    "data: !!binary aGVsbG8=",
    "1: a number as a key",
    "2025-01-01: a date as a key",
    "value: .nan",
    "value: .inf",
    "pairs: !!omap [a: 1, b: 2]",
])
def test_what_the_json_form_cannot_hold_is_not_kept(text):
    value, problems = load_yaml(text)
    assert problems == [] and value is not None
    assert keepable(value) is None


def test_a_mismatch_the_check_would_miss_is_caught_by_the_comparison():
    value, _ = load_yaml("a: 1\nb: [x]\n")
    other, _ = load_yaml("a: 1\n\nb: [x]\n")  # the same values, b a line further down
    assert value == other and not _identical(value, other)
    assert not _identical(load_yaml("a: 1")[0], load_yaml("a: 1.0")[0]), "1 and 1.0 are equal, not the same"
    assert not _identical(load_yaml("a: yes")[0], load_yaml("a: true")[0]), "the spelling counts"


@pytest.mark.parametrize("data", [
    {"M": [1, 1, [["a"]]]}, {"M": "x"}, {"S": [1, 1, [[1]]]}, {"d": "not a date"}, {"t": 5},
    {"x": 1}, {"M": [1, 1, []], "S": [1, 1, []]}, [1, 2],
])
def test_data_not_in_the_kept_form_is_refused(data):
    with pytest.raises((ValueError, TypeError, KeyError, IndexError)):
        from_kept(data)
