"""The Dockerfile, compose.yaml and systemd units run `linernotes` commands that exist, with
options those commands accept, and set only variables the settings read; the image runs as
an unprivileged user, and every file puts the var folder in the same place.

Docker cannot run here, so these files are kept thin and checked for what they say.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.urls import resolve
from dotenv import dotenv_values

from tests.processes import REPOSITORY

DEPLOY = REPOSITORY / "deploy"
DOCKERFILE = REPOSITORY / "Dockerfile"
COMPOSE = REPOSITORY / "compose.yaml"
UNITS = sorted(DEPLOY.glob("*.service"))
# The modules that read the environment; docs/configuration.md documents what they read.
SETTINGS_SOURCES = [
    REPOSITORY / "linernotes" / "config" / "settings.py",
    REPOSITORY / "linernotes" / "config" / "environment.py",
]
SETTING_NAME = re.compile(r"^(LINERNOTES_\w+|DATABASE_URL|REDIS_URL)$")
VAR_DIR = "LINERNOTES_VAR_DIR"


def variables_the_settings_read() -> set[str]:
    """Names passed as literals to env_str(), env_int()... or os.environ.get()."""
    names = set()
    for source in SETTINGS_SOURCES:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            first, function = node.args[0], ast.unparse(node.func)
            reads = function.startswith("env_") or function in {"os.environ.get", "os.getenv"}
            if reads and isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


# --- Reading each kind of file ---


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile's instructions, (keyword, arguments), split into its stages."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        keyword, _, arguments = line.strip().partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((keyword.upper(), arguments.strip()))
    return stages


def final_stage(keyword: str) -> list[str]:
    return [arguments for word, arguments in dockerfile_stages()[-1] if word == keyword]


def compose_services() -> dict[str, dict[str, Any]]:
    # PyYAML's safe loader applies the `<<:` merges of the shared x-linernotes block.
    return dict(yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"])


def runs_the_image(service: dict[str, Any]) -> bool:
    return "build" in service or service.get("image") == "linernotes"


def unit_entries(unit: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) for every line of a systemd unit, in order."""
    entries, section = [], ""
    for line in unit.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        entries.append((section, key.strip(), value.strip()))
    return entries


def unit_values(unit: Path, key: str) -> list[str]:
    return [value for _, name, value in unit_entries(unit) if name == key]


# --- What each file runs and sets ---


def linernotes_invocations() -> Iterator[tuple[str, list[str]]]:
    """(where, arguments after `linernotes`) for every command the files run."""
    entrypoint = json.loads(final_stage("ENTRYPOINT")[-1])
    assert entrypoint == ["linernotes"]
    yield "Dockerfile CMD", json.loads(final_stage("CMD")[-1])
    for name, service in compose_services().items():
        if runs_the_image(service):
            command = service["command"]
            yield (
                f"compose.yaml {name}",
                shlex.split(command) if isinstance(command, str) else command,
            )
    for unit in UNITS:
        for line in unit_values(unit, "ExecStart"):
            program, *arguments = shlex.split(line.lstrip("-@:+!"))
            if Path(program).name == "linernotes":
                yield unit.name, arguments


def variables_set() -> Iterator[tuple[str, str, str]]:
    """(where, name, value) for every variable the files give the app."""
    for arguments in final_stage("ENV"):
        for assignment in shlex.split(arguments):
            name, _, value = assignment.partition("=")
            yield "Dockerfile", name, value
    for service_name, service in compose_services().items():
        if runs_the_image(service):
            for name, value in dict(service.get("environment") or {}).items():
                yield f"compose.yaml {service_name}", name, str(value)
    for unit in UNITS:
        for line in unit_values(unit, "Environment"):
            for assignment in shlex.split(line):
                name, _, value = assignment.partition("=")
                yield unit.name, name, value


def test_the_settings_scan_finds_what_the_settings_read() -> None:
    # A scan that found nothing would let every check below pass.
    read = variables_the_settings_read()
    assert {"DATABASE_URL", "REDIS_URL", VAR_DIR, "LINERNOTES_SECRET_KEY"} <= read
    assert {"LINERNOTES_MEDIA_STORAGE", "AWS_STORAGE_BUCKET_NAME"} <= read


def test_every_command_exists_and_accepts_its_options() -> None:
    commands = get_commands()
    seen = {where for where, _ in linernotes_invocations()}
    assert {"Dockerfile CMD", "compose.yaml web", "compose.yaml worker"} <= seen
    assert {"linernotes-web.service", "linernotes-worker.service"} <= seen
    for where, arguments in linernotes_invocations():
        name, *options = arguments
        assert name in commands, f"{where} runs `linernotes {name}`, which does not exist"
        command = load_command_class(commands[name], name)
        # Raises (CommandError) on an option the command does not have or a bad value.
        command.create_parser("linernotes", name).parse_args(options)


