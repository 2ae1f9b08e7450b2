"""The live site behind Debian's nginx with the shipped deploy/nginx.conf: TLS and HTTP/2, the
https redirect, static files and uploads served by nginx itself, compression, the upload limit,
and what the app is told about each request (https, the reader's address).

gunicorn runs `linernotes serve` on the demo database, configured as .env.example configures
production (https site address, https redirect, the proxy's client header).
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import shutil
import sqlite3
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.deploy.tls_client import (
    SITE_URL,
    TlsSite,
    cookie_header,
    cookies_of,
    handshake,
    multipart,
    offering_only,
    sign_in,
    tls_context,
)
from tests.deploy.tls_nginx import (
    NGINX,
    READER_ADDRESS,
    SITE_HOST,
    Ports,
    make_certificate,
    require_nginx,
    site_config,
    start_nginx,
    wait_for_port,
    within_debians_nginx_conf,
)
from tests.processes import REPOSITORY, clean_environment, free_port

# The settings' default (LINERNOTES_MAX_UPLOAD_BYTES), which the shipped limit is sized for.
MAX_UPLOAD_BYTES = 10_485_760
# The demo's administrator (linernotes demo, LINERNOTES_DEMO_PASSWORD unset).
DEMO_PASSWORD = "liner-notes-demo"
POST_PATH = re.compile(r"^/\d{4}/\d{2}/[\w-]+/$")
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.\w+$")


def _linernotes(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "linernotes.cli", *args],
        env=env, cwd=REPOSITORY, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsSite]:
    require_nginx()
    root = tmp_path_factory.mktemp("tls-site")
    var_dir = root / "var"
    var_dir.mkdir()
    certificate, key = make_certificate(root)
    ports = Ports(http=free_port(), https=free_port(), upstream=free_port())
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="linernotes.config.settings",
        LINERNOTES_ENV_FILE="none",
        LINERNOTES_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'site.sqlite3'}",
        LINERNOTES_SITE_URL=SITE_URL,
        LINERNOTES_SECRET_KEY="tls-test-key-" + "k" * 50,
        LINERNOTES_SSL_REDIRECT="true",
        LINERNOTES_CLIENT_IP_HEADER="X-Forwarded-For",
        # Only nginx can answer /media/ then.
        LINERNOTES_SERVE_MEDIA="false",
    )
    _linernotes(env, "demo", "--no-serve")
    _linernotes(env, "redirects", "add", "/old-about/", "/about/")
    access_log, app_output, app_errors = (
        root / "access.log",
        root / "gunicorn.out",
        root / "gunicorn.err",
    )
    # serve's command line wins over this variable, should it name an access log of its own.
    env["GUNICORN_CMD_ARGS"] = f"--access-logfile {access_log}"
    with app_output.open("wb") as out, app_errors.open("wb") as err:
        bind = f"127.0.0.1:{ports.upstream}"
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "linernotes.cli", "serve", "--bind", bind, "--workers", "2"],
            env=env, cwd=REPOSITORY, stdout=out, stderr=err,
        )  # fmt: skip
    prefix = root / "nginx"
    prefix.mkdir()
    nginx = None
    try:
        wait_for_port(ports.upstream, gunicorn, "gunicorn", app_errors)
        config = site_config(
            ports=ports, var_dir=var_dir, certificate=certificate, key=key, logs=prefix
        )
        nginx = start_nginx(prefix, config)
        wait_for_port(ports.https, nginx, "nginx", prefix / "stderr.log")
        yield TlsSite(ports, var_dir, certificate, (access_log, app_output, app_errors))
    finally:
        for process in (nginx, gunicorn):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


def a_post_path(site: TlsSite) -> str:
    home = BeautifulSoup(site.https("/").body, "lxml")
    for link in home.select("a[href]"):
        path = str(link["href"]).removeprefix(SITE_URL)
        if POST_PATH.match(path):
            return path
    raise AssertionError("the home page links to no post")


def test_pages_are_served_over_tls_with_http2(site: TlsSite) -> None:
    assert handshake(site) == ("h2", "TLSv1.3")
    home = site.https("/")
    assert home.status == 200
    assert home.headers["Content-Type"].startswith("text/html")
    post = site.https(a_post_path(site))
    assert post.status == 200
    page = BeautifulSoup(post.body, "lxml")
    assert page.select_one("article h1") is not None
    assert page.select_one("link[rel=canonical]")["href"].startswith(SITE_URL + "/")


def test_curl_speaks_http2_to_it(site: TlsSite) -> None:
    curl = shutil.which("curl")
    if (
        curl is None
        or "HTTP2" not in subprocess.run([curl, "-V"], capture_output=True, text=True).stdout
    ):
        pytest.skip("no curl with HTTP/2 here")
    address = f"https://{SITE_HOST}:{site.ports.https}/"
    result = subprocess.run(
        [
            *(curl, "--silent", "--show-error", "--http2", "--cacert", str(site.certificate)),
            *("--resolve", f"{SITE_HOST}:{site.ports.https}:127.0.0.1"),
            *("--output", "/dev/null", "--write-out", "%{http_version} %{http_code}", address),
        ],
        capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    assert result.stdout == "2 200"


def test_tls_before_1_2_is_refused(site: TlsSite) -> None:
    tls_1_2 = offering_only(ssl.TLSVersion.TLSv1_2, certificate=site.certificate)
    assert handshake(site, tls_1_2)[1] == "TLSv1.2"
    older = offering_only(
        ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1, certificate=site.certificate
    )
    with pytest.raises(ssl.SSLError) as refused:
        handshake(site, older)
    # The server's alert, not this client declining to offer the old versions.
    assert "ALERT_PROTOCOL_VERSION" in str(refused.value).upper()


def test_plain_http_is_redirected_to_https(site: TlsSite) -> None:
    answer = site.plain_http("/category/platform/page/2/?from=feed")
    assert answer.status == 301
    assert answer.headers["Location"] == f"{SITE_URL}/category/platform/page/2/?from=feed"
    assert not site.app_saw("/category/platform/page/2/")


def test_the_app_knows_the_request_came_over_https(site: TlsSite) -> None:
    # With the https redirect on, a request the app took for plain http would be sent to
    # https again and again; through nginx it is answered.
    assert site.https("/about/").status == 200
    direct = site.app_directly("/about/")
    assert (direct.status, direct.headers["Location"]) == (301, f"{SITE_URL}/about/")


def test_the_readers_address_reaches_the_app(site: TlsSite) -> None:
    # Whatever a client claims, the address nginx saw is the one that counts.
    answer = sign_in(site, "nobody-here", "wrong", **{"X-Forwarded-For": "198.51.100.66"})
    assert answer.status == 200  # the form again, with the error
    with sqlite3.connect(site.var_dir / "site.sqlite3") as database:
        rows = database.execute(
            "SELECT ip_address FROM axes_accessattempt WHERE username = 'nobody-here'"
        ).fetchall()
    assert rows == [(READER_ADDRESS,)]


def static_files(site: TlsSite) -> dict[str, str]:
    manifest = json.loads((site.var_dir / "static" / "staticfiles.json").read_text())
    return dict(manifest["paths"])


def test_hashed_static_files_come_from_nginx_and_keep_for_a_year(site: TlsSite) -> None:
    original, hashed = next(
        (name, hashed) for name, hashed in static_files(site).items() if name.endswith(".css")
    )
    assert HASHED_NAME.search(hashed)
    answer = site.https(f"/static/{hashed}")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/css"
    assert answer.body == (site.var_dir / "static" / hashed).read_bytes()
    lifetime = answer.headers["Cache-Control"]
    assert "max-age=31536000" in lifetime
    assert "immutable" in lifetime
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    # The same file under its own name may change at the next release: an hour.
    plain = site.https(f"/static/{original}")
    assert plain.status == 200
    assert plain.headers["Cache-Control"] == "max-age=3600"
    assert not site.app_saw(f"/static/{hashed}")
    assert not site.app_saw(f"/static/{original}")


def test_text_is_compressed(site: TlsSite) -> None:
    css = next(hashed for hashed in static_files(site).values() if hashed.endswith(".css"))
    answer = site.https(f"/static/{css}", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in answer.headers["Vary"]
    assert gzip.decompress(answer.body) == (site.var_dir / "static" / css).read_bytes()
    page = site.https("/about/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(page.body)


def test_uploads_are_served_by_nginx(site: TlsSite) -> None:
    media = site.var_dir / "media"
    image = next(media.glob("demo/*.png"))
    path = "/media/" + image.relative_to(media).as_posix()
    answer = site.https(path)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "image/png"
    assert answer.body == image.read_bytes()
    assert "sandbox" in answer.headers["Content-Security-Policy"]
    # The app itself has no uploads to give here.
    assert site.app_directly(path, headers={"X-Forwarded-Proto": "https"}).status == 404
    # Files an import has not committed yet stay private.
    staged = media / ".import-staging" / "batch" / "photo.png"
    staged.parent.mkdir(parents=True)
    shutil.copyfile(image, staged)
    assert site.https("/media/.import-staging/batch/photo.png").status == 404


def test_redirect_rules_answer_through_nginx(site: TlsSite) -> None:
    answer = site.https("/old-about/")
    assert answer.status == 301
    assert answer.headers["Location"] in {"/about/", f"{SITE_URL}/about/"}
    assert site.app_saw("/old-about/")


def test_an_upload_over_the_apps_limit_gets_the_apps_reason(site: TlsSite) -> None:
    signed_in = sign_in(site, "admin", DEMO_PASSWORD)
    assert signed_in.status == 302
    cookies = cookies_of(signed_in)
    # A little over the media library's limit: within nginx's, so the app says why.
    kind, body = multipart("file", "huge.png", b"x" * (MAX_UPLOAD_BYTES + 100_000))
    answer = site.https(
        "/admin/content/mediafile/upload/",
        method="POST",
        body=body,
        headers={
            "Content-Type": kind,
            "Cookie": cookie_header(cookies),
            "X-CSRFToken": cookies["csrftoken"],
            "Origin": SITE_URL,
        },
    )
    assert answer.status == 413
    assert "uploads may be at most" in json.loads(answer.body)["error"]


def test_nginx_refuses_bodies_far_over_the_limit(site: TlsSite) -> None:
    connection = http.client.HTTPSConnection(
        "127.0.0.1", site.ports.https, context=tls_context(site.certificate), timeout=30
    )
    try:
        # Refused from the length alone, before any of the body is sent.
        connection.putrequest("POST", "/admin/content/mediafile/upload/", skip_host=True)
        connection.putheader("Host", SITE_HOST)
        connection.putheader("Content-Length", str(2 * MAX_UPLOAD_BYTES))
        connection.endheaders()
        refused = connection.getresponse()
        assert refused.status == 413
        assert b"nginx" in refused.read()
    finally:
        connection.close()


def test_the_file_fits_in_debians_nginx_conf(tmp_path: Path) -> None:
    # As installed by docs/deploy.md: in sites-enabled, beside Debian's own http settings.
    require_nginx()
    certificate, key = make_certificate(tmp_path)
    site = tmp_path / "linernotes.conf"
    ports = Ports(http=free_port(), https=free_port(), upstream=free_port())
    config = site_config(
        ports=ports, var_dir=tmp_path, certificate=certificate, key=key, logs=tmp_path
    )
    site.write_text(config, encoding="utf-8")
    main = within_debians_nginx_conf(site, tmp_path)
    if main is None:
        pytest.skip("no Debian /etc/nginx/nginx.conf here")
    (tmp_path / "nginx.conf").write_text(main, encoding="utf-8")
    result = subprocess.run(
        [NGINX, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # Run without root, nginx says it ignores Debian's `user www-data;`; nothing else may warn
    # (a directive given twice, a deprecated form).
    warnings = [
        line
        for line in result.stderr.splitlines()
        if "[warn]" in line and '"user" directive' not in line
    ]
    assert warnings == []
