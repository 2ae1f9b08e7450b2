"""Where uploads are kept: this host's disk, or an S3-compatible bucket that several hosts share.

settings.py reads the variables (docs/configuration.md#media-storage); this module turns them
into Django's STORAGES entry, so the rule for the bucket's options lives in one place.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

FILESYSTEM = "filesystem"
S3 = "s3"
KINDS = [FILESYSTEM, S3]
# django-storages' backend; installed with `pip install 'linernotes[s3]'`.
S3_BACKEND = "storages.backends.s3.S3Storage"


def media_storage(
    kind: str, *, site_url: str, media_url: str, bucket: str, endpoint_url: str, region: str
) -> dict[str, Any]:
    """The STORAGES["default"] entry for ``kind`` (one of KINDS)."""
    if kind == FILESYSTEM:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if not bucket:
        raise ValueError("LINERNOTES_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    site = urlsplit(site_url)
    options: dict[str, Any] = {
        "bucket_name": bucket,
        # Files keep the site's own addresses (/media/<name>), which post bodies store and
        # cached pages carry whatever the storage: the web server or CDN in front of the site
        # sends /media/ to the bucket (docs/deploy.md).
        "custom_domain": f"{site.netloc}{media_url.rstrip('/')}",
        "url_protocol": f"{site.scheme}:",
        # Addresses in cached pages and sent emails must not expire, so they are not signed.
        "querystring_auth": False,
        # An upload under a name already taken gets a name of its own, as on a disk.
        "file_overwrite": False,
    }
    # Unset, boto3 finds them itself (AWS_DEFAULT_REGION, the instance's metadata, ...).
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    if region:
        options["region_name"] = region
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
