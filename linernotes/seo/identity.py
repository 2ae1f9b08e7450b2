"""The images the site shows to other sites: its logo, its default preview, each post's preview."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from linernotes.content.addresses import absolute_url, path_to
from linernotes.content.media import media_image_size
from linernotes.content.models import Post
from linernotes.content.pictures import closest_rendition, social_card
from linernotes.seo.images import LOGO_SIZE, SOCIAL_HEIGHT, SOCIAL_WIDTH


@dataclass(frozen=True)
class SocialImage:
    url: str
    width: int
    height: int
    alt: str


def site_logo() -> SocialImage:
    alt = f"{settings.LINERNOTES_ORGANIZATION_NAME} logo"
    if settings.LINERNOTES_LOGO_URL:
        return SocialImage(
            absolute_url(settings.LINERNOTES_LOGO_URL),
            settings.LINERNOTES_LOGO_WIDTH,
            settings.LINERNOTES_LOGO_HEIGHT,
            alt,
        )
    return SocialImage(absolute_url(path_to("seo:logo")), LOGO_SIZE, LOGO_SIZE, alt)


def default_image() -> SocialImage:
    """For pages with no post to borrow an image from (static pages, empty archives)."""
    alt = settings.LINERNOTES_SITE_NAME
    if settings.LINERNOTES_SOCIAL_IMAGE_URL:
        return SocialImage(
            absolute_url(settings.LINERNOTES_SOCIAL_IMAGE_URL),
            settings.LINERNOTES_SOCIAL_IMAGE_WIDTH,
            settings.LINERNOTES_SOCIAL_IMAGE_HEIGHT,
            alt,
        )
    return SocialImage(absolute_url(path_to("seo:site-image")), SOCIAL_WIDTH, SOCIAL_HEIGHT, alt)


def post_image(post: Post) -> SocialImage:
    """The 1200x630 crop of the social image, else of the hero image; until the crops are
    made, the original images; else a PNG of the post's placeholder pattern (previews refuse
    SVG), or in a static build the site's image."""
    social_alt = post.social_image_alt or post.hero_image_alt or post.title
    for file, alt in ((post.social_image, social_alt), (post.hero_image, post.hero_image_alt)):
        card = social_card(file)
        if card is not None:
            return SocialImage(absolute_url(card.url), card.width, card.height, alt)
    social_size = media_image_size(post.social_image.url) if post.social_image else None
    if social_size is not None:
        return SocialImage(absolute_url(post.social_image.url), *social_size, social_alt)
    if post.hero_image and post.hero_image_width and post.hero_image_height:
        return SocialImage(
            absolute_url(post.hero_image.url),
            post.hero_image_width,
            post.hero_image_height,
            post.hero_image_alt,
        )
    if settings.LINERNOTES_STATIC_EXPORT:
        # Drawing a PNG takes about half a second per post, which would dominate the build of
        # a large blog; a static copy shows the site's own image instead.
        return default_image()
    return SocialImage(
        absolute_url(path_to("seo:placeholder-png", post.slug)),
        SOCIAL_WIDTH,
        SOCIAL_HEIGHT,
        f"An abstract pattern standing in for a picture for “{post.title}”",
    )


# Feeds and emails show a post's picture at about this width.
LISTED_IMAGE_WIDTH = 800


def listed_image_url(post: Post) -> str:
    """The hero image about 800 pixels wide, in JPEG or PNG (which every feed reader and mail
    client shows), for feeds; the post's preview image until that rendition is made."""
    rendition = closest_rendition(post.hero_image, LISTED_IMAGE_WIDTH)
    return absolute_url(rendition.url) if rendition is not None else post_image(post).url
