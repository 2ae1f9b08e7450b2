"""CSV export and import of subscribers.

An import must say, per row, that the person consented (a ``consent`` column); imported
subscribers are active at once. Every row is checked first: if any row is bad, the report
lists each problem with its line number and nothing is imported.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, and a subscriber's address can start with one (``=1+2@example.com``
is a valid address). The export puts a single quote in front of such cells, which
spreadsheets show as text, and the import takes it off again, so a file goes out and comes
back unchanged. Cells that already start with quotes before such a character get one more,
so that the quote taken off on import is always the one the export added.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from linernotes.content.models import Category
from linernotes.newsletter.models import (
    Frequency,
    Source,
    Subscriber,
    SubscriberEvent,
    SubscriberState,
    normalise_email,
)

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

EXPORT_COLUMNS = ["email", "state", "frequency", "topics", "consent", "confirmed_at", "created_at"]
REQUIRED_COLUMNS = ("email", "consent")
CONSENT_WORDS = frozenset({"yes", "y", "true", "1"})
TOPIC_SEPARATOR = ";"
EMAIL_LENGTH = Subscriber._meta.get_field("email").max_length or 254
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def _exported(cell: str) -> str:
    """A cell as the export writes it: text, never a formula."""
    return f"'{cell}" if FORMULA_START.match(cell) else cell


def _cell(record: dict[str, str | None], name: str) -> str:
    """A cell as the import reads it: without the quote the export may have put in front."""
    cell = record.get(name) or ""
    return cell[1:] if cell.startswith("'") and FORMULA_START.match(cell) else cell


def export_subscribers(subscribers: Iterable[Subscriber], out: SupportsWrite[str]) -> int:
    """Write ``subscribers`` as CSV; topics are category slugs, empty meaning every topic."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for subscriber in subscribers:
        topics = (
            ""
            if subscriber.all_topics
            else TOPIC_SEPARATOR.join(category.slug for category in subscriber.topics.all())
        )
        row = [
            subscriber.email,
            subscriber.state,
            subscriber.frequency,
            topics,
            "yes" if subscriber.confirmed_at else "no",
            subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
            subscriber.created_at.isoformat(),
        ]
        writer.writerow([_exported(cell) for cell in row])
        count += 1
    return count


@dataclass(frozen=True)
class ImportRow:
    line: int
    email: str
    frequency: str
    topics: list[Category]
    consent: str


@dataclass
class ImportReport:
    created: int = 0
    existing: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_subscribers(source: TextIO, *, dry_run: bool = False) -> ImportReport:
    """Import new, consenting subscribers from CSV; addresses we know already are left alone
    (an unsubscribed reader must not be subscribed again by an import)."""
    report = ImportReport()
    reader = csv.DictReader(source)
    # Spreadsheets write "Email", " Consent" or a byte-order mark: names are matched loosely.
    reader.fieldnames = [name.lstrip("\ufeff").strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"the header has no {' or '.join(map(repr, missing))} column"))
        return report
    categories = {category.slug: category for category in Category.objects.all()}
    rows = _read_rows(reader, categories, report)
    known = set(
        Subscriber.objects.filter(email__in=[row.email for row in rows]).values_list(
            "email", flat=True
        )
    )
    report.existing = sorted(known)
    new_rows = [row for row in rows if row.email not in known]
    if report.ok:
        report.created = len(new_rows)
        if not dry_run:
            _create(new_rows)
    return report


def _read_rows(
    reader: csv.DictReader[str], categories: dict[str, Category], report: ImportReport
) -> list[ImportRow]:
    rows: list[ImportRow] = []
    first_line: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        try:
            row = _parse(record, line, categories)
        except ValidationError as error:
            report.errors.append((line, " ".join(error.messages)))
            continue
        if row.email in first_line:
            report.errors.append((line, f"{row.email} is also on line {first_line[row.email]}"))
            continue
        first_line[row.email] = line
        rows.append(row)
    return rows


def _parse(record: dict[str, str | None], line: int, categories: dict[str, Category]) -> ImportRow:
    email = normalise_email(_cell(record, "email"))
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(f"{email or 'an empty address'!r} is not an email address") from None
    if len(email) > EMAIL_LENGTH:
        raise ValidationError(f"{email[:40]}… is longer than {EMAIL_LENGTH} characters")
    consent = _cell(record, "consent").strip()
    if consent.lower() not in CONSENT_WORDS:
        raise ValidationError(f"{email} has no recorded consent (consent is {consent!r})")
    frequency = _cell(record, "frequency").strip() or Frequency.IMMEDIATE
    if frequency not in Frequency.values:
        raise ValidationError(f"unknown frequency {frequency!r} (use immediate or weekly)")
    slugs = [s.strip() for s in _cell(record, "topics").split(TOPIC_SEPARATOR) if s.strip()]
    unknown = [slug for slug in slugs if slug not in categories]
    if unknown:
        raise ValidationError(f"unknown topic {', '.join(map(repr, unknown))}")
    topics = [categories[slug] for slug in slugs]
    return ImportRow(line=line, email=email, frequency=frequency, topics=topics, consent=consent)


@transaction.atomic
def _create(rows: list[ImportRow]) -> None:
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(
            email=row.email,
            state=SubscriberState.ACTIVE,
            frequency=row.frequency,
            all_topics=not row.topics,
            created_at=now,
            confirmed_at=now,
            state_changed_at=now,
        )
        for row in rows
    )
    through = Subscriber.topics.through
    through.objects.bulk_create(
        through(subscriber_id=subscriber.pk, category_id=category.pk)
        for subscriber, row in zip(subscribers, rows, strict=True)
        for category in row.topics
    )
    SubscriberEvent.objects.bulk_create(
        SubscriberEvent(
            subscriber=subscriber,
            from_state="",
            to_state=SubscriberState.ACTIVE,
            source=Source.IMPORT,
            at=now,
            detail=f"CSV line {row.line}; consent: {row.consent}",
        )
        for subscriber, row in zip(subscribers, rows, strict=True)
    )
