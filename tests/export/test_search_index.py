"""The static search index: one Pagefind bundle, or parts by half-year merged in the browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linernotes.export.search_index import SearchIndex, is_post_page, part_of

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<article data-pagefind-body><h1 data-pagefind-meta="title">{title}</h1><p>{text}</p></article>
</body></html>"""


def site(root: Path, posts: dict[str, str]) -> list[str]:
    """Post pages at ``YYYY/MM/slug/index.html``, and a listing Pagefind must not index."""
    for name, text in posts.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(title=name.split("/")[2], text=text), encoding="utf-8")
    (root / "index.html").write_text(PAGE.format(title="Home", text="listing"), encoding="utf-8")
    return list(posts)


def test_post_pages_and_their_parts_are_named_by_their_addresses() -> None:
    assert is_post_page("2024/03/a-post/index.html")
    assert not is_post_page("category/x/index.html")
    assert not is_post_page("2024/03/a-post/index.html.gz")
    assert (part_of("2024/06/x/index.html"), part_of("2024/07/x/index.html")) == (
        "2024-1",
        "2024-2",
    )


def test_a_small_site_has_one_index(tmp_path: Path) -> None:
    files = site(tmp_path, {"2024/03/one/index.html": "kettle", "2025/09/two/index.html": "lamp"})
    assert SearchIndex(tmp_path, files, None, part_posts=10).wait() == 2
    assert (tmp_path / "pagefind" / "pagefind-entry.json").is_file()
    assert not (tmp_path / "pagefind" / "parts").exists()


def test_a_large_site_is_indexed_in_parts_and_an_edit_redoes_one(tmp_path: Path) -> None:
    files = site(
        tmp_path,
        {
            "2024/03/one/index.html": "kettle",
            "2024/05/two/index.html": "kettle and lamp",
            "2025/09/three/index.html": "lamp",
        },
    )
    SearchIndex(tmp_path, files, None, part_posts=2).wait()
    parts = tmp_path / "pagefind" / "parts"
    assert sorted(path.name for path in parts.iterdir()) == ["2024-1", "2025-2"]
    shim = (tmp_path / "pagefind" / "pagefind.js").read_text()
    listed = json.loads(shim.split("const parts = ", 1)[1].split(";", 1)[0])
    assert listed == ["/pagefind/parts/2025-2/", "/pagefind/parts/2024-1/"]
    assert "mergeIndex" in shim
    untouched = (parts / "2025-2" / "pagefind-entry.json").stat().st_mtime_ns

    SearchIndex(tmp_path, files, {"2024-1"}, part_posts=2).wait()
    assert (parts / "2025-2" / "pagefind-entry.json").stat().st_mtime_ns == untouched
    assert (parts / "2024-1" / "pagefind-entry.json").is_file()


def test_a_part_with_no_posts_left_is_removed(tmp_path: Path) -> None:
    files = site(tmp_path, {"2024/03/one/index.html": "a", "2025/09/two/index.html": "b"})
    SearchIndex(tmp_path, files, None, part_posts=1).wait()
    (tmp_path / "2024/03/one/index.html").unlink()
    SearchIndex(tmp_path, files[1:], {"2024-1"}, part_posts=0).wait()
    assert [path.name for path in (tmp_path / "pagefind" / "parts").iterdir()] == ["2025-2"]


@pytest.mark.parametrize("part_posts", [10, 1])
def test_listings_are_not_indexed(tmp_path: Path, part_posts: int) -> None:
    files = site(tmp_path, {"2024/03/one/index.html": "a", "2025/09/two/index.html": "b"})
    SearchIndex(tmp_path, files, None, part_posts=part_posts).wait()
    indexed = sum(
        json.loads(entry.read_text())["languages"]["en"]["page_count"]
        for entry in (tmp_path / "pagefind").rglob("pagefind-entry.json")
    )
    assert indexed == 2
