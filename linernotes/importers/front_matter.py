"""Front matter of Markdown files (YAML ``---``, TOML ``+++``, JSON ``{``) and site config files.

Static site generators keep a post's metadata in a block at the top of its file. This module
splits that block from the body and reads it into a plain mapping; a block that cannot be read
raises ``UnreadableSource`` naming the file and the line, so a broken site imports nothing.
It also reads the values the generators write there (dates, lists) the way they mean them.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

import yaml

from linernotes.importers.records import UnreadableSource

# libyaml's parser when PyYAML has it (about ten times faster), with the same safe types.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load``, fast. A document libyaml refuses is read again by PyYAML's own
    parser, whose error points at the line of the mistake (libyaml's often at the next)."""
    try:
        return yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)


YAML_FENCE = re.compile(r"---[ \t]*")
YAML_END = re.compile(r"(?:---|\.\.\.)[ \t]*")
TOML_FENCE = re.compile(r"\+\+\+[ \t]*")
# A JSON object opens with a key or is empty; "{{<" is a Hugo shortcode, not front matter.
JSON_START = re.compile(r"\{\s*[\"}]")
TOML_LINE = re.compile(r"at line (\d+)")
# Dates as Jekyll writes them ("2020-01-02 10:00:00 +0100"), which neither YAML nor ISO 8601 read.
SPACED_OFFSET = re.compile(
    r"(\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*([+-]\d\d:?\d\d|Z)?"
)


@dataclass(frozen=True)
class Document:
    """A Markdown file split into its metadata and its body.

    ``body_line`` is the line of the file where the body starts, so a problem found on a line
    of the body can be reported at its line in the file.
    """

    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    has_front_matter: bool = False


def split_front_matter(text: str, source: Path | str) -> Document:
    """``text`` (a file's contents) split into front matter and body; ``source`` names the file."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    first, _, rest = text.partition("\n")
    if YAML_FENCE.fullmatch(first):
        return _fenced(rest, source, YAML_END, "YAML", _load_yaml)
    if TOML_FENCE.fullmatch(first):
        return _fenced(rest, source, TOML_FENCE, "TOML", _load_toml)
    if JSON_START.match(text):
        return _json_block(text, source)
    return Document(body=text)


def read_config(path: Path, *, display: str = "") -> dict[str, Any]:
    """A site's configuration file (YAML, TOML or JSON, by its suffix) as a mapping."""
    name = display or path.name
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    suffix = path.suffix.lower()
    if suffix in {".yml", ".yaml"}:
        return _load_yaml(text, name, 0)
    if suffix == ".toml":
        return _load_toml(text, name, 0)
    if suffix == ".json":
        return _load_json(text, name)
    raise UnreadableSource(name, "is not a YAML, TOML or JSON file")


def _fenced(rest: str, source: Path | str, end: re.Pattern[str], kind: str, load: Any) -> Document:
    lines = rest.split("\n")
    for index, line in enumerate(lines):
        if end.fullmatch(line):
            meta = load("\n".join(lines[:index]), source, 1)
            body = "\n".join(lines[index + 1 :])
            return Document(meta, body, body_line=index + 3, has_front_matter=True)
    raise UnreadableSource(source, f"the {kind} front matter opened here is never closed", line=1)


def _json_block(text: str, source: Path | str) -> Document:
    try:
        meta, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as error:
        problem = f"invalid JSON front matter: {error.msg}"
        raise UnreadableSource(source, problem, line=error.lineno) from error
    if not isinstance(meta, dict):
        raise UnreadableSource(source, "the JSON front matter is not an object", line=1)
    head, body = text[:end], text[end:].removeprefix("\n")
    return Document(meta, body, body_line=head.count("\n") + 2, has_front_matter=True)


def _load_yaml(text: str, source: Path | str, offset: int) -> dict[str, Any]:
    try:
        value = safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + offset if mark else offset or None
        problem = f"invalid YAML: {error.problem or error}"
        raise UnreadableSource(source, problem, line=line) from error
    except yaml.YAMLError as error:
        raise UnreadableSource(source, f"invalid YAML: {error}", line=offset or None) from error
    return _mapping(value, source, "YAML", offset)


def _load_toml(text: str, source: Path | str, offset: int) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = TOML_LINE.search(str(error))
        line = int(found.group(1)) + offset if found else text.count("\n") + 1 + offset
        # The decoder's own position counts from the block, not the file: leave it out.
        problem = re.sub(r"\s*\(at [^)]*\)", "", str(error))
        raise UnreadableSource(source, f"invalid TOML: {problem}", line=line) from error


def _load_json(text: str, source: Path | str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableSource(source, f"invalid JSON: {error.msg}", line=error.lineno) from error
    return _mapping(value, source, "JSON", 0)


def _mapping(value: object, source: Path | str, kind: str, offset: int) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UnreadableSource(source, f"the {kind} is not a mapping of keys", line=offset or None)
    return value


def as_text(value: object) -> str:
    """A scalar front matter value as text ("" for a missing or structured value)."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def as_list(value: object, *, split_spaces: bool = False) -> list[str]:
    """A list of names: a YAML/TOML list, or one string (split on spaces where Jekyll does)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        text = as_text(item)
        names.extend(text.split() if split_spaces else [text] if text else [])
    return names


def as_datetime(value: object, zone: tzinfo) -> datetime | None:
    """A date or time as written in front matter, in ``zone`` unless it names its own offset.

    Raises ``ValueError`` for text that is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=zone)
    text = as_text(value)
    found = SPACED_OFFSET.fullmatch(text)
    if found:
        offset = (found.group(2) or "").replace("Z", "+00:00")
        text = f"{found.group(1).replace(' ', 'T')}{offset}"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
