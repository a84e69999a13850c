"""Links between content files: relative, @/ short form, pinned language, fragments,
data records, and broken links reported with file and line."""

from __future__ import annotations

import pytest

from conftest import address, errors, find_diag, messages, news, page_of

A = {lang: address.file(address.document(lang, "news", "a")) for lang in ("uz", "en")}
OTHER = {lang: address.document(lang, "news", "other") for lang in ("uz", "en")}


def _other(site):
    site.write("content/news/other.uz.md", news("uz", "Boshqa", "2025-01-01", body="Boshqa.\n\n## Part two {#part-two}\n"))
    site.write("content/news/other.en.md", news("en", "Other", body="Other.\n\n## Part two\n"))


def _hrefs(result, rel, text):
    page = page_of(result, rel)
    return [a["href"] for a in page.find_all("a", href=True) if a.get_text(strip=True) == text]


BODY = """
Relative: [rel](../news/other.md).

Same folder: [same](other.md).

Short: [short](@/news/other.md).

Pinned: [pinned](other.en.md).

Fragment: [frag](other.md#part-two).

Partner: [partner](../partners/kaznua.md).

Home: [home](../_index.md).

Section: [section](_index.md).

Outside: [outside](https://example.com/page) and [mail](mailto:a@example.org).
"""


@pytest.fixture
def linked(site):
    _other(site)
    site.write("content/news/a.uz.md", news("uz", "A", "2025-02-01", body=BODY))
    site.write("content/news/a.en.md", news("en", "A en", body=BODY))
    result = site.build()
    assert errors(result) == [], messages(result)
    return result


@pytest.mark.parametrize("lang", ["uz", "en"])
def test_relative_link_resolves_in_the_page_language(linked, lang):
    assert _hrefs(linked, A[lang], "rel") == [OTHER[lang]]
    assert _hrefs(linked, A[lang], "same") == [OTHER[lang]]


@pytest.mark.parametrize("lang", ["uz", "en"])
def test_short_form_from_content_root(linked, lang):
    assert _hrefs(linked, A[lang], "short") == [OTHER[lang]]


@pytest.mark.parametrize("lang", ["uz", "en"])
def test_language_suffix_pins_the_language(linked, lang):
    assert _hrefs(linked, A[lang], "pinned") == [OTHER["en"]]


@pytest.mark.parametrize("lang", ["uz", "en"])
def test_fragment_is_kept(linked, lang):
    assert _hrefs(linked, A[lang], "frag") == [OTHER[lang] + "#part-two"]


@pytest.mark.parametrize("lang", ["uz", "en"])
def test_link_to_a_partner_record(linked, lang):
    assert _hrefs(linked, A[lang], "partner") == [address.record(lang, "partners", "kaznua")]


@pytest.mark.parametrize("lang", ["uz", "en"])
def test_links_to_index_files(linked, lang):
    assert _hrefs(linked, A[lang], "home") == [address.home(lang)]
    assert _hrefs(linked, A[lang], "section") == [address.section(lang, "news")]


def test_external_links_are_left_alone(linked):
    assert _hrefs(linked, A["uz"], "outside") == ["https://example.com/page"]
    assert _hrefs(linked, A["uz"], "mail") == ["mailto:a@example.org"]


def test_links_in_a_fallback_page_point_into_its_language(site):
    _other(site)
    site.write("content/news/solo.uz.md", news("uz", "Yakka", "2025-02-01", body="[rel](other.md)\n"))
    result = site.build()
    assert errors(result) == [], messages(result)
    for lang in ("uz", "en"):
        assert _hrefs(result, address.file(address.document(lang, "news", "solo")), "rel") == [OTHER[lang]]


def test_broken_link_is_an_error_with_file_and_line(site):
    # line 1 ---, 2 title, 3 date, 4 ---, 5 "First paragraph.", 6 blank, 7 the link
    site.write("content/news/a.uz.md", news("uz", "A", "2025-02-01",
                                            body="First paragraph.\n\nSee [missing](../news/nothere.md).\n"))
    site.write("content/news/a.en.md", news("en", "A en", body="Fine.\n"))
    result = site.build()
    assert not result.written
    diag = find_diag(result, "content/news/a.uz.md", 7, "nothere")
    assert diag is not None, messages(result)
    assert not find_diag(result, "content/news/a.en.md"), messages(result)


