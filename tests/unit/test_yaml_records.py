"""A record of a YAML list written without its "- " (lib/yamlsource.py): one message at
the line where it starts, and the record read as the one it was meant to be, so that
nothing else (a reference to it, its other fields) makes more messages."""

from __future__ import annotations

from sitegen.lib.yamlsource import load_yaml


def test_a_record_indented_as_fields_of_the_one_above_is_a_record_of_its_own():
    value, problems = load_yaml("- id: a\n  name: A\n  id: b\n  name: B\n  city: X\n- id: c\n", first_line=5)
    assert value == [{"id": "a", "name": "A"}, {"id": "b", "name": "B", "city": "X"}, {"id": "c"}]
    assert [(p.line, p.column) for p in problems] == [(7, 3)], "one message, not one per field"
    assert "comes again (first on line 5)" in problems[0].message
    assert value.lines == [5, 7, 10] and value[1].line_of("city") == 9


def test_other_fields_written_twice_are_still_reported_one_by_one():
    value, problems = load_yaml("- id: a\n  name: A\n  name: B\n")
    assert value == [{"id": "a", "name": "B"}]
    assert [p.message for p in problems] == ["the field 'name' is written twice (first on line 2)"]


def test_a_mapping_outside_a_list_or_in_brackets_is_not_split():
    assert load_yaml("id: a\nid: b\n")[0] == {"id": "b"}
    assert load_yaml("list: [{k: 1, k: 2}]\n")[0] == {"list": [{"k": 2}]}


def test_a_record_at_the_start_of_the_line_is_told_to_begin_with_a_dash():
    value, problems = load_yaml("- id: a\n  name: A\nid: b\n  name: B\n")
    assert value is None
    assert problems[0].line == 3 and problems[0].hint == "a record of the list starts with '- ': write - id: b"
