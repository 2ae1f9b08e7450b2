import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# SQLite: an external-content FTS5 table over the documents, kept in step by triggers, so the
# documents table stays the one copy of the text and snippets read it from there.
SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title, summary, categories, authors, body,
        content='search_searchdocument', content_rowid='post_id',
        tokenize='porter unicode61'
    )
    """,
    """
    CREATE TRIGGER search_document_inserted AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, summary, categories, authors, body)
        VALUES (new.post_id, new.title, new.summary, new.categories, new.authors, new.body);
    END
    """,
    """
    CREATE TRIGGER search_document_deleted AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, categories, authors, body)
        VALUES ('delete', old.post_id, old.title, old.summary, old.categories, old.authors,
                old.body);
    END
    """,
    """
    CREATE TRIGGER search_document_updated AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, categories, authors, body)
        VALUES ('delete', old.post_id, old.title, old.summary, old.categories, old.authors,
                old.body);
        INSERT INTO search_fts(rowid, title, summary, categories, authors, body)
        VALUES (new.post_id, new.title, new.summary, new.categories, new.authors, new.body);
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_document_updated",
    "DROP TRIGGER IF EXISTS search_document_deleted",
    "DROP TRIGGER IF EXISTS search_document_inserted",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_CREATE = [
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING gin (vector)"
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS search_document_vector_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [("content", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="content.post",
                    ),
                ),
                ("title", models.TextField()),
                ("summary", models.TextField(blank=True)),
                ("categories", models.TextField(blank=True)),
                ("authors", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
                ("indexed_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
