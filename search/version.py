"""The data version: one number that changes whenever what a search reads changes.

Database triggers on every table a search reads bump ``search_dataversion.version``, so no write
path is missed: a model save, ``QuerySet.update()``, ``bulk_create``, an M2M change, a fixture load
or raw SQL.

PostgreSQL: the trigger is a *deferred constraint trigger*. It fires at commit, after every other
lock of the transaction has been taken, and bumps the row once per transaction (a transaction-local
setting remembers it did). So the version row is the last lock a writer takes and is held only
while it commits: an import and a curator's save queue for it instead of deadlocking, and readers
never wait (they read the last committed version). Two writes take it earlier and hold it to the
end of their transaction: a TRUNCATE (its trigger cannot be deferred), and a transaction that
runs ``SET CONSTRAINTS ALL IMMEDIATE`` (``loaddata`` does, to check its foreign keys); either is
an operator's bulk operation, not a curator's. A reader reads the version before the data, so
whatever it caches under a version is at least as new as that version.

SQLite: a row trigger per table and event; SQLite lets one writer at a time, so there is no lock
order to get wrong.

The public pages are cached under the same version (``web.cache``), so the tables they read have
the triggers too. A migration that adds a table a search or a public page reads installs them on
it with ``install_version_triggers``.
"""

from django.db import connections

FUNCTION = "search_data_version_bump"
# Should the row ever be deleted (a test database flushed between tests), it starts again from the
# clock in microseconds, not from 1: a version number from before must not come back.
SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"


def _pg_create_function():
    return f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF current_setting('search.data_version_bumped', true) IS DISTINCT FROM 'on' THEN
                PERFORM set_config('search.data_version_bumped', 'on', true);
                INSERT INTO search_dataversion (id, version)
                    VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
                    ON CONFLICT (id) DO UPDATE SET version = search_dataversion.version + 1;
            END IF;
            RETURN NULL;
        END
        $body$;
    """


def install_version_triggers(schema_editor, tables, *, update_of=None):
    """Bump the version on every write to ``tables``; with ``update_of`` (column names), only on
    an update of those columns (a table most of whose writes no page shows)."""
    vendor = schema_editor.connection.vendor
    events = ["INSERT", "UPDATE", "DELETE"]
    if update_of:
        events = [f"UPDATE OF {', '.join(update_of)}"]
    if vendor == "postgresql":
        schema_editor.execute(_pg_create_function(), params=None)
        for table in tables:
            schema_editor.execute(
                f"""
                CREATE CONSTRAINT TRIGGER search_data_version AFTER {" OR ".join(events)}
                    ON {table} DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
                CREATE TRIGGER search_data_version_truncate AFTER TRUNCATE ON {table}
                    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
                """,
                params=None,
            )
    elif vendor == "sqlite":
        for table in tables:
            for event in events:
                schema_editor.execute(
                    f"""
                    CREATE TRIGGER search_data_version_{table}_{event.split()[0].lower()}
                    AFTER {event} ON {table} FOR EACH ROW BEGIN
                        INSERT INTO search_dataversion (id, version) VALUES (1, {SQLITE_NOW_US})
                            ON CONFLICT (id) DO UPDATE SET version = version + 1;
                    END;
                    """,
                    params=None,
                )
    else:
        raise NotImplementedError(f"No data version triggers for {vendor}.")


def drop_version_triggers(schema_editor, tables, *, function=False):
    """Drop the triggers of ``tables``, and with ``function`` the function they call."""
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS search_data_version ON {table};"
                f"DROP TRIGGER IF EXISTS search_data_version_truncate ON {table};",
                params=None,
            )
        elif vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS search_data_version_{table}_{event}", params=None
                )
    if function and vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()", params=None)


def data_version(using="default"):
    """The last committed data version, or ``None`` when it cannot be read (no row)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT version FROM search_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None
