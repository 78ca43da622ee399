import time

from django.db import migrations, models

from search.version import drop_version_triggers, install_version_triggers

# Every table a search reads: the practices, their links, and the records whose names and slugs
# the search matches or the facets show.
TABLES = [
    "practices_practice",
    "practices_practice_barriers",
    "practices_practice_topics",
    "taggit_tag",
    "taggit_taggeditem",
    "barriers_barrier",
    "barriers_policytopic",
    "projects_region",
    "projects_organisation",
    "projects_project",
]


def install(apps, schema_editor):
    apps.get_model("search", "DataVersion").objects.using(
        schema_editor.connection.alias
    ).create(pk=1, version=time.time_ns() // 1000)
    install_version_triggers(schema_editor, TABLES)


def uninstall(apps, schema_editor):
    drop_version_triggers(schema_editor, TABLES, function=True)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("practices", "0010_remove_search_engine_tables"),
        ("barriers", "0002_historicalbarrier_historicalpolicytopic_and_more"),
        ("projects", "0002_historicalorganisation_historicalproject_and_more"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "search data version"},
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
