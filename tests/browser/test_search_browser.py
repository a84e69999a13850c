"""Search in a real browser: the Pagefind index the build wrote, queried by the search
page's script, at the root and under a sub-path; and the site without JavaScript."""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("chromium")

import json  # noqa: E402

import sitegen.search  # noqa: E402
from chromium import SUB_PATH, axe_violations, copy_project, describe_violations, served_build  # noqa: E402
from conftest import address, ui_strings  # noqa: E402

pytest_plugins = ["chromium"]

pytestmark = pytest.mark.external("chromium", "axe")

DONE = "document.querySelector('[data-search-status]').textContent.includes('“')"


def search(tab, site, lang: str, query: str) -> list[str]:
    """Open the search page with ?q=query, wait for the answer, return the result links."""
    tab.open(site.url(address.search(lang)) + "?q=" + query)
    tab.page.wait_for_function(DONE, timeout=15000)
    return tab.page.eval_on_selector_all(".search-results a", "links => links.map(a => a.href)")


@pytest.mark.parametrize("which", ["default", "paged"])
def test_an_english_search_finds_the_memorandum_in_english_only(tab, sites, which):
    site = getattr(sites, which)
    links = search(tab, site, "en", "Kazakh")
    memo = site.page_url("news/kaznua-memorandum", "en")
    assert memo in links
    assert all(link.startswith(site.url(address.home("en"))) for link in links), links
    status = tab.page.inner_text("[data-search-status]")
    assert status.startswith("Results for “Kazakh”")
    tab.assert_clean()


def test_uzbek_typed_with_an_apostrophe_finds_the_proper_letters(tab, sites):
    site = sites.default
    links = search(tab, site, "uz", "Qozog'iston")
    assert site.page_url("news/kaznua-memorandum", "uz") in links
    assert all(link.startswith(site.url(address.home("uz"))) for link in links), links
    tab.assert_clean()


def test_a_search_with_no_match_says_so(tab, sites):
    assert search(tab, sites.default, "en", "zzqqxx") == []
    assert "Nothing was found" in tab.page.inner_text("[data-search-status]")
    tab.assert_clean()


def test_the_header_box_leads_to_results_and_a_result_opens(tab, sites):
    site = sites.default
    tab.open(site.page_url("_index", "en"))
    tab.page.fill("#site-search", "UzDOC")
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.press("#site-search", "Enter")
    assert address.search("en") + "?q=UzDOC" in tab.page.url
    tab.page.wait_for_function(DONE, timeout=15000)
    first = tab.page.locator(".search-results a").first
    target = tab.click_and_wait(first)
    assert target.startswith(site.url(address.home("en")))
    assert "UzDOC" in tab.page.inner_text("main")
    tab.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_are_accessible(tabs, sites, scheme):
    tab = tabs(scheme=scheme)
    search(tab, sites.default, "en", "Erasmus")
    violations = axe_violations(tab.page)
    assert violations == [], describe_violations(violations)
    tab.assert_clean()


def test_without_javascript_the_search_page_says_how_to_browse(chromium, sites):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(sites.default.url(address.home("uz")), wait_until="load")
        page.fill("#site-search", "hamkor")
        with page.expect_navigation(wait_until="load"):
            page.press("#site-search", "Enter")
        assert address.search("uz") + "?q=hamkor" in page.url
        assert page.inner_text("[data-search-status]") == ui_strings("uz")["search_no_script"]
        assert page.locator(".main-nav a").count() >= 5, "the menu still leads everywhere"
    finally:
        context.close()


@pytest.fixture(scope="module")
def in_parts(tmp_path_factory, chromium, sites):
    """The shipped site again, under the sub-path, with each language's index in parts
    of eight pages (the default site, built first, has one part per language)."""
    base = tmp_path_factory.mktemp("search-parts")
    project = copy_project(base / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sitegen.search, "PART_PAGES", 8)
        patch.setattr(sitegen.search, "SPLIT_FROM", 8)
        with served_build(project, base / "site", "index in parts", SUB_PATH) as site:
            patch.undo()
            yield site


# Words every part holds as written. Where a part lacks a word and holds longer words that
# begin with it (uz "memorandum": "memorandumi"), Pagefind looks for those in that part
# only, so a search can find a page more or less than one index would (docs/publishing.md).
@pytest.mark.parametrize("lang, query", [("en", "Kazakh"), ("en", "university"), ("uz", "hamkorlik"),
                                         ("en", "festival"), ("uz", "Qozogʻiston")])
def test_an_index_in_parts_finds_what_one_index_finds(tab, sites, in_parts, lang, query):
    listed = json.loads((in_parts.out / "pagefind/parts.json").read_bytes())
    assert len(listed[lang]) >= 2, listed

    def found(site) -> tuple[str, set[str]]:
        """The status line, which counts every result, and the results listed (the first 20)."""
        links = search(tab, site, lang, query)
        return tab.page.inner_text("[data-search-status]"), {link.replace(site.url("/"), "/") for link in links}

    (status, whole), (status_in_parts, in_parts_found) = found(sites.default), found(in_parts)
    assert whole and status == status_in_parts
    if len(whole) < 20:  # every result is listed; a longer list is in the order each part ranks
        assert whole == in_parts_found
    tab.assert_clean()
