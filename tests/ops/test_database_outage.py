"""The database unreachable (a restart, a failover): every page answers 503 with Retry-After in
the site's design, never a bare 500, and the site answers again as soon as the database does."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/practices/",
    "/practices/?q=export&barrier=limited-size-and-capacity",
    "/practices/profitnet/",
    "/barriers/",
    "/topics/",
    "/projects/",
    "/matrix/",
    "/compare/?p=profitnet",
]


def database_down(error=OperationalError):
    """Every new cursor fails as it does while PostgreSQL restarts."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "cursor",
        side_effect=error("connection to server at 127.0.0.1, port 5432 failed"),
    )


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_503_with_retry_after_while_the_database_is_down(url):
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "The knowledge base is unavailable for a moment" in page
    assert 'class="site-header"' in page
    assert 'role="search"' in page
    assert "no-store" in response["Cache-Control"]
    assert client.get(url).status_code in {200, 404}  # back at once when the database is


def test_a_visitor_with_a_session_and_a_post_get_the_503_page_too(client):
    client.post("/shortlist/add/", {"slug": "profitnet"})
    client.raise_request_exception = False
    with database_down(InterfaceError):  # a connection closed under the process
        assert client.get("/practices/").status_code == 503
        assert client.post("/shortlist/add/", {"slug": "profitnet"}).status_code == 503
        assert client.get("/shortlist/").status_code == 503  # its session is in the database


def test_a_sign_in_attempt_gets_the_503_page():
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.post("/admin/login/", {"username": "sue", "password": "whatever-pw"})
    assert response.status_code == 503


def test_any_other_error_is_still_the_500_page():
    client = Client(raise_request_exception=False)
    with mock.patch("web.views.home_page", side_effect=RuntimeError("a bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/practices/?q=export", "/api/v1/barriers/"])
def test_the_api_answers_503_in_json_while_the_database_is_down(url):
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["detail"]
    assert client.get(url).status_code == 200
