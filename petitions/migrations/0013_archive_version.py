"""The archive's version: a one-row table that every write to the archive's tables moves.

Statement-level triggers (after INSERT, UPDATE, DELETE and TRUNCATE) on every table of the
`petitions`, `responses` and `documents` apps bump it, whatever writes (the importer, the admin,
a bulk COPY, psql). `petitions.version` reads it; `tests/test_http_caching.py` checks that every
table of those apps has the trigger, so a new model needs a migration calling `install()`.
"""

from django.db import migrations

from petitions.version import ARCHIVE_APPS, install_sql

CREATE = """
CREATE TABLE archive_version (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    number bigint NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO archive_version (id, number, changed_at) VALUES (true, 1, clock_timestamp());
CREATE FUNCTION archive_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE archive_version SET number = number + 1, changed_at = clock_timestamp();
    RETURN NULL;
END $$;
"""
DROP = "DROP TABLE archive_version; DROP FUNCTION archive_version_bump() CASCADE;"


def install(apps, schema_editor):
    tables = sorted(
        {
            model._meta.db_table
            for label in ARCHIVE_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        }
    )
    schema_editor.execute(install_sql(tables))


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0012_bilingual_search_vectors"),
        ("responses", "0004_bilingual_texts"),
        ("documents", "0003_search_vector_in_document_language"),
    ]

    operations = [
        migrations.RunSQL(CREATE, DROP),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
