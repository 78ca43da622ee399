"""The evidence map, the matrix's totals and groups, the pages about the site, and what every
page carries for printing."""

import re

import pytest
from django.http import QueryDict
from django.test import override_settings

from practices.models import Practice
from projects.countries import COUNTRIES
from projects.models import Region
from search.filters import PracticeFilter
from web.europe_map import europe_map
from web.map_page import STEPS
from web.selectors import MATRIX_STEPS

pytestmark = pytest.mark.django_db


def country_counts(response):
    return {country.code: country.count for country in response.context["counted"]}


def test_the_map_counts_each_countrys_published_practices_under_the_search(client, make_practice):
    region = Region.objects.filter(country="ES").first()
    make_practice("Published Spanish", region=region, barriers=["lack-of-managerial-time"])
    make_practice(
        "Draft Spanish", region=region, barriers=["lack-of-managerial-time"], status="draft"
    )
    published = Practice.objects.published()

    everything = country_counts(client.get("/map/"))
    for code in COUNTRIES:
        assert everything.get(code, 0) == published.filter(region__country=code).count(), code

    response = client.get("/map/?barrier=lack-of-managerial-time")
    narrowed = country_counts(response)
    expected = published.filter(barriers__slug="lack-of-managerial-time", region__country="ES")
    assert narrowed["ES"] == expected.count() >= 1
    html = response.content.decode()
    # The shape and the table row both lead to that search, narrowed to the country.
    search = "/practices/?barrier=lack-of-managerial-time&amp;country=ES"
    assert html.count(f'href="{search}"') == 2
    assert f"Spain: {narrowed['ES']} practice" in html


def test_the_map_says_how_many_practices_it_cannot_place(client, make_practice):
    make_practice("Practice with no region", summary="An export scheme somewhere.")
    response = client.get("/map/?q=export")
    without_country = PracticeFilter(QueryDict("q=export")).qs.filter(region__isnull=True)
    assert response.context["unplaced"] == without_country.count() >= 1
    html = response.content.decode()
    assert re.search(
        r"No country stated \(not on the map\)</th><td class=\"numeric\">"
        + str(without_country.count()),
        html,
    )


def test_a_chosen_country_is_marked_and_the_others_still_counted(client):
    response = client.get("/map/?country=ES")
    counts = country_counts(response)
    assert len(counts) > 1  # the country facet's counts: every other parameter applied
    assert response.context["results"].total == counts["ES"]
    assert "map-country--selected" in response.content.decode()
    assert "(chosen)" in response.content.decode()


def test_the_map_keeps_the_search_words_and_ignores_bad_values(client):
    response = client.get("/map/?q=export&country=XX&page=abc&barrier=no-such-barrier")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ignored unknown" in html
    assert "/practices/?q=export&amp;country=ES" in html  # page dropped, words kept


def test_the_map_shades_with_distinct_steps_and_explains_them(client):
    assert [label for _low, _high, label in STEPS][:2] == ["1", "2–3"]
    html = client.get("/map/").content.decode()
    legend = html[html.index('class="map-legend"') : html.index("</ul>", html.index("map-legend"))]
    for step in range(len(STEPS) + 1):
        assert f"map-step-{step}" in legend
    for country in client.get("/map/").context["counted"]:
        low, high, _label = STEPS[country.step - 1]
        assert low <= country.count and (high is None or country.count <= high)


def test_the_search_and_a_barriers_page_link_to_the_map_of_the_same_search(client):
    html = client.get("/practices/?q=export&country=ES&page=1").content.decode()
    assert 'href="/map/?q=export&amp;country=ES"' in html
    barrier_page = "/barriers/limited-size-and-capacity/"
    assert (
        'href="/map/?barrier=limited-size-and-capacity"'
        in client.get(barrier_page).content.decode()
    )
    # "Also addresses" (both barriers) is more than /map/'s parameters can say: no link.
    both = client.get(f"{barrier_page}?barrier=lack-of-managerial-time").content.decode()
    assert "Show on a map" not in both


