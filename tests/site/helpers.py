from __future__ import annotations

from bs4 import BeautifulSoup
from django.http.response import HttpResponseBase


def parse(response: HttpResponseBase) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "lxml")  # type: ignore[attr-defined]


def card_titles(page: BeautifulSoup) -> list[str]:
    return [h.get_text(strip=True) for h in page.select("#cards .card__title")]
