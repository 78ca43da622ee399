"""On SQLite, two requests that write at once: the second waits for the first, neither fails.

In the admin, saving a practice reads (the form's validation) and then writes, in one transaction;
meanwhile another request by the same staff member saves the session. With SQLite's default
DEFERRED transactions the save failed with "database is locked" (a 500, seen in a browser test).
"""

import threading

import pytest
from django.db import connection, connections, transaction

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking")

ALIAS = "second_sqlite_file"


@pytest.fixture
def database_file(tmp_path, django_db_blocker):
    """An SQLite file of its own, opened with the project's settings, one connection per thread.

    The test database stays untouched, so no test-case wrapping is needed, only access."""
    connections.settings[ALIAS] = {
        **connections["default"].settings_dict,
        "NAME": str(tmp_path / "db.sqlite3"),
    }
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE saves (request text)")
        connections[ALIAS].close()
        yield
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def in_thread(work, errors):
    def run():
        try:
            work()
        except Exception as error:
            errors.append(error)
        finally:
            connections[ALIAS].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_save_that_read_first_waits_for_a_concurrent_write_instead_of_failing(database_file):
    admin_has_read = threading.Event()
    session_saved = threading.Event()
    errors = []

    def admin_save():
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM saves")
            admin_has_read.set()
            # Give the other request the chance to write in between.
            session_saved.wait(timeout=1)
            cursor.execute("INSERT INTO saves VALUES ('practice')")

    def session_save():
        admin_has_read.wait(timeout=5)
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO saves VALUES ('session')")
        session_saved.set()

    threads = [in_thread(admin_save, errors), in_thread(session_save, errors)]
    for thread in threads:
        thread.join(timeout=15)

    assert errors == []
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT request FROM saves ORDER BY request")
        assert [row[0] for row in cursor.fetchall()] == ["practice", "session"]
