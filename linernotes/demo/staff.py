"""The demo's staff: one account of each writing role, each credited on demo posts, and a
draft waiting for review so the editor has something to do."""

from __future__ import annotations

from django.contrib.auth.models import User

from linernotes.accounts.roles import AUTHOR, CONTRIBUTOR, EDITOR
from linernotes.accounts.staff import add_staff_user, set_role
from linernotes.content import services
from linernotes.content.models import Author, Post, Status

# username, role, the demo author they write as
DEMO_STAFF = [
    ("editor", EDITOR, "ada-okafor"),
    ("author", AUTHOR, "tomas-reyes"),
    ("contributor", CONTRIBUTOR, "lin-park"),
]
REVIEW_DRAFT_SLUG = "what-we-learned-from-a-year-of-on-call"
REVIEW_DRAFT_BODY = """\
Our first year of running the blog platform ourselves came with a pager. This draft collects
what the rota taught us, and it is waiting for an editor.

## What paged us

- Feeds that took too long to build during a traffic spike.
- A full disk on the worker host, the week the newsletter grew.

```python
def should_page(error_rate: float, threshold: float = 0.02) -> bool:
    return error_rate > threshold
```
"""


def ensure_demo_staff(password: str) -> list[tuple[str, str, str]]:
    """Create the accounts once (safe to run again); returns (username, role, author name)."""
    created = []
    for username, role, author_slug in DEMO_STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user, _ = add_staff_user(
                username=username,
                email=f"{username}@example.com",
                role=role,
                password=password,
                author_slug=author_slug,
            )
        else:
            set_role(user, role)
        author = Author.objects.get(slug=author_slug)
        created.append((username, role, author.name))
    _ensure_review_draft(Author.objects.get(slug="lin-park"))
    return created


def _ensure_review_draft(author: Author) -> None:
    if Post.objects.filter(slug=REVIEW_DRAFT_SLUG).exists():
        return
    post = Post(
        title="What we learned from a year of on-call",
        slug=REVIEW_DRAFT_SLUG,
        body=REVIEW_DRAFT_BODY,
        status=Status.REVIEW,
    )
    post.save()
    services.set_post_bylines(post=post, credits=[services.Credit(author=author)])
