#!/usr/bin/env python3
"""A synthetic bilingual corpus for build benchmarks: the real site with many news items.

Run it from the repository root:

    .venv/bin/python bench/corpus.py /tmp/corpus                      # 500 news items per language
    .venv/bin/python bench/corpus.py /tmp/corpus --per-language 5000 --seed 7
    .venv/bin/python build.py build --root /tmp/corpus --out /tmp/corpus-site

The folder is a complete project in the site's own format. It gets copies of the
repository's templates/, static/ and data/ (schema, strings, partners, tags ...) and of
content/ without the news items (content/news/_index.*.md are kept), then N generated
news items per language: content/news/<slug>.uz.md holds the shared fields (date, tags,
partners, projects) and content/news/<slug>.en.md only what is translated (title,
summary and `translation_of`, set to the Uzbek original's current version as
`check --fix-translations` would write it, so `check` reports every translation as
tracked and none as stale).

Each body is 400-900 words of Markdown: headings, paragraphs with emphasis, bulleted and
numbered lists, a table, and links written the way editors write them (README, "Link to
another page"): to other news items (`other.md`, `@/news/other.md`, `other.en.md`), to
partners (`../partners/<id>.md`), projects (`../projects/<name>.md`) and section pages,
plus a few external links. Uzbek text uses Uzbek words with the proper letters oʻ gʻ
(U+02BB) and the tutuq belgisi ʼ (U+02BC). The text is nonsense made from word lists,
good for timing only. No images are generated.

As in editors' posts, one news item in four (CODE_EVERY) has a fenced code block of
5-25 lines, the same in both languages: ```python, ```yaml or ```sh with plausible code
(functions over the data files, partner records, git and build commands), or a plain
``` fence holding a build log. About a third of them stand inside an item of a bulleted
or numbered list, indented to the item's text (two or three spaces). About one item in
five has a bullet list nested by two spaces (NESTED_LIST) and about one in seven a task
list (`- [ ] ...`, `- [x] ...`; TASK_LIST). The code holds no link, image, HTML or
emphasis markup, so a Markdown reader that does not know fences shows it as text and
finds nothing to check or remove. Code words count towards a body's length, which stays
as long as without these blocks on average (about 640 words, 6.1 kB).

For a before/after comparison (bench/build_speed.py --against), generate(...,
valid_in=[other]) writes news items that refer only to partners, tags, projects and
section pages both projects have, and transplant() puts the same item files around the
other project's site.

The same --seed and --per-language give byte-identical files (random.Random(seed)).
An existing DEST is refused unless --force is given, which replaces it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.translations import fingerprint  # noqa: E402

FIRST_YEAR, LAST_YEAR = 2012, 2025

UZ_WORDS = """
oʻquv taʼlim sanʼat boʻlim hamkorlik universitet madaniyat xalqaro loyiha talabalar oʻqituvchilar
tadqiqot konferensiya memorandum tashrif dastur yoʻnalish rivojlantirish maʼlumot qoʻshma mahorat
darslari musiqa teatr kino tasviriy festival ilmiy akademik almashinuv doktorantura grant institut
rektor professor uchrashuv muhokama imzolandi tashkil etildi boʻyicha doirasida oʻrtasida bilan
hamda uchun yangi keng muhim ahamiyat kasb etmoqda soʻnggi yil mamlakat ikki tomon sheriklik
mintaqa anʼanaviy zamonaviy ijodiy sanoat meros gʻoya taʼkidlandi moʻljallangan koʻrsatadi boʻldi
qoʻshimcha mutaxassis tajriba seminar trening oliygoh fakultet kafedra magistratura bakalavriat
taʼlimiy sohasida maqsad natija jarayon imkoniyat taklif qatnashdi ishtirok etdi ochildi
yakunlandi oʻtkazildi belgilandi kelishildi qabul qilindi tanishdi oʻrgandi bagʻishlangan
vakillari delegatsiya elchixona vazirlik hukumat jamoa ansambl orkestr spektakl koʻrgazma
kutubxona arxiv qoʻlyozma raqamli platforma sifat baholash akkreditatsiya malaka oshirish
stipendiya mobillik semestr oʻquv-uslubiy darslik ilmiy-amaliy maqola jurnal toʻplam nashr
davomida orqali hamkorligida tashabbusi bilan natijasida asosida munosabati bilan yuzasidan
yosh iqtidorli ijodkorlar sanʼatkorlar rejissyor aktyor bastakor rassom dizayner xoreograf
milliy xalq ogʻzaki anʼanalar qadriyatlar ruhiyat yuksak saviya tobora jadal barqaror uzoq
muddatli sheriklar tomonlar shartnoma kelishuv bayonnoma hujjat muddati yil oy hafta kun
""".split()

UZ_NAMES = """Toshkent Samarqand Buxoro Xiva Namangan Fargʻona Qozogʻiston Oʻzbekiston Ozarbayjon
Rossiya Koreya Latviya Belarus Tojikiston Yevropa Osiyo Erasmus+ YUNESKO""".split()

EN_WORDS = """
education art department cooperation university culture international project students teachers
research conference memorandum visit programme direction development information joint master
classes music theatre cinema fine festival scientific academic exchange doctoral grant institute
rector professor meeting discussion signed organised within between with and for new broad
important role recent year country two sides partnership region traditional contemporary creative
industry heritage idea noted designed shows became additional specialist experience seminar
training faculty chair master's bachelor's field aim result process opportunity proposal took
part opened concluded held agreed adopted studied dedicated representatives delegation embassy
ministry government team ensemble orchestra performance exhibition library archive manuscript
digital platform quality assessment accreditation qualification scholarship mobility semester
textbook article journal collection publication during through together initiative based on
occasion young talented artists director actor composer painter designer choreographer national
folk oral traditions values high level steadily sustainable long term partners agreement protocol
document period month week day staff curriculum workshop lecture residency concert premiere
""".split()

EN_NAMES = """Tashkent Samarkand Bukhara Khiva Namangan Fergana Kazakhstan Uzbekistan Azerbaijan
Russia Korea Latvia Belarus Tajikistan Europe Asia Erasmus+ UNESCO""".split()

TEXT = {
    "uz": {
        "words": UZ_WORDS, "names": UZ_NAMES,
        "headings": ["Tashrif dasturi", "Muhokama qilingan masalalar", "Hamkorlik yoʻnalishlari",
                     "Kelgusi rejalar", "Loyiha natijalari", "Talabalar uchun imkoniyatlar",
                     "Qoʻshma tadbirlar", "Ilmiy hamkorlik", "Madaniy meros", "Xulosa"],
        "table_head": ["Yil", "Tadbir", "Ishtirokchilar", "Natija"],
        "link_news": ["avvalgi xabarimizda", "shu mavzudagi maqolada", "oʻtgan yilgi tashrif haqida",
                      "bu loyiha haqidagi yangilikda", "batafsil maʼlumotda"],
        "partners_page": "Hamkorlar", "projects_page": "Xalqaro loyihalar", "news_page": "Yangiliklar",
        "about_page": "Boʻlim haqida", "other_lang": "inglizcha matni",
        "see": "Batafsil: ", "also": "Shuningdek, ", "project_intro": "Loyiha: ",
    },
    "en": {
        "words": EN_WORDS, "names": EN_NAMES,
        "headings": ["The programme of the visit", "What was discussed", "Areas of cooperation",
                     "Plans for the coming year", "Results of the project", "Opportunities for students",
                     "Joint events", "Research cooperation", "Cultural heritage", "Conclusion"],
        "table_head": ["Year", "Event", "Participants", "Result"],
        "link_news": ["our earlier report", "an article on the same subject", "last year's visit",
                      "the news about this project", "more details"],
        "partners_page": "Partners", "projects_page": "International projects", "news_page": "News",
        "about_page": "About the department", "other_lang": "Uzbek version",
        "see": "More: ", "also": "See also ", "project_intro": "Project: ",
    },
}
OTHER = {"uz": "en", "en": "uz"}
WORD = re.compile(r"[^\W\d_][\w'ʻʼ+-]*")
LINK_TARGET = re.compile(r"\]\([^)]*\)")

# Fenced code blocks: one news item in CODE_EVERY has one, in both languages (code is
# not translated). The info string after the opening fence; "" is a plain ``` fence.
CODE_EVERY = 4
CODE_KINDS = ("python", "yaml", "sh", "")
CODE_LINES = (5, 25)
CODE_IN_LIST = 0.35  # share of the blocks written inside a list item, indented to its text
NESTED_LIST = 0.2  # share of the news items with a two-space-nested bullet list
TASK_LIST = 0.15  # ... with a task list (- [ ] and - [x])
# Words for the code: no characters that Markdown or the link checker would read in
# a parser that does not know fences (no < > * | ` [ ] ( ) after ], no __, no ---).
CODE_NOUNS = ("visits", "partners", "students", "events", "grants", "projects", "agreements", "exchanges",
              "delegations", "concerts", "lectures", "scholarships")
CODE_FIELDS = ("year", "country", "faculty", "status", "semester", "city", "partner", "language")
SHELL_LINES = (
    ".venv/bin/python build.py check",
    ".venv/bin/python build.py build --out site",
    ".venv/bin/python build.py serve",
    "git pull --rebase",
    "git push origin main",
    "git status --short",
    "ls content/news",
    "du -sh site",
    "python -m http.server 8000 --directory site",
    "rsync -av --delete site/ deploy@example.org:/var/www/ir/",
)
LOG_LEVELS = ("INFO", "INFO", "INFO", "WARN", "DEBUG")
CODE_VALUES = {
    "country": ("UZ", "KZ", "RU", "KR", "LV", "BY", "TJ", "AZ"),
    "faculty": ("music", "theatre", "cinema", "fine-arts", "design", "choreography"),
    "status": ("signed", "active", "planned", "completed"),
    "semester": ("autumn", "spring"),
    "city": ("Tashkent", "Samarkand", "Bukhara", "Almaty", "Riga", "Minsk", "Seoul", "Baku"),
    "language": ("uz", "en", "ru"),
}


@dataclass(frozen=True)
class Corpus:
    root: Path
    per_language: int
    news_keys: tuple[str, ...]  # slugs of the generated news items
    seconds: float

    @property
    def news_files(self) -> int:
        return 2 * self.per_language


@dataclass(frozen=True)
class CodeBlock:
    """A news item's fenced block, written the same way in both of its languages."""

    kind: str  # the info string: python, yaml, sh, or "" for a plain fence
    lines: tuple[str, ...]
    in_list: bool  # inside an item of a list, indented to the item's text
    numbered: bool
    items: int  # items of that list
    at: int  # the item (1-based) holding the block


