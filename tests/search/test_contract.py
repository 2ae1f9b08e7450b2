"""The contract every search backend keeps, run against each one on its own database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import LazySettings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linernotes.content.models import Post, Status
from linernotes.search.backends.base import SearchBackend
from linernotes.search.indexer import rebuild_index
from linernotes.search.query import parse_query
from tests.factories import AuthorFactory, CategoryFactory, PostFactory
from tests.search.helpers import find, titles

pytestmark = pytest.mark.usefixtures("backend")

HOSTILE_QUERIES = [
    '"unbalanced quote',
    'kafka"',
    "x" * 5000,
    "kafka " * 1000,
    "NEAR(kafka lag)",
    "NEAR(",
    "*",
    "kafka*",
    '"',
    '""',
    "AND OR",
    "AND",
    "NOT kafka",
    "kafka OR lag",
    "title:kafka",
    "body:",
    "^kafka",
    "kafka^2",
    "kafka\x00lag",
    "\x00",
    "'; DROP TABLE content_post; --",
    "' OR 1=1 --",
    "kafka & lag | !x",
    "kafka <-> lag",
    "kafka:*",
    "(kafka",
    "kafka)",
    "{title body}: kafka",
    "-",
    "- -",
    "-kafka",
    "+kafka",
    "%_%",
    "\\",
    "ǅemoji 😀 ﬁne 中文",
]


def test_stemming_finds_other_forms_of_a_word() -> None:
    PostFactory.create(title="Release notes", body="We tested the new consumer on Friday.")
    PostFactory.create(title="Testing in production", body="A post.")
    PostFactory.create(title="Unrelated", body="Nothing to see.")
    assert sorted(titles(find("testing"))) == ["Release notes", "Testing in production"]
    assert sorted(titles(find("tests"))) == ["Release notes", "Testing in production"]


def test_matching_ignores_case() -> None:
    PostFactory.create(title="Kafka at scale")
    assert titles(find("KAFKA")) == ["Kafka at scale"]


def test_a_title_match_outranks_the_same_word_in_bodies() -> None:
    for n in range(3):
        PostFactory.create(
            title=f"Operations diary {n}",
            body="We moved the kafka cluster and upgraded the kafka brokers twice.",
        )
    filler = " ".join(f"filler{n}" for n in range(60))
    PostFactory.create(title="Kafka consumer lag", body=f"How we measure it. {filler}")
    assert titles(find("kafka"))[0] == "Kafka consumer lag"


def test_a_summary_match_outranks_the_same_word_in_bodies() -> None:
    filler = " ".join(f"filler{n}" for n in range(60))
    for n in range(3):
        PostFactory.create(
            title=f"Diary {n}", body=f"The kafka brokers, the kafka cluster. {filler}"
        )
    PostFactory.create(title="Streams", summary="All about kafka.", body=filler)
    assert titles(find("kafka"))[0] == "Streams"


def test_summary_categories_and_authors_are_searchable() -> None:
    streaming = CategoryFactory.create(name="Streaming", slug="streaming")
    ada = AuthorFactory.create(name="Ada Okafor", slug="ada-okafor", role="Data Scientist")
    PostFactory.create(title="One", summary="A tour of the observability stack.")
    PostFactory.create(title="Two", categories=[streaming])
    PostFactory.create(title="Three", authors=[ada])
    assert titles(find("observability")) == ["One"]
    assert titles(find("streaming")) == ["Two"]
    assert titles(find("okafor")) == ["Three"]
    assert titles(find("scientist")) == ["Three"]  # the byline's role is indexed too


def test_a_quoted_phrase_needs_the_words_together_and_in_order() -> None:
    PostFactory.create(title="Together", body="We measured consumer lag every minute.")
    PostFactory.create(title="Apart", body="The lag of each consumer was measured.")
    assert titles(find('"consumer lag"')) == ["Together"]
    assert sorted(titles(find("consumer lag"))) == ["Apart", "Together"]


def test_a_minus_excludes_a_word_or_a_phrase() -> None:
    PostFactory.create(title="Kafka draft", body="Kafka notes.")
    PostFactory.create(title="Kafka final", body="Kafka consumer lag explained.")
    assert titles(find("kafka -draft")) == ["Kafka final"]
    assert titles(find('kafka -"consumer lag"')) == ["Kafka draft"]


def test_a_star_matches_the_start_of_words() -> None:
    PostFactory.create(title="Observability for everyone")
    PostFactory.create(title="Observed behaviour")
    PostFactory.create(title="Other")
    assert sorted(titles(find("observ*"))) == ["Observability for everyone", "Observed behaviour"]
    # While a word is being typed it may run past the stem the index holds ("observ").
    assert "Observability for everyone" in titles(find("observab", partial=True))
    assert titles(find("observab")) == []


def test_only_published_posts_are_found(settings: LazySettings) -> None:
    now = timezone.now()
    PostFactory.create(title="Kafka public")
    PostFactory.create(title="Kafka draft", status=Status.DRAFT, published_at=None)
    scheduled = PostFactory.create(title="Kafka scheduled", published_at=now + timedelta(days=2))
    assert titles(find("kafka")) == ["Kafka public"]
    # The scheduled post is indexed in advance and appears the moment its time comes.
    Post.objects.filter(pk=scheduled.pk).update(published_at=now - timedelta(minutes=1))
    assert sorted(titles(find("kafka"))) == ["Kafka public", "Kafka scheduled"]


def test_filters_narrow_by_category_author_and_year() -> None:
    data = CategoryFactory.create(name="Data", slug="data")
    web = CategoryFactory.create(name="Web", slug="web")
    ada = AuthorFactory.create(slug="ada")
    PostFactory.create(
        title="Kafka 2023", categories=[data], published_at=datetime(2023, 5, 1, tzinfo=UTC)
    )
    PostFactory.create(
        title="Kafka 2024",
        categories=[web],
        authors=[ada],
        published_at=datetime(2024, 5, 1, tzinfo=UTC),
    )
    assert titles(find("kafka", category="data")) == ["Kafka 2023"]
    assert titles(find("kafka", author="ada")) == ["Kafka 2024"]
    assert titles(find("kafka", year="2024")) == ["Kafka 2024"]
    assert titles(find("kafka", category="web", year="2023")) == []
    outcome = find("kafka", category="web")
    assert outcome.filters.category == web
    assert outcome.listing.count == 1


def test_pages_cover_every_match_once_in_a_stable_order(settings: LazySettings) -> None:
    settings.LINERNOTES_PAGE_SIZE = 3
    for n in range(8):
        PostFactory.create(title=f"Kafka note {n}", body="kafka " * (n + 1))
    PostFactory.create(title="Not about it")
    first = find("kafka")
    assert first.listing.count == 8
    assert first.listing.page.paginator.num_pages == 3
    seen = [title for number in (1, 2, 3) for title in titles(find("kafka", page=number))]
    assert sorted(seen) == sorted(f"Kafka note {n}" for n in range(8))
    assert seen[:3] == titles(first)
    scores = [result.score for result in first.listing.results]
    assert scores == sorted(scores, reverse=True)


def test_matches_are_marked_and_everything_else_is_escaped() -> None:
    PostFactory.create(
        title="<b>Kafka</b> & friends",
        body="Some intro.\n\nThe `<script>` tag and the kafka broker met at dawn.",
    )
    result = find("kafka").listing.results[0]
    title = BeautifulSoup(str(result.title_html), "html.parser")
    assert [mark.get_text() for mark in title.find_all("mark")] == ["Kafka"]
    assert title.get_text() == "<b>Kafka</b> & friends"
    assert title.find("b") is None
    snippet = BeautifulSoup(str(result.snippet_html), "html.parser")
    assert [mark.get_text().lower() for mark in snippet.find_all("mark")] == ["kafka"]
    assert "<script>" in snippet.get_text()
    assert snippet.find("script") is None
    assert {tag.name for tag in snippet.find_all(True)} == {"mark"}


def test_a_long_body_is_cut_to_a_passage_around_the_match() -> None:
    filler = " ".join(f"filler{n}" for n in range(300))
    PostFactory.create(title="Long", body=f"{filler} the kafka broker restarted. {filler}")
    snippet = BeautifulSoup(str(find("kafka").listing.results[0].snippet_html), "html.parser")
    text = snippet.get_text()
    assert text.startswith("…")
    assert text.endswith("…")
    assert len(text.split()) <= 40
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["kafka"]


def test_a_match_in_the_title_alone_shows_the_excerpt() -> None:
    PostFactory.create(title="Kafka", summary="A summary without the word.", body="Text.")
    result = find("kafka").listing.results[0]
    assert str(result.snippet_html) == "A summary without the word."


def test_a_summary_match_is_shown_when_the_body_has_none() -> None:
    PostFactory.create(title="Link post", summary="Read about kafka on another site.", body="")
    snippet = BeautifulSoup(str(find("kafka").listing.results[0].snippet_html), "html.parser")
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["kafka"]


def test_empty_and_exclusion_only_queries_find_nothing() -> None:
    PostFactory.create(title="Kafka")
    for text in ("", "   ", "-kafka", "-kafka -lag"):
        outcome = find(text)
        assert outcome.listing.count == 0
        assert outcome.listing.results == []


def test_words_the_engine_ignores_do_not_turn_exclusions_into_a_match(
    backend: SearchBackend,
) -> None:
    if backend.name != "postgres":
        pytest.skip(f"the {backend.name} backend indexes every word")
    PostFactory.create(title="The kafka post", body="The kafka broker.")
    PostFactory.create(title="The other post", body="The other broker.")
    for text in ("the -kafka", '"the" -kafka', "a an the -nothing"):
        assert find(text).listing.count == 0, text
    assert titles(find("the broker -kafka")) == ["The other post"]


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_hostile_queries_are_answered(text: str) -> None:
    PostFactory.create(title="Kafka consumer lag", body="NEAR the title and the body.")
    outcome = find(text)
    assert outcome.listing.count == len(outcome.listing.results)
    assert outcome.query.text == parse_query(text).text


@pytest.fixture
def indexed_posts(backend: SearchBackend) -> None:
    """A few posts whose words the generated searches below can hit."""
    for title, body in [
        ("Kafka consumer lag", "We measured the lag of every consumer, in <b>HTML</b> & text."),
        ("Tested in production", "A b c: testing, tests and the tester. Ünïcödé wörds 中文."),
        ('Quotes " and stars *', "NEAR AND OR NOT - + ^ ( ) : \" ' % _ \\ and the end."),
    ]:
        PostFactory.create(title=title, body=body)
    rebuild_index()


@given(text=st.one_of(st.text(max_size=300), st.text(alphabet='abcdeiklnrstu "-*', max_size=40)))
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_is_a_valid_search(backend: SearchBackend, indexed_posts: None, text: str) -> None:
    # The posts are shared by every example; nothing here writes to the database.
    query = parse_query(text)
    if query.is_empty:
        return
    published = Post.objects.published()
    ranked = backend.ranked(query, published, 0, 5)
    assert len(ranked.hits) == min(ranked.total, 5)
    post_ids = [hit.post_id for hit in ranked.hits]
    assert set(backend.marked(query, post_ids)) == set(post_ids)
