from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "linernotes.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Registers the settings check, and keeps the index in step with content.
        from linernotes.search import checks, receivers  # noqa: F401

        receivers.connect()
