"""Saving a few new rows that refer to each other, in one statement.

Registering writes four kinds of row at once (the registration, its participants, their
workshop choices, their first mails), and a crowd registers at the same second: there the
CPU each submission costs is what limits how many the site takes per second
(bench/README.md). Four ORM inserts cost four round trips and more than a millisecond of
Python; one statement with a data-modifying WITH clause per table costs a fraction of that.

The columns and values still come from the models (each field's own ``pre_save`` and
conversion to a database value), so a new field needs no change here. What a model does
in ``save()`` or its manager's ``bulk_create()`` is not done: the caller must (for
``Participant``, its search text), and no signals are sent (as with bulk_create). Other
databases than PostgreSQL get the ORM's inserts.
"""

# ruff: noqa: S608 - the SQL is built from the models' table and column names and from
# counters; every value goes as a parameter.

import functools
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


class Expression(NamedTuple):
    """A value a new row gets from SQL of the same statement (``before``'s clauses, say),
    set on an instance's attribute in place of its value. The caller sets the attribute's
    real value afterwards: the statement does not return it."""

    sql: str
    params: tuple = ()


def save_new_rows(*groups, before=(), then=None):
    """Insert unsaved instances, a list per model, parents' lists before their children's.

    A foreign key may point at an instance of an earlier list: it gets that row's new id.
    Afterwards every instance has its primary key and counts as saved.

    ``before``: (clause, parameters) pairs, each a ``name AS (query)`` to put first in the
    statement's WITH, for the values given as an Expression to read from.

    ``then``: (SQL, parameters) of a query of one row to run in the same statement (one
    round trip less), whose row is returned (all None if it found none). ``{new}`` in its
    SQL names the first list's new rows: a query that reads them runs once they are written.

    ``before``, ``then`` and Expression values need PostgreSQL.
    """
    groups = [list(group) for group in groups]
    if connection.vendor != "postgresql":
        if then is not None or before:
            raise NotImplementedError("save_new_rows(before=…, then=…) needs PostgreSQL")
        save_with_orm(groups)
        return None
    position = {id(obj): (number, index) for number, group in enumerate(groups) for index, obj in enumerate(group)}
    clauses, params, references = [], [], []
    for clause, clause_params in before:
        clauses.append(clause)
        params.extend(clause_params)
    for number, group in enumerate(groups):
        if group:
            clauses.append(insert_clause(number, group, position, params, references))
    ids = ", ".join(
        f"ARRAY(SELECT id FROM new_{number} ORDER BY id)" if group else "ARRAY[]::bigint[]"
        for number, group in enumerate(groups)
    )
    select = ids
    if then is not None:
        then_sql, then_params = then
        clauses.append(f"then_row AS ({then_sql.format(new='new_0')})")
        params.extend(then_params)
        # One row, with the ids, also when ``then`` finds none.
        select = f"{ids}, then_row.* FROM (VALUES (1)) AS one LEFT JOIN then_row ON true"
    query = f"WITH {', '.join(clauses)} SELECT {select}"
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    new_ids, then_row = row[: len(groups)], row[len(groups) :]
    for group, pks in zip(groups, new_ids, strict=True):
        # Ids come from the table's sequence, handed out in the order the rows were written,
        # which is the order of the VALUES list (the same assumption bulk_create makes).
        for obj, pk in zip(group, pks, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias
    for obj, attname, (parent_group, parent_index) in references:
        # As save() does once the parent has its id.
        setattr(obj, attname, groups[parent_group][parent_index].pk)
    return then_row or None


def insert_clause(number, group, position, params, references):
    """``new_<number> AS (INSERT … RETURNING id)`` for one model's instances. Adds their
    values to ``params`` and their foreign keys to new rows to ``references``."""
    head, fields = insert_plan(group[0].__class__)
    # The connection itself: each attribute read through the proxy costs a lookup of the
    # current thread's connection, and a registration converts some forty values.
    database = connections[DEFAULT_DB_ALIAS]
    rows = []
    for obj in group:
        placeholders = []
        for field, is_foreign_key, plain in fields:
            parent = new_parent(obj, field, position) if is_foreign_key else None
            if parent is not None:
                parent_group, parent_index = parent
                placeholders.append(f"(SELECT id FROM new_{parent_group} ORDER BY id LIMIT 1 OFFSET {parent_index})")
                references.append((obj, field.attname, parent))
                continue
            if plain:
                value = getattr(obj, field.attname)
                if value is None or type(value) in plain:
                    placeholders.append("%s")
                    params.append(value)
                    continue
            value = field.pre_save(obj, True)
            if isinstance(value, Expression):
                placeholders.append(value.sql)
                params.extend(value.params)
            else:
                placeholders.append("%s")
                params.append(field.get_db_prep_save(value, database))
        rows.append(f"({', '.join(placeholders)})")
    return head.format(number=number, rows=", ".join(rows))


@functools.cache
def insert_plan(model):
    """The clause around a model's VALUES, and its fields: each with whether it is a foreign
    key and the types of value it writes as they are (see PLAIN)."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    head = f"new_{{number}} AS (INSERT INTO {table} ({columns}) VALUES {{rows}} RETURNING {pk} AS id)"
    return head, [(field, field.many_to_one, plain_types(field)) for field in fields]


# Field classes, exactly these, whose pre_save() and conversion to a database value return a
# value of these types (or None) unchanged. Writing it as it is skips about ten calls per
# value, and a registration writes some forty values (0.1 ms of its CPU). Any other value,
# a lazy translation or a bool given to an IntegerField say, takes the field's own way.
PLAIN = {
    models.CharField: (str,),
    models.EmailField: (str,),
    models.SlugField: (str,),
    models.TextField: (str,),
    models.IntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.BooleanField: (bool,),
}


def plain_types(field):
    if type(field) is models.ForeignKey:
        field = field.target_field
        return (int,) if type(field) in {models.AutoField, models.BigAutoField} else None
    return PLAIN.get(type(field))


def new_parent(obj, field, position):
    """(list, index) of the unsaved instance this foreign key points at, or None."""
    if getattr(obj, field.attname) is not None or not field.is_cached(obj):
        return None
    parent = field.get_cached_value(obj)
    return position.get(id(parent)) if parent is not None else None


def save_with_orm(groups):
    for group in groups:
        for obj in group:
            # bulk_create would skip the parents' new ids; save() takes them from the cache.
            obj.save(force_insert=True)
