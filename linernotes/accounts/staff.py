"""Staff accounts: creating one with its role and author, and changing a role."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.text import slugify

from linernotes.accounts.roles import ROLE_NAMES
from linernotes.content.models import Author


def role_of(user: User) -> str:
    """The user's role, the highest if several; superusers are administrators."""
    if user.is_superuser:
        return "Administrator"
    names = set(user.groups.values_list("name", flat=True))
    held = [role for role in ROLE_NAMES if role in names]
    return held[-1] if held else ""


def match_role(name: str) -> str:
    """The role called ``name`` in any case; ValueError names the roles there are."""
    for role in ROLE_NAMES:
        if role.lower() == name.strip().lower():
            return role
    raise ValueError(f"There is no role {name!r}; the roles are {', '.join(ROLE_NAMES)}.")


@transaction.atomic
def set_role(user: User, role: str) -> None:
    """Give ``user`` exactly this role (and staff status, which the admin needs)."""
    role = match_role(role)
    user.groups.remove(*Group.objects.filter(name__in=ROLE_NAMES))
    user.groups.add(Group.objects.get(name=role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def add_staff_user(
    *,
    username: str,
    email: str,
    role: str,
    password: str | None,
    name: str = "",
    author_slug: str = "",
) -> tuple[User, Author]:
    """A staff account with ``role``, credited through an Author (an existing one, by slug,
    or a new one called ``name``). ``password`` None leaves the account without one until it
    is set. ValueError explains what is wrong; nothing is created then."""
    role = match_role(role)
    if User.objects.filter(username=username).exists():
        raise ValueError(f"There is already a user called {username!r}.")
    user = User(username=username, email=email, is_staff=True, first_name=name)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.save()
    set_role(user, role)
    if author_slug:
        author = Author.objects.filter(slug=author_slug).first()
        if author is None:
            raise ValueError(f"There is no author with the slug {author_slug!r}.")
        if author.user_id not in (None, user.pk):
            raise ValueError(f"The author {author_slug!r} belongs to another account.")
    else:
        slug = slugify(name or username) or slugify(username)
        if Author.objects.filter(slug=slug).exists():
            raise ValueError(f"An author {slug!r} exists: link it with --author {slug}.")
        author = Author(name=name or username, slug=slug)
    author.user = user
    author.save()
    return user, author
