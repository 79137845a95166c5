"""ORM statements compiled once, for hot paths where the ORM takes longer to build and compile
a query than PostgreSQL takes to run it: compiled with a mark where a value goes, then run with
the value in its place (`params_with`)."""

from dataclasses import dataclass

# No petition has this primary key: it stands for the petition in statements compiled once.
PETITION_MARK = -918_273_645


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
