"""Rebuilds that render only what changed must give exactly the bytes of a full build.

The shipped site is copied into a temporary folder and edited at random, the
way editors do: text, titles, dates, tags, new and deleted news, data files,
interface strings, templates and styles. After every edit the project is
built again with its cache and previous output (the incremental build) and,
from a clean copy, with neither (the full build); the trees must be equal
byte for byte, and so must the problems reported.

Under CI the edit sequence is fixed; elsewhere each run tries a new one and
prints its seed, so a failure can be repeated with INCREMENTAL_SEED=<seed>.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, address, snapshot
from sitegen.pipeline import run
from sitegen.serve import IncrementalRebuild, Settings

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

STEPS = 14


def _copy_project(source: Path, dest: Path, with_images: bool = True) -> None:
    for name in ("content", "data", "templates", "static"):
        shutil.copytree(source / name, dest / name)
    images = [p for p in (source / ".cache/sitegen").glob("images-*")] if with_images else []
    for folder in images:  # encoded image sizes only save time; they are verified when read
        shutil.copytree(folder, dest / ".cache/sitegen" / folder.name)


TOUCHED: list[Path] = []  # every file an edit wrote, as the preview's watcher would see it


def _set(path: Path, pattern: str, replacement: str) -> bool:
    TOUCHED.append(path)
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    path.write_text(new, encoding="utf-8")
    return count == 1


class Editor:
    """Random edits of the kinds editors make, on a copy of the shipped site."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng, self.added = root, rng, []

    def docs(self, folder: str = "") -> list[Path]:
        return sorted((self.root / "content" / folder).rglob("*.md"))

    def news_keys(self) -> list[str]:
        return sorted({p.name.split(".")[0] for p in self.docs("news") if not p.name.startswith("_")})

    def body_text(self) -> str:
        path = self.rng.choice(self.docs())
        target = self.rng.choice(self.news_keys())
        extra = self.rng.choice([f"\nSee also [this item](@/news/{target}.md).\n",
                                 "\nOne more paragraph, written later.\n",
                                 f"\n## A new heading {self.rng.randint(1, 99)}\n\nWith text.\n"])
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
        TOUCHED.append(path)
        return f"text of {path.name}"

    def title(self) -> str:
        path = self.rng.choice(self.docs())
        _set(path, r'^title: .*$', f'title: "A new title {self.rng.randint(1, 999)}"')
        return f"title of {path.name}"

    def date(self) -> str:
        key = self.rng.choice(self.news_keys())
        for path in self.docs("news"):
            if path.name.startswith(key + "."):
                _set(path, r"^date: .*$", f"date: 20{self.rng.randint(20, 26)}-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}")
        return f"date of {key}"

    def add_news(self) -> str:
        number = len(self.added) + 1
        key = f"added-{number}"
        tags = self.rng.sample(["memorandum", "kazakhstan", "cultural-diplomacy", "academic-mobility"], 2)
        langs = self.rng.choice([("uz", "en"), ("uz",), ("en",)])
        for lang in langs:
            TOUCHED.append(self.root / f"content/news/{key}.{lang}.md")
            (self.root / f"content/news/{key}.{lang}.md").write_text(
                f'---\ntitle: "Added {number} {lang}"\n'
                + (f"date: 2026-0{self.rng.randint(1, 9)}-15\nsummary: \"Summary {number}\"\n"
                   f"tags: [{', '.join(tags)}]\npartners: [kaznua]\n" if lang == langs[0] else "")
                + f"---\n\nBody of item {number} in {lang}.\n", encoding="utf-8")
        self.added.append(key)
        return f"added {key} in {langs}"

    def delete_news(self) -> str:
        if not self.added:
            return self.add_news()
        key = self.added.pop(self.rng.randrange(len(self.added)))
        for path in self.docs("news"):
            if path.name.startswith(key + "."):
                TOUCHED.append(path)
                path.unlink()
        return f"deleted {key}"

    def data(self) -> str:
        _set(self.root / "data/partners.yaml", r'^(    en: ")([^"]*)(")$', rf'\g<1>\g<2> {self.rng.randint(1, 99)}\g<3>')
        return "a partner's name"

    def strings(self) -> str:
        lang = self.rng.choice(["uz", "en"])
        _set(self.root / f"templates/strings/{lang}.yaml", r'^(home: ")([^"]*)(")$', rf'\g<1>\g<2> {self.rng.randint(1, 99)}\g<3>')
        return f"strings of {lang}"

    def template(self) -> str:
        name = self.rng.choice(["news-item.html", "base.html", "macros.html", "partner.html", "home.html"])
        path = self.root / "templates" / name
        text = path.read_text(encoding="utf-8")
        marker = f"<!-- edit {self.rng.randint(1, 999)} -->"
        TOUCHED.append(path)
        if name == "macros.html":
            path.write_text(text + f"\n{{# {marker} #}}\n", encoding="utf-8")  # a comment: same output
        else:
            path.write_text(text.replace("{% block main %}", "{% block main %}" + marker, 1)
                            if "{% block main %}" in text else text.replace("</footer>", marker + "</footer>", 1),
                            encoding="utf-8")
        return f"template {name}"

    def style(self) -> str:
        path = self.root / "static/css/site.css"
        path.write_text(path.read_text(encoding="utf-8") + f"\n/* {self.rng.randint(1, 999)} */\n", encoding="utf-8")
        TOUCHED.append(path)
        return "site.css"

    def touch(self) -> str:
        path = self.rng.choice(self.docs())
        os.utime(path)
        return f"touched {path.name}"

    def random_edit(self) -> str:
        kinds = [self.body_text, self.body_text, self.title, self.date, self.add_news, self.add_news,
                 self.delete_news, self.data, self.strings, self.template, self.style, self.touch]
        return self.rng.choice(kinds)()