def test_the_map_is_drawn_on_the_server_for_every_country_of_the_site(client):
    drawing = europe_map()
    drawn = {shape.code for shape in drawing.shapes if shape.code}
    assert drawn == set(COUNTRIES)
    for shape in drawing.shapes:
        assert re.fullmatch(r"(M-?\d+,-?\d+(L-?\d+,-?\d+)+Z)+", shape.path), shape.name
    html = client.get("/map/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert f'viewBox="0 0 {drawing.width} {drawing.height}"' in svg
    assert "style=" not in svg  # the CSP refuses style attributes: classes shade the shapes
    # Nothing from another host (the canonical link names this page's own full address).
    loaded = re.sub(r'<link rel="canonical" href="[^"]*">', "", html)
    assert not re.search(r'(src|href)="(https?:)?//', loaded)


def test_the_matrix_has_topic_groups_totals_and_a_legend(client):
    response = client.get("/matrix/")
    html = response.content.decode()
    groups = re.findall(r'scope="colgroup" colspan="(\d+)" class="matrix__group">([^<]+)<', html)
    assert [label for _span, label in groups] == [
        "Regional support ecosystems",
        "Support schemes for SMEs",
    ]
    assert sum(int(span) for span, _label in groups) == len(response.context["topics"])
    assert "Practices in a cell" in html and "5 or more" in html
    published = Practice.objects.published()
    for row in response.context["rows"]:
        slug = row["barrier"].slug
        assert row["total"] == published.filter(barriers__slug=slug).distinct().count(), slug
        search = client.get(f"/practices/?barrier={slug}").context["results"]
        assert row["total"] == search.total
        for cell in row["cells"]:
            low, high, _label = MATRIX_STEPS[cell["step"] - 1] if cell["step"] else (0, 0, "")
            assert low <= cell["count"] and (high is None or cell["count"] <= high)
    for column in response.context["column_totals"]:
        slug = column["topic"].slug
        assert column["total"] == client.get(f"/practices/?topic={slug}").context["results"].total
    assert response.context["total"] == published.count()


def test_the_matrix_totals_follow_the_stated_evidence_switch(client):
    response = client.get("/matrix/?evidence=stated")
    for row in response.context["rows"]:
        slug = row["barrier"].slug
        search = client.get(f"/practices/?barrier={slug}&evidence=stated").context["results"]
        assert row["total"] == search.total, slug


FOOTER_PAGES = ["/legal-notice/", "/privacy/", "/contact/", "/accessibility/", "/open-data/"]


def test_every_page_links_to_the_pages_about_the_site(client):
    html = client.get("/practices/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for url in FOOTER_PAGES:
        assert f'href="{url}"' in footer
        assert client.get(url).status_code == 200
    assert "not a website of the European Union" in footer
    assert 'href="/static/img/favicon' in html and 'src="/static/img/logo' in html


@override_settings(
    SITE_OPERATOR="Example Regional Agency",
    SITE_OPERATOR_ADDRESS="1 Example Street\nExample Town",
    CONTACT_EMAIL="contact@example.org",
)
def test_the_pages_about_the_site_show_what_the_operator_configured(client):
    legal = client.get("/legal-notice/").content.decode()
    assert "Example Regional Agency" in legal and "1 Example Street<br>Example Town" in legal
    assert 'href="mailto:contact@example.org"' in client.get("/contact/").content.decode()


def test_without_configuration_the_pages_say_nothing_is_published_yet(client):
    assert "has not published its name" in client.get("/legal-notice/").content.decode()
    assert "No contact address has been published yet" in client.get("/contact/").content.decode()


def test_an_operator_replaces_a_page_with_a_template_of_their_own(client, settings, tmp_path):
    own = tmp_path / "web" / "pages"
    own.mkdir(parents=True)
    (own / "privacy.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Our own privacy notice</h1>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assert "Our own privacy notice" in client.get("/privacy/").content.decode()


def test_a_printout_says_the_site_the_date_and_the_address(client):
    html = client.get("/practices/?q=export").content.decode()
    origin = re.search(r'<p class="print-only print-origin">(.*?)</p>', html, re.S).group(1)
    assert "Good Practice Knowledge Base" in origin
    assert re.search(r'<time data-print-date datetime="\d{4}-\d{2}-\d{2}">', origin)
    assert "http://testserver/practices/?q=export" in origin
