"""Statements that every service write makes, compiled by Django once per database.

Django builds and compiles a query anew at every call, and for the small statements each
write makes that took longer than the database took to answer them (bench/compiled_reads.py,
one call through the ORM against the same compiled: the race locked with what it belongs
to and the official's roles 1,418 -> 379 us on SQLite, 3,690 -> 1,302 us on PostgreSQL;
bench/competition.py makes 808 writes). A ``Compiled`` read is written once as a QuerySet
whose parameters are the arguments of the function that builds it; its SQL, where each
argument goes among the parameters, and Django's converters for its columns are kept per
database, and each call runs that SQL with the values given and decodes the rows as the
ORM would have: ``rows`` for a QuerySet of ``values_list``, ``objects`` for one of model
instances (``select_related``, ``annotate`` and ``select_for_update`` kept). ``insert``
and ``insert_all`` save new rows as ``save()`` and ``bulk_create`` do (the same values
prepared by each field, the same signals), by an INSERT written once per model and
database; ``update`` saves some fields of a row as ``save(update_fields=...)`` does.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    CharField,
    Field,
    IntegerField,
    Model,
    QuerySet,
    TextField,
)
from django.db.models.query import FlatValuesListIterable, ModelIterable, get_related_populators
from django.db.models.signals import post_save, pre_save
from django.utils.asyncio import async_unsafe


@async_unsafe
def cursor_of(connection):
    """A cursor for one statement, as ``connection.cursor()`` gives; on PostgreSQL with
    psycopg's own cursor under it kept on the connection (per thread, as the connection is)
    rather than made anew, which cost about as much of the process's CPU as a small
    prepared statement (bench/compiled_reads.py: 127 -> 123 us a statement on the clock;
    on SQLite a kept cursor is slower, 8 -> 12 us, so there it is made anew). Wrapped as
    Django wraps each cursor, so queries are logged and execute wrappers see it; not to be
    closed (no ``with``)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    kept = connection.__dict__.get("_compiled_cursor")
    if kept is None or kept[0] is not connection.connection or getattr(kept[1], "closed", 0):
        with connection.wrap_database_errors:
            kept = (connection.connection, connection.create_cursor())
        connection.__dict__["_compiled_cursor"] = kept
    return connection._prepare_cursor(kept[1])


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
    annotations: tuple[tuple[str, int], ...]  # (attribute, position in the row)


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
            for name, position in spec.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def _run(self, statement: _Statement, using: str, ids: dict[str, int]) -> list[list]:
        params = [
            constant if name is None else int(ids[name])
            for name, constant in zip(statement.places, statement.constants, strict=True)
        ]
        connection = connections[using]
        converters = _kept(connection, "converters", statement, converters_of, statement.columns)
        cursor = cursor_of(connection)
        cursor.execute(statement.sql, params)
        return decoded(cursor.fetchall(), statement.columns, connection, converters)


def _instances(queryset: QuerySet, compiler, alias: str) -> _Instances | None:
    """How ModelIterable turns this compiled query's rows into instances; None for a
    QuerySet of values. Refuses what a row alone cannot give (prefetches, objects the
    QuerySet already knows): those need the ORM's own iteration."""
    if queryset._iterable_class is not ModelIterable:
        return None
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        raise ValueError("a compiled read of instances takes no prefetch")
    fields = compiler.klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    names = tuple(column[0].target.attname for column in compiler.select[start:end])
    populators = tuple(get_related_populators(compiler.klass_info, compiler.select, alias))
    annotations = tuple(compiler.annotation_col_map.items())
    return _Instances(compiler.klass_info["model"], start, end, names, populators, annotations)


def decoded(rows, columns, connection, converters: list | None = None) -> list:
    """Rows read by SQL of our own, decoded as the ORM decodes these selected columns (a
    JSON text parsed, an SQLite moment made aware): Django's converters of each column,
    on this connection (``converters_of``, unless given). Rows with nothing to decode are
    returned as read."""
    if converters is None:
        converters = converters_of(columns, connection)
    if not converters:
        return rows
    rows = [list(row) for row in rows]
    for row in rows:
        for position, functions, column in converters:
            for function in functions:
                row[position] = function(row[position], column, connection)
    return rows


