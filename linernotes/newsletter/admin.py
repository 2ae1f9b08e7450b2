"""The newsletter in the admin: subscribers, per-post delivery status, digests.

State changes go through the services, so the subscriber history says they came from the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from linernotes.newsletter import admin_views, mailings, services, tasks
from linernotes.newsletter.models import (
    Delivery,
    DeliveryState,
    Digest,
    Frequency,
    Mailing,
    Source,
    Subscriber,
    SubscriberEvent,
)


class SubscriberEventInline(admin.TabularInline[SubscriberEvent, Subscriber]):
    model = SubscriberEvent
    fields = ["at", "from_state", "to_state", "source", "detail"]
    readonly_fields = ["at", "from_state", "to_state", "source", "detail"]
    extra = 0
    can_delete = False
    verbose_name_plural = "history"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin[Subscriber]):
    list_display = ["email", "state", "frequency", "topic_names", "confirmed_at", "created_at"]
    list_filter = ["state", "frequency", "all_topics", "topics", "created_at"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = [
        "email",
        "state",
        "frequency",
        "topics",
        "created_at",
        "confirmed_at",
        "state_changed_at",
    ]
    readonly_fields = ["email", "state", "created_at", "confirmed_at", "state_changed_at"]
    filter_horizontal = ["topics"]
    inlines = [SubscriberEventInline]
    actions = ["unsubscribe_selected", "export_selected"]
    change_list_template = "admin/newsletter/subscriber/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Subscriber]:
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="Topics")
    def topic_names(self, subscriber: Subscriber) -> str:
        return subscriber.topic_names()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New subscribers come from the signup form (double opt-in) or a CSV import with consent.
        return False

    def save_model(
        self, request: HttpRequest, obj: Subscriber, form: ModelForm[Subscriber], change: bool
    ) -> None:
        """Frequency and topics are the only editable fields; they are saved in save_related."""

    def save_related(
        self, request: HttpRequest, form: ModelForm[Subscriber], formsets: Any, change: bool
    ) -> None:
        services.change_preferences(
            form.instance,
            topics=list(form.cleaned_data["topics"]),
            frequency=Frequency(form.cleaned_data["frequency"]),
            source=Source.ADMIN,
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description="Unsubscribe selected subscribers", permissions=["change"])
    def unsubscribe_selected(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        changed = sum(
            services.unsubscribe(subscriber, source=Source.ADMIN) for subscriber in queryset
        )
        messages.success(request, f"{changed} subscriber(s) unsubscribed.")

    # A read, like the list it is chosen on: view permission is enough.
    @admin.action(description="Export selected subscribers as CSV")
    def export_selected(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> Any:
        return admin_views.csv_response(queryset)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(admin_views.ImportView.as_view(model_admin=self)),
                name="newsletter_subscriber_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(admin_views.ExportView.as_view(model_admin=self)),
                name="newsletter_subscriber_export",
            ),
        ]
        return own + super().get_urls()


def _count(state: DeliveryState) -> Count:
    return Count("post__newsletter_deliveries", filter=Q(post__newsletter_deliveries__state=state))


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin[Mailing]):
    """Per-post delivery status: how many messages are queued, sent, failed and cancelled."""

    list_display = ["post", "created_at", "queued_at", "queued", "sent", "failed", "cancelled"]
    list_select_related = ["post"]
    search_fields = ["post__title", "post__slug"]
    readonly_fields = ["post", "created_at", "queued_at"]
    actions = ["queue_again"]
    change_list_template = "admin/newsletter/mailing/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mailing]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                queued_count=_count(DeliveryState.QUEUED),
                sent_count=_count(DeliveryState.SENT),
                failed_count=_count(DeliveryState.FAILED),
                cancelled_count=_count(DeliveryState.CANCELLED),
            )
        )

    def _linked_count(self, mailing: Mailing, state: DeliveryState) -> str:
        number = getattr(mailing, f"{state.value}_count")
        url = reverse("admin:newsletter_delivery_changelist")
        return format_html(
            '<a href="{}?post__id__exact={}&amp;state__exact={}">{}</a>',
            url,
            mailing.post_id,
            state.value,
            number,
        )

    @admin.display(description="Queued")
    def queued(self, mailing: Mailing) -> str:
        return self._linked_count(mailing, DeliveryState.QUEUED)

    @admin.display(description="Sent")
    def sent(self, mailing: Mailing) -> str:
        return self._linked_count(mailing, DeliveryState.SENT)

    @admin.display(description="Failed")
    def failed(self, mailing: Mailing) -> str:
        return self._linked_count(mailing, DeliveryState.FAILED)

    @admin.display(description="Cancelled")
    def cancelled(self, mailing: Mailing) -> str:
        return self._linked_count(mailing, DeliveryState.CANCELLED)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(
        description="Send to subscribers who have not had it, and retry failures",
        permissions=["change"],
    )
    def queue_again(self, request: HttpRequest, queryset: QuerySet[Mailing]) -> None:
        queued = 0
        for mailing in queryset.select_related("post"):
            result = mailings.queue_post_delivery(mailing.post, retry_failed=True)
            queued += result.queued + result.requeued
        if queued:
            tasks.start_sending()
        messages.success(request, f"{queued} message(s) queued.")

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "send-test/",
                self.admin_site.admin_view(admin_views.SendTestView.as_view(model_admin=self)),
                name="newsletter_mailing_send_test",
            )
        ]
        return own + super().get_urls()


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ["subscriber", "post", "digest", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state", ("post", admin.RelatedOnlyFieldListFilter), "digest"]
    list_select_related = ["subscriber", "post", "digest"]
    search_fields = ["subscriber__email", "message_id"]
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin[Digest]):
    list_display = ["__str__", "period_end", "queued_at", "post_count", "delivery_count"]
    readonly_fields = ["period_end", "created_at", "queued_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Digest]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                post_total=Count("items", distinct=True),
                delivery_total=Count("deliveries", distinct=True),
            )
        )

    @admin.display(description="Posts")
    def post_count(self, digest: Digest) -> int:
        return int(getattr(digest, "post_total", 0))

    @admin.display(description="Deliveries")
    def delivery_count(self, digest: Digest) -> int:
        return int(getattr(digest, "delivery_total", 0))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
