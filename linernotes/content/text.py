"""Small text rules shared by every model: trimming and plain-text excerpts."""

from __future__ import annotations

import re
import unicodedata

_SPACE_RUN = re.compile(r"\s+")
_ELLIPSIS = "\u2026"


def clean_title(value: str) -> str:
    """Collapse whitespace runs (including no-break and other Unicode spaces) and trim."""
    normalised = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in value)
    return _SPACE_RUN.sub(" ", normalised).strip()


def cut_at_word(text: str, length: int) -> str:
    """A plain-text excerpt of at most ``length`` characters, cut at a word boundary.

    Text that already fits is returned whole, without an ellipsis; anything cut ends with one,
    after removing trailing punctuation that would otherwise sit oddly before it.
    """
    flat = _SPACE_RUN.sub(" ", text).strip()
    if len(flat) <= length:
        return flat
    cut = flat[: length + 1]
    boundary = cut.rfind(" ")
    cut = cut[:boundary] if boundary > 0 else flat[:length]
    return cut.rstrip(" ,;:.-\u2013\u2014([{") + _ELLIPSIS
