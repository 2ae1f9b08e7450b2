"""Reactions to changes in content and in redirect rules, connected in SeoConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from linernotes.content.models import Post, Status
from linernotes.seo.redirects import rules_changed
from linernotes.seo.services import record_moved_address

# Where a public post answered before the save in progress; kept on the instance in between.
_PREVIOUS_PATH = "_seo_previous_public_path"
_ADDRESS_FIELDS = frozenset({"slug", "published_at"})


def remember_public_address(
    sender: type[Post], instance: Post, raw: bool, update_fields: Any, **kwargs: Any
) -> None:
    """pre_save: note the address readers could reach the post at, before it changes."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not _ADDRESS_FIELDS & set(update_fields):
        return
    previous = (
        Post.objects.published()
        .filter(pk=instance.pk)
        .values("slug", "published_at", "created_at")
        .first()
    )
    setattr(instance, _PREVIOUS_PATH, Post(**previous).get_absolute_url() if previous else None)


def redirect_moved_post(sender: type[Post], instance: Post, raw: bool, **kwargs: Any) -> None:
    """post_save: a published post whose address changed keeps answering at the old one."""
    old_path = instance.__dict__.pop(_PREVIOUS_PATH, None)
    if raw or old_path is None or instance.status != Status.PUBLISHED:
        return
    record_moved_address(old_path=old_path, new_path=instance.get_absolute_url())


def redirect_rules_changed(**kwargs: Any) -> None:
    """post_save/post_delete of a Redirect: drop compiled rules everywhere.

    Now, so this process sees the change at once, and again after commit, so a process that
    reloaded in between does not keep the state from before the transaction.
    """
    rules_changed()
    transaction.on_commit(rules_changed)
