"""Publication times to the whole second, as Post.save now stores them.

Earlier saves kept microseconds, which made the ``datetime`` attribute of a post's ``<time>``
invalid HTML (at most three fractional digits are allowed).
"""

from django.db import migrations


def to_whole_seconds(apps, schema_editor):
    Post = apps.get_model("content", "Post")
    for post in Post.objects.filter(published_at__isnull=False).only("published_at").iterator():
        if post.published_at.microsecond:
            Post.objects.filter(pk=post.pk).update(
                published_at=post.published_at.replace(microsecond=0)
            )


class Migration(migrations.Migration):
    dependencies = [("content", "0008_media_library")]

    operations = [migrations.RunPython(to_whole_seconds, migrations.RunPython.noop)]
