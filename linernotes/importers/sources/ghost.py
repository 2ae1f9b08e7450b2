"""Ghost JSON exports (0.x to 5.x) read into one ``ImportedSite``.

An export is ``{"db": [{"meta", "data"}]}`` or the bare ``{"meta", "data"}``; ``data`` holds
Ghost's tables (posts, tags, users and the tables linking them). Bodies are taken from the
richest document a post has (``ghost_content``). Images under ``content/images/`` are read
from a ``content/images`` folder beside the export when there is one.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from linernotes.importers.ghost_cards import GHOST_URL, GhostBody, body_image_sources
from linernotes.importers.ghost_content import (
    HeadingAnchors,
    check_json_depth,
    html_to_body,
    lexical_to_markdown,
    markdown_to_body,
    mobiledoc_to_markdown,
)
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
    UnreadableSource,
)

MAX_EXPORT_BYTES = 512 * 1024 * 1024
# Ghost's tables are a few levels deep; its documents are JSON strings, checked on their own.
MAX_EXPORT_DEPTH = 32
_TABLES = ("posts", "posts_meta", "tags", "posts_tags", "users", "posts_authors", "settings")
# Richest first: lexical (Ghost 5), mobiledoc (1-4), the rendered HTML, 0.x's Markdown.
_BODY_FORMATS = (
    ("lexical", lexical_to_markdown),
    ("mobiledoc", mobiledoc_to_markdown),
    ("html", html_to_body),
    ("markdown", markdown_to_body),
)


def read(path: Path, *, site_url: str = "", now: datetime | None = None) -> ImportedSite:
    """Everything in the Ghost export at ``path``; UnreadableSource if it is not one.

    ``site_url`` is the Ghost site's address when the export does not record it (Ghost keeps
    it in its configuration file); ``now`` decides which published posts are still to come.
    """
    meta, tables = _load_export(path)
    return _Export(path, meta, tables, site_url, now or datetime.now(UTC)).read()


def _load_export(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    try:
        if path.stat().st_size > MAX_EXPORT_BYTES:
            raise UnreadableSource(path, f"is larger than {MAX_EXPORT_BYTES // 2**20} MB")
        raw = path.read_bytes()
    except OSError as error:
        raise UnreadableSource(path, f"cannot be read: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise UnreadableSource(path, "is not UTF-8 text", line=line) from error
    try:
        check_json_depth(text, MAX_EXPORT_DEPTH)
        document = json.loads(text)
    except json.JSONDecodeError as error:
        problem = f"is not valid JSON: {error.msg} (column {error.colno})"
        raise UnreadableSource(path, problem, line=error.lineno) from error
    except ValueError as error:
        raise UnreadableSource(path, f"is not a Ghost export: its JSON is {error}") from error
    return _ghost_tables(path, document)


def _ghost_tables(
    path: Path, document: object
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    node = document
    if isinstance(node, dict) and isinstance(node.get("db"), list) and node["db"]:
        node = node["db"][0]
    # Ghost's own import bundles wrap the export once more: {"data": {"meta", "data"}}.
    while isinstance(node, dict) and isinstance(node.get("data"), dict):
        inner = node["data"]
        if "posts" in inner or not isinstance(inner.get("data"), dict):
            break
        node = inner
    data = node.get("data") if isinstance(node, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
        raise UnreadableSource(path, "is not a Ghost export: it has no data.posts list")
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in _TABLES:
        rows = data.get(name, [])
        if not isinstance(rows, list):
            raise UnreadableSource(path, f"is not a Ghost export: data.{name} is not a list")
        tables[name] = [row for row in rows if isinstance(row, dict)]
    meta = node.get("meta") if isinstance(node, dict) else None
    return (meta if isinstance(meta, dict) else {}), tables


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )


def _truthy(value: object) -> bool:
    return value is True or value in (1, "1", "true")


def _moment(value: object) -> datetime | None:
    """Ghost's dates: ISO 8601 strings, MySQL's "YYYY-MM-DD hh:mm:ss", or epoch milliseconds."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            # 0.x wrote milliseconds; a value this small can only be seconds.
            return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, UTC)
        if isinstance(value, str) and value.strip():
            moment = datetime.fromisoformat(value.strip())
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def _major_version(meta: dict[str, Any]) -> int:
    # 0.x exports carry the database version ("003") instead of Ghost's own.
    found = re.fullmatch(r"v?(\d+)\..*", _text(meta, "version"))
    return int(found.group(1)) if found else 0


