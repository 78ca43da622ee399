import re

import pytest
from django.utils import timezone

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from projects.models import Project

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("/", "Help your SMEs go international"),
    ("/practices/", "Export Consortia"),
    ("/practices/export-consortia-cantabria/", "SODERCAN"),
    ("/barriers/", "Shortage of working capital"),
    ("/barriers/shortage-of-working-capital/", "Practices that address this barrier"),
    ("/topics/", "Regional support ecosystems"),
    ("/topics/financial-support/", "Recommendations"),
    ("/projects/", "INTER VENTURES"),
    ("/projects/sie/", "Kent International Business"),
    ("/matrix/", "Evidence matrix"),
    ("/map/", "Published practices by country"),
    ("/legal-notice/", "not a website of the European Union"),
    ("/privacy/", "no tracking"),
    ("/contact/", "Contact"),
    ("/open-data/", "Open data"),
]


@pytest.mark.parametrize(("url", "text"), PUBLIC_PAGES)
def test_public_pages_show_their_content(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert text in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/practices/no-such-practice/",
        "/barriers/no-such-barrier/",
        "/topics/no-such-topic/",
        "/projects/no-such-project/",
        "/no/such/page/",
        "/practices/?page=999",
        "/practices/?page=abc",
        "/practices/?page=-1",
    ],
)
def test_unknown_addresses_get_a_helpful_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Search good practices" in response.content.decode()


def test_practice_page_links_to_barriers_topics_project_and_place(client):
    practice = Practice.objects.get(slug="export-consortia-cantabria")
    html = client.get(practice.get_absolute_url()).content.decode()
    for barrier in practice.barriers.all():
        assert f'href="{barrier.get_absolute_url()}"' in html
    for topic in practice.topics.all():
        assert f'href="{topic.get_absolute_url()}"' in html
    assert f'href="{practice.project.get_absolute_url()}"' in html
    assert "?region=ES13" in html
    assert practice.evidence_of_success[:40] in html


def test_barrier_page_lists_the_practices_that_address_it(client):
    response = client.get("/barriers/shortage-of-working-capital/")
    listed = {p.slug for p in response.context["results"].page.object_list}
    expected = set(
        Practice.objects.published()
        .filter(barriers__slug="shortage-of-working-capital")
        .values_list("slug", flat=True)
    )
    assert listed == expected and expected


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "archived"])
def test_unpublished_practices_are_never_shown_to_visitors(client, make_practice, status):
    hidden = make_practice(
        "Zebra secret scheme",
        status=status,
        barriers=["shortage-of-working-capital"],
        topics=["financial-support"],
        project=None,
    )
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for url in [
        "/",
        "/practices/",
        "/practices/?q=zebra",
        "/barriers/shortage-of-working-capital/",
        "/topics/financial-support/",
    ]:
        assert "Zebra secret scheme" not in client.get(url).content.decode(), url
    published = Practice.objects.published()
    matrix = client.get("/matrix/").context["rows"]
    cell = next(
        c["count"]
        for row in matrix
        if row["barrier"].slug == "shortage-of-working-capital"
        for c in row["cells"]
        if c["topic"].slug == "financial-support"
    )
    assert (
        cell
        == published.filter(
            barriers__slug="shortage-of-working-capital", topics__slug="financial-support"
        ).count()
    )
    home = client.get("/").context["figures"]
    assert home["practices"] == published.count()


def test_curated_text_is_escaped(client, make_practice):
    practice = make_practice("Script test", summary="<script>alert(1)</script>")
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


LIST_PAGES = [
    "/",
    "/practices/",
    "/barriers/",
    "/topics/",
    "/projects/",
    "/matrix/",
    "/map/",
    "/map/?barrier=shortage-of-working-capital&q=export",
    "/barriers/shortage-of-working-capital/",
    "/topics/financial-support/",
    "/projects/sie/",
]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_run_a_fixed_number_of_queries(
    client, make_practice, url, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(url)  # loads the search's facet index in this process
    before = queries()
    for number in range(25):
        make_practice(
            f"Extra practice {number}",
            barriers=["shortage-of-working-capital", "lack-of-managerial-time"],
            topics=["financial-support"],
            tags=[f"tag{number}", "extra"],
            project=Practice.objects.get(slug="kent-international-business").project,
            published_at=timezone.now(),
        )
    client.get(url)  # the data changed: the facet index is loaded again
    with django_assert_num_queries(before):
        client.get(url)


def headings(html, pattern):
    return [re.sub(r"<[^>]+>", "", found).strip() for found in re.findall(pattern, html)]


def test_the_barrier_list_shows_each_category_once_with_its_barriers_in_order(client):
    html = client.get("/barriers/").content.decode()
    assert headings(html, r'<h2 id="cat-\d+">(.*?)</h2>') == [
        "Resources and capacity",
        "Knowledge and information",
        "Markets and culture",
        "Regulation and support system",
    ]
    assert headings(html, r'<h3 class="card__title"[^>]*>(.*?)</h3>')[:3] == [
        "Shortage of working capital to finance exports",
        "Lack of managerial time to deal with internationalisation",
        "Limited size and capacity",
    ]


@pytest.mark.parametrize(
    ("url", "pattern"),
    [("/topics/", r'<h2 id="group-\d+">(.*?)</h2>'), ("/", r"<h3>(.*?)</h3>")],
)
def test_policy_topics_are_shown_once_per_group_in_order(client, url, pattern):
    html = client.get(url).content.decode()
    assert headings(html, pattern) == ["Regional support ecosystems", "Support schemes for SMEs"]
    shown = [name for name in PolicyTopic.objects.values_list("name", flat=True) if name in html]
    assert sorted(shown, key=html.index) == list(
        PolicyTopic.objects.order_by("group", "order", "name").values_list("name", flat=True)
    )


def test_the_home_page_lists_the_barriers_in_their_order(client):
    html = client.get("/").content.decode()
    names = list(Barrier.objects.order_by("order").values_list("name", flat=True))
    assert sorted(names, key=html.index) == names


def test_the_project_list_is_in_alphabetical_order(client):
    html = client.get("/projects/").content.decode()
    acronyms = headings(html, r'<h2 class="card__title"[^>]*>(.*?)</h2>')
    assert acronyms == list(Project.objects.order_by("acronym").values_list("acronym", flat=True))
