"""Redirect rules are validated on save: their targets, and patterns RE2 can run."""

from __future__ import annotations

import re
import warnings

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from linernotes.seo.patterns import (
    MAX_REGEX_PATH_LENGTH,
    check_redirect_rule,
    compile_rule_pattern,
    is_redirect_target,
    parse_target,
)


@pytest.mark.parametrize(
    ("pattern", "matching", "other"),
    [
        (r"^/(a+)+$", "/" + "a" * 50, "/" + "a" * 50 + "!"),
        (r"^/(a|aa)*$", "/aaa", "/aab"),
        (r"^/(\w+\s?)+$", "/word word", "/word  word"),
        (r"^/(x+x+)+y$", "/xxxy", "/" + "x" * 60),
        (r"^/(?:[a-z]+/)*$", "/a/bc/", "/a/b"),
        (r"^/(.*)/(.*)/(.*)/(.*)$", "/a/b/c/d", "/a/b/c"),
        (r"^/a*a*a*a*b$", "/aab", "/" + "a" * MAX_REGEX_PATH_LENGTH),
    ],
)
def test_patterns_that_backtrack_in_pythons_engine_are_accepted(
    pattern: str, matching: str, other: str
) -> None:
    """RE2 never backtracks, so nested and repeated repeats are safe to run on any path."""
    compiled = compile_rule_pattern(pattern)
    assert compiled.fullmatch(matching) is not None
    assert compiled.fullmatch(other) is None


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"^/(a)\1$", "Back-references"),
        (r"^/(?P<x>a)(?P=x)$", "Back-references"),
        (r"^/(?=a)a$", "Lookahead and lookbehind"),
        (r"^/(?!a)b$", "Lookahead and lookbehind"),
        (r"^/(?<=a)b$", "Lookahead and lookbehind"),
        (r"^/(?<!a)b$", "Lookahead and lookbehind"),
        (r"^/old\Z", r"Write \z instead of \Z"),
        (r"^/a*+$", "Not a valid regular expression: bad repetition operator: *+."),
        (r"^/(unclosed$", "Not a valid regular expression: missing )"),
        (r"^/a{1001}$", "Not a valid regular expression: invalid repetition size"),
        ("^/" + "a" * 250 + "$", "under 200 characters"),
        (r"^/(.{0,100}){0,10}$", "too large to run on every 404"),
        ("^/\udcff$", "not text"),
    ],
)
def test_patterns_re2_cannot_run_are_refused_with_the_reason(pattern: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        compile_rule_pattern(pattern)
    assert message in " ".join(raised.value.messages)


@pytest.mark.parametrize(
    ("pattern", "path", "target", "location"),
    [
        (r"^/blog/(\d{4})/([\w-]+)/$", "/blog/2024/hello/", "/$1/posts/$2/", "/2024/posts/hello/"),
        (r"^/blog/(\d{4})/([\w-]+)/$", "/blog/2024/hello/", r"/\1/posts/\2/", "/2024/posts/hello/"),
        (
            r"^/(?P<year>\d{4})/(?P<slug>[a-z0-9-]+)\.html$",
            "/2019/launch.html",
            r"/\g<year>/\g<slug>/",
            "/2019/launch/",
        ),
        (r"^/(?<slug>[a-z]+)/$", "/web/", r"/tag/\g<slug>/\g<1>/", "/tag/web/web/"),
        (r"^/(a)(b)?$", "/a", "/$1$2/", "/a/"),
        (r"^/(x)(y)(z)(1)(2)(3)(4)(5)(6)(7)$", "/xyz1234567", "/$10-\\10", "/7-7"),
        (r"^/p/(\d+)$", "/p/12", "/posts/$0?from=$1&price=$$", "/posts//p/12?from=12&price=$$"),
        (
            r"(?i)^/Old/(.*)$",
            "/OLD/Page",
            "https://example.org/new/$1",
            "https://example.org/new/Page",
        ),
    ],
)
def test_targets_use_groups_as_dollar_backslash_or_names(
    pattern: str, path: str, target: str, location: str
) -> None:
    compiled = compile_rule_pattern(pattern)
    found = compiled.fullmatch(path)
    assert found is not None
    assert parse_target(target, compiled).expand(found) == location


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        ({"old_path": "no-slash/"}, "old_path", "Start the path"),
        ({"old_path": "//evil.example/"}, "old_path", "Start the path"),
        ({"old_path": "/a/?x=1"}, "old_path", "only the path"),
        ({"new_path": "/same/", "old_path": "/same/"}, "new_path", "to itself"),
        ({"new_path": "//evil.example/"}, "new_path", "absolute http(s) URL"),
        ({"new_path": "javascript:alert(1)"}, "new_path", "absolute http(s) URL"),
        ({"new_path": ""}, "new_path", "choose 410 Gone"),
        ({"is_gone": True}, "new_path", "leave it empty"),
        ({"is_regex": True, "old_path": r"^/(\d+)/$", "new_path": "/$2/"}, "new_path", "group"),
        ({"is_regex": True, "old_path": r"^/(\d+)/$", "new_path": r"/\g<x>/"}, "new_path", "(x)"),
        (
            {"is_regex": True, "old_path": r"^/(\d+)/$", "new_path": r"/\q/"},
            "new_path",
            "backslash",
        ),
        ({"is_regex": True, "old_path": r"^/(\d+)/$", "new_path": "//$1/"}, "new_path", "single /"),
        ({"is_regex": True, "old_path": r"^/(a)\1/$"}, "old_path", "Back-references"),
    ],
)
def test_rule_checks(rule: dict[str, object], field: str, message: str) -> None:
    arguments: dict[str, object] = {
        "old_path": "/old/",
        "new_path": "/new/",
        "is_regex": False,
        "is_gone": False,
        **rule,
    }
    with pytest.raises(ValidationError) as raised:
        check_redirect_rule(**arguments)  # type: ignore[arg-type]
    assert message in " ".join(raised.value.message_dict[field])


