"""The read API (/api/v1/), as a researcher's script uses it."""

import pytest
from django.core.cache import cache
from django.http import QueryDict

from barriers.models import Barrier
from practices.models import Practice
from web.search_page import practice_search

pytestmark = pytest.mark.django_db

LIST = "/api/v1/practices/"


def _page(query):
    """The search page's results for the same query string."""
    return practice_search(params=QueryDict(query))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=export",
        "q=consortia&sort=title",
        "barrier=limited-size-and-capacity&barrier=untrained-personnel",
        "barrier=limited-size-and-capacity&evidence=stated",
        "topic=financial-support&country=ES",
        "project=sie&level=regional",
        "q=export&page=2&page_size=3",
    ],
)
def test_a_list_gives_the_pages_practices_in_its_order_and_its_counts(client, query):
    data = client.get(f"{LIST}?{query}").json()
    params = QueryDict(query, mutable=True)
    size = int(params.pop("page_size", ["20"])[0])
    page = practice_search(params=params, page_size=size)
    assert data["count"] == page.total
    assert [item["slug"] for item in data["results"]] == [p.slug for p in page.page.object_list]
    for facet in page.facets:
        # The page shows the longest facets' top values only; the API gives them all.
        shown = {value.value: value.count for value in facet.values if value.count}
        given = {v["value"]: v["count"] for v in data["facets"][facet.name]}
        assert shown.items() <= given.items(), facet.name
        assert all(given.values()), facet.name


def test_pages_link_to_each_other(client):
    first = client.get(f"{LIST}?page_size=5&sort=title").json()
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert QueryDict(second["previous"].split("?")[1]) == QueryDict("sort=title&page_size=5")
    titles = [item["title"] for item in first["results"] + second["results"]]
    assert len(set(titles)) == 10


def test_a_practice_record_gives_the_evidence_of_each_link(client, expert):
    practice = Practice.objects.get(slug="export-consortia-cantabria")
    link = practice.barrier_links.first()
    link.confirmed_by, link.confirmed_at = expert, link.practice.updated_at
    link.save()
    data = client.get(f"{LIST}export-consortia-cantabria/").json()
    assert data["title"] == practice.title
    assert data["region"]["nuts_code"] == practice.region.nuts_code
    assert data["project"]["slug"] == practice.project.slug
    assert data["source"]["title"] == practice.source.title
    by_slug = {item["barrier"]["slug"]: item for item in data["barriers"]}
    assert set(by_slug) == {link.barrier.slug for link in practice.barrier_links.all()}
    for stored in practice.barrier_links.all():
        given = by_slug[stored.barrier.slug]
        assert given["basis"] == stored.basis
        assert given["reason"] == stored.reason
        assert given["source"]["key"] == stored.source.key
    assert by_slug[link.barrier.slug]["confirmed_by_expert"] is True
    assert expert.username not in str(data)  # the expert is not named
    assert {item["topic"]["slug"] for item in data["topics"]} == {
        t.slug for t in practice.topics.all()
    }


def test_barriers_topics_projects_and_regions_each_have_a_list_and_a_page(client):
    barriers = client.get("/api/v1/barriers/").json()
    assert barriers["count"] == Barrier.objects.count()
    for item in barriers["results"]:
        expected = Practice.objects.published().filter(barriers__slug=item["slug"]).count()
        assert item["practice_count"] == expected
        assert client.get(f"{LIST}?barrier={item['slug']}").json()["count"] == expected
    topic = client.get("/api/v1/topics/financial-support/").json()
    assert topic["recommendations"] and topic["recommendations"][0]["text"]
    assert client.get("/api/v1/projects/sie/").json()["acronym"] == "SIE"
    region = client.get("/api/v1/regions/ES13/").json()
    assert region["name"] == "Cantabria"
    assert region["practice_count"] == client.get(region["practices_api_url"]).json()["count"]


