from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "practice_search_vector_gin": "USING gin (search_vector)",
    "practice_title_trgm": "USING gin (title gin_trgm_ops)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON practices_practice {definition}"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    """Search indexes, on PostgreSQL only: SQLite has no GIN indexes and searches without them.

    They are not declared in Practice.Meta.indexes because Django would create them on SQLite too.
    """

    dependencies = [("practices", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
