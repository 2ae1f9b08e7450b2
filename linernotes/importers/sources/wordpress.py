"""WordPress export files (WXR 1.0, 1.1 and 1.2) read into an ``ImportedSite``."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.utils.text import slugify

from linernotes.importers.html_markdown import plain_text
from linernotes.importers.parallel import map_on_every_core
from linernotes.importers.records import (
    ImportedAuthor,
    ImportedCategory,
    ImportedCredit,
    ImportedMedia,
    ImportedPage,
    ImportedPost,
    ImportedSite,
    PostStatus,
    Severity,
)
from linernotes.importers.sources.wxr import Element, Fields, parse_channel, text_of
from linernotes.importers.wordpress_content import WordPressBody, convert_body

STATUSES = {
    "publish": PostStatus.PUBLISHED,
    "future": PostStatus.SCHEDULED,
    "draft": PostStatus.DRAFT,
    "auto-draft": PostStatus.DRAFT,
    "pending": PostStatus.REVIEW,
    "private": PostStatus.DRAFT,
}
_YOAST_VARIABLE = re.compile(r"%%([\w-]+)%%")


def _date(value: str) -> datetime | None:
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


class _Reader:
    def __init__(self, path: Path, channel: Element, tags: str) -> None:
        self.path, self.tags = path, tags
        self.fields = Fields(channel)
        self.base_url = self.fields.get("wp:base_site_url") or self.fields.get("link")
        self.site = ImportedSite(source="wordpress", origin=f"wordpress:{self.base_url}")
        self.site_title = self.fields.get("title")
        self.authors: dict[str, ImportedAuthor] = {}
        self.categories: dict[str, ImportedCategory] = {}
        self.term_keys: dict[str, str] = {}
        self.attachments: dict[str, ImportedMedia] = {}
        self.bodies: dict[int, WordPressBody] = {}
        self.skipped: Counter[str] = Counter()
        self.tags_used: set[str] = set()

    def read(self) -> ImportedSite:
        for author in self.fields.each("wp:author"):
            self.add_author(Fields(author))
        self.read_categories()
        items = [Fields(item) for item in self.fields.each("item")]
        for item in items:
            kind = item.get("wp:post_type")
            if kind == "attachment":
                self.add_attachment(item)
            elif kind == "guest-author":
                self.add_guest_author(item)
        contents = [item for item in items if item.get("wp:post_type") in {"post", "page"}]
        # Converting HTML is most of the reading: done for every body at once, on every core.
        jobs = [
            (item.get("content:encoded"), self.meta(item).get("footnotes", "")) for item in contents
        ]
        self.bodies = dict(
            zip(map(id, contents), map_on_every_core(_convert, jobs, self.attachments), strict=True)
        )
        for item in items:
            self.read_item(item)
        self.site.authors = list(self.authors.values())
        self.site.categories = [
            category
            for key, category in self.categories.items()
            if not key.startswith("tag:") or key in self.tags_used
        ]
        for kind, count in sorted(self.skipped.items()):
            self.site.notice(str(self.path), f"{count} item(s) of type {kind!r} not imported")
        return self.site

    def add_author(self, author: Fields) -> None:
        login = author.get("wp:author_login")
        if not login:
            return
        full = f"{author.get('wp:author_first_name')} {author.get('wp:author_last_name')}".strip()
        self.authors[login] = ImportedAuthor(
            key=login,
            name=author.get("wp:author_display_name") or full or login,
            slug=slugify(login),
            email=author.get("wp:author_email"),
        )

    def add_guest_author(self, item: Fields) -> None:
        meta = self.meta(item)
        login = meta.get("cap-user_login") or item.get("wp:post_name").removeprefix("cap-")
        if login and login not in self.authors:
            self.authors[login] = ImportedAuthor(
                key=login,
                name=meta.get("cap-display_name") or item.get("title") or login,
                slug=slugify(login),
                bio=meta.get("cap-description", ""),
                website=meta.get("cap-website", ""),
                email=meta.get("cap-user_email", ""),
            )

    def read_categories(self) -> None:
        rows = [Fields(element) for element in self.fields.each("wp:category")]
        names = {row.get("wp:category_nicename"): row for row in rows}
        for slug, row in names.items():
            chain, parent, seen = [slug], row.get("wp:category_parent"), {slug}
            while parent and parent in names and parent not in seen:
                chain.insert(0, parent)
                seen.add(parent)
                parent = names[parent].get("wp:category_parent")
            direct = row.get("wp:category_parent")
            description = row.get("wp:category_description")
            if direct and not description:
                description = (
                    f"Under {names[direct].get('wp:cat_name') if direct in names else direct}"
                )
            self.add_category(
                f"category:{slug}",
                row.get("wp:cat_name") or slug,
                slug,
                description,
                f"/category/{'/'.join(chain)}/",
            )
            self.term_keys[row.get("wp:term_id")] = f"category:{slug}"
        if self.tags == "categories":
            for element in self.fields.each("wp:tag"):
                tag = Fields(element)
                slug = tag.get("wp:tag_slug")
                self.add_tag(slug, tag.get("wp:tag_name") or slug, tag.get("wp:tag_description"))

    def add_category(self, key: str, name: str, slug: str, description: str, old: str) -> str:
        if key not in self.categories:
            self.categories[key] = ImportedCategory(
                key=key, name=name, slug=slug, description=description, old_paths=[old]
            )
        return key

    def add_tag(self, slug: str, name: str, description: str = "") -> str:
        # A tag named like a category becomes that category, answering at both addresses.
        if f"category:{slug}" in self.categories:
            category = self.categories[f"category:{slug}"]
            if f"/tag/{slug}/" not in category.old_paths:
                category.old_paths.append(f"/tag/{slug}/")
            return category.key
        return self.add_category(f"tag:{slug}", name, slug, description, f"/tag/{slug}/")

    def meta(self, item: Fields) -> dict[str, str]:
        found: dict[str, str] = {}
        for element in item.each("wp:postmeta"):
            row = Fields(element)
            found.setdefault(row.get("wp:meta_key"), row.get("wp:meta_value"))
        return found

    def add_attachment(self, item: Fields) -> None:
        meta = self.meta(item)
        url = item.get("wp:attachment_url") or item.get("guid")
        media = self.media(url, meta.get("_wp_attached_file", ""))
        media.alt = meta.get("_wp_attachment_image_alt", "")
        self.attachments[item.get("wp:post_id")] = media

    def media(self, reference: str, attached_file: str = "") -> ImportedMedia:
        """The file under the export's folder that ``reference`` names, else its address."""
        path = unquote(urlsplit(reference).path)
        relative = attached_file or (path.split("/uploads/", 1)[1] if "/uploads/" in path else "")
        folder = self.path.parent.resolve()
        if relative and ".." not in Path(relative).parts:
            for base in (folder / "wp-content" / "uploads", folder / "uploads"):
                candidate = (base / relative.lstrip("/")).resolve()
                if candidate.is_file() and candidate.is_relative_to(folder):
                    return ImportedMedia(reference=reference, path=candidate)
        return ImportedMedia(reference=reference, url=urljoin(self.base_url + "/", reference))

    def credits(self, item: Fields) -> list[ImportedCredit]:
        logins = [
            (element.get("nicename") or "").removeprefix("cap-") or text_of(element)
            for element in item.each("category")
            if element.get("domain") == "author"
        ]
        for login, element in zip(
            logins, [e for e in item.each("category") if e.get("domain") == "author"], strict=True
        ):
            if login not in self.authors:
                self.authors[login] = ImportedAuthor(
                    key=login, name=text_of(element) or login, slug=slugify(login)
                )
        if not logins and (creator := item.get("dc:creator")):
            if creator not in self.authors:
                self.authors[creator] = ImportedAuthor(
                    key=creator, name=creator, slug=slugify(creator)
                )
            logins = [creator]
        return [ImportedCredit(author_key=login) for login in dict.fromkeys(logins)]

    def item_categories(self, item: Fields) -> list[str]:
        keys: list[str] = []
        for element in item.each("category"):
            domain, slug = element.get("domain"), element.get("nicename") or ""
            name = text_of(element) or slug
            if domain == "category" and slug:
                keys.append(
                    self.add_category(f"category:{slug}", name, slug, "", f"/category/{slug}/")
                )
            elif domain == "post_tag" and slug:
                if self.tags == "categories":
                    key = self.add_tag(slug, name)
                    self.tags_used.add(key)
                    keys.append(key)
                else:
                    self.site.notice(self.where(item), f"tag {name!r} not imported")
        return list(dict.fromkeys(keys))

    def where(self, item: Fields) -> str:
        return f"post {item.get('wp:post_id')}"

    def yoast(self, value: str, title: str, where: str, field: str) -> str:
        known = {"title": title, "sitename": self.site_title, "sep": "-", "page": ""}
        unknown = {name for name in _YOAST_VARIABLE.findall(value) if name not in known}
        if unknown:
            self.site.notice(where, f"Yoast {field} left out: it uses %%{sorted(unknown)[0]}%%")
            return ""
        return " ".join(_YOAST_VARIABLE.sub(lambda m: known[m.group(1)], value).split())

    def read_item(self, item: Fields) -> None:
        kind, status, where = item.get("wp:post_type"), item.get("wp:status"), self.where(item)
        if kind not in {"post", "page"}:
            if kind not in {"attachment", "guest-author"}:
                self.skipped[kind or "unknown"] += 1
            return
        if status not in STATUSES:
            self.site.notice(where, f"{kind} with status {status!r} skipped")
            return
        meta = self.meta(item)
        post_id, title = item.get("wp:post_id"), item.get("title")
        body = self.bodies[id(item)]
        for note in body.notes:
            self.site.notice(where, note)
        media = [self.media(src) for src in dict.fromkeys(body.images)]
        slug = unquote(item.get("wp:post_name")) or slugify(title) or f"untitled-{post_id}"
        old_paths = self.old_paths(item, kind, post_id)
        noindex = meta.get("_yoast_wpseo_meta-robots-noindex") == "1"
        updated = _date(item.get("wp:post_modified_gmt"))
        if kind == "page":
            self.site.pages.append(
                ImportedPage(
                    key=f"page:{post_id}",
                    title=title,
                    slug=slug,
                    body=body.markdown,
                    published=status == "publish",
                    navigation_order=int(item.get("wp:menu_order") or 0),
                    noindex=noindex,
                    updated_at=updated,
                    media=media,
                    old_paths=old_paths,
                    where=where,
                )
            )
            return
        post = ImportedPost(
            key=f"post:{post_id}",
            title=title,
            slug=slug,
            body=body.markdown,
            status=STATUSES[status],
            updated_at=updated,
            featured=item.get("wp:is_sticky") == "1",
            summary=plain_text(item.get("excerpt:encoded")) or body.summary,
            media=media,
            category_keys=self.item_categories(item),
            credits=self.credits(item),
            noindex=noindex,
            canonical_url=meta.get("_yoast_wpseo_canonical", ""),
            old_paths=old_paths,
            where=where,
        )
        self.check_visibility(post, status, item.get("wp:post_password"))
        post.created_at = self.item_date(item, where)
        if post.status in {PostStatus.PUBLISHED, PostStatus.SCHEDULED}:
            post.published_at = post.created_at
        post.meta_title = self.yoast(meta.get("_yoast_wpseo_title", ""), title, where, "title")
        post.meta_description = self.yoast(
            meta.get("_yoast_wpseo_metadesc", ""), title, where, "description"
        )
        post.primary_category_key = self.term_keys.get(
            meta.get("_yoast_wpseo_primary_category", ""), ""
        )
        if (hero := self.attachments.get(meta.get("_thumbnail_id", ""))) is not None:
            post.hero_image, post.hero_image_alt = hero, hero.alt
        self.site.posts.append(post)

    def check_visibility(self, post: ImportedPost, status: str, password: str) -> None:
        if status == "private":
            self.site.notice(post.where, "private post imported as a draft")
        if password:
            post.status = PostStatus.DRAFT
            self.site.notice(post.where, "password-protected post imported as a draft")

    def item_date(self, item: Fields, where: str) -> datetime | None:
        found = _date(item.get("wp:post_date_gmt"))
        if found is None and (found := _date(item.get("wp:post_date"))) is not None:
            self.site.notice(where, "no GMT date: the local date was read as UTC", Severity.INFO)
        return found

    def old_paths(self, item: Fields, kind: str, post_id: str) -> list[str]:
        paths = [_path_of(link)] if (link := item.get("link")) else []
        paths.append(f"/?page_id={post_id}" if kind == "page" else f"/?p={post_id}")
        guid = _path_of(item.get("guid"))
        if re.fullmatch(r"/\?(?:p|page_id)=\d+", guid):
            paths.append(guid)
        return list(dict.fromkeys(paths))


def _gallery(attachments: dict[str, ImportedMedia], ids: str) -> str:
    found = [attachments[i.strip()] for i in ids.split(",") if i.strip() in attachments]
    images = (
        f'<img src="{html.escape(media.reference)}" alt="{html.escape(media.alt)}">'
        for media in found
    )
    return "".join(f"\n\n<figure>{image}</figure>\n\n" for image in images)


def _convert(attachments: dict[str, ImportedMedia], job: tuple[str, str]) -> WordPressBody:
    content, footnotes = job
    return convert_body(
        content, footnotes=footnotes, gallery=lambda ids: _gallery(attachments, ids)
    )


def read(path: Path, *, tags: str = "categories") -> ImportedSite:
    """Everything a WordPress export holds that Liner Notes imports, without writing anything."""
    if tags not in {"categories", "skip"}:
        raise ValueError(f"tags must be 'categories' or 'skip', not {tags!r}")
    path = Path(path)
    channel = parse_channel(path)
    return _Reader(path, channel, tags).read()
