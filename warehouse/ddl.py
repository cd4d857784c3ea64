"""The bridge between the Arrow schema of :mod:`extractors.schema` and DuckDB column types.

Migrations are frozen SQL files (a database created last year must be upgraded by the same steps a new
one takes), so they cannot be generated at open time from whatever the schema says today. Instead this
module states how each Arrow type maps to DuckDB, prints the DDL for a new migration
(``python -m warehouse.ddl``), and :func:`schema_drift` compares a migrated database with the schema:
the test suite fails the day a column is added to ``extractors/schema.py`` without a migration.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from extractors.schema import TABLES

# Columns the warehouse adds to the extractor tables, computed at load (see store.py).
EXTRA_COLUMNS: dict[str, dict[str, str]] = {
    "filings": {"loaded_at": "TIMESTAMP", "positions_digest": "UBIGINT", "filing_cusips_digest": "UBIGINT"},
    "reporting_persons": {"holder_key": "VARCHAR", "holder_cusip": "VARCHAR"},
    "items": {},
    "signatures": {},
}


def duckdb_type(t: pa.DataType) -> str:
    """DuckDB type name (as information_schema spells it) for an Arrow type used in the schema."""
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "VARCHAR"
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    if pa.types.is_int32(t):
        return "INTEGER"
    if pa.types.is_int64(t):
        return "BIGINT"
    if pa.types.is_float64(t):
        return "DOUBLE"
    if pa.types.is_date32(t):
        return "DATE"
    if pa.types.is_timestamp(t):
        # Second-precision Arrow timestamps are widened to DuckDB's microsecond TIMESTAMP.
        return "TIMESTAMP"
    if pa.types.is_list(t):
        return duckdb_type(t.value_type) + "[]"
    raise TypeError(f"no DuckDB mapping for Arrow type {t}")


def create_table_sql(table: str, schema: pa.Schema) -> str:
    """CREATE TABLE statement for one extractor table (what a migration adding it should say)."""
    cols = [f"    {f.name} {duckdb_type(f.type)}{'' if f.nullable else ' NOT NULL'}" for f in schema]
    cols += [f"    {name} {typ}" for name, typ in EXTRA_COLUMNS.get(table, {}).items()]
    return f"CREATE TABLE {table} (\n" + ",\n".join(cols) + "\n);"


def schema_drift(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Differences between the database's four extractor tables and extractors/schema.py; [] when none."""
    problems: list[str] = []
    for table, schema in TABLES.items():
        rows = con.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position",
            [table],
        ).fetchall()
        have = {name: (typ, nullable == "YES") for name, typ, nullable in rows}
        want = {f.name: (duckdb_type(f.type), f.nullable) for f in schema}
        want.update({n: (t, True) for n, t in EXTRA_COLUMNS[table].items()})
        for name, spec in want.items():
            if name not in have:
                problems.append(f"{table}.{name}: missing in database")
            elif have[name] != spec:
                problems.append(f"{table}.{name}: database has {have[name]}, schema says {spec}")
        problems += [f"{table}.{name}: in database, not in schema" for name in have if name not in want]
    return problems


if __name__ == "__main__":
    for _name, _schema in TABLES.items():
        print(create_table_sql(_name, _schema), end="\n\n")
