"""Editors' mistakes: each is reported with the file (relative to the project) and the
line (counted from the top of the file, front matter included), and nothing is written."""

from __future__ import annotations

import pytest

from conftest import SITE_YAML, address, errors, find_diag, messages

PATH = "content/news/x.uz.md"


def _check(result, path, line, text=""):
    assert not result.written
    assert not (result.diagnostics.root / "site").exists()
    diag = find_diag(result, path, line, text)
    assert diag is not None, messages(result)
    return diag


def test_yaml_syntax_error_in_front_matter(site):
    site.write(PATH, '---\ntitle: "X"\ndate: 2025-06-12\nsummary: a: b\n---\nBody.\n')
    _check(site.build(), PATH, 4, "YAML")


def test_yaml_unclosed_quote_in_front_matter(site):
    site.write(PATH, '---\ntitle: "X\ndate: 2025-06-12\n---\nBody.\n')
    result = site.build()
    assert not result.written
    diag = find_diag(result, PATH)
    assert diag is not None and 2 <= diag.line <= 4, messages(result)


def test_missing_title(site):
    site.write(PATH, '---\ndate: 2025-06-12\n---\nBody.\n')
    # the problem is the front matter as a whole: its opening line or its first field
    _check(site.build(), PATH, (1, 2), "title")


def test_title_that_is_not_text(site):
    site.write(PATH, '---\ndate: 2025-06-12\ntitle: [a, b]\n---\nBody.\n')
    _check(site.build(), PATH, 3, "title")


@pytest.mark.parametrize("value", ["2025-6-1", "12.06.2025", "2025-13-01", "yesterday"])
def test_bad_date(site, value):
    site.write(PATH, f'---\ntitle: "X"\ndate: {value}\n---\nBody.\n')
    diag = _check(site.build(), PATH, 3, "date")
    assert "YYYY-MM-DD" in diag.message


def test_bad_date_in_the_translation_is_reported_where_it_is_written(site):
    site.write(PATH, '---\ntitle: "X"\ndate: 2025-6-1\n---\nBody.\n')
    site.write("content/news/x.en.md", '---\ntitle: "X en"\n---\nBody.\n')
    result = site.build()
    _check(result, PATH, 3, "date")
    assert not find_diag(result, "content/news/x.en.md"), messages(result)


def test_unknown_partner_id_with_suggestion(site):
    site.write(PATH, '---\ntitle: "X"\ndate: 2025-06-12\npartners: [kaznu]\n---\nBody.\n')
    diag = _check(site.build(), PATH, 4, "kaznu")
    assert "did you mean 'kaznua'" in diag.hint


def test_unknown_project_id_in_section_reference(site):
    site.write("content/projects/_index.uz.md", '---\ntitle: "Loyihalar"\n---\n')
    site.write("content/projects/uzdoc.uz.md", '---\ntitle: "UzDOC"\n---\nX.\n')
    site.write(PATH, '---\ntitle: "X"\ndate: 2025-06-12\nprojects: [uzdok]\n---\nBody.\n')
    diag = _check(site.build(), PATH, 4, "uzdok")
    assert "uzdoc" in diag.hint


def test_unknown_language_suffix_in_file_name(site):
    site.write("content/news/x.fr.md", '---\ntitle: "X"\n---\nBody.\n')
    diag = _check(site.build(), "content/news/x.fr.md", (0, 1))
    assert "uz" in diag.message and "en" in diag.message


def test_file_name_without_language(site):
    site.write("content/news/x.md", '---\ntitle: "X"\n---\nBody.\n')
    _check(site.build(), "content/news/x.md", (0, 1))


def test_markdown_file_without_front_matter(site):
    site.write(PATH, "# Just a heading\n\nSome text.\n")
    _check(site.build(), PATH, 1, "front matter")


def test_unclosed_front_matter(site):
    site.write(PATH, '---\ntitle: "X"\n\nSome text.\n')
    _check(site.build(), PATH, 1, "front matter")


def test_duplicate_key_in_front_matter(site):
    site.write(PATH, '---\ntitle: "X"\ndate: 2025-06-12\ntitle: "Y"\n---\nBody.\n')
    diag = _check(site.build(), PATH, 4, "title")
    assert "2" in diag.message  # names the first occurrence's line


def test_duplicate_key_in_data_file(site):
    site.write("data/partners.yaml", '- id: kaznua\n  name: {uz: "A", en: "A"}\n  country: KZ\n'
                                     '  country: KZ\n  city: {uz: "Astana", en: "Astana"}\n  agreement: memorandum\n')
    _check(site.build(), "data/partners.yaml", 4, "country")


def test_duplicate_record_id(site):
    extra = '- id: kaznua\n  name: {uz: "B", en: "B"}\n  country: KZ\n  city: {uz: "X", en: "X"}\n  agreement: memorandum\n'
    text = (site.root / "data/partners.yaml").read_text(encoding="utf-8") + extra
    site.write("data/partners.yaml", text)
    _check(site.build(), "data/partners.yaml", 7, "kaznua")


