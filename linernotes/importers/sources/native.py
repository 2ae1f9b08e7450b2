"""Reads the folder ``linernotes export markdown`` writes (docs/exporting.md) back into records.

The folder is also what people edit by hand in git, so the reader is strict about what would
lose content (broken YAML, a key of the wrong type, an unknown format) and says so before
anything is written, and forgiving about the rest: a key it does not know, a co-author or
category without an entry of its own, or a missing image file becomes a notice.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings

from linernotes.importers.native_fields import Fields, fields_and_body, load_yaml
from linernotes.importers.records import (
    ImportedAuthor,
    ImportedCategory,
    ImportedCredit,
    ImportedMedia,
    ImportedPage,
    ImportedPost,
    ImportedRedirect,
    ImportedSite,
    PostStatus,
    UnreadableSource,
)

# The file at the top of an exported folder; its presence tells readers which layout it is.
MARKER = "linernotes.yaml"
FORMAT = 1

POST_KEYS = (
    "title", "slug", "status", "date", "created", "updated", "summary", "featured",
    "categories", "primary_category", "authors", "hero_image", "hero_image_alt",
    "external_url", "noindex", "meta_title", "meta_description", "canonical_url",
    "social_image", "social_image_alt",
)  # fmt: skip
PAGE_KEYS = (
    "title", "slug", "status", "show_in_navigation", "navigation_order", "noindex", "updated",
)  # fmt: skip
AUTHOR_KEYS = ("name", "slug", "role", "website", "avatar")
CATEGORY_KEYS = ("slug", "name", "description", "position", "colour", "aliases")
REDIRECT_KEYS = ("old", "new", "status", "match", "position", "automatic")


def media_references(text: str) -> list[str]:
    """Every address under MEDIA_URL that ``text`` mentions, once each, in order of appearance.

    Any mention counts (Markdown images and links, raw HTML), so no file a body shows is left
    out of an export or unreferenced on re-import.
    """
    pattern = r"(?<![\w/])" + re.escape(settings.MEDIA_URL) + r"[^\s()\"'<>\[\]]+"
    return list(dict.fromkeys(re.findall(pattern, text)))


def storage_name(reference: str) -> str:
    """The storage name a media address points at: "/media/a%20b.png?x" -> "a b.png"."""
    path = reference.removeprefix(settings.MEDIA_URL)
    return unquote(path.split("?", 1)[0].split("#", 1)[0])


def origin_of(root: Path) -> str:
    """What imports of the folder at ``root`` (resolved) are matched by."""
    return f"linernotes:{root}"


def _exported_folder(path: Path) -> Path:
    root = path.resolve()
    if not (root / MARKER).is_file():
        raise UnreadableSource(root, f"no {MARKER} here: not a folder Liner Notes exported")
    return root


def read(path: Path, **options: object) -> ImportedSite:
    """All records of an exported folder; raises UnreadableSource for what cannot be read."""
    root = _exported_folder(path)
    site = ImportedSite(source="markdown", origin=origin_of(root))
    reader = _FolderReader(root, site)
    reader.read_site_file()
    site.authors = [reader.author(file) for file in reader.markdown_files("authors")]
    site.posts = [reader.post(file) for file in reader.markdown_files("posts")]
    site.pages = [reader.page(file) for file in reader.markdown_files("pages")]
    reader.add_missing_people_and_categories()
    reader.add_unreferenced_media()
    return site


def read_files(path: Path, files: Collection[str], *, elsewhere: Collection[str]) -> ImportedSite:
    """The records of only ``files`` (paths inside the folder; linernotes.yaml among them
    brings its categories and redirects), for a sync of what changed since the last one.

    ``elsewhere`` are author and category keys the folder defines in files left out (already
    imported): no stand-in is made for those, as it would overwrite the real one.
    """
    root = _exported_folder(path)
    site = ImportedSite(source="markdown", origin=origin_of(root))
    reader = _FolderReader(root, site)
    if MARKER in files:
        reader.read_site_file()
    wanted = sorted(files)
    site.authors = [reader.author(root / name) for name in wanted if name.startswith("authors/")]
    site.posts = [reader.post(root / name) for name in wanted if name.startswith("posts/")]
    site.pages = [reader.page(root / name) for name in wanted if name.startswith("pages/")]
    reader.add_missing_people_and_categories(elsewhere=elsewhere)
    return site


def _read_text(file: Path) -> str:
    try:
        # No newline translation: the body is kept byte for byte as it was written.
        with file.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as problem:
        raise UnreadableSource(file, f"not UTF-8 text (byte {problem.start})") from None


class _FolderReader:
    def __init__(self, root: Path, site: ImportedSite) -> None:
        self.root, self.site = root, site
        self.referenced: set[str] = set()
        self.author_keys: dict[str, str] = {}  # key -> where first credited
        self.category_keys: dict[str, str] = {}

    def relative(self, file: Path) -> str:
        return file.relative_to(self.root).as_posix()

    def markdown_files(self, folder: str) -> list[Path]:
        found = []
        for file in sorted((self.root / folder).rglob("*")):
            if not file.is_file() or file.name.startswith("."):
                continue
            if file.suffix == ".md":
                found.append(file)
            else:
                self.site.notice(self.relative(file), "not a Markdown file: left out")
        return found

    def note_unknown(self, fields: Fields, known: tuple[str, ...], where: str) -> None:
        for key in fields.unknown(known):
            self.site.notice(where, f"unknown key {key!r}: left out")

    def read_site_file(self) -> None:
        source = self.root / MARKER
        text = _read_text(source)
        fields = Fields(load_yaml(text, source, first_line=1), source, text.splitlines(), 1)
        if fields.values.get("format") != FORMAT:
            found = fields.values.get("format")
            raise fields.fail("format", f"this reader knows format {FORMAT}, not {found!r}")
        self.note_unknown(fields, ("format", "categories", "redirects"), MARKER)
        for entry in fields.mappings("categories"):
            self.site.categories.append(self.category(entry))
        for entry in fields.mappings("redirects"):
            self.site.redirects.append(self.redirect(entry))

    def category(self, entry: Fields) -> ImportedCategory:
        slug = entry.text("slug")
        if not slug:
            raise entry.fail("categories", "every category needs a slug")
        self.note_unknown(entry, CATEGORY_KEYS, f"{MARKER}: category {slug}")
        return ImportedCategory(
            key=f"category:{slug}",
            name=entry.text("name", slug),
            slug=slug,
            description=entry.text("description"),
            position=entry.number("position"),
            colour=entry.text("colour"),
            aliases=entry.texts("aliases"),
        )

    def redirect(self, entry: Fields) -> ImportedRedirect:
        old = entry.text("old")
        status = entry.number("status", 301)
        match = entry.text("match", "exact")
        if not old or status not in (301, 302, 410) or match not in ("exact", "regex"):
            raise entry.fail("redirects", "each needs old, status 301/302/410, match exact/regex")
        self.note_unknown(entry, REDIRECT_KEYS, f"{MARKER}: redirect {old}")
        return ImportedRedirect(
            old_path=old,
            new_path=entry.text("new"),
            status=status,
            match=match,
            position=entry.number("position"),
            automatic=entry.flag("automatic"),
        )

    def open(self, file: Path, known: tuple[str, ...]) -> tuple[Fields, str, str]:
        fields, body = fields_and_body(_read_text(file), file)
        where = self.relative(file)
        self.note_unknown(fields, known, where)
        return fields, body, where

    def media(self, reference: str, where: str) -> ImportedMedia | None:
        if not reference:
            return None
        if not reference.startswith(settings.MEDIA_URL):
            return ImportedMedia(reference=reference, url=reference)
        name = storage_name(reference)
        path = self.root / "media" / name
        if ".." in Path(name).parts or not path.is_file():
            self.site.notice(where, f"{reference}: no such file under media/")
            return None
        self.referenced.add(name)
        return ImportedMedia(reference=reference, path=path, name=name)

    def body_media(self, body: str, where: str) -> list[ImportedMedia]:
        found = (self.media(reference, where) for reference in media_references(body))
        return [media for media in found if media is not None]

    def author(self, file: Path) -> ImportedAuthor:
        fields, bio, where = self.open(file, AUTHOR_KEYS)
        slug = fields.text("slug", file.stem)
        return ImportedAuthor(
            key=f"author:{slug}",
            name=fields.text("name", slug),
            slug=slug,
            role=fields.text("role"),
            bio=bio,
            website=fields.text("website"),
            avatar=self.media(fields.text("avatar"), where),
        )

    def post(self, file: Path) -> ImportedPost:
        fields, body, where = self.open(file, POST_KEYS)
        title = fields.text("title")
        if not title.strip():
            raise UnreadableSource(file, "a post needs a title", line=1)
        status = fields.choice("status", PostStatus, PostStatus.DRAFT)
        published_at = fields.moment("date")
        if published_at is None and status in (PostStatus.SCHEDULED, PostStatus.PUBLISHED):
            raise fields.fail("status", f"a {status.value} post needs a date")
        categories = [f"category:{slug}" for slug in fields.texts("categories")]
        primary = fields.text("primary_category")
        primary_key = f"category:{primary}" if primary else ""
        for key in [*categories, primary_key]:
            if key:
                self.category_keys.setdefault(key, where)
        return ImportedPost(
            key=self.relative(file),
            title=title,
            slug=fields.text("slug", file.stem),
            body=body,
            status=status,
            published_at=published_at,
            created_at=fields.moment("created"),
            updated_at=fields.moment("updated"),
            summary=fields.text("summary"),
            featured=fields.flag("featured"),
            category_keys=categories,
            primary_category_key=primary_key,
            credits=self.credits(fields, where),
            hero_image=self.media(fields.text("hero_image"), where),
            hero_image_alt=fields.text("hero_image_alt"),
            external_url=fields.text("external_url"),
            noindex=fields.flag("noindex"),
            meta_title=fields.text("meta_title"),
            meta_description=fields.text("meta_description"),
            canonical_url=fields.text("canonical_url"),
            social_image=self.media(fields.text("social_image"), where),
            social_image_alt=fields.text("social_image_alt"),
            media=self.body_media(body, where),
            where=where,
        )

    def credits(self, fields: Fields, where: str) -> list[ImportedCredit]:
        credits = []
        for entry in fields.mappings("authors"):
            slug = entry.text("author")
            if not slug:
                raise fields.fail("authors", "each entry needs author: <slug>")
            self.note_unknown(entry, ("author", "role"), where)
            key = f"author:{slug}"
            self.author_keys.setdefault(key, where)
            credits.append(ImportedCredit(author_key=key, role=entry.text("role")))
        return credits

    def page(self, file: Path) -> ImportedPage:
        fields, body, where = self.open(file, PAGE_KEYS)
        status = fields.choice("status", PostStatus, PostStatus.DRAFT)
        if status not in (PostStatus.DRAFT, PostStatus.PUBLISHED):
            raise fields.fail("status", "a page is either draft or published")
        return ImportedPage(
            key=self.relative(file),
            title=fields.text("title", file.stem),
            slug=fields.text("slug", file.stem),
            body=body,
            published=status == PostStatus.PUBLISHED,
            # Absent keys mean the site's defaults, which the export leaves out.
            show_in_navigation=fields.flag("show_in_navigation", True),
            navigation_order=fields.number("navigation_order"),
            noindex=fields.flag("noindex"),
            updated_at=fields.moment("updated"),
            media=self.body_media(body, where),
            where=where,
        )

    def add_missing_people_and_categories(self, *, elsewhere: Collection[str] = ()) -> None:
        """Posts may credit people and name categories that have no entry (written by hand)."""
        authors = {author.key for author in self.site.authors}.union(elsewhere)
        for key, where in ((k, w) for k, w in self.author_keys.items() if k not in authors):
            slug = key.removeprefix("author:")
            self.site.notice(where, f"author {slug} has no file under authors/: named {slug}")
            self.site.authors.append(ImportedAuthor(key=key, name=slug, slug=slug))
        categories = {category.key for category in self.site.categories}.union(elsewhere)
        for key, where in ((k, w) for k, w in self.category_keys.items() if k not in categories):
            slug = key.removeprefix("category:")
            self.site.notice(where, f"category {slug} is not in {MARKER}: named {slug}")
            self.site.categories.append(ImportedCategory(key=key, name=slug, slug=slug))

    def add_unreferenced_media(self) -> None:
        """Library files no post, page or author shows are kept in the library all the same."""
        folder = self.root / "media"
        for file in sorted(folder.rglob("*")) if folder.is_dir() else []:
            name = file.relative_to(folder).as_posix()
            if file.is_file() and not file.name.startswith(".") and name not in self.referenced:
                reference = settings.MEDIA_URL + name
                self.site.media.append(ImportedMedia(reference=reference, path=file, name=name))
