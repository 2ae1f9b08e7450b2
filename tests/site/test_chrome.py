"""The operator's chrome: announcement bar, profile links, footer link groups, head snippet."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core.checks import run_checks
from django.test import Client

from linernotes.config.environment import env_link_groups

pytestmark = pytest.mark.django_db


def page(client: Client, url: str = "/") -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "lxml")


def test_without_settings_there_is_no_bar_no_snippet_and_no_extra_footer(client: Client) -> None:
    html = page(client)
    assert html.find(class_="announcement") is None
    assert html.html is not None
    assert html.html.get("data-announcement") is None
    assert html.find(class_="site-footer__social") is None
    assert html.find(class_="site-footer__group") is None
    assert html.find("script", src=lambda src: bool(src and "announcement" in src)) is None


def test_the_announcement_is_markdown_made_safe(client: Client, settings) -> None:
    settings.LINERNOTES_ANNOUNCEMENT = (
        "We are *hiring*: [see the roles](https://jobs.example.com/) "
        "<script>alert(1)</script> [x](javascript:alert(1))"
    )
    html = page(client)
    bar = html.find(class_="announcement")
    assert bar is not None
    text = bar.find("p")
    assert text.find("em").get_text() == "hiring"
    assert [link["href"] for link in text.find_all("a")] == ["https://jobs.example.com/"]
    assert bar.find("script") is None
    # The dismiss button waits for the script, which is loaded in the head to hide a
    # dismissed bar before it is drawn.
    assert bar.find("button").has_attr("hidden")
    head_script = html.head.find("script", src=lambda src: bool(src and "announcement" in src))
    assert head_script is not None
    assert not head_script.has_attr("defer")


def test_a_new_announcement_gets_a_new_key(client: Client, settings) -> None:
    settings.LINERNOTES_ANNOUNCEMENT = "First news."
    first = page(client).html["data-announcement"]
    settings.LINERNOTES_ANNOUNCEMENT = "Second news."
    second = page(client).html["data-announcement"]
    assert first != second
    assert len(first) == len(second) == 12


def test_profiles_are_named_by_their_site_and_linked_as_the_site_s_own(
    client: Client, settings
) -> None:
    settings.LINERNOTES_SOCIAL_PROFILES = [
        "https://github.com/example",
        "https://www.linkedin.com/company/example",
        "https://social.example.org/@blog",
    ]
    footer = page(client).find("footer")
    links = footer.find(class_="site-footer__social").find_all("a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("GitHub", "https://github.com/example"),
        ("LinkedIn", "https://www.linkedin.com/company/example"),
        ("social.example.org", "https://social.example.org/@blog"),
    ]
    assert all(a["rel"] == ["me", "noopener"] for a in links)


def test_footer_link_groups_are_labelled_navigation(client: Client, settings, monkeypatch) -> None:
    monkeypatch.setenv(
        "LINERNOTES_FOOTER_LINKS",
        "Legal: Privacy=/privacy/, Terms of use=https://example.com/terms; "
        "Sister sites: Design=https://design.example.com/",
    )
    settings.LINERNOTES_FOOTER_LINKS = env_link_groups("LINERNOTES_FOOTER_LINKS")
    groups = page(client).find_all("nav", class_="site-footer__group")
    assert [group["aria-label"] for group in groups] == ["Legal", "Sister sites"]
    assert [(a.get_text(), a["href"]) for a in groups[0].find_all("a")] == [
        ("Privacy", "/privacy/"),
        ("Terms of use", "https://example.com/terms"),
    ]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("Privacy=/privacy/", "each group starts with its title and a colon"),
        ("Legal: Privacy", "write each link as Label=/path/"),
        ("Legal: Privacy=privacy.html", "write each link as Label=/path/"),
        ("Legal: =/privacy/", "write each link as Label=/path/"),
    ],
)
def test_a_malformed_link_list_names_the_variable_and_the_problem(
    monkeypatch, value: str, problem: str
) -> None:
    monkeypatch.setenv("LINERNOTES_FOOTER_LINKS", value)
    with pytest.raises(ValueError, match=problem) as error:
        env_link_groups("LINERNOTES_FOOTER_LINKS")
    assert str(error.value).startswith("LINERNOTES_FOOTER_LINKS:")


def test_the_head_snippet_ends_the_head_and_its_origin_is_allowed(client: Client, settings) -> None:
    settings.LINERNOTES_HEAD_SNIPPET = (
        '<script defer data-domain="blog.example.com" '
        'src="https://plausible.io/js/script.js"></script>'
    )
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **directives,
            "script-src": [*directives["script-src"], "https://plausible.io"],
        }
    }
    response = client.get("/")
    head = BeautifulSoup(response.content, "lxml").head
    assert head.find_all("script")[-1]["src"] == "https://plausible.io/js/script.js"
    assert "https://plausible.io" in response["Content-Security-Policy"]
    assert not [m for m in run_checks() if m.id == "linernotes.W002"]


@pytest.mark.parametrize(
    ("snippet", "problem"),
    [
        ("<script>track()</script>", "an inline script"),
        ('<script src="https://cdn.example.net/a.js"></script>', "https://cdn.example.net"),
    ],
)
def test_a_snippet_the_policy_would_refuse_is_reported(
    settings, snippet: str, problem: str
) -> None:
    settings.LINERNOTES_HEAD_SNIPPET = snippet
    [warning] = [m for m in run_checks() if m.id == "linernotes.W002"]
    assert problem in warning.msg
