from .conftest import axe_violations, format_violations


def test_home_page_renders_in_chromium_without_accessibility_violations(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).is_visible()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