def test_yaml_syntax_error_in_site_yaml(site):
    site.write("data/site.yaml", SITE_YAML.replace("timezone: Asia/Tashkent", "timezone: Asia/Tashkent: x"))
    line = SITE_YAML.splitlines().index("timezone: Asia/Tashkent") + 1
    _check(site.build(), "data/site.yaml", line, "YAML")


def test_menu_entry_that_is_not_a_file(site):
    site.write("data/site.yaml", SITE_YAML.replace("  - news/_index.md\n", "  - nws/_index.md\n"))
    lines = SITE_YAML.splitlines()
    line = lines.index("  - news/_index.md") + 1
    diag = _check(site.build(), "data/site.yaml", line, "nws/_index.md")
    assert "news/_index.md" in diag.hint


def test_template_undefined_variable_names_template_and_line(site):
    site.write("content/page.uz.md", '---\ntitle: "Sahifa"\n---\nMatn.\n')
    site.write("content/page.en.md", '---\ntitle: "Page"\n---\nText.\n')
    original = (site.root / "templates/page.html").read_text(encoding="utf-8")
    lines = original.splitlines()
    at = next(i for i, text in enumerate(lines) if "{% block main %}" in text) + 1
    lines.insert(at, "<p>{{ no_such_variable }}</p>")
    site.write("templates/page.html", "\n".join(lines) + "\n")
    result = site.build()
    diag = _check(result, "templates/page.html", at + 1, "no_such_variable")
    assert "Traceback" not in diag.message
    assert diag.hint.startswith("met first while rendering content/page.")  # which page was being rendered


def test_template_missing_ui_string(site):
    site.write("content/page.uz.md", '---\ntitle: "Sahifa"\n---\nMatn.\n')
    site.write("content/page.en.md", '---\ntitle: "Page"\n---\nText.\n')
    original = (site.root / "templates/page.html").read_text(encoding="utf-8")
    lines = original.splitlines()
    at = next(i for i, text in enumerate(lines) if "{% block main %}" in text) + 1
    lines.insert(at, "<p>{{ t.no_such_string }}</p>")
    site.write("templates/page.html", "\n".join(lines) + "\n")
    _check(site.build(), "templates/page.html", at + 1, "no_such_string")


def test_template_syntax_error_names_template_and_line(site):
    original = (site.root / "templates/news.html").read_text(encoding="utf-8")
    lines = original.splitlines()
    lines.insert(2, "{% if %}")
    site.write("templates/news.html", "\n".join(lines) + "\n")
    _check(site.build(), "templates/news.html", 3, "syntax")


def test_template_that_does_not_exist(site):
    site.write("content/page.uz.md", '---\ntitle: "Sahifa"\ntemplate: nosuch\n---\nMatn.\n')
    site.write("content/page.en.md", '---\ntitle: "Page"\n---\nText.\n')
    _check(site.build(), "content/page.uz.md", 3, "nosuch")


def test_missing_ui_string_key(site):
    """A site's own word and a theme's word, each missing in one language: named in the
    file of its kind, with the line to translate."""
    en = (site.root / "data/strings/en.yaml").read_text(encoding="utf-8")
    site.write("data/strings/en.yaml", "\n".join(l for l in en.splitlines() if not l.startswith("latest_news:")) + "\n")
    diag = _check(site.build(), "data/strings/en.yaml", None, "latest_news")
    assert "data/strings/uz.yaml" in diag.hint


def test_missing_theme_string_key(site):
    en = (site.root / "templates/strings/en.yaml").read_text(encoding="utf-8")
    site.write("templates/strings/en.yaml", "\n".join(l for l in en.splitlines() if not l.startswith("previous:")) + "\n")
    diag = _check(site.build(), "templates/strings/en.yaml", None, "previous")
    assert "templates/strings/uz.yaml" in diag.hint


def test_site_string_takes_the_place_of_the_themes(site):
    site.write("data/strings/en.yaml", (site.root / "data/strings/en.yaml").read_text(encoding="utf-8")
               + 'next: "Onwards"\n')
    site.write("data/strings/uz.yaml", (site.root / "data/strings/uz.yaml").read_text(encoding="utf-8")
               + 'next: "Oldinga"\n')
    for i in range(12):
        site.write(f"content/news/n{i}.uz.md", f'---\ntitle: "N{i}"\ndate: 2025-01-{i + 1:02d}\n---\nMatn.\n')
    result = site.build()
    assert result.written, [d.message for d in result.diagnostics.items]
    assert "Onwards →" in site.html(address.file(address.section("en", "news")))
    assert "Oldinga →" in site.html(address.file(address.section("uz", "news")))


def test_bad_slug_in_file_name(site):
    site.write("content/news/Bad_Name.uz.md", '---\ntitle: "X"\n---\nBody.\n')
    _check(site.build(), "content/news/Bad_Name.uz.md", (0, 1))


