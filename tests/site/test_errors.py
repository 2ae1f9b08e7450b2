from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client, RequestFactory

from linernotes.site.views import server_error


def test_server_error_page_needs_neither_database_nor_context() -> None:
    # Rendered with no database access allowed: the error may have come from the database.
    response = server_error(RequestFactory().get("/broken/"))
    page = BeautifulSoup(response.content, "lxml")
    assert response.status_code == 500
    assert page.select_one("h1").get_text() == "Something went wrong on our side"
    assert page.select_one("a")["href"] == "/"


@pytest.mark.django_db
def test_unknown_top_level_address_is_a_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    page = BeautifulSoup(response.content, "lxml")
    assert response.status_code == 404
    assert page.select_one("main h1").get_text() == "We couldn’t find that page"
    assert page.select_one("a.skip-link")["href"] == "#main"
