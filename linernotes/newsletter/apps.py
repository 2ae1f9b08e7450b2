from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "linernotes.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self) -> None:
        from linernotes.newsletter import checks  # noqa: F401 - registers the system checks
        from linernotes.newsletter.previews import register_part

        connect_receivers()
        register_part()


def connect_receivers() -> None:
    """Listen to content and to anymail. Safe to call again (each receiver has a dispatch uid)."""
    from anymail.signals import tracking

    from linernotes.content.signals import post_published
    from linernotes.newsletter import receivers

    post_published.connect(
        receivers.post_published, dispatch_uid="linernotes.newsletter.post_published"
    )
    tracking.connect(
        receivers.provider_tracking, dispatch_uid="linernotes.newsletter.provider_tracking"
    )
