from django.apps import AppConfig


class ExportConfig(AppConfig):
    name = "linernotes.export"
    label = "export"
    verbose_name = "Static site builds"
