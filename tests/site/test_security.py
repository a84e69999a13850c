"""Nothing an editor writes, links or names can reach outside the project or run
in a visitor's browser: links to files outside the project are refused, slugs and
filter values cannot make an address that leaves the output folder, and every
page of the site can be served with a Content Security Policy that forbids
inline scripts and styles."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from conftest import ROOT, address, soup
from sitegen.pipeline import run

NEWS = '---\ntitle: "Xabar"\ndate: 2026-11-01\n---\n{body}\n'


def problems(result) -> list[str]:
    return [d.format() for d in result.diagnostics.items]


def test_a_content_file_linked_from_outside_the_project_is_refused(site, tmp_path):
    secret = tmp_path / "secret.uz.md"
    secret.write_text('---\ntitle: "Maxfiy"\n---\nparol\n', encoding="utf-8")
    os.symlink(secret, site.root / "content/news/secret.uz.md")
    result = site.build()
    assert not result.written
    assert problems(result) == [
        "content/news/secret.uz.md: error: this is a symbolic link; content/ takes only real files and folders\n"
        "    hint: copy the file here instead, or link to the other page with [text](its-path.md)"]
    assert not (site.root / "site").exists()


def test_a_data_file_linked_from_outside_the_project_is_refused(site, tmp_path):
    outside = tmp_path / "tags.yaml"
    outside.write_text((site.root / "data/tags.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (site.root / "data/tags.yaml").unlink()
    os.symlink(outside, site.root / "data/tags.yaml")
    assert any("data/tags.yaml: error: is a link to a file outside the project" in p
               for p in problems(site.build()))


def test_a_static_file_linked_from_outside_the_project_is_refused(site, tmp_path):
    (tmp_path / "passwd").write_text("root:x:0:0\n", encoding="utf-8")
    os.symlink(tmp_path / "passwd", site.root / "static/passwd.txt")
    result = site.build()
    assert any("static/passwd.txt: error: is a link to a file outside the project" in p for p in problems(result))
    assert not result.written


def test_a_template_linked_from_outside_the_project_is_refused(site, tmp_path):
    outside = tmp_path / "page.html"
    shutil.copy(site.root / "templates/page.html", outside)
    (site.root / "templates/page.html").unlink()
    os.symlink(outside, site.root / "templates/page.html")
    site.write("content/about.uz.md", '---\ntitle: "Biz haqimizda"\n---\nMatn.\n')
    result = site.build()
    assert any("templates/page.html is a link to a file outside the project" in p for p in problems(result))
    assert not result.written


def test_an_image_outside_the_content_folder_is_refused(site, tmp_path):
    shutil.copy(ROOT / "static/img/logo.png", site.root / "outside.png")
    site.write("content/news/picture.uz.md", NEWS.format(body="![Logo](../../outside.png)"))
    result = site.build()
    assert any("content/news/picture.uz.md:5:9: error: the image '../../outside.png' is outside the content "
               "folder" in p for p in problems(result)), problems(result)


@pytest.mark.parametrize("slug", ["../../etc", "/tmp/x", "a/../../b", "..", "x\\\\..\\\\y"])
def test_a_slug_cannot_leave_its_section(site, slug):
    site.write("content/news/escape.uz.md", f'---\ntitle: "Qochish"\ndate: 2026-11-01\nslug: "{slug}"\n---\nMatn.\n')
    result = site.build()
    assert any("content/news/escape.uz.md:4:1: error: 'slug' must be lowercase letters, digits and hyphens" in p
               for p in problems(result)), problems(result)
    assert not result.written


def test_a_filter_value_that_cannot_be_an_address_gets_no_page(site):
    site.write("data/site.yaml", site.root.joinpath("data/site.yaml").read_text(encoding="utf-8").replace(
        "    template: partner.html\n", "    template: partner.html\n    filters:\n      website: partners.html\n"))
    result = site.build()
    assert result.written
    assert any("the website 'https://kaznua.kz/' cannot be part of an address, so it gets no filter page" in p
               for p in problems(result)), problems(result)
    assert not [p for p in (site.root / "site").rglob("*") if ".." in p.name or "kaznua.kz" in str(p)]


# -- every page of the shipped site ----------------------------------------------------

@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("csp") / "site"
    result = run(ROOT, out=out, now="2026-12-05")
    assert result.written, [d.format() for d in result.diagnostics.items]
    return {p.relative_to(out).as_posix(): soup(p.read_text(encoding="utf-8")) for p in sorted(out.rglob("*.html"))}


def test_no_page_needs_unsafe_inline(pages):
    """What a strict Content-Security-Policy (script-src 'self'; style-src 'self') would
    block: inline scripts, event-handler attributes, javascript: URLs, inline styles."""
    found = []
    for name, page in pages.items():
        for script in page.find_all("script"):
            if script.get("type") == "application/ld+json":
                continue  # data, never executed
            if not script.get("src") or script.get_text().strip():
                found.append(f"{name}: inline <script>")
        if page.find("style"):
            found.append(f"{name}: <style> element")
        for element in page.find_all(True):
            for attribute, value in element.attrs.items():
                if attribute == "style":
                    found.append(f"{name}: style attribute on <{element.name}>")
                if attribute.startswith("on"):
                    found.append(f"{name}: {attribute} on <{element.name}>")
                if attribute in ("href", "src", "action") and re.match(r"\s*javascript:", str(value), re.I):
                    found.append(f"{name}: javascript: URL")
    assert found == []
    assert len(pages) > 100


def test_pages_load_scripts_and_styles_only_from_the_site(pages):
    for name, page in pages.items():
        for element in page.find_all(["script", "link", "img", "source", "iframe"]):
            for attribute in ("src", "href"):
                value = element.get(attribute)
                if value is None or element.name == "link" and element.get("rel") in (
                        ["canonical"], ["alternate"]):
                    continue
                assert not re.match(r"(https?:)?//", value), f"{name}: <{element.name} {attribute}={value}>"


def test_links_that_open_a_new_tab_cannot_reach_back(pages):
    for name, page in pages.items():
        for link in page.find_all("a", target="_blank"):
            assert "noopener" in (link.get("rel") or []), f"{name}: {link}"


@pytest.mark.slow  # a process of its own, or the whole shipped site
def test_email_addresses_are_plain_mailto_links(tmp_path):
    """An e-mail address is shown as it is, in a mailto: link; no script hides it."""
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".cache", "site", "node_modules", ".venv", ".git",
                                                                 "test-screenshots", "__pycache__"))
    department = project / "data/department.yaml"
    department.write_text(department.read_text(encoding="utf-8").replace('email: ""', 'email: "ir@example.org"'),
                          encoding="utf-8")
    result = run(project, out=project / "site", now="2026-12-05", index=False)
    assert result.written, problems(result)
    contacts = address.file(address.document("en", "", "contacts"))
    page = soup((project / "site" / contacts).read_text(encoding="utf-8"))
    link = page.find("a", href="mailto:ir@example.org")
    assert link is not None and link.get_text() == "ir@example.org"
    assert not [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
