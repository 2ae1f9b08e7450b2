"""Background tasks of the content app (django-tasks): ``linernotes worker`` runs them."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django_tasks import task

from linernotes.content import media_library


@task()
def make_renditions(name: str) -> int:
    """Make what is missing of the renditions of the stored image ``name``."""
    if not default_storage.exists(name):
        return 0  # replaced or deleted since the task was queued
    return media_library.build_renditions(name)
