"""Visitors see why each practice is linked to a barrier or topic, and can count only the links
whose source states them."""

import re
from html import unescape

import pytest
from django.http import QueryDict
from django.utils import timezone

from practices.models import Practice, PracticeBarrier
from web.search_page import practice_search
from web.selectors import barrier_topic_matrix

pytestmark = pytest.mark.django_db


def _text(html):
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_practice_page_says_why_and_on_what_basis_for_each_link(client):
    page = client.get("/practices/kent-international-business/").content.decode()
    text = _text(page)
    assert "Why it is linked to these barriers and topics" in text
    assert "Fragmented and poorly coordinated business support Stated in the source" in text
    assert "makes trade support services in Kent more coherent, joined-up and visible" in text
    assert "Source: Report of the Policy Learning Platform webinar on export consortia" in text
    assert (
        "Capacity building in regional business support ecosystems From the source's context"
        in text
    )
    assert "Source: Internationalisation of SMEs (2021-08)" in text
    assert "Not yet confirmed by an expert" in text


def test_a_confirmed_link_says_so_without_naming_the_expert(client, expert):
    link = PracticeBarrier.objects.get(
        practice__slug="kent-international-business", barrier__slug="fragmented-support"
    )
    link.confirmed_by, link.confirmed_at = expert, timezone.now()
    link.save()
    text = _text(client.get("/practices/kent-international-business/").content.decode())
    assert "Confirmed by a platform expert on" in text
    assert expert.username not in text


def test_a_practice_page_shows_its_notes_on_sources(client):
    text = _text(client.get("/practices/fryslan-house/").content.decode())
    assert "Notes on sources Region inferred from the practice's title." in text


def test_the_barrier_page_lists_stated_links_first_each_with_its_reason(client, make_practice):
    # The newest practice, linked on context only, still comes after the stated ones.
    make_practice(
        "Newest size practice",
        barriers=["limited-size-and-capacity"],
        published_at=timezone.now(),
    )
    PracticeBarrier.objects.filter(practice__title="Newest size practice").update(basis="context")
    results = practice_search(params=QueryDict(""), barrier=_barrier("limited-size-and-capacity"))
    bases = [practice.barrier_link.basis for practice in results.page.object_list]
    assert bases == sorted(bases, key=lambda basis: basis != "stated")
    assert bases.count("stated") == 3 and "context" in bases
    page = client.get("/barriers/limited-size-and-capacity/").content.decode()
    text = _text(page)
    assert "The article says the scheme tackles size and capacity" in text
    assert text.index("Export Consortiums") < text.index("Newest size practice")


def _barrier(slug):
    from barriers.models import Barrier

    return Barrier.objects.get(slug=slug)


def _counts(query):
    results = practice_search(params=QueryDict(query))
    return results.total, {
        value.value: value.count
        for facet in results.facets
        if facet.name == "barrier"
        for value in facet.values
    }


def test_the_stated_switch_counts_only_links_the_source_states():
    total, every = _counts("")
    stated_total, stated = _counts("evidence=stated")
    assert total == stated_total == Practice.objects.published().count()
    assert every["fragmented-support"] == 6 and stated["fragmented-support"] == 1
    assert every["untrained-personnel"] == 9 and stated.get("untrained-personnel", 0) == 0
    assert stated.get("cultural-differences", 0) == 0
    # Choosing a barrier with the switch on lists only the practices stated to address it.
    results = practice_search(params=QueryDict("barrier=fragmented-support&evidence=stated"))
    assert [p.slug for p in results.page.object_list] == ["kent-international-business"]
    assert [chip.facet_label for chip in results.chips] == ["Barrier", "Evidence"]


def test_the_stated_switch_narrows_a_barrier_page():
    barrier = _barrier("fragmented-support")
    every = practice_search(params=QueryDict(""), barrier=barrier)
    stated = practice_search(params=QueryDict("evidence=stated"), barrier=barrier)
    assert (every.total, stated.total) == (6, 1)


def test_the_switch_and_its_counts_are_on_the_search_page(client):
    page = client.get("/practices/?evidence=stated").content.decode()
    assert re.search(r'name="evidence" value="stated" id="f-evidence-stated"[^>]*checked', page)
    assert "Evidence: only links the source states" in _text(page)
    assert "Ignored unknown" not in page
    page = client.get("/practices/?evidence=rumour").content.decode()
    assert "Ignored unknown Evidence of links: rumour." in _text(page)


def test_the_matrix_can_count_only_stated_links(client):
    every = barrier_topic_matrix()
    stated = barrier_topic_matrix(stated_only=True)

    def cell(matrix, barrier, topic):
        row = next(r for r in matrix["rows"] if r["barrier"].slug == barrier)
        return next(c["count"] for c in row["cells"] if c["topic"].slug == topic)

    assert cell(every, "limited-size-and-capacity", "export-consortia-and-clusters") == 4
    assert cell(stated, "limited-size-and-capacity", "export-consortia-and-clusters") == 3
    assert cell(every, "fragmented-support", "capacity-building-in-support-ecosystems") == 4
    assert cell(stated, "fragmented-support", "capacity-building-in-support-ecosystems") == 0
    page = client.get("/matrix/?evidence=stated").content.decode()
    assert (
        "barrier=limited-size-and-capacity&amp;topic=export-consortia-and-clusters&amp;evidence=stated"
        in page
    )
    assert "Showing only links that the source document states" in page


def test_unpublished_practices_never_count_as_evidence(make_practice):
    practice = make_practice(
        "Draft with stated link",
        barriers=["cultural-differences"],
        topics=["support-infrastructure"],
        status="draft",
    )
    assert PracticeBarrier.objects.get(practice=practice).basis == "stated"
    _total, stated = _counts("evidence=stated")
    assert stated.get("cultural-differences", 0) == 0
    matrix = barrier_topic_matrix(stated_only=True)
    row = next(r for r in matrix["rows"] if r["barrier"].slug == "cultural-differences")
    assert all(c["count"] == 0 for c in row["cells"])
