from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "linernotes.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from linernotes.config.request_log import logger as request_log
        from linernotes.operations.health import HEALTH_CHECK_PATH, QuietPolls
        from linernotes.site.page_cache import skip_page_cache

        # A health check must reach its view even when the page cache or the content
        # version cannot be read: saying so is its whole job.
        skip_page_cache(HEALTH_CHECK_PATH)
        request_log.addFilter(QuietPolls())
