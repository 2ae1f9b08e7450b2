"""Redirect rules are validated on save: targets, and patterns that could backtrack badly."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from linernotes.seo.patterns import (
    check_redirect_rule,
    compile_rule_pattern,
    is_redirect_target,
    substitution_template,
)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",
        r"^(a|aa)*$",
        r"(.*a){12}",
        r"^/(\w+\s?)+$",
        r"^(([a-z])+.)+[A-Z]([a-z])+$",
        r"((ab)*)+",
        r"(x+x+)+y",
        r"^/(a|b)*/$",
        r"^/(?:[a-z]+/)*$",
    ],
)
def test_patterns_that_backtrack_exponentially_are_refused(pattern: str) -> None:
    with pytest.raises(ValidationError, match="repeated group"):
        compile_rule_pattern(pattern)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"^/(a)\1$", "Back-references"),
        (r"^/(?P<x>a)(?P=x)$", "Back-references"),
        (r"^/(unclosed$", "Not a valid regular expression"),
        ("^/" + "a" * 250 + "$", "under 200 characters"),
        (r"^/(.*)/(.*)/(.*)/(.*)$", "at most 3 unbounded"),
    ],
)
def test_other_risky_or_broken_patterns_are_refused(pattern: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        compile_rule_pattern(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^/blog/(\d{4})/(\d{2})/([\w-]+)/$",
        r"^/old/(.*)$",
        r"^/(?P<year>\d{4})/(?P<slug>[a-z0-9-]+)\.html$",
        r"^/(news|stories)/(.+)/$",
        r"^/tag/([^/]+)/?$",
        r"/feed(?:/rss)?/?",
        r"^/a{2,5}/$",
        r"^/[(+*)]+/$",
    ],
)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert compile_rule_pattern(pattern).pattern == pattern


def test_substitution_accepts_dollar_and_backslash_groups() -> None:
    compiled = compile_rule_pattern(r"^/blog/(\d{4})/([\w-]+)/$")
    found = compiled.fullmatch("/blog/2024/hello/")
    assert found is not None
    assert found.expand(substitution_template("/$1/posts/$2/")) == "/2024/posts/hello/"
    assert found.expand(substitution_template(r"/\1/posts/\2/")) == "/2024/posts/hello/"


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
        ({"is_regex": True, "old_path": r"^/(\d+)/$", "new_path": r"/\q/"}, "new_path", "group"),
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


@given(st.text(alphabet="()[]|*+?{},.\\ab12^$:/-", max_size=30))
def test_accepted_patterns_compile_and_never_nest_repeats(pattern: str) -> None:
    """Whatever an editor types, an accepted pattern compiles; a refusal is a ValidationError."""
    try:
        compiled = compile_rule_pattern(pattern)
    except ValidationError:
        return
    assert compiled.pattern == pattern
    assert not re.search(r"\([^()]*[+*][^()]*\)[+*]", pattern)


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        ("/a/", True),
        ("https://example.org/", True),
        ("http://example.org/x?y=1", True),
        ("//example.org/", False),
        ("ftp://example.org/", False),
        ("relative/", False),
        ("https://", False),
    ],
)
def test_redirect_targets(target: str, allowed: bool) -> None:
    assert is_redirect_target(target) is allowed
