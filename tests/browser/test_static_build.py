"""The demo built to a folder and served by Debian's nginx with the shipped configuration:
pages, feeds, redirects, compressed files, and the search, "Load More" and filter in a browser.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import Browser, Page, expect

from linernotes.export.preview import serve
from tests.processes import REPOSITORY, clean_environment, free_port, run_python
from tests.serving import NoRedirects, nginx_main_config

pytestmark = pytest.mark.browser

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED = REPOSITORY / "deploy" / "nginx-static.conf"
# Words the demo's posts are about, and the live search's own test of relevance.
QUERIES = ["backstage", "kubernetes", "machine learning", "podcast", "accessibility", "data"]


@dataclass(frozen=True)
class StaticSite:
    url: str
    root: Path
    env: dict[str, str]
    # The same site built with its search index in parts, served by the build's preview.
    parts_url: str


def nginx_config(root: Path, port: int, prefix: Path) -> str:
    server = SHIPPED.read_text(encoding="utf-8")
    for placeholder in ("listen 80;", "/srv/blog/public"):
        assert placeholder in server, f"{SHIPPED.name} no longer has {placeholder!r}"
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server = server.replace("/srv/blog/public", str(root))
    redirects = root / "nginx-redirects.conf"
    return nginx_main_config(prefix, f"  access_log off;\n  include {redirects};\n{server}")


def _linernotes(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "linernotes.cli", *args],
        env=env, cwd=REPOSITORY, check=True, capture_output=True, timeout=600,
    )  # fmt: skip


@pytest.fixture(scope="module")
def static_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticSite]:
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (Debian package 'nginx-light')")
        pytest.skip("nginx is not installed (Debian package 'nginx-light')")
    var = tmp_path_factory.mktemp("static-var")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="linernotes.config.settings",
        LINERNOTES_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'demo.sqlite3'}",
        LINERNOTES_SITE_URL=url,
    )
    _linernotes(env, "demo", "--no-serve")
    _linernotes(env, "redirects", "add", "--regex", r"^/blog/(.*)$", "/$1")
    _linernotes(env, "redirects", "add", "/old-about/", "/about/")
    root = var / "public"
    _linernotes(env, "build", str(root), "--base-url", url)
    parts_port = free_port()
    parts = var / "public-parts"
    parts_url = f"http://127.0.0.1:{parts_port}"
    _linernotes(env, "build", str(parts), "--base-url", parts_url, "--search-part-posts", "10")
    preview = serve(parts, parts_port)
    prefix = var / "nginx"
    prefix.mkdir()
    config = prefix / "nginx.conf"
    config.write_text(nginx_config(root, port, prefix), encoding="utf-8")
    log = (prefix / "stderr.log").open("wb")
    server = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(config), "-g", "daemon off;"], stderr=log
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(url + "/robots.txt", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    said = (prefix / "stderr.log").read_text()
                    raise RuntimeError(f"nginx did not start: {said}") from None
                time.sleep(0.1)
        yield StaticSite(url, root, env, parts_url)
    finally:
        preview.shutdown()
        preview.server_close()
        server.terminate()
        server.wait(timeout=10)
        log.close()


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: bytes


def fetch(url: str, **headers: str) -> Answer:
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.headers, error.read())


def test_pages_feeds_and_files_are_served(static_site: StaticSite) -> None:
    posts = sorted(static_site.root.glob("20[0-9][0-9]/[01][0-9]/*/index.html"))
    assert len(posts) == 58
    post = "/" + posts[0].relative_to(static_site.root).parent.as_posix() + "/"
    for address, kind in [
        ("/", "text/html"),
        ("/page/2/", "text/html"),
        ("/page/2/cards.html", "text/html"),
        (post, "text/html"),
        ("/category/platform/", "text/html"),
        ("/author/ada-okafor/", "text/html"),
        ("/about/", "text/html"),
        ("/search/", "text/html"),
        ("/sitemap.xml", "text/xml"),
        ("/robots.txt", "text/plain"),
        ("/feed/json/", "application/json"),
    ]:
        response = fetch(static_site.url + address)
        assert response.status == 200, address
        assert response.headers["Content-Type"].startswith(kind), address
    feed = feedparser.parse(fetch(static_site.url + "/feed/").body)
    assert not feed.bozo
    assert len(feed.entries) >= 10
    assert feed.entries[0].link.startswith(static_site.url + "/20")
    atom = feedparser.parse(fetch(static_site.url + "/category/platform/feed/atom/").body)
    assert atom.version == "atom10"
    assert atom.entries


def test_html_is_sent_precompressed_with_the_sites_headers(static_site: StaticSite) -> None:
    response = fetch(static_site.url + "/", **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.body) == (static_site.root / "index.html").read_bytes()
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy
    assert "unsafe-inline" not in policy
    assert fetch(static_site.url + "/.linernotes-build.json").status == 404


def test_missing_addresses_get_the_sites_404_page(static_site: StaticSite) -> None:
    response = fetch(static_site.url + "/no/such/page/")
    assert response.status == 404
    assert response.body == (static_site.root / "404.html").read_bytes()


def test_old_addresses_redirect_permanently(static_site: StaticSite) -> None:
    for old, new in [
        ("/category/maching-learning/", "/category/machine-learning/"),  # a category alias
        ("/old-about/", "/about/"),  # an exact rule, before its refresh page
        ("/blog/about/", "/about/"),  # a pattern rule, once no file matched
        ("/feed", "/feed/"),
    ]:
        response = fetch(static_site.url + old)
        assert (response.status, response.headers["Location"]) == (301, static_site.url + new), old
    found = fetch(static_site.url + "/?s=podcast")
    assert (found.status, found.headers["Location"]) == (
        302,
        static_site.url + "/search/?q=podcast",
    )
    # A pattern never hides a page.
    assert fetch(static_site.url + "/about/").status == 200


def test_built_pages_are_the_bytes_the_live_site_renders(static_site: StaticSite) -> None:
    script = f"""
