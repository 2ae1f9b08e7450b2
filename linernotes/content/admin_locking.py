"""Two people editing one post: the second to save is told, rather than overwriting the first.

The post form carries the version the writer opened (``Post.version``, raised by every save).
If the post has been saved since, the form is shown again with the writer's text intact and
a message saying who saved it and when; the writer's autosaved revision keeps the text too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from linernotes.content.models import Post
from linernotes.content.revision_models import Revision

SEEN_VERSION = "seen_version"


class VersionedPostForm(forms.ModelForm[Post]):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[SEEN_VERSION].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        seen = self.cleaned_data.get(SEEN_VERSION)
        if self.instance.pk is not None and seen is not None:
            current = Post.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if current.first() not in (None, seen):
                raise forms.ValidationError(saved_since_message(self.instance), code="conflict")
        return cleaned


def saved_since_message(post: Post) -> str:
    """Who saved ``post`` last and when, as the writer who opened it earlier should read it."""
    latest = (
        Revision.objects.filter(post=post)
        .exclude(kind="autosave")
        .select_related("by")
        .order_by("-number")
        .first()
    )
    who = "Someone else"
    if latest is not None and latest.by is not None:
        who = latest.by.get_full_name() or latest.by.get_username()
    stored = Post.objects.filter(pk=post.pk).values_list("updated_at", flat=True).first()
    when = date_format(timezone.localtime(stored), "DATETIME_FORMAT") if stored else "just now"
    return (
        f"{who} saved this post ({when}) after you opened it, so your changes are not saved "
        "yet. They are still in the form below: copy what you need, reload the page to see "
        "the other version, and apply your changes to it."
    )
