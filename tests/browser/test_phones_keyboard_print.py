"""Phones, the keyboard and printing, in Chromium: every page fits a 360 px screen in either
language, the results are a few key presses away, the sort list waits for its button, and a
comparison prints on A4 with every column and where it came from."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, screenshot
from .test_accessibility import PAGES, shortlist_three

PHONE = {"width": 360, "height": 780}


def overflow(page):
    """How far the page is wider than the screen, and what sticks out."""
    return page.evaluate(
        """() => ({
          extra: document.documentElement.scrollWidth - window.innerWidth,
          culprits: [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(el => !el.closest('.table-scroll'))
            .slice(0, 5).map(el => el.tagName + '.' + el.className),
        })"""
    )


def test_every_page_type_fits_a_360_px_screen_in_english_and_french(browser, site):
    context = browser.new_context(base_url=site.url, viewport=PHONE)
    page = context.new_page()
    slugs = shortlist_three(page)
    wide = {}
    for language, switch in [("en", None), ("fr", "Français")]:
        if switch:
            page.goto("/")
            page.get_by_role("button", name=switch).click()
            page.wait_for_load_state()
            expect(page.locator("html")).to_have_attribute("lang", "fr")
        urls = [url for _name, url in PAGES]
        urls += ["/shortlist/", "/compare/?" + "&".join(f"p={slug}" for slug in slugs)]
        for url in urls:
            page.goto(url)
            found = overflow(page)
            if found["extra"] > 0:
                wide[f"{language} {url}"] = found
    context.close()
    assert not wide, wide


def test_on_a_phone_the_filters_are_one_tap_from_the_top(phone_page):
    phone_page.goto("/practices/?q=export")
    filters = phone_page.get_by_role("link", name=re.compile(r"^Filters"))
    expect(filters).to_be_visible()
    assert filters.bounding_box()["y"] < 780, "the Filters link is not on the first screen"
    filters.click()
    expect(phone_page.locator("#facets-heading")).to_be_in_viewport()
    screenshot(phone_page, "phone-filters-360")


def test_the_first_result_is_a_few_tab_presses_away(page):
    page.goto("/practices/")
    presses = 0
    while not page.evaluate("document.activeElement.matches('.search-jumps__results')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 25, "Tab never reached the link to skip to the results"
    expect(page.locator(".search-jumps__results")).to_be_visible()  # shown while focused
    page.keyboard.press("Enter")
    first_result = page.locator(".result-list .card__title a").first
    while not page.evaluate("document.activeElement.matches('.result-list .card__title a')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 30, f"{presses} Tab presses and still no result"
    expect(first_result).to_be_focused()


def test_the_sort_list_applies_with_its_button_not_on_every_arrow_key(page):
    page.goto("/practices/?q=export")
    titles = page.locator(".result-list .card__title").all_inner_texts()
    sort = page.locator("#search-sort")
    sort.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)  # what a reload on change would take, and then some
    assert "sort=" not in page.url
    assert page.locator(".result-list .card__title").all_inner_texts() == titles
    page.get_by_role("button", name="Sort", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=title"))
    expect(page.locator("#search-sort")).to_have_value("title")


@pytest.mark.parametrize("count", [2, 4])
def test_a_comparison_prints_on_a4_with_every_column_and_its_origin(page, count):
    slugs = shortlist_three(page)[:count]
    if count == 4:
        page.goto("/practices/?sort=title&page=1")
        slugs.append(page.locator(".result-list .shortlist-button").nth(3).get_attribute("value"))
    page.goto("/compare/?" + "&".join(f"p={slug}" for slug in slugs))
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / f"compare-{count}.pdf"), format="A4")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, margins included
    columns = page.locator(".compare-table thead th")
    expect(columns).to_have_count(count)
    right_edge = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.compare-table th, .compare-table td')]"
        ".map(cell => cell.getBoundingClientRect().right))"
    )
    assert right_edge <= 794, "a column of the comparison falls off the page"
    origin = page.locator(".print-origin")
    expect(origin).to_be_visible()
    expect(origin).to_contain_text("Good Practice Knowledge Base")
    expect(origin).to_contain_text(f"/compare/?p={slugs[0]}")
    for control in page.locator("button, input, select, .site-nav, .site-footer").all():
        expect(control).to_be_hidden()
    screenshot(page, f"compare-{count}-print")
