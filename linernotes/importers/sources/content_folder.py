"""Hugo's and Zola's layout: every post and page under content/, sections as folders.

Read on the shared ``site_folder.Reader``. A top-level section whose entries carry dates holds
posts, the rest are pages; addresses follow Hugo's permalinks or Zola's paths, and the bodies'
shortcodes are converted the way each generator writes them.
"""

from __future__ import annotations

import posixpath
import re
from collections import ChainMap
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from linernotes.importers import shortcodes
from linernotes.importers.front_matter import Document, as_list, as_text
from linernotes.importers.records import ImportedPage, ImportedPost, UnreadableSource
from linernotes.importers.sources.site_folder import (
    MARKDOWN,
    PLACEHOLDER,
    Reader,
    Record,
    as_mapping,
    as_path,
    lower_keys,
)

DATE_PREFIX = re.compile(r"(\d{4}-\d\d-\d\d)[_-](.+)")


class ContentFolderReader(Reader):
    def _read_files(self) -> None:
        content = self.root / "content"
        if not content.is_dir():
            raise UnreadableSource(self.root, "has no content/ folder")
        if self.layout == "hugo":
            self._load_people(lower_keys(self.config.get("params")).get("authors"))
            self._load_people_files(self.root / "data" / "authors")
        entries = []
        for file, key in self._files(content, lambda name: name.startswith(".")):
            if file.suffix in MARKDOWN and not file.name.startswith("_index."):
                document = self._document(file, key)
                entries.append((file, key, file.relative_to(content), document))
        dated = {
            relative.parts[0]
            for _, _, relative, document in entries
            if "date" in lower_keys(document.meta) or DATE_PREFIX.match(relative.name)
        }
        for file, key, relative, document in entries:
            bundle = file.stem == "index"
            folders = relative.parts[:-2] if bundle else relative.parts[:-1]
            meta = lower_keys(document.meta) if self.layout == "hugo" else document.meta
            kind = as_text(meta.get("type") or meta.get("layout")).lower()
            is_page = not folders or folders[0] not in dated or kind == "page"
            name = relative.parts[-2] if bundle else file.stem
            self._content_entry(file, key, "/".join(folders), name, is_page, document)

    def _content_entry(
        self, file: Path, key: str, section: str, name: str, is_page: bool, document: Document
    ) -> None:
        hugo = self.layout == "hugo"
        meta = lower_keys(document.meta) if hugo else document.meta
        extra = as_mapping(meta.get("extra"))
        where = f"{key}:1"
        prefixed = DATE_PREFIX.fullmatch(name) if not hugo else None
        base_name = prefixed.group(2) if prefixed else name
        slug = as_text(meta.get("slug")) or (base_name if hugo else slugify(base_name))
        title = self._title(meta, slug, where)
        when = self._date(meta.get("publishdate") or meta.get("date"), where)
        if when is None and prefixed:
            when = self._date(prefixed.group(1), where)
        updated = self._date(meta.get("lastmod" if hugo else "updated"), where)
        draft = meta.get("draft") is True
        address = self._content_address(meta, section, slug, title, name, None if is_page else when)
        aliases = [as_path(self._alias(alias, address)) for alias in as_list(meta.get("aliases"))]
        old_paths = [] if draft else [self._old(old) for old in (address, *aliases)]
        relative = key.removeprefix("content/")
        # Hugo's ref and Zola's @/ name a page by its path, or by its name where that is unique.
        targets = [relative, relative.rsplit(".", 1)[0], f"{section}/{name}".strip("/"), name]
        targets += [] if file.stem == "index" else [file.name]
        for target in targets:
            self.links.setdefault(target, self._old(address))
        record: Record
        if is_page:
            # A page in Hugo's main menu is in the site's navigation, in the menu's order.
            menu = meta.get("menu")
            weight = meta.get("weight")
            record = ImportedPage(key, title, slug, "", published=not draft, where=where)
            record.show_in_navigation = "main" in [*as_list(menu), *as_mapping(menu)]
            record.navigation_order = weight if isinstance(weight, int) else 0
            self.site.pages.append(record)
        else:
            record = self._content_post(file, key, meta, extra, title, slug, when, draft, where)
            self.site.posts.append(record)
        record.updated_at, record.old_paths = updated, old_paths
        self.pending.append((record, document, file, self._content_convert))

    def _alias(self, alias: str, address: str) -> str:
        """Hugo reads an alias with no leading slash from the page's folder, Zola from the root."""
        if alias.startswith("/") or self.layout == "zola":
            return alias
        joined = posixpath.normpath(posixpath.join(address, "..", alias))
        return joined + "/" if alias.endswith("/") else joined

    def _content_post(
        self,
        file: Path,
        key: str,
        meta: dict[str, Any],
        extra: dict[str, Any],
        title: str,
        slug: str,
        when: datetime | None,
        draft: bool,
        where: str,
    ) -> ImportedPost:
        if self.layout == "hugo":
            taxonomies = {"categories": meta.get("categories"), "tags": meta.get("tags")}
            people = as_list(meta.get("authors")) or as_list(meta.get("author"))
            default = lower_keys(self.config.get("params")).get("author")
            hero = self._hero(
                meta.get("images"), meta.get("featured_image"), meta.get("cover"), meta.get("image")
            )
            if meta.get("expirydate"):
                self.site.notice(
                    where, f"expiryDate {meta['expirydate']} is not imported; the post stays up"
                )
        else:
            taxonomies = as_mapping(meta.get("taxonomies"))
            people = as_list(extra.get("authors")) or as_list(extra.get("author"))
            site_extra = as_mapping(self.config.get("extra"))
            default = site_extra.get("author") or self.config.get("author")
            hero = self._hero(extra.get("image"))
        categories: list[str] = []
        for taxonomy, names in taxonomies.items():
            if taxonomy not in {"categories", "tags"} and names:
                self.site.notice(where, f"taxonomy {taxonomy!r} imported as categories")
            categories += self._categories(as_list(names), f"/{taxonomy}/{{slug}}/")
        return ImportedPost(
            key=key,
            title=title,
            slug=slug,
            body="",
            status=self._status(draft, when),
            published_at=when,
            created_at=self._date(meta.get("date"), where) or when,
            summary=as_text(meta.get("summary") or meta.get("description")),
            category_keys=list(dict.fromkeys(categories)),
            credits=self._credits(list(people), default, where),
            hero_image=self._media(hero[0], file.parent, where) if hero[0] else None,
            hero_image_alt=hero[1],
            where=where,
        )

    def _content_address(
        self,
        meta: Mapping[str, Any],
        section: str,
        slug: str,
        title: str,
        name: str,
        when: datetime | None,
    ) -> str:
        explicit = as_text(meta.get("url") if self.layout == "hugo" else meta.get("path"))
        if explicit:
            return as_path(explicit if "." in explicit.rsplit("/", 1)[-1] else f"{explicit}/")
        if self.layout == "zola":
            return as_path(f"{section}/{slug}/")
        permalinks = lower_keys(self.config.get("permalinks"))
        permalinks = lower_keys(permalinks.get("page")) or permalinks
        pattern = "/:sections/:slugorfilename/"
        if when:  # permalinks are for dated content; an undated page keeps its folder's place
            pattern = as_text(permalinks.get(section.split("/", 1)[0])) or pattern
        moment = when or self.now
        values = {
            "year": f"{moment:%Y}",
            "month": f"{moment:%m}",
            "monthname": f"{moment:%B}".lower(),
            "day": f"{moment:%d}",
            "yearday": str(moment.timetuple().tm_yday),
            "section": section.split("/", 1)[0],
            "sections": section,
            "title": slugify(title),
            "slug": as_text(meta.get("slug")) or slugify(title),
            "filename": name,
            "slugorfilename": slug,
            "contentbasename": name,
            "slugorcontentbasename": slug,
        }
        expanded = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), pattern)
        return as_path(expanded.lower())

    def _content_convert(self, body: str, meta: dict[str, Any]) -> shortcodes.Conversion:
        if self.layout == "zola":
            return shortcodes.convert_zola(body, resolve=self._resolve)
        page = lower_keys(meta)
        params = ChainMap(
            page, lower_keys(page.get("params")), lower_keys(self.config.get("params"))
        )
        return shortcodes.convert_hugo(body, params=params, resolve=self._resolve)
