"""Translations: inherited shared fields, missing translations (fallback / omit),
a third language added by configuration only, UI strings per language."""

from __future__ import annotations

import re

import pytest

from sitegen.translations import translation_status

from conftest import (BASE, ROOT, SITE_YAML, address, alternates, canonical, errors, find_diag, html_files,
                      messages, news, page_of, sitemap_entries, switcher_languages, switcher_links, ui_strings,
                      visible_text, warnings)

FIRST = {lang: address.document(lang, "news", "first") for lang in ("uz", "en", "ru")}
SOLO = {lang: address.document(lang, "news", "solo") for lang in ("uz", "en")}


# -- inheritance -------------------------------------------------------------

@pytest.fixture
def inherited(site):
    site.write("content/news/first.uz.md", news("uz", "Birinchi", "2025-06-12", tags="[memo]",
                                                partners="[kaznua]", summary='"Uz qisqa"'))
    site.write("content/news/first.en.md", news("en", "First", summary='"En short"', body="Text.\n"))
    result = site.build()
    assert errors(result) == [], messages(result)
    return result


def test_date_tags_and_partners_are_inherited_by_the_translation(inherited):
    en = page_of(inherited, address.file(FIRST["en"]))
    assert "12 June 2025" in visible_text(en)
    hrefs = {a["href"] for a in en.find_all("a", href=True)}
    assert address.tag("en", "memo") in hrefs
    assert address.record("en", "partners", "kaznua") in hrefs
    tag_page = page_of(inherited, address.file(address.tag("en", "memo")))
    assert tag_page.find("a", href=FIRST["en"]) is not None
    partner = page_of(inherited, address.file(address.record("en", "partners", "kaznua")))
    assert partner.find("a", href=FIRST["en"]) is not None


def test_title_and_summary_are_per_language(inherited):
    uz = page_of(inherited, address.file(FIRST["uz"]))
    en = page_of(inherited, address.file(FIRST["en"]))
    assert uz.find("h1").get_text(strip=True) == "Birinchi"
    assert en.find("h1").get_text(strip=True) == "First"
    assert uz.find("meta", attrs={"name": "description"})["content"] == "Uz qisqa"
    assert en.find("meta", attrs={"name": "description"})["content"] == "En short"
    listing = page_of(inherited, address.file(address.section("en", "news")))
    assert "First" in visible_text(listing) and "Birinchi" not in visible_text(listing)


def test_shared_field_written_differently_warns_naming_both_files(site):
    site.write("content/news/first.uz.md", news("uz", "Birinchi", "2025-06-12"))
    site.write("content/news/first.en.md", news("en", "First", "2025-06-13"))
    result = site.build()
    assert errors(result) == [], messages(result)
    found = [w.format() for w in warnings(result)
             if "content/news/first.uz.md" in w.format() and "content/news/first.en.md" in w.format()]
    assert found, messages(result)
    assert any("date" in text for text in found)
    # the same warning fails a strict build
    assert not site.build(strict=True).written


def test_same_shared_value_in_both_files_is_fine(site):
    site.write("content/news/first.uz.md", news("uz", "Birinchi", "2025-06-12"))
    site.write("content/news/first.en.md", news("en", "First", "2025-06-12"))
    result = site.build()
    assert messages(result) == []


# -- missing translations ----------------------------------------------------

def _solo(site):
    site.write("content/news/solo.uz.md", news("uz", "Yakka yangilik", "2025-06-12",
                                               body="Faqat oʻzbekcha matn.\n"))


def test_fallback_publishes_with_notice_lang_and_canonical(site):
    _solo(site)
    result = site.build()
    assert errors(result) == [], messages(result)
    page = page_of(result, address.file(SOLO["en"]))
    assert page.html["lang"] == "en"
    text = visible_text(page)
    notice = ui_strings("en")["fallback_notice"].split("{", 1)[0].strip()
    assert notice and notice in text
    body = page.find(string=re.compile("Faqat oʻzbekcha matn"))
    assert body is not None
    holder = body.find_parent(attrs={"lang": True})
    assert holder is not None and holder["lang"] == "uz", "the Uzbek text must be marked lang=uz"
    assert canonical(page) == BASE + SOLO["uz"]
    # its Uzbek title, in a list, is marked as Uzbek too
    listing = page_of(result, address.file(address.section("en", "news")))
    link = listing.find("a", href=SOLO["en"])
    assert link is not None
    assert (link.get("lang") or link.find_parent(attrs={"lang": True})["lang"]) == "uz"


