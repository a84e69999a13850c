"""Files beside a document (attachments), files under static/ at their plain address,
and every internal link checked at its own line and column, whatever its form:
relative, root-relative (with or without the base path), in Markdown or in pasted HTML."""

from __future__ import annotations

import pytest

from conftest import address, errors, find_diag, messages, news, warnings

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

NEWS = "content/news/x.uz.md"
X = {lang: address.document(lang, "news", "x") for lang in ("uz", "en")}
PAGE = address.file(X["uz"])
ARIZA = address.attachment(X["uz"], "ariza.pdf")
SUB = "https://example.org/ir/"
PDF = b"%PDF-1.4\n" + b"0" * 3000 + b"\n%%EOF\n"


def _links(site, rel: str) -> dict[str, str]:
    return {a.get_text(strip=True): a["href"] for a in site.soup(rel).find("main").find_all("a", href=True)}


def test_a_file_beside_the_document_is_published_with_the_page_and_its_facts_shown(site):
    (site.root / "content/news/ariza.pdf").write_bytes(PDF)
    site.write(NEWS, news("uz", "X", "2025-06-12", body="[Ariza shakli](ariza.pdf) toʻldiring.\n"))
    result = site.build()
    assert errors(result) == [] and warnings(result) == [], messages(result)
    assert _links(site, PAGE)["Ariza shakli"] == ARIZA
    assert (site.root / "site" / address.file(ARIZA)).read_bytes() == PDF
    facts = site.soup(PAGE).find("main").find("span", class_="file-facts")
    assert facts is not None and facts.get_text() == "(PDF, 3\u00a0KB)"
    assert "toʻldiring" in facts.next_sibling


def test_language_versions_of_one_attachment(site):
    (site.root / "content/news/form.uz.pdf").write_bytes(PDF + b"uz")
    (site.root / "content/news/form.en.pdf").write_bytes(PDF + b"en")
    site.write(NEWS, news("uz", "X", "2025-06-12", body="[Shakl](form.pdf)\n"))
    site.write("content/news/x.en.md", news("en", "X", body="[Form](form.pdf)\n"))
    result = site.build()
    assert errors(result) == [] and warnings(result) == [], messages(result)
    form = {lang: address.attachment(X[lang], "form.pdf") for lang in X}
    assert _links(site, PAGE)["Shakl"] == form["uz"]
    assert _links(site, address.file(X["en"]))["Form"] == form["en"]
    assert (site.root / "site" / address.file(form["uz"])).read_bytes().endswith(b"uz")
    assert (site.root / "site" / address.file(form["en"])).read_bytes().endswith(b"en")


def test_a_file_nobody_links_is_not_published_and_gets_a_notice(site):
    (site.root / "content/news/old-report.docx").write_bytes(b"PK\x03\x04")
    result = site.build(strict=True)
    assert result.written, messages(result)
    notice = find_diag(result, "content/news/old-report.docx", 0, "no document links", severity="notice")
    assert notice is not None, messages(result)
    assert not list((site.root / "site").rglob("old-report.docx"))


def test_a_link_to_a_missing_file_is_an_error_at_its_line_and_column(site):
    (site.root / "content/news/ariza.pdf").write_bytes(PDF)
    body = "Matn.\n\nYuklab oling: [shakl](arzia.pdf).\n"
    site.write(NEWS, news("uz", "X", "2025-06-12", body=body))
    result = site.build()
    diag = find_diag(result, NEWS, 7, "arzia.pdf")
    assert diag is not None, messages(result)
    assert diag.column == len("Yuklab oling: [shakl](") + 1
    assert "ariza.pdf" in diag.hint
    assert not result.written


def test_static_files_are_served_at_their_plain_address_under_a_base_path(site):
    (site.root / "static/files").mkdir()
    (site.root / "static/files/nizom.pdf").write_bytes(PDF)
    site.write(NEWS, news("uz", "X", "2025-06-12", body="[Nizom](/files/nizom.pdf) va [bosh](/uz/)\n"))
    result = site.build(base_url=SUB)
    assert errors(result) == [], messages(result)
    links = _links(site, PAGE)
    assert links["Nizom"] == "/ir/files/nizom.pdf"
    assert links["bosh"] == address.href(address.home("uz"), SUB)
    assert (site.root / "site/files/nizom.pdf").read_bytes() == PDF


def test_root_relative_links_are_checked_against_what_the_build_writes(site):
    site.write("content/news/other.uz.md", news("uz", "Boshqa", "2025-01-01"))
    body = ("[ok](/uz/news/other/) [base](/uz/news/) [typo](/uz/news/othr/)\n\n"
            "Again: [typo](/uz/news/othr/) and ![Logo](/img/nope.png)\n")
    site.write(NEWS, news("uz", "X", "2025-06-12", body=body))
    result = site.build()
    first = find_diag(result, NEWS, 5, "/uz/news/othr/")
    second = find_diag(result, NEWS, 7, "/uz/news/othr/")
    assert first is not None and second is not None, messages(result)
    assert first.column == body.index("/uz/news/othr/") + 1
    assert second.column == len("Again: [typo](") + 1
    assert "/uz/news/other/" in first.hint
    assert find_diag(result, NEWS, 7, "/img/nope.png") is not None, messages(result)
    assert len(errors(result)) == 3, messages(result)


