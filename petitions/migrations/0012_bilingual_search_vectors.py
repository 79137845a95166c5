"""Rewrite every petition's search vector: English texts read as English, French texts as
French (stemmed, then folded), numbers as printed."""

from django.db import migrations


def reindex_all(apps, schema_editor):
    from petitions import search

    search.reindex()


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0011_french_texts"),
        ("responses", "0004_bilingual_texts"),
    ]

    operations = [migrations.RunPython(reindex_all, migrations.RunPython.noop, elidable=False)]
