"""The site against a real PostgreSQL primary and a streaming replica (scripts/replica.sh):
visitors read from the replica, a visitor who has just written reads from the primary, and
nothing is lost once the replica has caught up.

It needs the PostgreSQL server binaries and replication allowed on the primary (the script sees
to that where it can). Elsewhere it is skipped when the replica cannot start; with CI=true that
fails instead. It runs in the PostgreSQL run only.
"""

import http.cookiejar
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REPLICA_PORT = int(os.environ.get("TEST_REPLICA_PORT", "8151"))
SITE_PORT = int(os.environ.get("TEST_REPLICA_SITE_PORT", "8152"))
SLUG = "profitnet"


def database_url(name, port):
    settings_dict = connection.settings_dict
    return f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{port}/{name}"


def replica_script(command):
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "replica.sh"), command],
        env={**os.environ, "REPLICA_PORT": str(REPLICA_PORT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def replica():
    if connection.vendor != "postgresql":
        pytest.skip("read replicas are PostgreSQL's")
    started = replica_script("start")
    if started.returncode != 0:
        message = f"the replica did not start:\n{started.stdout}{started.stderr}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield
    replica_script("stop")


def sql(url, statement):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall() if cursor.description else None
    finally:
        conn.close()


def manage(environ, *arguments):
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environ,
        check=True,
        capture_output=True,
        timeout=300,
    )


def wait_until(condition, seconds=30, message="timed out"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (psycopg2.Error, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(message)


@pytest.fixture(scope="module")
def site(replica, django_db_blocker):
    """The site under gunicorn, on a database of its own, with one replica."""
    name = f"{connection.settings_dict['NAME']}_replicated"
    primary_url = database_url(name, connection.settings_dict["PORT"] or 5432)
    replica_url = database_url(name, REPLICA_PORT)
    postgres = database_url("postgres", connection.settings_dict["PORT"] or 5432)
    with django_db_blocker.unblock():
        sql(postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        sql(postgres, f'CREATE DATABASE "{name}"')
    environ = {
        **os.environ,
        "DATABASE_URL": primary_url,
        "DATABASE_REPLICA_URL": replica_url,
        "SECRET_KEY": "replica-test-" + "x" * 50,
        "HTTPS": "off",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "0",
        "PRIMARY_AFTER_WRITE_SECONDS": "30",
    }
    manage(environ, "migrate", "--noinput")
    manage(environ, "load_initial_data")
    manage(environ, "collectstatic", "--noinput", "--verbosity", "0")
    wait_until(
        lambda: sql(replica_url, "SELECT count(*) FROM practices_practice")[0][0] > 0,
        message="the replica never received the site's database",
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{SITE_PORT}",
            "--workers",
            "2",
            "config.wsgi",
        ],
        cwd=ROOT,
        env={**environ, "GUNICORN_ACCESS_LOG": "/dev/null"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{SITE_PORT}"
    try:
        wait_until(lambda: fetch(base + "/healthz")[0] == 200, message="gunicorn never answered")
        yield base, primary_url, replica_url
    finally:
        server.terminate()
        server.wait(timeout=30)
        sql(replica_url, "SELECT pg_wal_replay_resume()")
        with django_db_blocker.unblock():
            sql(postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fetch(url, opener=None, data=None, headers=None):
    opener = opener or urllib.request.build_opener()
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_visitors_read_from_the_replica_and_a_writer_reads_their_own_write(site):
    base, primary_url, replica_url = site
    status, body = fetch(base + "/readyz")
    assert status == 200, body
    assert '"database:replica_1": "ok"' in body
    title = sql(primary_url, f"SELECT title FROM practices_practice WHERE slug = '{SLUG}'")[0][0]
    assert title in fetch(f"{base}/practices/{SLUG}/")[1]

    # The replica stops applying the primary's changes, as a lagging one would.
    sql(replica_url, "SELECT pg_wal_replay_pause()")
    sql(
        primary_url,
        f"UPDATE practices_practice SET title = 'Renamed on the primary' WHERE slug = '{SLUG}'",
    )
    # A visitor reads from the replica: still the old title.
    status, page = fetch(f"{base}/practices/{SLUG}/")
    assert status == 200
    assert title in page and "Renamed on the primary" not in page

    # A visitor who writes (adds the practice to their shortlist) reads from the primary.
    writer = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    status, _ = fetch(
        f"{base}/shortlist/add/",
        writer,
        data=urllib.parse.urlencode({"slug": SLUG, "next": "/shortlist/"}).encode(),
        headers={"Origin": base},
    )
    assert status == 200  # followed the redirect to the shortlist
    status, shortlist = fetch(f"{base}/shortlist/", writer)
    assert "Renamed on the primary" in shortlist  # their session and the page, from the primary
    assert "Renamed on the primary" in fetch(f"{base}/practices/{SLUG}/", writer)[1]

    # Once the replica catches up, every visitor sees the change.
    sql(replica_url, "SELECT pg_wal_replay_resume()")
    wait_until(
        lambda: "Renamed on the primary" in fetch(f"{base}/practices/{SLUG}/")[1],
        seconds=10,
        message="the replica never caught up",
    )
