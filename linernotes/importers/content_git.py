"""Committing an admin save's file to the git work tree the content folder is in.

git runs as a subprocess with explicit arguments (no shell) and a timeout. The editor is the
commit's author; the committer is the site itself, set through the environment, so a commit
works on a server with no git configuration at all. Only the files named are committed:
whatever else is staged or changed in the work tree is left as it is.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 30
COMMITTER = ("Liner Notes", "linernotes@localhost")


def _git(root: Path, *arguments: str, env: dict[str, str] | None = None) -> str:
    """git's output; raises CalledProcessError, TimeoutExpired or OSError (no git)."""
    done = subprocess.run(
        ["git", "-C", str(root), *arguments],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=True,
        env=env,
    )
    return done.stdout


def is_work_tree(root: Path) -> bool:
    try:
        return _git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except (subprocess.SubprocessError, OSError):
        return False


def author_of(user: Any) -> str:
    """ "Full Name <email>", else the username and a local address."""
    username = str(getattr(user, "get_username", lambda: "")() or "linernotes")
    name = (getattr(user, "get_full_name", lambda: "")() or "").strip() or username
    email = (getattr(user, "email", "") or "").strip() or f"{username}@localhost"
    # Angle brackets and newlines would end the identity early or break the header.
    clean = [" ".join(value.replace("<", "").replace(">", "").split()) for value in (name, email)]
    return f"{clean[0]} <{clean[1]}>"


def commit_files(root: Path, paths: Sequence[str], message: str, user: Any) -> str:
    """Commit ``paths`` (inside ``root``; a removed one records its removal) with ``user`` as
    the author. Returns "" on success, else what went wrong."""
    env = {
        **os.environ,
        "GIT_COMMITTER_NAME": COMMITTER[0],
        "GIT_COMMITTER_EMAIL": COMMITTER[1],
        "GIT_TERMINAL_PROMPT": "0",
    }
    try:
        # A removed file git never tracked has nothing to record.
        tracked = [path for path in paths if (root / path).exists() or _tracked(root, path)]
        if not tracked:
            return ""
        _git(root, "add", "--all", "--", *tracked, env=env)
        if not _git(root, "diff", "--cached", "--name-only", "--", *tracked, env=env).strip():
            return ""  # the commit would be empty: the file was already as written
        _git(
            root,
            "commit", "--quiet", "--no-edit", f"--author={author_of(user)}",
            f"--message={message}", "--", *tracked,
            env=env,
        )  # fmt: skip
    except subprocess.CalledProcessError as failure:
        return (failure.stderr or failure.stdout or str(failure)).strip()
    except subprocess.TimeoutExpired:
        return f"git took longer than {TIMEOUT_SECONDS} seconds"
    except OSError as problem:
        return f"git could not be run: {problem}"
    return ""


def _tracked(root: Path, path: str) -> bool:
    return bool(_git(root, "ls-files", "--", path).strip())
