"""A generated blog as files: a Hugo-layout Markdown folder, the same posts as a WXR file, and
the same posts as a folder in Liner Notes' own layout (what ``linernotes export markdown`` writes).

    .venv/bin/python bench/file_corpus.py markdown DIR --posts 10000
    .venv/bin/python bench/file_corpus.py wordpress FILE.xml --posts 10000
    .venv/bin/python bench/file_corpus.py native DIR --posts 10000

Each post has 1,200 to 2,500 words: paragraphs of sentences from the demo's seed posts (their
teasers of real engineering articles, with a link or bold words now and then), and one to
three of the demo's highlighted code blocks; one to three categories, one or two authors of
the demo's seed posts, and a date in the last five years; the same seed gives the same
corpus. Hugo reads the folder as it is (content/posts/<slug>.md with YAML front matter), so
the build benchmark can use it too. The native folder (docs/exporting.md: linernotes.yaml with
the categories, posts/YYYY/MM/<slug>.md, authors/<slug>.md) holds the same titles, slugs, dates,
bodies, categories and authors, for ``linernotes import markdown`` and ``linernotes build
--content``. No Django is needed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "linernotes" / "demo"
SEED = 2024
WORDS = (1200, 2500)
START = datetime(2021, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class CorpusPost:
    number: int
    title: str
    slug: str
    date: datetime
    categories: list[tuple[str, str]]  # (slug, name)
    authors: list[str]
    body: str


def demo_blocks() -> list[tuple[str, int]]:
    """(Markdown, word count) of every block of the demo's written posts."""
    blocks = []
    for path in sorted((DEMO / "posts").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("---", 2)[2] if text.startswith("---") else text
        for chunk in chunks(body):
            blocks.append((chunk, len(re.findall(r"\w+", chunk))))
    return blocks


def chunks(body: str) -> list[str]:
    """Blank-line separated blocks, fenced code kept whole, footnotes left out."""
    found: list[str] = []
    current: list[str] = []
    in_fence = False
    for line in body.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        if not line.strip() and not in_fence:
            if current:
                found.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        found.append("\n".join(current))
    return [chunk for chunk in found if "[^" not in chunk and not chunk.startswith("[^")]


def corpus(size: int) -> Iterator[CorpusPost]:
    rng = random.Random(SEED + size)
    seed = json.loads((DEMO / "fixtures" / "seed_posts.json").read_text(encoding="utf-8"))
    code = [block for block, _ in demo_blocks() if block.startswith("```")]
    sentences = [
        sentence.strip() + "."
        for entry in seed["posts"]
        for sentence in entry["summary"].split(". ")
        if len(sentence.split()) > 3
    ]
    categories = [(entry["slug"], entry["name"]) for entry in seed["categories"]]
    people = sorted({person["name"] for entry in seed["posts"] for person in entry["authors"]})
    titles = [entry["title"] for entry in seed["posts"]]
    for number in range(size):
        words = rng.choice(titles).split()
        rng.shuffle(words)
        title = " ".join(words[: rng.randint(3, max(3, len(words)))]).strip(":,.") or "Notes"
        target, parts, count = rng.randint(*WORDS), [], 0
        while count < target:
            paragraph = _paragraph(rng, sentences)
            parts.append(paragraph)
            count += len(paragraph.split())
        for _ in range(rng.randint(1, 3)):
            parts.insert(rng.randrange(1, len(parts) + 1), rng.choice(code))
        headed = [
            f"## Part {index + 1}\n\n{part}" if index % 5 == 0 else part
            for index, part in enumerate(parts)
        ]
        yield CorpusPost(
            number=number,
            title=title,
            slug=f"{re.sub(r'[^a-z0-9]+', '-', title.lower())[:60].strip('-')}-{number}",
            date=START + timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60)),
            categories=rng.sample(categories, k=rng.randint(1, 3)),
            authors=rng.sample(people, k=rng.randint(1, 2)),
            body="\n\n".join(headed) + "\n",
        )


def _paragraph(rng: random.Random, sentences: list[str]) -> str:
    """Four to eight sentences of the seed posts' teasers; now and then a link or bold words,
    as engineering posts have."""
    picked = rng.sample(sentences, k=rng.randint(4, 8))
    chosen = [sentence.rstrip(".") + "." for sentence in picked]
    if rng.random() < 0.3:
        words = chosen[0].split()
        chosen[0] = " ".join(
            [f"[{words[0]}](https://example.com/{rng.randint(1, 999)})", *words[1:]]
        )
    if rng.random() < 0.2:
        words = chosen[-1].split()
        chosen[-1] = " ".join([*words[:-2], f"**{words[-2]}**", words[-1]])
    return " ".join(chosen)


def write_markdown(target: Path, size: int) -> int:
    posts_dir = target / "content" / "posts"
    posts_dir.mkdir(parents=True, exist_ok=True)
    (target / "hugo.toml").write_text(
        'baseURL = "https://blog.example/"\ntitle = "Corpus"\n'
        '[permalinks]\n  posts = "/:year/:month/:slug/"\n',
        encoding="utf-8",
    )
    for post in corpus(size):
        front = [
            "---",
            f"title: {json.dumps(post.title)}",
            f"date: {post.date.isoformat()}",
            f"slug: {post.slug}",
            "categories: [" + ", ".join(json.dumps(name) for _, name in post.categories) + "]",
            "authors: [" + ", ".join(json.dumps(name) for name in post.authors) + "]",
            "---",
            "",
        ]
        (posts_dir / f"{post.slug}.md").write_text("\n".join(front) + post.body, encoding="utf-8")
    return size