def test_nothing_unpublished_is_shown_listed_or_counted(client, draft):
    assert client.get(f"{LIST}{draft.slug}/").status_code == 404
    everything = client.get(f"{LIST}?page_size=100").json()
    assert everything["count"] == Practice.objects.published().count()
    assert draft.slug not in str(everything)
    assert client.get(f"{LIST}?q=zebracorn").json()["count"] == 0
    barrier = client.get("/api/v1/barriers/limited-size-and-capacity/").json()
    assert barrier["practice_count"] == (
        Practice.objects.published().filter(barriers__slug="limited-size-and-capacity").count()
    )
    assert client.get(f"{LIST}?tag=zebracorn").json()["count"] == 0
    assert "zebracorn" not in str(everything["facets"]["tag"])


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("barrier=no-such-barrier", "barrier"),
        ("country=XX", "country"),
        ("sort=cheapest", "sort"),
        ("page=0", "page"),
        ("page=two", "page"),
        ("page_size=1000", "page_size"),
        ("q=" + "word " * 60, "q"),
    ],
)
def test_a_bad_parameter_gets_400_with_the_reason_in_json(client, query, parameter):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert parameter in response.json()["errors"]


def test_unknown_addresses_and_pages_get_404_in_json(client):
    for url in [f"{LIST}no-such-practice/", "/api/v1/nothing/", "/api/", f"{LIST}?page=999"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"], url


def test_the_api_reads_only(client):
    response = client.post(LIST, {"title": "x"})
    assert response.status_code == 405
    assert response.json()["detail"]


def test_other_sites_may_read_the_api_but_not_the_pages(client):
    origin = {"HTTP_ORIGIN": "https://other-portal.example"}
    assert client.get(LIST, **origin)["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/practices/", **origin)


def test_labels_follow_the_language_asked_for(client):
    data = client.get(f"{LIST}?project=sie", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert {v["label"] for v in data["facets"]["country"]} >= {"Espagne"}
    barrier = Barrier.objects.get(slug="limited-size-and-capacity")
    assert barrier.name_fr and barrier.name_fr != barrier.name_en
    labels = {v["value"]: v["label"] for v in data["facets"]["barrier"]}
    assert labels["limited-size-and-capacity"] == barrier.name_fr
    english = client.get(f"{LIST}?project=sie", HTTP_ACCEPT_LANGUAGE="en").json()
    labels = {v["value"]: v["label"] for v in english["facets"]["barrier"]}
    assert labels["limited-size-and-capacity"] == barrier.name_en


def test_a_list_costs_the_same_queries_however_many_practices(
    client, make_practice, django_assert_num_queries
):
    def queries_for_a_page():
        cache.clear()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{LIST}?page_size=50").status_code == 200
        return len(captured)

    before = queries_for_a_page()
    for number in range(30):
        make_practice(f"Another practice {number}", barriers=["untrained-personnel"])
    with django_assert_num_queries(before):
        cache.clear()
        client.get(f"{LIST}?page_size=50")


def test_the_schema_is_valid_openapi_without_warnings(client, tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")
    served = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = served.json()["paths"]
    assert {"/api/v1/practices/", "/api/v1/practices/{slug}/", "/api/v1/barriers/"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/v1/practices/"]["get"]["parameters"]}
    assert {
        "q",
        "barrier",
        "topic",
        "country",
        "region",
        "project",
        "level",
        "validated",
        "ongoing",
        "tag",
        "sort",
        "evidence",
        "page",
        "page_size",
    } <= parameters


def test_empty_values_mean_not_chosen_as_a_form_sends_them(client):
    everything = client.get(LIST).json()["count"]
    response = client.get(f"{LIST}?q=&sort=&validated=&evidence=&barrier=&country=")
    assert response.status_code == 200
    assert response.json()["count"] == everything


def test_other_parameters_are_left_out_of_the_links(client):
    plain = client.get(f"{LIST}?page_size=5&utm_source=mail").json()
    assert "utm_source" not in plain["next"]
    assert client.get(f"{LIST}?page_size=5&utm_source=other").json() == plain
