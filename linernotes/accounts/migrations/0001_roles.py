"""The four staff roles as groups (linernotes.accounts.roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from linernotes.accounts.roles import ROLE_NAMES, sync_roles


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations have run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("content", "0005_statuses_roles_previews"),
        ("seo", "0001_initial"),
        ("newsletter", "0002_signup_rate_limit_counters"),
        ("search", "0001_initial"),
        ("site", "0001_content_version"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
