"""What an import did, or would do: counts per kind and outcome, and every notice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from linernotes.importers.records import Notice, Severity


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


KINDS = ("authors", "categories", "posts", "pages", "media", "redirects")


@dataclass
class ImportReport:
    source: str
    origin: str
    dry_run: bool = False
    counts: Counter[tuple[str, Outcome]] = field(default_factory=Counter)
    notices: list[Notice] = field(default_factory=list)

    def count(self, kind: str, outcome: Outcome, number: int = 1) -> None:
        self.counts[(kind, outcome)] += number

    def notice(self, where: str, message: str, severity: Severity = Severity.WARNING) -> None:
        self.notices.append(Notice(where, message, severity))

    def number(self, kind: str, outcome: Outcome) -> int:
        return self.counts[(kind, outcome)]

    @property
    def changed_anything(self) -> bool:
        return any(
            number
            for (_, outcome), number in self.counts.items()
            if outcome in (Outcome.CREATED, Outcome.UPDATED)
        )

    def table(self) -> list[tuple[str, int, int, int, int]]:
        """(kind, created, updated, unchanged, skipped) for every kind the import touched."""
        rows = []
        for kind in KINDS:
            created, updated, unchanged, skipped = (self.counts[(kind, o)] for o in Outcome)
            if created or updated or unchanged or skipped:
                rows.append((kind, created, updated, unchanged, skipped))
        return rows

    def lines(self) -> list[str]:
        """The report as plain lines: a summary per kind, then the notices."""
        would = "would be " if self.dry_run else ""
        lines = [f"{'Dry run: ' if self.dry_run else ''}import from {self.origin}"]
        for kind, created, updated, unchanged, skipped in self.table():
            lines.append(
                f"  {kind}: {created} {would}created, {updated} {would}updated, "
                f"{unchanged} unchanged, {skipped} skipped"
            )
        if not self.table():
            lines.append("  nothing to import")
        warnings = [notice for notice in self.notices if notice.severity == Severity.WARNING]
        if self.notices:
            lines.append(f"{len(warnings)} warnings, {len(self.notices) - len(warnings)} notes:")
            lines.extend(f"  {n.severity}: {n.where}: {n.message}" for n in self.notices)
        return lines
