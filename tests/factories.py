"""factory_boy factories for the content model; published posts by default."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from linernotes.content.models import Author, Byline, Category, Page, Post, Status


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    description = factory.LazyAttribute(lambda o: f"Posts about {o.name.lower()}.")


class AuthorFactory(factory.django.DjangoModelFactory[Author]):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    role = "Software Engineer"


class PostFactory(factory.django.DjangoModelFactory[Post]):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Post number {n}")
    slug = factory.Sequence(lambda n: f"post-number-{n}")
    body = (
        "An opening paragraph with enough words to make an excerpt.\n\n## A heading\n\nMore text."
    )
    status = Status.PUBLISHED
    # Later posts are newer, an hour apart, and stay in the past for the longest test run.
    published_at = factory.Sequence(lambda n: timezone.now() - timedelta(hours=24_000 - n))

    @factory.post_generation
    def categories(
        post: Post, create: bool, extracted: list[Category] | None, **kwargs: Any
    ) -> None:
        if create and extracted:
            post.categories.set(extracted)
            post.primary_category = extracted[0]
            Post.objects.filter(pk=post.pk).update(primary_category=extracted[0])

    @factory.post_generation
    def authors(post: Post, create: bool, extracted: list[Author] | None, **kwargs: Any) -> None:
        if create and extracted:
            for position, author in enumerate(extracted):
                Byline.objects.create(post=post, author=author, position=position)


class PageFactory(factory.django.DjangoModelFactory[Page]):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = "Some words about us."
    status = Status.PUBLISHED
