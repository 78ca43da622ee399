"""Missing data said once and the same way everywhere; no practice silently drops out of the
country facet; home figures that match their pages; a practice links to its source and project."""

import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from practices.models import Practice
from projects.models import Project
from web.search_page import practice_search

pytestmark = pytest.mark.django_db


def facet(results, name):
    return next(f for f in results.facets if f.name == name)


def test_a_sparse_practice_says_not_stated_once(client, make_practice, region_es):
    practice = make_practice("Sparse practice")
    html = client.get(practice.get_absolute_url()).content.decode()
    assert html.count("Not stated") == 1
    assert re.search(
        r"Not stated in the source</dt>\s*<dd[^>]*>Main institution, Location, Implementation "
        r"level, Timescale, Interreg project, Source</dd>",
        html,
    )


def test_the_comparison_says_not_stated_and_never_a_dash(client, make_practice):
    sparse = make_practice("Sparse practice", summary="")
    url = f"{reverse('shortlist:compare')}?p={sparse.slug}&p=export-consortia-cantabria"
    html = client.get(url).content.decode()
    table = html.split('<table class="compare-table">')[1].split("</table>")[0]
    assert "—" not in table
    assert table.count('<span class="muted">Not stated</span>') >= 8


def test_the_country_facet_counts_the_practices_without_a_place():
    everything = practice_search(params=QueryDict())
    countries = {value.value: value for value in facet(everything, "country").values}
    without_place = Practice.objects.published().filter(region__isnull=True).count()
    assert without_place  # the seed has practices whose source names no place
    assert countries["not-stated"].count == without_place
    assert countries["not-stated"].label == "Not stated"
    assert list(countries)[-1] == "not-stated"  # after the countries
    assert sum(value.count for value in countries.values()) == everything.total

    chosen = practice_search(params=QueryDict("country=not-stated"))
    assert chosen.total == without_place
    assert {p.slug for p in chosen.page.object_list} == set(
        Practice.objects.published().filter(region__isnull=True).values_list("slug", flat=True)
    )
    either = practice_search(params=QueryDict("country=not-stated&country=ES"))
    assert (
        either.total
        == without_place + Practice.objects.published().filter(region__country="ES").count()
    )


def test_a_search_with_practices_without_a_place_loses_none_in_the_facet():
    results = practice_search(params=QueryDict("q=export"))
    counted = sum(value.count for value in facet(results, "country").values)
    assert counted == results.total


def test_home_figures_match_their_pages(client):
    html = client.get("/").content.decode()
    projects = Project.objects.count()
    assert re.search(rf'href="/projects/"><strong>{projects}</strong> Interreg projects', html)
    practices = Practice.objects.published().count()
    assert re.search(rf'href="/practices/"><strong>{practices}</strong> good practices', html)
    assert client.get("/projects/").content.decode().count('class="card__title"') == projects


def test_a_practice_links_to_its_source_document_and_project(client):
    practice = Practice.objects.select_related("source", "project").get(
        slug="export-consortia-cantabria"
    )
    html = client.get(practice.get_absolute_url()).content.decode()
    source_url = reverse("site:source", args=[practice.source.key])
    assert f'href="{source_url}"' in html
    assert f'href="{practice.project.get_absolute_url()}"' in html
    page = client.get(source_url).content.decode()
    assert practice.source.title in page
    assert practice.get_absolute_url() in page
    assert client.get(reverse("site:source", args=["no-such-document"])).status_code == 404


def test_a_source_page_lists_only_published_practices(client, make_practice):
    practice = Practice.objects.get(slug="export-consortia-cantabria")
    hidden = make_practice("Hidden draft", status="draft", source=practice.source)
    page = client.get(reverse("site:source", args=[practice.source.key])).content.decode()
    assert hidden.title not in page
