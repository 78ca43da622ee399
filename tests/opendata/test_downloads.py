"""Downloads of a search and of a shortlist, as a policy officer opens them in a spreadsheet."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.http import QueryDict
from openpyxl import load_workbook

from practices.models import Practice
from web.search_page import practice_search

pytestmark = pytest.mark.django_db

SEARCH = "barrier=limited-size-and-capacity&barrier=untrained-personnel&sort=title"


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_rows(response):
    text = _body(response).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def _search_slugs(query):
    results = practice_search(params=QueryDict(query), page_size=1000)
    return [practice.slug for practice in results.page.object_list]


def test_a_csv_download_holds_the_searchs_practices_in_its_order(client):
    response = client.get(f"/practices/export.csv?{SEARCH}")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert 'rel="license"' in response["Link"]
    rows = _csv_rows(response)
    assert [row["slug"] for row in rows] == _search_slugs(SEARCH)
    cantabria = next(row for row in rows if row["slug"] == "export-consortia-cantabria")
    practice = Practice.objects.get(slug="export-consortia-cantabria")
    assert cantabria["title"] == practice.title
    assert cantabria["region"] == "Cantabria"
    assert cantabria["country"] == "ES"
    assert cantabria["project"] == "SIE"
    assert set(cantabria["barriers"].split("; ")) == {b.name for b in practice.barriers.all()}
    stated = {link.barrier.name for link in practice.barrier_links.all() if link.basis == "stated"}
    assert set(filter(None, cantabria["barriers_stated_by_source"].split("; "))) == stated
    assert cantabria["url"].endswith("/practices/export-consortia-cantabria/")


def test_the_results_page_offers_the_downloads_of_its_search(client):
    html = client.get(f"/practices/?{SEARCH}&page=1").content.decode()
    assert "/practices/export.csv?barrier=limited-size-and-capacity" in html
    assert "/practices/export.xlsx?barrier=" in html
    assert "page=1" not in html.split("Download these results")[1].split("</p>")[0]
    barrier_page = client.get("/barriers/limited-size-and-capacity/").content.decode()
    assert "/practices/export.csv?barrier=limited-size-and-capacity" in barrier_page


def test_the_shortlist_downloads_in_its_own_order(client):
    slugs = ["passport-abroad", "export-consortia-cantabria", "go4export"]
    for slug in slugs:
        client.post("/shortlist/add/", {"slug": slug}, HTTP_ORIGIN="http://testserver")
    page = client.get("/shortlist/").content.decode()
    assert "/practices/export.csv?p=passport-abroad&amp;p=export-consortia-cantabria" in page
    rows = _csv_rows(client.get("/practices/export.csv?" + "&".join(f"p={s}" for s in slugs)))
    assert [row["slug"] for row in rows] == slugs


def test_an_xlsx_download_opens_with_its_licence_and_citation(client):
    response = client.get(f"/practices/export.xlsx?{SEARCH}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(_body(response)))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("slug", "title", "url")
    assert [row[0] for row in rows[1:]] == _search_slugs(SEARCH)
    assert "CC BY 4.0" in workbook.properties.description
    about = dict(workbook.worksheets[1].iter_rows(values_only=True))
    assert "creativecommons.org" in about["Licence"]
    assert "retrieved on" in about["How to cite"]


def test_a_json_download_holds_the_api_records_with_evidence(client):
    response = client.get(f"/practices/export.json?{SEARCH}")
    document = json.loads(_body(response))
    assert document["licence"]["url"].startswith("https://creativecommons.org/")
    assert document["citation"]
    assert [p["slug"] for p in document["practices"]] == _search_slugs(SEARCH)
    record = next(p for p in document["practices"] if p["slug"] == "export-consortia-cantabria")
    assert record == client.get("/api/v1/practices/export-consortia-cantabria/").json()


def test_a_text_is_never_read_as_a_formula(client, make_practice):
    make_practice('=HYPERLINK("http://evil.example")', slug="formula", summary="@SUM(A1)")
    rows = _csv_rows(client.get("/practices/export.csv?p=formula"))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["summary"] == "'@SUM(A1)"
    workbook = load_workbook(io.BytesIO(_body(client.get("/practices/export.xlsx?p=formula"))))
    title = workbook.worksheets[0]["B2"]
    assert title.data_type == "s"
    assert title.value == '=HYPERLINK("http://evil.example")'


def test_drafts_are_never_downloaded(client, draft):
    for extension in ["csv", "xlsx", "json"]:
        for query in ["", "q=zebracorn", f"p={draft.slug}", "barrier=limited-size-and-capacity"]:
            body = _body(client.get(f"/practices/export.{extension}?{query}"))
            assert b"Zebracorn" not in body
            if extension == "json":  # the document names the address it answers, and no more
                assert draft.slug not in str(json.loads(body)["practices"])
            else:
                assert draft.slug.encode() not in body


def test_bad_download_requests_get_400_not_500(client):
    too_many = "&".join(f"p=practice-{number}" for number in range(51))
    for query in [too_many, "q=" + "word " * 60]:
        response = client.get(f"/practices/export.csv?{query}")
        assert response.status_code == 400
        assert response.content


def test_a_download_reads_in_chunks_whatever_its_size(
    client, make_practice, django_assert_max_num_queries
):
    """The rows and their links are read a chunk at a time: the queries grow with the number of
    chunks, not of practices (and memory with the chunk, not the file)."""
    for number in range(40):
        make_practice(f"Bulk practice {number}", barriers=["untrained-personnel"], tags=["bulk"])
    cache.clear()
    # Search (version, FilterSet values) + one chunk: the practices and four prefetches.
    with django_assert_max_num_queries(12):
        rows = _csv_rows(client.get("/practices/export.csv"))
    assert len(rows) == Practice.objects.published().count()
