"""ORM statements compiled once, for hot paths where the ORM takes longer to build and compile
a query than PostgreSQL takes to run it: compiled with a mark where a value goes, then run with
the value in its place (`params_with`)."""

from dataclasses import dataclass

import psycopg
from django.db import connection


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple
    mark: object

    @classmethod
    def of(cls, qs, mark) -> "Compiled":
        sql, params = qs.query.sql_with_params()
        assert mark in params, "the mark must be one of the statement's parameters"
        return cls(sql, tuple(params), mark)

    def params_with(self, value) -> list:
        return [value if p == self.mark else p for p in self.params]


def bind(query: str, params) -> str:
    """The query with its parameters in place, as the driver quotes them (for COPY, which takes
    none, and statements compiled once with their values in). A client-side cursor quotes as
    the server would: the connection's own cursors may bind on the server (prepared
    statements), and have no `mogrify`."""
    connection.ensure_connection()
    return psycopg.ClientCursor(connection.connection).mogrify(query, params)