def test_two_documents_writing_the_same_page(site):
    site.write("content/news/a.uz.md", '---\ntitle: "A"\nslug: same\n---\nBody.\n')
    site.write("content/news/same.uz.md", '---\ntitle: "B"\n---\nBody.\n')
    result = site.build()
    assert not result.written
    assert any(address.document("uz", "news", "same") in d.message for d in errors(result)), messages(result)


def test_every_error_is_collected_not_only_the_first(site):
    site.write("content/news/a.uz.md", '---\ntitle: "A"\ndate: 2025-6-1\n---\nBody.\n')
    site.write("content/news/b.uz.md", '---\ntitle: "B"\npartners: [nope]\n---\nBody.\n')
    result = site.build()
    assert find_diag(result, "content/news/a.uz.md", 3, "date"), messages(result)
    assert find_diag(result, "content/news/b.uz.md", 3, "nope"), messages(result)


def test_diagnostic_format_is_path_line_severity_message(site):
    site.write(PATH, '---\ntitle: "X"\ndate: 2025-6-1\n---\nBody.\n')
    result = site.build()
    formatted = [d.format() for d in errors(result)]
    assert any(f.startswith(f"{PATH}:3:1: error: ") for f in formatted), formatted


@pytest.mark.parametrize("value", ["2025-02-30", "2025-01-01 25:00:00"])
def test_impossible_date_is_an_error_not_a_crash(site, value):
    site.write(PATH, f'---\ntitle: "X"\ndate: {value}\n---\nBody.\n')
    _check(site.build(), PATH, 3, "date")


def test_line_numbers_with_crlf_and_byte_order_mark(site):
    site.write(PATH, '\ufeff---\r\ntitle: "X"\r\ndate: 2025-6-1\r\n---\r\nBody.\r\n')
    site.write("content/news/y.uz.md", '\ufeff---\r\ntitle: "Y"\r\ndate: 2025-06-01\r\n---\r\n\r\n[a](nope.md)\r\n')
    result = site.build()
    _check(result, PATH, 3, "date")
    assert find_diag(result, "content/news/y.uz.md", 6, "nope.md"), messages(result)


def test_not_utf8_is_an_error_with_line(site):
    (site.root / "content/news").mkdir(parents=True, exist_ok=True)
    (site.root / PATH).write_bytes(b'---\ntitle: "X"\nsummary: "\xff"\n---\nBody.\n')
    _check(site.build(), PATH, 3, "UTF-8")


def test_front_matter_that_is_not_a_mapping(site):
    site.write(PATH, '---\n- a\n- b\n---\nBody.\n')
    _check(site.build(), PATH, 2)


def test_unsafe_yaml_tags_are_refused(site):
    site.write(PATH, '---\ntitle: !!python/object/apply:os.system ["echo hi"]\n---\nBody.\n')
    _check(site.build(), PATH, 2)


def test_record_missing_a_field_its_template_needs_names_the_data_file(site):
    site.write("data/partners.yaml", '- id: kaznua\n  country: KZ\n  city: {uz: "Astana", en: "Astana"}\n'
                                     '  agreement: memorandum\n')
    result = site.build()
    assert not result.written
    # the editor must be sent to the record, not only to the template
    assert any("data/partners.yaml" in d.format() for d in errors(result)), messages(result)


def test_image_from_another_host_in_markdown_is_reported(site):
    # SPEC: nothing is loaded from another host
    site.write(PATH, '---\ntitle: "X"\ndate: 2025-06-12\n---\nText.\n\n![photo](https://cdn.example.com/x.jpg)\n')
    result = site.build()
    reported = find_diag(result, PATH, 7, "", severity="error") or find_diag(result, PATH, 7, "", severity="warning")
    assert reported is not None, messages(result)


@pytest.mark.parametrize("front,line,hint", [
    ('title: Erasmus+: yangi tanlov\n', 2, "double quotes"),
    ('title: "Sarlavha"\nsummary: "ochiq qoldi\ndate: 2025-01-01\n', 3, "never closed"),
    ('title: "Sarlavha"\ntags:\n\t- memo\n', 4, "not tabs"),
])
def test_yaml_traps_get_a_plain_language_hint(site, front, line, hint):
    site.write("content/news/x.uz.md", f"---\n{front}---\nMatn.\n")
    result = site.build()
    matches = [d for d in result.diagnostics.errors if d.path == "content/news/x.uz.md" and d.line == line]
    assert matches and hint in matches[0].hint, [d.format() for d in result.diagnostics.errors]


@pytest.mark.parametrize("text", ["", "null\n", "# only a comment\n"])
def test_an_empty_site_configuration_is_an_error(site, text):
    site.write("data/site.yaml", text)
    result = site.build()
    assert not result.written
    assert any(d.path == "data/site.yaml" and "empty" in d.message for d in result.diagnostics.errors)