def test_a_static_image_by_its_plain_path_works(site):
    site.write(NEWS, news("uz", "X", "2025-06-12", body="![Institut belgisi](/img/logo.png)\n"))
    result = site.build(base_url="https://example.org/ir/")
    assert errors(result) == [], messages(result)
    assert site.soup(PAGE).find("main").find("img")["src"] == "/ir/img/logo.png"
    assert (site.root / "site/img/logo.png").is_file()


def test_each_broken_link_to_one_document_is_reported_where_it_is(site):
    body = "[a](nope.md)\n\nText.\n\n[b](nope.md)\n"
    site.write(NEWS, news("uz", "X", "2025-06-12", body=body))
    result = site.build()
    lines = sorted({d.line for d in errors(result) if "nope.md" in d.message})  # (also on the en fallback)
    assert lines == [5, 9], messages(result)


def test_a_link_to_a_draft_is_reported(site):
    site.write("content/news/plan.uz.md", news("uz", "Reja", "2025-01-01", draft="true"))
    site.write(NEWS, news("uz", "X", "2025-06-12", body="See [the plan](plan.md).\n"))
    result = site.build()
    diag = find_diag(result, NEWS, 5, "draft")
    assert diag is not None, messages(result)
    assert site.build(drafts=True).diagnostics.errors == []


def test_a_link_to_a_page_missing_in_the_pages_language_is_reported(site):
    site.write("data/site.yaml", (site.root / "data/site.yaml").read_text().replace(
        "missing_translation: fallback", "missing_translation: omit"))
    site.write("content/news/only-uz.uz.md", news("uz", "Faqat", "2025-01-01"))
    site.write("content/news/x.en.md", news("en", "X", body="Read [this](only-uz.md) or [pinned](only-uz.uz.md).\n"))
    site.write(NEWS, news("uz", "X", "2025-06-12"))
    result = site.build()
    diag = find_diag(result, "content/news/x.en.md", 4, "no English version", severity="warning")
    assert diag is not None, messages(result)
    assert "only-uz.uz.md" in diag.hint
    assert len([d for d in warnings(result) if "only-uz" in d.message]) == 1, messages(result)


def test_raw_html_is_held_to_the_rules_of_markdown(site):
    site.write("content/news/other.uz.md", news("uz", "Boshqa", "2025-01-01"))
    body = ('<p><a href="other.md">ok</a> <a href="nope.md">bad</a></p>\n\n'
            '<img src="https://tracker.example/pixel.gif" alt="">\n\n'
            '<img src="missing.png" alt="Rasm">\n')
    site.write(NEWS, news("uz", "X", "2025-06-12", body=body))
    result = site.build()
    assert find_diag(result, NEWS, 5, "nope.md") is not None, messages(result)
    assert find_diag(result, NEWS, 7, "another website") is not None, messages(result)
    assert find_diag(result, NEWS, 7, "no alt text") is not None, messages(result)
    assert find_diag(result, NEWS, 9, "missing.png") is not None, messages(result)
    ok = site.build  # the same page without its mistakes resolves the .md link per language
    site.write(NEWS, news("uz", "X", "2025-06-12", body='<p><a href="other.md">ok</a></p>\n'))
    assert errors(ok()) == []
    assert _links(site, PAGE)["ok"] == address.document("uz", "news", "other")


def test_a_pasted_data_image_is_refused_with_a_hint(site):
    body = "![Chizma](data:image/png;base64,iVBORw0KGgo=)\n"
    site.write(NEWS, news("uz", "X", "2025-06-12", body=body))
    result = site.build()
    diag = find_diag(result, NEWS, 5, "pasted into the text")
    assert diag is not None, messages(result)
    assert "file" in diag.hint


def test_attachments_survive_a_build_that_reuses_the_page(site, tmp_path):
    (site.root / "content/news/ariza.pdf").write_bytes(PDF)
    site.write(NEWS, news("uz", "X", "2025-06-12", body="[Ariza](ariza.pdf)\n"))
    assert site.build().written
    again = site.build()
    assert again.written and address.file(ARIZA) in again.files
    assert (site.root / "site" / address.file(ARIZA)).read_bytes() == PDF


