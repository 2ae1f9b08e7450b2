"""Talking to the site behind nginx as a reader's browser would: over TLS from the reader's
own address, with the admin's sign-in form, cookies and uploads; or to gunicorn directly, as
nothing but nginx should.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bs4 import BeautifulSoup

from tests.deploy.tls_nginx import READER_ADDRESS, SITE_HOST, Ports

SITE_URL = f"https://{SITE_HOST}"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: bytes


def request(
    connection: http.client.HTTPConnection,
    path: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
) -> Answer:
    """One request, redirects not followed and bodies left as sent (compressed or not)."""
    try:
        connection.request(method, path, body=body, headers={"Host": SITE_HOST, **(headers or {})})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def tls_context(certificate: Path) -> ssl.SSLContext:
    """A client context that trusts the test's certificate only."""
    return ssl.create_default_context(cafile=str(certificate))


@dataclass(frozen=True)
class TlsSite:
    ports: Ports
    var_dir: Path
    certificate: Path
    # gunicorn's access log and the app's own output: a request that never reached the app
    # is in none of them.
    app_logs: tuple[Path, ...]

    def https(self, path: str, *, source: str = READER_ADDRESS, **options: Any) -> Answer:
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.ports.https,
            context=tls_context(self.certificate),
            timeout=30,
            source_address=(source, 0),
        )
        return request(connection, path, **options)

    def plain_http(self, path: str, **options: Any) -> Answer:
        return request(
            http.client.HTTPConnection("127.0.0.1", self.ports.http, timeout=30), path, **options
        )

    def app_directly(self, path: str, **options: Any) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.ports.upstream, timeout=30)
        return request(connection, path, **options)

    def app_saw(self, path: str) -> bool:
        return any(path in log.read_text(errors="replace") for log in self.app_logs)


def handshake(
    site: TlsSite, context: ssl.SSLContext | None = None
) -> tuple[str | None, str | None]:
    """The protocol chosen by ALPN and the TLS version of one connection."""
    if context is None:
        context = tls_context(site.certificate)
    context.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", site.ports.https), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=SITE_HOST) as tls,
    ):
        return tls.selected_alpn_protocol(), tls.version()


def offering_only(*versions: ssl.TLSVersion, certificate: Path) -> ssl.SSLContext:
    """A client context that offers just these versions, old ones included."""
    context = tls_context(certificate)
    with warnings.catch_warnings():
        # Python warns about enabling TLS 1.0 and 1.1 at all, which is the point here.
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version, context.maximum_version = min(versions), max(versions)
    # OpenSSL's default security level has no cipher left for them.
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    return context


def cookies_of(answer: Answer) -> dict[str, str]:
    pairs = (header.split(";", 1)[0] for header in answer.headers.get_all("Set-Cookie") or [])
    return dict(pair.split("=", 1) for pair in pairs)


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def sign_in(site: TlsSite, username: str, password: str, **headers: str) -> Answer:
    """The admin's sign-in form, sent as a browser on the site's page sends it."""
    page = site.https("/admin/login/")
    token = BeautifulSoup(page.body, "lxml").select_one("input[name=csrfmiddlewaretoken]")
    form = urlencode(
        {"csrfmiddlewaretoken": token["value"], "username": username, "password": password}
    )
    return site.https(
        "/admin/login/?next=/admin/",
        method="POST",
        body=form.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies_of(page)),
            "Origin": SITE_URL,
            **headers,
        },
    )


def multipart(name: str, filename: str, content: bytes) -> tuple[str, bytes]:
    boundary = "linernotes-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body
