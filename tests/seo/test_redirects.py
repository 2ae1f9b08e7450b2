from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client

from linernotes.content.models import Post, Status
from linernotes.content.services import publish_post, rerender_all
from linernotes.seo.models import Match, Redirect, RedirectStatus
from linernotes.seo.redirects import resolve
from tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


def rule(old_path: str, new_path: str = "", **fields: Any) -> Redirect:
    return Redirect.objects.create(old_path=old_path, new_path=new_path, **fields)


def follow(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get("Location", "")


@pytest.fixture
def post() -> Post:
    return PostFactory.create(slug="first-slug", published_at=datetime(2024, 5, 10, tzinfo=UTC))


def test_changing_the_slug_keeps_the_old_address(client: Client, post: Post) -> None:
    post.slug = "second-slug"
    post.save()
    assert follow(client, "/2024/05/first-slug/") == (301, "/2024/05/second-slug/")
    assert client.get("/2024/05/second-slug/").status_code == 200
    created = Redirect.objects.get()
    assert (created.automatic, created.status, created.match) == (True, 301, Match.EXACT)


def test_changing_the_date_keeps_the_old_address(client: Client, post: Post) -> None:
    post.slug = "moved"
    post.published_at = datetime(2023, 1, 2, tzinfo=UTC)
    post.save()
    assert follow(client, "/2024/05/first-slug/") == (301, "/2023/01/moved/")
    # The post view itself still corrects a wrong month for the current slug.
    assert follow(client, "/2024/05/moved/") == (301, "/2023/01/moved/")


def test_the_query_string_survives_the_redirect(client: Client, post: Post) -> None:
    post.slug = "second-slug"
    post.save()
    response = client.get("/2024/05/first-slug/?utm_source=feed")
    assert response["Location"] == "/2024/05/second-slug/?utm_source=feed"


def test_chains_collapse(client: Client, post: Post) -> None:
    for slug in ("b", "c", "d"):
        post.slug = slug
        post.save()
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/2024/05/first-slug/": "/2024/05/d/",
        "/2024/05/b/": "/2024/05/d/",
        "/2024/05/c/": "/2024/05/d/",
    }
    assert follow(client, "/2024/05/first-slug/") == (301, "/2024/05/d/")


def test_moving_back_never_creates_a_self_redirect(client: Client, post: Post) -> None:
    post.slug = "second-slug"
    post.save()
    post.slug = "first-slug"
    post.save()
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/2024/05/second-slug/": "/2024/05/first-slug/"
    }
    assert client.get("/2024/05/first-slug/").status_code == 200


def test_saves_that_keep_the_address_create_nothing(post: Post) -> None:
    post.title = "A better title"
    post.save()
    rerender_all()
    assert not Redirect.objects.exists()


def test_drafts_and_scheduled_posts_get_no_redirects() -> None:
    draft = PostFactory.create(status=Status.DRAFT, published_at=None, slug="draft")
    draft.slug = "draft-2"
    draft.save()
    scheduled = PostFactory.create(slug="later", published_at=datetime(2999, 1, 1, tzinfo=UTC))
    scheduled.slug = "later-2"
    scheduled.save()
    assert not Redirect.objects.exists()


def test_publishing_with_a_new_slug_redirects(client: Client, post: Post) -> None:
    post.slug = "republished"
    publish_post(post=post, at=post.published_at)
    assert follow(client, "/2024/05/first-slug/") == (301, "/2024/05/republished/")


def test_renamed_category_keeps_its_old_address(client: Client) -> None:
    category = CategoryFactory.create(name="Machine Learning", slug="maching-learning")
    PostFactory.create_batch(2, categories=[category])
    category.slug = "machine-learning"
    category.save()
    assert follow(client, "/category/maching-learning/") == (301, "/category/machine-learning/")
    assert client.get("/category/machine-learning/").status_code == 200


def test_manual_exact_rules(client: Client) -> None:
    rule("/old-about/", "/about/")
    rule("/promo/", "https://example.org/launch", status=RedirectStatus.FOUND)
    rule("/retired/", status=RedirectStatus.GONE)
    assert follow(client, "/old-about/") == (301, "/about/")
    assert follow(client, "/promo/") == (302, "https://example.org/launch")
    gone = client.get("/retired/")
    assert gone.status_code == 410
    # The friendly not-found page is kept as the body of the 410.
    assert "We couldn’t find that page" in gone.content.decode()


def test_rules_never_shadow_live_pages(client: Client, post: Post) -> None:
    rule("/2024/05/first-slug/", "/elsewhere/")
    assert client.get("/2024/05/first-slug/").status_code == 200


def test_only_safe_methods_are_redirected(client: Client) -> None:
    rule("/a/b/c/", "/new/")
    assert client.post("/a/b/c/").status_code == 404
    assert follow(client, "/a/b/c/") == (301, "/new/")


