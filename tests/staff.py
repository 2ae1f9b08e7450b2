"""Staff accounts with exactly the permissions a test names, as the roles would grant them."""

from __future__ import annotations

from django.contrib.auth.models import Permission, User

from linernotes.content.models import Author

# The post permissions of the roles (linernotes.accounts.roles), by what they allow.
VIEWER = ("view_post",)
WRITER = ("view_post", "add_post", "change_post")
EDITOR = ("view_post", "add_post", "change_post", "publish_post", "edit_others_posts")


def staff_user(username: str, codenames: tuple[str, ...], *, author: Author | None = None) -> User:
    """A staff user with these content permissions; ``author`` becomes their author."""
    user = User.objects.create_user(
        username, f"{username}@example.com", "a-long-test-password", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="content", codename__in=codenames)
    )
    if author is not None:
        author.user = user
        author.save()
    return user
