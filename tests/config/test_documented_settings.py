"""Every environment variable the code reads is documented, and every documented one is read."""

from __future__ import annotations

import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
CONFIGURATION = REPOSITORY / "docs" / "configuration.md"
SOURCES = [
    *sorted((REPOSITORY / "linernotes").rglob("*.py")),
    *sorted((REPOSITORY / "tests").rglob("*.py")),
    REPOSITORY / "Makefile",
]

_READ = re.compile(
    r"""(?:env_(?:str|int|bool|list|choice|link_groups)|os\.environ\.get|os\.getenv|os\.environ\.setdefault)"""
    r"""\(\s*"([A-Z][A-Z0-9_]+)\"|os\.environ\["([A-Z][A-Z0-9_]+)"\]"""
    # A name kept in a constant first, as in DEMO_PASSWORD_VARIABLE = "...".
    r"""|^[A-Z_]+_VARIABLE\s*=\s*"([A-Z][A-Z0-9_]+)\""""
    r"""|^\s*([A-Z][A-Z0-9_]+)\s*\?=""",  # Makefile variables a user may set
    re.MULTILINE,
)
# Read under a prefix: every ANYMAIL_<NAME> becomes one of anymail's settings.
PREFIXES = ("ANYMAIL_",)
# Set by the programs themselves, not by operators.
INTERNAL = {"DJANGO_SETTINGS_MODULE", "PYTHON", "VENV"}


def variables_read() -> set[str]:
    found: set[str] = set()
    for path in SOURCES:
        for match in _READ.finditer(path.read_text(encoding="utf-8")):
            found.add(next(group for group in match.groups() if group))
    return found - INTERNAL


def variables_documented() -> set[str]:
    text = CONFIGURATION.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", text, flags=re.MULTILINE)) | {
        name
        for row in re.findall(r"^\| (`[A-Z][^|]*)\|", text, flags=re.MULTILINE)
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)
    }


def test_the_scan_finds_the_variables_it_should() -> None:
    read = variables_read()
    # One of each way of reading, so a scan that finds nothing cannot pass the next test.
    assert {"LINERNOTES_SITE_URL", "LINERNOTES_SECRET_KEY", "EMAIL_HOST"} <= read
    assert {"LINERNOTES_DEMO_PASSWORD", "LINERNOTES_TEST_POSTGRES_URL"} <= read
    assert len(read) > 60


def test_every_variable_the_code_reads_is_documented() -> None:
    missing = sorted(variables_read() - variables_documented())
    assert missing == [], f"add these to {CONFIGURATION.name}: {missing}"


def test_every_documented_variable_is_read_by_the_code() -> None:
    documented = {name for name in variables_documented() if not name.startswith(PREFIXES)}
    assert sorted(documented - variables_read()) == []


def test_prefixed_settings_are_documented() -> None:
    text = CONFIGURATION.read_text(encoding="utf-8")
    assert all(f"`{prefix}" in text for prefix in PREFIXES)