def _kept(connection, what: str, statement, make, of):
    """``make(of, connection)`` for this statement, made once and kept on the connection:
    what Django works out for a connection (converters, preparations) is bound to it, and
    there is one connection a thread. Statements live as long as the process."""
    kept = connection.__dict__.setdefault(f"_compiled_{what}", {})
    found = kept.get(id(statement))
    if found is None:
        found = kept[id(statement)] = make(of, connection)
    return found


def converters_of(columns, connection) -> list[tuple[int, list, Any]]:
    """Django's converters of each selected column on this connection, for ``decoded``."""
    converters = []
    for position, column in enumerate(columns):
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((position, functions, column))
    return converters


# -- new rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Insert:
    head: str  # INSERT INTO table (columns) VALUES
    row: str  # (%s, ...)
    returning: str  # RETURNING id, or "" where the database cannot say
    fields: tuple[Any, ...]
    # PostgreSQL: INSERT INTO table (columns) SELECT * FROM UNNEST(%s::type[], ...), one
    # array a column, as Django's bulk_create writes it; "" where a field cannot be so.
    unnest: str


_INSERTS: dict[tuple[type, str], _Insert] = {}


def _insert_statement(model: type[Model], alias: str) -> _Insert:
    statement = _INSERTS.get((model, alias))
    if statement is None:
        meta, connection = model._meta, connections[alias]
        if meta.parents or [f for f in meta.db_returning_fields if f is not meta.pk]:
            raise ValueError(f"{model.__name__}: a compiled insert takes a plain model")
        fields = tuple(
            f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated
        )
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        returning = ""
        if connection.features.can_return_columns_from_insert:
            returning = f" RETURNING {quote(meta.db_table)}.{quote(meta.pk.column)}"
        into = f"INSERT INTO {quote(meta.db_table)} ({columns})"
        unnest = ""
        if connection.vendor == "postgresql" and all(_unnestable(f, connection) for f in fields):
            # As Django's: no length in an array's type (varchar[]), so nothing is cut.
            arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
            unnest = f"{into} SELECT * FROM UNNEST({arrays})"
        statement = _Insert(
            f"{into} VALUES ",
            "(" + ", ".join(["%s"] * len(fields)) + ")",
            returning,
            fields,
            unnest,
        )
        _INSERTS[model, alias] = statement
    return statement


def _unnestable(field, connection) -> bool:
    """Whether Django's bulk_create would pass the field's values as one array (of a type of
    its own, not a placeholder of the field's making)."""
    typed = field.target_field if field.is_relation else field
    return not hasattr(field, "get_placeholder") and (
        typed.get_internal_type() in connection.data_types
    )


def _values(statement: _Insert, instance: Model, connection) -> list:
    if instance.pk is not None:
        raise ValueError(f"{type(instance).__name__} {instance.pk} is saved already")
    instance._prepare_related_fields_for_save(operation_name="save")
    preparation = _kept(connection, "preparation", statement, _preparation, statement.fields)
    values = []
    for field, kind, wrap in preparation:
        if kind is not None:
            value = getattr(instance, field.attname)  # Field.pre_save's own value
            if type(value) is kind:
                values.append(value if wrap is None else wrap(value))
                continue
        value = field.pre_save(instance, add=True)
        if hasattr(value, "resolve_expression"):
            raise ValueError(f"{field.name}: a compiled insert takes values, not expressions")
        values.append(field.get_db_prep_save(value, connection))
    return values


# Field classes whose value of one plain type Django prepares by a known rule, with the
# sample a field's rule is read from. Django's preparation of a value goes through some
# eight calls a field (get_db_prep_save, get_db_prep_value, get_prep_value, the backend's
# adaptation); a result line's values 34 -> 16 us on PostgreSQL, 36 -> 22 us on SQLite
# (bench/compiled_reads.py).
_PLAIN = (
    (IntegerField, int, 7),
    (CharField, str, "x"),
    (TextField, str, "x"),
    (BooleanField, bool, True),
)


