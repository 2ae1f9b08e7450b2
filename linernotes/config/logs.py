"""How log lines look: text for people, or one JSON object per line for a log collector."""

from __future__ import annotations

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
JSON_NAMES = {"asctime": "time", "levelname": "level", "name": "logger"}


def make_formatter(kind: str) -> logging.Formatter:
    """The formatter of ``LINERNOTES_LOG_FORMAT``, for handlers made outside LOGGING."""
    if kind == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields=JSON_NAMES)
    return logging.Formatter(TEXT_FORMAT)


def logging_config(*, kind: str, level: str, requests: bool) -> dict[str, Any]:
    """Django's LOGGING: everything on standard error in one format, requests at INFO."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"lines": {"()": make_formatter, "kind": kind}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "lines"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"linernotes.requests": {"level": "INFO" if requests else "WARNING"}},
    }
