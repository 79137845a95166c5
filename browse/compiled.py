"""Statements with their values in place, for those that take none."""

import psycopg
from django.db import connection


def bind(query: str, params) -> str:
    """The query with its parameters in place, as the driver quotes them (for COPY, which takes
    none, and statements compiled once with their values in). A client-side cursor quotes as
    the server would: the connection's own cursors may bind on the server (prepared
    statements), and have no `mogrify`."""
    connection.ensure_connection()
    return psycopg.ClientCursor(connection.connection).mogrify(query, params)