import django, json
django.setup()
from pathlib import Path
from django.test import Client
from django.test.utils import override_settings
from linernotes.export.builder import static_settings
from linernotes.export.manifest import Manifest
root = Path({str(static_site.root)!r})
compared, different = 0, []
with override_settings(**static_settings({static_site.url!r})):
    client = Client(HTTP_HOST="127.0.0.1")
    for address, entry in Manifest.load(root).entries.items():
        response = client.get(address)
        if response.status_code in (301, 302):
            continue
        compared += 1
        if response.content != (root / entry.file).read_bytes():
            different.append(address)
print(json.dumps([compared, different]))
"""
    result = run_python(script, env=static_site.env)
    compared, different = json.loads(result.stdout.strip().splitlines()[-1])
    assert different == []
    assert compared > 400


def test_static_search_finds_posts_in_the_browser(static_site: StaticSite, page: Page) -> None:
    page.goto(static_site.url + "/search/?q=backstage")
    page.wait_for_selector(".search-result")
    titles = page.locator(".search-result a").all_inner_texts()
    assert any("Backstage" in title for title in titles)
    assert page.locator(".search-result mark").count() > 0
    page.fill("#search-input", "kubernetes")
    expect(page).to_have_url(static_site.url + "/search/?q=kubernetes")
    assert "kubernetes" in page.locator("#search-status").inner_text().lower()


def test_header_search_goes_to_the_static_search_page(static_site: StaticSite, page: Page) -> None:
    page.goto(static_site.url + "/about/")
    page.fill("#site-search-input", "podcast")
    page.press("#site-search-input", "Enter")
    page.wait_for_url("**/search/?q=podcast")
    page.wait_for_selector(".search-result")


def test_load_more_and_the_filter_use_prebuilt_fragments(
    static_site: StaticSite, page: Page
) -> None:
    page.goto(static_site.url + "/")
    cards = page.locator("#cards > li")
    before = cards.count()
    page.click("[data-load-more]")
    cards.nth(before).wait_for()
    page.click("[data-filter='platform']")
    expect(page.locator(".featured")).to_be_hidden()
    assert page.url == static_site.url + "/"
    heading = page.locator(".filter__heading").inner_text()
    assert heading == page.locator("[data-filter='platform']").inner_text()


def test_static_search_agrees_with_the_live_search(
    static_site: StaticSite, browser: Browser
) -> None:
    script = f"""
import django, json
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
found = {{}}
for query in {QUERIES!r}:
    results = client.get("/api/search", {{"q": query}}).json()["results"]
    found[query] = [result["url"].split("://", 1)[1].split("/", 1)[1] for result in results[:5]]
print(json.dumps(found))
"""
    live = json.loads(run_python(script, env=static_site.env).stdout.strip().splitlines()[-1])
    tab = browser.new_page()
    tab.goto(static_site.url + "/search/")
    static = tab.evaluate(
        """async (queries) => {
            const pagefind = await import("/pagefind/pagefind.js");
            const found = {};
            for (const query of queries) {
                const search = await pagefind.search(query);
                const data = await Promise.all(search.results.slice(0, 5).map((r) => r.data()));
                found[query] = data.map((d) => d.url.replace(/^\\//, ""));
            }
            return found;
        }""",
        QUERIES,
    )
    tab.close()
    overlaps = []
    for query in QUERIES:
        assert live[query], f"the live search finds nothing for {query!r}"
        # The live search's best result is among the static search's first three.
        assert live[query][0] in static[query][:3], (query, live[query], static[query])
        overlaps.append(len(set(live[query]) & set(static[query])) / len(live[query]))
    assert sum(overlaps) / len(overlaps) >= 0.6, overlaps


PAGEFIND_URLS = """async (queries) => {
    const pagefind = await import("/pagefind/pagefind.js");
    const found = {};
    for (const query of queries) {
        const search = await pagefind.search(query);
        const data = await Promise.all(search.results.map((r) => r.data()));
        found[query] = data.map((d) => d.url).sort();
    }
    return found;
}"""


def test_an_index_in_parts_finds_what_one_index_finds(
    static_site: StaticSite, browser: Browser
) -> None:
    parts = sorted(
        path.name
        for path in (static_site.root.parent / "public-parts" / "pagefind" / "parts").iterdir()
    )
    assert len(parts) > 3
    found = {}
    for site in (static_site.url, static_site.parts_url):
        tab = browser.new_page()
        tab.goto(site + "/search/")
        found[site] = tab.evaluate(PAGEFIND_URLS, QUERIES)
        tab.close()
    for query in QUERIES:
        whole = set(found[static_site.url][query])
        in_parts = set(found[static_site.parts_url][query])
        assert whole, query
        # Each part trims its own weak matches, so parts may find a few more, never fewer.
        assert whole <= in_parts, (query, whole - in_parts)
