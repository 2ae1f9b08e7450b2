"""Editors manage the media library (content 0008)."""

from django.db import migrations

from linernotes.accounts.migrations._sync import create_roles


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_roles"), ("content", "0008_media_library")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
