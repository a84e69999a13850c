"""Each recipe of docs/recipes.md, applied step by step to a copy of the example site:
a new content type, a new URL rule, a new language, a new kind of output."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml

from conftest import ROOT, address, errors, messages, page_of
from sitegen.pipeline import run
from test_example_site import NOW, example_copy

RECIPES = (ROOT / "docs" / "recipes.md").read_text(encoding="utf-8")


def recipe(title: str) -> str:
    """The text of one recipe, from its heading to the next."""
    return RECIPES.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def blocks(text: str, language: str) -> list[str]:
    """The code blocks of a recipe written in `language`, dedented as a file holds them."""
    found = re.findall(rf"^( *)```{language}\n(.*?)^\1```", text, re.M | re.S)
    return ["".join(line[len(indent):] + "\n" for line in body.splitlines()) for indent, body in found]


def append_under(path, key: str, text: str) -> None:
    """Put `text` (YAML written at the top level of `key`'s entries) under `key:` of a YAML file."""
    indented = "".join("  " + line + "\n" if line.strip() else "\n" for line in text.splitlines())
    source = path.read_text(encoding="utf-8")
    assert f"\n{key}:\n" in source
    path.write_text(source.replace(f"\n{key}:\n", f"\n{key}:\n{indented}", 1), encoding="utf-8")


@pytest.fixture
def example(tmp_path):
    return example_copy(tmp_path)


def test_a_new_content_type(example):
    steps = recipe("A new content type")
    kind = blocks(steps, "yaml")[0]
    append_under(example / "data/schema.yaml", "content", kind)
    titles = {"uz": "Mahorat darslari", "ru": "Мастер-классы", "en": "Master classes"}
    for lang, title in titles.items():
        (example / "content/masterclasses").mkdir(exist_ok=True)
        (example / f"content/masterclasses/_index.{lang}.md").write_text(
            f'---\ntitle: "{title}"\ntemplate: events\n---\n', encoding="utf-8")
    site_yaml = example / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace(
        "  - news/_index.md\n", "  - news/_index.md\n  - masterclasses/_index.md\n"), encoding="utf-8")
    assert "build.py new masterclass" in steps
    item = {"uz": ("Skripka mahorat darsi", "Katta zal"), "ru": ("Мастер-класс по скрипке", "Большой зал"),
            "en": ("Violin master class", "Main hall")}
    for lang, (title, room) in item.items():
        shared = ('date: 2026-12-01\nstart: "2027-02-10 15:00"\nguest: "Anna Petrova"\n' if lang == "uz" else "")
        (example / f"content/masterclasses/violin.{lang}.md").write_text(
            f'---\ntitle: "{title}"\nsummary: "{title}."\n{shared}room: "{room}"\n---\n{title}.\n', encoding="utf-8")
    result = run(example, out=example / "site", strict=True, now=NOW)
    assert result.written, messages(result)
    for lang, label in (("uz", "Mehmon"), ("ru", "Гость"), ("en", "Guest")):
        page = page_of(result, address.file(address.document(lang, "masterclasses", "violin")))
        facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
                 for dt in page.select("article dl.facts dt")}
        assert facts[label] == "Anna Petrova"
        assert page.select_one("article header time")["datetime"] == "2027-02-10T15:00:00+05:00"
        listing = page_of(result, address.file(address.section(lang, "masterclasses")))
        assert listing.find("a", href=address.document(lang, "masterclasses", "violin")) is not None
        assert address.file(address.archive(lang, "masterclasses")) in result.files
        home = page_of(result, address.file(address.home(lang)))
        assert home.find("a", href=address.section(lang, "masterclasses")) is not None