def _preparation(fields, connection) -> tuple[tuple[Any, type | None, Any], ...]:
    """Each field with the type of value it takes the short way and what wraps such a
    value for the database (None: the value itself), as Django's get_db_prep_save gave it
    for the sample on this connection (psycopg's Int2, Int4, Int8 on PostgreSQL, the int
    itself on SQLite); (field, None, None) where Django's own preparation runs: a field that
    computes its value (pre_save of its own), another class, a rule the sample does not
    show. None, and any other type of value, always goes Django's way."""
    prepared = []
    for field in fields:
        kind = wrap = None
        typed = field.target_field if field.is_relation else field
        if type(field).pre_save is Field.pre_save:
            for base, plain, sample in _PLAIN:
                if not isinstance(typed, base):
                    continue
                made = field.get_db_prep_save(sample, connection)
                if type(made) is plain and made == sample:
                    kind = plain
                elif isinstance(made, plain) and type(made)(sample) == made:
                    kind, wrap = plain, type(made)
                break
        prepared.append((field, kind, wrap))
    return tuple(prepared)


def _saved(instance: Model, pk: int, alias: str) -> None:
    setattr(instance, instance._meta.pk.attname, pk)
    instance._state.adding, instance._state.db = False, alias


def insert(instance: Model, using: str = "default") -> Model:
    """Save a new instance as ``instance.save()`` does: its fields' values prepared as the
    ORM prepares them, ``pre_save`` and ``post_save`` sent, its id set."""
    model, connection = type(instance), connections[using]
    statement = _insert_statement(model, using)
    pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    values = _values(statement, instance, connection)
    with transaction.mark_for_rollback_on_error(using):
        cursor = cursor_of(connection)
        cursor.execute(statement.head + statement.row + statement.returning, values)
        pk = cursor.fetchone()[0] if statement.returning else _last_id(cursor, model, connection)
    _saved(instance, pk, using)
    post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using
    )
    return instance


# Rows of fewer parameters go as VALUES: psycopg keeps such a statement converted (its
# MAX_CACHED_STATEMENT_PARAMS) and PostgreSQL prepared like any other, and it dumps scalars
# in C where an array costs a Python loop a column (a write's three announcements, five
# columns: 365 -> 270 us a statement, bench/compiled_reads.py; a result's lines, past 50,
# as fast either way).
_VALUES_AT_MOST = 50


def insert_all(instances: list[Model], using: str = "default", batch: int = 100) -> list[Model]:
    """Save new instances of one model as ``bulk_create`` does: no signal, each given its
    id, a hundred rows a statement (on PostgreSQL as arrays, one a column, past
    ``_VALUES_AT_MOST`` parameters)."""
    if not instances:
        return instances
    model, connection = type(instances[0]), connections[using]
    statement = _insert_statement(model, using)
    if not statement.returning or not connection.features.can_return_rows_from_bulk_insert:
        return model._base_manager.using(using).bulk_create(instances)
    with transaction.mark_for_rollback_on_error(using):
        cursor = cursor_of(connection)
        for start in range(0, len(instances), batch):
            chunk = instances[start : start + batch]
            rows = [_values(statement, row, connection) for row in chunk]
            if statement.unnest and len(chunk) * len(statement.fields) > _VALUES_AT_MOST:
                # One statement whatever the number of rows: psycopg and PostgreSQL keep
                # it prepared (a statement of over 50 parameters psycopg parses every time).
                sql, values = statement.unnest, [list(column) for column in zip(*rows, strict=True)]
            else:
                sql = statement.head + ", ".join([statement.row] * len(chunk))
                values = [value for row in rows for value in row]
            cursor.execute(sql + statement.returning, values)
            for instance, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                _saved(instance, pk, using)
    return instances


def update(instance: Model, *names: str, using: str = "default") -> Model:
    """Save these fields of a saved instance as ``instance.save(update_fields=names)``
    does: the values prepared by each field, ``pre_save`` and ``post_save`` sent."""
    model, connection = type(instance), connections[using]
    meta, quote = model._meta, connection.ops.quote_name
    fields = [meta.get_field(name) for name in names]
    changed = frozenset(names)
    pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=changed)
    values = [f.get_db_prep_save(f.pre_save(instance, add=False), connection) for f in fields]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    with transaction.mark_for_rollback_on_error(using):
        cursor = cursor_of(connection)
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s",
            [*values, instance.pk],
        )
        if cursor.rowcount != 1:
            raise model.DoesNotExist(f"{model.__name__} {instance.pk} no longer exists")
    post_save.send(
        sender=model,
        instance=instance,
        created=False,
        update_fields=changed,
        raw=False,
        using=using,
    )
    return instance


def _last_id(cursor, model: type[Model], connection) -> int:
    return connection.ops.last_insert_id(cursor, model._meta.db_table, model._meta.pk.column)
