"""The home page shows what data/site.yaml's `home:` declares: figures counted from a
collection or a section, and lists of a section's latest or upcoming items. No template
names a section: a kind of content is shown by what its schema says of it."""

from __future__ import annotations

import re

from conftest import BASE_FILES, address, errors, find_diag, messages, news

PARTNERS = BASE_FILES["data/partners.yaml"] + (
    '- id: gitis\n  name: {uz: "GITIS", en: "GITIS"}\n  country: RU\n'
    '- id: rgisi\n  name: {uz: "RGISI", en: "RGISI"}\n  country: RU\n')
PROJECT = '---\ntitle: "{title}"\nprogramme: "Erasmus+"\nrole: partner\nstart: 2020\n{end}---\nMatn.\n'


def _figures(site, lang="en") -> list[str]:
    section = site.soup(address.file(address.home(lang))).select_one("section.figures")
    return [li.get_text(" ", strip=True) for li in section.select("li")] if section else []


def test_figures_count_records_distinct_values_and_items_without_a_field(site):
    site.write("data/partners.yaml", PARTNERS)
    site.write("content/projects/a.uz.md", PROJECT.format(title="A", end=""))
    site.write("content/projects/b.uz.md", PROJECT.format(title="B", end="end: 2024\n"))
    site.write("content/projects/c.uz.md", PROJECT.format(title="C", end=""))
    result = site.build()
    assert errors(result) == [], messages(result)
    assert _figures(site) == ["3 partner institutions abroad", "2 partner countries",
                              "2 active international projects"]


def test_a_figures_word_follows_the_languages_plural_forms(site):
    """One partner reads "1 partner institution abroad"; a form a language has alone
    (Russian few, many) is not asked of the others."""
    site.write("content/projects/a.uz.md", PROJECT.format(title="A", end=""))
    uz = site.root / "data/strings/uz.yaml"
    uz.write_text(uz.read_text(encoding="utf-8") + 'figure_projects_few: "faol loyiha"\n', encoding="utf-8")
    result = site.build()
    assert errors(result) == [], messages(result)
    assert _figures(site) == ["1 partner institution abroad", "1 partner country", "1 active international project"]


def test_the_home_page_lists_what_the_configuration_names_in_its_order(site):
    for day in ("10", "11", "12", "13"):
        site.write(f"content/news/n{day}.uz.md", news("uz", f"Yangilik {day}", f"2025-06-{day}"))
    site.write("data/site.yaml", BASE_FILES["data/site.yaml"].replace("limit: 3", "limit: 2"))
    result = site.build()
    assert errors(result) == [], messages(result)
    home = site.soup(address.file(address.home("uz")))
    section = home.select_one("section.home-news")
    assert section["aria-labelledby"] == "news-title"
    assert [a.get_text() for a in section.select(".card-title a")] == ["Yangilik 13", "Yangilik 12"]
    assert section.select_one("a.button")["href"] == address.section("uz", "news")


def test_without_a_home_configuration_the_home_page_shows_its_text_and_contacts_only(site):
    site.write("data/site.yaml", re.sub(r"(?s)\nhome:.*", "\n", BASE_FILES["data/site.yaml"]))
    result = site.build()
    assert errors(result) == [], messages(result)
    home = site.html(address.file(address.home("en")))
    assert "figure-list" not in home and "home-list" not in home
    assert "contact-strip" in home


def test_an_empty_list_without_an_empty_line_is_left_out(site):
    result = site.build()  # the tiny site has no news item
    assert errors(result) == [], messages(result)
    assert "home-news" not in site.html(address.file(address.home("en")))


def test_no_template_tests_a_section_by_its_name():
    from conftest import ROOT
    found = [f"{path.name}: {m.group(0)}" for path in sorted((ROOT / "templates").glob("*.html"))
             for m in re.finditer(r"section\s*==\s*'[^']+'|\.section\s*==", path.read_text(encoding="utf-8"))]
    assert found == []


# -- what the schema declares instead of names in the engine ----------------------------------

def test_a_kinds_timeline_says_which_fields_hold_the_place(site):
    from icalendar import Calendar
    schema = BASE_FILES["data/schema.yaml"].replace("data:\n", (
        "  concerts:\n    new: concert\n    timeline: {start: start, end: end, where: [hall, city]}\n"
        "    fields:\n      start: {type: datetime, required: true}\n      end: {type: datetime}\n      hall: {type: text, translated: true}\n"
        "      city: {type: text}\ndata:\n"), 1)
    site.write("data/schema.yaml", schema)
    site.write("content/concerts/gala.uz.md",
               '---\ntitle: "Gala"\nstart: "2026-12-20 19:00"\nhall: "Katta zal"\ncity: "Samarqand"\n---\nMatn.\n')
    result = site.build(now="2026-12-07")
    assert errors(result) == [], messages(result)
    ics = address.file(address.item_calendar(address.document("uz", "concerts", "gala"), "gala"))
    [event] = Calendar.from_ical((site.root / "site" / ics).read_bytes()).walk("VEVENT")
    assert str(event["LOCATION"]) == "Katta zal, Samarqand"


def test_a_timeline_whose_start_is_its_end_is_a_mistake_at_its_line(site):
    schema = BASE_FILES["data/schema.yaml"].replace("data:\n", (
        "  concerts:\n    new: concert\n    timeline: {start: start, end: start}\n"
        "    fields:\n      start: {type: datetime, required: true}\ndata:\n"), 1)
    site.write("data/schema.yaml", schema)
    result = site.build()
    line = schema.splitlines().index("    timeline: {start: start, end: start}") + 1
    assert find_diag(result, "data/schema.yaml", line, "as both its start and its end"), messages(result)


def test_a_record_page_takes_its_title_from_the_declared_field(site):
    schema = BASE_FILES["data/schema.yaml"].replace("  partners:\n    kind: list\n",
                                                    "  partners:\n    kind: list\n    title: city\n")
    assert schema != BASE_FILES["data/schema.yaml"]
    site.write("data/schema.yaml", schema)
    result = site.build()
    assert errors(result) == [], messages(result)
    kaznua = address.file(address.record("en", "partners", "kaznua"))
    assert site.soup(kaznua).h1.get_text() == "Kazakh National University of Arts"
    assert site.soup(kaznua).title.get_text().startswith("Astana")
