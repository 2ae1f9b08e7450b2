"""Signals other apps listen to; content itself imports none of them.

Most are sent after the transaction that changed the post has committed, so receivers can do
slow work (indexing, email) without seeing uncommitted or rolled-back state.
"""

from django.dispatch import Signal

# Sent with ``post``: a post became (or stayed) publicly visible and its content may have changed.
post_published = Signal()
# Sent with ``post``: a post that was public is no longer.
post_unpublished = Signal()
# Sent with ``post`` and ``by`` (the user, or None): a post is waiting for an editor's review.
post_submitted = Signal()
# Sent with ``post_ids`` inside the transaction that wrote them: posts created or changed by a
# bulk write (an import), which sends no model signals. Receivers defer their work to commit.
posts_changed_in_bulk = Signal()