def test_the_sites_own_addresses_written_out_are_checked_too(site):
    site.write("content/news/other.uz.md", news("uz", "Boshqa", "2025-01-01"))
    body = "[ok](https://example.org/uz/news/other/) [bad](https://example.org/uz/news/nothing/)\n"
    site.write(NEWS, news("uz", "X", "2025-06-12", body=body))
    project = "content/projects/p.uz.md"
    site.write(project, '---\ntitle: "Loyiha"\nlink: "https://example.org/uz/yoq/"\n---\nMatn.\n')
    result = site.build()
    assert find_diag(result, NEWS, 5, "https://example.org/uz/news/nothing/") is not None, messages(result)
    front = find_diag(result, project, 3, "https://example.org/uz/yoq/")
    assert front is not None and front.column == 1, messages(result)  # the field, at its line
    assert len({(d.path, d.line) for d in errors(result)}) == 2, messages(result)


def test_pasted_html_images_and_files_beside_the_document_are_published(site):
    from mistakes import PNG
    (site.root / "content/news/rasm.png").write_bytes(PNG)
    (site.root / "content/news/ariza.pdf").write_bytes(PDF)
    body = '<p align="center"><img src="rasm.png" alt="Shartnoma imzolanishi"></p>\n\n<a href="ariza.pdf">Ariza</a>\n'
    site.write(NEWS, news("uz", "X", "2025-06-12", body=body))
    result = site.build()
    assert errors(result) == [], messages(result)
    main = site.soup(PAGE).find("main")
    image = main.find("img", alt="Shartnoma imzolanishi")
    assert image is not None and (site.root / "site" / image["src"].lstrip("/")).is_file(), image
    assert main.find("a", string="Ariza")["href"] == ARIZA
    assert (site.root / "site" / address.file(ARIZA)).read_bytes() == PDF


def test_footnotes_and_file_sizes_speak_the_pages_language(site):
    (site.root / "content/news/nizom.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    site.write(NEWS, news("uz", "X", "2025-06-12", body="Matn[^1] va [nizom](nizom.pdf).\n\n[^1]: Izoh.\n"))
    result = site.build()
    assert errors(result) == [], messages(result)
    main = site.soup(PAGE).find("main")
    assert main.find("a", class_="footnote-backref")["title"] == "Matndagi 1-izohga qaytish"
    assert main.find("span", class_="file-facts").get_text() == "(PDF, 15\u00a0bayt)"


def test_a_missing_language_version_of_an_attachment_is_named(site):
    (site.root / "content/news/form.uz.pdf").write_bytes(PDF)
    site.write(NEWS, news("uz", "X", "2025-06-12", body="[Shakl](form.pdf)\n"))
    site.write("content/news/x.en.md", news("en", "X", body="[Form](form.pdf)\n"))
    result = site.build()
    diag = find_diag(result, "content/news/x.en.md", 4, "no English version")
    assert diag is not None, messages(result)
    assert "form.en.pdf" in diag.message and "form.uz.pdf" in diag.hint


def test_a_misspelt_attachment_is_suggested_without_its_language(site):
    (site.root / "content/news/form.uz.pdf").write_bytes(PDF)
    (site.root / "content/news/form.en.pdf").write_bytes(PDF)
    site.write(NEWS, news("uz", "X", "2025-06-12", body="[Shakl](from.pdf)\n"))
    result = site.build()
    diag = find_diag(result, NEWS, 5, "from.pdf")
    assert diag is not None and "'form.pdf'" in diag.hint, messages(result)


def test_a_link_to_a_drafts_address_says_it_is_a_draft(site):
    site.write("content/news/plan.uz.md", news("uz", "Reja", "2025-01-01", draft="true"))
    site.write(NEWS, news("uz", "X", "2025-06-12", body="[reja](/uz/news/plan/)\n"))
    diag = find_diag(site.build(), NEWS, 5, "draft")
    assert diag is not None


def test_the_files_looked_at_for_notices_are_those_a_recursive_glob_finds(tmp_path):
    """check_unused walks content/ without a Path for each Markdown file; it must look at
    the files rglob('*') would: in subfolders and hidden folders (left out later), a file
    link, not inside a linked folder, and no Markdown or hidden file in any case of .md."""
    from sitegen.markup import _files_besides_markdown

    root = tmp_path / "content"
    for name in ("news/a.uz.md", "news/B.EN.MD", "news/form.pdf", "news/.draft.pdf", "news/2026/deep/x.docx",
                 ".git/config", "about/img.uz.png", "noext", "elsewhere/far.pdf"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    (root / "linked").symlink_to(root / "elsewhere", target_is_directory=True)
    (root / "news/link.pdf").symlink_to(root / "news/form.pdf")
    (root / "news/dangling.pdf").symlink_to(root / "news/gone.pdf")
    expected = sorted(path for path in root.rglob("*") if not path.name.startswith(".")
                      and path.suffix.lower() != ".md" and (path.is_file() or path.is_symlink()
                                                              and not path.is_dir()))
    assert sorted(_files_besides_markdown(root)) == expected
    assert root / "news/2026/deep/x.docx" in expected and root / ".git/config" in expected
