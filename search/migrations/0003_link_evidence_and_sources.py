from django.db import migrations

from search.version import drop_version_triggers, install_version_triggers

# The links of practices to barriers and topics now carry their evidence (practices 0011), which
# the pages show and the "stated only" counts read. On SQLite, adding those columns rebuilt the two
# tables without their triggers: install them again (on PostgreSQL they were kept; dropped and
# installed again all the same, so the two databases end alike).
LINK_TABLES = ["practices_practice_barriers", "practices_practice_topics"]
# The documents each barrier, topic, project, organisation and region is taken from.
SOURCE_TABLES = [
    "barriers_barrier_sources",
    "barriers_policytopic_sources",
    "projects_project_sources",
    "projects_organisation_sources",
    "projects_region_sources",
]


def install(apps, schema_editor):
    drop_version_triggers(schema_editor, LINK_TABLES)
    install_version_triggers(schema_editor, [*LINK_TABLES, *SOURCE_TABLES])


def uninstall(apps, schema_editor):
    drop_version_triggers(schema_editor, SOURCE_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_version_of_every_public_page"),
        ("practices", "0011_link_evidence"),
        ("barriers", "0003_sources_and_notes"),
        ("projects", "0003_sources_and_notes"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
