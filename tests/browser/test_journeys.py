"""The three main journeys, in Chromium."""

import re

from playwright.sync_api import expect

from .conftest import screenshot

FOCUS_IS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return el.matches(':focus-visible') && style.outlineStyle !== 'none'
    && parseFloat(style.outlineWidth) >= 2;
}"""


def result_titles(page):
    return page.locator(".result-list .card__title").all_inner_texts()


def test_policy_officer_searches_and_opens_a_practice(page):
    page.goto("/")
    page.get_by_role("searchbox", name="Search good practices").first.fill("export consortia")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/practices/\?q=export\+consortia"))
    expect(page.locator("#results-heading")).to_contain_text("found")
    page.get_by_role("link", name="Export Consortia", exact=True).click()
    expect(page).to_have_url(re.compile(r"/practices/export-consortia-cantabria/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Export Consortia")
    expect(page.get_by_role("heading", name="At a glance")).to_be_visible()
    expect(page.get_by_text("This practice is written in English.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Good practices")
    screenshot(page, "journey-practice-1280")


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_region_filters_by_two_barriers_and_a_country_and_shares_the_url(page, browser, site):
    page.goto("/practices/")
    # Keyboard only for the barriers: Tab from the search box, Space to tick, focus stays visible.
    page.locator("#search-q").focus()
    tab_to(page, "#f-barrier-limited-size-and-capacity")
    assert page.evaluate(FOCUS_IS_VISIBLE), "the focused facet checkbox shows no focus ring"
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"barrier=limited-size-and-capacity"))
    expect(page.locator("#f-barrier-limited-size-and-capacity")).to_be_checked()
    expect(page.locator("#f-barrier-limited-size-and-capacity")).to_be_focused()
    screenshot(page, "journey-facet-focus-1280")

    page.locator("#search-q").focus()
    tab_to(page, "#f-barrier-legal-and-administrative-burden")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"barrier=legal-and-administrative-burden"))

    page.locator("#f-country-ES").check()
    expect(page).to_have_url(re.compile(r"country=ES"))
    expect(page.locator(".chip").first).to_be_visible()
    expect(page.locator("#f-country-ES")).to_be_checked()

    shared_url = page.url
    heading = page.locator("#results-heading").inner_text()
    titles = result_titles(page)
    assert titles, "the filters left no result to share"

    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = fresh.new_page()
        other.goto(shared_url)
        expect(other.locator("#results-heading")).to_have_text(heading)
        assert result_titles(other) == titles
        for box in (
            "#f-barrier-limited-size-and-capacity",
            "#f-barrier-legal-and-administrative-burden",
            "#f-country-ES",
        ):
            expect(other.locator(box)).to_be_checked()
    finally:
        fresh.close()


def test_visitor_shortlists_and_compares_three_practices(page):
    page.goto("/practices/?sort=title")
    titles = result_titles(page)[:3]
    page.locator(".result-list .shortlist-button").nth(2).scroll_into_view_if_needed()
    page.mouse.wheel(0, 300)
    for index in range(3):
        button = page.locator(".result-list .shortlist-button").nth(index)
        button.focus()
        scrolled = page.evaluate("window.scrollY")
        page.keyboard.press("Enter")
        # In place: the button turns into "Remove", keeps the focus, the page does not move.
        expect(button).to_contain_text("Remove from shortlist")
        expect(button).to_be_focused()
        assert page.evaluate("window.scrollY") == scrolled
        expect(page.locator("#shortlist-status")).to_contain_text("added to your shortlist")
        expect(page.locator("#shortlist-count")).to_contain_text(f"({index + 1}")
    expect(page.get_by_role("link", name=re.compile(r"Shortlist \(3"))).to_be_visible()

    page.get_by_role("link", name=re.compile(r"Shortlist \(3")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your shortlist")
    for title in titles:
        expect(page.get_by_role("checkbox", name=title)).to_be_checked()
    page.get_by_role("button", name="Compare selected practices").click()

    expect(page).to_have_url(re.compile(r"/compare/\?p="))
    headers = page.locator(".compare-table thead th").all_inner_texts()
    assert headers == titles
    expect(page.get_by_role("rowheader", name="Barriers addressed")).to_be_visible()
    screenshot(page, "journey-compare-1280")

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".compare-table")).to_be_visible()
    screenshot(page, "journey-compare-print")


def test_the_shortlist_survives_closing_the_browser_and_is_shared_as_a_link(page, browser, site):
    page.goto("/practices/?sort=title")
    titles = result_titles(page)[:2]
    for index in range(2):
        button = page.locator(".result-list .shortlist-button").nth(index)
        button.click()
        expect(button).to_contain_text("Remove from shortlist")
    # Closing the browser keeps the cookies that have an expiry, and only those.
    kept = [cookie for cookie in page.context.cookies() if cookie["expires"] > 0]
    reopened = browser.new_context(base_url=site.url)
    reopened.add_cookies(kept)
    again = reopened.new_page()
    again.goto("/shortlist/")
    for title in titles:
        expect(again.get_by_role("checkbox", name=title)).to_be_visible()
    share_url = again.locator("#share-url").input_value()
    reopened.close()

    stranger = browser.new_context()
    shared = stranger.new_page()
    shared.goto(share_url)
    expect(shared.get_by_role("heading", level=1)).to_have_text("A shared shortlist")
    assert result_titles(shared) == titles
    shared.get_by_role("button", name="Add them all to your shortlist").click()
    expect(shared.get_by_role("heading", level=1)).to_have_text("Your shortlist")
    expect(shared.get_by_role("link", name=re.compile(r"Shortlist \(2"))).to_be_visible()
    stranger.close()


def test_without_javascript_the_shortlist_button_still_works(browser, site):
    context = browser.new_context(base_url=site.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/practices/?sort=title")
    page.locator(".result-list .shortlist-button").first.click()
    expect(page.locator(".message--success")).to_contain_text("added to your shortlist")
    expect(page).to_have_url(re.compile(r"#shortlist-"))
    expect(page.locator(".result-list .shortlist-button").first).to_contain_text("Remove")
    context.close()
