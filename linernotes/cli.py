"""The ``linernotes`` command: Django's management commands under the project's settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import linernotes
from linernotes.config.environment import load_env_file
from linernotes.export.paths import CONTENT_CACHE

# The commands people need day to day, shown first by ``linernotes --help``.
EVERYDAY_COMMANDS = {
    "demo": "set up and serve the demo site (--no-serve, --port N)",
    "migrate": "create or update the database tables",
    "createsuperuser": "create an account for the admin at /admin/",
    "rerender": "render every post again after a Markdown pipeline change (--dry-run)",
    "posts": "list posts with their status: draft, in review, scheduled, published (--status)",
    "users": "staff accounts and their roles: add, role, list",
    "revisions": "list the revisions of a post or page (list SLUG); the admin restores them",
    "media": "the media library: list uploads, or make image renditions (renditions --dry-run)",
    "serve": "serve the site with gunicorn for production (--bind, --workers)",
    "runserver": "development server with auto-reload",
    "collectstatic": "gather theme files into STATIC_ROOT for production",
    "worker": "run background work: newsletter emails, digests, queued tasks (--batch)",
    "newsletter": "send a post (send --post SLUG), status, digest, import/export CSV, test",
    "search": "rebuild the search index (rebuild [--dry-run]) or show its status",
    "redirects": "list, add, remove (--dry-run), test or check redirect rules for old addresses",
    "import": "bring in a blog: wordpress FILE.xml, ghost FILE.json, markdown DIR (--dry-run)",
    "export": "write the site out: markdown DIR (files import reads back), json FILE",
    "build": "the site as static files: build OUTDIR (--content DIR, --base-url, --watch)",
    "content": "sync the content folder with the database (sync [--dir DIR] [--dry-run])",
    "logins": "list sign-in lockouts, or unlock (--username, --ip, --all) after failed passwords",
    "backup": "the database and media folder in one .tar.gz archive (--output FILE)",
    "restore": "a backup archive into an empty instance: restore FILE (--force to replace)",
}


def version_line() -> str:
    import platform

    import django

    return (
        f"linernotes {linernotes.__version__} "
        f"(Django {django.get_version()}, Python {platform.python_version()})"
    )


def overview() -> str:
    width = max(map(len, EVERYDAY_COMMANDS))
    lines = [
        "usage: linernotes <command> [options]",
        "",
        "Liner Notes: an engineering-blog platform.",
        "",
        "Commands:",
        *(f"  {name.ljust(width)}  {text}" for name, text in EVERYDAY_COMMANDS.items()),
        "",
        "'linernotes --version' names this release;",
        "'linernotes <command> --help' describes a command and its options;",
        "'linernotes help --commands' lists every command, including Django's own.",
        "Settings come from environment variables and a .env file; see docs/configuration.md.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args in (["-h"], ["--help"], ["help"]):
        print(overview())
        return
    if args == ["--version"]:
        print(version_line())
        return
    try:
        load_env_file()
    except FileNotFoundError as error:
        sys.exit(f"linernotes: {error}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linernotes.config.settings")
    if args[0] in {"demo", "runserver"}:
        # The development server prints a line per request of its own.
        os.environ.setdefault("LINERNOTES_LOG_REQUESTS", "false")
    if args[0] == "demo":
        _point_site_url_at_demo(args[1:])
    if args[0] == "build":
        _use_content_database(args[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["linernotes", *args])


def _point_site_url_at_demo(options: list[str]) -> None:
    """Absolute links of the demo follow its --host and --port unless the site URL is set.

    Settings are read once, before the command parses its options, so this happens here.
    """
    if os.environ.get("LINERNOTES_SITE_URL"):
        return
    values = {"--host": "127.0.0.1", "--port": "8000"}
    for index, option in enumerate(options):
        name, _, inline = option.partition("=")
        if name in values:
            following = options[index + 1] if index + 1 < len(options) else ""
            values[name] = inline or following
    os.environ["LINERNOTES_SITE_URL"] = f"http://{values['--host']}:{values['--port']}"


def _use_content_database(options: list[str]) -> None:
    """``build --content DIR`` works on a database of its own, kept in DIR/.linernotes/ so the
    next build only reads the files that changed; settings are read before the command parses
    its options, so this happens here."""
    for index, option in enumerate(options):
        name, _, inline = option.partition("=")
        if name == "--content":
            folder = inline or (options[index + 1] if index + 1 < len(options) else "")
            break
    else:
        return
    if not folder:
        return
    cache = Path(folder).resolve() / CONTENT_CACHE
    cache.mkdir(parents=True, exist_ok=True)
    # The cache ignores itself, so a content folder in git never commits it.
    (cache / ".gitignore").write_text("*\n", encoding="utf-8")
    os.environ["LINERNOTES_VAR_DIR"] = str(cache)
    os.environ["DATABASE_URL"] = f"sqlite:///{cache / 'content.sqlite3'}"
    os.environ["LINERNOTES_MEDIA_ROOT"] = str(cache / "media")
    os.environ.pop("LINERNOTES_CONTENT_DIR", None)


if __name__ == "__main__":
    main()
