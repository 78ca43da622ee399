"""A backup restored into a fresh database holds every row of every table, and the site serves
the same search page from it (`make backup`, `make restore`).

On the PostgreSQL run: pg_dump's custom format of the test database, with tags and history
added, restored by pg_restore into a new database. On the SQLite run: a database file made by
migrate and the seed, copied by SQLite's online backup API and restored into a new file.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from practices.models import Practice

ROOT = Path(__file__).resolve().parents[2]
SEARCH_PAGE = "/practices/?q=export&sort=title"


def manage(database_url, *arguments):
    environ = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def search_page(database_url):
    """The search page as the site renders it from that database."""
    return manage(database_url, "shell", "-c", PAGE_SCRIPT)


# Rendered as in the tests: static files without collectstatic's manifest, the test host.
PAGE_SCRIPT = f"""
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
storages = {{"staticfiles": {{
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}}}
with override_settings(STORAGES=storages):
    response = Client().get({SEARCH_PAGE!r})
assert response.status_code == 200, response.status_code
print(response.content.decode())
"""


def rows_of_every_table(cursor, tables_sql):
    cursor.execute(tables_sql)
    tables = sorted(name for (name,) in cursor.fetchall())
    content = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        content[table] = sorted(map(repr, cursor.fetchall()))
    return content


POSTGRES_TABLES = (
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
)
SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"


def postgres_url(name):
    settings_dict = connection.settings_dict
    user = settings_dict["USER"] + (
        f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    )
    return f"postgres://{user}@{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}/{name}"


@pytest.mark.django_db(transaction=True)
def test_a_postgres_backup_restores_every_row_and_the_same_search_page(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL run checks pg_dump and pg_restore")
    # Committing tests empty the database when they end, and run last, in any order.
    call_command("load_initial_data", verbosity=0)
    practice = Practice.objects.get(slug="profitnet")
    practice.tags.add("export vouchers", "trade fairs")  # tag links: lost by dumpdata
    practice.summary += " Changed once."
    practice.save()  # a history row: clashes in loaddata
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    backup = tmp_path / "site.dump"
    call_command("backup_database", str(backup))

    admin = psycopg2.connect(postgres_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        manage(postgres_url(restored), "restore_database", "--noinput", str(backup))
        original, copy = (
            psycopg2.connect(postgres_url(source)),
            psycopg2.connect(postgres_url(restored)),
        )
        try:
            before = rows_of_every_table(original.cursor(), POSTGRES_TABLES)
            after = rows_of_every_table(copy.cursor(), POSTGRES_TABLES)
        finally:
            original.close()
            copy.close()
        assert before.keys() == after.keys()
        for table in before:
            assert after[table] == before[table], f"{table} differs after the restore"
        assert len(before["taggit_taggeditem"]) >= 2
        page = search_page(postgres_url(restored))
        assert "ProfitNet" in page or "profitnet" in page
        assert page == search_page(postgres_url(source))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
        admin.close()


def test_an_sqlite_backup_restores_every_row_and_the_same_search_page(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite run checks SQLite's online backup")
    source = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    backup = tmp_path / "backup.sqlite3"
    manage(source, "migrate", "--noinput")
    manage(source, "load_initial_data")
    manage(source, "backup_database", str(backup))
    manage(restored, "restore_database", "--noinput", str(backup))
    with (
        sqlite3.connect(tmp_path / "site.sqlite3") as original,
        sqlite3.connect(tmp_path / "restored.sqlite3") as copy,
    ):
        before = rows_of_every_table(original.cursor(), SQLITE_TABLES)
        after = rows_of_every_table(copy.cursor(), SQLITE_TABLES)
    original.close()
    copy.close()
    assert before == after
    assert len(before["practices_practice"]) == 21
    page = search_page(restored)
    assert 'class="practice-card' in page or "practice" in page
    assert page == search_page(source)
