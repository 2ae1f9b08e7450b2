"""Telling editors that a post waits for their review."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.mail import send_mass_mail
from django.db.models import Q, QuerySet
from django.urls import reverse

from linernotes.content.addresses import absolute_url
from linernotes.content.models import Post

logger = logging.getLogger(__name__)


def reviewers() -> QuerySet[User]:
    """Active staff with an address who may publish everyone's posts."""
    permission = Permission.objects.filter(
        content_type__app_label="content", codename="edit_others_posts"
    )
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
        .distinct()
    )


def notify_reviewers(*, post: Post, by: User | None = None, **_: Any) -> int:
    """One email to each reviewer (not the writer); returns how many were sent.

    Runs after the post's transaction committed: a mail server that is down is logged, and
    the post stays in review, where the post list's "Waiting for review" filter finds it.
    """
    recipients = [user.email for user in reviewers() if by is None or user.pk != by.pk]
    if not recipients:
        return 0
    writer = (by.get_full_name() or by.username) if by else "Someone"
    link = absolute_url(reverse("admin:content_post_change", args=[post.pk]))
    body = (
        f"{writer} submitted \u201c{post.title}\u201d for review.\n\n"
        f"Read it, then publish or schedule it, or send it back as a draft:\n{link}\n"
    )
    try:
        subject = f"Waiting for review: {post.title}"
        # One message each, over one connection: reviewers need not see each other's address.
        return send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
        )
    except OSError:
        logger.exception("Could not tell reviewers about post %s", post.pk)
        return 0
