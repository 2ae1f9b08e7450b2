"""What the Jekyll, Hugo and Zola readers share: the folder's files and their limits, its
configuration, dates, authors, categories, images and bodies (``Reader``). ``markdown_dir``
picks the layout; ``jekyll`` and ``content_folder`` read each layout's own files.
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.text import slugify

from linernotes.importers import shortcodes
from linernotes.importers.front_matter import (
    Document,
    as_datetime,
    as_text,
    read_config,
    split_front_matter,
)
from linernotes.importers.html_markdown import plain_text
from linernotes.importers.records import (
    ImportedAuthor,
    ImportedCategory,
    ImportedCredit,
    ImportedMedia,
    ImportedPage,
    ImportedPost,
    ImportedSite,
    PostStatus,
    UnreadableSource,
)

LAYOUTS = ("jekyll", "hugo", "zola")
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_FILES = 20_000
MARKDOWN = (".md", ".markdown")
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml")
MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
IMAGE_MARKDOWN = re.compile(r"!\[[^\]\n]{0,500}\]\(\s*<?([^)\s>]{1,2000})>?")
IMAGE_HTML = re.compile(r"<img\b[^>]{0,2000}?\bsrc=[\"']([^\"'>]{1,2000})[\"']", re.IGNORECASE)
PLACEHOLDER = re.compile(r":(\w+)")
TAG = re.compile(r"<[^>]*>")
Record = ImportedPost | ImportedPage
Convert = Callable[[str, dict[str, Any]], shortcodes.Conversion]


def _title_from(slug: str) -> str:
    words = re.sub(r"[-_]+", " ", slug).strip()
    return words[:1].upper() + words[1:]


def as_path(text: str) -> str:
    """An old address as a path: one leading slash, no doubled ones."""
    return "/" + re.sub(r"/{2,}", "/", text.strip()).lstrip("/") if text.strip() else ""


def as_mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def lower_keys(value: object) -> dict[str, Any]:
    return {str(key).lower(): item for key, item in as_mapping(value).items()}


class Reader(ABC):
    """What reading a site in any of the layouts shares; each layout's reader adds its files."""

    def __init__(self, root: Path, layout: str) -> None:
        self.root, self.layout = root, layout
        self.config_name = ""
        self.config = self._config()
        self.base_url = as_text(
            self.config.get({"jekyll": "url", "hugo": "baseurl", "zola": "base_url"}[layout])
        ).rstrip("/")
        if layout == "jekyll" and self.base_url:
            self.base_url += as_text(self.config.get("baseurl")).rstrip("/")
        self.site = ImportedSite("markdown", f"{layout}:{self.base_url or root.name}")
        # Readers knew the site's addresses under the base path it was served from.
        base_path = (
            self.config.get("baseurl") if layout == "jekyll" else urlsplit(self.base_url).path
        )
        self.base_path = as_text(base_path).strip("/")
        self.zone = self._zone()
        self.now = datetime.now(UTC)
        self.files_seen = 0
        self.people: dict[str, dict[str, Any]] = {}
        self.authors: dict[str, ImportedAuthor] = {}
        self.categories: dict[str, ImportedCategory] = {}
        self.links: dict[str, str] = {}
        self.pending: list[tuple[Record, Document, Path, Convert]] = []
        self.static = [root] if layout == "jekyll" else [root / "static", root / "assets"]

    def read(self) -> ImportedSite:
        self._read_files()
        for record, document, file, convert in self.pending:
            self._finish(record, document, file, convert)
        return self.site

    @abstractmethod
    def _read_files(self) -> None:
        """Read the layout's posts and pages into ``self.site`` and ``self.pending``."""

    # Files and configuration

    def _config(self) -> dict[str, Any]:
        names = {
            "jekyll": ("_config.yml", "_config.yaml"),
            "hugo": HUGO_CONFIGS,
            "zola": ("zola.toml", "config.toml"),
        }
        for name in names[self.layout]:
            if (self.root / name).is_file():
                self._check_size(self.root / name, name)
                self.config_name = name
                config = read_config(self.root / name)
                return config if self.layout != "hugo" else lower_keys(config)
        return {}

    def _zone(self) -> tzinfo:
        name = as_text(self.config.get("timezone"))
        try:
            return ZoneInfo(name) if name else UTC
        except (ZoneInfoNotFoundError, ValueError):
            self.site.notice(f"{self.config_name}:1", f"unknown time zone {name!r}; read as UTC")
            return UTC

    def _check_size(self, file: Path, key: str) -> None:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise UnreadableSource(key, f"is larger than {MAX_FILE_BYTES // 2**20} MB")

    def _files(self, folder: Path, prune: Callable[[str], bool]) -> Iterator[tuple[Path, str]]:
        """Markdown files under ``folder``, sorted; links that lead out of the site are refused."""
        for top, dirs, names in os.walk(folder, followlinks=False):
            dirs[:] = sorted(name for name in dirs if not prune(name))
            for name in sorted(names):
                file = Path(top, name)
                self.files_seen += 1
                if self.files_seen > MAX_FILES:
                    raise UnreadableSource(self.root, f"has more than {MAX_FILES} files")
                if file.suffix.lower() not in (*MARKDOWN, ".html"):
                    continue
                key = file.relative_to(self.root).as_posix()
                if file.is_symlink() and not file.resolve().is_relative_to(self.root):
                    self.site.notice(
                        f"{key}:1", "links to a file outside the site folder; not read"
                    )
                    continue
                yield file, key

    def _document(self, file: Path, key: str) -> Document:
        self._check_size(file, key)
        try:
            text = file.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            raise UnreadableSource(key, "is not UTF-8 text") from error
        return split_front_matter(text, key)

    def _date(self, value: object, where: str) -> datetime | None:
        try:
            return as_datetime(value, self.zone)
        except ValueError:
            self.site.notice(where, f"{value!r} is not a date; left out")
            return None

    def _status(self, draft: bool, when: datetime | None) -> PostStatus:
        if draft:
            return PostStatus.DRAFT
        return PostStatus.SCHEDULED if when and when > self.now else PostStatus.PUBLISHED

    def _title(self, meta: Mapping[str, Any], slug: str, where: str) -> str:
        title = as_text(meta.get("title"))
        if not title:
            title = _title_from(slug)
            self.site.notice(where, f"no title; named {title!r} after its file")
        return title

    # People, categories and images

    def _load_people(self, *sources: object) -> None:
        for source in sources:
            for key, value in as_mapping(source).items():
                self.people.setdefault(str(key), as_mapping(value) or {"name": as_text(value)})

    def _load_people_files(self, folder: Path) -> None:
        """Authors kept one to a file (Jekyll's _authors/, Hugo's data/authors/)."""
        if not folder.is_dir():
            return
        for file, key in self._files(folder, lambda name: True):
            document = self._document(file, key)
            person = {"bio": document.body.strip(), **document.meta}
            self.people.setdefault(as_text(person.get("key")) or file.stem, person)
        for file in sorted(folder.glob("*.y*ml")) + sorted(folder.glob("*.toml")):
            self._check_size(file, file.name)
            self.people.setdefault(file.stem, read_config(file, display=file.name))

    def _author(self, value: object, where: str, *, default: bool = False) -> str:
        """The key of the author ``value`` names (a key, a name, or a mapping).

        A name the site does not describe is kept as it is, and reported unless it is the
        site's own default author.
        """
        person = as_mapping(value)
        name = as_text(person.get("name")) if person else as_text(value)
        if name in self.authors:
            return name
        known = person or self.people.get(name) or {}
        # Hugo and Zola sites often name authors without describing them anywhere.
        described = bool(self.people) or self.layout == "jekyll"
        if not known and not default and described:
            self.site.notice(where, f"author {name!r} is not described in the site; kept by name")
        avatar = as_text(known.get("avatar") or known.get("image") or known.get("picture"))
        author = ImportedAuthor(
            key=name,
            name=as_text(known.get("name") or known.get("title") or known.get("display_name"))
            or name,
            slug=slugify(name, allow_unicode=True),
            bio=as_text(known.get("bio") or known.get("description")),
            website=as_text(known.get("website") or known.get("url") or known.get("uri")),
            email=as_text(known.get("email")),
            avatar=self._media(avatar, self.root, where) if avatar else None,
        )
        self.authors[name] = author
        self.site.authors.append(author)
        return name

    def _credits(
        self, names: Sequence[object], default: object, where: str
    ) -> list[ImportedCredit]:
        if not names:
            fallback = default or self.config.get("title") or self.root.name
            return [ImportedCredit(self._author(fallback, where, default=True))]
        keys = dict.fromkeys(self._author(name, where) for name in names if name)
        return [ImportedCredit(key) for key in keys]

    def _categories(self, names: list[str], address: str = "") -> list[str]:
        """Category keys for ``names``, one per slug; ``address`` is the old taxonomy page."""
        keys: list[str] = []
        for name in names:
            slug = slugify(name, allow_unicode=True) or name.lower()
            category = self.categories.get(slug)
            if category is None:
                category = self.categories[slug] = ImportedCategory(slug, name, slug)
                self.site.categories.append(category)
            old = self._old(address.format(slug=slug)) if address else ""
            if old and old not in category.old_paths:
                category.old_paths.append(old)
            if slug not in keys:
                keys.append(slug)
        return keys

    def _media(self, reference: str, folder: Path, where: str) -> ImportedMedia | None:
        """An image the text refers to: a file in the site, or a remote address."""
        reference = reference.strip()
        if not reference or reference.startswith(("data:", "#", "mailto:")):
            return None
        own = f"{self.base_url}/" if self.base_url else None
        if own and reference.startswith(own):
            local, _ = self._find_file("/" + reference.removeprefix(own), folder)
            if local:
                return ImportedMedia(reference, path=local)
        if reference.startswith(("http://", "https://", "//")):
            return ImportedMedia(
                reference, url=f"https:{reference}" if reference[0] == "/" else reference
            )
        found, outside = self._find_file(reference, folder)
        if outside:
            self.site.notice(where, f"image {reference} is outside the site folder; left out")
        elif found is None:
            self.site.notice(where, f"image {reference} is not in the site folder; kept as written")
        if found is None:
            return None
        return ImportedMedia(reference, path=found)

    def _find_file(self, reference: str, folder: Path) -> tuple[Path | None, bool]:
        """The file ``reference`` names, and whether it names one outside the site folder."""
        relative = unquote(reference.split("#", 1)[0].split("?", 1)[0])
        if relative.startswith("/"):
            base = as_text(self.config.get("baseurl")).strip("/") if self.layout == "jekyll" else ""
            plain = relative.lstrip("/")
            options = [plain, plain.removeprefix(f"{base}/")] if base else [plain]
            candidates = [top / option for top in self.static for option in options]
        else:
            # Jekyll writes pages out beside the site root, so a relative path may start there.
            tops = [folder, self.root] if self.layout == "jekyll" else [folder]
            candidates = [top / relative for top in tops]
        outside = False
        for candidate in candidates:
            found = candidate.resolve()
            if not found.is_relative_to(self.root):
                outside = True
            elif found.is_file():
                return found, False
        return None, outside

    def _hero(self, *values: object) -> tuple[str, str]:
        """The first hero image named, and its alternative text."""
        for value in values:
            if isinstance(value, list):
                value = value[0] if value else None
            if isinstance(value, dict):
                reference = as_text(value.get("image") or value.get("path") or value.get("src"))
                if reference:
                    return reference, as_text(value.get("alt"))
            elif as_text(value):
                return as_text(value), ""
        return "", ""

    # Bodies

    def _finish(self, record: Record, document: Document, file: Path, convert: Convert) -> None:
        conversion = convert(document.body, document.meta)
        for problem in conversion.problems:
            self.site.notice(
                f"{record.key}:{document.body_line + problem.line - 1}", problem.message
            )
        body, summary = self._split_more(conversion.markdown, document.meta)
        body = self._as_markdown(record, body, file)
        if isinstance(record, ImportedPost) and not record.summary:
            record.summary = summary
        record.body = shortcodes.tidy_blank_lines(body).strip("\n") + "\n"
        record.media = self._body_media(record.body, file.parent, record.key, document)

    def _as_markdown(self, record: Record, body: str, file: Path) -> str:
        """The body as Markdown: only Jekyll's layout has bodies written in HTML."""
        return body

    def _split_more(self, body: str, meta: Mapping[str, Any]) -> tuple[str, str]:
        separators = [as_text(meta.get("excerpt_separator"))]
        if self.layout == "jekyll":
            separators.append(as_text(self.config.get("excerpt_separator")))
        for separator in filter(str.strip, separators):
            before, found, after = body.partition(separator)
            if found:
                return before + after, plain_text(before)
        found_more = MORE.search(body)
        if found_more is None:
            return body, ""
        before = body[: found_more.start()]
        return before + body[found_more.end() :], plain_text(before)

    def _body_media(
        self, body: str, folder: Path, key: str, document: Document
    ) -> list[ImportedMedia]:
        media: dict[str, ImportedMedia] = {}
        # Images are looked for in the source in order, so finding their lines stays linear.
        source, searched, line = document.body, 0, document.body_line
        for found in (*IMAGE_MARKDOWN.finditer(body), *IMAGE_HTML.finditer(body)):
            reference = found.group(1)
            if reference in media:
                continue
            at = source.find(reference, searched)
            if at >= 0:
                line += source.count("\n", searched, at)
                searched = at
            item = self._media(reference, folder, f"{key}:{line}")
            if item:
                media[reference] = item
        return list(media.values())

    def _old(self, path: str) -> str:
        return as_path(f"{self.base_path}/{path.strip()}" if path.strip() else "")

    def _resolve(self, target: str) -> str | None:
        path, _, anchor = target.strip().strip("\"'").partition("#")
        found = self.links.get(path.removeprefix("./").strip("/"))
        return None if found is None else found + (f"#{anchor}" if anchor else "")
