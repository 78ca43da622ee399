"""400, 403, 404 and 500 pages: in the site's design, with a search box and links onwards."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


@pytest.fixture(autouse=True)
def _back_to_english():
    """A French request leaves French active in this thread; later tests expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def assert_helpful(page):
    assert 'class="site-header"' in page
    assert 'role="search"' in page
    assert 'name="q"' in page
    assert 'href="/barriers/"' in page
    assert 'href="/topics/"' in page


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/test-400/", 400, "We could not understand this request"),
        ("/test-403/", 403, "You cannot open this page"),
        ("/no/such/page/", 404, "We cannot find this page"),
        ("/practices/no-such-practice/", 404, "We cannot find this page"),
    ],
)
def test_error_pages_use_the_site_design(client, url, status, heading):
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert heading in page
    assert f"Error {status}" in page
    assert_helpful(page)
    assert 'action="/i18n/setlang/"' in page  # the full layout, language switch included


def test_server_error_page_stands_alone_in_the_site_design():
    client = Client(raise_request_exception=False)
    response = client.get("/test-500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert_helpful(page)


def test_csrf_failure_page_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/shortlist/add/", {"slug": "anything"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This form has expired" in page
    assert_helpful(page)


def test_a_post_from_another_site_gets_the_csrf_failure_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/shortlist/add/", {"slug": "profitnet"}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert not response.cookies  # no shortlist kept


def test_error_pages_are_translated(client):
    client.cookies["django_language"] = "fr"
    page = client.get("/no/such/page/").content.decode()
    assert '<html lang="fr"' in page
    assert "Erreur 404" in page