def test_web_servers_are_gunicorn_and_the_worker_is_the_worker() -> None:
    runs = {where: arguments[0] for where, arguments in linernotes_invocations()}
    assert runs["Dockerfile CMD"] == runs["compose.yaml web"] == "serve"
    assert runs["linernotes-web.service"] == "serve"
    assert runs["linernotes-worker.service"] == runs["compose.yaml worker"] == "worker"


def test_every_variable_set_is_one_the_settings_read_and_the_docs_describe() -> None:
    read = variables_the_settings_read()
    documented = (REPOSITORY / "docs" / "configuration.md").read_text(encoding="utf-8")
    given = [(where, name) for where, name, _ in variables_set() if SETTING_NAME.match(name)]
    assert given, "no setting is set anywhere"
    for where, name in given:
        assert name in read, f"{where} sets {name}, which the settings never read"
        assert f"`{name}`" in documented, f"{where} sets {name}, which is not documented"


def test_the_var_folder_is_the_same_everywhere() -> None:
    places = {value for _, name, value in variables_set() if name == VAR_DIR}
    assert places == {"/var/lib/linernotes"}
    for name, service in compose_services().items():
        if runs_the_image(service):
            assert "var:/var/lib/linernotes" in service["volumes"], name
    for unit in UNITS:
        if unit_values(unit, "User") == ["linernotes"]:
            # ProtectSystem=strict leaves the file system read-only but for these.
            assert unit_values(unit, "ProtectSystem") == ["strict"], unit.name
            assert "/var/lib/linernotes" in " ".join(unit_values(unit, "ReadWritePaths"))
    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert "root /var/lib/linernotes;" in nginx  # STATIC_ROOT is <var>/static
    assert "alias /var/lib/linernotes/media/;" in nginx


def test_the_image_runs_as_an_unprivileged_user() -> None:
    users = final_stage("USER")
    assert users, "the final stage has no USER"
    assert users[-1] not in {"root", "0", "0:0"}
    created = " ".join(final_stage("RUN"))
    assert "useradd --system" in created
    assert re.search(rf"useradd [^&]*\b{re.escape(users[-1])}\b", created)


def test_the_web_health_check_asks_the_apps_health_check() -> None:
    test = " ".join(compose_services()["web"]["healthcheck"]["test"])
    address = re.search(r"http://127\.0\.0\.1:8000(/[^'\s]*)", test)
    assert address is not None, test
    path = address.group(1)
    assert resolve(path).url_name == "healthz"
    # It asks over plain http: the https redirect must leave it alone, as SecurityMiddleware
    # decides it.
    assert any(re.search(pattern, path.lstrip("/")) for pattern in settings.SECURE_REDIRECT_EXEMPT)


def test_a_stopped_worker_has_time_to_finish_its_message() -> None:
    unit = DEPLOY / "linernotes-worker.service"
    assert unit_values(unit, "KillSignal") == ["SIGTERM"]
    seconds = int(unit_values(unit, "TimeoutStopSec")[-1])
    # One SMTP exchange may wait EMAIL_TIMEOUT at connecting, sending and closing.
    assert seconds >= 3 * settings.EMAIL_TIMEOUT
    worker = compose_services()["worker"]
    assert worker["stop_signal"] == "SIGTERM"
    assert worker["stop_grace_period"] == f"{seconds}s"


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    env_file = tmp_path / "env"
    env_file.write_text("")
    installed = Path(sys.executable).parent / "linernotes"
    copies = []
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8")
        # The paths of an installation: the command must exist for systemd to accept it.
        text = text.replace("/opt/linernotes/venv/bin/linernotes", str(installed))
        text = text.replace("/etc/linernotes/env", str(env_file))
        copy = tmp_path / unit.name
        copy.write_text(text, encoding="utf-8")
        copies.append(str(copy))
    result = subprocess.run(
        [analyze, "verify", "--man=no", *copies], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_the_example_settings_read_the_same_for_every_reader() -> None:
    # systemd (EnvironmentFile=), docker compose (env_file:) and the app's .env reader each
    # parse the file; a line they read differently (quotes, `$`, `export`) is a value that
    # depends on who reads it.
    example = REPOSITORY / ".env.example"
    as_written = {}
    for line in example.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            as_written[name] = value
            assert not value.startswith(("'", '"')), f"{name} is quoted"
            assert "$" not in value, f"{name} has a $"
    assert dotenv_values(example) == as_written
