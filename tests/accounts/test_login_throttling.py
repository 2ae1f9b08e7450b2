"""Sign-in throttling: repeated wrong passwords lock one username from one address out."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"
LIMIT = 5


@pytest.fixture(autouse=True)
def editor(django_user_model: type[User], settings: LazySettings) -> User:
    settings.AXES_FAILURE_LIMIT = LIMIT
    return django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)


def sign_in(client: Client, password: str, *, username: str = "editor", address: str = "10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def logins(*args: str) -> str:
    out = io.StringIO()
    call_command("logins", *args, stdout=out)
    return out.getvalue()


def test_the_right_password_is_refused_after_too_many_wrong_ones(client: Client) -> None:
    for _ in range(LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200  # the form again, with its error
    # The failure that reaches the limit is answered with the lockout page at once.
    assert sign_in(client, "wrong").status_code == 429
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    page = BeautifulSoup(response.content, "lxml")
    assert page.h1.get_text(strip=True) == "Sign-in paused"
    assert "15 minutes" in page.get_text(" ", strip=True)
    assert "linernotes logins unlock" in page.get_text(" ", strip=True)
    assert response["Retry-After"] == "900"


def test_fewer_failures_than_the_limit_do_not_lock_and_success_forgets_them(
    client: Client,
) -> None:
    for _ in range(LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    assert signed_in(client)
    client.logout()
    # The count started again after the successful sign-in.
    for _ in range(LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_lockout_is_per_username_and_address(
    client: Client, django_user_model: type[User]
) -> None:
    django_user_model.objects.create_superuser("writer", "writer@example.com", PASSWORD)
    for _ in range(LIMIT):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 429
    assert sign_in(Client(), PASSWORD, address="10.0.0.2").status_code == 302
    assert sign_in(Client(), PASSWORD, username="writer").status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts(
    client: Client, settings: LazySettings
) -> None:
    settings.LINERNOTES_CLIENT_IP_HEADER = "X-Forwarded-For"

    def through_proxy(password: str, client_address: str) -> int:
        return (
            Client()
            .post(
                "/admin/login/",
                {"username": "editor", "password": password},
                REMOTE_ADDR="10.0.0.254",
                HTTP_X_FORWARDED_FOR=f"spoofed, {client_address}",
            )
            .status_code
        )

    for _ in range(LIMIT):
        through_proxy("wrong", "198.51.100.7")
    assert through_proxy(PASSWORD, "198.51.100.7") == 429
    assert through_proxy(PASSWORD, "198.51.100.8") == 302


def test_an_operator_lists_and_lifts_a_lockout(client: Client) -> None:
    assert logins("list") == "Nobody is locked out.\n"
    for _ in range(LIMIT):
        sign_in(client, "wrong")
    listed = logins("list")
    assert "editor from 10.0.0.1: 5 failures, locked until" in listed
    assert (
        logins("unlock", "--all", "--dry-run") == "Would forget 1 record(s) of failed sign-ins.\n"
    )
    assert sign_in(client, PASSWORD).status_code == 429
    assert "Forgot 1 record(s)" in logins("unlock", "--username", "editor")
    assert logins("list") == "Nobody is locked out.\n"
    assert sign_in(client, PASSWORD).status_code == 302


def test_unlock_needs_to_be_told_whom(client: Client) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--username"):
        logins("unlock")
    with pytest.raises(CommandError, match="--username"):
        logins("unlock", "--all", "--ip", "10.0.0.1")
