"""The newsletter admin: subscribers, per-post status, test emails, CSV export and import."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.test import Client
from django.utils import timezone

from linernotes.content.models import Status
from linernotes.newsletter import mailings
from linernotes.newsletter.models import (
    Delivery,
    DeliveryState,
    Frequency,
    Source,
    Subscriber,
    SubscriberState,
)
from tests.factories import CategoryFactory, PostFactory
from tests.newsletter.conftest import MakeSubscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client: Client) -> Client:
    user = get_user_model().objects.create_superuser(
        "editor", "editor@example.com", "a-long-test-password"
    )
    client.force_login(user)
    return client


def test_subscribers_can_be_filtered_and_searched(
    editor: Client, make_subscriber: MakeSubscriber
) -> None:
    make_subscriber("ada@example.com")
    make_subscriber("grace@example.com", state=SubscriberState.PENDING)
    make_subscriber("alan@example.org", state=SubscriberState.UNSUBSCRIBED)
    listing = editor.get("/admin/newsletter/subscriber/", {"state__exact": "active"})
    assert [s.email for s in listing.context["cl"].result_list] == ["ada@example.com"]
    found = editor.get("/admin/newsletter/subscriber/", {"q": "example.org"})
    assert [s.email for s in found.context["cl"].result_list] == ["alan@example.org"]


def test_editing_topics_in_the_admin_is_recorded(
    editor: Client, make_subscriber: MakeSubscriber
) -> None:
    data = CategoryFactory.create(name="Data")
    subscriber = make_subscriber("ada@example.com")
    response = editor.post(
        f"/admin/newsletter/subscriber/{subscriber.pk}/change/",
        {
            "frequency": "weekly",
            "topics": [data.pk],
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    subscriber.refresh_from_db()
    assert subscriber.frequency == Frequency.WEEKLY
    assert list(subscriber.topics.all()) == [data]
    assert subscriber.events.get().source == Source.ADMIN


def test_the_unsubscribe_action_goes_through_the_service(
    editor: Client, make_subscriber: MakeSubscriber
) -> None:
    subscriber = make_subscriber("ada@example.com")
    editor.post(
        "/admin/newsletter/subscriber/",
        {"action": "unsubscribe_selected", "_selected_action": [subscriber.pk]},
    )
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED
    assert subscriber.events.get().source == Source.ADMIN


def test_each_post_shows_queued_sent_and_failed_counts(
    editor: Client, make_subscriber: MakeSubscriber
) -> None:
    for number in range(4):
        make_subscriber(f"reader{number}@example.com")
    post = PostFactory.create(title="Status check", published_at=timezone.now())
    mailings.queue_post_delivery(post)
    deliveries = list(Delivery.objects.order_by("pk"))
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries[:2]]).update(state=DeliveryState.SENT)
    Delivery.objects.filter(pk=deliveries[2].pk).update(
        state=DeliveryState.FAILED, last_error="550 no such user"
    )
    page = BeautifulSoup(editor.get("/admin/newsletter/mailing/").content, "lxml")
    row = page.select_one("#result_list tbody tr")
    cells = {
        cell["class"][0].removeprefix("field-"): cell.get_text(strip=True)
        for cell in row.select("td, th")
        if cell.get("class")
    }
    assert cells["post"] == "Status check"
    assert (cells["queued"], cells["sent"], cells["failed"], cells["cancelled"]) == (
        "1",
        "2",
        "1",
        "0",
    )
    link = str(row.select_one("td.field-failed a")["href"])
    failed = editor.get(link)
    assert [d.last_error for d in failed.context["cl"].result_list] == ["550 no such user"]


def test_an_editor_can_send_a_test_email_of_a_draft(editor: Client) -> None:
    post = PostFactory.create(title="Not out yet", status=Status.DRAFT, published_at=None)
    form = BeautifulSoup(editor.get("/admin/newsletter/mailing/send-test/").content, "lxml")
    assert form.select_one("input[name=email]")["value"] == "editor@example.com"
    response = editor.post(
        "/admin/newsletter/mailing/send-test/", {"post": post.pk, "email": "me@example.com"}
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "[Test] Not out yet"
    assert message.to == ["me@example.com"]
    assert not Delivery.objects.exists()


def test_csv_export_follows_the_list_filters(
    editor: Client, make_subscriber: MakeSubscriber
) -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    make_subscriber("ada@example.com", topics=[data], frequency=Frequency.WEEKLY)
    make_subscriber("grace@example.com", state=SubscriberState.PENDING)
    response = editor.get("/admin/newsletter/subscriber/export/", {"state__exact": "active"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="subscribers-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["email"] == "ada@example.com"
    assert (rows[0]["state"], rows[0]["frequency"], rows[0]["topics"]) == (
        "active",
        "weekly",
        "data",
    )
    assert rows[0]["consent"] == "yes"


def upload(editor: Client, text: str, *, dry_run: bool = False) -> BeautifulSoup:
    data: dict[str, object] = {
        "file": SimpleUploadedFile("subscribers.csv", text.encode(), "text/csv")
    }
    if dry_run:
        data["dry_run"] = "on"
    response = editor.post("/admin/newsletter/subscriber/import/", data, follow=True)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "lxml")


def test_a_good_csv_imports_active_subscribers(
    editor: Client, make_subscriber: MakeSubscriber
) -> None:
    CategoryFactory.create(name="Data", slug="data")
    make_subscriber("left@example.com", state=SubscriberState.UNSUBSCRIBED)
    text = (
        "email,consent,topics,frequency\n"
        "Ada@Example.com,yes,data,weekly\n"
        "grace@example.com,YES,,\n"
        "left@example.com,yes,,\n"
    )
    checked = upload(editor, text, dry_run=True)
    assert "2 new subscribers would be imported" in checked.select_one("#import-report").text
    assert Subscriber.objects.count() == 1

    page = upload(editor, text)
    assert "2 subscriber(s) imported; 1 address(es) were known already" in page.text
    ada = Subscriber.objects.get(email="ada@example.com")
    assert (ada.state, ada.frequency, ada.topic_names()) == ("active", "weekly", "Data")
    assert ada.events.get().source == Source.IMPORT
    assert ada.events.get().detail == "CSV line 2; consent: yes"
    left = Subscriber.objects.get(email="left@example.com")
    assert left.state == SubscriberState.UNSUBSCRIBED  # an import never resubscribes anyone


def test_a_bad_csv_reports_each_line_and_imports_nothing(editor: Client) -> None:
    CategoryFactory.create(name="Data", slug="data")
    text = (
        "email,consent,topics\n"
        "fine@example.com,yes,data\n"
        "not-an-address,yes,\n"
        "no-consent@example.com,no,\n"
        "fine@example.com,yes,\n"
        "topic@example.com,yes,gardening\n"
        f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.example,yes,\n"
    )
    page = upload(editor, text)
    rows = [
        [cell.get_text(strip=True) for cell in row("td")]
        for row in page.select("#import-report tbody tr")
    ]
    assert rows == [
        ["3", "'not-an-address' is not an email address"],
        ["4", "no-consent@example.com has no recorded consent (consent is 'no')"],
        ["5", "fine@example.com is also on line 2"],
        ["6", "unknown topic 'gardening'"],
        ["7", f"{'a' * 40}… is longer than 254 characters"],
    ]
    assert "Nothing was imported" in page.select_one("#import-report h2").text
    assert not Subscriber.objects.exists()


def test_column_names_are_matched_as_spreadsheets_write_them(editor: Client) -> None:
    page = upload(editor, "\ufeffEmail, Consent\nada@example.com,Yes\n")
    assert "1 subscriber(s) imported" in page.text
    assert Subscriber.objects.get().email == "ada@example.com"


def test_a_csv_without_a_consent_column_is_refused(editor: Client) -> None:
    page = upload(editor, "email\nada@example.com\n")
    rows = [[td.get_text(strip=True) for td in tr("td")] for tr in page.select("tbody tr")]
    assert rows == [["1", "the header has no 'consent' column"]]
    assert not Subscriber.objects.exists()


# Valid addresses (Django's validator accepts them) that a spreadsheet would run as formulas,
# next to ordinary ones with the same characters further in, and one that starts with a quote.
FORMULA_ADDRESSES = ["=1+2@example.com", "=cmd|'/ccalc'!a0@example.com", "-2+3@example.com"]
PLAIN_ADDRESSES = ["ada+news@example.com", "grace-hopper@example.com", "'tis@example.com"]
PHONE_ADDRESS = "+1-555-0100@example.com"  # legitimate, and it starts with a plus
QUOTED_FORMULA = "'=already-quoted@example.com"
ADDRESSES = [*FORMULA_ADDRESSES, PHONE_ADDRESS, *PLAIN_ADDRESSES, QUOTED_FORMULA]


def exported_rows(editor: Client) -> list[list[str]]:
    response = editor.get("/admin/newsletter/subscriber/export/")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_export_writes_no_cell_a_spreadsheet_would_run(
    editor: Client, make_subscriber: MakeSubscriber
) -> None:
    for address in ADDRESSES:
        validate_email(address)
        make_subscriber(address)
    header, *rows = exported_rows(editor)
    assert header[0] == "email"
    assert all(not cell or cell[0] not in "=+-@\t\r" for row in rows for cell in row)
    emails = {row[0] for row in rows}
    assert emails == {
        *(f"'{address}" for address in [*FORMULA_ADDRESSES, PHONE_ADDRESS, QUOTED_FORMULA]),
        *PLAIN_ADDRESSES,
    }


def test_what_the_export_wrote_imports_unchanged(
    editor: Client, make_subscriber: MakeSubscriber
) -> None:
    for address in ADDRESSES:
        make_subscriber(address)
    text = editor.get("/admin/newsletter/subscriber/export/").content.decode()
    Subscriber.objects.all().delete()
    page = upload(editor, text)
    assert f"{len(ADDRESSES)} subscriber(s) imported" in page.text
    assert set(Subscriber.objects.values_list("email", flat=True)) == set(ADDRESSES)
