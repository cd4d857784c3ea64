"""Migrations on real database files: from empty, from the previous version, refusing a newer one,
and the stored columns matching extractors/schema.py (the one schema)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from extractors.schema import TABLES
from tests.fixtures.warehouse.builders import CUSIP, filing, person
from warehouse import Warehouse, WarehouseNeedsMigration, WarehouseTooNew, migrate, store
from warehouse.ddl import create_table_sql, schema_drift

VIEWS = {"ownership_history", "latest_positions", "group_positions", "amendment_chains", "schedule_switches",
         "threshold_crossings", "holder_names"}


def _tables(con: duckdb.DuckDBPyConnection, kind: str) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = ?", [kind]).fetchall()}


def _database_at(db: Path, version: int) -> duckdb.DuckDBPyConnection:
    """A new database file migrated up to ``version`` only: what an older edgar13d left behind."""
    con = duckdb.connect(str(db))
    migrate.apply_migrations(con, target=version)
    return con


def test_open_empty_file_applies_every_migration(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    with Warehouse.open(db) as wh:
        assert wh.schema_version == migrate.latest_version() >= 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
        assert versions == list(range(1, migrate.latest_version() + 1))
        assert {"filings", "reporting_persons", "items", "signatures", "cusip_issuers", "crawl_days",
                "backfills", "raw_archive", "failures", "positions"} <= _tables(con, "BASE TABLE")
        assert _tables(con, "VIEW") >= VIEWS
        assert schema_drift(con) == []
    finally:
        con.close()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    Warehouse.open(db).close()
    con = duckdb.connect(str(db))
    try:
        assert migrate.apply_migrations(con) == []
    finally:
        con.close()


def test_schema_drift_detects_a_column_the_database_lacks(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "d.duckdb"))
    try:
        migrate.apply_migrations(con)
        con.execute("ALTER TABLE filings DROP COLUMN source")
        con.execute("ALTER TABLE items ADD COLUMN stray INTEGER")
        problems = schema_drift(con)
        assert "filings.source: missing in database" in problems
        assert "items.stray: in database, not in schema" in problems
    finally:
        con.close()


def test_generated_ddl_matches_migration_types(tmp_path: Path) -> None:
    # What `python -m warehouse.ddl` prints creates the same columns migration 001 did.
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    try:
        for name, schema in TABLES.items():
            con.execute(create_table_sql(name, schema))
        assert schema_drift(con) == []
    finally:
        con.close()


def test_migrating_from_the_first_version_keeps_data(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    previous = 1  # before positions (002) and citizenship_code (004): both are derived on the way up
    con = _database_at(db, previous)
    assert migrate.current_version(con) == previous
    # A database of the previous version holding a filing written the way that version's code did.
    con.execute(
        "INSERT INTO filings (filing_id, accession_number, parser_version, document_format, filed_date,"
        " cusip, subject_cik, content_sha256) VALUES ('0000950123-94-000385', '0000950123-94-000385',"
        " '0.0.9', 'txt', DATE '1994-02-17', ?, '50104', 'abc')",
        [CUSIP],
    )
    con.execute(
        "INSERT INTO reporting_persons (filing_id, accession_number, parser_version, seq, name,"
        " aggregate_amount, percent_of_class, holder_key, holder_cusip) VALUES ('0000950123-94-000385',"
        " '0000950123-94-000385', '0.0.9', 1, 'Example Partners, L.P.', 22149036, 17.0,"
        " 'name:EXAMPLE PARTNERS LP', ?)",
        [CUSIP],
    )
    con.close()

    with Warehouse.open(db) as wh:
        assert wh.schema_version == migrate.latest_version()
        # what the migration derived equals what a load derives (store.POSITIONS_SELECT)
        derived = wh.query(store.POSITIONS_SELECT.format(persons="reporting_persons", filings="filings", extra=""))
        assert derived.num_rows == 1
        assert wh.query("SELECT * FROM positions").to_pylist() == derived.to_pylist()
        hist = wh.ownership_history(CUSIP).to_pylist()
        assert [(r["holder_key"], r["aggregate_amount"]) for r in hist] == [
            ("name:EXAMPLE PARTNERS LP", 22149036.0)]
        # and the migrated database takes new loads
        res = wh.load_parsed([filing("0000950123-94-000999", dt.date(1994, 5, 1),
                                     [person("Example Partners, L.P.", 23000000, 17.7)], amendment=1)])
        assert res.inserted == 1
        assert len(wh.ownership_history(CUSIP)) == 2


def test_newer_database_is_refused_with_upgrade_advice(tmp_path: Path) -> None:
    db = tmp_path / "future.duckdb"
    Warehouse.open(db).close()
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', now()::TIMESTAMP, '9.9')")
    con.close()
    for read_only in (False, True):
        with pytest.raises(WarehouseTooNew, match="Upgrade edgar13d"):
            Warehouse.open(db, read_only=read_only)
    # refusing changed nothing
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT max(version) FROM schema_migrations").fetchall()[0][0] == 999
    con.close()


def test_read_only_open_of_an_older_database_says_to_run_migrate(tmp_path: Path) -> None:
    db = tmp_path / "older.duckdb"
    con = _database_at(db, 1)
    con.close()
    with pytest.raises(WarehouseNeedsMigration, match="Run `edgar13d migrate`"):
        Warehouse.open(db, read_only=True)


def test_read_only_open_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Warehouse.open(tmp_path / "absent.duckdb", read_only=True)


def test_failed_migration_leaves_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "m.duckdb"
    con = _database_at(db, 1)
    bad_dir = tmp_path / "migrations"
    bad_dir.mkdir()
    for m in migrate.available_migrations():
        (bad_dir / m.path.name).write_text(m.sql)
    (bad_dir / f"{migrate.latest_version() + 1:03d}_broken.sql").write_text(
        "CREATE TABLE half_done (x INTEGER);\nSELECT * FROM no_such_table;\n")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", bad_dir)
    with pytest.raises(duckdb.CatalogException):
        migrate.apply_migrations(con)
    assert migrate.current_version(con) == migrate.latest_version() - 1
    assert "half_done" not in _tables(con, "BASE TABLE")
    con.close()


def test_migration_004_gives_xml_rows_their_printed_code_and_leaves_words_to_a_reparse(tmp_path: Path) -> None:
    db = tmp_path / "v2.duckdb"
    con = _database_at(db, 2)
    # Written the way version 2's code did: a filing's persons and their positions row.
    for fid, fmt, citizenship in (("0001-25-000001", "xml", "E9"), ("0000950123-94-000385", "txt", "Delaware")):
        con.execute(
            "INSERT INTO filings (filing_id, accession_number, parser_version, document_format, filed_date,"
            " cusip, subject_cik, content_sha256) VALUES (?, ?, '0.1.0', ?, DATE '2025-01-02', ?, '50104', 'abc')",
            [fid, fid, fmt, CUSIP],
        )
        con.execute(
            "INSERT INTO reporting_persons (filing_id, accession_number, parser_version, seq, name, citizenship,"
            " aggregate_amount, holder_key, holder_cusip) VALUES (?, ?, '0.1.0', 1, 'Example Fund', ?, 100,"
            " 'name:EXAMPLE FUND', ?)",
            [fid, fid, citizenship, CUSIP],
        )
        con.execute(
            "INSERT INTO positions (cusip, holder_key, filing_id, seq, holder_name, is_amendment, aggregate_amount)"
            " VALUES (?, 'name:EXAMPLE FUND', ?, 1, 'Example Fund', false, 100)",
            [CUSIP, fid],
        )
    con.close()
    with Warehouse.open(db) as wh:
        got = wh.query("SELECT p.filing_id, p.citizenship_code, q.citizenship_code AS position_code FROM"
                       " reporting_persons p JOIN positions q USING (filing_id, seq) ORDER BY 1").to_pylist()
        assert got == [
            {"filing_id": "0000950123-94-000385", "citizenship_code": None, "position_code": None},  # reparse fills it
            {"filing_id": "0001-25-000001", "citizenship_code": "E9", "position_code": "E9"},
        ]
        assert wh.query("SELECT citizenship_code FROM ownership_history ORDER BY filing_id").column(0).to_pylist() \
            == [None, "E9"]
        # README-sql's query: holders of a CUSIP by place.
        by_place = wh.query("SELECT citizenship_code, count(DISTINCT holder_key) AS holders FROM latest_positions"
                            f" WHERE cusip = '{CUSIP}' GROUP BY ALL").to_pylist()
        assert by_place == [{"citizenship_code": "E9", "holders": 1}]  # the holder's latest report is the XML one


def test_migration_006_makes_every_stored_row_a_13d_without_a_recrawl(tmp_path: Path) -> None:
    db = tmp_path / "v5.duckdb"
    con = _database_at(db, 5)
    con.execute(
        "INSERT INTO filings (filing_id, accession_number, parser_version, document_format, filed_date,"
        " cusip, subject_cik, content_sha256, form_type) VALUES ('0000950123-94-000385', '0000950123-94-000385',"
        " '0.2.0', 'txt', DATE '1994-02-17', ?, '50104', 'abc', 'SC 13D')", [CUSIP])
    con.execute(
        "INSERT INTO reporting_persons (filing_id, accession_number, parser_version, seq, name, aggregate_amount,"
        " percent_of_class, holder_key, holder_cusip) VALUES ('0000950123-94-000385', '0000950123-94-000385',"
        " '0.2.0', 1, 'Example Partners, L.P.', 22149036, 17.0, 'name:EXAMPLE PARTNERS LP', ?)", [CUSIP])
    con.execute(
        "INSERT INTO positions (cusip, holder_key, filing_id, seq, holder_name, is_amendment, aggregate_amount,"
        " filed_date) VALUES (?, 'name:EXAMPLE PARTNERS LP', '0000950123-94-000385', 1, 'Example Partners, L.P.',"
        " false, 22149036, DATE '1994-02-17')", [CUSIP])
    con.close()
    with Warehouse.open(db) as wh:
        assert wh.schema_version == migrate.latest_version() >= 5
        assert schema_drift(wh._con) == []
        for table in ("filings", "reporting_persons", "positions"):
            assert wh.query(f"SELECT DISTINCT schedule FROM {table}").column(0).to_pylist() == ["13D"], table
        assert wh.query("SELECT rule_13d_1 FROM filings").column(0).to_pylist() == [None]
        # a 13G of the same holder loads beside it, and the switch shows
        res = wh.load_parsed([filing("0000950123-95-000001", dt.date(1995, 2, 1),
                                     [person("Example Partners, L.P.", 9_000_000, 6.9, group=None)],
                                     schedule="13G")])
        assert res.inserted == 1
        switch = wh.query("SELECT direction, from_filing_id, to_filing_id FROM schedule_switches").to_pylist()
        assert switch == [{"direction": "to_13G", "from_filing_id": "0000950123-94-000385",
                           "to_filing_id": "0000950123-95-000001"}]


def _position_storage(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """How each positions column is stored on disk (after a checkpoint), validity segments left out."""
    rows = con.execute("SELECT column_name, compression FROM pragma_storage_info('positions')"
                       " WHERE segment_type <> 'VALIDITY'").fetchall()
    out: dict[str, set[str]] = {}
    for column, compression in rows:
        out.setdefault(column, set()).add(compression)
    return out


_HIGH_CARDINALITY = ("holder_key", "filing_id", "holder_name", "holder_cik", "accession_number")


def test_migration_009_rewrites_positions_with_its_key_columns_uncompressed_and_keeps_every_row(
        tmp_path: Path) -> None:
    db = tmp_path / "v8.duckdb"
    con = _database_at(db, 8)
    # Holders that all differ, as at scale: DuckDB would store such text as a dictionary.
    con.execute(
        "INSERT INTO positions (cusip, holder_key, filing_id, seq, holder_name, holder_cik, accession_number,"
        " is_amendment, aggregate_amount, filed_date, schedule)"
        " SELECT ?, 'name:HOLDER ' || i, '0000950123-94-' || lpad(i::VARCHAR, 6, '0'), 1, 'Holder ' || i,"
        " (900000 + i)::VARCHAR, '0000950123-94-' || lpad(i::VARCHAR, 6, '0'), i % 2 = 0, i * 100,"
        " DATE '1994-01-01' + i::INTEGER, CASE WHEN i % 4 = 0 THEN '13G' ELSE '13D' END FROM range(3000) t(i)", [CUSIP])
    con.execute("CHECKPOINT")
    before_storage = _position_storage(con)
    before = con.execute("SELECT * FROM positions ORDER BY filing_id").fetchall()
    con.close()
    assert before_storage["holder_key"] != {"Uncompressed"}  # what the test is about: 009 changes it

    with Warehouse.open(db) as wh:
        assert wh.schema_version == migrate.latest_version() >= 9
        assert schema_drift(wh._con) == []
        assert wh._con.execute("SELECT * FROM positions ORDER BY filing_id").fetchall() == before
        assert wh.query("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'positions'").column(0) \
            .to_pylist() == ["positions_cusip"]
        assert wh.query("SELECT column_default FROM information_schema.columns WHERE table_name = 'positions'"
                        " AND column_name = 'schedule'").column(0).to_pylist() == ["'13D'"]
        assert wh.ownership_history(CUSIP).num_rows == 3000
        # Loads and the CUSIP-order rewrite keep the columns' storage: it is the table's, not a session's.
        wh.load_parsed([filing("0000950123-95-000001", dt.date(1995, 2, 1),
                               [person("Example Partners, L.P.", 9_000_000, 6.9, group=None)])])
        wh.cluster_positions()
        storage = _position_storage(wh._con)
    for column in _HIGH_CARDINALITY:
        assert storage[column] == {"Uncompressed"}, column
    assert storage["cusip"] != {"Uncompressed"}  # the repeating columns stay compressed
