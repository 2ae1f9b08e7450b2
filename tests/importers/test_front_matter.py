"""Front matter blocks split from bodies, and errors that name the file and line."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from linernotes.importers.front_matter import (
    as_datetime,
    as_list,
    as_text,
    read_config,
    split_front_matter,
)
from linernotes.importers.records import UnreadableSource

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_yaml_front_matter_is_split_from_the_body() -> None:
    document = split_front_matter("---\ntitle: Hi\ntags: [a, b]\n---\nBody\n", "post.md")

    assert document.meta == {"title": "Hi", "tags": ["a", "b"]}
    assert document.body == "Body\n"
    assert document.body_line == 5
    assert document.has_front_matter


def test_yaml_may_end_with_dots_and_windows_line_endings() -> None:
    document = split_front_matter("\ufeff---\r\ntitle: Hi\r\n...\r\nBody", "post.md")

    assert document.meta == {"title": "Hi"}
    assert document.body == "Body"


def test_toml_front_matter_is_split_from_the_body() -> None:
    text = '+++\ntitle = "Hi"\ndate = 2023-05-06T07:00:00Z\n+++\n\nBody'
    document = split_front_matter(text, "post.md")

    assert document.meta == {"title": "Hi", "date": datetime(2023, 5, 6, 7, tzinfo=UTC)}
    assert document.body == "\nBody"
    assert document.body_line == 5


def test_json_front_matter_is_split_from_the_body() -> None:
    document = split_front_matter('{\n  "title": "Hi",\n  "draft": true\n}\nBody', "post.md")

    assert document.meta == {"title": "Hi", "draft": True}
    assert document.body == "Body"
    assert document.body_line == 5


def test_a_file_without_front_matter_is_all_body() -> None:
    text = "{{< youtube dQw4w9WgXcQ >}}\n\nText"
    document = split_front_matter(text, "post.md")

    assert document.meta == {}
    assert document.body == text
    assert not document.has_front_matter


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("---\ntitle: Hi\ntags: [a, b\n---\nBody", 3, "invalid YAML"),
        ("---\ntitle: Hi\n  bad: indent\n---\n", 3, "invalid YAML"),
        ('+++\ntitle = "Hi"\ndate = \n+++\n', 3, "invalid TOML"),
        ('{\n  "title": "Hi",\n  "draft": tru\n}\n', 3, "invalid JSON"),
        ("---\ntitle: Hi\nno end here", 1, "never closed"),
        ("---\n- a list\n---\n", 1, "not a mapping"),
    ],
)
def test_invalid_front_matter_names_the_file_and_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(UnreadableSource) as raised:
        split_front_matter(text, "_posts/2020-01-02-x.md")

    assert raised.value.line == line
    assert problem in raised.value.problem
    assert str(raised.value).startswith(f"_posts/2020-01-02-x.md:{line}: ")


def test_toml_errors_leave_out_the_decoders_own_position() -> None:
    with pytest.raises(UnreadableSource) as raised:
        split_front_matter('+++\ntitle = "Hi"\ndate = \n+++\n', "post.md")

    assert "at line" not in raised.value.problem


def test_site_configuration_files_are_read_by_their_suffix(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: Site\nurl: https://x.example\n")
    (tmp_path / "hugo.toml").write_text('baseURL = "https://y.example/"\n')
    (tmp_path / "broken.yaml").write_text("title: Site\nlist: [a\n")

    assert read_config(tmp_path / "_config.yml") == {"title": "Site", "url": "https://x.example"}
    assert read_config(tmp_path / "hugo.toml") == {"baseURL": "https://y.example/"}
    with pytest.raises(UnreadableSource) as raised:
        read_config(tmp_path / "broken.yaml")
    assert str(raised.value).startswith("broken.yaml:3: invalid YAML")


def test_yaml_is_read_safely(tmp_path: Path) -> None:
    with pytest.raises(UnreadableSource) as raised:
        split_front_matter("---\ntitle: !!python/object/apply:os.system [ls]\n---\n", "post.md")

    assert raised.value.line == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2020-01-02 10:30:00 +0100",
            datetime(2020, 1, 2, 10, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2020-01-02 10:30:00", datetime(2020, 1, 2, 10, 30, tzinfo=STOCKHOLM)),
        ("2020-01-02T10:30:00Z", datetime(2020, 1, 2, 10, 30, tzinfo=UTC)),
        (date(2020, 1, 2), datetime(2020, 1, 2, tzinfo=STOCKHOLM)),
        (datetime(2020, 1, 2, 10, 30), datetime(2020, 1, 2, 10, 30, tzinfo=STOCKHOLM)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_in_the_sites_zone_unless_they_name_an_offset(
    value: object, expected: datetime | None
) -> None:
    found = as_datetime(value, STOCKHOLM)

    assert found == expected
    if found is not None and expected is not None:
        assert found.utcoffset() == expected.utcoffset()


def test_text_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(ValueError, match="Invalid isoformat"):
        as_datetime("next tuesday", UTC)


def test_lists_and_text_values() -> None:
    assert as_list("engineering backend", split_spaces=True) == ["engineering", "backend"]
    assert as_list("Field Work") == ["Field Work"]
    assert as_list(["Go", 2, None]) == ["Go", "2"]
    assert as_list(None) == []
    assert as_text(True) == "true"
    assert as_text({"a": 1}) == ""
    assert as_text("  x ") == "x"
