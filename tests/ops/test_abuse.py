"""Bad input and abuse: unsafe redirects, demo accounts in production, a spoofed client address,
NUL characters, cookies nobody needs; robots.txt and security.txt."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


# --- The shortlist goes back only to a page of this site -----------------------------------------


@pytest.mark.parametrize("target", ["x", "practices", "javascript:alert(1)", "//evil.example/"])
def test_a_next_field_that_is_no_address_of_this_site_goes_to_the_shortlist(client, target):
    response = client.post("/shortlist/clear/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/shortlist/"


@pytest.mark.parametrize("referer", ["x", "https://evil.example/practices/", "ftp://testserver/"])
def test_a_referer_that_is_no_address_of_this_site_goes_to_the_shortlist(client, referer):
    response = client.post("/shortlist/add/", {"slug": "profitnet"}, HTTP_REFERER=referer)
    assert response.status_code == 302
    assert response["Location"] == "/shortlist/"


def test_a_page_of_this_site_is_where_the_visitor_goes_back_to(client):
    response = client.post(
        "/shortlist/add/", {"slug": "profitnet"}, HTTP_REFERER="http://testserver/practices/?q=a"
    )
    # Back to the button pressed (its id), for a visitor without JavaScript.
    assert response["Location"] == "http://testserver/practices/?q=a#shortlist-profitnet"
    response = client.post("/shortlist/remove/", {"slug": "profitnet", "next": "/matrix/"})
    assert response["Location"] == "/matrix/#shortlist-profitnet"


# --- Demo accounts never sign in to a production site --------------------------------------------


def sign_in(username, password):
    client = Client()
    client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return client.get("/admin/").status_code == 200


def test_demo_accounts_created_against_production_cannot_sign_in(settings):
    settings.DEBUG = True  # DEBUG=1 manage.py create_demo_users, against the production database
    call_command("create_demo_users", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sign_in("admin", "demo-password")  # a local development site: they work
    settings.DEBUG = False
    assert not sign_in("admin", "demo-password")
    assert not sign_in("expert", "demo-password")


def test_any_account_with_the_demo_password_is_refused_in_production():
    get_user_model().objects.create_superuser("root", "root@example.org", "demo-password")
    assert not sign_in("root", "demo-password")
    user = get_user_model().objects.get(username="root")
    user.set_password("a-real-password-7391")
    user.save()
    assert sign_in("root", "a-real-password-7391")


# --- The sign-in lockout reads the client's real address -----------------------------------------


@pytest.fixture
def curator(db):
    return get_user_model().objects.create_superuser("curator", "c@example.org", "right-pw-4821")


def attempt(password, remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return Client().post(
        "/admin/login/?next=/admin/", {"username": "curator", "password": password}, **headers
    )


def locked_out(response):
    return response.status_code == 429


def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(curator):
    for number in range(5):
        attempt("wrong", "198.51.100.9", forwarded_for=f"192.0.2.{number}")
    assert locked_out(attempt("wrong", "198.51.100.9", forwarded_for="192.0.2.200"))
    # The lockout is the attacker's address's, not the curator's elsewhere.
    assert attempt("right-pw-4821", "203.0.113.5").status_code == 302


def test_behind_a_proxy_one_visitors_failures_do_not_lock_out_another(curator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(5):
        attempt("wrong", proxy, forwarded_for="198.51.100.9")
    assert locked_out(attempt("wrong", proxy, forwarded_for="198.51.100.9"))
    # The attacker claims the curator's address: the proxy appended the real one after it.
    assert locked_out(attempt("wrong", proxy, forwarded_for="203.0.113.5, 198.51.100.9"))
    assert attempt("right-pw-4821", proxy, forwarded_for="203.0.113.5").status_code == 302


# --- A NUL character logs one line ---------------------------------------------------------------


def test_a_nul_character_logs_one_line_and_no_traceback(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/practices/?q=a%00b")
    assert response.status_code == 400
    records = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(records) == 1
    assert records[0].name.startswith("django.security")
    assert records[0].exc_info is None
    assert "\n" not in records[0].getMessage()


# --- Cookies only where a form needs one ---------------------------------------------------------

PUBLIC_PAGES = [
    "/",
    "/practices/",
    "/practices/?q=export",
    "/practices/profitnet/",
    "/barriers/",
    "/topics/",
    "/projects/",
    "/matrix/",
    "/accessibility/",
    "/shortlist/",
    "/compare/?p=profitnet&p=cimaf",
    "/no/such/page/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_an_anonymous_visit_of_a_public_page_sets_no_cookie(url):
    client = Client()
    for _ in range(2):  # rendered, then from the page cache
        response = client.get(url)
        assert response.status_code in {200, 404}
        assert not response.cookies, f"{url} set {list(response.cookies)}"


def test_the_sign_in_form_still_gets_its_csrf_cookie_and_token():
    client = Client(enforce_csrf_checks=True)
    response = client.get("/admin/login/")
    assert "csrftoken" in response.cookies
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_the_language_switch_works_from_a_page_of_this_site_only():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/i18n/setlang/",
        {"language": "fr", "next": "/practices/"},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "fr"
    forged = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_ORIGIN="https://evil.example"
    )
    assert forged.status_code == 403


# --- robots.txt and security.txt -----------------------------------------------------------------


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_links_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_security_txt_publishes_only_what_the_operator_configured(client, settings):
    settings.SECURITY_CONTACT = ""
    assert client.get("/.well-known/security.txt").status_code == 404
    settings.SECURITY_CONTACT = "security@example.org"
    response = client.get("/.well-known/security.txt")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Contact: mailto:security@example.org" in text
    assert "Expires:" not in text and "Policy:" not in text  # not configured: not invented
    settings.SECURITY_TXT_EXPIRES = "2027-12-31T23:00:00Z"
    settings.SECURITY_POLICY_URL = "https://example.org/disclosure"
    text = client.get("/.well-known/security.txt").content.decode()
    assert "Expires: 2027-12-31T23:00:00Z" in text
    assert "Policy: https://example.org/disclosure" in text
