"""What every step of one import shares: the records, the report, the staged files, and the
objects earlier imports of the same site made."""

from __future__ import annotations

from dataclasses import dataclass, field

from linernotes.console import Progress
from linernotes.importers.models import ImportedItem, ItemKind
from linernotes.importers.records import ImportedSite
from linernotes.importers.report import ImportReport
from linernotes.importers.staging import MediaStage


@dataclass
class ImportContext:
    site: ImportedSite
    report: ImportReport
    media: MediaStage
    progress: Progress
    known: dict[tuple[str, str], ImportedItem]
    # Hero and social images stored, whose renditions are queued once the import commits.
    field_images: list[str] = field(default_factory=list)

    def mapped(self, kind: ItemKind, key: str) -> ImportedItem | None:
        return self.known.get((kind, key))

    def remember(self, kind: ItemKind, key: str, object_id: int, fingerprint: str) -> None:
        item = self.known.get((kind, key))
        if item is None:
            item = ImportedItem(origin=self.site.origin, kind=kind, key=key)
            self.known[(kind, key)] = item
        item.object_id, item.digest = object_id, fingerprint
