"""The catalogue of mistakes an editor can make, and what they are told.

Each case is a tiny site (the `site` fixture's files) with one mistake. The
test suite builds every case and checks the file, the line and the message;
the table of docs/mistakes.md is generated from the same cases by running them:

    .venv/bin/python tests/mistakes.py          # print the table
    .venv/bin/python tests/mistakes.py --docs   # write docs/mistakes.md
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from conftest import BASE_FILES, ROOT, SiteDir  # noqa: E402

HEAD = """# Mistakes and what you see

<!-- generated from tests/mistakes.py by: .venv/bin/python tests/mistakes.py --docs -->

Each row is a real run of a small site with that one mistake: a test builds every case and
checks the whole line and hint, that it is the only message, and that every "did you mean"
fixes the mistake when written in its place. The site is never written while there is an
error, so the published site keeps its previous version. A byte-order mark and Windows
line endings are not mistakes: they are accepted as they are. How to write each kind of
content: [the editors' guide](editors.md).

"""
DOCS = ROOT / "docs" / "mistakes.md"
NEWS = "content/news/visit.uz.md"


def news(front: str, body: str = "Matn.\n") -> str:
    return f"---\n{front}---\n{body}"


GOOD_FRONT = 'title: "Tashrif"\ndate: 2025-06-12\n'
EN = "content/news/visit.en.md"
DEPT = "data/department.yaml"
PARTNERS = "data/partners.yaml"
PROJECT = "content/projects/uzdoc.uz.md"
NOW = "2026-12-07 12:00"  # the build's moment for every case, so what time decides reads the same every day
# a text long enough to be compared with its translation (see the untranslated copies)
TEXT = ("Delegatsiya Qozogʻiston milliy sanʼat universitetidan institutga tashrif buyurdi. Uchrashuvda "
        "hamkorlik memorandumi imzolandi, talabalar almashinuvi, qoʻshma konsertlar va ilmiy konferensiyalar "
        "keyingi oʻquv yiliga rejalashtirildi.\n")


def edit(rel: str, old: str, new: str) -> dict[str, str]:
    """One change in a file of the tiny site."""
    text = BASE_FILES[rel]
    assert old in text, old
    return {rel: text.replace(old, new, 1)}


def project(front: str) -> str:
    return news('title: "UzDOC"\nprogramme: "Erasmus+"\nrole: partner\n' + front)


def partner(extra: str) -> dict[str, str]:
    return {PARTNERS: BASE_FILES[PARTNERS] + extra}


class Link(str):
    """A symbolic link to the path it holds, instead of a file."""


class Gone(str):
    """The file is deleted (the text is only for the table)."""


def strings(old: str, new: str):
    """A change in the shipped UI strings of the tiny site (they are copied, not in BASE_FILES)."""
    return lambda text: text.replace(old, new, 1)


# a schema with two kinds that have timelines, as the shipped events and calls
TIMELINES = BASE_FILES["data/schema.yaml"].replace("data:\n", """\
  events:
    new: event
    timeline: {start: start, end: end}
    fields:
      start: {type: datetime, required: true}
      end: {type: datetime}
  calls:
    new: call
    timeline: {start: opens, end: deadline, open_ended: true, calendar: end}
    fields:
      opens: {type: datetime}
      deadline: {type: datetime}
data:
""", 1)
# news items must have a date (the tiny site's schema leaves it out)
DATE_REQUIRED = {"data/schema.yaml": BASE_FILES["data/schema.yaml"].replace(
    "      date: {type: date}\n", "      date: {type: date, required: true}\n")}
# a real 4x3 PNG, so the image itself is fine and only the mistake is reported
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x04\x00\x00\x00\x03\x08\x02\x00\x00\x00;\x969\x91\x00"
       b"\x00\x00\x14IDATx\x9cc<!'\xc7\x00\x03L\x0cH\x00\x85\x03\x00&\xda\x01\n@\x00;\x0f\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


@dataclass(frozen=True)
class Case:
    mistake: str  # what the editor did, in plain words
    files: dict[str, str | bytes | None]  # files written over the tiny valid site
    shown: str  # the whole line the editor sees: "path:line:col: severity: message"
    hint: str = ""  # the whole hint printed under it ("" when there is none)
    alone: bool = True  # the only message of the build: one mistake, one message

    @property
    def path(self) -> str:
        return self.shown.split(":", 1)[0]

    @property
    def line(self) -> int:
        place = self.shown.split(": ", 1)[0].split(":")
        return int(place[1]) if len(place) > 1 else 0

    @property
    def severity(self) -> str:
        return self.shown.split(": ", 2)[1]

    @property
    def strict(self) -> bool:
        """A warning: it fails the build with --strict."""
        return self.severity == "warning"

    @property
    def printed(self) -> str:
        return f"{self.shown}\n    hint: {self.hint}" if self.hint else self.shown


CASES = [
    Case("A colon inside an unquoted title",
         {NEWS: news("title: Erasmus+: yangi tanlov\ndate: 2025-06-12\n")},
         'content/news/visit.uz.md:2:16: error: YAML syntax error: mapping values are not allowed here',
         'text that contains \': \' must be in double quotes, e.g. title: "Open day: a new date"'),
    Case("Indenting with a tab",
         {NEWS: news(GOOD_FRONT + "tags:\n\t- memo\n")},
         "content/news/visit.uz.md:5:1: error: YAML syntax error: found character '\\t' that cannot start any token",
         'indent with spaces, not tabs'),
    Case("`no`, `yes` or `on` as text, read by YAML as true/false",
         {NEWS: news('title: no\ndate: 2025-06-12\n')},
         "content/news/visit.uz.md:2:1: error: 'title' was read as false, not as the text 'no'",
         'YAML reads yes/no/on/off as true/false: write title: "no"'),
    Case("A date without leading zeros",
         {NEWS: news('title: "Tashrif"\ndate: 2025-6-1\n')},
         "content/news/visit.uz.md:3:1: error: 'date' must be written as YYYY-MM-DD (found '2025-6-1')",
         'write date: 2025-06-01'),
    Case("A date that does not exist",
         {NEWS: news('title: "Tashrif"\ndate: 2025-02-30\n')},
         "content/news/visit.uz.md:3:1: error: 'date' is not a real date: '2025-02-30' (YYYY-MM-DD)",
         'check the month (1-12) and the day'),
    Case("A date written day first",
         {NEWS: news('title: "Tashrif"\ndate: 12.06.2025\n')},
         "content/news/visit.uz.md:3:1: error: 'date' must be written as YYYY-MM-DD (found '12.06.2025')",
         'write date: 2025-06-12'),
    Case("No space after `-` in a list",
         {NEWS: news(GOOD_FRONT + "partners:\n  -kaznua\n")},
         "content/news/visit.uz.md:4:1: error: 'partners' must be a list (found '-kaznua', one piece of text)",
         "put a space after '-': - item"),
    Case("Wrong indentation",
         {NEWS: news(GOOD_FRONT + "partners:\n  - kaznua\n - kaznua\n")},
         "content/news/visit.uz.md:6:2: error: YAML syntax error: expected <block end>, but found '<block sequence start>'",
         'check the indentation: fields at the same level start in the same column'),
    Case("A quote opened and never closed",
         {NEWS: news('title: "Tashrif\ndate: 2025-06-12\n')},
         'content/news/visit.uz.md:2:8: error: YAML syntax error: found unexpected end of stream',
         'a quote or bracket is opened here but never closed'),
    Case("A quote not closed on its line, before a field with quotes",
         {NEWS: news('title: "Tashrif\nsummary: "Qisqa"\ndate: 2025-06-12\n')},
         "content/news/visit.uz.md:2:8: error: YAML syntax error: expected <block end>, but found '<scalar>'",
         'the double quote opened here is not closed on its line, so the text runs on into the next field: '
         'close it with " (a quote inside the text is written \\")'),
    Case("A field written twice",
         {NEWS: news(GOOD_FRONT + 'title: "Yana"\n')},
         "content/news/visit.uz.md:4:1: error: the field 'title' is written twice (first on line 2)",
         'keep one of them; the last one would silently win'),
    Case("A misspelt field name",
         {NEWS: news(GOOD_FRONT + 'sumary: "Qisqa"\n')},
         "content/news/visit.uz.md:4:1: error: unknown field 'sumary'",
         "did you mean 'summary'?"),
    Case("A Markdown file without front matter",
         {NEWS: "# Tashrif\n\nMatn.\n"},
         'content/news/visit.uz.md:1: error: the file has no front matter',
         'start it with a line ---, fields such as title: "...", and a closing ---'),
    Case("Front matter that is never closed",
         {NEWS: '---\ntitle: "Tashrif"\ndate: 2025-06-12\n\nMatn.\n'},
         'content/news/visit.uz.md:1: error: the front matter that starts here is never closed',
         'add a line with only --- after the last field'),
    Case("An empty file",
         {NEWS: ""},
         'content/news/visit.uz.md: error: the file is empty',
         'write its front matter and text (see docs/editors.md), or delete the file'),
    Case("A file saved in a Windows Cyrillic encoding",
         {NEWS: news('title: "Визит делегации"\ndate: 2025-06-12\n', "Делегация посетила институт.\n")
          .encode("cp1251")},
         'content/news/visit.uz.md:2: error: the file is not UTF-8 text; it looks like Windows-1251 (Cyrillic)',
         'open it in your editor and save it again with the encoding UTF-8'),
    Case("No title",
         {NEWS: news("date: 2025-06-12\n")},
         "content/news/visit.uz.md:2: error: the field 'title' is missing",
         'add title: "..." (text)'),
    Case("A news item without a date",
         {**DATE_REQUIRED, NEWS: news('title: "Tashrif"\n')},
         "content/news/visit.uz.md:2: error: the field 'date' is missing (in either language's file)",
         'add date: 2025-06-12 (date, YYYY-MM-DD)'),
    Case("A template that does not exist, shared with the translation",
         {NEWS: news(GOOD_FRONT + "template: visit-page\n"), EN: news('title: "Visit"\n')},
         "content/news/visit.uz.md:4: error: the template 'visit-page.html' does not exist in templates/"),
    Case("A translation whose original was deleted",
         {**DATE_REQUIRED, EN: news('title: "Visit"\n')},
         "content/news/visit.en.md:2: error: the field 'date' is missing",
         "add date: 2025-06-12 (date, YYYY-MM-DD); a translation takes it from the uz file, "
         "and there is no visit.uz.md"),
    Case("A partner id that does not exist",
         {NEWS: news(GOOD_FRONT + "partners: [kaznu]\n")},
         "content/news/visit.uz.md:4:12: error: 'kaznu' in 'partners' is not in data/partners.yaml",
         "did you mean 'kaznua'?"),
    Case("A project that does not exist",
         {NEWS: news(GOOD_FRONT + "projects: [uzdoc]\n")},
         "content/news/visit.uz.md:4:12: error: 'uzdoc' in 'projects' is not in content/projects/",
         'add it to content/projects/ first, or correct the id'),
    Case("A tag that is not in data/tags.yaml",
         {NEWS: news(GOOD_FRONT + "tags: [mem]\n")},
         "content/news/visit.uz.md:4:8: error: 'mem' in 'tags' is not in data/tags.yaml",
         "did you mean 'memo'?"),
    Case("`draft` that is not true or false",
         {NEWS: news(GOOD_FRONT + 'draft: "hali emas"\n')},
         "content/news/visit.uz.md:4:1: error: 'draft' must be true or false (found 'hali emas')",
         'write draft: true or draft: false, without quotes'),
    Case("`weight` that is not a number",
         {NEWS: news(GOOD_FRONT + 'weight: first\n')},
         "content/news/visit.uz.md:4:1: error: 'weight' must be a whole number (found 'first')",
         'write it with digits only, e.g. weight: 10'),
    Case("A link to a page that does not exist",
         {NEWS: news(GOOD_FRONT, "Matn.\n\nBatafsil: [memorandum](memorandum.md).\n")},
         "content/news/visit.uz.md:7:24: error: the link 'memorandum.md' points at no document",
         'link to a content file by its path without the language, e.g. ../news/x.md'),
    Case("A link to a heading that does not exist",
         {NEWS: news(GOOD_FRONT, "## Reja\n\n[Reja](#rej)\n")},
         "content/news/visit.uz.md:7:8: error: the link '#rej' names no heading or anchor on this page",
         "did you mean '#reja'?"),
    Case("An image that is not there",
         {NEWS: news(GOOD_FRONT, "![Delegatsiya](rasm.jpg)\n")},
         "content/news/visit.uz.md:5:16: error: the image 'rasm.jpg' does not exist",
         'put the file in content/news/ or correct its name'),
    Case("An image file that is damaged or not an image",
         {NEWS: news(GOOD_FRONT, "![Delegatsiya](rasm.jpg)\n"), "content/news/rasm.jpg": b"<html>not a photo</html>"},
         "content/news/visit.uz.md:5:16: error: the image 'rasm.jpg' cannot be read: it is damaged or not an image",
         'open it in an image editor and save it again as JPEG or PNG'),
    Case("An image without alt text",
         {NEWS: news(GOOD_FRONT, "![](rasm.png)\n"), "content/news/rasm.png": PNG},
         "content/news/visit.uz.md:5:5: error: the image 'rasm.png' has no alt text",
         'describe it for people who cannot see it: ![what the image shows](rasm.png)'),
    Case("An image from another website",
         {NEWS: news(GOOD_FRONT, "![Rasm](https://example.com/rasm.jpg)\n")},
         "content/news/visit.uz.md:5:9: error: the image 'https://example.com/rasm.jpg' would be loaded from another website",
         'save the image next to this file and write its file name instead'),
    Case("A placeholder from `new` left in",
         {NEWS: news(GOOD_FRONT + 'summary: "TODO: one or two sentences"\n')},
         "content/news/visit.uz.md:4:1: error: 'summary' still holds a placeholder: TODO: one or two sentences",
         'replace the TODO text with the real value'),
    Case("A file name without the language",
         {"content/news/visit.md": news(GOOD_FRONT)},
         'content/news/visit.md: error: the file name has no language',
         'name the file <name>.<language>.md, e.g. news/visit.uz.md'),
    Case("A language the site does not have",
         {"content/news/visit.ru.md": news(GOOD_FRONT)},
         "content/news/visit.ru.md: error: 'ru' is not a language of this site (uz, en)",
         'name the file <name>.<language>.md, e.g. news/visit.uz.md'),
    Case("A three-letter language code in a file name",
         {"content/news/visit.eng.md": news(GOOD_FRONT)},
         "content/news/visit.eng.md: error: 'eng' is not a language of this site (uz, en)",
         "did you mean 'en'? rename the file to visit.en.md"),
    Case("Capital letters or spaces in a file name",
         {"content/news/Visit Tashkent.uz.md": news(GOOD_FRONT)},
         'content/news/Visit Tashkent.uz.md: error: the file name must be lowercase letters, digits and hyphens before the language',
         'e.g. open-day-2026.uz.md'),
    Case("Two documents with the same address",
         {NEWS: news(GOOD_FRONT + "slug: second\n"), "content/news/second.uz.md": news(GOOD_FRONT)},
         'content/news/visit.uz.md:4:1: error: writes the same page /uz/news/second/ as content/news/second.uz.md',
         'rename one of the files or give one of them another slug'),
    Case("A folder the site does not know",
         {"content/events/visit.uz.md": news(GOOD_FRONT)},
         'content/events/visit.uz.md: error: content/events/ is not a kind of content this site knows',
         "declare 'events' under content: in data/schema.yaml, or move the file to a known folder"),
    Case("A partner with a three-letter country code",
         {"data/partners.yaml": "- id: kaznua\n  name: {uz: \"Universitet\", en: \"University\"}\n"
                                "  country: KAZ\n"},
         "data/partners.yaml:3:3: error: 'country' must be a two-letter ISO 3166 country code (found 'KAZ')",
         "did you mean 'KZ'?"),
    Case("A website without https://",
         {"data/partners.yaml": "- id: kaznua\n  name: {uz: \"Universitet\", en: \"University\"}\n"
                                "  country: KZ\n  website: kaznui.kz\n"},
         "data/partners.yaml:4:3: error: 'website' must be a web address (found 'kaznui.kz')",
         'write the whole address, starting with https://'),
    Case("Two partners with the same id",
         {"data/partners.yaml": "- id: kaznua\n  name: {uz: \"A\", en: \"A\"}\n  country: KZ\n  city: Astana\n"
                                "  agreement: memorandum\n- id: kaznua\n  name: {uz: \"B\", en: \"B\"}\n"
                                "  country: KZ\n  city: Astana\n  agreement: memorandum\n"},
         "data/partners.yaml:6:3: error: the id 'kaznua' is used twice (also on line 1)",
         'every record needs its own id'),
    Case("A language code that is not configured in per-language text",
         {"data/partners.yaml": "- id: kaznua\n  name: {uz: \"Universitet\", eng: \"University\"}\n"
                                "  country: KZ\n"},
         "data/partners.yaml:2:29: error: 'eng' is not a language of this site (uz, en)",
         "did you mean 'en'?"),
    Case("A partner record without its '- ', indented as a field",
         partner('  id: gitis\n  name: {uz: "GITIS", en: "GITIS"}\n  country: RU\n'),
         "data/partners.yaml:7:3: error: the field 'id' comes again (first on line 1): a record of its own starts here without its '- '",
         "begin it with '- ' where the other records begin: - id: ..."),
    Case("A partner record without its '- ', at the start of the line",
         partner('id: gitis\n  name: {uz: "GITIS", en: "GITIS"}\n  country: RU\n'),
         "data/partners.yaml:7:1: error: YAML syntax error: expected <block end>, but found '?'",
         "a record of the list starts with '- ': write - id: gitis"),
    Case("A title in a word processor's quotes, with a colon",
         {EN: news('title: “Memorandum: signed with KazNUA”\n')},
         "content/news/visit.en.md:2:8: error: YAML syntax error: mapping values are not allowed here",
         'the value starts with the typographic quote “, which YAML reads as a letter: put the text in '
         'straight double quotes "..." (typographic quotes can stay inside them)'),
    Case("A field indented with a non-breaking space pasted from a web page",
         edit(PARTNERS, "  country: KZ", "\u00a0 country: KZ"),
         "data/partners.yaml:3:1: error: YAML syntax error: expected <block end>, but found '?'",
         "this line is indented with a non-breaking space (U+00A0), often pasted from a web page or a word "
         "processor: indent it with ordinary spaces"),
    Case("A phone number with letters",
         {"data/department.yaml": BASE_FILES["data/department.yaml"].replace(
             'phone: "(+99871) 230-28-16"', 'phone: "call the office"')},
         "data/department.yaml:7:1: error: 'phone' must be a phone number (found 'call the office')",
         'digits with +, spaces, brackets or hyphens, e.g. "(+43 1) 711 55-0"'),
    Case("An empty data file",
         {"data/tags.yaml": ""},
         'data/tags.yaml: error: the file is empty',
         'write its fields, or delete the file'),
    Case("A UI string missing in one language",
         {"data/strings/en.yaml": None},
         "data/strings/en.yaml: error: the UI string 'latest_news' is missing",
         'translate line 8 of data/strings/uz.yaml and add it here'),
    Case("A menu entry that names no page",
         {"data/site.yaml": BASE_FILES["data/site.yaml"].replace("  - news/_index.md", "  - novosti/_index.md")},
         "data/site.yaml:18: error: the menu names 'novosti/_index.md', which is not a content file",
         "did you mean 'news/_index.md'?"),
    Case("A misspelt setting in data/site.yaml (a warning; an error with --strict)",
         {"data/site.yaml": BASE_FILES["data/site.yaml"] + "serach: false\n"},
         "data/site.yaml:29:1: warning: unknown setting 'serach' is ignored",
         "did you mean 'search'?"),
    Case("A theme folder that is not there",
         {"data/site.yaml": BASE_FILES["data/site.yaml"] + "theme: ../shared-theme\n"},
         "data/site.yaml:29:1: error: the theme '../shared-theme' is not a folder with templates/ in it",
         "the path starts at this site's folder, the one that holds data/; the theme's folder holds templates/ and static/"),
    Case("An organisation whose data file is misspelt",
         {"data/site.yaml": BASE_FILES["data/site.yaml"].replace("organisation: department", "organisation: departmnet")},
         "data/site.yaml:15:1: error: 'organisation' must name a data file about who publishes the site (found 'departmnet')",
         "did you mean 'department'?"),
    Case("An output that would be a page",
         {"data/site.yaml": BASE_FILES["data/site.yaml"] + "outputs:\n  - {template: list.html, path: list.html}\n"},
         "data/site.yaml:30: error: 'list.html' cannot be an output's file",
         "a file name with its extension, under the language's folder, each named once; pages come from content/, not from outputs"),
    Case("A taxonomy without its title in the strings files",
         {"data/site.yaml": BASE_FILES["data/site.yaml"] + "taxonomies:\n  - tags\n  - genres\n"},
         "data/site.yaml:31: error: the taxonomy 'genres' has no title in data/strings/uz.yaml",
         'add genres_title: "..." to every strings file: it titles /<lang>/genres/'),
    Case("A taxonomy named like a collection",
         {"data/site.yaml": BASE_FILES["data/site.yaml"] + "taxonomies: [tags, partners]\n"},
         "data/site.yaml:29: error: 'partners' cannot be a taxonomy's name: a collection has that name",
         'its name is the front-matter field and the address /<lang>/<name>/'),

    # -- values as YAML reads them, and as the editor meant them ------------------------------
    Case("An office hour that is no time", edit(DEPT, 'opens: "10:00"', 'opens: "ertalab"'),
         "data/department.yaml:6:29: error: 'opens' must be a time of day written as HH:MM (found 'ertalab')",
         'e.g. opens: "09:00"'),
    Case("A time written with a dot", edit(DEPT, 'opens: "10:00"', "opens: 9.30"),
         "data/department.yaml:6:29: error: 'opens' must be a time of day written as HH:MM (found '9.30')",
         'e.g. opens: "09:30"'),
    Case("An hour past 23", edit(DEPT, 'opens: "10:00"', "opens: 25:00"),
         "data/department.yaml:6:29: error: 'opens' must be a time of day written as HH:MM (found '25:00')",
         'e.g. opens: "09:00"'),
    Case("A closing time before the opening time", edit(DEPT, 'closes: "15:00"', 'closes: "09:00"'),
         "data/department.yaml:6:45: error: 'closes' (09:00) is before 'opens' (10:00)",
         'correct one of the two: closes cannot come before opens'),
    Case("A misspelt day of the week", edit(DEPT, "days: daily", 'days: "Mon-Fir"'),
         "data/department.yaml:6:16: error: 'days' must name days of the week (found 'Mon-Fir'): 'fir' is not a day of the week",
         "did you mean 'Mon-fri'?"),
    Case("Days that name no day of the week", edit(DEPT, "days: daily", 'days: "ish kunlari"'),
         "data/department.yaml:6:16: error: 'days' must name days of the week (found 'ish kunlari'): 'ish kunlari' is not a day of the week",
         'e.g. days: "dushanba-juma", or daily; the days: dushanba, seshanba, chorshanba, payshanba, juma, shanba, yakshanba'),
    Case("A number with a leading zero, which YAML reads as octal",
         {NEWS: news(GOOD_FRONT + "weight: 010\n")},
         "content/news/visit.uz.md:4:1: error: 'weight' is written '010', which YAML reads as 8",
         'write it with digits only, without leading zeros: weight: 10'),
    Case("A number written like a time, which YAML reads in base 60",
         {NEWS: news(GOOD_FRONT + "weight: 1:30\n")},
         "content/news/visit.uz.md:4:1: error: 'weight' is written '1:30', which YAML reads as 90",
         'write a whole number with digits only, e.g. weight: 10'),
    Case("`yes` for true (a warning; other tools read it as text)", {NEWS: news(GOOD_FRONT + "draft: yes\n")},
         "content/news/visit.uz.md:4:1: warning: 'draft' is written 'yes', which YAML reads as true; other tools read it as text",
         'write draft: true'),
    Case("`null` for an empty field (a warning)", edit(DEPT, 'email: ""', "email: null"),
         "data/department.yaml:8:1: warning: 'email' is written 'null', which YAML reads as no value",
         'to leave it empty, delete the line; for the text itself write email: "null"'),
    Case("`~` as a title", {NEWS: news("title: ~\ndate: 2025-06-12\n")},
         "content/news/visit.uz.md:2:1: error: 'title' is written '~', which YAML reads as no value",
         'to leave it empty, delete the line; for the text itself write title: "~"'),
    Case("An empty title", {NEWS: news('title: ""\ndate: 2025-06-12\n')},
         "content/news/visit.uz.md:2:1: error: 'title' is empty",
         'write the title'),
    Case("Norway's code NO, which YAML reads as false",
         partner('- id: hiof\n  name: {uz: "Ostfold", en: "Ostfold"}\n  country: NO\n'),
         "data/partners.yaml:9:3: error: 'country' was read as false, not as the text 'NO'",
         'YAML reads yes/no/on/off as true/false: write country: "NO"'),
    Case("A country's name instead of its code", edit(PARTNERS, "country: KZ", "country: Kazakhstan"),
         "data/partners.yaml:3:3: error: 'country' must be a two-letter ISO 3166 country code (found 'Kazakhstan')",
         "did you mean 'KZ'?"),
    Case("A value of a list of choices with a capital letter",
         edit(PARTNERS, "agreement: memorandum", "agreement: Memorandum"),
         "data/partners.yaml:6:3: error: 'agreement' must be one of: memorandum, cooperation-agreement (found 'Memorandum')",
         "did you mean 'memorandum'?"),
    Case("A year with a letter in it", {PROJECT: project("start: 2O20\n")},
         "content/projects/uzdoc.uz.md:5:1: error: 'start' must be a whole number (found '2O20')",
         "did you mean '2020'?"),
    Case("A project that ends before it starts", {PROJECT: project("start: 2020\nend: 2019\n")},
         "content/projects/uzdoc.uz.md:6:1: error: 'end' (2019) is before 'start' (2020)",
         'correct one of the two: end cannot come before start'),
    Case("Ids written as one text with commas",
         {**partner('- id: gitis\n  name: {uz: "GITIS", en: "GITIS"}\n  country: RU\n'),
          NEWS: news(GOOD_FRONT + 'partners: "kaznua, gitis"\n')},
         "content/news/visit.uz.md:4:1: error: 'partners' must be a list (found 'kaznua, gitis', one piece of text)",
         "did you mean '[kaznua, gitis]'?"),
    Case("A tag with a capital letter", {NEWS: news(GOOD_FRONT + "tags: [Memo]\n")},
         "content/news/visit.uz.md:4:8: error: 'Memo' in 'tags' is not an id",
         "did you mean 'memo'?"),
    Case("A website with a space in it", edit(PARTNERS, 'website: "https://kaznua.kz/"',
                                              'website: "https://kaznua kz/"'),
         "data/partners.yaml:5:3: error: 'website' must be a web address (found 'https://kaznua kz/')",
         'write the whole address, starting with https://'),
    Case("An e-mail address without @", edit(DEPT, 'email: ""', 'email: "info.dsmi.uz"'),
         "data/department.yaml:8:1: error: 'email' must be an e-mail address (found 'info.dsmi.uz')",
         'e.g. name@example.org'),
    Case("A misspelt field in a data file", edit(DEPT, 'email: ""', 'emial: ""'),
         "data/department.yaml:8:1: error: unknown field 'emial' in 'department record'",
         "did you mean 'email'?"),
    Case("A misspelt required field in a record (one message, not also 'missing')",
         edit(PARTNERS, "  name: {uz:", "  nmae: {uz:"),
         "data/partners.yaml:2:3: error: unknown field 'nmae' in the record 'kaznua'",
         "did you mean 'name'?"),
    Case("A misspelt field inside a group of fields", edit(DEPT, 'opens: "10:00"', 'open: "10:00"'),
         "data/department.yaml:6:29: error: unknown field 'open' in 'office_hours'",
         "did you mean 'opens'?"),
    Case("A field written twice in a data file", edit(DEPT, 'email: ""', 'email: ""\nemail: "a@b.uz"'),
         "data/department.yaml:9:1: error: the field 'email' is written twice (first on line 8)",
         'keep one of them; the last one would silently win'),
    Case("An id with capital letters", edit(PARTNERS, "- id: kaznua", "- id: KazNUA"),
         "data/partners.yaml:1:3: error: 'id' must be lowercase letters, digits and hyphens (found 'KazNUA')",
         "did you mean 'kaznua'?"),
    Case("A date written with slashes in a data file",
         edit(PARTNERS, "agreement: memorandum", "agreement: memorandum\n  signed: 2025/11/17"),
         "data/partners.yaml:7:3: error: 'signed' must be written as YYYY-MM-DD (found '2025/11/17')",
         'write signed: 2025-11-17'),
    Case("A language code in capitals in per-language text",
         edit(PARTNERS, 'city: {uz: "Astana", en: "Astana"}', 'city: {UZ: "Astana", en: "Astana"}'),
         "data/partners.yaml:4:10: error: 'UZ' is not a language of this site (uz, en)",
         "did you mean 'uz'?"),
    Case("A signing date after the end of the agreement",
         edit(PARTNERS, "agreement: memorandum", "agreement: memorandum\n  signed: 2025-11-17\n"
                                                 "  valid_until: 2024-11-16"),
         "data/partners.yaml:8:3: error: 'valid_until' (2024-11-16) is before 'signed' (2025-11-17)",
         'correct one of the two: valid_until cannot come before signed'),
    Case("A news item dated decades ahead (a typo; a warning)",
         {NEWS: news('title: "Tashrif"\ndate: 2062-06-12\n')},
         "content/news/visit.uz.md:3:1: warning: 'date' is 2062-06-12, 35 years after the build's date (2026-12-07): a typo?",
         'correct the year; dates this far ahead are allowed with a larger date_horizon_days in data/site.yaml'),
    Case("A news item dated next week (a notice)", {NEWS: news('title: "Tashrif"\ndate: 2026-12-14\n')},
         "content/news/visit.uz.md:3:1: notice: 'date' is 2026-12-14, after the build's date (2026-12-07): until then the item is listed as the newest",
         'if it is a typo, correct it; otherwise nothing needs doing'),
    Case("An agreement that has expired (a notice: time alone never fails a build)",
         edit(PARTNERS, "agreement: memorandum", "agreement: memorandum\n  valid_until: 2026-06-30"),
         "data/partners.yaml:7:3: notice: 'valid_until' of 'kaznua' is 2026-06-30, which has passed (the build's date is 2026-12-07); the site shows it as expired",
         'once it is renewed, write the new valid_until; if it is over, say so or remove it'),
    Case("An agreement that expires within six weeks (a notice)",
         edit(PARTNERS, "agreement: memorandum", "agreement: memorandum\n  valid_until: 2027-01-10"),
         "data/partners.yaml:7:3: notice: 'valid_until' of 'kaznua' is 2027-01-10, in 34 days (the build's date is 2026-12-07)",
         'once it is renewed, write the new valid_until; if it is over, say so or remove it'),
    Case("A date and time written day first",
         {"data/schema.yaml": TIMELINES, "content/events/visit.uz.md":
          news('title: "Tashrif"\nstart: "15.04.2027 10:00"\n')},
         'content/events/visit.uz.md:3:1: error: \'start\' must be written as "YYYY-MM-DD HH:MM" (found \'15.04.2027 10:00\')',
         'write start: "2027-04-15 10:00"'),
    Case("An event that ends before it starts",
         {"data/schema.yaml": TIMELINES, "content/events/visit.uz.md":
          news('title: "Tashrif"\nstart: "2026-12-18 10:00"\nend: "2026-12-18 09:00"\n')},
         "content/events/visit.uz.md:4:1: error: 'end' (2026-12-18 09:00) is not after 'start' (2026-12-18 10:00)",
         'correct one of the two dates: end must come after start'),
    Case("A call that opens after its deadline",
         {"data/schema.yaml": TIMELINES, "content/calls/icm.uz.md":
          news('title: "Tanlov"\nopens: 2027-02-01\ndeadline: 2027-01-29\n')},
         "content/calls/icm.uz.md:4:1: error: 'deadline' (2027-01-29) is not after 'opens' (2027-02-01)",
         'correct one of the two dates: deadline must come after opens'),
    Case("A date setting that is no number",
         {"data/site.yaml": BASE_FILES["data/site.yaml"] + 'date_horizon_days: "two years"\n'},
         "data/site.yaml:29:1: error: 'date_horizon_days' must be a number of days, from 1 to 36500",
         'e.g. date_horizon_days: 730 (two years)'),

    # -- Uzbek as people type it, and text in the wrong language --------------------------------
    Case("An apostrophe for oʻ and ʼ in the text (a notice; corrected on the site)",
         {NEWS: news(GOOD_FRONT, "Yangi o'quv yili va san'at kechasi.\n")},
         "content/news/visit.uz.md:5:8: notice: 'o'quv' is published as 'oʻquv' and 1 more: Uzbek writes oʻ, gʻ with ʻ and the tutuq belgisi as ʼ",
         'python build.py check --fix writes the corrections into the files'),
    Case("A backtick for gʻ (a notice; never code between two letters)",
         {NEWS: news(GOOD_FRONT, "Yangi g`oya.\n")},
         "content/news/visit.uz.md:5:8: notice: 'g`oya' is published as 'gʻoya': Uzbek writes oʻ, gʻ with ʻ and the tutuq belgisi as ʼ",
         'python build.py check --fix writes the corrections into the files'),
    Case("An Uzbek title in single quotes with an apostrophe inside (a notice)",
         {NEWS: news("title: 'O'zbekiston san'ati'\ndate: 2025-06-12\n")},
         "content/news/visit.uz.md:2:10: notice: 'O'zbekiston' is published as 'Oʻzbekiston' and 1 more: Uzbek writes oʻ, gʻ with ʻ and the tutuq belgisi as ʼ",
         'python build.py check --fix writes the corrections into the files'),
    Case("An English title in single quotes with an apostrophe inside",
         {EN: news("title: 'Uzbekistan's art'\n")},
         "content/news/visit.en.md:2: error: YAML syntax error: expected <block end>, but found '<scalar>'",
         "an apostrophe inside '...' ends the text: put the text in double quotes, or write Uzbek oʻ, gʻ and ʼ with their own letters"),
    Case("An apostrophe in a data file's Uzbek text (a notice)",
         edit(PARTNERS, 'city: {uz: "Astana", en: "Astana"}', 'city: {uz: "Qo\'qon", en: "Kokand"}'),
         "data/partners.yaml:4:10: notice: 'Qo'qon' is published as 'Qoʻqon': Uzbek writes oʻ, gʻ with ʻ and the tutuq belgisi as ʼ",
         'python build.py check --fix writes the corrections into the files'),
    Case("A double quote inside a UI string in double quotes",
         {"data/strings/uz.yaml": strings('"Boʻlim rahbariyati"', '"Boʻlim "rahbariyati""')},
         "data/strings/uz.yaml:11: error: YAML syntax error: expected <block end>, but found '<scalar>'",
         'a double quote inside "..." ends the text: write it as \\" or use the quotation marks “ ” or « »'),
    Case("An apostrophe in the Uzbek UI strings (a notice)",
         {"data/strings/uz.yaml": strings('"Boʻlim rahbariyati"', '"Bo\'lim rahbariyati"')},
         "data/strings/uz.yaml:11:1: notice: 'Bo'lim' is published as 'Boʻlim': Uzbek writes oʻ, gʻ with ʻ and the tutuq belgisi as ʼ",
         'python build.py check --fix writes the corrections into the files'),
    Case("A paragraph in Cyrillic in the Uzbek file",
         {NEWS: news(GOOD_FRONT, "Matn.\n\nДелегация посетила институт.\n")},
         "content/news/visit.uz.md:7: warning: Cyrillic text in the 'uz' file: readers and search engines are told it is 'uz'",
         'translate it; a quotation in another language keeps its place with a line {lang=ru} right under its paragraph'),
    Case("A title in Cyrillic in the English file", {EN: news('title: "Визит"\n')},
         "content/news/visit.en.md:2: warning: Cyrillic text in the 'en' file: readers and search engines are told it is 'en'",
         'translate it; a quotation in another language keeps its place with a line {lang=ru} right under its paragraph'),
    Case("An Uzbek file copied to .en.md and not translated",
         {NEWS: news(GOOD_FRONT, TEXT), EN: news('title: "Visit"\n', TEXT)},
         "content/news/visit.en.md:4: warning: the text is 100 % the same as content/news/visit.uz.md's: it reads as an untranslated copy, published as 'en'",
         'translate it into English, or delete the file until it is translated'),

    # -- one mistake, one message, where it was made ---------------------------------------------
    Case("A YAML mistake in the Uzbek file, which holds the date the English one shares",
         {NEWS: news('title: "Tashrif"\ndate: 2025-06-12\nsummary: a: b\n'), EN: news('title: "Visit"\n')},
         'content/news/visit.uz.md:4:11: error: YAML syntax error: mapping values are not allowed here',
         'text that contains \': \' must be in double quotes, e.g. title: "Open day: a new date"'),
    Case("A YAML mistake in a data file the pages show",
         edit(PARTNERS, 'city: {uz: "Astana", en: "Astana"}', 'city: {uz: "Astana", en: "Astana"'),
         "data/partners.yaml:5:3: error: YAML syntax error: expected ',' or '}', but got '<scalar>'",
         'a mapping in braces needs commas between items and a closing }'),
    Case("A YAML mistake in the partners file, whose partners news items name and link",
         {**edit(PARTNERS, 'city: {uz: "Astana", en: "Astana"}', 'city: {uz: "Astana", en: "Astana"'),
          NEWS: news(GOOD_FRONT + "partners: [kaznua]\n", "Hamkorimiz: [universitet](../partners/kaznua.md).\n")},
         "data/partners.yaml:5:3: error: YAML syntax error: expected ',' or '}', but got '<scalar>'",
         'a mapping in braces needs commas between items and a closing }'),
    Case("A YAML mistake in the English UI strings",
         {"data/strings/en.yaml": strings('figure_partners: "partner', 'figure_partners:"partner')},
         "data/strings/en.yaml:6:17: error: YAML syntax error: mapping values are not allowed here",
         'text that contains \': \' must be in double quotes, e.g. title: "Open day: a new date"'),
    Case("The English UI strings file deleted",
         {"data/strings/en.yaml": Gone("deleted")},
         "data/strings/en.yaml: error: this UI strings file is missing",
         "copy data/strings/uz.yaml here and translate it"),
    Case("A YAML mistake in the schema",
         edit("data/schema.yaml", "data:\n", "data:\n  bad: [\n"),
         "data/schema.yaml:23:9: error: YAML syntax error: expected ',' or ']', but got ':'",
         'a list in brackets needs commas between items and a closing ]'),
    Case("A misspelt type in the schema, of a field the projects use",
         edit("data/schema.yaml", "role: {type: choice,", "role: {type: choise,"),
         "data/schema.yaml:16: error: the field 'role' has an unknown type (found 'choise')",
         "did you mean 'choice'?"),
    Case("A list of ids in the schema that names no collection, used by a news item",
         {**edit("data/schema.yaml", "      partners: {type: refs, to: partners}\n      projects",
                 "      partners: {type: refs, to: partner}\n      projects"),
          NEWS: news(GOOD_FRONT + "partners: [kaznua]\n")},
         "data/schema.yaml:9: error: the field 'partners' lists ids of something that is no collection, taxonomy "
         "or section of content (found 'partner')",
         "did you mean 'partners'?"),
    Case("A title's closing quote left out, a field without quotes after it",
         {NEWS: news('title: "Tashrif\ndate: 2025-06-12\nsummary: "Qisqa"\n')},
         "content/news/visit.uz.md:2:8: error: YAML syntax error: expected <block end>, but found '<scalar>'",
         'the double quote opened here is not closed on its line, so the text runs on into the next field: '
         'close it with " (a quote inside the text is written \\")'),
    Case("A date written day first in a news item beside its attachment",
         {NEWS: news('title: "Tashrif"\ndate: 12.06.2025\n', "[Ariza](ariza.pdf)\n"),
          "content/news/ariza.pdf": b"%PDF-1.4\n%%EOF\n"},
         "content/news/visit.uz.md:3:1: error: 'date' must be written as YYYY-MM-DD (found '12.06.2025')",
         'write date: 2025-06-12'),
    Case("A mistake in the section page the home page's figure links",
         {"data/site.yaml": BASE_FILES["data/site.yaml"].replace(
             "{label: figure_partners, count: partners}", "{label: figure_partners, count: partners, link: news/_index.md}"),
          "content/news/_index.en.md": "---\ntitle: No\n---\n"},
         "content/news/_index.en.md:2:1: error: 'title' was read as false, not as the text 'No'",
         'YAML reads yes/no/on/off as true/false: write title: "No"'),
    Case("The department's name left out", edit(DEPT, 'name: {uz: "Boʻlim", en: "Department"}\n', ""),
         "data/department.yaml:1: error: the field 'name' is missing in 'department record'",
         'add name: ... (text per language: {uz: ..., en: ...})'),
    Case("A link from a news item written as if from the content folder",
         {PROJECT: project("start: 2020\n"), NEWS: news(GOOD_FRONT, "[UzDOC](projects/uzdoc.md)\n")},
         "content/news/visit.uz.md:5:9: error: the link 'projects/uzdoc.md' points at no document",
         "did you mean '../projects/uzdoc.md'?"),
    Case("A link by the file name alone",
         {PROJECT: project("start: 2020\n"), NEWS: news(GOOD_FRONT, "[UzDOC](uzdoc.md)\n")},
         "content/news/visit.uz.md:5:9: error: the link 'uzdoc.md' points at no document",
         "did you mean '../projects/uzdoc.md'?"),
    Case("A link to a heading written with a capital letter",
         {NEWS: news(GOOD_FRONT, "## Reja\n\n[Reja](#Reja)\n")},
         "content/news/visit.uz.md:7:8: error: the link '#Reja' names no heading or anchor on this page",
         "did you mean '#reja'?"),
    Case("A menu entry without .md",
         {"data/site.yaml": BASE_FILES["data/site.yaml"].replace("  - news/_index.md", "  - news/_index")},
         "data/site.yaml:18: error: a menu entry is a content file without its language, such as about.md (found 'news/_index')",
         "did you mean 'news/_index.md'?"),

    # -- Markdown that would not show as written ---------------------------------------------------
    Case("An HTML comment that is never closed (a warning)",
         {NEWS: news(GOOD_FRONT, "Matn.\n\n<!-- TODO: rasm qoʻshish\n\nYana matn.\n")},
         'content/news/visit.uz.md:7: warning: this HTML comment is never closed, so everything after it is hidden from the page',
         'close it with -->'),
    Case("A table row with more cells than its header (a warning)",
         {NEWS: news(GOOD_FRONT, "| A | B |\n|---|---|\n| 1 | 2 | 3 |\n")},
         'content/news/visit.uz.md:7: warning: this table row has 3 cells but the table has 2 columns; the cells after the last column are not shown',
         'add a column to the header row and the line under it, or join the cells'),
    Case("A heading written inside the front matter (a warning)",
         {NEWS: news(GOOD_FRONT + "# Tashrif haqida\n")},
         "content/news/visit.uz.md:4:1: warning: '# Tashrif haqida' is inside the front matter, where it is a YAML comment and is not shown",
         'if it is a heading of the text, move it below the closing ---'),
    Case("Bold text in a summary (a warning)", {NEWS: news(GOOD_FRONT + 'summary: "**Muhim** tashrif"\n')},
         "content/news/visit.uz.md:4:1: warning: 'summary' holds Markdown, which lists, feeds and search engines show as plain text",
         'write it as plain text: summary: "Muhim tashrif"'),
    Case("A code block that is never closed (a warning)",
         {NEWS: news(GOOD_FRONT, "Matn.\n\n```\nkod\n")},
         'content/news/visit.uz.md:7: warning: this code block is never closed, so it runs to the end of the document',
         'end it with ``` on a line of its own'),

    # -- file names the site would not read ---------------------------------------------------------
    Case("A Markdown file ending in .markdown", {"content/news/visit.uz.markdown": news(GOOD_FRONT)},
         'content/news/visit.uz.markdown: error: the site reads only Markdown files whose names end in .md',
         'rename the file to visit.uz.md'),
    Case("A Markdown file ending in .MD", {"content/news/visit.uz.MD": news(GOOD_FRONT)},
         'content/news/visit.uz.MD: error: the site reads only Markdown files whose names end in .md',
         'rename the file to visit.uz.md'),
    Case("A Markdown file saved as .md.txt", {"content/news/visit.uz.md.txt": news(GOOD_FRONT)},
         'content/news/visit.uz.md.txt: error: the site reads only Markdown files whose names end in .md',
         'rename the file to visit.uz.md'),
    Case("A language code in capitals in a file name", {"content/news/visit.UZ.md": news(GOOD_FRONT)},
         "content/news/visit.UZ.md: error: the language 'UZ' must be written in small letters",
         'rename the file to visit.uz.md'),
    Case("A symbolic link in content/", {NEWS: news(GOOD_FRONT), "content/news/copy.uz.md": Link("visit.uz.md")},
         'content/news/copy.uz.md: error: this is a symbolic link; content/ takes only real files and folders',
         'copy the file here instead, or link to the other page with [text](its-path.md)'),

    # -- the home page's configuration ------------------------------------------------------------
    Case("A home page figure that counts a misspelt collection",
         edit("data/site.yaml", "count: partners}", "count: partner}"),
         "data/site.yaml:24: error: the home page names 'partner', which is no collection or section",
         "did you mean 'partners'?"),
    Case("A home page list of upcoming items from a section without dates",
         edit("data/site.yaml", "{section: news, show: latest", "{section: news, show: upcoming"),
         "data/site.yaml:28: error: 'news' has no timeline, so nothing in it is upcoming",
         'show: latest lists its newest items; a timeline is declared in data/schema.yaml'),
    Case("A home page heading whose UI string does not exist",
         edit("data/site.yaml", "title: latest_news", "title: latest_newz"),
         "data/site.yaml:28: error: the home page shows the UI string 'latest_newz', which data/strings/uz.yaml does not have",
         "did you mean 'latest_news'?"),

    # -- renamed pages and their earlier addresses ----------------------------------------------------
    Case("An alias that is the address of another page",
         {NEWS: news(GOOD_FRONT + "aliases: [/uz/news/]\n")},
         "content/news/visit.uz.md:4:11: error: the alias '/uz/news/' is the address of content/news/_index.uz.md",
         'an alias is an address that no page has any more; remove it, or rename that page first'),
    Case("The same alias in two files",
         {NEWS: news(GOOD_FRONT + "aliases: [/uz/news/old/]\n"),
          "content/news/other.uz.md": news('title: "Boshqa"\ndate: 2025-06-13\naliases: [/uz/news/old/]\n')},
         "content/news/visit.uz.md:4:11: error: the alias '/uz/news/old/' is also an alias of content/news/other.uz.md",
         'an earlier address can lead to one page only: keep it in one file'),
    Case("An alias that is another website's address",
         {NEWS: news(GOOD_FRONT + 'aliases: ["https://other.example/x/"]\n')},
         "content/news/visit.uz.md:4:11: error: the alias 'https://other.example/x/' is not an address of this site",
         'write the earlier address as a path, e.g. /uz/news/old-name/'),
    Case("A published page renamed without an alias (a warning)",
         {"data/published.txt": "/uz/news/visit-old/\n", NEWS: news(GOOD_FRONT)},
         'data/published.txt:1: warning: the published address /uz/news/visit-old/ is gone: readers and search engines following it get 404',
         'if /uz/news/visit/ replaced it, add aliases: [/uz/news/visit-old/] to content/news/visit.uz.md; if it is gone on purpose, delete this line'),
]


def apply(case: Case, site: SiteDir) -> None:
    for rel, content in case.files.items():
        path = site.root / rel
        if content is None:  # special: drop one UI string (the site's own) from the file
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            path.write_text("".join(line for line in lines if not line.startswith("latest_news:")), encoding="utf-8")
        elif isinstance(content, Gone):
            path.unlink()
        elif isinstance(content, Link):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(str(content))
        elif callable(content):  # a change in a file the tiny site has
            path.write_text(content(path.read_text(encoding="utf-8")), encoding="utf-8")
        elif isinstance(content, bytes):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        else:
            site.write(rel, content)


def tiny_site(folder: Path) -> SiteDir:
    site = SiteDir(folder)
    for rel, text in BASE_FILES.items():
        site.write(rel, text)
    return site


def first_message(case: Case, result) -> str:
    """The message the editor sees first at the case's place, as printed."""
    hits = [d for d in result.diagnostics.sorted() if d.path == case.path and d.line == case.line]
    return hits[0].format() if hits else ""


def table() -> str:
    rows = ["| mistake | what you see |", "|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(CASES):
            site = tiny_site(Path(tmp) / f"case{i}")
            apply(case, site)
            result = site.build(write=False, strict=case.strict, now=NOW)
            shown = first_message(case, result).replace("\n    hint: ", " — hint: ").replace("|", "\\|")
            rows.append(f"| {case.mistake} | `{shown}` |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    text = table()
    if "--docs" in sys.argv:
        DOCS.write_text(HEAD + text, encoding="utf-8")
        print("Wrote docs/mistakes.md")
    else:
        print(text, end="")
