from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from linernotes.content.models import Author, Status


@pytest.fixture
def editor(client: Client, db: None) -> Client:
    """A client signed in as a superuser."""
    client.force_login(User.objects.create_superuser("editor", "editor@example.com", "pw"))
    return client


def post_form(*, author: Author, **fields: Any) -> dict[str, Any]:
    """What the admin's add-post form sends for a draft by ``author``, with ``fields`` on top."""
    return {
        "title": "A post",
        "slug": "a-post",
        "body": "",
        "summary": "",
        "status": Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "hero_image_alt": "",
        "external_url": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-position": "0",
        "bylines-0-author": str(author.pk),
        "bylines-0-role": "",
        **fields,
    }
