"""Numbered schema migrations and the SQL views, applied when a database is opened for writing.

A migration is ``migrations/NNN_name.sql``: frozen once released, because every database in the field
must reach today's schema by the same steps a new one takes. Each runs in its own transaction together
with its row in ``schema_migrations``, so a crash leaves the database at the previous version, never
half-way. Views are code, not data: they are recreated from ``views/*.sql`` (in file-name order) on
every writable open, so a view fix needs no migration.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extractors import PARSER_VERSION

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VIEWS_DIR = Path(__file__).with_name("views")

_MIGRATION_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")

CREATE_SCHEMA_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER NOT NULL PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL,
    parser_version VARCHAR
)
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def available_migrations() -> list[Migration]:
    """Migrations shipped with this edgar13d, in order; numbering must be 1..n without gaps."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = _MIGRATION_FILE.match(path.name)
        if not m:
            raise RuntimeError(f"migration file name must be NNN_name.sql: {path.name}")
        found.append(Migration(int(m.group(1)), m.group(2), path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


def latest_version() -> int:
    return len(available_migrations())


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Schema version of an open database: 0 for a file no migration has touched."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        " AND table_schema = 'main'"
    ).fetchall()
    if not exists or not exists[0][0]:
        return 0
    rows = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()
    return int(rows[0][0]) if rows else 0


@dataclass(frozen=True)
class MigrationState:
    """One migration as a database sees it: applied (when, by which parser version) or pending."""

    version: int
    name: str
    applied_at: dt.datetime | None
    known: bool = True  # False: applied by a newer edgar13d than this one


def migration_states(applied_rows: Iterable[tuple[int, str, dt.datetime]]) -> list[MigrationState]:
    """Every migration this edgar13d ships, and any newer one the database has, with its state.

    ``applied_rows`` are the database's ``schema_migrations`` rows (SCHEMA_MIGRATIONS_ROWS)."""
    applied = {v: (n, t) for v, n, t in applied_rows}
    states = [MigrationState(m.version, m.name, applied.get(m.version, (None, None))[1])
              for m in available_migrations()]
    known = {m.version for m in states}
    states += [MigrationState(v, n, t, known=False) for v, (n, t) in sorted(applied.items()) if v not in known]
    return states


def applied_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, dt.datetime]]:
    """The database's schema_migrations rows; none for a file no migration has touched."""
    return con.execute(SCHEMA_MIGRATIONS_ROWS).fetchall() if current_version(con) else []


SCHEMA_MIGRATIONS_ROWS = "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"


def apply_migrations(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Bring the database up to ``target`` (default: latest); return the versions applied."""
    con.execute(CREATE_SCHEMA_MIGRATIONS)
    have = current_version(con)
    applied = []
    for mig in available_migrations():
        if mig.version <= have or (target is not None and mig.version > target):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(mig.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)",
                [mig.version, mig.name, _utcnow(), PARSER_VERSION],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(mig.version)
    return applied


def view_files() -> list[Path]:
    return sorted(VIEWS_DIR.glob("*.sql"))


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every view from views/*.sql in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for path in view_files():
            con.execute(path.read_text(encoding="utf-8"))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
