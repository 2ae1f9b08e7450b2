"""What every import source reads its files into, and what ``import_records`` writes.

A source (WordPress, Ghost, a folder of Markdown files) only parses: it turns its files into one
``ImportedSite`` of plain records, with bodies already in Markdown and every problem noted as a
``Notice``. Writing, matching against earlier imports, media, redirects and the report are the
same for every source (``importers.service``).

Keys are the source's stable ids (a WordPress post ID, a Ghost id, a file's path): importing a
newer export of the same site matches on them, so nothing is duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path


class UnreadableSource(Exception):
    """The input cannot be imported at all: ``str()`` names the file and the problem.

    Raised by a source before anything is written, so a broken file imports nothing.
    """

    def __init__(self, source: Path | str, problem: str, *, line: int | None = None) -> None:
        where = f"{source}:{line}" if line else str(source)
        super().__init__(f"{where}: {problem}")
        self.source, self.problem, self.line = str(source), problem, line


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"


@dataclass(frozen=True)
class Notice:
    """Something the report tells the user: what was kept as HTML, guessed, or left out.

    ``where`` is the file and line, or the item's id in the source ("post 123").
    """

    where: str
    message: str
    severity: Severity = Severity.WARNING


@dataclass
class ImportedMedia:
    """A file a post or author refers to.

    ``reference`` is the text as it appears in the Markdown body (or the hero/avatar value),
    which the service replaces by the stored file's address. ``path`` is the file when the
    source has it on disk; otherwise ``url`` is where it lives (kept as an absolute URL, or
    fetched with ``--download-media``).
    """

    reference: str
    path: Path | None = None
    url: str = ""
    alt: str = ""
    # The storage name to keep when it is free ("media/2024/09/x.png"): Liner Notes' own export
    # says where each file lived, so a round trip gives the same addresses.
    name: str = ""


@dataclass
class ImportedAuthor:
    key: str
    name: str
    slug: str = ""
    role: str = ""
    bio: str = ""
    website: str = ""
    email: str = ""  # only to match co-authors across records; never stored or shown
    avatar: ImportedMedia | None = None


@dataclass
class ImportedCategory:
    key: str
    name: str
    slug: str = ""
    description: str = ""
    position: int | None = None
    colour: str = ""
    # Addresses the category answered at on the old site (/category/x/, /tag/x/): each
    # becomes a 301 to its new address.
    old_paths: list[str] = field(default_factory=list)
    # Old slugs it keeps answering at, as its aliases (this site's own export has them).
    aliases: list[str] = field(default_factory=list)


class PostStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"


@dataclass
class ImportedCredit:
    """An author on a post's byline, in order; ``role`` is the per-post role, if any."""

    author_key: str
    role: str = ""


@dataclass
class ImportedPost:
    key: str
    title: str
    slug: str
    body: str  # Markdown
    status: PostStatus = PostStatus.DRAFT
    published_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    summary: str = ""
    featured: bool = False
    category_keys: list[str] = field(default_factory=list)  # the primary one first
    primary_category_key: str = ""  # empty: the first of category_keys
    credits: list[ImportedCredit] = field(default_factory=list)
    hero_image: ImportedMedia | None = None
    hero_image_alt: str = ""
    external_url: str = ""
    noindex: bool = False
    meta_title: str = ""
    meta_description: str = ""
    canonical_url: str = ""
    social_image: ImportedMedia | None = None
    social_image_alt: str = ""
    media: list[ImportedMedia] = field(default_factory=list)  # images the body refers to
    # Old addresses (paths, or "/?p=123"): each becomes a 301 to the post's new address.
    old_paths: list[str] = field(default_factory=list)
    where: str = ""  # the file and line, or the item id, for the report


@dataclass
class ImportedPage:
    key: str
    title: str
    slug: str
    body: str  # Markdown
    published: bool = True
    show_in_navigation: bool = False
    navigation_order: int = 0
    noindex: bool = False
    updated_at: datetime | None = None
    media: list[ImportedMedia] = field(default_factory=list)
    old_paths: list[str] = field(default_factory=list)
    where: str = ""


@dataclass
class ImportedRedirect:
    """A redirect rule the old site had of its own (Jekyll's redirect_from is per post)."""

    old_path: str
    new_path: str
    status: int = 301
    match: str = "exact"  # or "regex"
    position: int = 0
    automatic: bool = False  # made by the site when a published post moved


@dataclass
class ImportedSite:
    """Everything one source read. ``origin`` names the site ("wordpress:https://…"), so keys
    from two different sites never match each other."""

    source: str  # "wordpress", "ghost", "markdown"
    origin: str
    authors: list[ImportedAuthor] = field(default_factory=list)
    categories: list[ImportedCategory] = field(default_factory=list)
    posts: list[ImportedPost] = field(default_factory=list)
    pages: list[ImportedPage] = field(default_factory=list)
    redirects: list[ImportedRedirect] = field(default_factory=list)
    # Media library files that no record above refers to, kept so a re-import keeps them.
    media: list[ImportedMedia] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def notice(self, where: str, message: str, severity: Severity = Severity.WARNING) -> None:
        self.notices.append(Notice(where, message, severity))
