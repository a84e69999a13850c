"""The schema and the editor's guide, `new`, and the translation status."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import subprocess
import sys

import pytest

from conftest import ROOT, address, errors, find_diag, messages, news
from sitegen.cli import FIELDS_HEAD, main
from sitegen.lib.diagnostics import Diagnostics
from sitegen.scaffold import slugify
from sitegen.schema import guide_markdown, load_schema


def cli(*args, root):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "--root", str(root)],
                          capture_output=True, text=True, timeout=120)


# -- the schema and the README -------------------------------------------------

def test_readme_field_tables_are_generated_from_the_schema():
    diags = Diagnostics(ROOT)
    schema = load_schema(ROOT, diags)
    assert schema is not None and diags.items == []
    readme = (ROOT / "docs" / "fields.md").read_text(encoding="utf-8")
    assert readme == FIELDS_HEAD + guide_markdown(schema, ("uz", "en")), "run: python build.py schema --docs"
    for field in ("`partners`", "`programme`", "`agreement`", "`translation_of`", "`goals`"):
        assert field in readme


def test_every_field_the_real_content_uses_is_declared():
    proc = cli("check", "--strict", "--quiet", root=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "unknown field" not in proc.stderr


def test_a_site_without_a_schema_still_builds_and_checks_known_fields(site):
    (site.root / "data/schema.yaml").unlink()
    # without a schema, only the folders that hold documents are sections: the tiny site has no projects
    config = site.root / "data/site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    - {label: figure_projects, count: projects, without: end}\n", ""), encoding="utf-8")
    site.write("content/news/a.uz.md", news("uz", "A", "2025-01-01", partners="[kaznua]", extra="free text"))
    result = site.build()
    assert errors(result) == [], messages(result)
    site.write("content/news/a.uz.md", news("uz", "A", "2025-13-01"))
    assert find_diag(site.build(), "content/news/a.uz.md", 3, "not a real date") is not None


def test_a_record_with_errors_is_reported_once_and_left_out(site):
    site.write("data/partners.yaml", "- id: kaznua\n  name: {uz: \"A\", en: \"A\"}\n  country: KAZ\n")
    site.write("content/news/a.uz.md", news("uz", "A", "2025-01-01", partners="[kaznua]"))
    result = site.build(write=False)
    assert [(d.path, d.line) for d in errors(result)] == [("data/partners.yaml", 3)], messages(result)
    assert address.file(address.record("uz", "partners", "kaznua")) not in result.files


@pytest.mark.parametrize("text", ["\ufeff---\ntitle: \"A\"\ndate: 2025-01-01\n---\nMatn.\n",
                                  "---\r\ntitle: \"A\"\r\ndate: 2025-01-01\r\n---\r\nMatn.\r\n"],
                         ids=["byte-order mark", "Windows line endings"])
def test_bom_and_crlf_are_accepted(site, text):
    (site.root / "content/news/a.uz.md").write_bytes(text.encode("utf-8"))
    result = site.build()
    assert errors(result) == [] and result.written, messages(result)
    assert "Matn." in site.html(address.file(address.document("uz", "news", "a")))


# -- new ---------------------------------------------------------------------

@pytest.mark.parametrize("title,slug", [
    ("Oʻzbekiston–Qozogʻiston: yangi memorandum", "ozbekiston-qozogiston-yangi-memorandum"),
    ("O'zbekiston g‘alabasi va sanʼat", "ozbekiston-galabasi-va-sanat"),
    ("Ўзбекистон ва Қозоғистон ҳамкорлиги", "ozbekiston-va-qozogiston-hamkorligi"),
    ("Санкт-Петербургский институт культуры", "sankt-peterburgskiy-institut-kultury"),
    ("Erasmus+ 2026/27: ochiq tanlov!", "erasmus-2026-27-ochiq-tanlov"),
])
def test_slugs_transliterate_uzbek_and_cyrillic(title, slug):
    assert slugify(title) == slug


def test_new_news_writes_a_stub_in_every_language_that_check_flags(site, capsys):
    code = main(["new", "news", "Yangi tashrif", "--date", "2026-11-22", "--root", str(site.root)])
    assert code == 0
    written = capsys.readouterr().out
    uz, en = site.root / "content/news/yangi-tashrif.uz.md", site.root / "content/news/yangi-tashrif.en.md"
    assert "content/news/yangi-tashrif.uz.md" in written and "content/news/yangi-tashrif.en.md" in written
    assert 'title: "Yangi tashrif"' in uz.read_text(encoding="utf-8")
    assert "date: 2026-11-22" in uz.read_text(encoding="utf-8")
    result = site.build(write=False)
    flagged = {(d.path, d.line) for d in errors(result) if "placeholder" in d.message}
    assert ("content/news/yangi-tashrif.en.md", 2) in flagged  # the untranslated title
    assert ("content/news/yangi-tashrif.uz.md", 3) in flagged  # the summary
    # once the placeholders are replaced the stubs are valid documents
    for path, lang in ((uz, "uz"), (en, "en")):
        text = path.read_text(encoding="utf-8")
        text = "\n".join(line for line in text.splitlines() if "TODO" not in line or line.startswith("title"))
        text = text.replace('title: "TODO: translate “Yangi tashrif” from Oʻzbekcha"', 'title: "New visit"')
        path.write_text(text + "\nMatn.\n", encoding="utf-8")
    result = site.build(write=False)
    assert errors(result) == [], messages(result)


def test_new_refuses_to_overwrite(site, capsys):
    assert main(["new", "news", "Ikki", "--root", str(site.root)]) == 0
    before = (site.root / "content/news/ikki.uz.md").read_bytes()
    assert main(["new", "news", "Ikki", "--root", str(site.root)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (site.root / "content/news/ikki.uz.md").read_bytes() == before


def test_new_partner_appends_a_record_that_check_flags_until_filled_in(site, capsys):
    assert main(["new", "partner", "Belarus davlat madaniyat universiteti", "--root", str(site.root)]) == 0
    text = (site.root / "data/partners.yaml").read_text(encoding="utf-8")
    assert text.startswith("- id: kaznua")  # the existing records are kept as written
    assert "- id: belarus-davlat-madaniyat-universiteti" in text
    result = site.build(write=False)
    assert any(d.path == "data/partners.yaml" and "placeholder" in d.message for d in errors(result))
    assert main(["new", "partner", "Belarus davlat madaniyat universiteti", "--root", str(site.root)]) == 1


def test_new_unknown_type_names_the_known_ones(site, capsys):
    assert main(["new", "event", "Ochiq kun", "--root", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "no content type 'event'" in err and "news" in err and "partner" in err


# -- translation status ---------------------------------------------------------

def _pair(site):
    site.write("content/news/a.uz.md", news("uz", "Tashrif", "2025-01-01", body="Birinchi matn.\n"))
    site.write("content/news/a.en.md", news("en", "Visit", body="First text.\n"))


def test_untracked_translations_are_counted_and_fix_starts_tracking(site, capsys):
    _pair(site)
    assert main(["check", "--root", str(site.root)]) == 0
    assert "Translations not tracked yet (3)" in capsys.readouterr().out  # both _index.en and a.en
    assert main(["check", "--fix-translations", "--root", str(site.root)]) == 0
    out = capsys.readouterr().out
    assert "content/news/a.en.md: translation_of: uz:" in out
    assert "0 stale, 0 not tracked" in out
    assert 'translation_of: "uz:' in (site.root / "content/news/a.en.md").read_text(encoding="utf-8")


def test_changing_the_original_makes_the_translation_stale_until_fixed(site, capsys):
    _pair(site)
    main(["check", "--fix-translations", "--root", str(site.root)])
    capsys.readouterr()
    site.write("content/news/a.uz.md", news("uz", "Tashrif", "2025-01-01", body="Yangilangan matn.\n"))
    assert main(["check", "--root", str(site.root)]) == 0  # stale is a status, not an error
    out = capsys.readouterr().out
    assert "Stale translations (1)" in out and "content/news/a.en.md" in out
    # changing only a shared field (the date) does not make a translation stale
    main(["check", "--fix-translations", str(site.root / "content/news/a.en.md"), "--root", str(site.root)])
    capsys.readouterr()
    site.write("content/news/a.uz.md", news("uz", "Tashrif", "2025-02-01", body="Yangilangan matn.\n"))
    main(["check", "--root", str(site.root)])
    assert "0 stale" in capsys.readouterr().out


def _versions_kept(site) -> sqlite3.Connection:
    return sqlite3.connect(site.root / ".cache/sitegen/fingerprints.sqlite")


def test_the_versions_kept_in_the_cache_are_those_of_the_texts_as_they_are(site, capsys):
    """The originals' versions are kept in the cache by a digest of title, summary and
    text: a kept value is used, a value that is not a version is worked out again, and a
    changed title or text is a new version."""
    _pair(site)
    main(["check", "--fix-translations", "--root", str(site.root)])
    main(["check", "--root", str(site.root)])
    assert "0 stale" in capsys.readouterr().out
    with _versions_kept(site) as db:
        kept = db.execute("SELECT count(*) FROM entries").fetchone()[0]
        assert kept >= 2, "the originals' versions are kept"
        db.execute("UPDATE entries SET value = '\"0123456789\"'")
    main(["check", "--root", str(site.root)])
    assert "Stale translations" in capsys.readouterr().out, "the kept version is the one compared"
    with _versions_kept(site) as db:
        db.execute("UPDATE entries SET value = '[\"not a version\"]'")
    main(["check", "--root", str(site.root)])
    assert "0 stale" in capsys.readouterr().out, "a damaged value is worked out again"
    site.write("content/news/a.uz.md", news("uz", "Yangi sarlavha", "2025-01-01", body="Birinchi matn.\n"))
    main(["check", "--root", str(site.root)])
    out = capsys.readouterr().out
    assert "Stale translations (1)" in out and "content/news/a.en.md" in out, "a new title is a new version"
    (site.root / ".cache/sitegen/fingerprints.sqlite").unlink()
    main(["check", "--root", str(site.root)])
    assert "Stale translations (1)" in capsys.readouterr().out, "the same status without the cache"


def test_fix_translations_refuses_the_original(site, capsys):
    _pair(site)
    assert main(["check", "--fix-translations", str(site.root / "content/news/a.uz.md"),
                 "--root", str(site.root)]) == 1
    assert "is the original" in capsys.readouterr().err


def test_fix_keeps_the_rest_of_the_file_byte_for_byte(site):
    _pair(site)
    path = site.root / "content/news/a.en.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    main(["check", "--fix-translations", str(path), "--root", str(site.root)])
    after = path.read_bytes()
    assert after.replace(b"\r\n", b"\n").count(b"\n") == before.replace(b"\r\n", b"\n").count(b"\n") + 1
    assert b"\r\ntranslation_of: \"uz:" in after and after.endswith(b"First text.\r\n")


def test_missing_translations_are_listed(site, capsys):
    site.write("content/news/only.uz.md", news("uz", "Faqat oʻzbekcha", "2025-01-01"))
    main(["check", "--root", str(site.root)])
    out = capsys.readouterr().out
    assert "Missing translations (1)" in out and "content/news/only.uz.md: no en version" in out


def test_a_translation_whose_file_has_a_mistake_is_not_listed_as_missing(site, capsys):
    """One mistake, one message: the file is there, and its error says what is wrong."""
    site.write("content/news/pair.uz.md", "---\n- title: \"Juftlik\"\n- date: 2025-01-01\n---\n\nMatn.\n")
    site.write("content/news/pair.en.md", news("en", "Pair", "2025-01-01"))
    assert main(["check", "--root", str(site.root)]) == 1
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "content/news/pair.uz.md:2: error: the front matter must be fields" in out
    assert "pair.en.md: no uz version" not in out and "0 missing" in out


def test_today_is_the_default_date_of_new(site):
    assert main(["new", "news", "Bugun", "--root", str(site.root)]) == 0
    assert f"date: {dt.date.today().isoformat()}" in (site.root / "content/news/bugun.uz.md").read_text(
        encoding="utf-8")


def test_the_uzbek_guide_follows_the_english_one_section_by_section():
    english = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    uzbek = (ROOT / "docs" / "editors.uz.md").read_text(encoding="utf-8")

    def levels(text):
        return [len(m.group(1)) for m in re.finditer(r"^(#+) ", re.sub(r"```.*?```", "", text, flags=re.S), re.M)]

    def code(text):
        return re.findall(r"```.*?```", text, flags=re.S)

    assert levels(uzbek) == levels(english) and len(levels(english)) > 10
    assert code(uzbek) == code(english)  # every example as it is in the English guide
    prose = re.sub(r"`[^`\n]*`", "", re.sub(r"``.+?``", "", re.sub(r"```.*?```", "", uzbek, flags=re.S)))
    assert re.findall(r"[A-Za-z]['‘’`][A-Za-z]", prose) == []  # oʻ, gʻ and ʼ, never look-alikes
    assert prose.count("ʻ") > 50 and "editors.md" in uzbek.splitlines()[0]
