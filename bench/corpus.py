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


@dataclass(frozen=True)
class Corpus:
    root: Path
    per_language: int
    news_keys: tuple[str, ...]  # slugs of the generated news items
    seconds: float

    @property
    def news_files(self) -> int:
        return 2 * self.per_language


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
    shutil.copytree(source / "content", dest / "content", ignore=_ignore_news_items)


class Writer:
    """Text generator for one corpus; every random choice comes from one seeded Random."""

    def __init__(self, rng: random.Random, partners: list[str], partner_sites: list[str], projects: list[str]):
        self.rng = rng
        self.partners = partners
        self.partner_sites = partner_sites
        self.projects = projects

    # -- words and sentences -------------------------------------------------

    def words(self, lang: str, low: int, high: int) -> list[str]:
        text = TEXT[lang]
        out = []
        for _ in range(self.rng.randint(low, high)):
            pool = text["names"] if self.rng.random() < 0.08 else text["words"]
            out.append(self.rng.choice(pool))
        return out

    def sentence(self, lang: str, low: int = 7, high: int = 17) -> str:
        words = self.words(lang, low, high)
        words[0] = words[0][0].upper() + words[0][1:]
        if len(words) > 6 and self.rng.random() < 0.4:
            words[self.rng.randint(2, len(words) - 3)] += ","
        if self.rng.random() < 0.15:
            i = self.rng.randrange(len(words))
            words[i] = f"**{words[i].rstrip(',')}**" + ("," if words[i].endswith(",") else "")
        elif self.rng.random() < 0.1:
            i = self.rng.randrange(len(words))
            words[i] = f"*{words[i].rstrip(',')}*" + ("," if words[i].endswith(",") else "")
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
            page = self.rng.choice([("../partners/_index.md", "partners_page"),
                                    ("@/projects/_index.md", "projects_page"),
                                    ("_index.md", "news_page"), ("@/about.md", "about_page")])
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

    def body(self, lang: str, others: list[str]) -> str:
        """Markdown of 400-900 words (words of the text, link labels and table cells; not link targets)."""
        target = self.rng.randint(400, 820)  # blocks add up to ~80 words past the target
        headings = self.rng.sample(TEXT[lang]["headings"], k=len(TEXT[lang]["headings"]))
        blocks = [self.paragraph(lang, others)]
        count = _word_count(blocks[0])
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
        return "\n\n".join(blocks) + "\n"


def _word_count(markdown: str) -> int:
    return len(WORD.findall(LINK_TARGET.sub("]", markdown)))


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _flow(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def generate(dest: Path, per_language: int, seed: int = 1, source: Path = ROOT, force: bool = False) -> Corpus:
    """Write the corpus into `dest` (which must not exist, unless `force`)."""
    started = time.perf_counter()
    if per_language < 2:
        raise ValueError("per_language must be at least 2 (news items link to each other)")
    dest = Path(dest)
    if dest.exists():
        if not force:
            raise FileExistsError(f"{dest} exists; choose a new folder, or replace it (--force)")
        shutil.rmtree(dest)
    copy_project(dest, source)

    partners_data = yaml.safe_load((source / "data/partners.yaml").read_text(encoding="utf-8"))
    partners = [p["id"] for p in partners_data]
    partner_sites = sorted({p["website"] for p in partners_data if p.get("website")})
    tags = list(yaml.safe_load((source / "data/tags.yaml").read_text(encoding="utf-8")))
    projects = sorted(p.name[: -len(".uz.md")] for p in (source / "content/projects").glob("*.uz.md")
                      if not p.name.startswith("_index."))
    rng = random.Random(seed)
    writer = Writer(rng, partners, partner_sites, projects)

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
    for i, key in enumerate(keys):
        others = [keys[(i + rng.randint(1, per_language - 1)) % per_language] for _ in range(8)]
        date = dt.date.fromordinal(rng.randint(first, last))
        item_tags = rng.sample(tags, k=rng.randint(1, 4))
        item_partners = rng.sample(partners, k=rng.choice((0, 1, 1, 1, 2, 3)))
        item_projects = rng.sample(projects, k=rng.choice((0, 0, 1, 1, 2)))
        texts = {}
        for lang in ("uz", "en"):
            title = writer.title(lang)
            summary = " ".join(writer.sentence(lang, 10, 22) for _ in range(rng.randint(1, 2)))
            texts[lang] = (title, summary, writer.body(lang, others))

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
