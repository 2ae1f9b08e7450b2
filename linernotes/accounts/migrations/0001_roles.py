"""The four staff roles as groups (linernotes.accounts.roles)."""

from django.db import migrations

from linernotes.accounts.migrations._sync import create_roles
from linernotes.accounts.roles import ROLE_NAMES


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
