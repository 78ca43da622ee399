import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from barriers.models import Barrier, PolicyTopic, Recommendation
from practices.models import Practice
from projects.models import Organisation, Project, Region
from sources.models import Source
from tests.admin_forms import link_rows

pytestmark = pytest.mark.django_db

MODELS = [Practice, Barrier, PolicyTopic, Recommendation, Project, Organisation, Region, Source]


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser("curator", "c@example.org", "pw-for-tests-1")
    client.force_login(user)
    return client


def _admin_url(model, view, *args):
    from django.urls import reverse

    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_search_add_and_change_pages_load(superuser_client, model):
    assert superuser_client.get(_admin_url(model, "changelist")).status_code == 200
    assert superuser_client.get(_admin_url(model, "changelist") + "?q=export").status_code == 200
    assert superuser_client.get(_admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert superuser_client.get(_admin_url(model, "change", obj.pk)).status_code == 200


def test_practice_search_finds_by_institution(superuser_client):
    response = superuser_client.get(_admin_url(Practice, "changelist") + "?q=SODERCAN")
    assert [p.slug for p in response.context["cl"].result_list] == ["export-consortia-cantabria"]


def test_practice_form_uses_autocomplete_for_links(superuser_client):
    html = superuser_client.get(_admin_url(Practice, "add")).content.decode()
    for field in ["institution", "region", "project", "barrier", "topic", "source"]:
        assert f'data-field-name="{field}"' in html, field


def test_autocomplete_endpoint_answers_for_barriers(superuser_client):
    response = superuser_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "practices",
            "model_name": "practicebarrier",
            "field_name": "barrier",
            "term": "capital",
        },
    )
    assert response.status_code == 200
    assert "Shortage of working capital" in response.content.decode()


def test_practice_changelist_queries_do_not_grow_with_rows(superuser_client):
    url = _admin_url(Practice, "changelist") + "?all="
    region = Region.objects.first()
    organisation = Organisation.objects.first()
    project = Project.objects.first()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert superuser_client.get(url).status_code == 200
        return len(captured)

    before = queries()
    Practice.objects.bulk_create(
        Practice(
            title=f"Bulk {n}",
            slug=f"bulk-{n}",
            status="published",
            region=region,
            institution=organisation,
            project=project,
        )
        for n in range(1000)
    )
    assert queries() == before


def test_curator_can_add_a_practice_through_the_admin(superuser_client):
    barrier = Barrier.objects.first()
    topic = PolicyTopic.objects.first()
    source = Source.objects.get(key="policy-brief-2021")
    evidence = {"basis": "context", "source": source.pk, "reason": "Cited under the chapter."}
    response = superuser_client.post(
        _admin_url(Practice, "add"),
        {
            "title": "Admin-made practice",
            "slug": "admin-made-practice",
            "summary": "Made in the admin.",
            "status": "draft",
            "tags": "alpha, beta",
            **link_rows("barrier_links", [{"barrier": barrier.pk, **evidence}]),
            **link_rows("topic_links", [{"topic": topic.pk, **evidence}]),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    practice = Practice.objects.get(slug="admin-made-practice")
    assert list(practice.barriers.all()) == [barrier]
    link = practice.barrier_links.get()
    assert (link.basis, link.source, link.reason) == ("context", source, "Cited under the chapter.")
    assert link.confirmed_at is None
    assert set(practice.tags.names()) == {"alpha", "beta"}
    # The version the save recorded holds the links as saved, with their evidence.
    version = practice.history.latest("history_date")
    assert list(version.barriers.values_list("barrier_id", "basis")) == [(barrier.pk, "context")]


def test_the_admin_carries_the_sites_name(superuser_client):
    page = superuser_client.get("/admin/").content.decode()
    assert "<title>Curation | Good Practice Knowledge Base</title>" in page
    assert "Good Practice Knowledge Base: curation" in page
    assert "Django administration" not in page and "Django site admin" not in page