def test_regex_rules_in_order_with_groups(client: Client) -> None:
    rule(r"^/blog/(\d{4})/(\d{2})/([\w-]+)/$", "/$1/$2/$3/", match=Match.REGEX, position=2)
    rule(r"^/blog/2019/.*$", "/archive/", match=Match.REGEX, position=1)
    rule(r"^/tag/([^/]+)/$", r"/category/\1/", match=Match.REGEX, position=3)
    rule("/blog/2020/01/exact/", "/exact-wins/")
    assert follow(client, "/blog/2021/03/hello/") == (301, "/2021/03/hello/")
    assert follow(client, "/blog/2019/01/old/") == (301, "/archive/")
    assert follow(client, "/tag/web/") == (301, "/category/web/")
    assert follow(client, "/blog/2020/01/exact/") == (301, "/exact-wins/")
    assert client.get("/blog/2021/03/").status_code == 404


def test_regex_rule_pointing_at_itself_is_ignored(client: Client) -> None:
    rule(r"^/loop/(.*)$", "/loop/$1", match=Match.REGEX)
    assert client.get("/loop/x").status_code == 404


def test_compiled_rules_follow_saves_and_deletes(client: Client) -> None:
    assert client.get("/legacy/x/").status_code == 404
    created = rule(r"^/legacy/(.*)$", "/new/$1", match=Match.REGEX)
    assert follow(client, "/legacy/x/") == (301, "/new/x/")
    created.new_path = "/newer/$1"
    created.save()
    assert follow(client, "/legacy/x/") == (301, "/newer/x/")
    created.delete()
    assert client.get("/legacy/x/").status_code == 404


def test_hits_are_counted(client: Client) -> None:
    counted = rule("/old/", "/new/")
    for _ in range(3):
        client.get("/old/")
    counted.refresh_from_db()
    assert counted.hits == 3


def test_invalid_rules_are_refused_on_save() -> None:
    with pytest.raises(ValidationError, match="Back-references"):
        rule(r"^/(a+)\1$", "/x/", match=Match.REGEX)
    with pytest.raises(ValidationError, match="Lookahead"):
        rule(r"^/(?!keep/)(.*)$", "/x/$1", match=Match.REGEX)
    with pytest.raises(ValidationError):
        rule("/same/", "/same/")
    assert not Redirect.objects.exists()


def test_admin_lists_and_validates_rules(client: Client) -> None:
    admin = User.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(admin)
    rule("/old/", "/new/")
    listing = client.get("/admin/seo/redirect/")
    assert listing.status_code == 200
    assert "/old/" in listing.content.decode()
    response = client.post(
        "/admin/seo/redirect/add/",
        {
            "old_path": r"^/(?P<x>a)(?P=x)$",
            "new_path": "/x/",
            "match": "regex",
            "status": 301,
            "position": 0,
        },
    )
    assert response.status_code == 200
    assert "Back-references" in response.content.decode()
    response = client.post(
        "/admin/seo/redirect/add/",
        {
            "old_path": r"^/docs/(.*)$",
            "new_path": "/help/$1",
            "match": "regex",
            "status": 302,
            "position": 0,
        },
    )
    assert response.status_code == 302
    client.logout()
    assert follow(client, "/docs/start/") == (302, "/help/start/")


def test_a_path_with_a_nul_byte_stays_a_404(client: Client) -> None:
    rule(r"^/old/(.*)$", "/new/$1", match=Match.REGEX)
    assert client.get("/old/a%00b").status_code == 404


def test_patterns_that_would_backtrack_in_pythons_engine_answer(client: Client) -> None:
    rule(r"^/docs/((?:[\w-]+/)+)$", "/help/$1", match=Match.REGEX, position=1)
    rule(r"^/(.*)/(.*)/(.*)/(.*)/$", "/$4/$3/$2/$1/", match=Match.REGEX, position=2)
    assert follow(client, "/docs/getting-started/install/") == (
        301,
        "/help/getting-started/install/",
    )
    assert follow(client, "/a/b/c/d/") == (301, "/d/c/b/a/")
    assert client.get("/docs/" + "a-" * 400).status_code == 404


def test_regex_rules_answer_long_paths(client: Client) -> None:
    rule(r"^/old/(.*)$", "/new/$1", match=Match.REGEX)
    slug = "-".join(["word"] * 180)
    assert follow(client, f"/old/{slug}/") == (301, f"/new/{slug}/")


def test_a_404_no_rule_answers_reads_one_row_and_writes_nothing(
    django_assert_num_queries: Any,
) -> None:
    rule("/old/", "/new/")
    rule(r"^/legacy/(.*)$", "/new/$1", match=Match.REGEX)
    assert resolve("/warm/up/") is None
    with django_assert_num_queries(1) as captured:
        assert resolve("/missing/") is None
    assert captured.captured_queries[0]["sql"].lstrip().upper().startswith("SELECT")


def test_wordpress_by_id_addresses_may_be_rules_but_no_other_query() -> None:
    from linernotes.seo.patterns import check_redirect_rule

    check_redirect_rule(old_path="/?p=12", new_path="/about/", is_regex=False, is_gone=False)
    for refused in ("/?s=x", "/?p=12&utm=1", "/about/#top"):
        with pytest.raises(ValidationError):
            check_redirect_rule(old_path=refused, new_path="/", is_regex=False, is_gone=False)
