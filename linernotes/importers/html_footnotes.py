"""Footnotes in imported HTML: WordPress and Ghost write them as a linked ``<sup>`` in the text
and an ``<ol>`` of notes that link back. Pairs that point at each other become the markers
html_markdown turns into Markdown footnotes (``[^1]``), without their back links."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

# What a note's link back to its reference says, when its address does not name the reference.
BACKLINK_TEXT = frozenset({"↩", "↩︎", "↑", "^", "[return]"})


def mark_footnotes(soup: BeautifulSoup) -> None:
    """Turn reference/note pairs that point at each other into footnote markers."""
    refs: dict[str, list[Tag]] = {}
    for sup in soup.find_all("sup"):
        link = sup.find("a", href=True)
        href = str(link.get("href")) if isinstance(link, Tag) else ""
        if href.startswith("#") and len(href) > 1:
            refs.setdefault(href[1:], []).append(sup)
    if not refs:
        return
    for notes in soup.find_all("ol"):
        items = notes.find_all("li", recursive=False)
        if not items or not all(str(item.get("id") or "") in refs for item in items):
            continue
        for number, item in enumerate(items, 1):
            for sup in refs.pop(str(item.get("id"))):
                link = sup.find("a")
                ref_ids = {str(sup.get("id") or ""), str(link.get("id") or "") if link else ""}
                marker = soup.new_tag("footnote-ref", attrs={"data-label": str(number)})
                sup.replace_with(marker)
                _remove_backlinks(item, ref_ids - {""})
            item.name = "footnote-def"
            item["data-label"] = str(number)
        notes.name = "footnote-list"
        # The Markdown footnotes come with their own rule above them.
        wrapper = notes.parent
        classes = wrapper.get("class") if isinstance(wrapper, Tag) else None
        if (
            isinstance(wrapper, Tag)
            and isinstance(classes, list)
            and "footnotes" in " ".join(classes)
        ):
            for rule in wrapper.find_all("hr", recursive=False):
                rule.decompose()


def _remove_backlinks(item: Tag, ref_ids: set[str]) -> None:
    for link in item.find_all("a", href=True):
        href = str(link.get("href"))
        text = link.get_text().strip()
        if href.startswith("#") and (href[1:] in ref_ids or text in BACKLINK_TEXT):
            link.decompose()
