"""Serving in tests: Debian's nginx around a test's own folder, and asking without following
redirects (a test wants to see the 301 itself)."""

from __future__ import annotations

import os
import urllib.request
from pathlib import Path


def nginx_main_config(prefix: Path, http: str) -> str:
    """The smallest nginx.conf, like Debian's, with every file nginx writes under ``prefix``
    and ``http`` (includes, server blocks) inside its http block."""
    temp = "\n".join(
        f"  {name}_temp_path {prefix / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'};\n"
        "events { worker_connections 64; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"{temp}\n{http}\n}}\n"
    )


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer, not a step towards one."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