def test_fallback_page_is_not_in_sitemap_nor_advertised_as_a_translation(site):
    _solo(site)
    result = site.build()
    entries = sitemap_entries(result.files["sitemap.xml"])
    assert BASE + SOLO["uz"] in entries
    assert BASE + SOLO["en"] not in entries
    for alts in entries.values():
        assert BASE + SOLO["en"] not in alts.values()
    uz = page_of(result, address.file(SOLO["uz"]))
    assert BASE + SOLO["en"] not in alternates(uz).values()
    en_feed = result.files[address.file(address.feed("en"))].decode("utf-8")
    assert SOLO["en"] not in en_feed


def test_fallback_page_switcher_still_links_both_languages(site):
    _solo(site)
    result = site.build()
    assert switcher_links(page_of(result, address.file(SOLO["en"]))).get("uz") == SOLO["uz"]
    assert switcher_links(page_of(result, address.file(SOLO["uz"]))).get("en") == SOLO["en"]


def test_omit_policy_publishes_only_existing_languages(site):
    site.write("data/site.yaml", SITE_YAML.replace("missing_translation: fallback", "missing_translation: omit"))
    _solo(site)
    result = site.build()
    assert errors(result) == [], messages(result)
    assert address.file(SOLO["uz"]) in result.files
    assert address.file(SOLO["en"]) not in result.files
    assert switcher_links(page_of(result, address.file(SOLO["uz"]))).get("en") == address.home("en")
    listing = page_of(result, address.file(address.section("en", "news")))
    assert listing.find("a", href=SOLO["en"]) is None
    assert BASE + SOLO["en"] not in sitemap_entries(result.files["sitemap.xml"])
    assert SOLO["en"] not in result.files[address.file(address.feed("en"))].decode("utf-8")


# -- three languages ---------------------------------------------------------

RU_DEPARTMENT = """\
name: {uz: "Boʻlim", en: "Department", ru: "Отдел"}
parent: {uz: "Institut", en: "Institute", ru: "Институт"}
head:
  name: ""
  role: {uz: "Boʻlim boshligʻi", en: "Head of department", ru: "Начальник отдела"}
office_hours: {days: daily, opens: "10:00", closes: "15:00"}
phone: "(+99871) 230-28-16"
email: ""
address: {uz: "Toshkent", en: "Tashkent", ru: "Ташкент"}
summary: {uz: "Qisqa", en: "Short", ru: "Кратко"}
goals:
  - {uz: "Birinchi", en: "First", ru: "Первая"}
"""

RU_PARTNERS = """\
- id: kaznua
  name: {uz: "Qozogʻiston milliy sanʼat universiteti", en: "Kazakh National University of Arts", ru: "Казахский национальный университет искусств"}
  country: KZ
  city: {uz: "Astana", en: "Astana", ru: "Астана"}
  website: "https://kaznua.kz/"
  agreement: memorandum
"""


def _add_russian(site) -> None:
    config = SITE_YAML.replace('  en: "Test site"\n', '  en: "Test site"\n  ru: "Тестовый сайт"\n')
    config = config.replace("    locale: en\n", '    locale: en\n  - code: ru\n    name: "Русский"\n    locale: ru\n')
    assert "code: ru" in config and "Тестовый" in config
    site.write("data/site.yaml", config)
    # the theme has its Russian words; the site writes its own, here the English ones,
    # and a date format of its own taking the place of the theme's
    en = (ROOT / "data/strings/en.yaml").read_text(encoding="utf-8")
    site.write("data/strings/ru.yaml", en + 'date_format: "d MMMM y \'г.\'"\n')
    site.write("data/department.yaml", RU_DEPARTMENT)
    site.write("data/partners.yaml", RU_PARTNERS)
    site.write("data/tags.yaml", 'memo: {uz: "Memorandum", en: "Memorandum", ru: "Меморандум"}\n')
    site.write("content/_index.ru.md", '---\ntitle: "Главная"\nsummary: "Добро пожаловать"\n---\nПривет.\n')
    site.write("content/news/_index.ru.md", '---\ntitle: "Новости"\n---\n')
    site.write("content/news/first.uz.md", news("uz", "Birinchi", "2025-06-12", tags="[memo]", partners="[kaznua]"))
    site.write("content/news/first.en.md", news("en", "First", body="Text.\n"))
    site.write("content/news/first.ru.md", news("ru", "Первая новость", body="Текст.\n"))


