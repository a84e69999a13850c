"""Causes of a YAML mistake that an editor cannot see (lib/yamlsource.py): a non-breaking
space where an indentation should be, and a word processor's quotes around a value."""

from __future__ import annotations

from sitegen.lib.yamlsource import load_yaml


def test_a_field_indented_with_a_non_breaking_space_is_named_not_read_as_another_field():
    value, problems = load_yaml("a:\n  b: 1\n\u00a0\u00a0c: 2\n", first_line=2)
    assert [(p.line, p.column) for p in problems] == [(4, 1)]
    assert "the field name 'c' is indented with a non-breaking space (U+00A0)" in problems[0].message
    assert "c" in value, "the name without the invisible space, as the editor sees it"


def test_a_syntax_error_after_a_non_breaking_space_points_at_it():
    value, problems = load_yaml("- id: a\n  name: A\n\u00a0 city: B\n", first_line=2)
    assert value is None and problems[0].line == 4
    assert problems[0].hint.startswith("this line is indented with a non-breaking space (U+00A0)")


def test_typographic_quotes_around_a_value_are_named():
    value, problems = load_yaml("title: «Ochiq eshiklar: kun»\n", first_line=2)
    assert value is None and (problems[0].line, problems[0].column) == (2, 8)
    assert problems[0].hint.startswith("the value starts with the typographic quote «")
    assert load_yaml('title: "«Ochiq eshiklar: kun»"\n')[0] == {"title": "«Ochiq eshiklar: kun»"}
