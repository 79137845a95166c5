"""Rewrite every document's search vector with the configuration of the document's language."""

from django.db import migrations


def reindex_all(apps, schema_editor):
    from documents import search

    search.reindex()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_document_withdrawal"),
        ("petitions", "0012_bilingual_search_vectors"),
    ]

    operations = [migrations.RunPython(reindex_all, migrations.RunPython.noop, elidable=False)]
