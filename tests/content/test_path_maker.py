"""path_maker(): one reverse() for thousands of addresses, the same answers as path_to()."""

from __future__ import annotations

import functools

import pytest
from django.urls import NoReverseMatch

from linernotes.content.addresses import path_maker, path_to

SLUGS = ["a", "moving-a-monolith", "x_y", "2024", "06", "sample-slug-p"]


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize(("year", "month"), [(1999, "01"), (2024, "06"), (2031, "12")])
def test_it_answers_as_reverse_would(year: int, month: str, slug: str) -> None:
    make = path_maker("site:post", 1987, "06", "sample-slug-p")
    assert make(year, month, slug) == path_to("site:post", year, month, slug)


def test_arguments_reverse_would_quote_go_through_reverse() -> None:
    make = path_maker("site:placeholder", "sample-slug-p")
    # Not a slug: reverse() refuses it, and so does the maker, rather than making it up.
    with pytest.raises(NoReverseMatch):
        make("two words")


def test_a_sample_that_is_also_in_the_address_s_fixed_part_is_not_cut_on() -> None:
    # "02" is in "2002" too: a cut could land in the wrong place, so every call reverses.
    make = path_maker("site:post", 2002, "02", "slug")
    assert isinstance(make, functools.partial)
    assert make(2024, "06", "slug") == "/2024/06/slug/"
