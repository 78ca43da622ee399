"""/healthz (the process answers) and /readyz (it can serve pages): 200 or 503, a small JSON
body, never cached."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from config import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _migrations_checked_again():
    health._migrations_applied = False
    yield
    health._migrations_applied = False


def test_healthz_answers_while_the_process_runs_even_without_a_database(client):
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_when_the_database_cache_and_migrations_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database:default": "ok", "migrations": "ok", "cache": "ok"},
    }


def test_readyz_is_not_ready_without_the_database(client):
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database:default"] == "failing"
    assert "down" not in response.content.decode()  # the reason goes to the log only


def test_readyz_is_not_ready_while_migrations_are_missing(client):
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        return_value=[("a migration", False)],
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failing"


def test_readyz_is_not_ready_without_the_cache(client):
    with mock.patch("django.core.cache.backends.locmem.LocMemCache.get", return_value=None):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failing"
