"""Reading settings from the environment: parsing, defaults, refusals and the generated key."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from linernotes.config.environment import env_bool, env_int, env_list, env_str, secret_key
from tests.processes import clean_environment, run_python

NAME = "LINERNOTES_SAMPLE"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", "fallback"), ("   ", "fallback"), (" value ", "value"), ("a b", "a b")],
)
def test_env_str_strips_and_falls_back_when_empty(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: str
) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env_str(NAME, "fallback") == expected


def test_env_str_unset_gives_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    assert env_str(NAME, "fallback") == "fallback"


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "on"])
def test_env_bool_true_words(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off"])
def test_env_bool_false_words(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, True) is False


def test_env_bool_empty_gives_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "")
    assert env_bool(NAME, True) is True


def test_env_bool_refuses_other_words_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "maybe")
    with pytest.raises(ValueError, match=f"{NAME} must be true or false, not 'maybe'"):
        env_bool(NAME, False)


def test_env_int_parses_and_checks_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, " 42 ")
    assert env_int(NAME, 7) == 42
    monkeypatch.setenv(NAME, "0")
    assert env_int(NAME, 7, minimum=0) == 0
    with pytest.raises(ValueError, match=f"{NAME} must be at least 1, not 0"):
        env_int(NAME, 7)


@pytest.mark.parametrize("raw", ["ten", "1.5", "1e3"])
def test_env_int_refuses_what_is_not_a_whole_number(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ValueError, match=f"{NAME} must be a whole number"):
        env_int(NAME, 7)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, " a.example, ,b.example ,")
    assert env_list(NAME, ["default"]) == ["a.example", "b.example"]
    monkeypatch.setenv(NAME, "")
    assert env_list(NAME, ["default"]) == ["default"]


def test_secret_key_prefers_the_configured_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LINERNOTES_SECRET_KEY", " configured-key ")
    assert secret_key(tmp_path) == "configured-key"
    assert not (tmp_path / "secret_key").exists()


def test_secret_key_is_generated_once_and_kept_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LINERNOTES_SECRET_KEY", raising=False)
    var_dir = tmp_path / "var"
    first = secret_key(var_dir)
    key_file = var_dir / "secret_key"
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert secret_key(var_dir) == first
    assert secret_key(tmp_path / "other") != first


SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in NAMES}, default=str))
"""


def settings_for(names: list[str], **variables: str) -> dict[str, object]:
    """The settings a fresh process reads with only ``variables`` set."""
    script = f"NAMES = {names!r}\n{SHOW_SETTINGS}"
    env = clean_environment(DJANGO_SETTINGS_MODULE="linernotes.config.settings", **variables)
    result: dict[str, object] = json.loads(run_python(script, env=env).stdout)
    return result


def test_a_bad_value_stops_start_up_with_the_variables_name(tmp_path: Path) -> None:
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="linernotes.config.settings",
        LINERNOTES_VAR_DIR=str(tmp_path),
        LINERNOTES_PAGE_SIZE="many",
    )
    failed = run_python("import django; django.setup()", env=env, check=False)
    assert failed.returncode != 0
    assert "LINERNOTES_PAGE_SIZE must be a whole number, not 'many'" in failed.stderr


def test_https_site_turns_on_secure_cookies_and_trusts_the_proxy_header(tmp_path: Path) -> None:
    read = settings_for(
        ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER"],
        LINERNOTES_VAR_DIR=str(tmp_path),
        LINERNOTES_SITE_URL="https://blog.example.com",
    )
    assert read == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    plain = settings_for(
        ["SESSION_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER"], LINERNOTES_VAR_DIR=str(tmp_path)
    )
    assert plain == {"SESSION_COOKIE_SECURE": False, "SECURE_PROXY_SSL_HEADER": None}


def test_hsts_ssl_redirect_and_key_fallbacks_come_from_the_environment(tmp_path: Path) -> None:
    read = settings_for(
        [
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
            "SECRET_KEY_FALLBACKS",
        ],
        LINERNOTES_VAR_DIR=str(tmp_path),
        LINERNOTES_SSL_REDIRECT="true",
        LINERNOTES_HSTS_SECONDS="31536000",
        LINERNOTES_HSTS_INCLUDE_SUBDOMAINS="yes",
        LINERNOTES_HSTS_PRELOAD="on",
        LINERNOTES_SECRET_KEY_FALLBACKS="older-key, oldest-key",
    )
    assert read == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECRET_KEY_FALLBACKS": ["older-key", "oldest-key"],
    }


def test_the_client_address_header_keeps_the_newsletters_older_name(tmp_path: Path) -> None:
    old = settings_for(
        ["LINERNOTES_CLIENT_IP_HEADER"],
        LINERNOTES_VAR_DIR=str(tmp_path),
        LINERNOTES_NEWSLETTER_CLIENT_IP_HEADER="X-Forwarded-For",
    )
    assert old == {"LINERNOTES_CLIENT_IP_HEADER": "X-Forwarded-For"}
    new = settings_for(
        ["LINERNOTES_CLIENT_IP_HEADER"],
        LINERNOTES_VAR_DIR=str(tmp_path),
        LINERNOTES_CLIENT_IP_HEADER="X-Real-IP",
        LINERNOTES_NEWSLETTER_CLIENT_IP_HEADER="X-Forwarded-For",
    )
    assert new == {"LINERNOTES_CLIENT_IP_HEADER": "X-Real-IP"}


def test_trusted_origins_let_a_static_copy_post_its_forms(tmp_path: Path) -> None:
    read = settings_for(
        ["CSRF_TRUSTED_ORIGINS"],
        LINERNOTES_VAR_DIR=str(tmp_path),
        LINERNOTES_SITE_URL="https://blog.example.com",
        LINERNOTES_TRUSTED_ORIGINS="https://static.example.com, https://mirror.example.org",
    )
    assert read["CSRF_TRUSTED_ORIGINS"] == [
        "https://blog.example.com",
        "https://static.example.com",
        "https://mirror.example.org",
    ]
