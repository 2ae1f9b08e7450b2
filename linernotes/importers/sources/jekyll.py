"""Jekyll's layout: posts in _posts/ and _drafts/, pages anywhere else, Liquid in the bodies.

Read on the shared ``site_folder.Reader``: dates and slugs from post file names, addresses
from the permalink styles, authors from _config.yml, _data/ and _authors/.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from linernotes.importers import shortcodes
from linernotes.importers.front_matter import as_list, as_text, read_config
from linernotes.importers.records import ImportedPage, ImportedPost, Severity
from linernotes.importers.sources.site_folder import (
    PLACEHOLDER,
    Reader,
    Record,
    as_mapping,
    as_path,
)

# Folders of a Jekyll site that hold no pages: its output, and tools' folders.
NOT_PAGES = {"node_modules", "vendor", "public", "assets"}
JEKYLL_POST = re.compile(r"(\d{4})-(\d\d)-(\d\d)-(.+)\.(md|markdown|html)")
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def _not_pages(folder: str) -> bool:
    """Jekyll's own folders (_posts, _site...), hidden ones and tools' folders hold no pages."""
    return folder[0] in "._" or folder in NOT_PAGES


class JekyllReader(Reader):
    def _read_files(self) -> None:
        self._load_people(self.config.get("authors"))
        for name in ("authors.yml", "authors.yaml", "authors.json"):
            if (self.root / "_data" / name).is_file():
                self._check_size(self.root / "_data" / name, f"_data/{name}")
                self._load_people(read_config(self.root / "_data" / name, display=f"_data/{name}"))
        self._load_people_files(self.root / "_authors")
        for folder, draft in (("_posts", False), ("_drafts", True)):
            for file, key in self._files(self.root / folder, lambda name: name.startswith(".")):
                self._jekyll_post(file, key, draft)
        for file, key in self._files(self.root, _not_pages):
            if file.suffix != ".html" and not (
                key.startswith("_") or key in {"index.md", "404.md"}
            ):
                self._jekyll_page(file, key)

    def _jekyll_convert(self, body: str, meta: dict[str, Any]) -> shortcodes.Conversion:
        return shortcodes.convert_liquid(body, site=self.config, resolve=self._resolve)

    def _jekyll_convert_html(self, body: str, meta: dict[str, Any]) -> shortcodes.Conversion:
        return shortcodes.convert_liquid(body, site=self.config, resolve=self._resolve, html=True)

    def _jekyll_post(self, file: Path, key: str, draft: bool) -> None:
        named = JEKYLL_POST.fullmatch(file.name)
        if named is None and not draft:
            self.site.notice(f"{key}:1", "not named YYYY-MM-DD-title, so Jekyll skips it")
            return
        document = self._document(file, key)
        meta, where = document.meta, f"{key}:1"
        slug = as_text(meta.get("slug")) or (named.group(4) if named else file.stem)
        when = self._date(meta.get("date"), where)
        if when is None and named:
            when = self._date("-".join(named.group(1, 2, 3)), where)
        draft = draft or meta.get("published") is False
        categories = as_list(meta.get("categories"), split_spaces=True) + as_list(
            meta.get("category")
        )
        hero, alt = self._hero(
            meta.get("image"),
            meta.get("feature_image"),
            as_mapping(meta.get("header")).get("image"),
            as_mapping(meta.get("header")).get("overlay_image"),
        )
        seo = as_mapping(meta.get("seo"))
        authors = as_list(meta.get("authors")) or as_list(meta.get("author"))
        post = ImportedPost(
            key=key,
            title=self._title(meta, slug, where),
            slug=slug,
            body="",
            status=self._status(draft, when),
            published_at=when,
            created_at=when,
            updated_at=self._date(meta.get("last_modified_at"), where),
            summary=as_text(meta.get("excerpt") or meta.get("description")),
            category_keys=self._categories(
                categories + as_list(meta.get("tags"), split_spaces=True)
            ),
            credits=self._credits(
                authors or ([meta["author"]] if isinstance(meta.get("author"), dict) else []),
                self.config.get("author"),
                where,
            ),
            hero_image=self._media(hero, file.parent, where) if hero else None,
            hero_image_alt=alt,
            noindex=meta.get("sitemap") is False,
            meta_title=as_text(seo.get("title")),
            meta_description=as_text(seo.get("description")),
            canonical_url=as_text(meta.get("canonical_url")),
            where=where,
        )
        if when and not draft:
            pattern = as_text(meta.get("permalink") or self.config.get("permalink")) or "date"
            address = self._jekyll_address(pattern, slug, when, categories)
            post.old_paths = [
                self._old(old) for old in [address, *as_list(meta.get("redirect_from"))]
            ]
            stem = file.relative_to(self.root / "_posts").with_suffix("").as_posix()
            self.links.update({key: address, stem: address})
        self.site.posts.append(post)
        html = file.suffix == ".html"
        convert = self._jekyll_convert_html if html else self._jekyll_convert
        self.pending.append((post, document, file, convert))

    def _jekyll_address(
        self, pattern: str, slug: str, when: datetime, categories: list[str]
    ) -> str:
        values = {
            "year": f"{when:%Y}",
            "month": f"{when:%m}",
            "day": f"{when:%d}",
            "i_month": str(when.month),
            "i_day": str(when.day),
            "short_year": f"{when:%y}",
            "y_day": f"{when:%j}",
            "title": slug,
            "slug": slug,
            "categories": "/".join(category.lower() for category in categories),
            "output_ext": ".html",
        }
        expanded = PLACEHOLDER.sub(
            lambda m: values.get(m.group(1), m.group(0)), JEKYLL_STYLES.get(pattern, pattern)
        )
        return as_path(expanded)

    def _jekyll_page(self, file: Path, key: str) -> None:
        document = self._document(file, key)
        if not document.has_front_matter:
            return  # Jekyll copies such files as they are; they are not pages
        meta, where = document.meta, f"{key}:1"
        parent = file.relative_to(self.root).parent.as_posix()
        folder = "" if parent == "." else parent
        slug = as_text(meta.get("slug")) or (
            folder.rsplit("/", 1)[-1] if file.stem == "index" else file.stem
        )
        pretty = as_text(self.config.get("permalink")) == "pretty" or file.stem == "index"
        path = f"{folder}/" if file.stem == "index" else f"{folder}/{file.stem}"
        address = as_path(
            as_text(meta.get("permalink")) or (f"{path}/" if pretty else f"{path}.html")
        )
        page = ImportedPage(
            key=key,
            title=self._title(meta, slug, where),
            slug=slug,
            body="",
            published=meta.get("published") is not False,
            noindex=meta.get("sitemap") is False,
            old_paths=[self._old(old) for old in [address, *as_list(meta.get("redirect_from"))]],
            where=where,
        )
        self.links[key] = address
        self.site.pages.append(page)
        self.pending.append((page, document, file, self._jekyll_convert))

    def _as_markdown(self, record: Record, body: str, file: Path) -> str:
        if file.suffix != ".html":
            return body
        from linernotes.importers.html_markdown import html_to_markdown

        converted = html_to_markdown(body)
        for kept in converted.kept_html:
            self.site.notice(record.where, f"kept as HTML: {kept}", Severity.INFO)
        for note in converted.notes:
            self.site.notice(record.where, note, Severity.INFO)
        return converted.markdown
