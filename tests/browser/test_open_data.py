"""Open data as its users meet it in a browser: the API's documentation runs under the site's
Content-Security-Policy with nothing from another host, and a policy officer downloads a search."""

from .conftest import screenshot


def test_api_docs_run_under_the_csp_from_this_site_only(page, site):
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))
    page.goto("/api/v1/docs/")
    # Swagger UI has read the schema and lists the endpoints.
    page.get_by_text("/api/v1/practices/", exact=True).first.wait_for()
    assert page.locator(".opblock").count() >= 10
    screenshot(page, "api-docs-1280")
    assert requested_hosts == {site.url.split("/")[2]}
    # The page fixture fails the test if the CSP refused anything.


def test_a_policy_officer_downloads_a_filtered_search(page, site):
    page.goto("/practices/?barrier=limited-size-and-capacity")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as file:
        text = file.read()
    assert text.startswith("slug,title,url")
    assert "export-consortia-cantabria" in text
    rows = text.strip().splitlines()
    total = page.locator("#results-heading").inner_text().split()[0]
    assert sum(1 for row in rows if "/practices/" in row) == int(total)
