"""Admin pages beyond the model lists: CSV import and export, and sending a test email."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.core.mail import get_connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from linernotes.content.admin_pages import AdminPage
from linernotes.content.models import Post
from linernotes.newsletter import emails, sending
from linernotes.newsletter.models import Subscriber
from linernotes.newsletter.subscriber_csv import export_subscribers, import_subscribers

logger = logging.getLogger(__name__)


def csv_response(subscribers: Iterable[Subscriber]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
    export_subscribers(subscribers, response)
    return response


class ExportView(AdminPage):
    """The list as CSV: a read, so view permission is enough."""

    def get(self, request: HttpRequest) -> HttpResponse:
        assert self.model_admin is not None
        # The same filters and search as the list the button was pressed on.
        changelist = self.model_admin.get_changelist_instance(request)
        return csv_response(changelist.get_queryset(request).iterator(chunk_size=2000))


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, consent (yes for each row), and optionally topics "
        "(category slugs separated by ;) and frequency (immediate or weekly).",
    )
    dry_run = forms.BooleanField(label="Check only, import nothing", required=False)


class ImportView(AdminPage):
    template_name = "admin/newsletter/subscriber/import.html"
    title = "Import subscribers"
    permission = "change"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, form=ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form=form)
        text = io.TextIOWrapper(form.cleaned_data["file"].file, encoding="utf-8-sig")
        try:
            report = import_subscribers(text, dry_run=form.cleaned_data["dry_run"])
        except UnicodeDecodeError:
            form.add_error("file", "The file is not UTF-8 text.")
            return self.page(request, form=form)
        if report.ok and not form.cleaned_data["dry_run"]:
            messages.success(
                request,
                f"{report.created} subscriber(s) imported; "
                f"{len(report.existing)} address(es) were known already and left as they were.",
            )
            return redirect("admin:newsletter_subscriber_changelist")
        return self.page(request, form=ImportForm(), report=report, checked=report.ok)


class SendTestForm(forms.Form):
    post = forms.ModelChoiceField(
        queryset=Post.objects.order_by("-updated_at"),
        help_text="Any post, drafts included: see it as subscribers will.",
    )
    email = forms.EmailField(label="Send to")


class SendTestView(AdminPage):
    template_name = "admin/newsletter/mailing/send_test.html"
    title = "Send a test email"
    permission = "change"

    def allowed(self, request: HttpRequest) -> bool:
        # It sends mail, and shows drafts: it needs the right to read posts too.
        return super().allowed(request) and request.user.has_perm("content.view_post")

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"email": getattr(request.user, "email", "")}
        return self.page(request, form=SendTestForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SendTestForm(request.POST)
        if not form.is_valid():
            return self.page(request, form=form)
        message = emails.preview_message(form.cleaned_data["post"], form.cleaned_data["email"])
        message.connection = get_connection()
        try:
            message.send()
        except Exception as error:  # classify() re-raises errors that are not about sending
            failure = sending.classify(error)
            form.add_error(None, f"The email could not be sent: {failure.reason}")
            return self.page(request, form=form)
        messages.success(request, f"Test email sent to {form.cleaned_data['email']}.")
        return redirect("admin:newsletter_mailing_send_test")
