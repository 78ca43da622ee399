"""Cheap polling (ETag from the data version) and the limits per client, as a portal that polls
the API every few minutes meets them."""

import pytest
from django.core.cache import cache

from practices.models import Practice

LIST = "/api/v1/practices/?barrier=limited-size-and-capacity"


@pytest.mark.django_db(transaction=True)
def test_a_client_asking_again_gets_304_until_the_data_changes(client):
    from django.core.management import call_command

    call_command("load_initial_data", verbosity=0)
    first = client.get(LIST)
    etag = first["ETag"]
    assert etag
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert (
        client.get(
            "/practices/feed/", HTTP_IF_NONE_MATCH=client.get("/practices/feed/")["ETag"]
        ).status_code
        == 304
    )
    practice = Practice.objects.published().first()
    practice.title = "A new title"
    practice.save()
    again = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    # Another language, other labels: another tag.
    assert client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr")["ETag"] != again["ETag"]


@pytest.mark.django_db
def test_past_its_limit_a_client_gets_429_with_when_to_come_back(client, settings):
    settings.API_ANON_RATE = "3/minute"
    cache.clear()
    statuses = [client.get("/api/v1/barriers/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/barriers/")
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"]
    # Another client is not held back.
    assert client.get("/api/v1/barriers/", REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.django_db
def test_downloads_have_a_limit_of_their_own(client, settings):
    settings.DOWNLOAD_ANON_RATE = "2/minute"
    cache.clear()
    statuses = [client.get("/practices/export.csv").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/barriers/").status_code == 200  # the API's own limit


@pytest.mark.django_db(transaction=True)
def test_stray_parameters_cannot_fill_the_cache(client):
    from django.core.management import call_command

    call_command("load_initial_data", verbosity=0)
    cache.clear()
    client.get("/api/v1/practices/?q=export&utm_source=a")
    entries = len(cache._cache)  # local memory in the tests
    for number in range(5):
        client.get(f"/api/v1/practices/?q=export&utm_source={number}")
    assert len(cache._cache) == entries
