"""The query parser: what readers type becomes clauses, and nothing they type is an error."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linernotes.search.backends.postgres import tsquery
from linernotes.search.backends.sqlite import match_expression
from linernotes.search.query import (
    MAX_CLAUSES,
    MAX_QUERY_CHARS,
    WORD,
    Clause,
    clean_text,
    parse_query,
)
from linernotes.search.service import SearchParams


def test_words_phrases_exclusions_and_prefixes() -> None:
    query = parse_query('kafka "consumer lag" -draft -"release notes" observ*')
    assert query.clauses == (
        Clause("kafka", ("kafka",)),
        Clause("consumer lag", ("consumer", "lag")),
        Clause("draft", ("draft",), negated=True),
        Clause("release notes", ("release", "notes"), negated=True),
        Clause("observ", ("observ",), prefix=True),
    )
    assert [c.text for c in query.required] == ["kafka", "consumer lag", "observ"]
    assert [c.text for c in query.excluded] == ["draft", "release notes"]
    assert not query.is_empty


def test_punctuation_inside_a_word_is_kept_for_the_backend_and_edges_are_dropped() -> None:
    query = parse_query("node.js (kube-proxy) why?")
    assert [(c.text, c.words) for c in query.clauses] == [
        ("node.js", ("node", "js")),
        ("kube-proxy", ("kube", "proxy")),
        ("why", ("why",)),
    ]
    assert query.clauses[0].is_phrase


def test_an_unclosed_quote_runs_to_the_end() -> None:
    assert parse_query('"continuous delivery').clauses == (
        Clause("continuous delivery", ("continuous", "delivery")),
    )


@pytest.mark.parametrize(
    "raw",
    ["", "   ", '"', '""', "-", "--", "*", "^", "()", "- * ^ :", "\x00\x00", '" "', "-*"],
)
def test_queries_without_words_are_empty(raw: str) -> None:
    query = parse_query(raw)
    assert query.clauses == ()
    assert query.is_empty


def test_exclusions_alone_are_an_empty_search() -> None:
    query = parse_query("-kafka -draft")
    assert len(query.excluded) == 2
    assert query.is_empty


def test_engine_syntax_is_plain_text() -> None:
    query = parse_query('title:kafka NEAR(a b) AND OR NOT x^2 {col}: "a" + b')
    assert [(c.text, c.words) for c in query.clauses] == [
        ("title:kafka", ("title", "kafka")),
        ("NEAR(a", ("NEAR", "a")),
        ("b", ("b",)),
        ("AND", ("AND",)),
        ("OR", ("OR",)),
        ("NOT", ("NOT",)),
        ("x^2", ("x", "2")),
        ("col", ("col",)),
        ("a", ("a",)),
    ]
    assert not any(c.negated or c.prefix for c in query.clauses)


def test_control_characters_and_nul_bytes_are_dropped() -> None:
    assert clean_text("kaf\x00ka\tlag\u200b\n") == "kaf ka lag"
    assert parse_query("a\x00b").clauses == (Clause("a", ("a",)), Clause("b", ("b",)))


def test_long_input_is_cut_and_the_number_of_clauses_is_bounded() -> None:
    query = parse_query("word " * 5000)
    assert len(query.text) <= MAX_QUERY_CHARS
    assert query.clauses == (Clause("word", ("word",)),)  # repeated clauses count once
    many = parse_query(" ".join(f"w{n}" for n in range(100)))
    assert len(many.clauses) == MAX_CLAUSES


def test_a_prefix_also_looks_for_the_stems_a_longer_word_may_have() -> None:
    (clause,) = parse_query("observab*").clauses
    assert clause.prefix_cuts == ("observa", "observ", "obser", "obse")
    (short,) = parse_query("obs*").clauses
    assert (short.prefix, short.prefix_cuts) == (True, ())
    assert parse_query("observab").clauses[0].prefix_cuts == ()


def test_partial_makes_the_word_being_typed_a_prefix() -> None:
    assert parse_query("kafka cons", partial=True).clauses[-1].prefix
    assert not parse_query("kafka cons").clauses[-1].prefix
    assert not parse_query("kafka c", partial=True).clauses[-1].prefix  # too short
    assert not parse_query('"consumer lag"', partial=True).clauses[-1].prefix
    assert not parse_query("kafka -cons", partial=True).clauses[-1].prefix


def test_sqlite_compilation_quotes_every_word() -> None:
    query = parse_query('node.js "consumer lag" -draft observ*')
    assert match_expression(query) == (
        '("node js" AND "consumer lag" AND ("observ"* OR "obser" OR "obse")) NOT ("draft")'
    )


def test_postgres_compilation_binds_the_text_as_parameters() -> None:
    compiled = tsquery(parse_query("node.js -draft observ*"))
    text = repr(compiled)
    assert "'node.js'" in text
    assert "'draft'" in text
    # The one clause written as tsquery text, from a bare word and its cuts.
    assert "'observ':* | 'obser' | 'obse'" in text


@given(st.text(max_size=400))
def test_any_text_parses_into_safe_clauses(raw: str) -> None:
    query = parse_query(raw)
    assert len(query.text) <= MAX_QUERY_CHARS
    assert len(query.clauses) <= MAX_CLAUSES
    assert "\x00" not in query.text
    for clause in query.clauses:
        assert clause.words
        assert all(WORD.fullmatch(word) for word in clause.words)
        assert '"' not in clause.text
        assert "\x00" not in clause.text
    if not query.is_empty:
        expression = match_expression(query)
        # Every quote in the FTS5 expression is one we wrote around a phrase.
        quoted = len(query.clauses) + sum(len(c.prefix_cuts) for c in query.clauses)
        assert expression.count('"') == 2 * quoted


@pytest.mark.parametrize(
    ("text", "partial"),
    [("kafka cons", True), ("kafka cons ", False), ('"consumer lag"', False), ("", True)],
)
def test_a_space_or_closing_quote_ends_the_word_being_typed(text: str, partial: bool) -> None:
    values = {"q": text, "partial": "1"}
    params = SearchParams.from_query(lambda name, default: values.get(name, default), "q")
    assert params.partial is partial
    assert params.text == text.strip()
