"""axe-core finds no WCAG 2.1 A/AA violation on any page type, at desktop and phone widths.

Each page is also saved as a full-page screenshot under test-artifacts/ for review.
"""

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations, format_violations, screenshot

PRACTICE = "export-consortia-cantabria"
PAGES = [
    ("home", "/"),
    ("search-facets", "/practices/?q=export&barrier=limited-size-and-capacity&country=ES"),
    ("search-empty", "/practices/?q=zzzzqqqq"),
    ("practice", f"/practices/{PRACTICE}/"),
    ("barrier", "/barriers/limited-size-and-capacity/"),
    ("barriers", "/barriers/"),
    ("matrix", "/matrix/"),
    ("map", "/map/"),
    ("map-search", "/map/?q=export&barrier=limited-size-and-capacity&country=ES"),
    ("topic", "/topics/financial-support/"),
    ("topics", "/topics/"),
    ("project", "/projects/sie/"),
    ("projects", "/projects/"),
    ("accessibility", "/accessibility/"),
    ("legal-notice", "/legal-notice/"),
    ("privacy", "/privacy/"),
    ("contact", "/contact/"),
    ("open-data", "/open-data/"),
    ("compare-empty", "/compare/"),
    ("source", "/sources/policy-brief-2021/"),
    ("shared-shortlist", f"/shortlist/?p={PRACTICE}&p=profitnet"),
    ("not-found", "/no/such/page/"),
    ("admin-login", "/admin/login/"),
]


def shortlist_three(page):
    """Put three practices on the shortlist the way a visitor does, and return their slugs."""
    page.goto("/practices/?sort=title")
    slugs = []
    for index in range(3):
        button = page.locator(".result-list .shortlist-button").nth(index)
        slugs.append(button.get_attribute("value"))
        button.click()
        expect(button).to_contain_text("Remove from shortlist")  # swapped in place (htmx)
    return slugs


@pytest.mark.parametrize("width", [1280, 360])
def test_every_page_type_has_no_axe_violations_in_either_language(browser, site, width):
    context = browser.new_context(base_url=site.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    found = {}

    def check(name):
        screenshot(page, f"{name}-{width}")
        violations = axe_violations(page)
        if violations:
            found[name] = violations

    slugs = shortlist_three(page)
    # The French interface follows the same rules (lang attributes, translated labels).
    for language, switch in [("en", None), ("fr", "Français")]:
        if switch:
            page.goto("/")
            page.get_by_role("button", name=switch).click()
            page.wait_for_load_state()
        for name, url in PAGES:
            page.goto(url)
            check(f"{name}-{language}")
        page.goto("/shortlist/")
        check(f"shortlist-{language}")
        page.goto("/compare/?" + "&".join(f"p={slug}" for slug in slugs))
        check(f"compare-{language}")
    page.goto("/practices/?q=PME")  # French words find English practices (search.glossary)
    check("search-pme-fr")

    context.close()
    assert not found, format_violations(found)
