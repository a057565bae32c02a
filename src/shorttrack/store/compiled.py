"""Reads that every service write makes, compiled by Django once per database.

Django builds and compiles a query anew at every call. For the few small reads each
write makes (the race's version, the acting official's roles, the seasons a change
reaches) that took longer than the database took to answer them: 385 us against 141 us
for the race's version on PostgreSQL, 184 against 16 us on SQLite (bench/compiled_reads.py;
bench/competition.py makes 808 writes). A
``Compiled`` read is written once as a QuerySet of ``values_list`` whose parameters are
the arguments of the function that builds it; its SQL, where each argument goes among
the parameters, and Django's converters for its columns are kept per database, and each
call runs that SQL with the values given and decodes the rows as the ORM would have.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable

# Stand-ins for the arguments while Django compiles the query: whole numbers (they pass
# an id column's preparation unchanged) that no real id reaches.
_STAND_IN = -(2**62)


@dataclass(frozen=True)
class _Statement:
    sql: str
    places: tuple[str | None, ...]  # the argument at each parameter, None: a constant
    constants: tuple[Any, ...]
    columns: tuple[Any, ...]  # the expressions selected, for ``decoded``
    flat: bool


class Compiled:
    """``build(**ids) -> QuerySet.values_list(...)``, run as ``rows(**ids)``: the same rows
    as ``list(build(**ids))``, without building and compiling the query again. Every
    argument must be an id (a whole number)."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self._build = build
        self._names = tuple(inspect.signature(build).parameters)
        self._statements: dict[str, _Statement] = {}

    def _statement(self, alias: str) -> _Statement:
        statement = self._statements.get(alias)
        if statement is None:
            stand_ins = {name: _STAND_IN - n for n, name in enumerate(self._names)}
            queryset = self._build(**stand_ins).using(alias)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            by_value = {value: name for name, value in stand_ins.items()}
            places = tuple(by_value.get(p) if isinstance(p, int) else None for p in params)
            missing = set(self._names) - set(places)
            if missing:
                raise ValueError(f"{self._build.__qualname__}: {sorted(missing)} not in its SQL")
            columns = tuple(expression for expression, _, _ in compiler.select)
            flat = queryset._iterable_class is FlatValuesListIterable  # values_list(flat=True)
            statement = _Statement(sql, places, tuple(params), columns, flat)
            self._statements[alias] = statement
        return statement

    def rows(self, using: str = "default", **ids: int) -> list:
        statement = self._statement(using)
        params = [
            constant if name is None else int(ids[name])
            for name, constant in zip(statement.places, statement.constants, strict=True)
        ]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            rows = decoded(cursor.fetchall(), statement.columns, connection)
        if statement.flat:
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]


def decoded(rows, columns, connection) -> list[list]:
    """Rows read by SQL of our own, decoded as the ORM decodes these selected columns (a
    JSON text parsed, an SQLite moment made aware): Django's converters of each column,
    on this connection."""
    converters = []
    for position, column in enumerate(columns):
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((position, functions, column))
    rows = [list(row) for row in rows]
    for row in rows if converters else ():
        for position, functions, column in converters:
            for function in functions:
                row[position] = function(row[position], column, connection)
    return rows
