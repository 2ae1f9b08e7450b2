"""The security stack on every response: headers, https, methods, sign-in redirects, key
rotation, and `check --deploy` for the documented production configuration."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.test import Client

from linernotes.newsletter.models import Subscriber, SubscriberState
from linernotes.newsletter.tokens import Purpose, make_token
from tests.factories import CategoryFactory, PostFactory
from tests.processes import REPOSITORY, clean_environment, run_python

pytestmark = pytest.mark.django_db


def policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as directive -> sources."""
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    PostFactory.create()
    csp = policy(client.get("/")["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in " ".join(
        source for sources in csp.values() for source in sources
    )


def test_the_policy_matches_the_pages_every_script_and_style_is_a_file(client: Client) -> None:
    post = PostFactory.create(categories=[CategoryFactory.create()])
    for path in ["/", post.get_absolute_url(), "/?s=post", "/newsletter/"]:
        html = client.get(path).content.decode()
        # JSON-LD is data, never run, so script-src does not apply to it.
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html)
        assert scripts == [], path
        assert "<style" not in html, path
        assert " style=" not in html, path


def test_permissions_policy_and_the_other_headers(client: Client) -> None:
    response = client.get("/")
    features = dict(item.strip().split("=") for item in response["Permissions-Policy"].split(","))
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= set(features)
    assert set(features.values()) == {"()"}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_over_https_when_configured(settings: LazySettings) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = Client()
    assert "Strict-Transport-Security" not in client.get("/")
    header = client.get("/", secure=True)["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains; preload"


def test_ssl_redirect_sends_plain_http_to_https(settings: LazySettings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/category/x/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/category/x/?page=2"


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_on_public_addresses_get_405_not_a_csrf_refusal(
    method: str, settings: LazySettings
) -> None:
    post = PostFactory.create(categories=[CategoryFactory.create(slug="data")])
    subscriber = Subscriber.objects.create(email="reader@example.com")
    token = make_token(subscriber, Purpose.CONFIRM)
    client = Client(enforce_csrf_checks=True)
    paths = [
        "/",
        "/?s=post",
        post.get_absolute_url(),
        "/category/data/",
        "/feed/",
        "/sitemap.xml",
        "/newsletter/",
        f"/newsletter/confirm/{token}/",
    ]
    for path in paths:
        response = getattr(client, method)(path)
        assert response.status_code == 405, (path, response.status_code)
        assert "GET" in response["Allow"], path
    assert Subscriber.objects.get().state == SubscriberState.PENDING


def test_a_form_post_without_a_token_is_still_refused(django_user_model: type[User]) -> None:
    django_user_model.objects.create_superuser("editor", "editor@example.com", "pw-for-tests-1")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "editor", "password": "pw-for-tests-1"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/no-such-page/"])
def test_sign_in_with_a_rejected_or_missing_next_lands_on_the_admin(
    client: Client, django_user_model: type[User], target: str
) -> None:
    django_user_model.objects.create_superuser("editor", "editor@example.com", "pw-for-tests-1")
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": "pw-for-tests-1", "next": target},
    )
    assert response.status_code == 302
    expected = "/no-such-page/" if target.startswith("/no") else "/admin/"
    assert response["Location"] == expected
    if expected == "/admin/":
        assert client.get(response["Location"]).status_code == 200


def test_old_unsubscribe_links_work_after_the_key_is_rotated(
    client: Client, settings: LazySettings
) -> None:
    subscriber = Subscriber.objects.create(email="reader@example.com")
    settings.SECRET_KEY = "old-key-" + "o" * 50
    link = f"/newsletter/unsubscribe/{make_token(subscriber, Purpose.UNSUBSCRIBE)}/"
    settings.SECRET_KEY = "new-key-" + "n" * 50
    assert client.get(link).status_code == 404
    settings.SECRET_KEY_FALLBACKS = ["old-key-" + "o" * 50]
    response = client.get(link)
    assert response.status_code == 200
    assert b"reader@example.com" in response.content


def documented_production_environment(var_dir: Path) -> dict[str, str]:
    """.env.example as a process would get it, with its placeholders filled in."""
    variables = {}
    for line in (REPOSITORY / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            variables[name] = secrets.token_urlsafe(50) if value.startswith("change-me") else value
    # The real server of .env.example is not here; the checks do not connect to it.
    variables["DATABASE_URL"] = f"sqlite:///{var_dir / 'db.sqlite3'}"
    return {**variables, "LINERNOTES_VAR_DIR": str(var_dir)}


def test_check_deploy_is_clean_for_the_documented_production_configuration(
    tmp_path: Path,
) -> None:
    env = clean_environment(**documented_production_environment(tmp_path))
    script = "from linernotes.cli import main; main(['check', '--deploy', '--fail-level', 'DEBUG'])"
    result = run_python(script, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_about_the_development_defaults(tmp_path: Path) -> None:
    env = clean_environment(LINERNOTES_VAR_DIR=str(tmp_path))
    script = "from linernotes.cli import main; main(['check', '--deploy'])"
    result = run_python(script, env=env, check=False)
    for check_id in ("security.W004", "security.W008", "security.W012"):
        assert check_id in result.stderr + result.stdout
