"""Production settings are secure by default (DEBUG off): HTTPS redirect, HSTS, `__Host-`
cookies, a strict Content-Security-Policy and the other headers Mozilla's HTTP Observatory
grades; `check --deploy` has nothing to say; HTTPS=off is the one switch for a plain-HTTP trial.

The suite itself runs with HTTPS=off (the Makefile): these tests read the settings module again
under the environment of a production deployment.
"""

import base64
import hashlib
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-long-and-random-secret-key-only-for-this-test-1234567890-abcdefghij"


def production_settings(**environ):
    """The settings module as a deployment with ``environ`` (and nothing else set) would get."""
    environ = {"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "kb.example.org", **environ}
    with mock.patch.dict(os.environ, environ, clear=True):
        module = runpy.run_path(str(ROOT / "config" / "settings.py"))
    return {name: value for name, value in module.items() if name.isupper()}


SECURITY_SETTINGS = [
    "HTTPS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "LANGUAGE_COOKIE_NAME",
]


def test_production_is_https_only_by_default():
    production = production_settings()
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production["CSRF_COOKIE_NAME"].startswith("__Host-")
    # No proxy configured: a client's X-Forwarded-Proto is not believed.
    assert "SECURE_PROXY_SSL_HEADER" not in production


def test_https_off_is_the_one_switch_for_a_plain_http_trial():
    trial = production_settings(HTTPS="off")
    assert trial["SECURE_SSL_REDIRECT"] is False
    assert trial["SECURE_HSTS_SECONDS"] == 0
    assert trial["SESSION_COOKIE_SECURE"] is False
    assert not trial.get("SESSION_COOKIE_NAME", "sessionid").startswith("__Host-")
    # Everything else stays as in production.
    assert trial["CONTENT_SECURITY_POLICY"] == production_settings()["CONTENT_SECURITY_POLICY"]


def test_the_proxys_scheme_header_is_believed_only_when_a_proxy_is_configured():
    assert production_settings(TRUSTED_PROXY_COUNT="1")["SECURE_PROXY_SSL_HEADER"] == (
        "HTTP_X_FORWARDED_PROTO",
        "https",
    )


def test_development_keeps_plain_http():
    development = production_settings(DEBUG="1")
    assert development["SECURE_SSL_REDIRECT"] is False
    assert development["SECURE_HSTS_SECONDS"] == 0
    # The policy reports in the console without refusing: Django's debug pages are inline.
    assert "CONTENT_SECURITY_POLICY" not in development
    assert (
        development["CONTENT_SECURITY_POLICY_REPORT_ONLY"]
        == (production_settings()["CONTENT_SECURITY_POLICY"])
    )


def test_check_deploy_has_no_warning_with_production_settings():
    # The deployment's environment: none of the test run's own switches (HTTPS=off, and the
    # browser tests' DJANGO_ALLOW_ASYNC_UNSAFE).
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HTTPS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update(SECRET_KEY=SECRET, ALLOWED_HOSTS="kb.example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.fixture
def https_site(settings):
    """The test settings with production's HTTPS settings, as a deployment gets them."""
    for name in SECURITY_SETTINGS:
        setattr(settings, name, production_settings()[name])
    return Client()


def sha256_source(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.django_db
def test_https_responses_carry_the_security_headers(https_site):
    response = https_site.get("/practices/?q=export", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = response["Content-Security-Policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_checks(https_site):
    response = https_site.get("/practices/?q=export")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/practices/?q=export"
    assert https_site.get("/healthz").status_code == 200  # load balancers probe over HTTP


@pytest.mark.django_db
def test_the_session_and_shortlist_cookies_are_secure_host_only_cookies(https_site):
    get_user_model().objects.create_user("curator", password="a-long-pass-phrase", is_staff=True)
    response = https_site.post(
        "/admin/login/",
        {"username": "curator", "password": "a-long-pass-phrase", "next": "/admin/"},
        secure=True,
    )
    assert response.status_code == 302
    response = https_site.post(
        "/shortlist/add/", {"slug": "profitnet"}, secure=True, HTTP_ORIGIN="https://testserver"
    )
    for cookie in (response.cookies["__Host-shortlist"], https_site.cookies["__Host-sessionid"]):
        assert cookie["secure"] and cookie["httponly"]
        assert cookie["path"] == "/" and not cookie["domain"]
        assert cookie["samesite"] == "Lax"


# Script elements that run: not a file (src), nor a data block such as JSON-LD, which browsers
# never execute and the policy does not govern.
INLINE_SCRIPT = re.compile(
    r'<script(?![^>]*\b(?:src=|type="application/(?:ld\+)?json"))[^>]*>(.*?)</script>', re.S
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/practices/?q=export", "/practices/profitnet/", "/matrix/", "/admin/login/"],
)
def test_every_inline_script_and_style_is_allowed_by_the_policy(https_site, url):
    """The policy allows no inline script or style but by hash: a new or changed one fails here
    (the browser would refuse it), naming the hash to add to settings.CONTENT_SECURITY_POLICY."""
    response = https_site.get(url, secure=True)
    page = response.content.decode()
    csp = response["Content-Security-Policy"]
    for script in INLINE_SCRIPT.findall(page):
        assert sha256_source(script) in csp, f"inline script not allowed: {script!r}"
    assert "<style" not in page
    for style in re.findall(r'\bstyle="([^"]*)"', page):
        assert sha256_source(style) in csp, f"style attribute not allowed: {style!r}"