def test_each_broken_link_is_reported_on_its_own_line(site):
    body = "Intro.\n\n[one](missing-one.md)\n\nText.\n\n[two](@/news/missing-two.md)\n"
    site.write("content/news/a.uz.md", news("uz", "A", "2025-02-01", summary='"Qisqa"', body=body))
    site.write("content/news/a.en.md", news("en", "A en", body="Fine.\n"))
    result = site.build()
    # front matter: lines 1-5 (---, title, date, summary, ---); body starts on line 6
    assert find_diag(result, "content/news/a.uz.md", 8, "missing-one"), messages(result)
    assert find_diag(result, "content/news/a.uz.md", 12, "missing-two"), messages(result)


def test_broken_link_suggests_the_closest_document(site):
    _other(site)
    site.write("content/news/a.uz.md", news("uz", "A", "2025-02-01", body="[x](othr.md)\n"))
    site.write("content/news/a.en.md", news("en", "A en", body="Fine.\n"))
    result = site.build()
    diag = find_diag(result, "content/news/a.uz.md", 5, "othr")
    assert diag is not None, messages(result)
    assert "'other.md'" in diag.hint  # relative to the linking file, as it would be written


def test_image_beside_a_document_is_published_with_a_hashed_name(site):
    site.write("content/news/pic.uz.md", "---\ntitle: \"Rasm\"\ndate: 2025-01-01\n---\n\n![Delegatsiya](photo.svg)\n")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"></svg>'
    (site.root / "content/news/photo.svg").write_bytes(svg)
    result = site.build()
    assert result.diagnostics.errors == []
    img = site.soup(address.file(address.document("uz", "news", "pic"))).find("img", alt="Delegatsiya")
    assert img["src"].startswith("/assets/content/news/photo.") and img["src"].endswith(".svg")
    assert (site.root / "site" / img["src"].lstrip("/")).read_bytes() == svg


def test_image_without_alt_text_or_missing_file_is_an_error(site):
    site.write("content/news/pic.uz.md", "---\ntitle: \"Rasm\"\ndate: 2025-01-01\n---\n\n![](photo.png)\n\n![Yoʻq](missing.png)\n")
    (site.root / "content/news/photo.png").write_bytes(b"png")
    result = site.build()
    found = {(d.path, d.line, "alt text" in d.message or "does not exist" in d.message) for d in result.diagnostics.errors}
    assert ("content/news/pic.uz.md", 6, True) in found
    assert ("content/news/pic.uz.md", 8, True) in found
    assert not result.written


def test_fragment_that_names_no_heading_is_an_error_with_a_suggestion(site):
    _other(site)
    site.write("content/news/a.uz.md", news("uz", "A", "2025-02-01", body="Qarang: [bu](other.md#part-too).\n"))
    result = site.build()
    diag = find_diag(result, "content/news/a.uz.md", text="#part-too")
    assert diag is not None, messages(result)
    assert "did you mean '#part-two'" in diag.hint
    assert not result.written


def test_same_page_fragment_is_checked(site):
    site.write("content/news/a.uz.md", news("uz", "A", "2025-02-01", body="## Reja\n\n[yuqoriga](#reja) [yoʻq](#nope)\n"))
    result = site.build()
    bad = [d for d in errors(result) if "#nope" in d.message]
    assert len(bad) == 1 and not any("#reja" in d.message for d in errors(result)), messages(result)


def test_the_sites_own_addresses_written_in_fields_are_checked_where_written(site):
    """An address of the site itself written out in front matter or in a data file,
    nested or not, is checked like a link: one that leads nowhere is an error at its
    line and column; one that leads to a page is not."""
    site.write("content/news/a.uz.md", news("uz", "A", "2025-06-12",
                                            summary='"https://example.org/uz/news/yoq/"'))
    site.write("content/news/b.uz.md", news("uz", "B", "2025-06-12", summary='"https://example.org/uz/news/a/"'))
    partners = (site.root / "data/partners.yaml").read_text(encoding="utf-8")
    site.write("data/partners.yaml", partners.replace(
        'website: "https://kaznua.kz/"', 'website: "https://example.org/uz/hamkorlar/"'))
    result = site.build()
    front = find_diag(result, "content/news/a.uz.md", 4, "the address 'https://example.org/uz/news/yoq/' points at "
                      "nothing the site publishes")
    assert front is not None and front.column == 1, messages(result)  # where the field is written
    data = find_diag(result, "data/partners.yaml", 5, "'https://example.org/uz/hamkorlar/' points at nothing")
    assert data is not None and data.column == 3, messages(result)
    assert find_diag(result, "content/news/b.uz.md", text="points at nothing") is None, messages(result)
