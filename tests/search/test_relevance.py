"""Relevance: queries and the posts that must rank first, on the demo and a generated corpus.

A change to weights, ranking functions or the document builder that moves one of these answers
down fails here, with every query that moved listed at once.
"""

from __future__ import annotations

import pytest
from django.conf import LazySettings

from linernotes.demo.loader import load_demo
from linernotes.search.indexer import rebuild_index
from linernotes.search.service import SearchParams, search
from tests.search.corpus import build_corpus

pytestmark = pytest.mark.usefixtures("backend")

# query -> the titles that must fill the first places, in any order among themselves.
DEMO_EXPECTATIONS: dict[str, set[str]] = {
    "code blocks": {"Code blocks that read well"},
    "highlighting": {"Code blocks that read well"},
    "hero image": {"Images and hero images"},
    "footnotes": {"Tables, footnotes and task lists"},
    "redirect": {"Moving URLs safely"},
    "kubernetes": {"Analyzing Volatile Memory on a Google Kubernetes Engine Node"},
    "accessibility": {"Encore x Accessibility: A Balancing Act"},
    "incident outage": {"Incident Report: Spotify Outage on April 16, 2025"},
    "nearest neighbor search": {
        "Introducing Voyager: Spotify’s New Nearest-Neighbor Search Library"
    },
    '"design systems"': {"Multiple Layers of Abstraction in Design Systems"},
    "bazel": {"Switching Build Systems, Seamlessly"},
    "fleet management": {
        "Fleet Management at Spotify (Part 1): Spotify’s Shift to a Fleet-First Mindset",
        "Fleet Management at Spotify (Part 2): The Path to Declarative Infrastructure",
        "Fleet Management at Spotify (Part 3): Fleet-wide Refactoring",
    },
    "sequential testing": {
        "Bringing Sequential Testing to Experiments with Longitudinal Data (Part 1): "
        "The Peeking Problem 2.0",
        "Bringing Sequential Testing to Experiments with Longitudinal Data (Part 2): "
        "Sequential Testing",
    },
    "FOSS fund": {
        "Congratulations to the Recipients of the 2024 Spotify FOSS Fund",
        "Announcing the Recipients of the 2023 Spotify FOSS Fund",
        "Q&A with the Maintainers of the Spotify FOSS Fund",
    },
    "schultzberg": {
        "Risk-Aware Product Decisions in A/B Tests with Multiple Metrics",
        "Bringing Sequential Testing to Experiments with Longitudinal Data (Part 1): "
        "The Peeking Problem 2.0",
        "Bringing Sequential Testing to Experiments with Longitudinal Data (Part 2): "
        "Sequential Testing",
    },
    "wrapped -load": {
        "Exploring the Animation Landscape of 2023 Wrapped",
        "What’s a “Listening Personality”?",
    },
}

CORPUS_EXPECTATIONS: dict[str, set[str]] = {
    "kafka": {"Kafka consumer lag at scale"},
    "consumer lag": {"Kafka consumer lag at scale"},
    '"feature flags"': {"Rolling out safely"},
    "observability pipeline": {"Tracing requests end to end"},
    "zookeeper": {"Quarterly notes"},
    "tracing -kafka": {"Tracing requests end to end"},
}


def misranked(expectations: dict[str, set[str]]) -> dict[str, list[str]]:
    """The queries whose first results are not the expected posts, with what came first."""
    wrong = {}
    for text, expected in expectations.items():
        outcome = search(SearchParams(text=text), lambda number: "")
        first = [result.post.title for result in outcome.listing.results[: len(expected)]]
        if set(first) != expected:
            wrong[text] = first
    return wrong


def test_demo_content_answers_first_with_the_right_posts(settings: LazySettings) -> None:
    settings.LINERNOTES_PAGE_SIZE = 10
    load_demo()
    rebuild_index()
    assert misranked(DEMO_EXPECTATIONS) == {}


def test_generated_corpus_answers_first_with_the_planted_posts(settings: LazySettings) -> None:
    settings.LINERNOTES_PAGE_SIZE = 10
    planted = build_corpus()
    rebuild_index()
    assert set(planted) == set().union(*CORPUS_EXPECTATIONS.values())
    assert misranked(CORPUS_EXPECTATIONS) == {}
