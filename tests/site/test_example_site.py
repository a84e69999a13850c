"""The example second site (examples/faculty) builds on the shipped theme with only
its own content and data: three languages, a kind of content the department has not
(concerts) and a collection with pages (teachers), on the generic templates."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import (ROOT, address, alternates, broken_links, errors, html_files, messages, page_of,
                      switcher_languages)
from sitegen.pipeline import run

EXAMPLE = ROOT / "examples" / "faculty"
NOW = "2026-12-07 09:00"  # the spring concert is still to come, the choir evening is over
LANGS = ("uz", "ru", "en")
DEPARTMENT_WORDS = ("Xalqaro aloqalar", "International Relations", "kaznua", "Erasmus", "UzDOC")
KARIMOVA = {lang: address.record(lang, "teachers", "karimova") for lang in LANGS}
SPRING = {lang: address.document(lang, "concerts", "spring-concert-2027") for lang in LANGS}


def example_copy(folder: Path) -> Path:
    """The example site and the theme as they sit in the repository (theme: ../..),
    and nothing of the department's: no content/, no data/, no strings of its own."""
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, folder / name)
    site = folder / "examples" / "faculty"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns(".cache"))
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = example_copy(tmp_path_factory.mktemp("example"))
    assert not (site.parent.parent / "data").exists()
    result = run(site, out=site / "site", strict=True, now=NOW)
    return result


def text_of(result, rel: str) -> str:
    return result.files[rel].decode("utf-8")


def test_it_builds_without_a_problem_and_without_the_departments_strings(built):
    assert built.written, messages(built)
    assert [d.format() for d in built.diagnostics.items if d.severity in ("error", "warning")] == []
    pages = html_files(built)
    for lang in LANGS:
        assert address.file(KARIMOVA[lang]) in pages
        assert address.file(SPRING[lang]) in pages
        assert address.file(address.archive(lang, "concerts")) in pages


def test_nothing_of_the_department_shows(built):
    for name in html_files(built):
        text = text_of(built, name)
        assert not [word for word in DEPARTMENT_WORDS if word in text], name


def test_every_page_links_its_three_languages_and_no_link_is_broken(built):
    assert broken_links(built) == []
    for name in html_files(built):
        if name.count("/") < 1 or name.endswith("404.html"):
            continue
        page = page_of(built, name)
        assert switcher_languages(page) == set(LANGS), name
        assert set(alternates(page)) >= set(LANGS), name


@pytest.mark.parametrize("lang, label, value", [
    ("uz", "Ilmiy unvon", "Dotsent"),
    ("ru", "Учёное звание", "Доцент"),
    ("en", "Academic title", "Associate Professor"),
])
def test_a_record_page_is_named_by_its_title_field_and_lists_its_fields_with_the_schemas_labels(
        built, lang, label, value):
    page = page_of(built, address.file(KARIMOVA[lang]))
    name = {"ru": "Дилноза Каримова"}.get(lang, "Dilnoza Karimova")
    assert page.h1.get_text(strip=True) == name
    assert page.title.get_text().startswith(name)
    assert page.select(".breadcrumbs [aria-current]")[0].get_text(strip=True) == name
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in page.select("main dl.facts dt")}
    assert facts[label] == value
    assert "karimova@example.org" in " ".join(facts.values())
    # the news item that names her in its teachers field
    mentions = page.select("section.related a")
    assert [a["href"] for a in mentions] == [address.document(lang, "news", "violin-competition")]


@pytest.mark.parametrize("lang, hall, performers, free", [
    ("uz", "Zal", "Talabalar simfonik orkestri", "Ha"),
    ("ru", "Зал", "Студенческий симфонический оркестр", "Да"),
    ("en", "Hall", "Student symphony orchestra", "Yes"),
])
def test_a_content_kind_without_a_template_shows_its_dates_and_fields(built, lang, hall, performers, free):
    page = page_of(built, address.file(SPRING[lang]))
    time = page.select_one("article header time")
    assert time["datetime"] == "2027-03-12T18:30:00+05:00"
    assert "2027" in time.get_text() and "18:30" in time.get_text()
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in page.select("article dl.facts dt")}
    assert hall in facts and performers == facts[list(facts)[1]].get_text(strip=True)
    assert facts[list(facts)[-1]].get_text(strip=True) == free
    teachers = [a["href"] for a in facts[list(facts)[2]].find_all("a")]
    assert teachers == [address.record(lang, "teachers", "yusupov"), KARIMOVA[lang]]
    assert len(facts[list(facts)[3]].find_all("li")) == 2  # the programme, one work a line
    calendar = page.select_one("article .calendar-links a")
    assert calendar["href"] == address.item_calendar(SPRING[lang], "spring-concert-2027")
    choir = address.document(lang, "concerts", "choir-evening-2026")
    assert page_of(built, address.file(choir)).select(".calendar-links") == []
    # the theme's words, and the site's own word over the theme's
    shown = page.get_text(" ", strip=True)
    assert {"uz": "Musiqa sanʼati fakulteti", "ru": "Факультет музыкального искусства",
            "en": "Faculty of Music"}[lang] in shown


