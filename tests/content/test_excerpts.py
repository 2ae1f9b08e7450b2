"""Automatic excerpts (cards, descriptions, feeds) come from a post's prose only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linernotes.content.markdown import render_markdown
from linernotes.content.text import cut_at_word, prose_excerpt
from tests.factories import PostFactory

BODY = """## Why we moved

```python
queue = Queue()
```

| system | latency |
| --- | --- |
| old | 40 ms |

We moved the queue[^1] to *Kafka* because E = mc<sup>2</sup> was not fast enough.

[^1]: The one in front of the search index.
"""


@pytest.mark.django_db
def test_the_excerpt_skips_headings_code_tables_and_footnote_markers() -> None:
    post = PostFactory.create(body=BODY, summary="")
    assert post.auto_excerpt == ("We moved the queue to Kafka because E = mc2 was not fast enough.")
    assert post.excerpt == post.auto_excerpt


@pytest.mark.django_db
def test_a_post_of_only_code_has_no_automatic_excerpt() -> None:
    post = PostFactory.create(body="# Title\n\n```sh\nmake test\n```\n", summary="")
    assert post.auto_excerpt == ""


@pytest.mark.django_db
def test_a_hand_written_summary_still_wins() -> None:
    post = PostFactory.create(body=BODY, summary="What we learned moving a queue.")
    assert post.excerpt == "What we learned moving a queue."


paragraphs = st.lists(
    st.text(alphabet=st.sampled_from("ab c.\n"), min_size=0, max_size=60), max_size=12
)


@given(paragraphs, st.integers(min_value=1, max_value=200))
def test_stopping_early_gives_the_excerpt_reading_everything_would(
    blocks: list[str], length: int
) -> None:
    source = "\n\n".join(
        f"## {text}" if index % 3 == 0 else text for index, text in enumerate(blocks)
    )
    html = render_markdown(source).html
    everything = prose_excerpt(html, len(html) + 1)
    assert prose_excerpt(html, length) == cut_at_word(everything, length)