class _Images:
    """Where each image address a post or author uses can be found."""

    def __init__(self, export_dir: Path, site_url: str) -> None:
        self.site_url = site_url
        self.folder = export_dir / "content" / "images"
        self.has_folder = self.folder.is_dir()
        self.root_relative = 0

    def media(self, reference: str, alt: str = "") -> ImportedMedia | None:
        reference = reference.strip()
        if not reference or reference.startswith("data:"):
            return None
        address = reference.removeprefix(GHOST_URL)
        if self.site_url and address.startswith(self.site_url + "/"):
            address = address[len(self.site_url) :]
        if address.startswith("//"):
            return ImportedMedia(reference, url="https:" + address, alt=alt)
        if not address.startswith("/"):
            return ImportedMedia(reference, url=address, alt=alt)
        local = self._file(address)
        if local is not None:
            return ImportedMedia(reference, path=local, alt=alt)
        if self.site_url:
            return ImportedMedia(reference, url=self.site_url + address, alt=alt)
        self.root_relative += 1
        return ImportedMedia(reference, url=address, alt=alt)

    def _file(self, address: str) -> Path | None:
        relative = unquote(urlsplit(address).path).removeprefix("/content/images/")
        if not self.has_folder or relative == unquote(urlsplit(address).path):
            return None
        candidate = (self.folder / relative).resolve()
        # An address may not climb out of the images folder ("../../etc/passwd").
        inside = candidate.is_relative_to(self.folder.resolve())
        return candidate if inside and candidate.is_file() else None


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    """Link-table rows by ``key``, each group in Ghost's ``sort_order`` (stable)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[_text(row, key)].append(row)
    for group in groups.values():
        group.sort(key=lambda row: row["sort_order"] if type(row.get("sort_order")) is int else 0)
    return groups


class _Export:
    def __init__(
        self,
        path: Path,
        meta: dict[str, Any],
        tables: dict[str, list[dict[str, Any]]],
        site_url: str,
        now: datetime,
    ) -> None:
        self.path, self.tables, self.now = path, tables, now
        self.version = _major_version(meta)
        self.settings = {_text(row, "key"): row.get("value") for row in tables["settings"]}
        configured = site_url or _text(self.settings, "url")
        self.site_url = configured.rstrip("/")
        origin = f"ghost:{self.site_url}" if self.site_url else f"ghost:{path.name}"
        self.site = ImportedSite(source="ghost", origin=origin)
        self.images = _Images(path.parent, self.site_url)
        self.meta = {_text(row, "post_id"): row for row in tables["posts_meta"]}
        self.tags_of = _grouped(tables["posts_tags"], "post_id")
        self.authors_of = _grouped(tables["posts_authors"], "post_id")
        self.tag_keys: dict[str, str] = {}
        self.user_keys: dict[str, str] = {}

    def read(self) -> ImportedSite:
        for row in self.tables["users"]:
            self._author(row)
        for row in self.tables["tags"]:
            self._category(row)
        for row in self.tables["posts"]:
            self._post_or_page(row)
        if self.images.root_relative:
            self.site.notice(
                self.path.name,
                f"{self.images.root_relative} image addresses are relative to the Ghost site "
                "and the export does not name it: they were kept as root-relative addresses "
                "(give the site's address to fetch them)",
            )
        return self.site

    def _author(self, row: dict[str, Any]) -> None:
        ghost_id = _text(row, "id") or _text(row, "email") or _text(row, "slug")
        name = _text(row, "name") or _text(row, "slug")
        if not ghost_id or not name:
            self.site.notice(self.path.name, "a user without an id or a name was left out")
            return
        key = f"user:{ghost_id}"
        self.user_keys[_text(row, "id") or ghost_id] = key
        avatar = self.images.media(_text(row, "profile_image") or _text(row, "image"), name)
        self.site.authors.append(
            ImportedAuthor(
                key=key,
                name=name,
                slug=_text(row, "slug"),
                bio=_text(row, "bio"),
                website=_text(row, "website"),
                email=_text(row, "email"),
                avatar=avatar,
            )
        )

    def _category(self, row: dict[str, Any]) -> None:
        ghost_id, name, slug = _text(row, "id"), _text(row, "name"), _text(row, "slug")
        if name.startswith("#") or row.get("visibility") == "internal":
            # Ghost's internal tags drive themes and routing; readers never see them.
            self.site.notice(f"tag {ghost_id}", f"internal tag {name} was not imported")
            return
        if not ghost_id or not name:
            self.site.notice(self.path.name, "a tag without an id or a name was left out")
            return
        self.tag_keys[ghost_id] = f"tag:{ghost_id}"
        self.site.categories.append(
            ImportedCategory(
                key=f"tag:{ghost_id}",
                name=name,
                slug=slug,
                description=_text(row, "description"),
                colour=_text(row, "accent_color"),
                old_paths=[f"/tag/{slug}/"] if slug else [],
            )
        )

    def _post_or_page(self, row: dict[str, Any]) -> None:
        ghost_id = _text(row, "id") or _text(row, "uuid")
        if not ghost_id:
            self.site.notice(self.path.name, "a post without an id was left out")
            return
        post = self._post(row, ghost_id, f"post {ghost_id}")
        if row.get("type") == "page" or ("type" not in row and _truthy(row.get("page"))):
            if post.status == PostStatus.SCHEDULED:
                self.site.notice(post.where, "a page scheduled on Ghost was imported unpublished")
            page = ImportedPage(
                key=post.key,
                title=post.title,
                slug=post.slug,
                body=post.body,
                published=post.status == PostStatus.PUBLISHED,
                updated_at=post.updated_at,
                media=post.media,
                old_paths=[f"/{post.slug}/"],
                where=post.where,
            )
            self.site.pages.append(page)
        else:
            self.site.posts.append(post)

    def _status(
        self, row: dict[str, Any], published_at: datetime | None, visibility: str, where: str
    ) -> PostStatus:
        status = _text(row, "status")
        if status == "sent":
            self.site.notice(where, "was sent as a newsletter only on Ghost: imported as a draft")
        if visibility != "public" or status not in {"published", "scheduled"}:
            return PostStatus.DRAFT
        if status == "scheduled" or (published_at is not None and published_at > self.now):
            return PostStatus.SCHEDULED
        return PostStatus.PUBLISHED

    def _body(self, row: dict[str, Any], where: str) -> GhostBody:
        html = row.get("html") if isinstance(row.get("html"), str) else ""
        unreadable: list[str] = []
        for name, convert in _BODY_FORMATS:
            document = row.get(name)
            if not isinstance(document, str) or not document.strip():
                continue
            try:
                body = convert(document, HeadingAnchors(self.version, str(html)))
            except ValueError as error:
                unreadable.append(f"its {name} ({error})")
                continue
            if unreadable:
                self.site.notice(
                    where, f"{', '.join(unreadable)} could not be read: the body came from {name}"
                )
            elif name in {"html", "markdown"}:
                self.site.notice(
                    where, f"the body was converted from Ghost's {name}", Severity.INFO
                )
            for note in body.notes:
                self.site.notice(where, note)
            for kept in body.kept_html:
                self.site.notice(where, f"kept as HTML: {kept}", Severity.INFO)
            return body
        if unreadable:
            self.site.notice(where, f"{', '.join(unreadable)} could not be read: the body is empty")
        return GhostBody("")

    def _post(self, row: dict[str, Any], ghost_id: str, where: str) -> ImportedPost:
        meta = self.meta.get(ghost_id, {})

        def field(key: str) -> str:
            return _text(row, key) or _text(meta, key)

        slug, title = _text(row, "slug") or ghost_id, _text(row, "title")
        if not title:
            title = slug
            self.site.notice(where, f"has no title on Ghost: its slug {slug} was used")
        body = self._body(row, where)
        media = [m for src in body_image_sources(body.markdown) if (m := self.images.media(src))]
        visibility = _text(row, "visibility") or "public"
        if visibility != "public":
            self.site.notice(
                where, f"members-only on Ghost (visibility {visibility}): imported as a draft"
            )
        if field("feature_image_caption"):
            caption = field("feature_image_caption")
            self.site.notice(where, f"the hero image's caption was not imported: {caption}")
        hero_alt = field("feature_image_alt")
        published_at = _moment(row.get("published_at"))
        return ImportedPost(
            key=f"post:{ghost_id}",
            title=title,
            slug=slug,
            body=body.markdown,
            status=self._status(row, published_at, visibility, where),
            published_at=published_at,
            created_at=_moment(row.get("created_at")),
            updated_at=_moment(row.get("updated_at")),
            summary=_text(row, "custom_excerpt"),
            featured=_truthy(row.get("featured")),
            category_keys=self._categories(ghost_id),
            credits=self._credits(row, ghost_id, where),
            hero_image=self.images.media(field("feature_image"), hero_alt),
            hero_image_alt=hero_alt,
            meta_title=field("meta_title"),
            meta_description=field("meta_description"),
            canonical_url=field("canonical_url"),
            social_image=self.images.media(field("og_image")),
            media=media,
            old_paths=self._old_paths(slug, ghost_id, published_at),
            where=where,
        )

    def _categories(self, ghost_id: str) -> list[str]:
        keys = (self.tag_keys.get(_text(link, "tag_id")) for link in self.tags_of.get(ghost_id, []))
        return list(dict.fromkeys(key for key in keys if key))

    def _credits(self, row: dict[str, Any], ghost_id: str, where: str) -> list[ImportedCredit]:
        # Ghost 1.x and later list co-authors in posts_authors; 0.x had one author_id.
        links = self.authors_of.get(ghost_id) or [{"author_id": row.get("author_id")}]
        credits: list[ImportedCredit] = []
        for link in links:
            author_id = _text(link, "author_id")
            key = self.user_keys.get(author_id)
            if key is None:
                if author_id:
                    self.site.notice(where, f"author {author_id} is not among the export's users")
            elif all(credit.author_key != key for credit in credits):
                credits.append(ImportedCredit(author_key=key))
        return credits

    def _old_paths(self, slug: str, ghost_id: str, published_at: datetime | None) -> list[str]:
        # 0.x kept its permalink pattern in settings; later versions moved it to routes.yaml,
        # which the export lacks, so Ghost's default /slug/ is assumed.
        pattern = _text(self.settings, "permalinks") or "/:slug/"
        moment = published_at or self.now
        values = {"slug": slug, "id": ghost_id, "year": f"{moment.year:04d}"}
        values |= {"month": f"{moment.month:02d}", "day": f"{moment.day:02d}"}
        path = re.sub(r":(\w+)", lambda found: values.get(found.group(1), found.group(0)), pattern)
        paths = [path if ":" not in path else f"/{slug}/"]
        if _truthy(self.settings.get("amp")):
            paths.append(f"/{slug}/amp/")
        return paths