def test_valid_rules_pass() -> None:
    check_redirect_rule(old_path="/old/", new_path="/new/", is_regex=False, is_gone=False)
    check_redirect_rule(
        old_path="/old/", new_path="https://example.org/x", is_regex=False, is_gone=False
    )
    check_redirect_rule(old_path="/gone/", new_path="", is_regex=False, is_gone=True)
    check_redirect_rule(old_path=r"^/a/(.*)$", new_path="/b/$1", is_regex=True, is_gone=False)
    check_redirect_rule(old_path=r"^/podcast/.*$", new_path="", is_regex=True, is_gone=True)


@given(st.text(max_size=40) | st.text(alphabet="()[]|*+?{},.\\ab12^$:/-<>=!P", max_size=30))
def test_any_pattern_is_accepted_or_refused_with_a_validation_error(pattern: str) -> None:
    try:
        compiled = compile_rule_pattern(pattern)
    except ValidationError:
        return
    # The form that only tests for a match agrees with the one that reads the groups.
    for path in ("", "/", "/ab/12", pattern):
        assert (compiled.test.fullmatch(path) is None) == (compiled.capture.fullmatch(path) is None)


@given(st.text(max_size=40) | st.text(alphabet="/$\\g<>0123name:.@x", max_size=20))
def test_any_target_is_accepted_or_refused_with_a_validation_error(target: str) -> None:
    pattern = compile_rule_pattern(r"^/(?P<name>[a-z]+)/(\d+)$")
    found = pattern.fullmatch("/abc/12")
    assert found is not None
    try:
        parsed = parse_target(target, pattern)
    except ValidationError:
        return
    location = parsed.expand(found)
    assert location is None or is_redirect_target(location)


@given(
    pattern=st.text(alphabet="ab/.*+?()|[]^$-{}12,\\dws", max_size=14),
    paths=st.lists(st.text(alphabet="ab/1 ", max_size=6), max_size=6),
)
def test_on_ascii_paths_re2_matches_what_pythons_engine_matched(
    pattern: str, paths: list[str]
) -> None:
    """Rules written for Python's re answer the same paths, with the same groups."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            python = re.compile(pattern)
        compiled = compile_rule_pattern(pattern)
    except (re.error, ValidationError):
        return
    for path in paths:
        expected, found = python.fullmatch(path), compiled.fullmatch(path)
        assert (found is None) == (expected is None), path
        if found is not None and expected is not None:
            groups = range(1, python.groups + 1)
            assert [found.group(group) for group in groups] == list(expected.groups()), path


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        ("/a/", True),
        ("/a b/", True),
        ("https://example.org/", True),
        ("http://example.org/x?y=1", True),
        ("//example.org/", False),
        ("/\\example.org/", False),
        ("/\t/example.org/", False),
        ("/a/\n", False),
        ("ftp://example.org/", False),
        ("relative/", False),
        ("https://", False),
    ],
)
def test_redirect_targets(target: str, allowed: bool) -> None:
    assert is_redirect_target(target) is allowed
