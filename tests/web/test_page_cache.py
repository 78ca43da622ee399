"""Whole public pages from the cache, for visitors without a session: their own CSRF token, the
data as of the last write, and nothing of anyone else's."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from barriers.models import PolicyTopic, Recommendation
from practices.models import Practice

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


def test_a_cached_page_is_served_in_one_query_with_each_visitors_own_token(practice):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/practices/")  # renders and caches
    with CaptureQueriesContext(connection) as queries:
        response = second.get("/practices/")
    assert len(queries) == 1  # the data version
    assert "Cookie" in response["Vary"]  # a shared cache must not give it to a signed-in curator
    page = response.content.decode()
    assert "Cached practice" in page
    tokens = {TOKEN.findall(first.get("/practices/").content.decode())[0], TOKEN.findall(page)[0]}
    assert len(tokens) == 2  # never another visitor's token
    response = second.post(
        "/shortlist/add/", {"slug": practice.slug, "csrfmiddlewaretoken": TOKEN.findall(page)[0]}
    )
    assert response.status_code == 302


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