def slugify(name: str) -> str:
    """Django's slugify for these names: accents dropped, lower case, runs of others as "-"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", plain.lower())).strip("-_")


def write_native(target: Path, size: int) -> int:
    """The same posts in the layout ``linernotes export markdown`` writes (docs/exporting.md)."""
    import yaml  # a dependency of the project, in its virtualenv

    def document(front: dict[str, object], body: str) -> str:
        dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
        return f"---\n{dumped}---\n{body}"

    seed = json.loads((DEMO / "fixtures" / "seed_posts.json").read_text(encoding="utf-8"))
    used_categories: set[str] = set()
    used_authors: set[str] = set()
    for post in corpus(size):
        folder = target / "posts" / f"{post.date:%Y}" / f"{post.date:%m}"
        folder.mkdir(parents=True, exist_ok=True)
        # The primary category first, then the others by name, as the export orders them.
        primary, *others = post.categories
        categories = [primary, *sorted(others, key=lambda category: category[1])]
        front = {
            "title": post.title,
            "slug": post.slug,
            "status": "published",
            "date": post.date.isoformat(timespec="seconds"),
            "categories": [slug for slug, _ in categories],
            "primary_category": primary[0],
            "authors": [{"author": slugify(name)} for name in post.authors],
        }
        (folder / f"{post.slug}.md").write_text(document(front, post.body), encoding="utf-8")
        used_categories.update(slug for slug, _ in post.categories)
        used_authors.update(post.authors)
    entries = [
        {key: entry[key] for key in ("slug", "name", "description", "colour") if entry.get(key)}
        for entry in seed["categories"]
        if entry["slug"] in used_categories
    ]
    entries.sort(key=lambda entry: entry["name"])
    (target / "linernotes.yaml").write_text(
        yaml.safe_dump({"format": 1, "categories": entries}, sort_keys=False, width=1000),
        encoding="utf-8",
    )
    (target / "authors").mkdir(exist_ok=True)
    for name in sorted(used_authors):
        slug = slugify(name)
        (target / "authors" / f"{slug}.md").write_text(
            document({"name": name, "slug": slug}, ""), encoding="utf-8"
        )
    return size


def write_wordpress(target: Path, size: int) -> int:
    """A WXR 1.2 file of the same posts (bodies as Markdown-free HTML is not needed: the
    WordPress importer converts the HTML WordPress stores, so bodies are wrapped per block)."""
    posts = list(corpus(size))
    authors = sorted({name for post in posts for name in post.authors})
    logins = {name: re.sub(r"[^a-z0-9]+", "", name.lower()) for name in authors}
    categories = sorted({category for post in posts for category in post.categories})
    with target.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Corpus</title><link>https://blog.example</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://blog.example</wp:base_site_url>\n"
            "<wp:base_blog_url>https://blog.example</wp:base_blog_url>\n"
        )
        for name in authors:
            out.write(
                f"<wp:author><wp:author_login>{logins[name]}</wp:author_login>"
                f"<wp:author_display_name>{escape(name)}</wp:author_display_name></wp:author>\n"
            )
        for slug, name in categories:
            out.write(
                f"<wp:category><wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:category_parent></wp:category_parent>"
                f"<wp:cat_name>{escape(name)}</wp:cat_name></wp:category>\n"
            )
        for post in posts:
            when = post.date.strftime("%Y-%m-%d %H:%M:%S")
            cats = "".join(
                f'<category domain="category" nicename="{slug}">{escape(name)}</category>'
                for slug, name in post.categories
            )
            out.write(
                f"<item><title>{escape(post.title)}</title>"
                f"<link>https://blog.example/{post.date:%Y/%m/%d}/{post.slug}/</link>"
                f"<dc:creator>{logins[post.authors[0]]}</dc:creator>"
                f"<content:encoded><![CDATA[{_html(post.body)}]]></content:encoded>"
                "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{post.number + 1}</wp:post_id>"
                f"<wp:post_date>{when}</wp:post_date><wp:post_date_gmt>{when}</wp:post_date_gmt>"
                f"<wp:post_name>{post.slug}</wp:post_name><wp:status>publish</wp:status>"
                f"<wp:post_type>post</wp:post_type>{cats}</item>\n"
            )
        out.write("</channel>\n</rss>\n")
    return size


def _html(markdown: str) -> str:
    """The HTML a WordPress editor would store for these blocks (paragraphs and code)."""
    parts = []
    for block in markdown.split("\n\n"):
        if block.startswith("```"):
            lines = block.splitlines()
            language = lines[0][3:].strip()
            code = escape("\n".join(lines[1:-1]))
            parts.append(
                f'<pre class="wp-block-code"><code class="language-{language}">{code}</code></pre>'
            )
        elif block.startswith("## "):
            parts.append(f"<h2>{escape(block[3:])}</h2>")
        else:
            parts.append(f"<p>{escape(block)}</p>")
    return "\n".join(parts).replace("]]>", "]]]]><![CDATA[>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("markdown", "wordpress", "native"))
    parser.add_argument("target", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    options = parser.parse_args()
    write = {"markdown": write_markdown, "wordpress": write_wordpress, "native": write_native}[
        options.kind
    ]
    print(f"wrote {write(options.target, options.posts)} posts to {options.target}")


if __name__ == "__main__":
    main()
