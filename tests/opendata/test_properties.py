"""For any search a visitor can make, the API gives the page's practices and counts (a property
test over random parameter sets); and schemathesis, fed the API's own schema, finds no server
error and no answer that breaks the schema."""

import pytest
import schemathesis
from django.http import QueryDict
from django.utils.http import urlencode
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from projects.models import Project, Region
from web.search_page import practice_search

pytestmark = pytest.mark.django_db

# Values from the seed (stable names, read once), with words that match many, few or none.
BARRIERS = [
    "limited-size-and-capacity",
    "untrained-personnel",
    "fragmented-support",
    "shortage-of-working-capital",
]
TOPICS = ["financial-support"]
COUNTRIES = ["ES", "IT", "PL", "SE", "GB"]
WORDS = ["export", "consortia", "cluster skills", '"export consortia"', "-export", "zzzz"]


def _search_parameters():
    def many(values):
        return st.lists(st.sampled_from(values), max_size=2, unique=True)

    return st.fixed_dictionaries(
        {},
        optional={
            "q": st.sampled_from(WORDS),
            "barrier": many(BARRIERS),
            "topic": many(TOPICS),
            "country": many(COUNTRIES),
            "level": many([value for value, _label in Practice.Level.choices]),
            "validated": st.just(["1"]),
            "ongoing": st.just(["1"]),
            "sort": st.sampled_from(["newest", "title", "relevance"]),
            "evidence": st.just("stated"),
        },
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(parameters=_search_parameters())
def test_the_api_gives_the_pages_practices_and_counts_for_any_search(client, parameters):
    query = urlencode(parameters, doseq=True)
    page = practice_search(params=QueryDict(query))
    data = client.get(f"/api/v1/practices/?{query}").json()
    assert data["count"] == page.total
    assert [item["slug"] for item in data["results"]] == [p.slug for p in page.page.object_list]
    for facet in page.facets:
        given_counts = {v["value"]: v["count"] for v in data["facets"][facet.name]}
        for value in facet.values:
            assert given_counts.get(value.value, 0) == value.count, (facet.name, value.value)


def test_the_seed_values_the_property_test_draws_from_exist():
    """Should the seed change, the property test must not silently test only unknown values."""
    assert set(BARRIERS) <= set(Barrier.objects.values_list("slug", flat=True))
    assert set(TOPICS) <= set(PolicyTopic.objects.values_list("slug", flat=True))
    assert Project.objects.exists() and Region.objects.filter(country__in=COUNTRIES).exists()


# The schema as the API serves it (drf-spectacular's generator), read once at collection.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


@pytest.fixture
def wsgi_app(settings):
    """The site as a WSGI application, in the test's transaction: as Django's test client does,
    the end of a request must not close the test's database connection."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema_whatever_it_is_asked(case, wsgi_app):
    # Every other check runs. A value the schema allows may still name nothing (a barrier slug
    # no barrier has): the API refuses it with 400 by design, which a schema cannot say.
    case.call_and_validate(app=wsgi_app, excluded_checks=[positive_data_acceptance])
