from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "linernotes.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from linernotes.accounts.review import notify_reviewers
        from linernotes.content.signals import post_submitted

        post_migrate.connect(_grant_administrators_everything, dispatch_uid="accounts-roles")
        post_submitted.connect(notify_reviewers, dispatch_uid="accounts-notify-reviewers")


def _grant_administrators_everything(**kwargs: Any) -> None:
    # After every migrate, once Django has made the permissions of any new model.
    from django.contrib.auth.models import Group, Permission

    from linernotes.accounts.roles import grant_administrators_everything

    grant_administrators_everything(Group, Permission)
