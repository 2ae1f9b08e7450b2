"""The HTML of a revision diff: line diffs of the text, "before → after" for the rest.

Everything from a revision is escaped (through format_html): bodies are user input.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from linernotes.content.models import Author, Category, Status

CONTEXT_LINES = 3


def line_diff(before: str, after: str) -> SafeString:
    """A table of the changed lines with a few around them, as in a unified diff."""
    old, new = before.splitlines(), after.splitlines()
    rows: list[SafeString] = []
    for group in SequenceMatcher(None, old, new).get_grouped_opcodes(CONTEXT_LINES):
        rows += _group_rows(group, old, new)
    if not rows:  # the same lines: only line endings or a final newline differ
        rows.append(format_html('<tr class="hunk"><td colspan="4">{}</td></tr>', "Line endings"))
    # Every row comes from format_html, which escaped what it was given.
    return format_html('<table class="revision-diff">{}</table>', mark_safe("".join(rows)))


def _group_rows(
    group: list[tuple[str, int, int, int, int]], old: list[str], new: list[str]
) -> list[SafeString]:
    """One hunk: its header, then each line kept (context), removed or added."""
    first, last = group[0], group[-1]
    rows = [_hunk_row(first[1], last[2], first[3], last[4])]
    for tag, i1, i2, j1, j2 in group:
        if tag == "equal":
            rows += [_row("context", i + 1, j1 + (i - i1) + 1, old[i]) for i in range(i1, i2)]
        if tag in ("replace", "delete"):
            rows += [_row("removed", i + 1, None, old[i]) for i in range(i1, i2)]
        if tag in ("replace", "insert"):
            rows += [_row("added", None, j + 1, new[j]) for j in range(j1, j2)]
    return rows


def _hunk_row(old_start: int, old_end: int, new_start: int, new_end: int) -> SafeString:
    header = f"@@ -{old_start + 1},{old_end - old_start} +{new_start + 1},{new_end - new_start} @@"
    return format_html('<tr class="hunk"><td colspan="4">{}</td></tr>', header)


def _row(kind: str, old_number: int | None, new_number: int | None, line: str) -> SafeString:
    sign = {"removed": "−", "added": "+"}.get(kind, "")
    return format_html(
        '<tr class="{}"><td class="line-number">{}</td><td class="line-number">{}</td>'
        '<td class="sign">{}</td><td class="text">{}</td></tr>',
        kind,
        old_number or "",
        new_number or "",
        sign,
        line,
    )


def value_diff(name: str, before: Any, after: Any) -> SafeString:
    return format_html(
        '<del class="removed">{}</del> → <ins class="added">{}</ins>',
        describe(name, before),
        describe(name, after),
    )


def describe(name: str, value: Any) -> str:
    """A snapshot value as an editor reads it: names for ids, labels for statuses."""
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "status":
        return str(dict(Status.choices).get(value, value))
    if name == "published_at":
        try:
            return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        except (TypeError, ValueError):
            return str(value)
    if name in ("categories", "primary_category"):
        ids = ids_in(value if isinstance(value, list) else [value])
        names = Category.objects.in_bulk(ids)
        return ", ".join(names[i].name if i in names else f"#{i} (deleted)" for i in ids)
    if name == "bylines":
        return _describe_bylines(value)
    return str(value)


def _describe_bylines(bylines: list[dict[str, Any]]) -> str:
    authors = Author.objects.in_bulk(ids_in(credit.get("author") for credit in bylines))
    described = []
    for credit in bylines:
        author = authors.get(id_of(credit.get("author")) or 0)
        name = author.name if author else f"#{credit.get('author')} (deleted)"
        described.append(f"{name} ({credit['role']})" if credit.get("role") else name)
    return ", ".join(described)


def ids_in(values: Iterable[Any]) -> list[int]:
    """The ids among ``values``; an autosave may hold them as the form's strings."""
    return [int(value) for value in values if str(value).strip().isdigit()]


def id_of(value: Any) -> int | None:
    found = ids_in([value])
    return found[0] if found else None
