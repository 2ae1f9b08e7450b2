"""Posts keep the plain text of their body; bodies and uploaded images get upper limits.

Existing posts get their text from the HTML stored with them, read by the same function that
reads freshly rendered HTML, so nothing is rendered again and every stored body keeps its
HTML as it is. Run ``linernotes rerender`` as usual after a change to the pipeline itself.
"""

from django.db import migrations, models

import linernotes.content.media
import linernotes.content.validators
from linernotes.content.text import extract_text


def fill_body_text(apps, schema_editor):
    Post = apps.get_model("content", "Post")
    posts = Post.objects.exclude(body_html="").only("pk", "body_html")
    batch = []
    for post in posts.iterator(chunk_size=200):
        post.body_text = extract_text(post.body_html)
        batch.append(post)
        if len(batch) == 200:
            Post.objects.bulk_update(batch, ["body_text"])
            batch = []
    Post.objects.bulk_update(batch, ["body_text"])


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0002_ordering_staff_authors_noindex'),
    ]

    operations = [
        migrations.AddField(
            model_name='post',
            name='body_text',
            field=models.TextField(default='', editable=False),
        ),
        migrations.AlterField(
            model_name='author',
            name='avatar',
            field=linernotes.content.media.PixelLimitedImageField(blank=True, upload_to='avatars/'),
        ),
        migrations.AlterField(
            model_name='page',
            name='body',
            field=models.TextField(blank=True, help_text='Markdown.', validators=[linernotes.content.validators.validate_body_size]),
        ),
        migrations.AlterField(
            model_name='post',
            name='body',
            field=models.TextField(blank=True, help_text='Markdown.', validators=[linernotes.content.validators.validate_body_size]),
        ),
        migrations.AlterField(
            model_name='post',
            name='hero_image',
            field=linernotes.content.media.PixelLimitedImageField(blank=True, height_field='hero_image_height', upload_to='heroes/%Y/%m/', width_field='hero_image_width'),
        ),
        migrations.RunPython(fill_body_text, migrations.RunPython.noop, elidable=True),
    ]
