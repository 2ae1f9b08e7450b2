"""The content model: posts with co-authors and categories, authors, static pages.

``Post.objects.published()`` is the one definition of what readers may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from linernotes.content.addresses import path_to, post_path
from linernotes.content.choices import DATED_STATUSES, NOINDEX_HELP, Status
from linernotes.content.markdown import RenderedMarkdown, render_markdown
from linernotes.content.media import PixelLimitedImageField, media_image_size
from linernotes.content.text import clean_title, prose_excerpt
from linernotes.content.validators import validate_body_size

# The first migration names the page slug's validator by this module.
from linernotes.content.validators import validate_page_slug as validate_page_slug

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB.")


class CategoryQuerySet(models.QuerySet["Category"]):
    def in_use(self) -> CategoryQuerySet:
        """Categories with at least one post readers may see: the ones the site offers (the
        filter, the sidebar, newsletter topics, sitemaps). An empty one is not a dead end."""
        return self.filter(
            models.Exists(Post.objects.published().filter(categories=models.OuterRef("pk")))
        )


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(
        default=0,
        help_text="Lower numbers come first in the category filter and category lists; "
        "equal numbers sort by name.",
    )
    colour = models.CharField(
        max_length=7,
        default="#3b5bdb",
        validators=[hex_colour],
        help_text="Used for placeholder images of posts whose primary category this is.",
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = clean_title(self.name)
        previous = Category.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        # A renamed category keeps answering at its old address through an alias.
        if previous and previous != self.slug:
            CategoryAlias.objects.update_or_create(slug=previous, defaults={"category": self})
            CategoryAlias.objects.filter(slug=self.slug).delete()

    def get_absolute_url(self) -> str:
        return path_to("site:category", self.slug)

    def clean(self) -> None:
        if CategoryAlias.objects.filter(slug=self.slug).exclude(category_id=self.pk).exists():
            raise ValidationError({"slug": "Another category already answers at this slug."})


class CategoryAlias(models.Model):
    """An old slug of a category; requests to it redirect permanently to the category."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="aliases")
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        verbose_name_plural = "category aliases"

    def __str__(self) -> str:
        return f"{self.slug} → {self.category.slug}"

    def clean(self) -> None:
        if Category.objects.filter(slug=self.slug).exists():
            raise ValidationError({"slug": "A category already uses this slug."})