# One edit of each kind of dependency a page can have (see sitegen/incremental.py).
TARGETED = [
    ("a section index's title: the breadcrumbs and menu of its pages",
     "content/news/_index.en.md", r'^title: .*$', 'title: "All the news"'),
    ("the newest item's title: the home page's latest news",
     "content/news/kaznua-memorandum.en.md", r'^title: .*$', 'title: "Memorandum signed"'),
    ("a project's summary: the project list",
     "content/projects/uzdoc.en.md", r'^summary: .*$', 'summary: "Doctoral studies, better."'),
    ("a partner's name in data", "data/partners.yaml", r'^    en: "Kazakh National University of Arts named after Kulyash Baiseitova"$',
     '    en: "Kazakh National Arts University"'),
    ("a tag added to an item", "content/news/kaznua-memorandum.uz.md", r'^tags: \[memorandum, ',
     "tags: [erasmus-plus, memorandum, "),
    ("a date: the order of the lists", "content/news/kaznua-memorandum.uz.md", r'^date: .*$', "date: 2019-01-01"),
    ("the home page's summary: pages without a summary of their own",
     "content/_index.en.md", r'^summary: .*$', 'summary: "Another welcome."'),
    ("an interface string", "templates/strings/en.yaml", r'^home: .*$', 'home: "Start"'),
    ("a template used by some pages only", "templates/partner.html", r'\{% block main %\}',
     "{% block main %}<p>partner</p>"),
    ("a link to a heading of another page", "content/about.en.md", r'\Z',
     "\nSee [the visit](@/news/kaznua-memorandum.md#what-the-rectors-discussed).\n"),
    ("a link that now points at nothing", "content/about.en.md", r'\Z', "\nSee [gone](@/news/gone.md).\n"),
    ("the broken link mended", "content/about.en.md", r'@/news/gone\.md', "@/news/kaznua-memorandum.md"),
    ("a news item's own address", "content/news/kaznua-memorandum.en.md", r'^---\n', '---\nslug: "kaznua-mou"\n'),
]


def _problems(result, root: Path) -> list[str]:
    return sorted(str(d).replace(str(root), "<root>") for d in result.diagnostics.items)


def _same_as_full_build(project: Path, fresh_root: Path, what) -> None:
    """Build `project` incrementally and a clean copy of it in full; assert the same result."""
    incremental = run(project)
    _copy_project(project, fresh_root)
    full = run(fresh_root)
    assert _problems(incremental, project) == _problems(full, fresh_root), what
    if full.ok():
        assert snapshot(project / "site") == snapshot(fresh_root / "site"), f"after {what}"
    shutil.rmtree(fresh_root)


def _seed() -> int:
    seed = int(os.environ.get("INCREMENTAL_SEED") or (20261204 if os.environ.get("CI") else random.randrange(10**6)))
    print(f"edit sequence seed: {seed} (repeat with INCREMENTAL_SEED={seed})")
    return seed


def test_random_edits_give_the_bytes_of_a_full_build(tmp_path, counted):
    seed = _seed()
    rng = random.Random(seed)
    project = tmp_path / "project"
    _copy_project(ROOT, project)
    _set(project / "data/site.yaml", r"^search: true$", "search: false")  # the search index has its own tests
    editor = Editor(project, rng)
    first = run(project)
    assert first.ok(), _problems(first, project)
    history = []
    for step in range(STEPS):
        history.append(editor.random_edit())
        _same_as_full_build(project, tmp_path / f"fresh-{step}", history)
    incremental_counts = counted[1::2]  # builds alternate: incremental, full
    assert sum(reused for _, reused in incremental_counts) > 0, "no page was ever taken from the previous output"
    assert sum(rendered for rendered, _ in incremental_counts) > 0, "no page was ever rendered again"


