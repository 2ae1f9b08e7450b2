"""Email bodies: lines short enough for SMTP without changing what readers see."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from linernotes.newsletter import mailings
from linernotes.newsletter.emails import LONG_LINE, short_html_lines, short_text_lines
from linernotes.newsletter.sending import send_due_deliveries
from tests.factories import PostFactory
from tests.newsletter.conftest import MakeSubscriber

LONG_CODE_LINE = "x = [" + ", ".join(str(n) for n in range(400)) + "]"
HTML = (
    '<html><body><p style="color: red;">'
    + "A sentence that goes on. " * 120
    + '<a href="https://example.com/a" style="color: blue;">a link</a> and more words. ' * 30
    + '</p><pre style="margin: 0;"><code>'
    + LONG_CODE_LINE
    + "\n    indented()</code></pre></body></html>"
)


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "lxml").get_text()).strip()


def test_html_lines_are_broken_only_where_whitespace_means_nothing() -> None:
    shortened = short_html_lines(HTML)
    lines = shortened.split("\n")
    too_long = [line for line in lines if len(line) > LONG_LINE]
    [code_line] = too_long  # code is never re-wrapped
    assert code_line.endswith(LONG_CODE_LINE)
    assert visible_text(shortened) == visible_text(HTML)
    before, after = BeautifulSoup(HTML, "lxml"), BeautifulSoup(shortened, "lxml")
    assert after.select_one("pre").get_text() == before.select_one("pre").get_text()
    assert [(a["href"], a["style"]) for a in after("a")] == [
        (a["href"], a["style"]) for a in before("a")
    ]


def test_text_lines_are_wrapped_only_when_too_long() -> None:
    text = "Short line.\n    code_that_stays_as_it_is()\n" + "word " * 400
    shortened = short_text_lines(text)
    assert shortened.startswith("Short line.\n    code_that_stays_as_it_is()\n")
    assert max(len(line) for line in shortened.split("\n")) <= 78
    assert shortened.split() == text.split()


@pytest.mark.django_db
def test_a_long_post_goes_out_as_plain_8bit(make_subscriber: MakeSubscriber) -> None:
    make_subscriber("reader@example.com")
    body = ("A long paragraph without any markup at all. " * 60 + "\n\n") * 3
    mailings.queue_post_delivery(PostFactory.create(body=body, published_at=timezone.now()))
    send_due_deliveries()
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    raw = message.message().as_bytes()
    assert b"quoted-printable" not in raw
    assert max(len(line) for line in raw.split(b"\n")) <= 998
