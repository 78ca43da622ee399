from django.db import migrations


def keep_titles_in_row(apps, schema_editor):
    # With toast_tuple_target = 128 (migration 0005) a long row moves every column it can to TOAST
    # storage, the short title too: at 100,000 practices 97 % of titles were stored there, and
    # loading the facet index, which reads every published title, spent 1 of its 2.4 s fetching
    # them back. STORAGE MAIN keeps the title in the row (the table grows by about 4 %).
    # Rows already written keep their stored form until they are next written; VACUUM FULL
    # rewrites them all at once.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE practices_practice ALTER COLUMN title SET STORAGE MAIN")


def default_title_storage(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE practices_practice ALTER COLUMN title SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    """Titles stay in the table's own pages, on PostgreSQL (see migration 0005)."""

    dependencies = [("practices", "0007_search_rank_vector_gin_index")]

    operations = [
        migrations.RunPython(keep_titles_in_row, default_title_storage, elidable=False)
    ]
