"""Bulk writes that bypass the ORM: rows streamed into a table with PostgreSQL's COPY."""

from collections.abc import Iterable, Sequence

from django.db import connection


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Stream rows into a table with COPY on the connection's current transaction."""
    connection.ensure_connection()
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