def test_an_edited_news_item_renders_only_the_pages_that_show_it(tmp_path, counted):
    project = tmp_path / "project"
    _copy_project(ROOT, project)
    _set(project / "data/site.yaml", r"^search: true$", "search: false")
    assert run(project).ok()
    assert run(project).ok()
    assert counted[-1][0] == 0, "an unchanged project rendered pages again"
    item = project / "content/news/kaznua-memorandum.en.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    assert run(project).ok()
    rendered, reused = counted[-1]
    assert 0 < rendered <= 12, rendered  # the item, the lists, tags and the partner that show it
    assert reused > 60
    memorandum = {lang: address.file(address.document(lang, "news", "kaznua-memorandum")) for lang in ("uz", "en")}
    assert "A sentence added later." in (project / "site" / memorandum["en"]).read_text("utf-8")
    uz = (project / "site" / memorandum["uz"]).read_text("utf-8")
    assert "A sentence added later." not in uz


def test_a_damaged_page_store_or_changed_output_only_costs_time(tmp_path, counted):
    project = tmp_path / "project"
    _copy_project(ROOT, project)
    _set(project / "data/site.yaml", r"^search: true$", "search: false")
    assert run(project).ok()
    expected = snapshot(project / "site")
    (project / ".cache/sitegen/pages.sqlite").write_bytes(b"not a database" * 100)
    assert run(project).ok()
    assert snapshot(project / "site") == expected
    assert counted[-1][1] == 0  # nothing could be trusted, so everything was rendered
    # someone edits a file in the output: the page is rendered again, not copied
    page = project / "site" / address.file(address.document("en", "", "about"))
    page.write_text("changed by hand", encoding="utf-8")
    assert run(project).ok()
    assert snapshot(project / "site") == expected
    # changed by hand and of the same size: its time tells, and it is not taken unread
    other = project / "site" / address.file(address.document("uz", "", "about"))
    held = other.read_bytes()
    other.write_bytes(held.replace(b"<main", b"<MAIN", 1))
    assert len(other.read_bytes()) == len(held) and other.read_bytes() != held
    assert run(project).ok()
    assert snapshot(project / "site") == expected
    assert counted[-1][1] > 0 and counted[-1][0] > 0, "the other pages taken, this one rendered again"


def test_the_unchanged_pages_of_the_output_are_not_read(tmp_path, counted, monkeypatch):
    """After an edit, the pages taken from the previous output are linked into the new
    one unread: its manifest tells what each file holds (lib/writer.py, lib/files.py)."""
    project = tmp_path / "project"
    _copy_project(ROOT, project)
    _set(project / "data/site.yaml", r"^search: true$", "search: false")
    assert run(project).ok()
    assert run(project).ok()  # the first to leave a manifest the next build can trust
    read: list[str] = []
    real = Path.read_bytes
    site = project / "site"

    def reading(self):
        if self.suffix == ".html" and site in self.parents:
            read.append(self.relative_to(site).as_posix())
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", reading)
    item = project / "content/news/kaznua-memorandum.en.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    result = run(project)
    assert result.ok()
    rendered, reused = counted[-1]
    assert reused > 60 and rendered > 0
    # read: only pages whose #fragments a body links to (their ids are checked)
    assert len(read) < 6, read
    expected = snapshot(site)
    fresh = tmp_path / "fresh"
    _copy_project(project, fresh)
    monkeypatch.undo()
    assert run(fresh).ok()
    assert snapshot(fresh / "site") == expected


def test_each_kind_of_dependency_gives_the_bytes_of_a_full_build(tmp_path, counted):
    project = tmp_path / "project"
    _copy_project(ROOT, project)
    _set(project / "data/site.yaml", r"^search: true$", "search: false")
    assert run(project).ok()
    deleted = project / "content/news/erasmus-plus-opportunities.en.md"
    kept = deleted.read_text(encoding="utf-8")
    edits = [*TARGETED, ("a translation deleted: fallback pages and switchers", None, None, None),
             ("the translation back", None, None, None)]
    for step, (what, rel, pattern, replacement) in enumerate(edits):
        if rel is not None:
            assert _set(project / rel, pattern, replacement), f"the edit '{what}' found nothing to change"
        elif deleted.exists():
            deleted.unlink()
        else:
            deleted.write_text(kept, encoding="utf-8")
        _same_as_full_build(project, tmp_path / f"fresh-{step}", what)
        assert counted[-2][0] > 0 or what.startswith("a link that"), f"'{what}' rendered nothing again"


