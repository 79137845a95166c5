"""Writing a synthetic corpus into the archive's tables: rows copied into staging tables, then
inserted once with their search vectors; ids from the tables' sequences; set-based deletion.

Used by `manage.py synthesize_corpus` (its batches run side by side in worker processes).
"""

from collections.abc import Sequence

from django.db import connection, models, transaction

from bench import synthetic as syn
from petitions import search
from petitions.bulk import copy_rows
from petitions.models import Grievance, Petition, PrayerItem, SourceRecord
from responses import reuse
from responses.models import Response

PETITION_COLUMNS = (
    "id", "number", "kind", "presented_number", "parliament", "session", "topic_id",
    "initiator_name", "initiator_city", "initiator_province", "initiator_province_text",
    "original_language", "page_language", "addressee", "prayer_text", "signatures", "opened_at",
    "closed_at", "presented_on", "presenter_id", "sponsor_id", "response_tabled_on", "end_state",
    "latest_source_id", "created_at", "updated_at", "summary",
)  # fmt: skip
SOURCE_COLUMNS = (
    "id", "petition_id", "source", "raw_text", "content_hash", "imported_at", "imported_by",
)  # fmt: skip
CHILD_COLUMNS = ("petition_id", "position", "text")
RESPONSE_COLUMNS = (
    "id", "petition_id", "position", "portfolio_id", "signer_id", "signer_role", "text", "tabled_on",
    "sessional_paper",
)  # fmt: skip
# Copied into staging tables first: the petitions' search vectors are computed from them as the
# petitions are inserted, so each petition is written once, search vector and summary included.
STAGED = [
    (Petition, PETITION_COLUMNS, "petition"),
    (Grievance, CHILD_COLUMNS, "grievance"),
    (PrayerItem, CHILD_COLUMNS, "prayeritem"),
    (Response, RESPONSE_COLUMNS, "response"),
]


def unlisted_defaults(model, columns: Sequence[str]) -> dict[str, object]:
    """The model's required columns missing from `columns`, with the value the ORM would write.

    COPY leaves an unlisted column to the database's default (NULL unless the field has a
    `db_default`), so a NOT NULL field added later (a translation's text, say) gets its Python
    default here and the corpus keeps building.
    """
    extra = {}
    for field in model._meta.concrete_fields:
        if field.column in columns or field.null or field.generated:
            continue
        if field.db_default is not models.NOT_PROVIDED or field.primary_key:
            continue
        extra[field.column] = field.get_default()
    return extra


def copy_with_defaults(model, columns: Sequence[str], rows: list[tuple]) -> None:
    extra = unlisted_defaults(model, columns)
    tail = tuple(extra.values())
    copy_rows(model._meta.db_table, (*columns, *extra), (row + tail for row in rows))


def next_ids(table: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def delete_rows(cursor, model, ids: str, seen: frozenset = frozenset()) -> None:
    """DELETE the rows of `model` whose keys `ids` (SQL) selects, after the rows that cascade
    from them (SET_NULL references set to NULL). Set-based SQL: no per-row signals, so no
    history records of synthetic rows; a model met again down the chain is deleted where
    it was first met (the foreign keys are checked at commit)."""
    seen = seen | {model}
    for relation in model._meta.related_objects:
        field, child = relation.field, relation.related_model
        if not getattr(field, "db_constraint", False) or child in seen or field.many_to_many:
            continue
        table, column = child._meta.db_table, field.column
        if relation.on_delete is models.CASCADE:
            delete_rows(
                cursor,
                child,
                f"SELECT {child._meta.pk.column} FROM {table} WHERE {column} IN ({ids})",
                seen,
            )
        elif relation.on_delete is models.SET_NULL:
            cursor.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} IN ({ids})")
    pk = model._meta.pk.column
    cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {pk} IN ({ids})")


def delete_synthetic() -> int:
    """Delete every synthetic petition with its children and source records."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE synthetic_ids ON COMMIT DROP AS "
            "SELECT DISTINCT petition_id AS id FROM petitions_sourcerecord WHERE source = %s",
            [syn.SOURCE],
        )
        cursor.execute("SELECT count(*) FROM synthetic_ids")
        (count,) = cursor.fetchone()
        ids = "SELECT id FROM synthetic_ids"
        sources = f"SELECT id FROM petitions_sourcerecord WHERE petition_id IN ({ids})"
        delete_rows(cursor, SourceRecord, sources)  # protected: deleted first, explicitly
        delete_rows(cursor, Petition, ids)
        cursor.execute("DROP TABLE synthetic_ids")
    return count


def staging(model, columns: Sequence[str]) -> tuple[str, list[str]]:
    """A temporary table (this session's, emptied) with the model's stored columns and their
    defaults, and those columns; the key only if `columns` gives it (the table's own sequence
    numbers the rows when they are inserted from there)."""
    name = f"synthetic_{model._meta.model_name}"
    pk = model._meta.pk.column
    left = [f.column for f in model._meta.concrete_fields if f.generated]
    left += [] if pk in columns else [pk]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {name} "
            f"(LIKE {model._meta.db_table} INCLUDING DEFAULTS)"
        )
        for column in left:
            cursor.execute(f"ALTER TABLE {name} DROP COLUMN IF EXISTS {column}")
        if model is not Petition:  # the search vector reads a petition's children by its id
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name}_petition ON {name} (petition_id)")
        cursor.execute(f"TRUNCATE {name}")
    stored = [f.column for f in model._meta.concrete_fields if f.column not in left]
    return name, stored


def write_batch(rows: dict[str, list[tuple]], prayers: list[tuple], paragraphs: list[tuple]):
    """Write one batch in one transaction. The petitions' search vectors are computed (the
    costly part) before the first write to an archive table, whose statement trigger bumps the
    archive's version: other batches wait on that row from then until this one commits."""
    with transaction.atomic():
        staged = {}
        for model, columns, key in STAGED:
            staged[key] = staging(model, columns)
            extra = unlisted_defaults(model, columns)
            tail = tuple(extra.values())
            copy_rows(staged[key][0], (*columns, *extra), (row + tail for row in rows[key]))
        with connection.cursor() as cursor:
            for name, _stored in staged.values():
                cursor.execute(f"ANALYZE {name}")
        table, stored = staged.pop("petition")
        columns = [column for column in stored if column != "search_vector"]
        vector = search.vector_sql({key: name for key, (name, _) in staged.items()})
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO petitions_petition ({', '.join(columns)}, search_vector) "
                f"SELECT {', '.join(f'p.{c}' for c in columns)}, {vector} FROM {table} AS p "
                "JOIN petitions_topic AS t ON t.id = p.topic_id"
            )
            for model, _columns, key in STAGED[1:]:
                table, stored = staged[key]
                columns = ", ".join(stored)
                cursor.execute(
                    f"INSERT INTO {model._meta.db_table} ({columns}) SELECT {columns} FROM {table}"
                )
        copy_with_defaults(SourceRecord, SOURCE_COLUMNS, rows["sourcerecord"])
        reuse.write(prayers, paragraphs)
