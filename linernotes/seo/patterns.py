"""Redirect rules: the checks a rule passes when it is saved, and the pieces that apply it.

Regular expressions are written by editors and run against addresses anyone can request, so
they run on RE2 (google-re2), which never backtracks: matching takes time proportional to the
length of the path times the size of the compiled pattern, whatever the pattern is. Both are
capped, so the worst case of one rule on one 404 is a known, small figure (see
docs/benchmarks.md). RE2 has no back-references or lookarounds; patterns using them are refused
with a message saying so.

Targets are checked twice: when the rule is saved, and again after a request's text has been
put into its groups, since that text can turn ``/$1`` into ``//other.example``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, urlsplit

import re2
from django.core.exceptions import ValidationError

MAX_PATTERN_LENGTH = 200
# A failed match costs up to a few nanoseconds per instruction of the compiled pattern per
# character of the path, and every rule is tried on every 404. Counted repeats multiply
# instructions (.{0,100} is about 900) and a Unicode class such as \p{L} is 1,200 by itself.
MAX_PROGRAM_SIZE = 1500
# Linear time makes long paths cheap, not free: the cap bounds what one 404 can cost with many
# rules, whatever length the web server in front lets through. It is the sitemap protocol's
# limit for a whole address, so no address a site publishes is refused.
MAX_REGEX_PATH_LENGTH = 2048
# Memory RE2 may use per compiled pattern, mostly for its DFA's cache of states. A pattern that
# would need more (``[ab]*a[ab]{20}``, whose DFA has a million states) falls back to RE2's NFA,
# which for such patterns is faster than ever new DFA states, and a flood of varied paths cannot
# grow the process: with RE2's default of 8 MiB, 200 such rules grew it by 600 MiB.
_MAX_MEMORY = 256 * 1024

# Characters a group's text keeps as they are in a location: the path delimiters and
# sub-delimiters of RFC 3986. Everything else (%, ?, #, \, spaces, control characters, non-ASCII)
# is percent-encoded, so that the text stays part of the path it came from.
_GROUP_SAFE = "/:@!$&'()*+,;="
# $1, \1 (up to \99, as in Python), \g<1> and \g<name>; any other backslash is refused.
_REFERENCE = re.compile(r"\$(\d+)|\\([1-9]\d?)|\\g<([^>]*)>|\\", re.ASCII)
# Browsers drop tabs and newlines anywhere in a URL and read "\" as "/", so "/\t/host" and
# "/\host" would reach another host.
_UNSAFE_IN_TARGET = re.compile(r"[\x00-\x1f\x7f\\]")
_RE2_REFUSALS = [
    (
        re.compile(r"invalid escape sequence: \\[1-9]|invalid perl operator: \(\?P$"),
        "Back-references (\\1, (?P=name)) are not supported in the pattern.",
    ),
    (
        re.compile(r"invalid perl operator: \(\?<?[=!]"),
        "Lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported.",
    ),
    (
        re.compile(r"invalid escape sequence: \\Z"),
        "Write \\z instead of \\Z, or nothing: a pattern always matches the whole path.",
    ),
]


class Found(Protocol):
    def group(self, group: int, /) -> str | None: ...


class _RE2Pattern(Protocol):
    groups: int
    groupindex: dict[str, int]
    programsize: int

    def fullmatch(self, text: str) -> Found | None: ...


@dataclass(frozen=True)
class RulePattern:
    """A compiled pattern: ``test`` answers whether a path matches, ``capture`` reads groups.

    Without groups to report, RE2 decides with its DFA alone. Every regex rule is tried on
    every 404, so only the rule that matches pays for reading its groups.
    """

    test: _RE2Pattern
    capture: _RE2Pattern

    def fullmatch(self, path: str) -> Found | None:
        return self.capture.fullmatch(path) if self.test.fullmatch(path) else None


@dataclass(frozen=True)
class Target:
    """A regex rule's new path, split at the groups it uses, and the site it must lead to."""

    literals: tuple[str, ...]
    groups: tuple[int, ...]
    origin: tuple[str, str]

    def expand(self, found: Found) -> str | None:
        """The location for this match, or None when the groups would lead it elsewhere."""
        parts = [self.literals[0]]
        for group, literal in zip(self.groups, self.literals[1:], strict=True):
            parts += [quote(found.group(group) or "", safe=_GROUP_SAFE), literal]
        location = "".join(parts)
        return location if leads_to(location, self.origin) else None


