from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    """The Contributor and Expert groups with their permissions (see practices.roles)."""
    from practices.roles import sync_roles

    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    from practices.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("barriers", "0002_historicalbarrier_historicalpolicytopic_and_more"),
        ("projects", "0002_historicalorganisation_historicalproject_and_more"),
        ("sources", "0001_initial"),
        ("practices", "0003_curation_workflow_history"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
