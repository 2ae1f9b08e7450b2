from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "linernotes.demo"
    label = "demo"
    verbose_name = "Demo content"
