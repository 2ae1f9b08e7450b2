"""Signup and preference forms. The consent text shown is the one recorded with a signup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Q

from linernotes.content.models import Category
from linernotes.newsletter.models import Frequency, normalise_email

# Off-screen and unlabelled for people; bots that fill in every field give themselves away.
HONEYPOT_FIELD = "website"


def consent_text() -> str:
    return (
        f"By signing up you agree to receive emails from {settings.LINERNOTES_SITE_NAME} about "
        "new posts. We first ask you to confirm your address, and every email has a link to "
        "choose topics, switch to a weekly digest or unsubscribe."
    )


class TopicsField(forms.ModelMultipleChoiceField):
    def __init__(self) -> None:
        super().__init__(
            queryset=Category.objects.in_use().order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Topics",
            help_text="Leave them all unticked to get every post.",
        )


class SignupForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label="Email address",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter a valid email address, like name@example.com.",
        },
    )
    topics = TopicsField()
    website = forms.CharField(required=False)

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    @property
    def filled_by_a_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Frequency.choices, widget=forms.RadioSelect, label="How often"
    )
    topics = TopicsField()

    def __init__(self, *args: Any, chosen: Iterable[Category] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A topic the reader chose stays on offer while its category has nothing published,
        # so saving the page does not quietly drop it.
        field = cast("TopicsField", self.fields["topics"])
        ids = [category.pk for category in chosen]
        if ids:
            field.queryset = Category.objects.filter(
                Q(pk__in=ids) | Q(pk__in=Category.objects.in_use())
            ).order_by("name")
