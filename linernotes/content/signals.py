"""Signals other apps listen to; content itself imports none of them.

Most are sent after the transaction that changed the post has committed, so receivers can do
slow work (indexing, email) without seeing uncommitted or rolled-back state.
"""

import logging
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest

logger = logging.getLogger(__name__)

# Sent with ``post``: a post became (or stayed) publicly visible and its content may have changed.
post_published = Signal()
# Sent with ``post``: a post that was public is no longer.
post_unpublished = Signal()
# Sent with ``post`` and ``by`` (the user, or None): a post is waiting for an editor's review.
post_submitted = Signal()
# Sent with ``post_ids`` inside the transaction that wrote them: posts created or changed by a
# bulk write (an import), which sends no model signals. Receivers defer their work to commit.
posts_changed_in_bulk = Signal()
# Sent with ``instance`` (a post or page) and ``by`` (the user) once an admin save, status
# action, restore or pending change made live has committed. A receiver may answer with a
# warning for the editor (text), which the admin shows: ``send_saved_in_admin`` sends it.
saved_in_admin = Signal()


def send_saved_in_admin(request: HttpRequest, instance: Any) -> None:
    """Send ``saved_in_admin`` after the current transaction commits; answers and failures
    become warnings on the editor's next page, never an error page for a save that worked."""

    def send() -> None:
        answers = saved_in_admin.send_robust(
            sender=type(instance), instance=instance, by=request.user
        )
        for receiver, answer in answers:
            if isinstance(answer, Exception):
                logger.error("saved_in_admin receiver %r failed", receiver, exc_info=answer)
                messages.warning(request, f"Saved, but a follow-up step failed: {answer}")
            elif answer:
                messages.warning(request, str(answer))

    transaction.on_commit(send)
