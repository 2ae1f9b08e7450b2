from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "linernotes.importers"
    label = "importers"
    verbose_name = "Imports and exports"
