"""Whatever a request puts into a rule's groups, the redirect goes where the rule says.

A browser reads a Location the way the WHATWG URL standard says: it trims spaces and control
characters at the ends, drops tabs and newlines anywhere, takes ``\\`` for ``/`` and starts a
new host after two or more leading slashes. ``browser_host`` follows those rules, so the tests
judge each Location as a browser would, not as the code that made it does.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linernotes.seo.models import Match, Redirect, RedirectStatus
from linernotes.seo.redirects import resolve

pytestmark = pytest.mark.django_db

SITE = "testserver"
_TRIMMED = "".join(map(chr, range(0x21)))
_DROPPED = {ord("\t"): None, ord("\n"): None, ord("\r"): None}


def browser_host(location: str) -> str | None:
    """The host a browser on a page of this site goes to when told ``Location: location``."""
    text = location.strip(_TRIMMED).translate(_DROPPED).replace("\\", "/")
    text = re.sub(r"^/{2,}", "//", text)
    return urlsplit(urljoin(f"http://{SITE}/some/page/", text)).hostname


def regex_rule(old_path: str, new_path: str, **fields: object) -> Redirect:
    return Redirect.objects.create(
        old_path=old_path, new_path=new_path, match=Match.REGEX, **fields
    )


def get(client: Client, path: str) -> tuple[int, str]:
    """Request ``path`` (decoded text, as the view sees it) and return status and Location."""
    response = client.get(quote(path, safe="/"))
    return response.status_code, response.get("Location", "")


@pytest.fixture
def blog_rule() -> Redirect:
    return regex_rule(r"^/blog/(.*)$", "/$1")


def test_browser_host_reads_locations_as_browsers_do() -> None:
    assert browser_host("/a/b") == SITE
    assert browser_host("//evil.example/x") == "evil.example"
    assert browser_host("///evil.example/x") == "evil.example"
    assert browser_host("/\\evil.example/x") == "evil.example"
    assert browser_host("/\t/evil.example/x") == "evil.example"
    assert browser_host(" //evil.example") == "evil.example"
    assert browser_host("/%2F%2Fevil.example/x") == SITE


@pytest.mark.parametrize(
    "path",
    [
        "/blog//evil.example/x",
        "/blog///evil.example/x",
        "/blog//evil.example",
    ],
)
def test_a_group_cannot_make_a_path_target_scheme_relative(
    client: Client, blog_rule: Redirect, path: str
) -> None:
    assert get(client, path) == (404, "")
    assert resolve(path) is None


@pytest.mark.parametrize(
    ("path", "location"),
    [
        # Percent-encoded in the request and decoded in the path: the rule sees the real
        # characters, and they go back into the location encoded, as part of the path.
        ("/blog/\\evil.example/x", "/%5Cevil.example/x"),
        ("/blog/\t/evil.example/x", "/%09/evil.example/x"),
        ("/blog/\r/evil.example", "/%0D/evil.example"),
        ("/blog/%2F%2Fevil.example/x", "/%252F%252Fevil.example/x"),
        ("/blog/a?b#c", "/a%3Fb%23c"),
        ("/blog/café/", "/caf%C3%A9/"),
        ("/blog/2024/05/hello/", "/2024/05/hello/"),
    ],
)
def test_group_text_stays_part_of_the_path(
    client: Client, blog_rule: Redirect, path: str, location: str
) -> None:
    assert get(client, path) == (301, location)
    assert browser_host(location) == SITE


def test_a_group_after_the_host_of_an_absolute_target_keeps_the_host(client: Client) -> None:
    regex_rule(r"^/go/(.*)$", "https://example.org/$1", status=RedirectStatus.FOUND)
    for path in ("/go//evil.example", "/go/@evil.example", "/go/\\evil.example"):
        status, location = get(client, path)
        assert status == 302
        assert urlsplit(location).hostname == "example.org"
    assert get(client, "/go/a?b")[1] == "https://example.org/a%3Fb"


@pytest.mark.parametrize(
    "target",
    [
        "https://$1.example.com/",
        "https://example.com$1",
        "https://example.com:$1/",
        "https://user$1@example.com/",
        r"https://\1.example.com/",
        "https://example.com\\g<1>",
    ],
)
def test_groups_may_not_reach_the_host_of_an_absolute_target(target: str) -> None:
    with pytest.raises(ValidationError) as raised:
        regex_rule(r"^/go/(.*)$", target)
    assert "host" in " ".join(raised.value.message_dict["new_path"])


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/\\evil.example/", "backslash"),
        ("/a/\\q/", "backslash"),
        ("$1", "a path that starts with"),
        ("/x/\t/$1", "a path that starts with"),
    ],
)
def test_targets_browsers_would_misread_are_refused(target: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        regex_rule(r"^/go/(.*)$", target)
    assert message in " ".join(raised.value.message_dict["new_path"])


@pytest.mark.parametrize("target", ["/\\evil.example/", "/\t/evil.example/", "//evil.example/"])
def test_exact_targets_browsers_would_misread_are_refused(target: str) -> None:
    with pytest.raises(ValidationError, match="a path that starts with"):
        Redirect.objects.create(old_path="/old/", new_path=target)


def test_stored_rules_that_fail_the_checks_are_not_applied(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    exact = Redirect.objects.create(old_path="/old/", new_path="/new/")
    pattern = regex_rule(r"^/go/(.*)$", "https://example.org/$1")
    # Rules written before these checks existed, or straight into the database.
    Redirect.objects.filter(pk=exact.pk).update(new_path="/\\evil.example/")
    Redirect.objects.filter(pk=pattern.pk).update(new_path="https://example.org$1")
    with caplog.at_level(logging.ERROR, logger="linernotes.seo.redirects"):
        assert get(client, "/go/@evil.example") == (404, "")
    assert get(client, "/old/") == (404, "")
    assert f"Redirect rule {pattern.pk} (^/go/(.*)$) is not applied" in caplog.text
    assert "host of an absolute URL" in caplog.text


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tail=st.lists(
        st.one_of(
            st.sampled_from(["/", "\\", "\t", "\n", "\r", " ", "@", ":", ".", "%", "?", "#"]),
            st.sampled_from(["%2F", "%2f", "%5C", "%09", "//", "/\\", "\\/", "evil.example"]),
            st.characters(codec="utf-8"),
        ),
        max_size=12,
    ).map("".join),
    prefix=st.sampled_from(["/blog/", "/b/", "/go/", "/x"]),
)
def test_a_path_target_never_leads_off_the_site(
    client: Client, path_rules: None, prefix: str, tail: str
) -> None:
    # The rules are shared by every example; requests only add to their hit counts.
    status, location = get(client, prefix + tail)
    if status in {301, 302}:
        expected = "example.org" if prefix == "/go/" else SITE
        assert browser_host(location) == expected, location


@pytest.fixture
def path_rules() -> None:
    regex_rule(r"^/blog/(.*)$", "/$1", position=1)
    regex_rule(r"^/b/(.*)/(.*)$", "/$2$1", position=2)
    regex_rule(r"^/b/(?P<rest>.*)$", r"/\g<rest>", position=3)
    regex_rule(r"^/go/(.*)$", "https://example.org/$1", position=4)
    regex_rule(r"^/x(.*)$", "/$1/", position=5)
