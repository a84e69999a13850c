"""Accessibility: axe-core's WCAG 2.0, 2.1 and 2.2 level A and AA rules find nothing on
any page type, in either language, on a desktop and a phone screen, in the light and
the dark colour scheme. Each combination is its own test, so a failure names it."""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("chromium")

from chromium import DESKTOP, LANGS, MOBILE, PAGE_TYPES, axe_violations, describe_violations  # noqa: E402

pytest_plugins = ["chromium"]

pytestmark = pytest.mark.external("chromium", "axe")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [DESKTOP, MOBILE], ids=lambda w: f"{w}px")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_axe_finds_no_wcag_violations(sites, tabs, name, lang, width, scheme):
    tab = tabs(width, scheme)
    target = sites.target(name, lang)
    tab.open_target(target)
    violations = axe_violations(tab.page)
    assert not violations, (
        f"axe-core: {len(violations)} WCAG rule(s) violated on {target.url} "
        f"({lang}, {width}px, {scheme} scheme):\n" + describe_violations(violations))
    tab.assert_clean()
