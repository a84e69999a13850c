"""Values as the editor spelled them: YAML 1.1 reads `9:00` as 540, `010` as 8,
`yes` as true and `~` as nothing. Every such reading is either taken back to the
spelling or reported once, at its line, with the fix; times of day and days of
the week are types of their own, shown with CLDR's names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import BASE_FILES, address, errors, messages, warnings
from sitegen.lib.diagnostics import Diagnostics
from sitegen.schema import TYPES, Checker, Field
from sitegen.lib.yamlsource import load_yaml

DEPT = "data/department.yaml"
NEWS = "content/news/visit.uz.md"
PAGE = address.file(address.document("uz", "news", "visit"))
HOMES = {lang: address.file(address.home(lang)) for lang in ("uz", "en")}

# Every form YAML 1.1 reads as something other than the text written, and a few near them.
IMPLICIT_FORMS = ["9:00", "09:00", "1:30:00", "010", "0o17", "0x1F", "1_000", "+5", "1.10", "1.0", "1e3",
                  ".inf", "-.inf", ".NaN", "yes", "No", "ON", "off", "true", "False", "null", "Null", "~",
                  "2025-06-12", "2025-06-12 10:00:00", "2025-06-12T10:00:00Z", "0", "12"]
SCALAR_TYPES = [t for t in TYPES if t not in ("record", "list", "map")]


def _field(kind: str) -> Field:
    if kind == "choice":
        return Field("x", kind, values=("memorandum", "9:00", "yes"))
    if kind == "refs":
        return Field("x", kind, to="partners")
    return Field("x", kind)


def _as_spelled(kind: str, form: str, clean) -> bool:
    """Whether `clean` is what `form` says, read as the field's type."""
    if isinstance(clean, str):
        return clean == form
    if kind in ("int", "year"):
        return re.fullmatch(r"[-+]?(0|[1-9][0-9]*)", form) is not None and clean == int(form)
    if kind == "bool":
        return form.lower() in ("true", "false") and clean == (form.lower() == "true")
    if kind in ("date", "datetime"):
        return isinstance(clean, (dt.date, dt.datetime)) and form.startswith(clean.isoformat()[:10])
    if kind == "time":
        hours, minutes = form.split(":")[:2]
        return clean == dt.time(int(hours), int(minutes))
    if kind == "refs":
        return clean == [form]
    if kind == "weekdays":
        return False
    return False


@pytest.mark.parametrize("kind", SCALAR_TYPES)
@pytest.mark.parametrize("form", IMPLICIT_FORMS)
def test_every_implicit_form_in_every_type_is_taken_as_spelled_or_reported_once_at_its_line(kind, form):
    text = f"before: 1\nx: {form}\n"
    value, problems = load_yaml(text)
    assert not problems
    diags = Diagnostics(Path("/nowhere"))
    checker = Checker(diags, Path("/nowhere/data/probe.yaml"), ("uz", "en"), known=lambda to: {form, "kaznua"})
    clean = checker.value(_field(kind), value["x"], value, "x")
    shown = [d.format() for d in diags.items]
    if diags.items:
        assert len(diags.items) == 1, shown
        assert diags.items[0].line == 2, shown
        if diags.items[0].severity == "error":
            assert not checker.ok, shown
        assert form in diags.items[0].message, shown  # the original spelling, not YAML's reading
    else:
        assert _as_spelled(kind, form, clean), (kind, form, clean)


def _department(site, old: str, new: str) -> None:
    text = BASE_FILES[DEPT]
    assert old in text
    site.write(DEPT, text.replace(old, new))


def _office_hours(site, lang: str) -> str:
    found = re.search(r"<dd>([^<]*)<time datetime=\"([^\"]*)\">[^<]*</time>–<time datetime=\"([^\"]*)\">",
                      site.html(HOMES[lang]))
    assert found, "office hours are not shown"
    return " ".join(group.strip() for group in found.groups())


@pytest.mark.parametrize("written", ["9:00", "09:00", '"9:00"', '"09:00"'])
def test_a_time_of_day_is_shown_as_written_with_or_without_quotes(site, written):
    _department(site, 'opens: "10:00"', f"opens: {written}")
    result = site.build()
    assert errors(result) == [] and warnings(result) == [], messages(result)
    assert _office_hours(site, "en") == "Daily, 09:00 15:00"
    assert "540" not in site.html(HOMES["uz"])


@pytest.mark.parametrize("written, hint", [
    ('"ertalab"', 'e.g. opens: "09:00"'),
    ("9.30", 'e.g. opens: "09:30"'),
    ("25:00", 'e.g. opens: "09:00"'),
    ("930", 'e.g. opens: "09:00"'),
])
def test_a_wrong_time_is_one_error_at_its_line_and_nothing_else(site, written, hint):
    _department(site, 'opens: "10:00"', f"opens: {written}")
    result = site.build()
    spelled = written.strip('"')
    assert [d.format() for d in result.diagnostics.sorted()] == [
        f"{DEPT}:6:29: error: 'opens' must be a time of day written as HH:MM (found '{spelled}')\n    hint: {hint}"]
    assert not result.written


