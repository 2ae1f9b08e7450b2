"""The four staff roles, as Django groups of permissions.

Contributors write their own drafts and submit them for review; authors also publish their own
posts; editors edit, schedule and publish everyone's, and look after categories, authors, pages
and redirects; administrators may do everything. What "own" means, and what each permission
allows on a post, is content.ownership's rule; a role only bundles the permissions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

CONTRIBUTOR, AUTHOR, EDITOR, ADMINISTRATOR = "Contributor", "Author", "Editor", "Administrator"

_WRITING = [
    "content.view_post",
    "content.add_post",
    "content.change_post",
    *(f"content.{verb}_byline" for verb in ("view", "add", "change", "delete")),
    "content.view_category",
    "content.view_author",
]
_MANAGED_BY_EDITORS = ("post", "byline", "category", "categoryalias", "author", "page", "mediafile")

# Each role: "app_label.codename" of every permission it has; Administrator has all of them.
ROLES: dict[str, list[str]] = {
    CONTRIBUTOR: _WRITING,
    AUTHOR: [*_WRITING, "content.publish_post"],
    EDITOR: [
        *(
            f"content.{verb}_{model}"
            for model in _MANAGED_BY_EDITORS
            for verb in ("view", "add", "change", "delete")
        ),
        "content.publish_post",
        "content.edit_others_posts",
        *(f"seo.{verb}_redirect" for verb in ("view", "add", "change", "delete")),
    ],
    ADMINISTRATOR: [],
}

ROLE_NAMES = list(ROLES)


def role_permissions(permission_model: Any, role: str) -> Any:
    """The Permission rows of ``role`` (a queryset of ``permission_model``)."""
    if role == ADMINISTRATOR:
        return permission_model.objects.all()
    wanted = Q(pk__in=[])
    for name in ROLES[role]:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return permission_model.objects.filter(wanted)


def sync_roles(group_model: Any, permission_model: Any) -> None:
    """Create the role groups and give each exactly its permissions.

    Takes the models as arguments so that migrations can pass their historical ones.
    """
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set(role_permissions(permission_model, role))


def grant_administrators_everything(group_model: Any, permission_model: Any) -> None:
    """Administrators have every permission, including those of models added later."""
    group = group_model.objects.filter(name=ADMINISTRATOR).first()
    if group is not None:
        group.permissions.set(permission_model.objects.all())