def test_the_home_page_counts_and_lists_what_the_sites_configuration_names(built):
    page = page_of(built, address.file(address.home("ru")))
    figures = [li.get_text(" ", strip=True) for li in page.select(".figure-list li")]
    assert figures == ["3 преподавателя на сайте", "2 концерта в афише и архиве"]
    upcoming = page.select(".home-concerts .card-title a")
    assert [a["href"] for a in upcoming] == [SPRING["ru"]]
    assert "Большой концертный зал, корпус 1" in page.select_one(".home-concerts").get_text()
    assert page.select_one("footer h2").get_text(strip=True) == "Факультет музыкального искусства"


def test_the_calendar_has_the_place_from_the_timelines_where_field(built):
    ics = text_of(built, address.file(address.item_calendar(SPRING["en"], "spring-concert-2027")))
    assert "LOCATION;LANGUAGE=en:Main concert hall\\, building 1" in ics
    calendar = text_of(built, address.file(address.calendar("en")))
    assert "X-WR-CALNAME:Faculty of Music: concerts" in calendar.replace("\r\n ", "")


def test_the_sites_strings_files_hold_only_its_own_words():
    for lang in LANGS:
        own = yaml.safe_load((EXAMPLE / f"data/strings/{lang}.yaml").read_text(encoding="utf-8"))
        theme = yaml.safe_load((ROOT / f"templates/strings/{lang}.yaml").read_text(encoding="utf-8"))
        # only the two words the faculty words its own way are the theme's too
        assert set(own) & set(theme) == {"subscribe_calendar", "calendar_name"}
        assert len(own) < len(theme) / 4


def test_the_example_has_no_templates_or_static_files_of_its_own():
    assert not (EXAMPLE / "templates").exists() and not (EXAMPLE / "static").exists()
    assert re.search(r"^theme: \.\./\.\.$", (EXAMPLE / "data/site.yaml").read_text(encoding="utf-8"), re.M)


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


@pytest.mark.slow  # a process of its own, or the whole shipped site
def test_it_builds_in_place_from_the_repository_with_the_command_in_its_readme(tmp_path):
    done = _cli("build", "--root", "examples/faculty", "--out", str(tmp_path / "site"), "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / address.file(address.record("ru", "teachers", "yusupov"))).is_file()
    assert "--root examples/faculty" in (EXAMPLE / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow  # a process of its own, or the whole shipped site
def test_new_writes_every_language_of_the_site_with_each_languages_required_fields(tmp_path):
    site = example_copy(tmp_path)
    done = _cli("new", "concert", "Yangi yil konserti", "--root", str(site))
    assert done.returncode == 0, done.stderr
    for lang in LANGS:
        text = (site / f"content/concerts/yangi-yil-konserti.{lang}.md").read_text(encoding="utf-8")
        assert re.search(r'^hall: "TODO"', text, re.M), text  # required and written in each language
    check = _cli("check", "--root", str(site))
    assert check.returncode == 1
    assert "content/concerts/yangi-yil-konserti.ru.md:4:1: error: 'hall' still holds a placeholder" in check.stderr


@pytest.mark.slow  # a process of its own, or the whole shipped site
def test_schema_prints_the_sites_own_languages():
    done = _cli("schema", "--root", "examples/faculty")
    assert done.returncode == 0, done.stderr
    assert "text per language: {uz: ..., ru: ..., en: ...}" in done.stdout
    assert "{uz: ..., en: ...}" not in done.stdout


def test_a_theme_error_is_reported_at_the_themes_file(tmp_path):
    site = example_copy(tmp_path)
    page = tmp_path / "templates/page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ page.title }}", "{{ page.title.nope() }}", 1),
                    encoding="utf-8")
    result = run(site, out=site / "site", now=NOW)
    assert not result.written
    assert any(d.path == "../../templates/page.html" and d.line > 0 for d in errors(result)), messages(result)


@pytest.mark.external("java", "vnu")
def test_every_page_of_the_example_site_is_valid_html(built, tmp_path):
    for name, data in built.files.items():
        if name.endswith(".html"):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_bytes(data)
    checked = subprocess.run(["java", "-jar", str(ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"),
                              "--skip-non-html", "--format", "gnu", str(tmp_path)],
                             capture_output=True, text=True, timeout=600)
    problems = [line for line in checked.stderr.splitlines() if line.strip()]
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.parametrize("lang, heading, name", [
    ("uz", "Bastakor: Volfgang Amadey Mozart", "Bastakorlar"),
    ("ru", "Композитор: Вольфганг Амадей Моцарт", "Композиторы"),
    ("en", "Composer: Wolfgang Amadeus Mozart", "Composers"),
])
def test_the_sites_second_taxonomy_has_its_pages_and_the_concert_links_its_terms(built, lang, heading, name):
    def composer(term: str = "") -> str:
        return address.taxonomy(lang, "composers", term)

    term = page_of(built, address.file(composer("mozart")))
    assert term.h1.get_text() == heading
    assert term.find("a", href=SPRING[lang]) is not None
    assert page_of(built, address.file(composer())).h1.get_text() == name
    listed = page_of(built, address.file(SPRING[lang])).find("ul", attrs={"aria-label": name})
    assert [a["href"] for a in listed.find_all("a")] == [composer("mozart"), composer("tchaikovsky")]
