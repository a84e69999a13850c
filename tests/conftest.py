"""Shared helpers: tiny sites written into temporary folders, built in-process."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.pipeline import run  # noqa: E402

# The real templates and static files are used by the tiny sites too, so the
# tests exercise what ships.
SITE_YAML = """\
title:
  uz: "Sinov sayti"
  en: "Test site"
base_url: "https://example.org/"
default_language: uz
languages:
  - code: uz
    name: "Oʻzbekcha"
    locale: uz_Latn
  - code: en
    name: "English"
    locale: en
missing_translation: fallback
timezone: Asia/Tashkent
menu:
  - _index.md
  - news/_index.md
collections:
  partners:
    template: partner.html
"""

DEPARTMENT_YAML = """\
name: {uz: "Boʻlim", en: "Department"}
institute: {uz: "Institut", en: "Institute"}
head:
  name: ""
  role: {uz: "Boʻlim boshligʻi", en: "Head of department"}
office_hours: {days: daily, opens: "10:00", closes: "15:00"}
phone: "(+99871) 230-28-16"
email: ""
address: {uz: "Toshkent", en: "Tashkent"}
summary: {uz: "Qisqa", en: "Short"}
goals:
  - {uz: "Birinchi", en: "First"}
"""

PARTNERS_YAML = """\
- id: kaznua
  name: {uz: "Qozogʻiston milliy sanʼat universiteti", en: "Kazakh National University of Arts"}
  country: KZ
  city: {uz: "Astana", en: "Astana"}
  website: "https://kaznua.kz/"
  agreement: memorandum
"""

BASE_FILES = {
    "data/site.yaml": SITE_YAML,
    "data/department.yaml": DEPARTMENT_YAML,
    "data/partners.yaml": PARTNERS_YAML,
    "data/tags.yaml": "memo: {uz: \"Memorandum\", en: \"Memorandum\"}\n",
    "content/_index.uz.md": "---\ntitle: \"Bosh sahifa\"\nsummary: \"Xush kelibsiz\"\n---\nSalom.\n",
    "content/_index.en.md": "---\ntitle: \"Home\"\nsummary: \"Welcome\"\n---\nHello.\n",
    "content/news/_index.uz.md": "---\ntitle: \"Yangiliklar\"\npaginate: 10\nfeed: true\n"
                                 "template: news\npage_template: news-item\n---\n",
    "content/news/_index.en.md": "---\ntitle: \"News\"\n---\n",
}


class SiteDir:
    """A project folder in tmp: files written with `write`, built with `build`."""

    def __init__(self, root: Path):
        self.root = root
        for name in ("templates", "static"):
            shutil.copytree(ROOT / name, root / name)
        (root / "data/strings").mkdir(parents=True)
        for code in ("uz", "en"):
            shutil.copy(ROOT / f"data/strings/{code}.yaml", root / f"data/strings/{code}.yaml")

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def build(self, **kwargs):
        kwargs.setdefault("out", self.root / "site")
        return run(self.root, **kwargs)

    def html(self, rel: str) -> str:
        return (self.root / "site" / rel).read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    """A tiny valid bilingual site: home, a news section, one partner."""
    s = SiteDir(tmp_path / "project")
    for rel, text in BASE_FILES.items():
        s.write(rel, text)
    return s


@pytest.fixture
def empty_site(tmp_path: Path) -> SiteDir:
    """Only templates, static files and UI strings: a test writes the rest."""
    return SiteDir(tmp_path / "project")
