"""The search page with and without JavaScript."""

import re

from playwright.sync_api import expect


def test_with_javascript_a_facet_updates_results_and_counts_in_place(page):
    page.goto("/practices/")
    page.evaluate("window.pageWasNotReloaded = true")
    before = page.locator("#results-heading").inner_text()
    spain_count = page.locator('label[for="f-country-ES"] .count').inner_text()

    page.locator("#f-country-ES").check()

    expect(page).to_have_url(re.compile(r"/practices/\?country=ES$"))
    expect(page.locator("#results-heading")).not_to_have_text(before)
    assert page.evaluate("window.pageWasNotReloaded === true"), "the page was reloaded"
    # The other countries stay offered with their own counts (disjunctive facet), and the
    # barrier counts now count Spanish practices only.
    expect(page.locator("#f-country-PL")).to_be_enabled()
    expect(page.locator("#results-heading")).to_contain_text(spain_count.strip("()"))
    expect(page.locator("#f-country-ES")).to_be_focused()
    expect(page.locator("#results-status")).to_contain_text("found")


def test_without_javascript_filters_apply_with_a_button(browser, site):
    context = browser.new_context(
        base_url=site.url, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto("/practices/")
        apply = page.get_by_role("button", name="Apply filters")
        expect(apply).to_be_visible()
        page.locator("#f-country-ES").check()
        apply.click()
        expect(page).to_have_url(re.compile(r"country=ES"))
        expect(page.locator("#f-country-ES")).to_be_checked()
        expect(page.get_by_role("link", name=re.compile("Remove filter.*Spain"))).to_be_visible()
        page.get_by_role("link", name=re.compile("Remove filter.*Spain")).click()
        expect(page.locator("#f-country-ES")).not_to_be_checked()
    finally:
        context.close()
