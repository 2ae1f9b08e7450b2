"""Reading what a reader typed into a small query tree that each backend compiles on its own.

The grammar is deliberately small and forgiving, like the search boxes people already know:

* ``word`` must appear (stemmed: ``testing`` also finds ``tested``);
* ``"several words"`` must appear together, in that order;
* ``-word`` or ``-"several words"`` must not appear;
* ``word*`` matches words that start with ``word`` (and, as stems are indexed, a few close
  words that only share its stem).

Nothing a reader types is an error. Operators of the underlying engines (``AND``, ``NEAR(``,
``^``, ``title:``...) are ordinary text here, an unclosed quote runs to the end, control
characters are dropped, and very long input is cut. Backends never see the raw text in a
position where it could be read as query syntax.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Enough for any real search; longer input is cut rather than refused.
MAX_QUERY_CHARS = 200
MAX_CLAUSES = 12
# A prefix shorter than this matches too much of the index to be useful.
MIN_PREFIX_CHARS = 2
# The index holds stems, and English stemming cuts up to about this many letters from a word
# ("observability" is stored as "observ"), so a typed prefix can be longer than the stem of the
# word it starts. Cuts of a prefix down to this reach are looked for as whole stems too.
STEM_REACH = 5
SHORTEST_CUT = 4

# Letters and digits in any script; the tokenisers of both backends split on everything else.
WORD = re.compile(r"[^\W_]+")
CLAUSE = re.compile(r'(?P<sign>[-+]*)(?:"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+))')


@dataclass(frozen=True)
class Clause:
    """One thing the reader asked for: a word, a word prefix or a phrase, or its exclusion.

    ``text`` keeps the reader's spelling (``node.js``), cleaned of control characters, so a
    backend can tokenise it the way it tokenised the documents; ``words`` are its letter and
    digit runs (``("node", "js")``) for backends that want tokens.
    """

    text: str
    words: tuple[str, ...]
    negated: bool = False
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def prefix_cuts(self) -> tuple[str, ...]:
        """For a prefix clause, the shorter stems a longer word starting with it may have.

        ``observab*`` must find "observability", which the index holds as ``observ``; so
        ``observa``, ``observ``, ``obser`` and ``obse`` are also looked for, as whole stems.
        """
        if not self.prefix:
            return ()
        word = self.words[0]
        shortest = max(SHORTEST_CUT, len(word) - STEM_REACH)
        return tuple(word[:end] for end in range(len(word) - 1, shortest - 1, -1))


@dataclass(frozen=True)
class ParsedQuery:
    """A reader's query as clauses. Every clause must hold for a post to match."""

    text: str
    clauses: tuple[Clause, ...]

    @property
    def required(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if not clause.negated)

    @property
    def excluded(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if clause.negated)

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: exclusions alone would match almost everything."""
        return not self.required


def clean_text(raw: str) -> str:
    """Normalised, single-spaced text without control characters, at most MAX_QUERY_CHARS."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(
        " " if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} else char
        for char in text[: MAX_QUERY_CHARS * 2]
    )
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def parse_query(raw: str, *, partial: bool = False) -> ParsedQuery:
    """Parse ``raw`` into clauses.

    ``partial`` says the reader is still typing the last word (search-as-you-type): when it is
    a bare word it then also matches longer words.
    """
    text = clean_text(raw)
    clauses: list[Clause] = []
    for match in CLAUSE.finditer(text):
        clause = _clause(match)
        if clause is not None and clause not in clauses:
            clauses.append(clause)
        if len(clauses) == MAX_CLAUSES:
            break
    if partial and clauses:
        clauses[-1] = _as_prefix(clauses[-1])
    return ParsedQuery(text=text, clauses=tuple(clauses))


def _clause(match: re.Match[str]) -> Clause | None:
    negated = "-" in match["sign"]
    phrase = match["phrase"]
    if phrase is not None:
        words = tuple(WORD.findall(phrase))
        return Clause(" ".join(phrase.split()), words, negated) if words else None
    bare: str = match["bare"]
    words = tuple(WORD.findall(bare))
    if not words:
        return None
    prefix = bare.endswith("*") and len(words) == 1 and len(words[0]) >= MIN_PREFIX_CHARS
    # Punctuation at the edges ("why?", "(ml)") is noise; inside a word ("node.js") it is kept
    # so each backend can split it the way it split the documents.
    inner = bare[bare.index(words[0]) : bare.rindex(words[-1]) + len(words[-1])]
    return Clause(inner, words, negated, prefix)


def _as_prefix(clause: Clause) -> Clause:
    if clause.is_phrase or clause.negated or len(clause.words[0]) < MIN_PREFIX_CHARS:
        return clause
    return Clause(clause.text, clause.words, negated=False, prefix=True)