def compile_rule_pattern(pattern: str) -> RulePattern:
    """Compile an editor's pattern, or say in a ValidationError why it cannot be used."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValidationError(f"Keep the pattern under {MAX_PATTERN_LENGTH} characters.")
    try:
        capture = re2.compile(pattern, _options(capture=True))
        test = re2.compile(pattern, _options(capture=False))
    except re2.error as error:
        raise ValidationError(_refusal(error)) from error
    except UnicodeEncodeError as error:
        raise ValidationError("The pattern contains characters that are not text.") from error
    if capture.programsize > MAX_PROGRAM_SIZE:
        raise ValidationError(
            "This pattern is too large to run on every 404: use fewer or smaller counted "
            "repeats ({1,100}) and Unicode classes (\\p{L})."
        )
    return RulePattern(test=test, capture=capture)


def parse_target(new_path: str, pattern: RulePattern) -> Target:
    """Split a regex rule's target at its group references; ValidationError if unusable."""
    literals, groups, start = [], [], 0
    for reference in _REFERENCE.finditer(new_path):
        literals.append(new_path[start : reference.start()])
        groups.append(_group_number(reference, pattern.capture))
        start = reference.end()
    literals.append(new_path[start:])
    shape = "x".join(literals)
    if not is_redirect_target(shape):
        raise ValidationError("Use a path that starts with a single / or an absolute http(s) URL.")
    if groups and not shape.startswith("/") and not _authority_is_literal(literals[0]):
        raise ValidationError(
            "Groups may not be used in the host of an absolute URL: a request could change "
            "the site it leads to. Use them in the path."
        )
    return Target(tuple(literals), tuple(groups), origin_of(shape))


# WordPress answers posts, pages and categories by id at the home address (/?p=123): the one
# form of address with a query that an exact rule may hold (imports make them).
QUERY_FORM_PATHS = re.compile(r"/\?(?:p|page_id|cat|attachment_id)=\d{1,20}")


def check_redirect_rule(*, old_path: str, new_path: str, is_regex: bool, is_gone: bool) -> None:
    """Raise ValidationError (keyed by field) unless the rule can be applied safely."""
    errors: dict[str, str] = {}
    if is_regex:
        try:
            pattern = compile_rule_pattern(old_path)
        except ValidationError as error:
            errors["old_path"] = " ".join(error.messages)
        else:
            if new_path and not is_gone:
                try:
                    parse_target(new_path, pattern)
                except ValidationError as error:
                    errors["new_path"] = " ".join(error.messages)
    elif not old_path.startswith("/") or old_path.startswith("//"):
        errors["old_path"] = "Start the path with a single /."
    elif ("?" in old_path and not QUERY_FORM_PATHS.fullmatch(old_path)) or "#" in old_path:
        errors["old_path"] = (
            "Give only the path: rules match addresses without a query string "
            "(except WordPress's /?p=123, /?page_id=123 and /?cat=123)."
        )
    target_error = _target_error(old_path, new_path, is_regex=is_regex, is_gone=is_gone)
    if target_error:
        errors.setdefault("new_path", target_error)
    if errors:
        raise ValidationError(errors)


def is_redirect_target(value: str) -> bool:
    """A path on this site (one leading /) or an absolute http(s) URL, read so by browsers."""
    if _UNSAFE_IN_TARGET.search(value):
        return False
    if value.startswith("/"):
        return not value.startswith("//")
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def origin_of(target: str) -> tuple[str, str]:
    """The scheme and host a target leads to; empty for a path on this site."""
    if target.startswith("/"):
        return "", ""
    parts = urlsplit(target)
    return parts.scheme, parts.netloc.lower()


def leads_to(location: str, origin: tuple[str, str]) -> bool:
    """Whether ``location`` is a valid target that a browser would follow to ``origin``."""
    return is_redirect_target(location) and origin_of(location) == origin


def _options(*, capture: bool) -> re2.Options:
    options = re2.Options()
    options.max_mem = _MAX_MEMORY
    options.never_capture = not capture
    # A refused pattern is reported to the editor who wrote it, not to the server's log.
    options.log_errors = False
    return options


def _refusal(error: re2.error) -> str:
    reason = error.args[0]
    if isinstance(reason, bytes):
        reason = reason.decode(errors="replace")
    for refused, message in _RE2_REFUSALS:
        if refused.search(reason):
            return message
    return f"Not a valid regular expression: {reason}."


def _group_number(reference: re.Match[str], pattern: _RE2Pattern) -> int:
    dollar, backslash, named = reference.groups()
    if dollar is None and backslash is None and named is None:
        raise ValidationError(
            "A backslash in the target may only start a group (\\1, \\g<name>); "
            "browsers read any other as /."
        )
    name = dollar or backslash or named
    number = int(name) if name.isdecimal() else pattern.groupindex.get(name, -1)
    if not 0 <= number <= pattern.groups:
        raise ValidationError(f"The target refers to a group the pattern does not have ({name}).")
    return number


def _authority_is_literal(prefix: str) -> bool:
    """Whether the text before a URL's first group holds all of its scheme and host."""
    parts = urlsplit(prefix)
    return len(prefix) > len(f"{parts.scheme}://{parts.netloc}")


def _target_error(old_path: str, new_path: str, *, is_regex: bool, is_gone: bool) -> str:
    if is_gone:
        return "A 410 Gone rule has no target: leave it empty." if new_path else ""
    if not new_path:
        return "Give the address to redirect to, or choose 410 Gone."
    # A regex rule's target is checked with its groups by parse_target().
    if not is_regex and not is_redirect_target(new_path):
        return "Use a path that starts with a single / or an absolute http(s) URL."
    if not is_regex and new_path == old_path:
        return "A rule may not redirect an address to itself."
    return ""