@pytest.fixture
def three(site):
    _add_russian(site)
    result = site.build()
    assert errors(result) == [], messages(result)
    assert result.written
    return result


def test_third_language_builds_cleanly(three):
    assert messages(three) == []
    for path in (address.home("ru"), address.section("ru", "news"), FIRST["ru"],
                 address.record("ru", "partners", "kaznua"), address.not_found("ru"), address.feed("ru"),
                 address.tag("ru", "memo")):
        name = address.file(path)
        assert name in three.files, name
    for name in html_files(three):
        if name.startswith("ru/"):
            assert page_of(three, name).html["lang"] == "ru", name


def test_third_language_uses_russian_month_names(three):
    text = visible_text(page_of(three, address.file(FIRST["ru"])))
    assert "12 июня 2025" in text
    assert "Первая новость" in text


def test_third_language_country_names(three):
    partner = page_of(three, address.file(address.record("ru", "partners", "kaznua")))
    assert "Казахстан" in visible_text(partner)


def test_third_language_alternates_and_switcher_on_every_page(three):
    pages = [n for n in html_files(three) if n.split("/")[0] in ("uz", "en", "ru") and not n.endswith("404.html")]
    assert len(pages) >= 18
    for name in pages:
        page = page_of(three, name)
        alts = alternates(page)
        assert set(alts) == {"uz", "en", "ru", "x-default"}, (name, alts)
        rest = "/" + name.split("/", 1)[1][: -len("index.html")]
        for code in ("uz", "en", "ru"):
            assert alts[code] == f"{BASE}/{code}{rest}", (name, alts)
        assert switcher_languages(page) == {"uz", "en", "ru"}, name
        lang = name.split("/")[0]
        links = switcher_links(page)
        assert {c: links.get(c) for c in ("uz", "en", "ru") if c != lang} == \
               {c: f"/{c}{rest}" for c in ("uz", "en", "ru") if c != lang}, (name, links)


def test_third_language_on_landing_sitemap_and_feed(three):
    landing = page_of(three, "index.html")
    assert {a["hreflang"] for a in landing.find_all("a", hreflang=True)} >= {"uz", "en", "ru"}
    entries = sitemap_entries(three.files["sitemap.xml"])
    assert BASE + FIRST["ru"] in entries
    assert set(entries[BASE + FIRST["ru"]]) == {"uz", "en", "ru", "x-default"}
    assert FIRST["ru"] in three.files[address.file(address.feed("ru"))].decode("utf-8")


def test_missing_ui_string_in_one_language_is_an_error_naming_the_file(site):
    _add_russian(site)
    ru = (site.root / "data/strings/ru.yaml").read_text(encoding="utf-8")
    ru = re.sub(r'^latest_news:.*\n', "", ru, flags=re.M)
    site.write("data/strings/ru.yaml", ru)
    result = site.build()
    assert not result.written
    assert find_diag(result, "data/strings/ru.yaml", None, "'latest_news'"), messages(result)


def test_missing_strings_file_for_a_language_is_an_error(site):
    _add_russian(site)
    (site.root / "data/strings/ru.yaml").unlink()
    result = site.build()
    assert not result.written
    assert find_diag(result, "data/strings/ru.yaml"), messages(result)


def test_missing_data_translation_is_reported_with_its_line(site):
    _add_russian(site)
    site.write("data/department.yaml", RU_DEPARTMENT.replace(', ru: "Ташкент"', ""))
    result = site.build()
    assert result.written, messages(result)  # the other language's text is shown meanwhile
    status = translation_status(result.site, result.diagnostics)
    assert [(t.path.name, t.line, t.missing) for t in status.texts] == [("department.yaml", 9, ("ru",))]
    home = site.html(address.file(address.home("ru")))
    assert "Ташкент" not in home and "Toshkent" in home
