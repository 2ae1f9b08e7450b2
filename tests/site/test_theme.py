"""The theme's markup: the header's menu, archives' paging and the filter's titles."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.site.helpers import parse

pytestmark = pytest.mark.django_db


def test_the_menu_button_waits_for_the_script_and_controls_the_search_and_links(
    client: Client,
) -> None:
    page = parse(client.get("/"))
    header = page.select_one("header.site-header")
    button = header.select_one("button.site-menu-toggle")
    # Without the script nothing folds: the button stays hidden and the menu in view.
    assert button.has_attr("hidden")
    assert button["type"] == "button"
    assert button["aria-expanded"] == "false"
    menu = page.find(id=button["aria-controls"])
    assert menu is not None
    assert not menu.has_attr("hidden")
    assert menu.select_one('form[role="search"]') is not None
    assert menu.select_one('nav[aria-label="Main"]') is not None
    assert button.get_text(strip=True) == "Menu"


@pytest.mark.parametrize("kind", ["category", "author"])
def test_archives_have_numbered_pages_and_no_load_more(client: Client, settings, kind: str) -> None:
    settings.LINERNOTES_PAGE_SIZE = 2
    platform = CategoryFactory.create(name="Platform", slug="platform")
    ada = AuthorFactory.create(name="Ada", slug="ada")
    for _ in range(5):
        PostFactory.create(categories=[platform], authors=[ada])
    address = "/category/platform/" if kind == "category" else "/author/ada/"

    for path in (address, f"{address}page/2/"):
        page = parse(client.get(path))
        assert len(page.select("nav.pagination")) == 1
        assert page.select("[data-load-more], .load-more") == []
    # The cards alone (what the home page's filter shows in place) still end in "Load More".
    fragment = parse(client.get(address, {"fragment": "cards"}))
    assert fragment.select_one("[data-load-more]")["href"] == f"{address}page/2/"


def test_each_filter_carries_the_title_of_the_page_it_stands_for(client: Client) -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    web = CategoryFactory.create(name="Web & Mobile", slug="web")
    PostFactory.create(categories=[data])
    PostFactory.create(categories=[web])
    PostFactory.create(categories=[data, web])

    def title(path: str, **query: str) -> str:
        return parse(client.get(path, query)).title.get_text()

    for address in ("/", "/?category=data"):
        filters = parse(client.get(address)).select("[data-filter]")
        titles = {item["data-filter"]: item["data-title"] for item in filters}
        assert titles == {
            "": title("/"),
            "data": title("/category/data/"),
            "web": title("/category/web/"),
        }
    # The home page filtered in place has the title it has when loaded filtered.
    assert titles["data"] == title("/", category="data")
    assert titles["web"] == "Web & Mobile · Liner Notes Engineering"
