"""Reads that every service write makes, compiled by Django once per database.

Django builds and compiles a query anew at every call. For the few small reads each
write makes (the race's version, the acting official's roles, the seasons a change
reaches) that took longer than the database took to answer them: 385 us against 141 us
for the race's version on PostgreSQL, 184 against 16 us on SQLite (bench/compiled_reads.py;
bench/competition.py makes 808 writes). A
``Compiled`` read is written once as a QuerySet whose parameters are the arguments of the
function that builds it; its SQL, where each argument goes among the parameters, and
Django's converters for its columns are kept per database, and each call runs that SQL
with the values given and decodes the rows as the ORM would have: ``rows`` for a
QuerySet of ``values_list``, ``objects`` for one of model instances (``select_related``
and ``select_for_update`` kept; the race's lock took 2.4 ms of CPU through the ORM on a
slow day, most of it compiling four joins).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ModelIterable, get_related_populators

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
    instances: _Instances | None  # how rows become model instances, for ``objects``


@dataclass(frozen=True)
class _Instances:
    """What Django's ModelIterable works out from a compiled query before its first row:
    the model, its columns' slice and names, the populators of what is selected with it."""

    model: Any
    start: int
    end: int
    names: tuple[str, ...]
    populators: tuple[Any, ...]


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
            instances = _instances(queryset, compiler, alias)
            statement = _Statement(sql, places, tuple(params), columns, flat, instances)
            self._statements[alias] = statement
        return statement

    def rows(self, using: str = "default", **ids: int) -> list:
        statement = self._statement(using)
        rows = self._run(statement, using, ids)
        if statement.flat:
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]

    def objects(self, using: str = "default", **ids: int) -> list:
        """The model instances ``list(build(**ids))`` gives, with what it selects related."""
        statement = self._statement(using)
        spec = statement.instances
        if spec is None:
            raise TypeError(f"{self._build.__qualname__}: not a QuerySet of model instances")
        found = []
        for row in self._run(statement, using, ids):
            instance = spec.model.from_db(using, spec.names, row[spec.start : spec.end])
            for populator in spec.populators:
                populator.populate(row, instance)
            found.append(instance)
        return found

    def _run(self, statement: _Statement, using: str, ids: dict[str, int]) -> list[list]:
        params = [
            constant if name is None else int(ids[name])
            for name, constant in zip(statement.places, statement.constants, strict=True)
        ]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            return decoded(cursor.fetchall(), statement.columns, connection)


def _instances(queryset: QuerySet, compiler, alias: str) -> _Instances | None:
    """How ModelIterable turns this compiled query's rows into instances; None for a
    QuerySet of values. Refuses what a row alone cannot give (annotations, prefetches,
    objects the QuerySet already knows): those need the ORM's own iteration."""
    if queryset._iterable_class is not ModelIterable:
        return None
    if (
        compiler.annotation_col_map
        or queryset._prefetch_related_lookups
        or (queryset._known_related_objects)
    ):
        raise ValueError("a compiled read of instances takes no annotation or prefetch")
    fields = compiler.klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    names = tuple(column[0].target.attname for column in compiler.select[start:end])
    populators = tuple(get_related_populators(compiler.klass_info, compiler.select, alias))
    return _Instances(compiler.klass_info["model"], start, end, names, populators)


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