def test_preview_rebuilds_give_the_bytes_of_a_full_build(tmp_path, counted):
    """The preview keeps its last build in memory and writes in place; with the
    search index on, after each random edit (and once the index is in) its folder
    must hold what a full build with the same base URL writes."""
    rng = random.Random(_seed())
    project = tmp_path / "project"
    _copy_project(ROOT, project)
    settings = Settings(project, tmp_path / "preview", "http://127.0.0.1:8765/")
    step = IncrementalRebuild()
    assert step(settings, ()).written
    editor, history = Editor(project, rng), []
    for number in range(8):
        TOUCHED.clear()
        history.append(editor.random_edit())
        result = step(settings, list(TOUCHED))
        if step.follow_up:  # the edited pages came first; the server now runs the complete rebuild
            assert result.written and not result.diagnostics.items
            result = step(settings, ())
            assert not step.follow_up
        step.wait()
        fresh_root = tmp_path / f"fresh-{number}"
        _copy_project(project, fresh_root)
        full = run(fresh_root, base_url=settings.base_url)
        assert _problems(result, project) == _problems(full, fresh_root), history
        if full.ok():
            assert result.written, history
            assert snapshot(settings.out) == snapshot(fresh_root / "site"), f"after {history}"
        shutil.rmtree(fresh_root)
    preview_counts = counted[1::2]
    assert sum(reused for _, reused in preview_counts) > 0


def test_the_preview_writes_an_edited_text_first_then_everything_else(tmp_path):
    project = tmp_path / "project"
    _copy_project(ROOT, project)
    _set(project / "data/site.yaml", r"^search: true$", "search: false")
    settings = Settings(project, tmp_path / "preview", "http://127.0.0.1:8765/")
    step = IncrementalRebuild()
    assert step(settings, ()).written
    item = project / "content/news/kaznua-memorandum.en.md"
    page = settings.out / address.file(address.document("en", "news", "kaznua-memorandum"))
    item.write_text(item.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    quick = step(settings, [item])
    assert step.follow_up and quick.written
    assert "A sentence added later." in page.read_text(encoding="utf-8")
    assert len(quick.files) == len(step.memory.files)
    complete = step(settings, ())
    assert not step.follow_up and complete.written

    # a changed title is not only text: no quick pass, the complete rebuild at once
    _set(item, r"^title: .*$", 'title: "A new title"')
    result = step(settings, [item])
    assert not step.follow_up and result.written
    assert "A new title" in (settings.out / address.file(address.section("en", "news"))).read_text(encoding="utf-8")

    # a text with a mistake is not written first: the complete rebuild reports it
    item.write_text(item.read_text(encoding="utf-8") + "\n[Broken](@/news/no-such-item.md)\n", encoding="utf-8")
    result = step(settings, [item])
    assert not step.follow_up and not result.written
    assert any("no-such-item" in str(d) for d in result.diagnostics.items)
    assert "Broken" not in page.read_text(encoding="utf-8")

    # while that mistake stands, another text edit is not written first: the problem stays reported
    other = project / "content/news/erasmus-plus-opportunities.en.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nMore text.\n", encoding="utf-8")
    result = step(settings, [other])
    assert not step.follow_up and not result.written
    assert any("no-such-item" in str(d) for d in result.diagnostics.items)


def test_a_new_process_reuses_every_page_of_an_unchanged_project(tmp_path):
    """Digests must not depend on anything a new process changes (the order of a
    set of strings, for one): builds run with different PYTHONHASHSEED values."""
    import subprocess
    import sys

    project = tmp_path / "project"
    _copy_project(ROOT, project)
    _set(project / "data/site.yaml", r"^search: true$", "search: false")
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
              "from sitegen import render; from sitegen.pipeline import run; counts = []; "
              "original = render.Renderer.render_pages\n"
              "def counted(self, workers=1):\n"
              "    out = original(self, workers); counts.append((len(self.rendered), len(self.reused))); return out\n"
              "render.Renderer.render_pages = counted; assert run(Path(sys.argv[2])).ok(); print(*counts[0])")
    found = []
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", script, str(ROOT), str(project)], capture_output=True,
                              text=True, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=300)
        assert done.returncode == 0, done.stderr
        found.append(tuple(int(n) for n in done.stdout.split()))
    assert found[0][1] == 0 and found[0][0] > 50  # the first build renders everything
    assert found[1] == (0, found[0][0]) and found[2] == found[1], found  # the others reuse every page


def test_the_preview_and_build_keep_their_pages_side_by_side(tmp_path, counted):
    project = tmp_path / "project"
    _copy_project(ROOT, project)
    _set(project / "data/site.yaml", r"^search: true$", "search: false")
    assert run(project).ok()
    assert run(project, out=tmp_path / "preview", base_url="http://127.0.0.1:8000/").ok()
    assert counted[-1][1] == 0  # another base URL: every page rendered for it
    assert run(project).ok()
    assert counted[-1][0] == 0  # and the build's own pages are still there to take
