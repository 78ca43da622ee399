"""A NUL character in an address or a form: the "Bad request" page, never a 500.

PostgreSQL refuses the character in a query, so a view or an admin filter that looked such a
value up failed with a 500; SQLite took it. Both now answer 400 before any view runs.
"""

import pytest

pytestmark = pytest.mark.django_db

HEADING = "We could not understand this request"


@pytest.mark.parametrize(
    "url",
    [
        "/practices/?barrier=%00",
        "/practices/?q=export&tag=a%00b",
        "/practices/?region=%00&project=%00",
        "/barriers/limited-size-and-capacity/?topic=%00",
        "/compare/?p=%00&p=profitnet",
        "/practices/?%00=1",
    ],
)
def test_a_nul_character_in_a_public_address_gets_the_bad_request_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert HEADING in response.content.decode()


def test_a_nul_character_in_a_form_post_gets_the_bad_request_page(client):
    response = client.post("/shortlist/add/", {"slug": "profitnet\x00"})
    assert response.status_code == 400
    assert HEADING in response.content.decode()
    response = client.post(
        "/shortlist/add/", "slug=profitnet%00", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/practices/practice/?status=%00",
        "/admin/autocomplete/?app_label=practices&model_name=practice&field_name=barriers&term=%00",
    ],
)
def test_a_nul_character_in_an_admin_address_gets_the_bad_request_page(client, expert, url):
    client.force_login(expert)
    assert client.get(url).status_code == 400


def test_ordinary_requests_still_pass(client):
    assert client.get("/practices/?q=export&barrier=limited-size-and-capacity").status_code == 200
    response = client.post("/shortlist/add/", {"slug": "profitnet"})
    assert response.status_code == 302
    assert client.get("/shortlist/").context["practices"][0].slug == "profitnet"
