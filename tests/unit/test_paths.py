"""Where pages live: the rules in urls.py, and a kind's own pattern for its documents'
addresses (data/schema.yaml: path: "{section}/{year}/{slug}")."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import address, errors, find_diag, messages, news, sitemap_entries
from sitegen.lib.urls import document_path, pattern_problem

DATED = ('  news:\n    new: news\n    fields:\n      date: {type: date}\n',
         '  news:\n    new: news\n    path: "{section}/{year}/{slug}"\n    fields:\n      date: {type: date, required: true}\n')


def test_the_default_pattern_is_the_section_and_the_file_name():
    assert document_path("uz", "news", "visit") == "/uz/news/visit/"
    assert document_path("en", "", "about") == "/en/about/"


@pytest.mark.parametrize("pattern, problem", [
    ("{section}/{slug}", ""),
    ("{section}/{year}/{month}/{slug}", ""),
    ("news/{year}", "the pattern needs {slug}"),
    ("{section}/{week}/{slug}", "'{week}' is not a part of an address"),
    ("/{section}/{slug}/", "without a slash at either end"),
    ("{section}/Yangi/{slug}", "lowercase letters"),
])
def test_a_pattern_is_checked(pattern, problem):
    found = pattern_problem(pattern)
    assert (problem in found) if problem else found == ""


def test_a_kind_with_a_dated_pattern_puts_its_documents_there_and_links_follow(site):
    site.write("data/schema.yaml", site.root.joinpath("data/schema.yaml").read_text().replace(*DATED))
    site.write("content/news/visit.uz.md", news("uz", "Tashrif", "2025-11-17"))
    site.write("content/news/visit.en.md", news("en", "Visit"))
    site.write("content/about.uz.md", '---\ntitle: "Haqida"\n---\n[Tashrif](news/visit.md)\n')
    result = site.build()
    assert errors(result) == [], messages(result)
    assert "uz/news/2025/visit/index.html" in result.files and "en/news/2025/visit/index.html" in result.files
    assert address.file(address.document("en", "news", "visit", '{section}/{year}/{slug}', dt.date(2025, 11, 17))) \
        == "en/news/2025/visit/index.html"
    assert 'href="/uz/news/2025/visit/"' in result.files["uz/about/index.html"].decode()
    assert "https://example.org/en/news/2025/visit/" in sitemap_entries(result.files["sitemap.xml"])
    assert "uz/news/visit/index.html" not in result.files


def test_a_dated_pattern_on_a_kind_that_does_not_require_the_date_is_an_error_at_its_line(site):
    schema = site.root.joinpath("data/schema.yaml").read_text()
    site.write("data/schema.yaml", schema.replace("    new: news\n", '    new: news\n    path: "{section}/{year}/{slug}"\n'))
    result = site.build()
    assert find_diag(result, "data/schema.yaml", 7, "the pattern uses the date"), messages(result)
