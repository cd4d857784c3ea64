"""Turn what the extractors produce into one clean Arrow batch the warehouse can load in one go.

Loading is fast only in whole Arrow batches (DuckDB inserts millions of rows a second from Arrow and
about a thousand a second row by row), so flows hand the warehouse the concatenation of many parsed
filings. This module conforms such a batch to the schema, removes duplicates (DuckDB's INSERT OR
REPLACE would silently keep the *first* of two equal keys in one batch; here the *last* wins, as a
later parse of the same bytes would), and adds the columns the warehouse computes: ``holder_key``
and ``holder_cusip`` to the reporting persons, and to the filings the digests of what the derived
tables read of each (``positions_digest``, ``filing_cusips_digest``: migration 008).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from extractors.model import ParsedFiling, rows_to_table
from extractors.schema import TABLES
from warehouse.identity import holder_key

# Rows of a child table that are "the same row" when one filing appears twice in a batch (only the
# duplicated filings' rows are deduplicated, so a filing that prints one item twice keeps both elsewhere).
CHILD_KEYS: dict[str, list[str]] = {
    "reporting_persons": ["filing_id", "seq"],
    "items": ["filing_id", "item_number"],
    "signatures": ["filing_id", "seq"],
}


# The raw-archive register's rows (table raw_archive, migration 001), loaded in the same transaction as
# the filings they hold the bytes of: a reparse of 400,000 filings must not commit 400,000 single rows.
RAW_ARCHIVE = pa.schema([
    pa.field("filing_id", pa.string(), nullable=False),
    pa.field("sha256", pa.string(), nullable=False),
    pa.field("path", pa.string(), nullable=False),
    pa.field("size_bytes", pa.int64()),
    pa.field("fetched_at", pa.timestamp("us"), nullable=False),
])


class PreparedBatch(dict):
    """The tables :func:`prepare` returns (conformed, deduplicated, holder columns added). A worker
    process may prepare a batch so the one writing process only loads it; ``Warehouse.load`` does not
    prepare such a batch twice."""

    # Whether a holder is printed twice for one CUSIP on one filing (:func:`repeats_a_holder`); until
    # known, assume so: the load then keeps each holder's first cover page the slower way.
    repeats_a_holder: bool = True


def raw_rows(rows: Iterable[tuple[str, str, str, int | None, dt.datetime]]) -> pa.Table:
    """(filing_id, sha256, path, size_bytes, fetched_at) rows as a RAW_ARCHIVE table (the last row of a
    filing wins, as the one-row INSERT OR REPLACE it replaces did)."""
    last = {r[0]: r for r in rows}
    cols = list(zip(*last.values(), strict=True)) if last else [[] for _ in RAW_ARCHIVE]
    return pa.table([pa.array(list(c), f.type) for c, f in zip(cols, RAW_ARCHIVE, strict=True)], schema=RAW_ARCHIVE)


def tables_from_parsed(parsed: Iterable[ParsedFiling]) -> dict[str, pa.Table]:
    """The rows of many parsed filings as one table per name (``ParsedFiling.to_arrow`` of each,
    concatenated, built in one conversion per table)."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for p in parsed:
        for name, part in p.rows().items():
            rows[name].extend(part)
    return {name: rows_to_table(rows[name], schema) for name, schema in TABLES.items()}


