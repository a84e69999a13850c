"""What an editor's text becomes when it is doubtful: corrected and said once, or reported
at its line; never published wrong without a word. Uzbek letters, text in another
script, untranslated copies, summaries with Markdown, headings in front matter,
renamed pages, and translations that an invisible change must not make stale."""

from __future__ import annotations

import pytest

import subprocess
import sys

from conftest import ROOT, address, errors, messages, news, warnings
from sitegen.translations import translation_status

NEWS = "content/news/visit.uz.md"
EN = "content/news/visit.en.md"
VISIT = {lang: address.document(lang, "news", "visit") for lang in ("uz", "en")}
PAGE = address.file(VISIT["uz"])


def _notices(result) -> list[str]:
    return [d.format() for d in result.diagnostics.sorted() if d.severity == "notice"]


# -- Uzbek letters -------------------------------------------------------------------------

def test_look_alikes_between_letters_become_the_uzbek_letters_with_one_notice(site):
    body = ("O'quv yili, g`oya va san’at. `kod'i` [havola](https://a.uz/o'q) "
            "'Oʻzbekiston' deb yozdi.\n\n```\nprint('o'q')\n```\n")
    site.write(NEWS, news("uz", "Ma'naviyat", "2025-06-12", body))
    result = site.build()
    assert errors(result) == [], messages(result)
    [note] = _notices(result)
    assert note.startswith(f"{NEWS}:2:11: notice: 'Ma'naviyat' is published as 'Maʼnaviyat' and 3 more")
    html = site.html(PAGE)
    assert "<h1>Maʼnaviyat</h1>" in html
    assert "Oʻquv yili, gʻoya va sanʼat." in html
    assert "<code>kod'i</code>" in html  # code is left as written
    assert 'href="https://a.uz/o\'q"' in html  # so are addresses
    assert "'Oʻzbekiston'" in html  # quotation marks next to a space are quotes
    assert "print(&#39;o&#39;q&#39;)" in html or "print('o'q')" in html.replace("&#39;", "'")


def test_english_text_is_not_touched(site):
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12"))
    site.write(EN, news("en", "The institute's guests", body="Don't miss it.\n"))
    result = site.build()
    assert _notices(result) == [], messages(result)
    html = site.html(address.file(VISIT["en"]))
    assert "The institute&#39;s guests" in html or "The institute's guests" in html
    assert "ʼ" not in html.split("<main", 1)[1]


@pytest.mark.slow  # a process of its own, or the whole shipped site
def test_check_fix_writes_the_corrections_and_a_second_run_changes_nothing(site):
    path = site.write(NEWS, news("uz", "Ma'naviyat", "2025-06-12", "O'quv yili va g`oya. `kod'i`\n"))
    partners = site.root / "data/partners.yaml"
    partners.write_text(partners.read_text(encoding="utf-8").replace('uz: "Astana"', "uz: \"Qo'qon\""),
                        encoding="utf-8")
    strings = site.root / "data/strings/uz.yaml"
    before_strings = strings.read_bytes()
    command = [sys.executable, str(ROOT / "build.py"), "check", "--fix", "--root", str(site.root)]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "content/news/visit.uz.md" in first.stdout and "data/partners.yaml" in first.stdout
    assert path.read_text(encoding="utf-8") == news("uz", "Maʼnaviyat", "2025-06-12", "Oʻquv yili va gʻoya. `kod'i`\n")
    assert 'uz: "Qoʻqon"' in partners.read_text(encoding="utf-8")
    assert strings.read_bytes() == before_strings
    assert "notice" not in first.stderr
    files = {p: p.read_bytes() for p in site.root.rglob("*")
             if p.is_file() and "site" not in p.parts and ".cache" not in p.parts}
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0 and "Nothing to correct." in second.stdout
    assert {p: p.read_bytes() for p in files} == files


# -- other scripts and untranslated copies -----------------------------------------------

def test_cyrillic_marked_with_its_language_is_not_a_warning_and_says_its_language(site):
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", "Matn.\n\nДелегация посетила институт.\n{lang=ru}\n"))
    result = site.build()
    assert warnings(result) == [], messages(result)
    assert '<p lang="ru">Делегация посетила институт.</p>' in site.html(PAGE)


def test_cyrillic_in_code_is_not_a_warning(site):
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", "Matn: `Привет`.\n\n```\nПривет мир\n```\n"))
    result = site.build()
    assert warnings(result) == [], messages(result)


