"""SQLite FTS5: the ``search_fts`` table (porter stemming over unicode61 tokens) and bm25.

The query tree is compiled into FTS5's query language here, from words that contain only
letters and digits, each inside double quotes; nothing the reader typed reaches MATCH as
syntax. Candidates (published posts and the reader's filters) come in as a SQL subquery built
by Django, so the read rule is applied by the same code as everywhere else.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import connection

from linernotes.content.models import PostQuerySet
from linernotes.search.backends.base import (
    MATCH_END,
    MATCH_START,
    SNIPPET_ELLIPSIS,
    Hit,
    MarkedText,
    RankedPage,
    SearchBackend,
)
from linernotes.search.query import Clause, ParsedQuery

# bm25 weights of the columns, in table order: title, summary, categories, authors, body.
COLUMN_WEIGHTS = (10.0, 4.0, 3.0, 3.0, 1.0)
BODY_COLUMN = 4
SNIPPET_TOKENS = 32

_WEIGHTS_SQL = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)


def match_expression(query: ParsedQuery) -> str:
    """FTS5 query text for ``query``: every required clause AND'ed, exclusions NOT'ed."""
    expression = "(" + " AND ".join(_phrase(clause) for clause in query.required) + ")"
    if query.excluded:
        expression += " NOT (" + " OR ".join(_phrase(clause) for clause in query.excluded) + ")"
    return expression


def _phrase(clause: Clause) -> str:
    # Words are runs of letters and digits (see query.WORD), so they never contain a quote.
    quoted = '"' + " ".join(clause.words) + '"'
    if not clause.prefix:
        return quoted
    return "(" + " OR ".join([quoted + "*", *(f'"{cut}"' for cut in clause.prefix_cuts)]) + ")"


class SqliteBackend(SearchBackend):
    name = "sqlite"
    vendor = "sqlite"

    def ranked(
        self, query: ParsedQuery, candidates: PostQuerySet, offset: int, limit: int
    ) -> RankedPage:
        subquery, params = _candidate_ids(candidates)
        # bm25() is lower for better matches; post ids grow with age, so they break ties
        # in favour of newer posts. FTS5 functions cannot sit next to a window function, hence
        # the inner query.
        sql = (
            "SELECT rowid, score, count(*) OVER () FROM ("
            f"SELECT rowid, bm25(search_fts, {_WEIGHTS_SQL}) AS score FROM search_fts "
            f"WHERE search_fts MATCH %s AND +rowid IN ({subquery})"
            ") ORDER BY score, rowid DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(query), *params, limit, offset])
            rows = cursor.fetchall()
        hits = [Hit(post_id=post_id, score=-score) for post_id, score, _ in rows]
        return RankedPage(hits, total=rows[0][2] if rows else 0)

    def marked(self, query: ParsedQuery, post_ids: Collection[int]) -> dict[int, MarkedText]:
        if not post_ids:
            return {}
        marks = [MATCH_START, MATCH_END]
        placeholders = ", ".join(["%s"] * len(post_ids))
        sql = (
            "SELECT rowid, highlight(search_fts, 0, %s, %s), highlight(search_fts, 1, %s, %s), "
            f"snippet(search_fts, {BODY_COLUMN}, %s, %s, %s, {SNIPPET_TOKENS}) "
            f"FROM search_fts WHERE search_fts MATCH %s AND rowid IN ({placeholders})"
        )
        params: list[Any] = [*marks, *marks, *marks, SNIPPET_ELLIPSIS, match_expression(query)]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *post_ids])
            return {
                row[0]: MarkedText(title=row[1], summary=row[2], body=row[3])
                for row in cursor.fetchall()
            }

    def refresh(self, post_ids: Collection[int]) -> None:
        """Nothing to do: triggers on the documents table keep ``search_fts`` in step."""

    def compact(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def _candidate_ids(candidates: PostQuerySet) -> tuple[str, list[Any]]:
    """SQL of the candidates' ids, for ``+rowid IN (...)``.

    The ``+`` keeps the rowid condition away from FTS5's planner: offered it, FTS5 runs the
    full-text query once per candidate id, which is slower by an order of magnitude than
    running it once and filtering the matches.
    """
    sql, params = candidates.order_by().values("pk").query.sql_with_params()
    return sql, list(params)
