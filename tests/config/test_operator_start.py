"""What an operator meets first: the .env file, --version, the demo's port and its worker."""

from __future__ import annotations

import importlib.metadata
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import REPOSITORY, clean_environment, free_port

SHOW_SITE_NAME = "from django.conf import settings; print(settings.LINERNOTES_SITE_NAME)"


def site_name(cwd: Path, env: dict[str, str]) -> str:
    """The site name the settings end up with (the last line: Django's shell may say more)."""
    result = linernotes("shell", "-c", SHOW_SITE_NAME, cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def linernotes(*args: str, cwd: Path, env: dict[str, str], timeout: float = 120):
    return subprocess.run(
        [sys.executable, "-m", "linernotes.cli", *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(REPOSITORY)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def operator_env(tmp_path: Path) -> dict[str, str]:
    return clean_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}", LINERNOTES_VAR_DIR=str(tmp_path)
    )


def test_the_env_file_in_the_working_directory_is_read(tmp_path, operator_env) -> None:
    (tmp_path / ".env").write_text('LINERNOTES_SITE_NAME="Read From Env"\n')
    assert site_name(tmp_path, operator_env) == "Read From Env"


def test_the_environment_wins_over_the_env_file(tmp_path, operator_env) -> None:
    (tmp_path / ".env").write_text("LINERNOTES_SITE_NAME=From The File\n")
    env = {**operator_env, "LINERNOTES_SITE_NAME": "From The Process Manager"}
    assert site_name(tmp_path, env) == "From The Process Manager"


def test_a_named_env_file_is_read_and_none_reads_nothing(tmp_path, operator_env) -> None:
    (tmp_path / ".env").write_text("LINERNOTES_SITE_NAME=The Default File\n")
    (tmp_path / "production.env").write_text("LINERNOTES_SITE_NAME=The Named File\n")
    named = {**operator_env, "LINERNOTES_ENV_FILE": str(tmp_path / "production.env")}
    assert site_name(tmp_path, named) == "The Named File"
    off = {**operator_env, "LINERNOTES_ENV_FILE": "none"}
    assert site_name(tmp_path, off) == "Liner Notes Engineering"


def test_a_named_env_file_that_is_missing_stops_with_its_name(tmp_path, operator_env) -> None:
    env = {**operator_env, "LINERNOTES_ENV_FILE": str(tmp_path / "missing.env")}
    result = linernotes("check", cwd=tmp_path, env=env)
    assert result.returncode != 0
    assert "missing.env" in result.stderr


def test_gunicorn_s_entry_point_reads_the_env_file_too(tmp_path, operator_env) -> None:
    (tmp_path / ".env").write_text("LINERNOTES_SITE_NAME=Served From Env\n")
    script = f"import linernotes.config.wsgi; {SHOW_SITE_NAME}"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**operator_env, "PYTHONPATH": str(REPOSITORY)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "Served From Env"


def test_version_names_liner_notes_not_django(tmp_path, operator_env) -> None:
    result = linernotes("--version", cwd=tmp_path, env=operator_env)
    assert result.stdout.startswith(f"linernotes {importlib.metadata.version('linernotes')} ")
    assert "Django" in result.stdout


def test_the_demo_refuses_a_busy_port_before_setting_anything_up(tmp_path, operator_env) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        started = time.monotonic()
        result = linernotes("demo", "--port", str(port), cwd=tmp_path, env=operator_env)
        took = time.monotonic() - started
    assert result.returncode != 0
    assert f"127.0.0.1:{port} is not free" in result.stderr
    assert "--port" in result.stderr
    # Nothing was set up: no database was made and migrations never ran.
    assert not (tmp_path / "site.sqlite3").exists(), f"set-up ran for {took:.1f} s"


def _state(pid: int) -> str:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return "gone"
    line = next(line for line in status.splitlines() if line.startswith("State:"))
    return "gone" if line.split()[1] in {"Z", "X"} else "running"


def test_a_worker_whose_parent_died_first_does_not_start(tmp_path, operator_env) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    result = linernotes(
        "worker", f"--exit-with-parent={gone.pid}", cwd=tmp_path, env=operator_env, timeout=60
    )
    assert result.returncode != 0
    assert f"process {gone.pid}, which started this worker, has exited" in result.stderr


def test_the_demo_s_worker_stops_soon_after_its_parent_is_killed(tmp_path, operator_env) -> None:
    setup = linernotes("migrate", "--verbosity=0", cwd=tmp_path, env=operator_env)
    assert setup.returncode == 0, setup.stderr
    # A stand-in for the demo server: starts the worker as the demo does, then dies at once,
    # without the chance to stop it.
    parent_script = (
        "import os, sys\n"
        "from linernotes.newsletter import background\n"
        "manager = background.worker_process(verbosity=0)\n"
        "process = manager.__enter__()\n"
        "print(process.pid, flush=True)\n"
        "import time; time.sleep(3)\n"
        "os._exit(0)\n"
    )
    env = {
        **operator_env,
        "PYTHONPATH": str(REPOSITORY),
        "DJANGO_SETTINGS_MODULE": "linernotes.config.settings",
    }
    parent = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + parent_script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    worker = int(parent.stdout.split()[0])
    try:
        deadline = time.monotonic() + 10
        while _state(worker) == "running" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _state(worker) == "gone"
    finally:
        if _state(worker) == "running":
            os.kill(worker, 9)


def test_build_watch_refuses_a_busy_port_before_building(tmp_path, operator_env) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = linernotes(
            "build",
            str(tmp_path / "out"),
            "--watch",
            "--port",
            str(port),
            cwd=tmp_path,
            env=operator_env,
        )
    assert result.returncode != 0
    assert f"127.0.0.1:{port} is not free" in result.stderr
    assert not (tmp_path / "out").exists()
