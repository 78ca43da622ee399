"""Feeds of a search, the sitemap, JSON-LD and canonical addresses, as a feed reader and a
search engine read them."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from barriers.models import Barrier, PolicyTopic
from practices.models import RESERVED_SLUGS, Practice
from projects.models import Project

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _entries(response):
    feed = ET.fromstring(response.content)
    return feed, [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]


def test_a_region_follows_its_barrier_newest_practices_first(client, make_practice):
    new = make_practice("Brand new cluster scheme", barriers=["limited-size-and-capacity"])
    make_practice("Unrelated new scheme", barriers=["low-digital-maturity"])
    barrier_page = client.get("/barriers/limited-size-and-capacity/").content.decode()
    feed_url = re.search(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)"',
        barrier_page,
    ).group(1)
    assert feed_url == "/practices/feed/?barrier=limited-size-and-capacity"
    response = client.get(feed_url)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed, links = _entries(response)
    expected = (
        Practice.objects.published()
        .filter(barriers__slug="limited-size-and-capacity")
        .order_by("-published_at", "title")
    )
    assert links[0].endswith(f"/practices/{new.slug}/")
    assert len(links) == expected.count()
    assert "Limited size and capacity" in feed.find(f"{ATOM}title").text


def test_a_feed_gives_the_newest_first_whatever_the_searchs_order(client, make_practice):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    # The older one is the more relevant: its title has the words, the newer one's text only.
    older = make_practice(
        "Aardvark consortia scheme",
        summary="A consortia scheme.",
        published_at=now + timedelta(days=1),
    )
    newer = make_practice(
        "Zulu network",
        description="Also a consortia scheme.",
        published_at=now + timedelta(days=2),
    )
    for query in ["q=consortia+scheme", "q=consortia+scheme&sort=title"]:
        _feed, links = _entries(client.get(f"/practices/feed/?{query}"))
        assert [link.rsplit("/", 2)[1] for link in links[:2]] == [newer.slug, older.slug], query


def test_every_search_page_advertises_its_feed(client):
    html = client.get("/practices/?q=export&country=ES&page=1&sort=title").content.decode()
    assert 'type="application/atom+xml"' in html
    assert 'href="/practices/feed/?q=export&amp;country=ES"' in html


def test_no_draft_in_a_feed_or_the_sitemap(client, draft):
    for url in ["/practices/feed/", "/practices/feed/?q=zebracorn", "/sitemap-practices.xml"]:
        assert draft.slug not in client.get(url).content.decode(), url


def test_the_sitemap_lists_every_published_record(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    listed = set()
    for section in sections:
        path = section.split("testserver", 1)[1]
        listed |= {
            loc.text.split("testserver", 1)[1]
            for loc in ET.fromstring(client.get(path).content).iter(f"{SITEMAP}loc")
        }
    expected = {p.get_absolute_url() for p in Practice.objects.published()}
    for model in (Barrier, PolicyTopic, Project):
        expected |= {record.get_absolute_url() for record in model.objects.all()}
    assert expected <= listed
    assert {"/", "/practices/", "/open-data/"} <= listed
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_a_practice_page_describes_itself_in_json_ld(client):
    practice = Practice.objects.get(slug="export-consortia-cantabria")
    html = client.get(practice.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@context"] == "https://schema.org"
    assert data["name"] == practice.title
    assert data["url"] == f"http://testserver{practice.get_absolute_url()}"
    assert {item["name"] for item in data["about"]} == {
        *(b.name for b in practice.barriers.all()),
        *(t.name for t in practice.topics.all()),
    }
    assert data["spatialCoverage"]["address"]["addressCountry"] == "ES"
    assert data["producer"]["name"] == "SIE"


def test_json_ld_cannot_close_its_script_element(client, make_practice):
    practice = make_practice("Closing </script><script>alert(1)</script> test")
    html = client.get(practice.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert json.loads(block)["name"] == practice.title


def test_pages_name_their_canonical_address(client):
    def canonical(url):
        match = re.search(r'<link rel="canonical" href="([^"]+)"', client.get(url).content.decode())
        return match.group(1) if match else None

    assert canonical("/practices/export-consortia-cantabria/") == (
        "http://testserver/practices/export-consortia-cantabria/"
    )
    assert canonical("/practices/?country=ES&utm_source=mail&page=1&q=") == (
        "http://testserver/practices/?country=ES"
    )
    assert canonical("/barriers/") == "http://testserver/barriers/"
    assert canonical("/no/such/page/") is None


def test_no_practice_can_take_the_address_of_the_feed(make_practice):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    practice = Practice(title="Feed", slug=RESERVED_SLUGS[0], status="draft")
    with pytest.raises(ValidationError, match="address of another page"):
        practice.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Practice.objects.create(title="Feed", slug="feed", status="draft")


def test_the_open_data_page_documents_the_outputs_and_the_licence(client):
    html = client.get("/open-data/").content.decode()
    for text in [
        "/api/v1/docs/",
        "/api/v1/schema/",
        "/practices/export.csv",
        "/practices/feed/?barrier=limited-size-and-capacity",
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ]:
        assert text in html, text
    assert 'href="/open-data/"' in client.get("/").content.decode()  # the footer links to it
