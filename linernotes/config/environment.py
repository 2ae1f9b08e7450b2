"""Reading settings from the environment: the one place that knows variable names and defaults.

Every variable read here is documented in docs/configuration.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from dotenv import dotenv_values


def env_str(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int = 1) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {number}")
    return number


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


LinkGroups = list[tuple[str, list[tuple[str, str]]]]


def env_link_groups(name: str) -> LinkGroups:
    """Groups of links written ``Group: Label=address, Label=address; Other group: ...``.

    An address is a path on the site (``/privacy/``) or an absolute http(s) URL.
    """
    value = os.environ.get(name, "").strip()
    groups: LinkGroups = []
    for part in filter(None, (piece.strip() for piece in value.split(";"))):
        title, colon, links = part.partition(":")
        if not colon or not title.strip():
            raise ValueError(f"{name}: each group starts with its title and a colon, not {part!r}")
        found = []
        for link in filter(None, (piece.strip() for piece in links.split(","))):
            label, equals, address = (piece.strip() for piece in link.rpartition("="))
            if not equals or not label or not address.startswith(("/", "https://", "http://")):
                raise ValueError(
                    f"{name}: write each link as Label=/path/ or Label=https://..., not {link!r}"
                )
            found.append((label, address))
        groups.append((title.strip(), found))
    return groups


def secret_key(var_dir: Path) -> str:
    """The secret key from LINERNOTES_SECRET_KEY, or one generated once and kept under var/.

    Keeping a generated key on disk means a demo or a single-host install is safe without
    set-up, and sessions survive restarts.
    """
    configured = os.environ.get("LINERNOTES_SECRET_KEY", "").strip()
    if configured:
        return configured
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_env_file(directory: Path | None = None) -> Path | None:
    """Read ``.env`` (or the file LINERNOTES_ENV_FILE names) into the environment.

    Only the operator's entry points call this (the ``linernotes`` command and the WSGI
    module), before settings are read. A variable already set in the environment wins, so a
    process manager's settings override the file. ``LINERNOTES_ENV_FILE=none`` reads nothing;
    a named file that does not exist is an error, a missing ``.env`` is not.
    """
    named = os.environ.get("LINERNOTES_ENV_FILE", "").strip()
    if named.lower() == "none":
        return None
    path = Path(named) if named else (directory or Path.cwd()) / ".env"
    if not path.is_file():
        if named:
            raise FileNotFoundError(f"LINERNOTES_ENV_FILE names {path}, which is not a file")
        return None
    for name, value in dotenv_values(path).items():
        if value is not None:
            os.environ.setdefault(name, value)
    return path
