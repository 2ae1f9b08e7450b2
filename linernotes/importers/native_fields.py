"""Front matter of the exported layout, read strictly: typed values, and errors that name the
file and the line of the key that is wrong (``sources.native``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.utils import timezone

from linernotes.importers.front_matter import safe_load
from linernotes.importers.records import UnreadableSource

E = TypeVar("E", bound=StrEnum)


@dataclass
class Fields:
    """The front matter (or entry) of one file, with typed access that names the bad line."""

    values: dict[str, Any]
    source: Path
    lines: list[str] = field(default_factory=list)
    first_line: int = 2

    def fail(self, key: str, problem: str) -> UnreadableSource:
        pattern = re.compile(rf"[\s-]*{re.escape(key)}\s*:")
        found = (n for n, text in enumerate(self.lines) if pattern.match(text))
        line = next((self.first_line + n for n in found), None)
        return UnreadableSource(self.source, f"{key}: {problem}", line=line)

    def text(self, key: str, default: str = "") -> str:
        value = self.values.get(key)
        if value is None:
            return default
        # YAML reads `slug: 2024` or `title: 1984` as numbers; they were meant as text.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise self.fail(key, "expected text")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.values.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false")
        return value

    def number(self, key: str, default: int = 0) -> int:
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, "expected a whole number, 0 or more")
        return value

    def choice(self, key: str, kind: type[E], default: E) -> E:
        value = self.text(key, default.value)
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise self.fail(key, f"expected one of {allowed}, not {value!r}") from None

    def moment(self, key: str) -> datetime | None:
        value = self.values.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                example = "2026-10-01T09:00:00+02:00"
                raise self.fail(key, f"expected a date and time such as {example}") from None
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime.combine(value, time())
        if not isinstance(value, datetime):
            raise self.fail(key, "expected a date and time")
        # A time without an offset is a time in the site's time zone, as its pages show it.
        return timezone.make_aware(value) if timezone.is_naive(value) else value

    def texts(self, key: str) -> list[str]:
        value = self.values.get(key) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, "expected a list of slugs")
        return list(value)

    def mappings(self, key: str) -> list[Fields]:
        value = self.values.get(key) or []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(key, "expected a list of entries")
        return [Fields(item, self.source, self.lines, self.first_line) for item in value]

    def unknown(self, known: tuple[str, ...]) -> list[str]:
        return [str(key) for key in self.values if key not in known]


def load_yaml(text: str, source: Path, *, first_line: int) -> dict[str, Any]:
    try:
        values = safe_load(text)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        line = first_line + mark.line if mark is not None else None
        reason = getattr(problem, "problem", None) or str(problem)
        raise UnreadableSource(source, f"invalid YAML: {reason}", line=line) from None
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise UnreadableSource(source, "expected a mapping of keys to values", line=first_line)
    return values


def fields_and_body(text: str, source: Path) -> tuple[Fields, str]:
    """The front matter between the first two ``---`` lines, and the body after them, as is."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise UnreadableSource(source, "expected front matter: a first line of ---", line=1)
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n") == "---":
            block = lines[1:number]
            values = load_yaml("".join(block), source, first_line=2)
            body = "".join(lines[number + 1 :])
            return Fields(values, source, block), body
    raise UnreadableSource(source, "the front matter has no closing --- line", line=1)
