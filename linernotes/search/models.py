"""The search index's documents: the text of each indexed post, in the fields search weighs.

The rows are the same on every database. What makes them searchable is database-specific and
created by this app's migration: on SQLite an FTS5 table that triggers keep in step with these
rows, on PostgreSQL the weighted ``vector`` column and its GIN index.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from linernotes.content.models import Post


class SearchDocument(models.Model):
    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField()
    summary = models.TextField(blank=True)
    categories = models.TextField(blank=True)
    authors = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # Filled by the PostgreSQL backend only; SQLite keeps its index in the FTS5 table.
    vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title
