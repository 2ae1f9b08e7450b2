"""Export, import into an empty database, export again: the two folders are byte-identical."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.management import call_command

from linernotes.demo.loader import load_demo
from linernotes.importers.export_markdown import export_markdown
from linernotes.importers.sources import native
from tests.importers.test_export_markdown import build_small_site, tree
from tests.shared_data import shared_file

service = importlib.import_module("linernotes.importers.service")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not hasattr(service, "import_records"), reason="needs importers.service"),
]


def empty_database_and_media(media_root: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def round_trip(tmp_path: Path, media_root: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    from linernotes.importers.service import import_records

    export_markdown(tmp_path / "first")
    empty_database_and_media(media_root)
    import_records(native.read(tmp_path / "first"))
    export_markdown(tmp_path / "second")
    return tree(tmp_path / "first"), tree(tmp_path / "second")


def import_wordpress_theme_data() -> None:
    from linernotes.importers.service import import_records
    from linernotes.importers.sources import wordpress

    path = "testdata/wordpress/theme-test-data/themeunittestdata.wordpress.xml"
    import_records(wordpress.read(shared_file(path)))


@pytest.mark.parametrize(
    "build",
    [load_demo, build_small_site, import_wordpress_theme_data],
    ids=["demo", "factory site", "imported WordPress site"],
)
def test_an_export_imported_into_an_empty_site_exports_the_same(
    build: Callable[[], object], settings: LazySettings, tmp_path: Path, media_root: Path
) -> None:
    settings.TIME_ZONE = "Europe/Stockholm"
    build()
    first, second = round_trip(tmp_path, media_root)
    assert "linernotes.yaml" in first
    assert len(first) > 3
    assert sorted(second) == sorted(first)
    assert [name for name in first if first[name] != second[name]] == []
