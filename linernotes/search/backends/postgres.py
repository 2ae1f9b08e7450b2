"""PostgreSQL full-text search: a weighted ``tsvector`` per document, GIN-indexed.

Weights: A the title, B the summary, categories and authors, C the body. The query tree is
compiled into a tsquery from ``phraseto_tsquery`` calls, one per clause, whose argument is
bound as a parameter and read as plain words (so ``&``, ``|``, ``!`` and ``:`` typed by a reader
are not operators); clauses are joined with ``&&`` and ``!!``. Only a prefix clause is written
as tsquery text, from a single run of letters and digits.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import reduce
from html import unescape
from operator import and_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryCombinable,
    SearchRank,
    SearchVector,
)
from django.db.models import Count, F, Func, IntegerField, Value, Window
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Left, Replace, Right

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
from linernotes.search.models import SearchDocument
from linernotes.search.query import Clause, ParsedQuery

# The text search configuration: English stemming and stop words, as the SQLite backend's
# porter tokenizer.
CONFIG = "english"
# ts_rank's normalisation 1 divides by 1 + log(document length), so a long post that mentions
# a word often does not outrank a short one about it.
RANK_NORMALIZATION = 1
# Enough of the start and end of a body to tell whether a headline begins or ends with it;
# headlines leave out the punctuation around their edges.
EDGE_CHARS = 80
EDGE_PUNCTUATION = " \t\n.,;:!?…)]}\"'"


def document_vector() -> CombinedExpression:
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", "categories", "authors", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def _escaped(field: str) -> Replace:
    """``field`` with ``&``, ``<`` and ``>`` as entities.

    ts_headline reads its text as HTML and drops anything that looks like a tag, which would
    lose the ``<script>`` of a post about HTML; entities are kept as they are.
    """
    ampersands = Replace(F(field), Value("&"), Value("&amp;"))
    return Replace(Replace(ampersands, Value("<"), Value("&lt;")), Value(">"), Value("&gt;"))


def _headline(field: str, compiled: SearchQueryCombinable, *, whole: bool) -> SearchHeadline:
    """``field`` with matches marked: all of it, or a short passage around the matches."""
    if whole:
        return SearchHeadline(
            _escaped(field),
            compiled,
            config=CONFIG,
            start_sel=MATCH_START,
            stop_sel=MATCH_END,
            highlight_all=True,
        )
    return SearchHeadline(
        _escaped(field),
        compiled,
        config=CONFIG,
        start_sel=MATCH_START,
        stop_sel=MATCH_END,
        max_words=32,
        min_words=16,
        max_fragments=2,
        fragment_delimiter=f" {SNIPPET_ELLIPSIS} ",
    )


def _with_ellipses(passage: str, opening: str, ending: str) -> str:
    """``passage`` of a body, with an ellipsis where it starts after or ends before the body."""
    words = passage.replace(MATCH_START, "").replace(MATCH_END, "").split()
    if not words:
        return passage
    if not opening.lstrip().startswith(words[0]):
        passage = SNIPPET_ELLIPSIS + passage
    if not ending.rstrip(EDGE_PUNCTUATION).endswith(words[-1]):
        passage += SNIPPET_ELLIPSIS
    return passage


def required_part(query: ParsedQuery) -> SearchQueryCombinable:
    return reduce(and_, (_clause_query(clause) for clause in query.required))


def tsquery(query: ParsedQuery) -> SearchQueryCombinable:
    """The tsquery for ``query``: every required clause, and none of the excluded ones."""
    combined = required_part(query)
    for clause in query.excluded:
        combined = combined & ~_clause_query(clause)
    return combined


def has_required_words(query: ParsedQuery) -> Func:
    """Whether the required clauses keep any word once stop words are dropped.

    A clause of stop words compiles to an empty tsquery, and ``empty && !x`` is ``!x``, which
    would match nearly every post; such a query must find nothing, as exclusions alone do.
    """
    return Func(required_part(query), function="numnode", output_field=IntegerField())


def _clause_query(clause: Clause) -> SearchQuery:
    if clause.prefix:
        # Words and their cuts are letters and digits only (see query.WORD), each quoted: no
        # operator can hide in them.
        forms = [f"'{clause.words[0]}':*", *(f"'{cut}'" for cut in clause.prefix_cuts)]
        return SearchQuery(" | ".join(forms), search_type="raw", config=CONFIG)
    return SearchQuery(clause.text, search_type="phrase", config=CONFIG)


class PostgresBackend(SearchBackend):
    name = "postgres"
    vendor = "postgresql"

    def ranked(
        self, query: ParsedQuery, candidates: PostQuerySet, offset: int, limit: int
    ) -> RankedPage:
        compiled = tsquery(query)
        rows = list(
            SearchDocument.objects.alias(required_words=has_required_words(query))
            .filter(
                post__in=candidates.order_by().values("pk"),
                vector=compiled,
                required_words__gt=0,
            )
            .annotate(
                score=SearchRank(F("vector"), compiled, normalization=RANK_NORMALIZATION),
                total=Window(Count("*")),
            )
            .order_by("-score", "-post__published_at", "-post_id")
            .values_list("post_id", "score", "total")[offset : offset + limit]
        )
        hits = [Hit(post_id=post_id, score=score) for post_id, score, _ in rows]
        return RankedPage(hits, total=rows[0][2] if rows else 0)

    def marked(self, query: ParsedQuery, post_ids: Collection[int]) -> dict[int, MarkedText]:
        if not post_ids:
            return {}
        compiled = tsquery(query)
        rows = (
            SearchDocument.objects.filter(post_id__in=post_ids)
            .annotate(
                marked_title=_headline("title", compiled, whole=True),
                marked_summary=_headline("summary", compiled, whole=True),
                marked_body=_headline("body", compiled, whole=False),
            )
            .annotate(opening=Left("body", EDGE_CHARS), ending=Right("body", EDGE_CHARS))
            .values_list(
                "post_id", "marked_title", "marked_summary", "marked_body", "opening", "ending"
            )
        )
        return {
            post_id: MarkedText(
                title=unescape(title),
                summary=unescape(summary),
                body=_with_ellipses(unescape(body), opening, ending),
            )
            for post_id, title, summary, body, opening, ending in rows
        }

    def refresh(self, post_ids: Collection[int]) -> None:
        SearchDocument.objects.filter(post_id__in=post_ids).update(vector=document_vector())

    def compact(self) -> None:
        """Nothing to do: PostgreSQL maintains GIN indexes itself (autovacuum)."""
