"""Checks that keep redirect rules safe to apply to every 404: valid targets, tame patterns.

Regular expressions are written by editors and run on requests from anyone, so a pattern that
can backtrack exponentially (``(a+)+``, ``(a|aa)*``) would let a crafted address tie up a worker.
Python's ``re`` has no time limit, so such patterns are refused when the rule is saved.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

MAX_PATTERN_LENGTH = 200
# With at most three unbounded repeats and paths capped at MAX_REGEX_PATH_LENGTH, the worst
# polynomial backtracking stays small.
MAX_UNBOUNDED_REPEATS = 3
MAX_REGEX_PATH_LENGTH = 400

_DOLLAR_GROUP = re.compile(r"\$(\d+)")
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")
_QUANTIFIER = re.compile(r"[*+?]|\{(\d*)(,?)(\d*)\}")


def substitution_template(new_path: str) -> str:
    """The target with ``$1``-style group references written as Python's ``\\g<1>``."""
    return _DOLLAR_GROUP.sub(r"\\g<\1>", new_path)


def compile_rule_pattern(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` if it is short and free of constructs that backtrack badly."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValidationError(f"Keep the pattern under {MAX_PATTERN_LENGTH} characters.")
    if _BACKREFERENCE.search(pattern):
        raise ValidationError("Back-references (\\1, (?P=name)) are not allowed in the pattern.")
    try:
        # Python warns about syntax whose meaning will change (such as "[[" ); refuse it now.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compiled = re.compile(pattern)
    except (re.error, FutureWarning, DeprecationWarning) as error:
        raise ValidationError(f"Not a valid regular expression: {error}.") from error
    problem = _backtracking_problem(pattern)
    if problem:
        raise ValidationError(problem)
    return compiled


def check_redirect_rule(*, old_path: str, new_path: str, is_regex: bool, is_gone: bool) -> None:
    """Raise ValidationError (keyed by field) unless the rule can be applied safely."""
    errors: dict[str, str] = {}
    if is_regex:
        try:
            compiled = compile_rule_pattern(old_path)
        except ValidationError as error:
            errors["old_path"] = " ".join(error.messages)
        else:
            template_error = _template_error(compiled, new_path)
            if template_error:
                errors["new_path"] = template_error
    elif not old_path.startswith("/") or old_path.startswith("//"):
        errors["old_path"] = "Start the path with a single /."
    elif "?" in old_path or "#" in old_path:
        errors["old_path"] = "Give only the path: rules match addresses without a query string."
    target_error = _target_error(old_path, new_path, is_regex=is_regex, is_gone=is_gone)
    if target_error:
        errors.setdefault("new_path", target_error)
    if errors:
        raise ValidationError(errors)


def is_redirect_target(value: str) -> bool:
    """A path on this site (not ``//host``) or an absolute http(s) URL."""
    if value.startswith("/"):
        return not value.startswith("//")
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _target_error(old_path: str, new_path: str, *, is_regex: bool, is_gone: bool) -> str:
    if is_gone:
        return "A 410 Gone rule has no target: leave it empty." if new_path else ""
    if not new_path:
        return "Give the address to redirect to, or choose 410 Gone."
    if not is_redirect_target(new_path):
        return "Use a path that starts with / or an absolute http(s) URL."
    if not is_regex and new_path == old_path:
        return "A rule may not redirect an address to itself."
    return ""


def _template_error(compiled: re.Pattern[str], new_path: str) -> str:
    if not new_path:
        return ""
    try:
        # Parsing the replacement checks escapes and that every group it names exists.
        compiled.sub(substitution_template(new_path), "")
    except (re.error, IndexError) as error:
        return f"The target refers to a group the pattern does not have ({error})."
    return ""


@dataclass
class _Group:
    repeats: bool = False
    alternatives: bool = False


def _backtracking_problem(pattern: str) -> str:
    """Why ``pattern`` could backtrack badly, or "" when it cannot.

    A repeated group may contain neither a repeat nor alternatives, since both let the engine
    split the same text in exponentially many ways; and unbounded repeats are counted.
    """
    stack, closed, unbounded, index = [_Group()], None, 0, 0
    while index < len(pattern):
        char = pattern[index]
        quantifier = _QUANTIFIER.match(pattern, index)
        if quantifier:
            repeats, is_unbounded = _quantifier_kind(quantifier)
            if repeats and closed and (closed.repeats or closed.alternatives):
                return "A repeated group may not contain another repeat or alternatives (|)."
            stack[-1].repeats |= repeats
            unbounded += is_unbounded
            index, closed = quantifier.end(), None
            # A lazy or possessive marker belongs to the quantifier just read.
            if index < len(pattern) and pattern[index] in "?+":
                index += 1
            continue
        closed = None
        if char == "\\":
            index += 1
        elif char == "[":
            index = _end_of_class(pattern, index)
        elif char == "(":
            stack.append(_Group())
            if pattern.startswith("?", index + 1):
                index += 1
        elif char == ")":
            closed = stack.pop()
            stack[-1].repeats |= closed.repeats
            stack[-1].alternatives |= closed.alternatives
        elif char == "|":
            stack[-1].alternatives = True
        index += 1
    if unbounded > MAX_UNBOUNDED_REPEATS:
        return f"Use at most {MAX_UNBOUNDED_REPEATS} unbounded repeats (*, +, {{n,}})."
    return ""


def _quantifier_kind(quantifier: re.Match[str]) -> tuple[bool, bool]:
    """(may match more than once, has no upper bound) for a quantifier token."""
    token = quantifier.group(0)
    if token in "*+":
        return True, True
    if token == "?":
        return False, False
    low, comma, high = quantifier.groups()
    if comma and not high:
        return True, True
    upper = int(high) if comma else int(low or 0)
    return upper > 1, False


def _end_of_class(pattern: str, start: int) -> int:
    """Index of the ``]`` closing the character class that opens at ``start``."""
    index = start + 1
    if pattern.startswith("^", index):
        index += 1
    if pattern.startswith("]", index):
        index += 1
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index
