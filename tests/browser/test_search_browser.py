"""Search in a real browser: the Pagefind index the build wrote, queried by the search
page's script, at the root and under a sub-path; and the site without JavaScript."""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("chromium")

from chromium import axe_violations, describe_violations  # noqa: E402
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