def test_a_real_translation_sharing_names_is_not_a_copy(site):
    uz = ("Qozogʻiston milliy sanʼat universiteti (KazNUA) rektori Aiman Musakhajayeva 2025-yil 17-noyabrda "
          "institutga tashrif buyurdi. Erasmus+ va UzDOC 2.0 loyihalari, UNESCO bilan hamkorlik haqida "
          "soʻzlashildi, memorandum imzolandi.\n")
    en = ("The rector of the Kazakh National University of Arts (KazNUA), Aiman Musakhajayeva, visited the "
          "institute on 17 November 2025. They discussed the Erasmus+ and UzDOC 2.0 projects and cooperation "
          "with UNESCO, and signed a memorandum.\n")
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", uz))
    site.write(EN, news("en", "Visit", body=en))
    result = site.build()
    assert warnings(result) == [], messages(result)


# -- summaries and front matter ------------------------------------------------------------

def test_markdown_in_a_summary_is_shown_as_plain_text_everywhere(site):
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", summary='"**Muhim** tashrif: [KazNUA](https://kaznua.kz)"'))
    result = site.build()
    assert [d.message for d in result.diagnostics.warnings] == [
        "'summary' holds Markdown, which lists, feeds and search engines show as plain text"]
    for page in map(address.file, (address.section("uz", "news"), VISIT["uz"], address.feed("uz"))):
        text = site.html(page)
        assert "**" not in text and "](https" not in text, page
    assert 'content="Muhim tashrif: KazNUA"' in site.html(PAGE)


def test_a_commented_out_field_in_front_matter_is_not_taken_for_a_heading(site):
    site.write(NEWS, "---\n# a comment at the top\ntitle: \"Tashrif\"\n# tags: [memo]\ndate: 2025-06-12\n---\nMatn.\n")
    result = site.build()
    assert warnings(result) == [], messages(result)


# -- translations and invisible changes ----------------------------------------------------

def _status(site):
    result = site.build(write=False)
    return translation_status(result.site, result.diagnostics)


def test_a_change_no_reader_sees_does_not_make_the_translation_stale(site):
    original = "Birinchi   qator\nikkinchi qator. [KazNUA](../partners/x.md) va ![Rasm](a.png) <!-- izoh -->\n"
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", "Matn [havola](https://a.uz/) bor.\n" + original[:0]))
    site.write(EN, news("en", "Visit", body="Text.\n"))
    subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--fix-translations", str(site.root / EN),
                    "--root", str(site.root)], capture_output=True, timeout=120, check=True)
    assert _status(site).stale == ()
    # another link target, other line breaks and spaces, a comment: nothing a reader sees
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", "Matn\n[havola](https://b.uz/x)   bor. <!-- keyin -->\n"))
    assert _status(site).stale == ()
    # a word changed: stale
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", "Matn [havola](https://b.uz/x) yoʻq.\n"))
    assert len(_status(site).stale) == 1


# -- renamed pages --------------------------------------------------------------------------

def test_build_keeps_the_published_addresses_and_check_finds_the_lost_one(site):
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12"))
    assert site.build(out=site.root / "site").written
    published = (site.root / "data/published.txt").read_text(encoding="utf-8")
    assert VISIT["uz"] + "\n" in published and VISIT["en"] + "\n" in published
    (site.root / NEWS).rename(site.root / "content/news/visit-2025.uz.md")
    result = site.build(out=site.root / "site")
    gone = [d for d in result.diagnostics.warnings if "is gone" in d.message]
    assert {d.message.split()[3] for d in gone} == {VISIT["uz"], VISIT["en"]}
    uz = next(d for d in gone if address.home("uz") in d.message)
    assert uz.hint == ("if /uz/news/visit-2025/ replaced it, add aliases: [/uz/news/visit/] to "
                       "content/news/visit-2025.uz.md; if it is gone on purpose, delete this line")
    # the suggestion works, and the file keeps the address (now an alias) and adds the new one
    site.write("content/news/visit-2025.uz.md", news("uz", "Tashrif", "2025-06-12", aliases="[/uz/news/visit/]"))
    result = site.build(out=site.root / "site")
    assert [d.message for d in result.diagnostics.warnings] == [
        f"the published address {VISIT['en']} is gone: readers and search engines following it get 404"]
    published = (site.root / "data/published.txt").read_text(encoding="utf-8")
    assert VISIT["uz"] + "\n" in published and address.document("uz", "news", "visit-2025") + "\n" in published
    assert (site.root / "site" / PAGE).is_file()


def test_builds_into_another_folder_leave_the_published_list_alone(site, tmp_path):
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12"))
    assert site.build(out=tmp_path / "elsewhere").written
    assert not (site.root / "data/published.txt").exists()


def test_an_alias_redirects_in_every_host_file_under_a_sub_path(site):
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", aliases="[eski-tashrif, /uz/news/old.html]"))
    result = site.build(base_url="https://example.org/ir/")
    assert errors(result) == [], messages(result)
    out = site.root / "site"
    assert (out / "_redirects").read_text().splitlines()[1:] == [
        "/ir/uz/news/eski-tashrif/ /ir/uz/news/visit/ 301",
        "/ir/uz/news/eski-tashrif /ir/uz/news/visit/ 301",
        "/ir/uz/news/old.html /ir/uz/news/visit/ 301",
    ]
    assert 'RedirectMatch 301 "^/ir/uz/news/eski\\-tashrif/?$" "/ir/uz/news/visit/"' in (out / ".htaccess").read_text()
    assert 'location ~ "^/ir/uz/news/old\\.html$" { return 301 /ir/uz/news/visit/; }' in \
        (out / "nginx-redirects.conf").read_text()
    page = (out / "uz/news/old.html").read_text()
    assert f'content="0; url={address.href(VISIT["uz"], "https://example.org/ir/")}"' in page
    assert "eski-tashrif" not in (out / "sitemap.xml").read_text()


def test_text_marked_as_another_language_in_an_uzbek_file_keeps_its_apostrophes(site):
    body = ("O'quv yili. *Students' Union*{lang=en} bilan.\n\n"
            "The department's partners.\n{lang=en}\n\n"
            '<p lang="en">It\'s open.</p>\n\nSan\'at.\n')
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", body))
    result = site.build()
    assert errors(result) == [], messages(result)
    html = site.html(PAGE)
    assert "Oʻquv yili." in html and "Sanʼat." in html
    assert '<em lang="en">Students&#39;' in html or "<em lang=\"en\">Students'" in html
    assert "department's partners" in html.replace("&#39;", "'")
    assert "It's open." in html.replace("&#39;", "'")


def test_an_alias_above_the_site_root_is_refused(site):
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", aliases="[../../../etc/x]"))
    result = site.build()
    assert [d.format() for d in result.diagnostics.sorted()] == [
        f"{NEWS}:4:11: error: the alias '../../../etc/x' is not an address of this site\n"
        "    hint: write the earlier address as a path, e.g. /uz/news/old-name/"]


def test_the_pages_counted_leave_out_the_redirect_pages(site):
    from sitegen.report import make_report
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12"))
    before = make_report(site.build(), None, "build", site.root / "site")["pages"]
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", aliases="[eski-tashrif]"))
    result = site.build()
    assert (site.root / "site/uz/news/eski-tashrif/index.html").is_file()
    assert make_report(result, None, "build", site.root / "site")["pages"] == before


def test_an_untranslated_copy_is_reported_in_every_build_and_compared_once(site, monkeypatch):
    """The share of words two texts have in common is kept by their digests: the next
    build reports the copy again without comparing the texts, and a changed text is
    compared again."""
    import sitegen.documents

    text = "".join(f"Delegatsiya {n}-kuni institutga tashrif buyurdi va hamkorlik haqida gaplashdi. "
                   for n in range(1, 8)) + "\n"
    site.write(NEWS, news("uz", "Tashrif", "2025-06-12", text))
    site.write(EN, news("en", "Visit", body=text))
    compared = []
    real = sitegen.documents.copy_share

    def counting(original, translation):
        if "Delegatsiya" in original:  # the news item's texts, not the home page's
            compared.append((original, translation))
        return real(original, translation)

    monkeypatch.setattr(sitegen.documents, "copy_share", counting)
    for expected in (1, 1):  # the pair compared in the first build, then taken from the cache
        result = site.build()
        assert [w.message for w in warnings(result) if "untranslated copy" in w.message], messages(result)
        assert len(compared) == expected
    site.write(EN, news("en", "Visit", body="The delegation visited the institute and talked about cooperation "
                                            "for a whole week, every day of it, with everyone there.\n"))
    result = site.build()
    assert not [w for w in warnings(result) if "untranslated copy" in w.message], messages(result)
    assert len(compared) == 2 and compared[-1][1].startswith("The delegation")  # the new translation
