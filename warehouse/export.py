"""Parquet export of the warehouse, partitioned by filing year, for other engines (and for readers).

DuckDB allows one process in a database file while it is being written, so anything that must read
while a nightly run writes (a notebook, Spark, Polars, another DuckDB) reads this export instead. Each
table goes to ``<out>/<table>/filing_year=<YYYY>/*.parquet`` (hive partitioning; rows of filings with no
filed date land in ``filing_year=NULL``); child tables take the year of their filing. An export
replaces the previous one table by table.
"""

from __future__ import annotations

from pathlib import Path

from extractors.schema import TABLES
from warehouse.store import Warehouse

# Each child row carries its filing's year, so every table partitions the same way.
EXPORT_QUERIES: dict[str, str] = {
    "filings": "SELECT *, year(filed_date) AS filing_year FROM filings",
    **{
        name: f"SELECT t.*, year(f.filed_date) AS filing_year FROM {name} t "
        f"JOIN filings f ON f.filing_id = t.filing_id"
        for name in TABLES
        if name != "filings"
    },
}
COPY_PARTITIONED = "COPY ({query}) TO '{path}' (FORMAT parquet, PARTITION_BY (filing_year), OVERWRITE)"
COPY_SINGLE = "COPY ({query}) TO '{path}' (FORMAT parquet)"
UNPARTITIONED = {"cusip_issuers": "SELECT * FROM cusip_issuers"}


def export_parquet(wh: Warehouse, out_dir: str | Path) -> dict[str, Path]:
    """Write every table as Parquet under ``out_dir``; return table -> where it went."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    with wh.one_turn():  # every table from one state of the database, though runs write meanwhile
        for name, query in EXPORT_QUERIES.items():
            target = out / name
            wh.execute(COPY_PARTITIONED.format(query=query, path=_sql_path(target)))
            written[name] = target
        for name, query in UNPARTITIONED.items():
            target = out / f"{name}.parquet"
            wh.execute(COPY_SINGLE.format(query=query, path=_sql_path(target)))
            written[name] = target
    return written


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")
