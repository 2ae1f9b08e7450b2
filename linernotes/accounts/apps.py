from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "linernotes.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"
