"""Uploads in an S3-compatible bucket, configured from the environment (LINERNOTES_MEDIA_STORAGE).

Settings are read at start-up, so each case starts a process with only those variables set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings

from linernotes.config import checks
from tests.processes import clean_environment, run_python

SHOW_STORAGES = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "linernotes.config.settings"
from django.conf import settings
print(json.dumps({"storages": settings.STORAGES, "serve_media": settings.LINERNOTES_SERVE_MEDIA}))
"""
BUCKET = {
    "LINERNOTES_MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "blog-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.eu-central-1.example.net",
    "AWS_S3_REGION_NAME": "eu-central-1",
}


def started_with(tmp_path: Path, **variables: str) -> dict[str, Any]:
    env = clean_environment(
        LINERNOTES_VAR_DIR=str(tmp_path),
        LINERNOTES_SITE_URL="https://blog.example.com",
        **variables,
    )
    return dict(json.loads(run_python(SHOW_STORAGES, env=env).stdout.strip().splitlines()[-1]))


def test_uploads_stay_on_disk_by_default(tmp_path: Path) -> None:
    started = started_with(tmp_path)
    assert started["storages"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert started["serve_media"] is True


def test_a_bucket_from_the_environment(tmp_path: Path) -> None:
    started = started_with(tmp_path, **BUCKET)
    assert started["storages"]["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "blog-media",
            "endpoint_url": "https://s3.eu-central-1.example.net",
            "region_name": "eu-central-1",
            # Files keep the site's /media/ addresses, unsigned, and never overwrite each other.
            "custom_domain": "blog.example.com/media",
            "url_protocol": "https:",
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    # The theme's files stay with whitenoise; uploads are no longer the app's to serve.
    assert started["storages"]["staticfiles"] == {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    }
    assert started["serve_media"] is False


def test_endpoint_and_region_may_be_left_to_boto3(tmp_path: Path) -> None:
    started = started_with(
        tmp_path, LINERNOTES_MEDIA_STORAGE="S3", AWS_STORAGE_BUCKET_NAME="blog-media"
    )
    options = started["storages"]["default"]["OPTIONS"]
    assert options["bucket_name"] == "blog-media"
    assert "endpoint_url" not in options
    assert "region_name" not in options


def test_serving_media_can_still_be_asked_for(tmp_path: Path) -> None:
    assert started_with(tmp_path, **BUCKET, LINERNOTES_SERVE_MEDIA="true")["serve_media"] is True


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"LINERNOTES_MEDIA_STORAGE": "s3"}, "AWS_STORAGE_BUCKET_NAME"),
        ({"LINERNOTES_MEDIA_STORAGE": "gcs"}, "LINERNOTES_MEDIA_STORAGE"),
    ],
)
def test_an_unusable_storage_stops_the_start(
    tmp_path: Path, variables: dict[str, str], named: str
) -> None:
    env = clean_environment(LINERNOTES_VAR_DIR=str(tmp_path), **variables)
    result = run_python(SHOW_STORAGES, env=env, check=False)
    assert result.returncode != 0
    assert named in result.stderr.strip().splitlines()[-1]


def test_check_reports_a_bucket_without_django_storages(
    settings: LazySettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.LINERNOTES_MEDIA_STORAGE = "s3"
    monkeypatch.setattr(checks, "find_spec", lambda name: None)
    assert [error.id for error in checks.check_media_storage_installed()] == ["linernotes.E003"]
    monkeypatch.setattr(checks, "find_spec", lambda name: object())
    assert checks.check_media_storage_installed() == []
    settings.LINERNOTES_MEDIA_STORAGE = "filesystem"
    monkeypatch.setattr(checks, "find_spec", lambda name: None)
    assert checks.check_media_storage_installed() == []


def test_the_bucket_gives_files_the_sites_addresses(tmp_path: Path) -> None:
    pytest.importorskip("storages.backends.s3", reason="django-storages[s3] is not installed")
    script = SHOW_STORAGES.replace(
        "print(",
        "from django.core.files.storage import default_storage\n"
        "print(default_storage.url('2024/05/team photo.png'))\nprint(",
    )
    env = clean_environment(
        LINERNOTES_VAR_DIR=str(tmp_path), LINERNOTES_SITE_URL="https://blog.example.com", **BUCKET
    )
    address = run_python(script, env=env).stdout.strip().splitlines()[-2]
    assert address == "https://blog.example.com/media/2024/05/team%20photo.png"
