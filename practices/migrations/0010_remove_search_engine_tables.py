from django.db import migrations

# The per-word bitset table's triggers and their functions, as migration 0009 once installed them.
DROP_WORD_TRIGGERS = "".join(
    f"""
    DROP TRIGGER IF EXISTS practices_word_bits_after_{event} ON practices_practice;
    DROP FUNCTION IF EXISTS practices_word_bits_after_{event}();
    """
    for event in ("insert", "update", "delete")
)


def drop_word_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_WORD_TRIGGERS, params=None)


class Migration(migrations.Migration):
    """The search engine of our own goes: its word table and its triggers, and the version token
    its per-process index reloaded on. The data version of ``search`` replaces the token."""

    dependencies = [
        ("practices", "0009_search_word_bits"),
    ]

    operations = [
        migrations.RunPython(drop_word_triggers, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="SearchWordBits"),
        migrations.DeleteModel(name="SearchIndexVersion"),
    ]
