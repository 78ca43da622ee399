from django.db import migrations

from search.version import drop_version_triggers, install_version_triggers

# The other tables the public pages read besides the search's own (migration 0001): whole pages are
# cached under the data version too (web.cache), so a write to any of them must move it.
TABLES = [
    "barriers_recommendation",
    "sources_source",
    "projects_project_partners",
    "projects_project_regions",
    "auth_group",
    "auth_user_groups",
]
# A practice's page names its validator's role, which depends on is_superuser; the other writes to
# users (a sign-in's last_login) show on no public page.
USER_TABLE = "auth_user"
USER_COLUMNS = ["is_superuser"]


def install(apps, schema_editor):
    install_version_triggers(schema_editor, TABLES)
    install_version_triggers(schema_editor, [USER_TABLE], update_of=USER_COLUMNS)


def uninstall(apps, schema_editor):
    drop_version_triggers(schema_editor, [*TABLES, USER_TABLE])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
