from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "linernotes.content"
    label = "content"
    verbose_name = "Content"