@pytest.mark.parametrize("written, uz, en", [
    ('"Dushanba–Juma"', "Dushanba–juma", "Monday–Friday"),
    ("Monday-Friday", "Dushanba–juma", "Monday–Friday"),
    ("[mon, wed, fri]", "Dushanba, chorshanba, juma", "Monday, Wednesday, Friday"),
    ('"dushanba - shanba"', "Dushanba–shanba", "Monday–Saturday"),
    ("Sat-Sun", "Shanba, yakshanba", "Saturday, Sunday"),
    ("daily", "Har kuni", "Daily"),
])
def test_office_days_in_either_language_are_shown_with_cldr_names(site, written, uz, en):
    _department(site, "days: daily", f"days: {written}")
    result = site.build()
    assert errors(result) == [], messages(result)
    assert _office_hours(site, "uz").startswith(uz + ", ")
    assert _office_hours(site, "en").startswith(en + ", ")


def test_a_misspelt_day_gets_a_suggestion_that_works(site):
    _department(site, "days: daily", 'days: "Mon-Fir"')
    result = site.build()
    [diag] = result.diagnostics.sorted()
    assert diag.format() == (f"{DEPT}:6:16: error: 'days' must name days of the week (found 'Mon-Fir'): "
                             "'fir' is not a day of the week\n    hint: did you mean 'Mon-fri'?")
    _department(site, "days: daily", 'days: "Mon-fri"')
    result = site.build()
    assert errors(result) == [], messages(result)
    assert _office_hours(site, "en").startswith("Monday–Friday, ")


def test_a_quoted_date_is_a_date(site):
    site.write(NEWS, '---\ntitle: "Tashrif"\ndate: "2025-11-17"\n---\nMatn.\n')
    result = site.build()
    assert errors(result) == [], messages(result)
    assert 'datetime="2025-11-17"' in site.html(PAGE)


@pytest.mark.parametrize("written, read, hint", [
    ("010", 8, "write it with digits only, without leading zeros: weight: 10"),
    ("1_000", 1000, "write it with digits only, without leading zeros: weight: 1000"),
    ("0x1F", 31, "write a whole number with digits only, e.g. weight: 10"),
    ("1:30", 90, "write a whole number with digits only, e.g. weight: 10"),
])
def test_a_number_yaml_reads_otherwise_is_reported_with_its_spelling(site, written, read, hint):
    site.write(NEWS, f'---\ntitle: "Tashrif"\ndate: 2025-06-12\nweight: {written}\n---\nMatn.\n')
    result = site.build()
    assert [d.format() for d in result.diagnostics.sorted()] == [
        f"{NEWS}:4:1: error: 'weight' is written '{written}', which YAML reads as {read}\n    hint: {hint}"]


def test_yes_for_true_works_with_a_warning(site):
    site.write(NEWS, '---\ntitle: "Tashrif"\ndate: 2025-06-12\ndraft: yes\n---\nMatn.\n')
    result = site.build(strict=False)
    assert [d.format() for d in result.diagnostics.sorted()] == [
        f"{NEWS}:4:1: warning: 'draft' is written 'yes', which YAML reads as true; other tools read it as text\n"
        "    hint: write draft: true"]
    assert not (site.root / "site" / PAGE).parent.exists()  # a draft, as meant


def test_null_in_an_optional_field_is_a_warning_and_leaves_no_trace(site):
    _department(site, 'email: ""', "email: null")
    result = site.build()
    assert [d.format() for d in result.diagnostics.sorted()] == [
        f"{DEPT}:8:1: warning: 'email' is written 'null', which YAML reads as no value\n"
        "    hint: to leave it empty, delete the line; for the text itself write email: \"null\""]
    for page in HOMES.values():
        html = site.html(page)
        assert "mailto:" not in html and "None" not in html


def test_text_fields_show_what_was_written(site):
    site.write("data/partners.yaml", BASE_FILES["data/partners.yaml"].replace(
        'city: {uz: "Astana", en: "Astana"}', "city: {uz: 1:30, en: 010}"))
    site.write(NEWS, '---\ntitle: 12:30\ndate: 2025-06-12\nsummary: 1.10\n---\nMatn.\n')
    result = site.build()
    assert errors(result) == [], messages(result)
    news = site.html(PAGE)
    assert ">12:30</h1>" in news and "750" not in news
    assert "<dd>1:30</dd>" in site.html(address.file(address.record("uz", "partners", "kaznua")))
    assert "<dd>010</dd>" in site.html(address.file(address.record("en", "partners", "kaznua")))
