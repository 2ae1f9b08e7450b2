"""``linernotes users``: staff accounts and their roles (Contributor, Author, Editor,
Administrator)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from linernotes.accounts.roles import ROLE_NAMES
from linernotes.accounts.staff import add_staff_user, role_of, set_role
from linernotes.content.models import Author

ROLES_HELP = f"one of {', '.join(ROLE_NAMES)} (any case)"


class Command(BaseCommand):
    help = "Add staff accounts, change their roles, or list them."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="Create a staff account with a role and an author.")
        add.add_argument("username")
        add.add_argument("--email", required=True)
        add.add_argument("--role", required=True, help=ROLES_HELP)
        add.add_argument("--name", default="", help="Full name, for a new author (the username).")
        add.add_argument("--author", default="", help="Link this existing author (a slug).")
        add.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )
        add.add_argument(
            "--no-password", action="store_true", help="Create it without a password for now."
        )
        role = actions.add_parser("role", help="Give a user another role.")
        role.add_argument("username")
        role.add_argument("role", help=ROLES_HELP)
        actions.add_parser("list", help="Staff accounts with their roles and authors.")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(**options)

    def handle_add(self, **options: Any) -> None:
        password = self._password(options["password_stdin"], options["no_password"])
        try:
            user, author = add_staff_user(
                username=options["username"],
                email=options["email"],
                role=options["role"],
                password=password,
                name=options["name"],
                author_slug=options["author"],
            )
        except ValidationError as problem:
            raise CommandError(" ".join(problem.messages)) from problem
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"Added {user.username} ({role_of(user)}), writing as {author.name}.")
        if password is None:
            self.stdout.write(f"Set a password with: linernotes changepassword {user.username}")

    def handle_role(self, *, username: str, role: str, **_: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username!r}.")
        try:
            set_role(user, role)
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        self.stdout.write(f"{username} is now {role_of(user)}.")

    def handle_list(self, **_: Any) -> None:
        users = User.objects.filter(is_staff=True).order_by("username")
        if not users:
            self.stdout.write("There are no staff accounts yet (add one with 'users add').")
            return
        authors = dict(Author.objects.filter(user__in=users).values_list("user_id", "name"))
        for user in users:
            state = "" if user.is_active else " (inactive)"
            self.stdout.write(
                f"{user.username}\t{role_of(user) or 'no role'}\t{user.email}\t"
                f"{authors.get(user.pk, 'no author')}{state}"
            )

    def _password(self, from_stdin: bool, none: bool) -> str | None:
        if none:
            return None
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError("Give --password-stdin or --no-password when not on a terminal.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return first
