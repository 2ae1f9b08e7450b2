from __future__ import annotations

from typing import Any

from linernotes.seo.checks import check_image_settings, check_twitter_handle


def ids(messages: list[Any]) -> list[str]:
    return [message.id for message in messages]


def test_defaults_pass() -> None:
    assert check_image_settings() == []
    assert check_twitter_handle() == []


def test_image_settings(settings: Any) -> None:
    settings.LINERNOTES_LOGO_URL = "logo.png"
    settings.LINERNOTES_SOCIAL_IMAGE_URL = "https://cdn.example.com/card.svg"
    assert ids(check_image_settings()) == ["linernotes.seo.E001", "linernotes.seo.W001"]


def test_twitter_handle(settings: Any) -> None:
    settings.LINERNOTES_TWITTER_SITE = "example"
    assert ids(check_twitter_handle()) == ["linernotes.seo.W002"]