def conform(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    """Select and cast each table to its schema; a missing table is empty. Extra columns are ignored."""
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown tables {sorted(unknown)}; expected {sorted(TABLES)}")
    out = {}
    for name, schema in TABLES.items():
        t = tables.get(name)
        if t is None:
            out[name] = schema.empty_table()
            continue
        missing = [c for c in schema.names if c not in t.column_names]
        if missing:
            raise ValueError(f"table {name} lacks columns {missing}")
        out[name] = t.select(schema.names).cast(schema).combine_chunks()
    return out


def _keep_last(table: pa.Table, keys: list[str]) -> pa.Table:
    """Rows of ``table`` with the last occurrence of each key, in first-seen order of that last row."""
    if table.num_rows == 0:
        return table
    idx = table.select(keys).append_column("_row", pa.array(range(table.num_rows), pa.int64()))
    last = idx.group_by(keys, use_threads=False).aggregate([("_row", "max")]).column("_row_max")
    if len(last) == table.num_rows:
        return table
    return table.take(pc.take(last, pc.sort_indices(last)))


def _version_key(t: pa.Table) -> pa.ChunkedArray:
    return pc.binary_join_element_wise(t["filing_id"], t["parser_version"], "\x00")


def dedupe(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """One filings row per filing_id (the last), and for a repeated filing only the child rows of that
    row's parser version, one per child key (the last)."""
    filings = tables["filings"]
    if filings.num_rows == 0:
        return tables
    if pc.count_distinct(filings["filing_id"]).as_py() == filings.num_rows:
        return tables
    counts = filings.group_by("filing_id").aggregate([("filing_id", "count")])
    repeated = pc.filter(counts["filing_id"], pc.greater(counts["filing_id_count"], 1))
    filings = _keep_last(filings, ["filing_id"])
    out = {"filings": filings}
    kept = _version_key(filings)
    for name, keys in CHILD_KEYS.items():
        child = tables[name]
        if child.num_rows:
            child = child.filter(pc.is_in(_version_key(child), value_set=kept))
            is_rep = pc.is_in(child["filing_id"], value_set=repeated)
            child = pa.concat_tables([
                child.filter(pc.invert(is_rep)),
                _keep_last(child.filter(is_rep), keys),
            ])
        out[name] = child
    return out


def add_holder_columns(filings: pa.Table, persons: pa.Table) -> pa.Table:
    """Append ``holder_key`` and ``holder_cusip`` to reporting-person rows (see warehouse.identity).

    The filing's header (FILED BY names and CIKs, CUSIP) is looked up once per row through an index into
    the filings table; the key itself is memoised per distinct input, because a batch repeats the same
    few holders many times.
    """
    n = persons.num_rows
    if n == 0:
        return persons.append_column("holder_key", pa.array([], pa.string())).append_column(
            "holder_cusip", pa.array([], pa.string())
        )
    pos = pc.index_in(persons["filing_id"], value_set=filings["filing_id"])
    if pos.null_count:
        orphans = pc.filter(persons["filing_id"], pc.is_null(pos)).unique().to_pylist()[:5]
        raise ValueError(f"reporting_persons rows without a filings row: {orphans}")
    filing_cusip = pc.take(filings["cusip"], pos)
    holder_cusip = pc.coalesce(persons["cusip"], filing_cusip)

    filer_ciks = filings["filer_ciks"].to_pylist()
    filer_names = filings["filer_names"].to_pylist()
    cache: dict[tuple[Any, ...], str] = {}
    keys: list[str] = []
    for name, cik, p, fid, seq in zip(
        persons["name"].to_pylist(),
        persons["cik"].to_pylist(),
        pos.to_pylist(),
        persons["filing_id"].to_pylist(),
        persons["seq"].to_pylist(),
        strict=True,
    ):
        if name is None and cik is None:
            keys.append(holder_key(None, None, filing_id=fid, seq=seq))
            continue
        fc, fn = filer_ciks[p], filer_names[p]
        memo = (name, cik, tuple(fc) if fc else None, tuple(fn) if fn else None)
        key = cache.get(memo)
        if key is None:
            key = holder_key(name, cik, fc, fn, filing_id=fid, seq=seq)
            if not key.startswith("anon:"):
                cache[memo] = key
        keys.append(key)
    return persons.append_column("holder_key", pa.array(keys, pa.string())).append_column(
        "holder_cusip", holder_cusip
    )


# What the derived tables read of a filing and of its reporting persons: warehouse/store.py's
# _POSITION_ROWS (positions) and FILING_CUSIPS_SELECT (filing_cusips). A test holds these to the SELECTs.
POSITION_INPUTS: dict[str, tuple[str, ...]] = {
    "filings": ("filing_id", "accession_number", "form_type", "schedule", "is_amendment", "amendment_number",
                "filed_date", "event_date", "acceptance_datetime", "subject_cik", "issuer_cik", "issuer_name",
                "subject_name"),
    "reporting_persons": ("filing_id", "seq", "holder_cusip", "holder_key", "name", "cik", "member_of_group",
                          "sole_voting_power", "shared_voting_power", "sole_dispositive_power",
                          "shared_dispositive_power", "aggregate_amount", "excludes_certain_shares",
                          "percent_of_class", "citizenship_code"),
}
FILING_CUSIPS_INPUTS: tuple[str, ...] = ("filing_id", "cusip", "cusips", "subject_cik", "issuer_cik",
                                         "subject_name", "issuer_name", "filed_date")


# Between the printed forms of a row's values, and of a filing's rows; what a NULL prints as. Control
# characters, so that no printed value is mistaken for a boundary or a NULL in practice.
_FIELD_SEP, _ROW_SEP, _NULL = "\x1f", "\x1e", "\x00"


def _printed(table: pa.Table, columns: tuple[str, ...]) -> pa.Array:
    """Each row's values printed and joined into one string, in Arrow's vectorised kernels (a Python
    loop over the values cost 0.03 ms a filing, half of a 20,000-filing batch's preparation)."""
    parts = []
    for name in columns:
        col = table[name]
        if pa.types.is_list(col.type):
            col = pc.binary_join(col, _ROW_SEP)
        parts.append(pc.fill_null(pc.cast(col, pa.string()), _NULL))
    return pc.binary_join_element_wise(*parts, _FIELD_SEP).combine_chunks() if parts else pa.array([])


def _digests(printed: Iterable[str | None]) -> pa.Array:
    """64-bit digests of printed rows, the same in every process (Python's own hash() of a str is
    salted per process)."""
    return pa.array([int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
                     for t in printed], pa.uint64())


def add_digest_columns(filings: pa.Table, persons: pa.Table) -> pa.Table:
    """Append ``positions_digest`` and ``filing_cusips_digest`` to the filings: digests of the inputs each
    derived table's rows are computed from, so that a load replacing a stored filing can tell from the
    stored digests alone whether its derived rows change (equal inputs give equal rows)."""
    people = pa.table({"filing_id": persons["filing_id"], "seq": persons["seq"],
                       "row": _printed(persons, POSITION_INPUTS["reporting_persons"])})
    # A filing's persons in seq order, as one string: group the sorted rows (groups keep input order).
    people = people.sort_by([("filing_id", "ascending"), ("seq", "ascending")])
    grouped = people.group_by("filing_id", use_threads=False).aggregate([("row", "list")])
    at = pc.index_in(filings["filing_id"], value_set=grouped["filing_id"])
    their_rows = pc.fill_null(pc.take(pc.binary_join(grouped["row_list"], _ROW_SEP), at), "")
    positions = pc.binary_join_element_wise(_printed(filings, POSITION_INPUTS["filings"]), their_rows, _ROW_SEP)
    cusips = _printed(filings, FILING_CUSIPS_INPUTS)
    return filings.append_column("positions_digest", _digests(positions.to_pylist())).append_column(
        "filing_cusips_digest", _digests(cusips.to_pylist()))


def prepare(tables: Mapping[str, pa.Table]) -> PreparedBatch:
    """Conform, dedupe and enrich a batch; check every child row belongs to a filing in the batch."""
    if isinstance(tables, PreparedBatch):
        return tables
    t = PreparedBatch(dedupe(conform(tables)))
    ids = t["filings"]["filing_id"]
    for name in ("items", "signatures"):
        if t[name].num_rows:
            missing = pc.invert(pc.is_in(t[name]["filing_id"], value_set=ids))
            if pc.any(missing).as_py():
                orphans = pc.filter(t[name]["filing_id"], missing).unique().to_pylist()[:5]
                raise ValueError(f"{name} rows without a filings row: {orphans}")
    t["reporting_persons"] = add_holder_columns(t["filings"], t["reporting_persons"])
    t["filings"] = add_digest_columns(t["filings"], t["reporting_persons"])
    t.repeats_a_holder = repeats_a_holder(t["reporting_persons"])
    return t


_HOLDER_ON_FILING = ["holder_cusip", "holder_key", "filing_id"]


def repeats_a_holder(persons: pa.Table) -> bool:
    """True when some holder has two cover pages for one CUSIP on one filing (a joint page that lists it
    again): its positions row is then its first page's, which the load picks with a window. Most batches
    repeat nobody, and skip that window (~3 ms a 200-filing load at 1M filings)."""
    keyed = persons.select(_HOLDER_ON_FILING).filter(pc.is_valid(persons["holder_cusip"]))
    return keyed.group_by(_HOLDER_ON_FILING).aggregate([]).num_rows < keyed.num_rows