def test_a_new_url_rule(example):
    steps = recipe("A new URL rule")
    kind = blocks(steps, "yaml")[0]
    assert 'path: "{section}/{year}/{slug}"' in kind
    schema = example / "data/schema.yaml"
    text = schema.read_text(encoding="utf-8")
    schema.write_text(text.replace("  news:\n    new: news\n", '  news:\n    new: news\n    path: "{section}/{year}/{slug}"\n'),
                      encoding="utf-8")
    for lang in ("uz", "ru", "en"):  # step 3: the old addresses keep working
        item = example / f"content/news/violin-competition.{lang}.md"
        item.write_text(item.read_text(encoding="utf-8").replace(
            "---\n", f"---\naliases: [/{lang}/news/violin-competition/]\n", 1), encoding="utf-8")
    result = run(example, out=example / "site", strict=True, now=NOW)
    assert result.written, messages(result)
    for lang in ("uz", "ru", "en"):
        new = address.document(lang, "news", "violin-competition", "{section}/{year}/{slug}", dt.date(2026, 11, 20))
        assert address.file(new) in result.files
        teacher = page_of(result, address.file(address.record(lang, "teachers", "karimova")))
        assert teacher.find("a", href=new) is not None
        moved = result.files[address.file(address.document(lang, "news", "violin-competition"))].decode()
        assert f'url={new}' in moved


def test_a_new_language(example):
    steps = recipe("A new language")
    entry = blocks(steps, "yaml")[0]
    site_yaml = example / "data/site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    text = text.replace('  en: "Faculty of Music"\n', '  en: "Faculty of Music"\n  kk: "Музыка өнері факультеті"\n')
    text = text.replace("    locale: en\n", "    locale: en\n" + "".join("  " + line + "\n" for line in entry.splitlines()))
    site_yaml.write_text(text, encoding="utf-8")
    # the site's own words and the theme's, both in the site's file (step 2); here still in English
    own = yaml.safe_load((example / "data/strings/en.yaml").read_text(encoding="utf-8"))
    theme = yaml.safe_load((ROOT / "templates/strings/en.yaml").read_text(encoding="utf-8"))
    (example / "data/strings/kk.yaml").write_text(
        yaml.safe_dump({**theme, **own, "date_format": "y 'ж'. d MMMM"}, allow_unicode=True), encoding="utf-8")
    (example / "content/_index.kk.md").write_text('---\ntitle: "Музыка өнері факультеті"\n---\nСәлем.\n',
                                                  encoding="utf-8")
    result = run(example, out=example / "site", now=NOW)
    assert errors(result) == [], messages(result)
    # step 3: each label of the schema without Kazakh is named; its page shows the default language's
    unlabelled = [d for d in result.diagnostics.items if "has no text in kk" in d.message]
    assert len(unlabelled) == 12 and all(d.path == "data/schema.yaml" and d.line for d in unlabelled)
    concert = page_of(result, address.file(address.document("kk", "concerts", "spring-concert-2027")))
    assert "Zal" in [dt.get_text(strip=True) for dt in concert.select("article dl.facts dt")]
    home = page_of(result, address.file(address.home("kk")))
    assert home.html["lang"] == "kk" and home.h1.get_text(strip=True) == "Музыка өнері факультеті"
    # not written in Kazakh yet: the default language, marked
    about = page_of(result, address.file(address.document("kk", "", "about")))
    assert about.select_one("article")["lang"] == "uz"
    news = page_of(result, address.file(address.section("kk", "news")))
    assert "қараша" in news.get_text()  # November, from CLDR's Kazakh
    assert {link.get("hreflang") for link in home.select(".lang-switch a")} >= {"uz", "ru", "en"}


def test_a_new_kind_of_output(example):
    steps = recipe("A new kind of output")
    template, = blocks(steps, "jinja")
    config, = blocks(steps, "yaml")
    (example / "templates").mkdir()
    (example / "templates/concerts.json").write_text(template.split("\n", 1)[1], encoding="utf-8")
    site_yaml = example / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + config, encoding="utf-8")
    result = run(example, out=example / "site", strict=True, now=NOW)
    assert result.written, messages(result)
    for lang in ("uz", "ru", "en"):
        concerts = json.loads(result.files[address.file(address.output(lang, "concerts.json"))])
        spring = address.document(lang, "concerts", "spring-concert-2027")
        assert concerts == [{"title": page_of(result, address.file(spring)).h1.get_text(),
                             "url": address.absolute(spring, "https://music.example.org/"),
                             "start": "2027-03-12T18:30:00+05:00"}]
    assert "concerts.json" not in result.files["sitemap.xml"].decode()
