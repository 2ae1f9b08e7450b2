"""Debian's nginx running the shipped deploy/nginx.conf as an unprivileged process, with a
certificate made for the test: what test_nginx_tls.py runs the site behind.

The shipped file is used as it is, with only the values its header says to change replaced.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import REPOSITORY
from tests.serving import nginx_main_config

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED = REPOSITORY / "deploy" / "nginx.conf"
SITE_HOST = "blog.example.com"
# The reader's own address: not the one nginx uses to reach gunicorn (127.0.0.1), so what
# the app records shows which of the two it was told.
READER_ADDRESS = "127.0.0.2"


def require_nginx() -> None:
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (Debian package 'nginx-light')")
        pytest.skip("nginx is not installed (Debian package 'nginx-light')")


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the site's host and 127.0.0.1, and its key."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed")
    certificate, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"),
            *("-nodes", "-days", "2", "-subj", f"/CN={SITE_HOST}"),
            *("-addext", f"subjectAltName=DNS:{SITE_HOST},IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


@dataclass(frozen=True)
class Ports:
    http: int
    https: int
    upstream: int


def site_config(*, ports: Ports, var_dir: Path, certificate: Path, key: Path, logs: Path) -> str:
    """deploy/nginx.conf with the values an operator changes filled in for this machine."""
    text = SHIPPED.read_text(encoding="utf-8")
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{ports.http};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports.https} ssl http2;",
        # The test binds to loopback only; what the file says for IPv6 is left out.
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
        f"/etc/letsencrypt/live/{SITE_HOST}/fullchain.pem": str(certificate),
        f"/etc/letsencrypt/live/{SITE_HOST}/privkey.pem": str(key),
        "/var/lib/linernotes": str(var_dir),
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{ports.upstream};",
        "/var/log/nginx/": f"{logs}/",
    }
    for placeholder, value in replacements.items():
        assert placeholder in text, f"{SHIPPED.name} no longer has {placeholder!r}"
        text = text.replace(placeholder, value)
    return text


def within_debians_nginx_conf(site: Path, folder: Path) -> str | None:
    """/etc/nginx/nginx.conf as Debian ships it, including ``site`` where it includes the
    sites-enabled folder, with its pid and logs in ``folder``; None without that file."""
    debian = Path("/etc/nginx/nginx.conf")
    include = "include /etc/nginx/sites-enabled/*;"
    if not debian.exists() or include not in debian.read_text():
        return None
    text = debian.read_text().replace(include, f"include {site};")
    text = text.replace("pid /run/nginx.pid;", f"pid {folder / 'nginx.pid'};")
    return text.replace("/var/log/nginx/", f"{folder}/")


def main_config(site: Path, prefix: Path) -> str:
    """The smallest nginx.conf around a site file, like Debian's but in a folder of the test's."""
    return nginx_main_config(prefix, f"  include {site};")


def start_nginx(prefix: Path, site_text: str) -> subprocess.Popen[bytes]:
    site = prefix / "linernotes.conf"
    site.write_text(site_text, encoding="utf-8")
    config = prefix / "nginx.conf"
    config.write_text(main_config(site, prefix), encoding="utf-8")
    with (prefix / "stderr.log").open("wb") as log:  # the child keeps its own copy
        return subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(config), "-g", "daemon off;"], stderr=log
        )


def wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                said = log.read_text(errors="replace") if log.exists() else ""
                raise RuntimeError(f"{what} did not start: {said}") from None
            time.sleep(0.1)
