"""What the newsletter does when content is published or a provider reports on a message."""

from __future__ import annotations

from typing import Any

from anymail.signals import AnymailTrackingEvent

from linernotes.content.models import Post
from linernotes.newsletter import mailings, services


def post_published(sender: type[Post], post: Post, **kwargs: Any) -> None:
    # content sends this after its transaction committed; queueing happens in the worker.
    mailings.announce_post(post)


def provider_tracking(
    sender: type, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any
) -> None:
    """anymail's tracking webhook: bounces and complaints stop mail to the address."""
    services.record_tracking_event(
        recipient=event.recipient or "",
        event_type=str(event.event_type),
        message_id=event.message_id or "",
        description=event.description or event.mta_response or "",
        esp_name=esp_name,
    )
