"""Taxonomies declared in data/site.yaml: tags by default, or any list of them, each with
a page of its terms, a page per term and a field in every document's front matter."""

from __future__ import annotations

import feedparser

from conftest import SITE_YAML, address, errors, find_diag, messages, news, page_of

GENRES = "folk: {uz: \"Xalq musiqasi\", en: \"Folk music\"}\njazz: {uz: \"Jaz\", en: \"Jazz\"}\n"


def genre(lang: str, term: str = "") -> str:
    """The genres page, or one genre's."""
    return address.taxonomy(lang, "genres", term)


GENRE_STRINGS = {"uz": 'genres_title: "Janrlar"\n', "en": 'genres_title: "Genres"\n'}


def with_genres(site, setting: str = "taxonomies: [tags, genres]\n") -> None:
    """The tiny site with a second taxonomy, genres, and a news item in each language."""
    site.write("data/site.yaml", SITE_YAML + setting)
    site.write("data/genres.yaml", GENRES)
    for lang, line in GENRE_STRINGS.items():
        path = site.root / f"data/strings/{lang}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    site.write("content/news/concert.uz.md", news("uz", "Konsert", "2026-05-02", tags="[memo]", genres="[folk, jazz]"))
    site.write("content/news/concert.en.md", news("en", "Concert", body="Text.\n"))


def test_a_second_taxonomy_gets_its_pages_its_links_and_its_feed_categories(site):
    with_genres(site)
    result = site.build()
    assert errors(result) == [], messages(result)

    listing = page_of(result, address.file(genre("en")))
    assert listing.h1.get_text() == "Genres"
    terms = {a.get_text(): a["href"] for a in listing.select("ul.tag-cloud a")}
    assert terms == {"Folk music": genre("en", "folk"), "Jazz": genre("en", "jazz")}

    term = page_of(result, address.file(genre("uz", "folk")))
    assert term.h1.get_text() == "Janrlar: Xalq musiqasi"  # the generic heading, in the page's language
    assert term.find("a", href=address.document("uz", "news", "concert")) is not None

    item = page_of(result, address.file(address.document("en", "news", "concert")))
    lists = {ul["aria-label"]: [a["href"] for a in ul.find_all("a")] for ul in item.select("ul.tags")}
    assert lists == {"Tags": [address.tag("en", "memo")], "Genres": [genre("en", "folk"), genre("en", "jazz")]}

    feed = feedparser.parse(result.files["uz/feed.xml"])
    concert = next(e for e in feed.entries if e.link.endswith(address.document("uz", "news", "concert")))
    assert sorted(t.term for t in concert.tags) == ["folk", "jazz", "memo"]

    news_list = page_of(result, address.file(address.section("en", "news")))
    links = news_list.find_all("a", href=[address.tag("en"), genre("en")])
    assert {a.get_text() for a in links} == {"All tags", "Genres"}


def test_a_term_missing_from_its_data_file_is_named_at_its_line(site):
    with_genres(site)
    site.write("content/news/concert.uz.md", news("uz", "Konsert", "2026-05-02", genres="[folk, jaz]"))
    result = site.build()
    diag = find_diag(result, "content/news/concert.uz.md", None, "jaz")
    assert diag.severity == "error" and "data/genres.yaml" in diag.message + diag.hint, messages(result)
    assert "jazz" in diag.hint


def test_without_a_data_file_any_term_is_taken_and_shown_by_its_id(site):
    with_genres(site)
    (site.root / "data/genres.yaml").unlink()
    result = site.build()
    assert errors(result) == [], messages(result)
    assert page_of(result, address.file(genre("en", "jazz"))).h1.get_text() == "Genres: jazz"


def test_a_taxonomy_with_its_own_templates(site):
    with_genres(site, "taxonomies:\n  - tags\n  - {name: genres, template: genres.html, term_template: genre.html}\n")
    site.write("templates/genres.html", '{% extends "base.html" %}{% block main %}<h1>All genres</h1>'
                                        '{% for g in terms("genres") %}<p>{{ g }}</p>{% endfor %}{% endblock %}')
    site.write("templates/genre.html", '{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>'
                                       '<p class="n">{{ tagged(page.term, "genres")|length }}</p>{% endblock %}')
    result = site.build()
    assert errors(result) == [], messages(result)
    listing = page_of(result, address.file(genre("uz")))
    assert [p.get_text() for p in listing.find_all("p") if p.get_text() in ("folk", "jazz")] == ["folk", "jazz"]
    assert page_of(result, address.file(genre("en", "jazz"))).select_one("p.n").get_text() == "1"


def test_no_taxonomies_makes_tags_an_unknown_field(site):
    site.write("data/site.yaml", SITE_YAML + "taxonomies: []\n")
    site.write("content/news/x.uz.md", news("uz", "Yangilik", "2026-05-02", tags="[memo]"))
    result = site.build()
    diag = find_diag(result, "content/news/x.uz.md", None, "tags")
    assert diag.severity in ("error", "warning"), messages(result)
    assert not any(name.startswith(("uz/tags/", "en/tags/")) for name in result.files)


def test_without_the_setting_the_site_has_tags(site):
    site.write("content/news/x.uz.md", news("uz", "Yangilik", "2026-05-02", tags="[memo]"))
    result = site.build()
    assert errors(result) == [], messages(result)
    assert page_of(result, address.file(address.tag("en"))).h1.get_text() == "Tags"
    assert page_of(result, address.file(address.tag("en", "memo"))).h1.get_text() == "Items tagged “Memorandum”"


def test_a_taxonomy_without_its_title_string_is_named_at_its_line(site):
    site.write("data/site.yaml", SITE_YAML + "taxonomies:\n  - tags\n  - genres\n")
    result = site.build()
    line = (SITE_YAML + "taxonomies:\n  - tags\n").count("\n") + 1
    diag = find_diag(result, "data/site.yaml", line, "genres")
    assert diag.severity == "error" and "genres_title" in diag.hint, messages(result)


def test_names_a_taxonomy_cannot_have(site):
    line = SITE_YAML.count("\n") + 2
    for written, why in [("Genres", "small Latin letters"), ("partners", "collection"),
                         ("search", "makes that address"), ("{name: genres, templte: g.html}", "templte")]:
        site.write("data/site.yaml", SITE_YAML + f"taxonomies:\n  - {written}\n")
        result = site.build()
        diag = find_diag(result, "data/site.yaml", line, why)
        assert diag.severity == "error", (written, messages(result))
    site.write("data/site.yaml", SITE_YAML + "taxonomies:\n  - tags\n  - tags\n")
    assert find_diag(site.build(), "data/site.yaml", line + 1, "twice").severity == "error"


def test_a_kind_cannot_give_a_taxonomy_field_another_type(site):
    with_genres(site)
    schema = (site.root / "data/schema.yaml").read_text(encoding="utf-8")
    site.write("data/schema.yaml", schema.replace("      date: {type: date}\n",
                                                  "      date: {type: date}\n      genres: {type: text}\n"))
    line = schema.splitlines().index("      date: {type: date}") + 2
    diag = find_diag(site.build(), "data/schema.yaml", line, "taxonomy")
    assert diag is not None and "another name" in diag.hint