# Section pages the news items link to: (link as written in content/news/, label, document)
SECTION_PAGES = (("../partners/_index.md", "partners_page", "partners/_index"),
                 ("@/projects/_index.md", "projects_page", "projects/_index"),
                 ("_index.md", "news_page", "news/_index"), ("@/about.md", "about_page", "about"))
DATED_SECTIONS = ("news", "events", "calls")  # the shipped events and calls link to shipped news


def _ignore_news_items(folder: str, names: list[str]) -> list[str]:
    """copytree filter: inside content/news/ (and events/, calls/, whose items link
    to the shipped news) keep only the section's _index files."""
    if Path(folder).name not in DATED_SECTIONS or Path(folder).parent.name != "content":
        return []
    return [name for name in names if not name.startswith("_index.")]


def copy_project(dest: Path, source: Path = ROOT) -> None:
    """templates/, static/, data/ and content/ without news, events and calls, from `source` into `dest`."""
    for name in ("templates", "static", "data"):
        shutil.copytree(source / name, dest / name)
    # the addresses `source` has published are not this corpus's: without the list none is missed
    (dest / "data/published.txt").unlink(missing_ok=True)
    shutil.copytree(source / "content", dest / "content", ignore=_ignore_news_items)


class Writer:
    """Text generator for one corpus; every random choice comes from one seeded Random."""

    def __init__(self, rng: random.Random, partners: list[str], partner_sites: list[str], projects: list[str],
                 pages: list[tuple[str, str]] | None = None):
        self.rng = rng
        self.partners = partners
        self.partner_sites = partner_sites
        self.projects = projects
        self.pages = [(link, label) for link, label, _ in SECTION_PAGES] if pages is None else pages

    # -- words and sentences -------------------------------------------------

    def words(self, lang: str, low: int, high: int) -> list[str]:
        text = TEXT[lang]
        out = []
        for _ in range(self.rng.randint(low, high)):
            pool = text["names"] if self.rng.random() < 0.08 else text["words"]
            out.append(self.rng.choice(pool))
        return out

    def sentence(self, lang: str, low: int = 7, high: int = 17, plain: bool = False) -> str:
        """A sentence of the body; `plain`: without emphasis (a summary, shown as plain text)."""
        words = self.words(lang, low, high)
        words[0] = words[0][0].upper() + words[0][1:]
        if len(words) > 6 and self.rng.random() < 0.4:
            words[self.rng.randint(2, len(words) - 3)] += ","
        marks = () if plain else (("**", 0.15), ("*", 0.1))
        for mark, chance in marks:
            if self.rng.random() < chance:
                i = self.rng.randrange(len(words))
                words[i] = f"{mark}{words[i].rstrip(',')}{mark}" + ("," if words[i].endswith(",") else "")
                break
        return " ".join(words) + "."

    def title(self, lang: str) -> str:
        words = self.words(lang, 5, 9)
        text = " ".join(words)
        return text[0].upper() + text[1:]

    # -- Markdown blocks ---------------------------------------------------------

    def link(self, lang: str, others: list[str]) -> str:
        """A link as an editor writes it, to another news item, a partner, a project or a section."""
        text = TEXT[lang]
        roll = self.rng.random()
        if roll < 0.45:
            other = self.rng.choice(others)
            form = self.rng.random()
            target = (f"@/news/{other}.md" if form < 0.2 else
                      f"{other}.{OTHER[lang]}.md" if form < 0.3 else f"{other}.md")
            label = text["other_lang"] if 0.2 <= form < 0.3 else self.rng.choice(text["link_news"])
            return f"[{label}]({target})"
        if roll < 0.7:
            pid = self.rng.choice(self.partners)
            return f"[{' '.join(self.words(lang, 2, 4))}](../partners/{pid}.md)"
        if roll < 0.85:
            project = self.rng.choice(self.projects)
            target = f"@/projects/{project}.md" if self.rng.random() < 0.5 else f"../projects/{project}.md"
            return f"[{text['project_intro']}{' '.join(self.words(lang, 1, 3))}]({target})"
        if roll < 0.95:
            page = self.rng.choice(self.pages)
            return f"[{text[page[1]]}]({page[0]})"
        return f"[{' '.join(self.words(lang, 1, 3))}]({self.rng.choice(self.partner_sites)})"

    def paragraph(self, lang: str, others: list[str]) -> str:
        sentences = [self.sentence(lang) for _ in range(self.rng.randint(3, 6))]
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            i = self.rng.randrange(len(sentences))
            sentences[i] = sentences[i][:-1] + f" ({self.link(lang, others)})."
        return " ".join(sentences)

    def bullets(self, lang: str, others: list[str]) -> str:
        numbered = self.rng.random() < 0.3
        items = []
        for n in range(1, self.rng.randint(3, 6) + 1):
            item = " ".join(self.words(lang, 4, 10))
            if self.rng.random() < 0.2:
                item += " — " + self.link(lang, others)
            items.append(f"{n}. {item};" if numbered else f"- {item};")
        items[-1] = items[-1][:-1] + "."
        return "\n".join(items)

    def table(self, lang: str) -> str:
        head = TEXT[lang]["table_head"]
        rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for _ in range(self.rng.randint(3, 6)):
            year = self.rng.randint(FIRST_YEAR, LAST_YEAR)
            rows.append(f"| {year} | {' '.join(self.words(lang, 2, 5))} | {self.rng.randint(5, 400)} | "
                        f"{' '.join(self.words(lang, 1, 4))} |")
        return "\n".join(rows)

    def body(self, lang: str, others: list[str], extras: Sequence[str] = ()) -> str:
        """Markdown of 400-900 words (words of the text and of code, link labels and table cells;
        not link targets). `extras` (code, nested and task lists) count towards the words and are
        put between the other blocks, never right before a list or a table."""
        target = self.rng.randint(400, 820)  # blocks add up to ~80 words past the target
        headings = self.rng.sample(TEXT[lang]["headings"], k=len(TEXT[lang]["headings"]))
        blocks = [self.paragraph(lang, others)]
        count = _word_count(blocks[0]) + sum(_word_count(extra) for extra in extras)
        has_table = has_list = False
        while count < target:
            roll = self.rng.random()
            if headings and roll < 0.25:
                level = "##" if self.rng.random() < 0.75 else "###"
                block = f"{level} {headings.pop()}"
            elif not has_list or roll < 0.35:
                block, has_list = self.bullets(lang, others), True
            elif not has_table and count > target / 3:
                block, has_table = self.table(lang), True
            else:
                block = self.paragraph(lang, others)
            blocks.append(block)
            count += _word_count(block)
        if not has_table:
            blocks.insert(len(blocks) // 2, self.table(lang))
        for extra in extras:
            # not right before a list (it would continue the extra's list) or a table
            places = [i for i in range(1, len(blocks) + 1)
                      if i == len(blocks) or not blocks[i].startswith(("- ", "1. ", "|"))]
            blocks.insert(self.rng.choice(places), extra)
        return "\n\n".join(blocks) + "\n"

    # -- code blocks, nested lists and task lists -----------------------------------

    def lead(self, lang: str) -> str:
        """The sentence before a code block or a list, ending with a colon."""
        return self.sentence(lang, 6, 14)[:-1] + ":"

    def plain(self, low: int, high: int) -> str:
        """English words without Markdown emphasis, for comments and strings in code."""
        text = " ".join(self.words("en", low, high))
        return text[0].upper() + text[1:]

    def code_block(self, key: str) -> CodeBlock:
        """A fenced block of 5-25 lines of plausible code (or a build log, in a plain fence)."""
        rng = self.rng
        kind = rng.choice(CODE_KINDS)
        lines = CodeWriter(self, key, kind).lines(rng.randint(*CODE_LINES))
        in_list = rng.random() < CODE_IN_LIST
        items = rng.randint(2, 4)
        return CodeBlock(kind, tuple(lines), in_list, rng.random() < 0.5, items, rng.randint(1, items))

    def code(self, lang: str, block: CodeBlock) -> str:
        """The block in a news item: after a sentence, or in an item of a list after it."""
        fence = ["```" + block.kind, *block.lines, "```"]
        if not block.in_list:
            return self.lead(lang) + "\n\n" + "\n".join(fence)
        items = []
        for n in range(1, block.items + 1):
            marker = f"{n}. " if block.numbered else "- "
            text = " ".join(self.words(lang, 4, 10))
            if n == block.at:
                indent = " " * len(marker)
                items.append(f"{marker}{text}:\n\n" + "\n".join(indent + line if line else "" for line in fence))
            else:
                items.append(f"{marker}{text}" + ("." if n == block.items else ";"))
        return self.lead(lang) + "\n\n" + "\n\n".join(items)

    def nested_list(self, lang: str) -> str:
        """A bullet list with items nested by two spaces (now and then a third level)."""
        rng = self.rng
        lines = []
        for n in range(rng.randint(2, 4)):
            lines.append("- " + " ".join(self.words(lang, 3, 8)))
            for _ in range(rng.choice((1, 2, 2, 3) if n == 0 else (0, 1, 2, 2, 3))):
                lines.append("  - " + " ".join(self.words(lang, 2, 7)))
                if rng.random() < 0.15:
                    lines.append("    - " + " ".join(self.words(lang, 2, 5)))
        return self.lead(lang) + "\n\n" + "\n".join(lines)

    def task_list(self, lang: str) -> str:
        """A task list: - [x] done, - [ ] to do."""
        lines = [f"- [{'x' if self.rng.random() < 0.5 else ' '}] " + " ".join(self.words(lang, 3, 9))
                 for _ in range(self.rng.randint(3, 6))]
        return self.lead(lang) + "\n\n" + "\n".join(lines)


class CodeWriter:
    """The lines of one fenced block, in one language (python, yaml, sh, or a build log
    for a plain fence); every choice comes from the Writer's Random."""

    def __init__(self, writer: Writer, key: str, kind: str):
        rng = self.rng = writer.rng
        self.writer, self.key, self.kind = writer, key, kind
        self.partners = rng.sample(writer.partners, k=len(writer.partners))  # taken in turn
        self.shell = rng.sample(SHELL_LINES, k=len(SHELL_LINES))  # taken in turn
        self.records = rng.random() < 0.5  # YAML: a list of records, or a mapping
        self.clock = dt.datetime(rng.randint(FIRST_YEAR, LAST_YEAR), rng.randint(1, 12), rng.randint(1, 28),
                                 rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))
        self.imports: set[str] = set()  # what the Python lines use

    def lines(self, target: int) -> list[str]:
        """About `target` lines (more by an import or two for Python), at most CODE_LINES[1]."""
        unit, line = {"python": (self._python, self._python_line), "yaml": (self._yaml, self._yaml_line),
                      "sh": (self._shell, self._shell_line), "": (self._log, self._log_line)}[self.kind]
        high = CODE_LINES[1]
        lines: list[str] = []
        while len(lines) < target:
            more = unit(bool(lines))
            lines.extend(more if len(lines) + len(more) <= high else [line()])
        imports = sorted(self.imports, key=lambda i: (i.startswith("from"), i))
        if imports and len(lines) + len(imports) + 1 <= high:
            lines = imports + ([""] if lines[0] else []) + lines
        return lines

    def _partner(self) -> str:
        self.partners.append(self.partners.pop(0))
        return self.partners[-1]

    def _value(self, field: str) -> str:
        if field == "year":
            return str(self.rng.randint(FIRST_YEAR, LAST_YEAR))
        if field == "partner":
            return self._partner()
        return self.rng.choice(CODE_VALUES[field])

    def _comment(self) -> str:
        return "# " + self.writer.plain(3, 8)

    # each unit: a few lines; `after`: lines come before it
    def _python(self, after: bool) -> list[str]:
        rng = self.rng
        noun, field = rng.choice(CODE_NOUNS), rng.choice(CODE_FIELDS)
        gap = [""] if after else []
        roll = rng.random()
        if roll < 0.2:
            return gap + [f"def count_{noun}(records, {field}):",
                          f'    """{self.writer.plain(4, 9)}."""',
                          "    total = 0",
                          "    for record in records:",
                          f'        if record.get("{field}") == {field}:',
                          "            total += 1",
                          "    return total"]
        if roll < 0.32:
            self.imports.add("from collections import Counter")
            return gap + [f"def {noun}_by_{field}({noun}):",
                          "    counts = Counter()",
                          f"    for item in {noun}:",
                          f'        counts[item["{field}"]] += 1',
                          "    return counts"]
        if roll < 0.47:
            self.imports.add("import yaml")
            return [f'with open("data/{noun}.yaml", encoding="utf-8") as source:',
                    f"    {noun} = yaml.safe_load(source)"]
        if roll < 0.55:
            self.imports.add("import json")
            return [f'with open("site/{noun}.json", "w", encoding="utf-8") as target:',
                    f"    json.dump({noun}, target, ensure_ascii=False, indent=2)"]
        if roll < 0.63:
            self.imports.add("from pathlib import Path")
            return ['for path in sorted(Path("content/news").iterdir()):',
                    '    if path.name.endswith(".uz.md"):',
                    "        print(path.stem)"]
        if roll < 0.75:
            first = rng.randint(FIRST_YEAR, LAST_YEAR - 3)
            return [f"for year in range({first}, {first + rng.randint(2, 6)}):",
                    f"    print(year, count_{noun}({noun}, year))"]
        if roll < 0.85:
            return [f"{noun}_summary = {{",
                    f'    "uz": "{" ".join(self.writer.words("uz", 3, 7))}",',
                    f'    "en": "{" ".join(self.writer.words("en", 3, 7))}",',
                    "}"]
        return [self._python_line()]

    def _python_line(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return self._comment()
        if roll < 0.6:
            field = rng.choice(CODE_FIELDS)
            return f'{field} = "{self._value(field)}"'
        if roll < 0.8:
            return f"print(len({rng.choice(CODE_NOUNS)}))"
        if roll < 0.9:
            self.imports.add("from datetime import date")
            return "today = date.today().isoformat()"
        return f'slug = "{self.key}"'

    def _yaml(self, after: bool) -> list[str]:
        rng = self.rng
        if rng.random() < 0.12:
            return [self._comment()]
        if self.records:
            record = [f"- id: {self._partner()}", f"  since: {self._value('year')}"]
            for field in rng.sample(CODE_FIELDS[1:], k=rng.randint(0, 2)):
                record.append(f"  {field}: {self._value(field)}")
            if rng.random() < 0.5:
                record.append(f"  programmes: [{', '.join(rng.sample(CODE_NOUNS, k=rng.randint(1, 3)))}]")
            return record
        roll = rng.random()
        if roll < 0.4:
            return [f"{rng.choice(CODE_NOUNS)}:",
                    f'  uz: "{" ".join(self.writer.words("uz", 2, 6))}"',
                    f'  en: "{" ".join(self.writer.words("en", 2, 6))}"']
        if roll < 0.7:
            return [f"{rng.choice(CODE_NOUNS)}:"] + [f"  - {self._partner()}" for _ in range(rng.randint(1, 4))]
        return [self._yaml_line()]

    def _yaml_line(self) -> str:
        rng = self.rng
        if self.records:
            return self._comment()
        roll = rng.random()
        if roll < 0.35:
            field = rng.choice(CODE_FIELDS)
            return f"{field}: {self._value(field)}"
        if roll < 0.55:
            return f"date: {self._value('year')}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if roll < 0.75:
            return f'title: "{self.writer.plain(3, 7)}"'
        if roll < 0.88:
            return f"draft: {rng.choice(('true', 'false'))}"
        return f"slug: {self.key}"

    def _shell(self, after: bool) -> list[str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.25:
            return [self._comment(), self._shell_line()]
        if roll < 0.4:
            return [f"git add content/news/{self.key}.uz.md content/news/{self.key}.en.md",
                    f'git commit -m "News: {self.writer.plain(3, 7)}"']
        if roll < 0.5:
            return ["for lang in uz en; do", f"  wc -w content/news/{self.key}.$lang.md", "done"]
        if roll < 0.6:
            return [f'grep -rl "{rng.choice(EN_NAMES)}" content/news']
        if roll < 0.67:
            return [f"export SOURCE_DATE_EPOCH={rng.randint(1_500_000_000, 1_750_000_000)}"]
        return [self._shell_line()]

    def _shell_line(self) -> str:
        self.shell.append(self.shell.pop(0))
        return self.shell[-1]

    def _log(self, after: bool) -> list[str]:
        if not after and self.rng.random() < 0.6:
            return ["$ " + self._shell_line()]
        return [self._log_line()]

    def _log_line(self) -> str:
        self.clock += dt.timedelta(seconds=self.rng.randint(0, 90))
        return f"{self.clock:%Y-%m-%d %H:%M:%S} {self.rng.choice(LOG_LEVELS):<5} {self.writer.plain(3, 9)}"


def _word_count(markdown: str) -> int:
    return len(WORD.findall(LINK_TARGET.sub("]", markdown)))


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _flow(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def _prepare(dest: Path, force: bool) -> Path:
    dest = Path(dest)
    if dest.exists():
        if not force:
            raise FileExistsError(f"{dest} exists; choose a new folder, or replace it (--force)")
        shutil.rmtree(dest)
    return dest


def _vocabulary(source: Path) -> tuple[list[dict], list[str], list[str], set[str]]:
    """What news items refer to in the project `source`: partner records, tags, projects,
    and the section pages of SECTION_PAGES that exist."""
    partners = yaml.safe_load((source / "data/partners.yaml").read_text(encoding="utf-8"))
    tags = list(yaml.safe_load((source / "data/tags.yaml").read_text(encoding="utf-8")))
    projects = sorted(p.name[: -len(".uz.md")] for p in (source / "content/projects").glob("*.uz.md")
                      if not p.name.startswith("_index."))
    pages = {doc for _, _, doc in SECTION_PAGES if any((source / "content").glob(f"{doc}.*.md"))}
    return partners, tags, projects, pages


def generate(dest: Path, per_language: int, seed: int = 1, source: Path = ROOT, force: bool = False,
             valid_in: Sequence[Path] = ()) -> Corpus:
    """Write the corpus into `dest` (which must not exist, unless `force`).

    `valid_in`: other projects (repository checkouts) the news items must be valid in as
    well, to put the same items around them with transplant(): the items then refer only
    to the partners, tags, projects and section pages that `source` and each of them have."""
    started = time.perf_counter()
    if per_language < 2:
        raise ValueError("per_language must be at least 2 (news items link to each other)")
    dest = _prepare(dest, force)
    copy_project(dest, source)

    partners_data, tags, projects, pages = _vocabulary(source)
    for other in valid_in:
        other_partners, other_tags, other_projects, other_pages = _vocabulary(Path(other))
        ids = {p["id"] for p in other_partners}
        partners_data = [p for p in partners_data if p["id"] in ids]
        tags = [t for t in tags if t in other_tags]
        projects = [p for p in projects if p in other_projects]
        pages &= other_pages
    if not (partners_data and tags and projects):
        raise ValueError("no partner, tag or project that every project given has in common")
    partners = [p["id"] for p in partners_data]
    partner_sites = sorted({p["website"] for p in partners_data if p.get("website")})
    rng = random.Random(seed)
    writer = Writer(rng, partners, partner_sites, projects,
                    [(link, label) for link, label, doc in SECTION_PAGES if doc in pages])

    keys: list[str] = []
    taken: set[str] = set()
    while len(keys) < per_language:
        words = [w for w in rng.sample(EN_WORDS, 4) if w.isascii() and w.isalpha()][:3]
        slug = "-".join(words + [str(rng.randint(1, 99999))])
        if slug not in taken:
            taken.add(slug)
            keys.append(slug)

    first, last = dt.date(FIRST_YEAR, 1, 1).toordinal(), dt.date(LAST_YEAR, 12, 31).toordinal()
    news = dest / "content/news"
    news.mkdir(parents=True, exist_ok=True)
    for i, key in enumerate(keys):
        others = [keys[(i + rng.randint(1, per_language - 1)) % per_language] for _ in range(8)]
        date = dt.date.fromordinal(rng.randint(first, last))
        item_tags = rng.sample(tags, k=min(len(tags), rng.randint(1, 4)))
        item_partners = rng.sample(partners, k=min(len(partners), rng.choice((0, 1, 1, 1, 2, 3))))
        item_projects = rng.sample(projects, k=min(len(projects), rng.choice((0, 0, 1, 1, 2))))
        code = writer.code_block(key) if i % CODE_EVERY == 0 else None
        nested, tasks = rng.random() < NESTED_LIST, rng.random() < TASK_LIST
        texts = {}
        for lang in ("uz", "en"):
            title = writer.title(lang)
            summary = " ".join(writer.sentence(lang, 10, 22, plain=True) for _ in range(rng.randint(1, 2)))
            extras = ([writer.code(lang, code)] if code else []) + \
                ([writer.nested_list(lang)] if nested else []) + ([writer.task_list(lang)] if tasks else [])
            texts[lang] = (title, summary, writer.body(lang, others, extras))

        title, summary, body = texts["uz"]
        front = [f"title: {_quoted(title)}", f"date: {date.isoformat()}", f"summary: {_quoted(summary)}",
                 f"tags: {_flow(item_tags)}", f"partners: {_flow(item_partners)}",
                 f"projects: {_flow(item_projects)}"]
        (news / f"{key}.uz.md").write_text("---\n" + "\n".join(front) + "\n---\n\n" + body, encoding="utf-8")
        original = SimpleNamespace(title=title, summary=summary, source=SimpleNamespace(body="\n" + body))
        title, summary, body = texts["en"]
        front = [f"title: {_quoted(title)}", f"summary: {_quoted(summary)}",
                 f"translation_of: \"uz:{fingerprint(original)}\""]
        (news / f"{key}.en.md").write_text("---\n" + "\n".join(front) + "\n---\n\n" + body, encoding="utf-8")
    return Corpus(dest, per_language, tuple(keys), time.perf_counter() - started)


def transplant(corpus: Corpus, dest: Path, source: Path, force: bool = False) -> Corpus:
    """The news items of `corpus`, byte for byte, around another project: `source`'s
    templates/, static/, data/ and content/ (without its news, events and calls items).
    Generate `corpus` with `valid_in=[source]` so that its items are valid there."""
    started = time.perf_counter()
    dest = _prepare(dest, force)
    copy_project(dest, source)
    news = dest / "content/news"
    news.mkdir(parents=True, exist_ok=True)
    for key in corpus.news_keys:
        for lang in ("uz", "en"):
            shutil.copyfile(corpus.root / "content/news" / f"{key}.{lang}.md", news / f"{key}.{lang}.md")
    return Corpus(dest, corpus.per_language, corpus.news_keys, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="the folder to write (must not exist, unless --force)")
    parser.add_argument("--per-language", type=int, default=500, metavar="N",
                        help="news items per language (default 500, i.e. 1000 news pages in total)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true", help="replace DEST if it exists")
    args = parser.parse_args(argv)
    try:
        corpus = generate(args.dest, args.per_language, args.seed, force=args.force)
    except (FileExistsError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {corpus.news_files} news files ({corpus.per_language} per language, seed {args.seed}) "
          f"into {corpus.root} in {corpus.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
