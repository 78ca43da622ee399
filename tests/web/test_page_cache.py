"""Whole public pages from the cache, for visitors without a session: no cookie set, the data as
of the last write, and nothing of anyone else's."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from barriers.models import PolicyTopic, Recommendation
from practices.models import Practice
from web import shortlist

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def practice(transactional_db):
    topic = PolicyTopic.objects.create(name="Cached topic", slug="cached-topic", order=90)
    practice = Practice.objects.create(
        title="Cached practice",
        slug="cached-practice",
        summary="Seen from the cache.",
        status="published",
        published_at=timezone.now(),
    )
    practice.topics.add(topic)
    return practice


def test_a_cached_page_is_served_in_one_query_and_sets_no_cookie(practice, settings):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/practices/")  # renders and caches
    with CaptureQueriesContext(connection) as queries:
        response = second.get("/practices/")
    assert len(queries) == 1  # the data version
    assert "Cookie" in response["Vary"]  # a shared cache must not give it to a signed-in curator
    page = response.content.decode()
    assert "Cached practice" in page
    assert not response.cookies  # no CSRF cookie, no session: nothing of the visitor's own
    assert not TOKEN.findall(page)
    # Its shortlist button still works, from a page of this site (web/csrf.py).
    response = second.post(
        "/shortlist/add/", {"slug": practice.slug}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302
    assert shortlist.cookie_name() in response.cookies


def test_a_visitor_with_only_a_shortlist_cookie_is_not_served_the_cached_page(client, practice):
    Client().get("/practices/")  # cached for visitors with nothing of their own
    client.post("/shortlist/add/", {"slug": practice.slug}, HTTP_HX_REQUEST="true")
    assert "sessionid" not in client.cookies and "messages" not in client.cookies
    assert "Remove from shortlist" in client.get("/practices/").content.decode()


def test_a_visitor_with_a_shortlist_gets_their_own_page(client, practice):
    Client().get("/practices/")  # cached for visitors without a session
    client.post("/shortlist/add/", {"slug": practice.slug})
    page = client.get("/practices/").content.decode()
    assert "was added to your shortlist" in page
    assert "Remove from shortlist" in page
    assert "Remove from shortlist" not in Client().get("/practices/").content.decode()


def test_the_next_request_after_a_write_shows_it(practice):
    visitor = Client()
    assert visitor.get(practice.get_absolute_url()).status_code == 200
    assert "Cached practice" in visitor.get("/practices/").content.decode()
    Practice.objects.filter(pk=practice.pk).update(status="draft")
    assert visitor.get(practice.get_absolute_url()).status_code == 404
    assert "Cached practice" not in visitor.get("/practices/").content.decode()


def test_a_changed_recommendation_shows_on_its_topic_page(practice):
    topic = PolicyTopic.objects.get(slug="cached-topic")
    recommendation = Recommendation.objects.create(
        topic=topic, kind="lesson", text="Keep the first version."
    )
    visitor = Client()
    assert "Keep the first version." in visitor.get("/topics/cached-topic/").content.decode()
    Recommendation.objects.filter(pk=recommendation.pk).update(text="Read the second version.")
    assert "Read the second version." in visitor.get("/topics/cached-topic/").content.decode()


def test_the_htmx_region_and_the_whole_page_are_cached_apart(practice):
    visitor = Client()
    region = visitor.get("/practices/", headers={"HX-Request": "true"}).content.decode()
    whole = visitor.get("/practices/").content.decode()
    assert "<html" not in region
    assert "<html" in whole


def _message_cookie(text):
    """The cookie Django keeps a waiting message in (its default message storage)."""
    response = HttpResponse()
    CookieStorage(RequestFactory().get("/"))._store([Message(constants.SUCCESS, text)], response)
    return response.cookies[CookieStorage.cookie_name].value


def test_a_visitors_waiting_message_is_never_cached_for_others(practice):
    visitor = Client()
    visitor.cookies[CookieStorage.cookie_name] = _message_cookie("Only for this visitor.")
    assert "Only for this visitor." in visitor.get("/projects/").content.decode()
    assert "Only for this visitor." not in Client().get("/projects/").content.decode()


def test_a_validators_new_role_shows_on_the_practice_page(practice):
    validator = get_user_model().objects.create(username="validator", is_superuser=True)
    Practice.objects.filter(pk=practice.pk).update(
        validated=True, validated_by=validator, validated_at=timezone.now()
    )
    visitor = Client()
    assert "Platform administrator" in visitor.get(practice.get_absolute_url()).content.decode()
    get_user_model().objects.filter(pk=validator.pk).update(is_superuser=False)
    assert "Platform expert" in visitor.get(practice.get_absolute_url()).content.decode()


def test_addresses_with_unknown_parameters_are_not_cached(practice, settings):
    Client().get("/practices/?utm_source=anything")
    Client().get("/practices/?country=ES")
    with CaptureQueriesContext(connection) as queries:
        Client().get("/practices/?utm_source=anything")
    assert len(queries) > 1  # rendered again, not one cached copy per made-up parameter
    with CaptureQueriesContext(connection) as queries:
        Client().get("/practices/?country=ES")
    assert len(queries) == 1


def test_related_practices_follow_a_change_of_links_made_during_the_request(practice):
    from web.selectors import practice_related

    first = PolicyTopic.objects.create(name="First topic", slug="first-topic", order=91)
    second = PolicyTopic.objects.create(name="Second topic", slug="second-topic", order=92)
    practice.topics.set([first])
    for title, topic in [("Partner by the first", first), ("Partner by the second", second)]:
        other = Practice.objects.create(
            title=title,
            slug=title.lower().replace(" ", "-"),
            status="published",
            published_at=timezone.now(),
        )
        other.topics.set([topic])
    as_read = Practice.objects.prefetch_related("barriers", "topics").get(pk=practice.pk)
    practice.topics.set([second])  # a curator's change commits while the page is being built
    practice_related(as_read)
    page = Client().get(practice.get_absolute_url()).content.decode()
    assert "Partner by the second" in page
    assert "Partner by the first" not in page
