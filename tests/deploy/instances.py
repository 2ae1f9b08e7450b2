"""Installations of the site on "hosts" of their own (a var folder and a port each) that share
one database and one Redis, as web servers behind a load balancer do; and a small HTTP client
that keeps cookies the way a browser does for a site's address.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from bs4 import BeautifulSoup

from tests.newsletter.processes import answers, wait_for
from tests.processes import REPOSITORY
from tests.serving import NoRedirects


@dataclass
class Instance:
    name: str
    port: int
    var_dir: Path
    env: dict[str, str]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: dict[int, Path] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, *args: str) -> str:
        """A `linernotes` command as an operator on this host would run it."""
        result = subprocess.run(
            [sys.executable, "-m", "linernotes.cli", *args],
            env=self.env, cwd=REPOSITORY, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        """A long-running `linernotes` command, its output in a log file of its own."""
        log = self.var_dir / f"{args[0]}-{len(self.processes)}.log"
        with log.open("wb") as output:  # the child keeps its own copy
            process = subprocess.Popen(
                [sys.executable, "-m", "linernotes.cli", *args],
                env=self.env, cwd=REPOSITORY, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.processes.append(process)
        self.logs[process.pid] = log
        return process

    def output_of(self, process: subprocess.Popen[bytes]) -> str:
        return self.logs[process.pid].read_text(errors="replace")

    def serve(self) -> None:
        server = self.start("serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "2")
        wait_for(lambda: answers(self.base) or server.poll() is not None, 90, f"{self.name}")
        assert server.poll() is None, f"{self.name} stopped: see {self.var_dir}"

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    text: str


class Browser:
    """Cookies kept per host, as a browser keeps them for 127.0.0.1 whatever the port: a
    cookie one instance sets goes to the other, as behind one load balancer."""

    def __init__(self, *, client_address: str = "") -> None:
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects
        )
        # What the load balancer in front would say about the reader.
        self.headers = {"X-Forwarded-For": client_address} if client_address else {}

    def get(self, url: str) -> Answer:
        return self._open(urllib.request.Request(url, headers=self.headers))

    def post_form(self, url: str, fields: dict[str, str]) -> Answer:
        origin = urllib.parse.urlsplit(url)._replace(path="", query="").geturl()
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={**self.headers, "Origin": origin},
        )
        return self._open(request)

    def sign_in(self, base: str, username: str, password: str) -> Answer:
        page = self.get(f"{base}/admin/login/")
        token = BeautifulSoup(page.text, "lxml").select_one("input[name=csrfmiddlewaretoken]")
        assert token is not None, page.text[:500]
        fields = {"csrfmiddlewaretoken": str(token["value"]), "username": username}
        return self.post_form(f"{base}/admin/login/?next=/admin/", {**fields, "password": password})

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, "", response.read().decode())
        except urllib.error.HTTPError as error:
            with error:
                body = error.read().decode(errors="replace")
                return Answer(error.code, error.headers.get("Location", ""), body)