class Author(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    role = models.CharField(max_length=150, blank=True, help_text='e.g. "Senior Data Scientist".')
    bio = models.TextField(blank=True)
    avatar = PixelLimitedImageField(upload_to="avatars/", blank=True)
    website = models.URLField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        limit_choices_to={"is_staff": True},
        help_text="The staff account of this author; leave empty for guest authors.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = clean_title(self.name)
        self.role = clean_title(self.role)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return path_to("site:author", self.slug)


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> PostQuerySet:
        """Posts readers may see: published, with a publication time that has come."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def published_up_to(self, moment: datetime) -> PostQuerySet:
        """Posts readers may see that were published at ``moment`` or earlier.

        published() with its bound moved back to ``moment``, in one condition: given two upper
        bounds on the publication time, SQLite walks the index from the first one only.
        """
        return self.filter(status=Status.PUBLISHED, published_at__lte=min(moment, timezone.now()))

    def for_listing(self) -> PostQuerySet:
        """Everything a card shows, in a fixed number of queries however many cards there are."""
        return self.select_related("primary_category").prefetch_related(
            models.Prefetch("categories", queryset=Category.objects.order_by("name")),
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        )

    def for_links(self) -> PostQuerySet:
        """Only what a link to a post needs: its title and the parts of its address."""
        return self.only("title", "slug", "published_at", "created_at")


class Post(models.Model):
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=250, unique=True)
    summary = models.TextField(
        blank=True, help_text="Shown in full on cards. Leave empty for an automatic excerpt."
    )
    body = models.TextField(blank=True, help_text="Markdown.", validators=[validate_body_size])
    body_html = models.TextField(editable=False, default="")
    # The words of body_html, one line per block, as the renderer extracted them: search and
    # excerpts read this rather than parsing the HTML again.
    body_text = models.TextField(editable=False, default="")
    auto_excerpt = models.TextField(editable=False, default="")
    word_count = models.PositiveIntegerField(editable=False, default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    featured = models.BooleanField(
        default=False, help_text="The newest featured post leads the home page."
    )
    hero_image = PixelLimitedImageField(
        upload_to="heroes/%Y/%m/",
        blank=True,
        width_field="hero_image_width",
        height_field="hero_image_height",
    )
    hero_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_image_alt = models.CharField(
        max_length=300, blank=True, help_text="Describe the image for readers who cannot see it."
    )
    external_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="Makes this a link post: the card and page point readers to this article.",
    )
    categories = models.ManyToManyField(Category, related_name="posts", blank=True)
    primary_category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="primary_posts"
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="posts")
    noindex = models.BooleanField("hide from search engines", default=False, help_text=NOINDEX_HELP)
    meta_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The title search engines show. Leave empty for the post's title.",
    )
    meta_description = models.CharField(
        max_length=320,
        blank=True,
        help_text="What search engines and social cards show. Empty: the excerpt.",
    )
    canonical_url = models.URLField(
        "canonical URL",
        max_length=500,
        blank=True,
        help_text="Only when the post was first published elsewhere: that address.",
    )
    social_image = PixelLimitedImageField(
        upload_to="social/%Y/%m/",
        blank=True,
        help_text="The picture of social cards, best at 1200×630. Empty: the hero image.",
    )
    social_image_alt = models.CharField(max_length=300, blank=True)
    # Raised by every save: a form holding an older number was opened before someone else's
    # save, and is refused rather than allowed to overwrite it.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Part of every share link of the post's preview: a new key revokes the links given out.
    preview_key = models.CharField(max_length=32, blank=True, default="", editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("publish_post", "Can publish and schedule own posts"),
            ("edit_others_posts", "Can edit, schedule and publish everyone's posts"),
        ]
        indexes = [
            # Every listing: published posts, newest first, ties broken by id. It also covers
            # the look-ups by publication time alone, so that column has no index of its own
            # (SQLite would pick it and check each post's status).
            models.Index(fields=["status", "-published_at", "-id"], name="post_listing_idx"),
            # The home page's lead: the newest featured post, among the few that are featured.
            models.Index(
                fields=["status", "-published_at", "-id"],
                condition=Q(featured=True),
                name="post_featured_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hero_image="") | ~Q(hero_image_alt=""), name="post_hero_image_has_alt"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DATED_STATUSES) | Q(published_at__isnull=False),
                name="post_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalise()
        self.render()
        if self.pk is not None and "update_fields" not in kwargs:
            self.version += 1  # every whole save is a new version (see admin_locking.py)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # A card links to its post several times; the address changes only with these fields.
        key = (self.slug, self.published_at, self.created_at)
        known = self.__dict__.get("_address")
        if known is None or known[0] != key:
            known = (key, post_path(*key))
            self.__dict__["_address"] = known
        return known[1]

    @property
    def excerpt(self) -> str:
        """The one excerpt rule for every listing: the summary, else the automatic cut."""
        return self.summary or self.auto_excerpt

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / settings.LINERNOTES_WORDS_PER_MINUTE))

    @property
    def is_link_post(self) -> bool:
        return bool(self.external_url)

    @cached_property
    def chips(self) -> list[Category]:
        """Categories for display: the primary one first, the rest alphabetically."""
        return self.chips_in_order(self.categories.all())

    def chips_in_order(self, categories: Iterable[Category]) -> list[Category]:
        return sorted(categories, key=lambda c: (c.pk != self.primary_category_id, c.name))

    @cached_property
    def credits(self) -> list[Byline]:
        """The byline, in order: every author credited, each with their role on this post."""
        return list(self.bylines.all())

    def clean(self) -> None:
        if self.hero_image and not self.hero_image_alt.strip():
            raise ValidationError({"hero_image_alt": "A hero image needs alt text."})
        if "![" in self.hero_image_alt or "](" in self.hero_image_alt:
            raise ValidationError(
                {"hero_image_alt": "Alt text is plain text: remove the Markdown image syntax."}
            )
        if self.status in DATED_STATUSES and self.published_at is None:
            self.published_at = timezone.now().replace(microsecond=0)

    def normalise(self) -> None:
        """Tidy what a writer typed, as every save does (bulk imports call it themselves)."""
        self.title = clean_title(self.title)
        self.hero_image_alt = clean_title(self.hero_image_alt)
        self.summary = self.summary.strip()
        if self.published_at is not None:
            # Pages and feeds state times to the second: HTML's datetime attribute allows at
            # most three fractional digits, and no reader needs more.
            self.published_at = self.published_at.replace(microsecond=0)

    def render(self) -> None:
        """Render the Markdown body once, on write; readers are served the stored result."""
        self.apply_rendering(render_markdown(self.body, image_size=media_image_size))

    def apply_rendering(self, rendered: RenderedMarkdown) -> None:
        """Store a rendering of the body (made here by ``render``, or elsewhere in bulk)."""
        self.body_html = rendered.html
        self.body_text = rendered.text
        self.word_count = rendered.word_count
        self.auto_excerpt = prose_excerpt(rendered.html, settings.LINERNOTES_EXCERPT_LENGTH)


class Byline(models.Model):
    """One author's credit on a post, in order, with the role they had for that post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(
        max_length=150, blank=True, help_text="Overrides the author's usual role for this post."
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "author"], name="byline_author_once_per_post")
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.post}"

    @property
    def display_role(self) -> str:
        return self.role or self.author.role


from linernotes.content.media_models import MediaFile as MediaFile  # noqa: E402
from linernotes.content.page_models import Page as Page  # noqa: E402
from linernotes.content.revision_models import Revision as Revision  # noqa: E402
