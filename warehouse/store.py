"""The DuckDB warehouse: open (and migrate), load Arrow batches atomically, keep crawl state and failures.

Why it is shaped this way:

- **One writer.** DuckDB lets one process open a file for writing and, while it does, no other process
  may open it at all (not even read-only). :meth:`Warehouse.open` turns DuckDB's lock error into
  :class:`WarehouseLocked`, naming the PID that holds the file.
- **Batches in transactions.** :meth:`Warehouse.load` writes a whole batch in one transaction: a crash
  (even ``kill -9``) leaves the database as it was before the batch; DuckDB's write-ahead log replays
  only committed transactions.
- **Idempotent.** A filing already stored with the same ``parser_version`` and ``content_sha256`` is left
  untouched; any other difference replaces all of that filing's rows in the four tables, atomically.
  The last load wins, also when it comes from an older parser (a deliberate ``reparse`` decides that).
- A ``Warehouse`` holds one DuckDB connection guarded by a lock, so threads may share it; calls are
  serialised.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from extractors.checks import CHECK_CODES
from extractors.model import ParsedFiling
from extractors.schema import TABLES
from warehouse import batch as batchmod
from warehouse import migrate
from warehouse.locks import LockTimeout, Sharing, describe, identity, lock_folder, read_holder, wait_for_flock

log = logging.getLogger("edgar13d.warehouse")

LOCK_MESSAGE = "Could not set lock on file"
_PID = re.compile(r"\(PID (\d+)\)")

STAGES = ("fetch", "parse", "load", "match")

# DuckDB checkpoints (folds its write-ahead log into the file) when the log passes 16 MB by default; at
# 1M filings each checkpoint cost 0.6-1 s whatever its size, i.e. most of a 20k-filing batch's load
# time. A larger log means fewer checkpoints (and, after a crash, a longer log replay on open).
CHECKPOINT_THRESHOLD = "256MB"


class WarehouseError(Exception):
    """Base class of the warehouse's own errors."""


class WarehouseLocked(WarehouseError):
    """Another process has the database file open (DuckDB allows one writer and then no readers)."""

    def __init__(self, path: Path, pid: int | None, detail: str) -> None:
        holder = f"process {pid}" if pid else "another process"
        super().__init__(
            f"The edgar13d database {path} is in use by {holder}. DuckDB lets one process write a "
            f"database and, while it does, no other process may open it, even read-only; edgar13d's own "
            f"runs and queries take turns, but this holder keeps the file (a DuckDB CLI, a notebook, a "
            f"program that opened it without sharing). Wait for it to close the file, or stop it"
            f"{f' (kill {pid})' if pid else ''}, then retry. To read while it holds the file, query the "
            f"Parquet export instead. (DuckDB said: {detail})"
        )
        self.path = path
        self.pid = pid


class WarehouseBusy(WarehouseError):
    """Another edgar13d process kept its turn at the database longer than ``storage.lock_wait_seconds``."""


class WarehouseTooNew(WarehouseError):
    """The database was written by a newer edgar13d whose schema this version does not know."""


class WarehouseNeedsMigration(WarehouseError):
    """A read-only open found an older schema; it must be opened once for writing to migrate."""


@dataclass(frozen=True)
class LoadResult:
    """What a load did, by filing: new, replaced (other parser version or bytes), or left as it was."""

    inserted: int
    replaced: int
    unchanged: int
    reporting_persons: int

    @property
    def written(self) -> int:
        return self.inserted + self.replaced


# Settings that leave a connection able to read its own database only (lock_configuration last: after it,
# none of them can be turned back on).
RESTRICT_TO_DATABASE = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET allow_community_extensions = false",
    "SET lock_configuration = true",
)

# --- SQL used by load ------------------------------------------------------------------------------
# Column lists come from extractors.schema, never typed twice.
_FILINGS_COLS = ", ".join(TABLES["filings"].names)
_PERSON_COLS = ", ".join([*TABLES["reporting_persons"].names, "holder_key", "holder_cusip"])
_DIGEST_COLS = "positions_digest, filing_cusips_digest"  # warehouse/batch.py: add_digest_columns
_ITEM_COLS = ", ".join(TABLES["items"].names)
_SIGNATURE_COLS = ", ".join(TABLES["signatures"].names)

# Each batch filing: stored or not; the same as stored (parser version and bytes); and, for one that
# replaces a stored filing, whether the rows it gives the two derived tables stay the same (by their
# digests, warehouse/batch.py and migration 008; NULL, not known, is not the same).
# The batch's ids are given as a list ($ids), not joined from the registered batch: DuckDB answers a
# constant list from the filings' primary-key index (5 ms at 1M filings), a join by scanning every
# stored filing (50 ms).
CLASSIFY_BATCH = """
SELECT b.filing_id,
       s.filing_id IS NOT NULL AS stored,
       coalesce(s.parser_version = b.parser_version AND s.content_sha256 = b.content_sha256, false) AS same,
       coalesce(s.positions_digest = b.positions_digest, false) AS same_positions,
       coalesce(s.filing_cusips_digest = b.filing_cusips_digest, false) AS same_filing_cusips
FROM _b_filings b
LEFT JOIN (SELECT filing_id, parser_version, content_sha256, positions_digest, filing_cusips_digest
           FROM filings WHERE list_contains($ids, filing_id)) s ON s.filing_id = b.filing_id
"""

CUSIPS_OF_FILINGS = """
SELECT DISTINCT c AS cusip FROM (
    SELECT unnest(list_append(coalesce(cusips, []::VARCHAR[]), cusip)) AS c FROM {table}
    WHERE filing_id IN (SELECT filing_id FROM {ids})
) WHERE c IS NOT NULL
"""
# The range test is redundant but lets DuckDB skip row groups by their min/max filing_id: a reparse
# replaces filings in accession order, so one batch's old rows sit together.
_REPLACED_RANGE = "filing_id BETWEEN $lo AND $hi AND filing_id IN (SELECT filing_id FROM _b_replaced)"
# A replaced filing's rows in these tables are deleted and its new rows inserted (they hold its parser
# version at least).
DELETE_REPLACED = [f"DELETE FROM {t} WHERE {_REPLACED_RANGE}" for t in TABLES]

# The rows of `filing_cusips` (migration 007) for a set of filings: one per filing x distinct CUSIP. (The
# other columns ride along the unnest: no join back to the filings, ~2 ms less a batch at 1M filings.)
FILING_CUSIPS_SELECT = """
SELECT cusip, filing_id, subject_cik, issuer_name, filed_date
FROM (
    SELECT unnest(list_distinct(list_append(coalesce(cusips, []::VARCHAR[]), cusip))) AS cusip, filing_id,
           coalesce(subject_cik, issuer_cik) AS subject_cik, coalesce(subject_name, issuer_name) AS issuer_name,
           filed_date
    FROM {filings} WHERE {where}
)
WHERE cusip IS NOT NULL
"""

# The rows of `positions` (migration 002) for a set of filings: one per CUSIP x holder x filing (a holder
# printed twice on one filing for one CUSIP keeps its first cover page).
_POSITION_ROWS = """
SELECT
    p.holder_cusip AS cusip, p.holder_key, p.filing_id, p.seq, p.name AS holder_name, p.cik AS holder_cik,
    f.accession_number, f.form_type, f.schedule,
    coalesce(f.is_amendment, f.amendment_number IS NOT NULL) AS is_amendment,
    f.amendment_number, f.filed_date, f.event_date, f.acceptance_datetime,
    coalesce(f.subject_cik, f.issuer_cik) AS subject_cik,
    coalesce(f.issuer_name, f.subject_name) AS issuer_name,
    p.member_of_group, p.sole_voting_power, p.shared_voting_power, p.sole_dispositive_power,
    p.shared_dispositive_power, p.aggregate_amount, p.excludes_certain_shares, p.percent_of_class,
    p.citizenship_code
FROM {persons} p
JOIN {filings} f ON f.filing_id = p.filing_id
WHERE p.holder_cusip IS NOT NULL {extra}
"""
POSITIONS_SELECT = _POSITION_ROWS + """
QUALIFY row_number() OVER (PARTITION BY p.holder_cusip, p.holder_key, p.filing_id ORDER BY p.seq) = 1
"""

# positions and filing_cusips are derived from the four tables (their SELECTs above). A replaced filing's
# derived rows are rewritten only where its new version gives other rows (CLASSIFY_BATCH): a reparse
# after a parser upgrade mostly finds the same holders, figures, CUSIPs and issuer, and deleting from
# positions, kept in CUSIP order rather than filing order, reads all of it.
DERIVED_TABLES = ("positions", "filing_cusips")
# The CUSIPs whose mapping rows a replacement changes: those its filings printed and those they print now.
CUSIPS_OF_STALE = """
SELECT cusip FROM filing_cusips
WHERE filing_id BETWEEN $lo AND $hi AND filing_id IN (SELECT filing_id FROM _b_stale_filing_cusips)
UNION
""" + CUSIPS_OF_FILINGS.format(table="_b_filings", ids="_b_stale_filing_cusips")
# Which filings' derived rows a load deletes (``_b_stale_<table>``) and inserts (``_b_new_<table>``).
# (The range test prunes filing_cusips, which is in filing order; positions is not, and reads it all.)
DELETE_STALE_DERIVED = {
    t: f"DELETE FROM {t} WHERE filing_id BETWEEN $lo AND $hi AND filing_id IN (SELECT filing_id FROM _b_stale_{t})"
    for t in DERIVED_TABLES
}
LOAD_ID_TABLES = [f"_b_{kind}_{t}" for t in DERIVED_TABLES for kind in ("stale", "new")]

# The batch's rows a load inserts: those of its changed filings (base tables, ``_b_changed``) and those of
# the filings whose derived rows are new (``_b_new_<table>``). Each statement comes in two forms (_forms):
# ``some`` with that filter, and ``all`` without it, for when the filter would keep every row of the batch
# (a nightly's new filings, a reparse after an upgrade): there it selects nothing less and costs ~1.5 ms a
# statement at 1M filings (bench/warehouse_bench.py).
_IN_CHANGED = "filing_id IN (SELECT filing_id FROM _b_changed)"
_IN_NEW = {t: f"filing_id IN (SELECT filing_id FROM _b_new_{t})" for t in DERIVED_TABLES}


def _forms(statement: Callable[[bool], str]) -> dict[str, str]:
    """A load statement with its filter (``some``) and without it (``all``): ``statement(filtered)``."""
    return {"some": statement(True), "all": statement(False)}


_BASE_INSERTS = [
    f"INSERT INTO filings ({_FILINGS_COLS}, loaded_at, {_DIGEST_COLS}) SELECT {_FILINGS_COLS}, $loaded_at,"
    f" {_DIGEST_COLS} FROM _b_filings",
    f"INSERT INTO reporting_persons ({_PERSON_COLS}) SELECT {_PERSON_COLS} FROM _b_persons",
    f"INSERT INTO items ({_ITEM_COLS}) SELECT {_ITEM_COLS} FROM _b_items",
    f"INSERT INTO signatures ({_SIGNATURE_COLS}) SELECT {_SIGNATURE_COLS} FROM _b_signatures",
]
INSERT_CHANGED = {"some": [f"{stmt} WHERE {_IN_CHANGED}" for stmt in _BASE_INSERTS], "all": _BASE_INSERTS}
INSERT_DERIVED = {
    "positions": _forms(lambda f: "INSERT INTO positions BY NAME " + POSITIONS_SELECT.format(
        persons="_b_persons", filings="_b_filings", extra=f"AND p.{_IN_NEW['positions']}" if f else "")),
    # A batch that repeats no holder on a filing (PreparedBatch.repeats_a_holder) has no row for the
    # window to drop: the same rows without it.
    "positions_unrepeated": _forms(lambda f: "INSERT INTO positions BY NAME " + _POSITION_ROWS.format(
        persons="_b_persons", filings="_b_filings", extra=f"AND p.{_IN_NEW['positions']}" if f else "")),
    "filing_cusips": _forms(lambda f: "INSERT INTO filing_cusips BY NAME " + FILING_CUSIPS_SELECT.format(
        filings="_b_filings", where=_IN_NEW["filing_cusips"] if f else "true")),
}

# The cusip_issuers rows (cusip, company) of a set of filing_cusips rows: the stored table's, or the
# batch's own (FILING_CUSIPS_SELECT), so a new filing's pairs and a rebuilt CUSIP's are one aggregate.
_ISSUER_ROWS = """
SELECT cusip, subject_cik,
       arg_max(issuer_name, coalesce(filed_date, DATE '0001-01-01')) AS issuer_name,
       min(filed_date) AS first_seen, max(filed_date) AS last_seen,
       count(DISTINCT filing_id)::INTEGER AS n_filings
FROM {rows}
WHERE {where} AND subject_cik IS NOT NULL
GROUP BY 1, 2
"""

# New filings' pairs merged into the stored ones (``some``/``all``: of the changed filings, or of the
# whole batch when every filing is changed, as INSERT_CHANGED).
UPSERT_CUSIP_ISSUERS = _forms(
    lambda f: "INSERT INTO cusip_issuers BY NAME " + _ISSUER_ROWS.format(
        rows="(" + FILING_CUSIPS_SELECT.format(filings="_b_filings", where=_IN_CHANGED if f else "true") + ")",
        where="true")
    + """
ON CONFLICT (cusip, subject_cik) DO UPDATE SET
    issuer_name = CASE WHEN coalesce(excluded.last_seen, DATE '0001-01-01')
                           >= coalesce(cusip_issuers.last_seen, DATE '0001-01-01')
                       THEN excluded.issuer_name ELSE cusip_issuers.issuer_name END,
    first_seen = least(cusip_issuers.first_seen, excluded.first_seen),
    last_seen = greatest(cusip_issuers.last_seen, excluded.last_seen),
    n_filings = cusip_issuers.n_filings + excluded.n_filings
"""
)

# The cusip_issuers rows of the CUSIPs a load touched, computed again from filing_cusips (only those
# CUSIPs' rows are read).
REBUILD_CUSIP_ISSUERS = (
    "DELETE FROM cusip_issuers WHERE cusip IN (SELECT cusip FROM _b_touched);\n"
    "INSERT INTO cusip_issuers BY NAME "
    + _ISSUER_ROWS.format(rows="filing_cusips", where="cusip IN (SELECT cusip FROM _b_touched)") + ";"
)

# positions in CUSIP order, so one CUSIP's rows sit in a few vectors instead of one per load batch: the
# one-CUSIP views fetch ~25 columns of each of its rows through the cusip index, and at 1M generated
# filings that fetch took 15 ms scattered, 5 ms clustered (bench/warehouse_bench.py). Loads append in
# their own order; a run that loaded many filings clusters again (flows.pipeline), a nightly's few
# hundred rows a day do not need it.
CLUSTER_POSITIONS = [
    "DROP INDEX IF EXISTS positions_cusip",
    "CREATE TEMP TABLE _positions_clustered AS SELECT * FROM positions ORDER BY cusip, holder_key, filing_id, seq",
    "DELETE FROM positions",
    "INSERT INTO positions SELECT * FROM _positions_clustered",
    "DROP TABLE _positions_clustered",
    "CREATE INDEX positions_cusip ON positions (cusip)",
]

RESOLVE_LOADED_FAILURES = """
UPDATE failures SET resolved_at = $now
WHERE resolved_at IS NULL AND filing_id IN (SELECT filing_id FROM _b_filings)
"""

# --- SQL of the state and query helpers ----------------------------------------------------------
INSERT_FAILURE = """
INSERT INTO failures (filing_id, stage, reason, detail, source, occurred_at, first_seen, tries, day)
VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id
"""
# Met again: the same open entry, one more try (the day it belongs to stays the first one known).
REFRESH_OPEN_FAILURE = """
UPDATE failures SET detail = ?, source = ?, occurred_at = ?, tries = coalesce(tries, 1) + 1,
                    day = coalesce(day, ?)
WHERE resolved_at IS NULL AND filing_id = ? AND stage = ? AND reason = ?
RETURNING id
"""
# A fetch met again under another reason (503, then a reset) is the same debt: its tries carry over.
TRIES_SO_FAR = """
SELECT coalesce(max(tries), 0), min(first_seen) FROM failures
WHERE resolved_at IS NULL AND filing_id = ? AND stage = ?
"""
CLOSE_OTHER_REASONS = """
UPDATE failures SET resolved_at = ? WHERE resolved_at IS NULL AND filing_id = ? AND stage = ? AND reason <> ?
"""
CARRY_TRIES = "UPDATE failures SET tries = ?, first_seen = ? WHERE id = ?"
# What a day still owes: its open fetch failures that were not given up.
DAY_DEBT = """
SELECT filing_id, reason, tries, first_seen FROM failures
WHERE day = ? AND stage = 'fetch' AND resolved_at IS NULL AND given_up_at IS NULL ORDER BY filing_id
"""
GIVE_UP_DAY = """
UPDATE failures SET given_up_at = ?
WHERE day = ? AND stage = 'fetch' AND resolved_at IS NULL AND given_up_at IS NULL
"""
OWED_DAYS = "SELECT day, detail, finished_at FROM crawl_days WHERE status = 'owed' ORDER BY day"
DEBT_SUMMARY = """
SELECT day, count(*) AS filings, min(first_seen) AS since, max(tries) AS tries FROM failures
WHERE stage = 'fetch' AND resolved_at IS NULL AND given_up_at IS NULL AND day IS NOT NULL
GROUP BY day ORDER BY day
"""
RESOLVE_FAILURES = """
UPDATE failures SET resolved_at = $now
WHERE resolved_at IS NULL AND filing_id = $id AND ($stage IS NULL OR stage = $stage)
"""
OPEN_FAILURES = """
SELECT * FROM failures WHERE resolved_at IS NULL AND ($stage IS NULL OR stage = $stage)
ORDER BY occurred_at, id
"""
MARK_DAY = """
INSERT OR REPLACE INTO crawl_days (day, status, n_filings, detail, finished_at) VALUES (?, ?, ?, ?, ?)
"""
# The nightly watermark passes a day whose index is late ('index_late') or whose filings are not all
# fetched yet ('owed'): such a day is looked at again on its own by every later run.
LAST_DAY_DONE = "SELECT max(day) FROM crawl_days WHERE status IN ('done', 'no_index', 'index_late', 'owed')"
LATE_DAYS = "SELECT day, detail, finished_at FROM crawl_days WHERE status = 'index_late' ORDER BY day"
DAYS_DONE = """
SELECT day FROM crawl_days WHERE status IN ('done', 'no_index') AND day BETWEEN ? AND ? ORDER BY day
"""
MARK_BACKFILL = """
INSERT OR REPLACE INTO backfills (kind, key, status, watermark, detail, last_run) VALUES (?, ?, ?, ?, ?, ?)
"""
GET_BACKFILL = "SELECT kind, key, status, watermark, detail, last_run FROM backfills WHERE kind = ? AND key = ?"
REGISTER_RAW = """
INSERT OR REPLACE INTO raw_archive (filing_id, sha256, path, size_bytes, fetched_at) VALUES (?, ?, ?, ?, ?)
"""
REGISTER_RAW_BATCH = """
INSERT OR REPLACE INTO raw_archive (filing_id, sha256, path, size_bytes, fetched_at)
SELECT filing_id, sha256, path, size_bytes, fetched_at FROM _b_raw
"""
RAW_PATH = "SELECT path FROM raw_archive WHERE filing_id = ?"
STORED_VERSIONS = """
SELECT filing_id, parser_version, content_sha256 FROM filings WHERE filing_id IN (SELECT unnest($ids))
"""
OUTDATED_FILINGS = "SELECT filing_id FROM filings WHERE parser_version <> ? ORDER BY filing_id"
OWNERSHIP_HISTORY_FOR = "SELECT * FROM ownership_history WHERE cusip = ? ORDER BY holder_key, report_number"
LATEST_POSITIONS_FOR = "SELECT * FROM latest_positions WHERE cusip = ? ORDER BY percent_of_class DESC NULLS LAST, holder_key"
LATEST_POSITIONS_ALL = "SELECT * FROM latest_positions ORDER BY cusip, percent_of_class DESC NULLS LAST, holder_key"
GROUP_POSITIONS_FOR = "SELECT * FROM group_positions WHERE cusip = ? ORDER BY filed_date, amendment_number NULLS FIRST, filing_id"
CIKS_FOR_CUSIP = """
SELECT cusip, subject_cik, issuer_name, first_seen, last_seen, n_filings FROM cusip_issuers
WHERE starts_with(cusip, upper(?)) ORDER BY last_seen DESC NULLS LAST, subject_cik, cusip
"""
CUSIPS_FOR_CIK = """
SELECT cusip, issuer_name, first_seen, last_seen, n_filings FROM cusip_issuers
WHERE subject_cik = ? ORDER BY last_seen DESC NULLS LAST, cusip
"""
STATUS_COUNTS = """
SELECT (SELECT count(*) FROM filings), (SELECT count(*) FROM reporting_persons),
       (SELECT count(*) FROM items), (SELECT count(*) FROM signatures),
       (SELECT count(*) FROM cusip_issuers), (SELECT max(filed_date) FROM filings),
       (SELECT count(*) FROM crawl_days WHERE status IN ('done', 'no_index'))
"""
STATUS_FAILURES = """
SELECT stage, reason, count(*) FROM failures WHERE resolved_at IS NULL GROUP BY ALL ORDER BY 3 DESC, 1, 2
"""
STATUS_SCHEDULES = "SELECT schedule, count(*) FROM filings GROUP BY 1 ORDER BY 1"
STATUS_PARSER_VERSIONS = "SELECT parser_version, count(*) FROM filings GROUP BY ALL ORDER BY 1"
# Reporting-person warnings by stable code ("percent_out_of_range: 112.0" counts as percent_out_of_range).
STATUS_PERSON_WARNINGS = """
SELECT trim(split_part(w, ':', 1)) AS code, count(*) AS n
FROM (SELECT unnest(warnings) AS w FROM reporting_persons)
GROUP BY 1 ORDER BY 2 DESC, 1
"""
# Persons whose warnings hold at least one failed check (the codes are extractors.checks.CHECK_CODES).
STATUS_PERSONS_FAILING = """
SELECT count(*) FROM reporting_persons
WHERE EXISTS (SELECT 1 FROM unnest(warnings) t(w) WHERE trim(split_part(w, ':', 1)) IN (SELECT unnest($codes)))
"""


class _Turns:
    """This process's side of the turn-taking at one database (the protocol is in ``warehouse.locks``)."""

    def __init__(self, path: Path, read_only: bool, sharing: Sharing) -> None:
        folder = lock_folder(path)
        folder.mkdir(parents=True, exist_ok=True)
        self._sharing = sharing
        self._exclusive = not read_only
        self._write_fd = os.open(folder / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
        self._wait_fd = os.open(folder / "waiting.lock", os.O_RDWR | os.O_CREAT, 0o644)
        self._holder = folder / "holder.json"
        self._yielded_at = -1.0

    def take(self, path: Path) -> None:
        # Just let go because someone waited: give them the moment to take their turn (they stop
        # waiting once they have it), so that this process does not take it straight back.
        while time.monotonic() - self._yielded_at < 0.2 and self._waiter_present():
            time.sleep(0.002)
        fcntl.flock(self._wait_fd, fcntl.LOCK_SH)  # "someone waits": holders only probe this for an instant
        try:
            what = f"{'writing' if self._exclusive else 'reading'} {path}"
            wait_for_flock(self._write_fd, self._exclusive, self._sharing.wait_seconds, what,
                           lambda: describe(read_holder(self._holder), "the edgar13d processes reading it"),
                           self._sharing.notice, self._sharing.notice_after_seconds, "storage.lock_wait_seconds",
                           max_delay=0.02)
        except LockTimeout as exc:
            raise WarehouseBusy(str(exc)) from exc
        finally:
            fcntl.flock(self._wait_fd, fcntl.LOCK_UN)

    def mark_holding(self) -> None:
        if self._exclusive:
            tmp = self._holder.with_name(f"holder.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(identity(self._sharing.who)))
            os.replace(tmp, self._holder)

    def give_back(self) -> None:
        if self._exclusive:
            self._holder.unlink(missing_ok=True)
        fcntl.flock(self._write_fd, fcntl.LOCK_UN)

    def someone_waits(self) -> bool:
        """True if another process waits for its turn; the holder then lets go (and later yields)."""
        if self._waiter_present():
            self._yielded_at = time.monotonic()
            return True
        return False

    def _waiter_present(self) -> bool:
        try:
            fcntl.flock(self._wait_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(self._wait_fd, fcntl.LOCK_UN)
        return False

    def close(self) -> None:
        for fd in (self._write_fd, self._wait_fd):
            os.close(fd)


def _restrict(con: duckdb.DuckDBPyConnection) -> None:
    for statement in RESTRICT_TO_DATABASE:
        con.execute(statement)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Warehouse:
    """An open edgar13d database. Use :meth:`open`; close it (or use ``with``) to release the file.

    Opened with a :class:`~warehouse.locks.Sharing`, the DuckDB connection is held only while a call
    runs (and up to ``idle_release_seconds`` after, unless someone waits): other edgar13d processes,
    writers and readers, take their turn between calls, so a query answers while a long run writes, and
    a second run's batches queue instead of failing. Without one, the file stays held until ``close``.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection | None, path: Path, read_only: bool,
                 sharing: Sharing | None = None) -> None:
        self._con = con
        self.path = path
        self.read_only = read_only
        self._lock = threading.RLock()
        self._sharing = sharing
        self._turns: _Turns | None = _Turns(path, read_only, sharing) if sharing else None
        self._depth = 0
        self._last_used = time.monotonic()
        self._closed = threading.Event()
        self._prepared = con is not None
        self._restricted = False  # see restrict_to_database: applied to every connection this opens
        if sharing is not None:
            threading.Thread(target=self._release_when_idle, name=f"warehouse-lease {path.name}",
                             daemon=True).start()

    # --- opening --------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, read_only: bool = False, sharing: Sharing | None = None) -> Warehouse:
        """Open (creating and migrating when writable) the database at ``path``.

        Raises :class:`WarehouseLocked` when another process holds the file (with ``sharing``: only once
        ``sharing.wait_seconds`` have passed), :class:`WarehouseTooNew` when a newer edgar13d wrote it,
        :class:`WarehouseNeedsMigration` for a read-only open of an older schema, FileNotFoundError for a
        read-only open of a missing file.
        """
        path = Path(path)
        if read_only and not path.exists():
            raise FileNotFoundError(f"no edgar13d database at {path}")
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        if sharing is not None:
            try:
                wh = cls(None, path, read_only, sharing)
            except OSError as exc:  # no lock folder beside the file (a read-only folder): hold it as before
                log.warning("cannot share %s with other edgar13d processes (%s): opening it for this one only",
                            path, exc)
                return cls(cls._connect(path, read_only, prepare=True), path, read_only)
            try:
                with wh._use():  # take a first turn now: migrations, and errors, at open as before
                    pass
            except BaseException:
                wh.close()
                raise
            return wh
        return cls(cls._connect(path, read_only, prepare=True), path, read_only)

    @classmethod
    def _connect(cls, path: Path, read_only: bool, prepare: bool) -> duckdb.DuckDBPyConnection:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if LOCK_MESSAGE in str(exc):
                m = _PID.search(str(exc))
                raise WarehouseLocked(path, int(m.group(1)) if m else None, str(exc)) from exc
            raise
        try:
            # DuckDB draws its own progress bar on stdout for statements past 2 s (a migration, clustering):
            # edgar13d's output is its own (and machine-read with --format csv).
            con.execute("SET enable_progress_bar = false")
            if not read_only:
                con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
            if prepare:
                cls._check_version(con, path, read_only)
                if not read_only:
                    migrate.apply_migrations(con)
                    migrate.apply_views(con)
        except BaseException:
            con.close()
            raise
        return con

    # --- taking turns (sharing) ---------------------------------------------------------------------
    @contextmanager
    def _use(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The connection for one call: held for the call, reopened for the next one if it was let go."""
        with self._lock:
            if self._turns is None:
                yield self._con
                return
            if self._closed.is_set():
                raise WarehouseError(f"{self.path} was closed")
            if self._con is None:
                self._take_turn()
            self._depth += 1
            try:
                yield self._con
            finally:
                self._depth -= 1
                self._last_used = time.monotonic()
                if self._depth == 0 and self._turns.someone_waits():
                    self._let_go()

    @contextmanager
    def one_turn(self) -> Iterator[Warehouse]:
        """Keep the file for every call inside the block, so they see one state of the database (an
        export of every table); without sharing it changes nothing."""
        with self._use():
            yield self

    def _take_turn(self) -> None:
        turns, sharing = self._turns, self._sharing
        deadline = time.monotonic() + sharing.wait_seconds
        turns.take(self.path)
        try:
            told = False
            while True:
                try:
                    self._con = self._connect(self.path, self.read_only, prepare=not self._prepared)
                    if self._restricted:
                        _restrict(self._con)
                    break
                except WarehouseLocked as exc:  # a program outside edgar13d's turns holds the file
                    if time.monotonic() >= deadline:
                        raise
                    if not told and sharing.notice:
                        told = True
                        holder = f"process {exc.pid}" if exc.pid else "another program"
                        sharing.notice(f"{self.path} is open in {holder}, which is not an edgar13d run (the "
                                       "DuckDB CLI, a notebook?): waiting for it to close the file")
                    time.sleep(0.2)
            self._prepared = True
            turns.mark_holding()
        except BaseException:
            if self._con is not None:
                self._con.close()
                self._con = None
            turns.give_back()
            raise

    def _let_go(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
            self._turns.give_back()

    def _release_when_idle(self) -> None:
        """Close the connection once idle for ``idle_release_seconds``, or at once when someone waits."""
        idle = self._sharing.idle_release_seconds
        while not self._closed.wait(0.05):
            if self._con is None or not self._lock.acquire(blocking=False):
                continue
            try:
                if self._con is not None and self._depth == 0 and (
                        time.monotonic() - self._last_used >= idle or self._turns.someone_waits()):
                    self._let_go()
            finally:
                self._lock.release()

    @staticmethod
    def _check_version(con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
        have, know = migrate.current_version(con), migrate.latest_version()
        if have > know:
            raise WarehouseTooNew(
                f"{path} has schema version {have}, written by a newer edgar13d; this edgar13d knows "
                f"versions up to {know}. Upgrade edgar13d (pip install -U edgar13d) to open it."
            )
        if read_only and have < know:
            raise WarehouseNeedsMigration(
                f"{path} has schema version {have}; this edgar13d needs {know}. Run `edgar13d migrate` "
                f"to bring it up to date (`edgar13d migrate --list` shows the steps), then retry."
            )

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            if self._turns is None:
                self._con.close()
            else:
                self._let_go()
                self._turns.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._use() as con:
            return migrate.current_version(con)

    # --- loading ----------------------------------------------------------------------------------
    def load_parsed(self, parsed: Iterable[ParsedFiling], raw: pa.Table | None = None) -> LoadResult:
        """Load many parsed filings as one batch (``raw``: their raw-archive rows, see :meth:`load`)."""
        return self.load(batchmod.tables_from_parsed(parsed), raw=raw)

    def load(self, tables: Mapping[str, pa.Table], raw: pa.Table | None = None) -> LoadResult:
        """Load one batch (tables keyed filings/reporting_persons/items/signatures) in one transaction.

        ``raw`` (``warehouse.batch.RAW_ARCHIVE`` rows) registers where the batch's raw bytes are kept, in
        the same transaction: bookkeeping costs one insert a batch, not one commit a filing."""
        b = batchmod.prepare(tables)
        names = {
            "_b_filings": b["filings"],
            "_b_persons": b["reporting_persons"],
            "_b_items": b["items"],
            "_b_signatures": b["signatures"],
        }
        if raw is not None:
            names["_b_raw"] = raw.select(batchmod.RAW_ARCHIVE.names).cast(batchmod.RAW_ARCHIVE)
        with self._use() as con:
            for name, table in names.items():
                con.register(name, table)
            try:
                con.execute("BEGIN TRANSACTION")
                try:
                    result = self._load_registered(con, b)
                    if raw is not None and raw.num_rows:
                        con.execute(REGISTER_RAW_BATCH)
                    self._commit()
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
            finally:
                for name in [*names, "_b_changed", "_b_replaced", "_b_touched", *LOAD_ID_TABLES]:
                    con.unregister(name)
        return result

    def _load_registered(self, con: duckdb.DuckDBPyConnection, b: batchmod.PreparedBatch) -> LoadResult:
        rows = con.execute(CLASSIFY_BATCH, {"ids": b["filings"]["filing_id"].to_pylist()}).fetchall()
        changed = [fid for fid, _stored, same, *_ in rows if not same]
        replacing = [(fid, same_positions, same_cusips)
                     for fid, stored, same, same_positions, same_cusips in rows if stored and not same]
        replaced = [fid for fid, *_ in replacing]
        now = _utcnow()
        inserted = sorted(set(changed) - set(replaced))
        # Replaced filings whose derived rows change: only theirs are deleted and written again.
        stale = {"positions": [fid for fid, same_positions, _ in replacing if not same_positions],
                 "filing_cusips": [fid for fid, _, same_cusips in replacing if not same_cusips]}
        new_rows = {table: inserted + ids for table, ids in stale.items()}

        def register_ids(name: str, ids: list[str]) -> None:
            # Only where a statement filters by the list: a registration costs ~0.5 ms.
            con.register(name, pa.table({"filing_id": pa.array(ids, pa.string())}))

        touched: set[str] = set()
        if replaced:
            bounds = {"lo": min(replaced), "hi": max(replaced)}
            register_ids("_b_replaced", replaced)
            for table, ids in stale.items():
                register_ids(f"_b_stale_{table}", ids)
            if stale["filing_cusips"]:
                touched = {r[0] for r in con.execute(CUSIPS_OF_STALE, bounds).fetchall()}
            for stmt in DELETE_REPLACED:
                con.execute(stmt, bounds)
            for table, ids in stale.items():
                if ids:
                    con.execute(DELETE_STALE_DERIVED[table], bounds)
        if changed:
            every_changed = len(changed) == len(rows)
            if not every_changed:
                register_ids("_b_changed", changed)
            inserts = INSERT_CHANGED["all" if every_changed else "some"]
            con.execute(inserts[0], {"loaded_at": now})
            for stmt in inserts[1:]:
                con.execute(stmt)
            for table, ids in new_rows.items():
                if len(ids) < len(rows):
                    register_ids(f"_b_new_{table}", ids)
                form = f"{table}_unrepeated" if table == "positions" and not b.repeats_a_holder else table
                con.execute(INSERT_DERIVED[form]["all" if len(ids) == len(rows) else "some"])
            if replaced:
                if inserted:  # new filings beside the replacing ones: their CUSIPs are rebuilt too
                    register_ids("_b_new_filing_cusips", new_rows["filing_cusips"])
                    new = CUSIPS_OF_FILINGS.format(table="_b_filings", ids="_b_new_filing_cusips")
                    touched |= {r[0] for r in con.execute(new).fetchall()}
                if touched:
                    con.register("_b_touched", pa.table({"cusip": pa.array(sorted(touched), pa.string())}))
                    con.execute(REBUILD_CUSIP_ISSUERS)
            else:
                con.execute(UPSERT_CUSIP_ISSUERS["all" if every_changed else "some"])
        con.execute(RESOLVE_LOADED_FAILURES, {"now": now})
        n_persons = b["reporting_persons"].num_rows if changed else 0
        if changed and len(changed) != len(rows):
            n_persons = con.execute(
                "SELECT count(*) FROM _b_persons WHERE filing_id IN (SELECT filing_id FROM _b_changed)"
            ).fetchall()[0][0]
        return LoadResult(
            inserted=len(changed) - len(replaced),
            replaced=len(replaced),
            unchanged=len(rows) - len(changed),
            reporting_persons=n_persons,
        )

    def _commit(self) -> None:
        """The one place a load commits (tests interpose here to crash a loader mid-transaction)."""
        self._con.execute("COMMIT")

    def cluster_positions(self) -> None:
        """Rewrite ``positions`` in CUSIP order (one transaction; a few seconds at 1M filings), so the
        one-CUSIP views read a few blocks; worth it after a run that loaded many filings."""
        with self._use() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                for stmt in CLUSTER_POSITIONS:
                    con.execute(stmt)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("CHECKPOINT")

    def stored_versions(self, filing_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """filing_id -> (parser_version, content_sha256) for the ids that are stored."""
        with self._use() as con:
            rows = con.execute(STORED_VERSIONS, {"ids": list(filing_ids)}).fetchall()
        return {fid: (ver, sha) for fid, ver, sha in rows}

    def outdated_filings(self, parser_version: str) -> list[str]:
        """Filings stored by another parser version: what a ``reparse`` should re-extract."""
        with self._use() as con:
            return [r[0] for r in con.execute(OUTDATED_FILINGS, [parser_version]).fetchall()]

    # --- failure log ------------------------------------------------------------------------------
    def record_failure(
        self,
        filing_id: str | None,
        stage: str,
        reason: str,
        detail: str | None = None,
        source: str | None = None,
        when: dt.datetime | None = None,
        day: dt.date | None = None,
    ) -> int:
        """Log a filing that could not be fetched/parsed/loaded/matched; returns the failure id.

        The same failure met again (a re-run, a reparse) refreshes the open entry instead of adding
        one, so the open failures count filings, not attempts; ``tries`` counts the runs that met it,
        also across reasons at the same stage. ``day``: the nightly day whose index listed the filing,
        which owes it until it is stored or given up.
        """
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, not {stage!r}")
        with self._use() as con:
            return self._record_failure(con, filing_id, stage, reason, detail, source, when or _utcnow(), day)

    def record_failures(self, failures: Iterable[tuple[str | None, str, str, str | None, str | None]]) -> None:
        """Log many failures ((filing_id, stage, reason, detail, source), as :meth:`record_failure` each)
        in one transaction: a batch of a reparse commits its failures once, not four times a filing."""
        failures = list(failures)
        if not failures:
            return
        for f in failures:
            if f[1] not in STAGES:
                raise ValueError(f"stage must be one of {STAGES}, not {f[1]!r}")
        now = _utcnow()
        with self._use() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                for filing_id, stage, reason, detail, source in failures:
                    self._record_failure(con, filing_id, stage, reason, detail, source, now, None)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    @staticmethod
    def _record_failure(con: duckdb.DuckDBPyConnection, filing_id: str | None, stage: str, reason: str,
                        detail: str | None, source: str | None, now: dt.datetime, day: dt.date | None) -> int:
        if filing_id is None:
            return int(con.execute(INSERT_FAILURE, [None, stage, reason, detail, source, now, now, day])
                       .fetchall()[0][0])
        same = con.execute(REFRESH_OPEN_FAILURE, [detail, source, now, day, filing_id, stage, reason]).fetchall()
        if same:
            return int(same[0][0])
        tries, since = con.execute(TRIES_SO_FAR, [filing_id, stage]).fetchall()[0]
        con.execute(CLOSE_OTHER_REASONS, [now, filing_id, stage, reason])
        row = con.execute(INSERT_FAILURE, [filing_id, stage, reason, detail, source, now, since or now, day])
        fid = int(row.fetchall()[0][0])
        if tries:
            con.execute(CARRY_TRIES, [int(tries) + 1, since or now, fid])
        return fid

    def day_debt(self, day: dt.date) -> list[dict[str, Any]]:
        """The filings a nightly day still owes: its open fetch failures not given up."""
        with self._use() as con:
            rows = con.execute(DAY_DEBT, [day]).fetchall()
        return [{"filing_id": f, "reason": r, "tries": t, "first_seen": s} for f, r, t, s in rows]

    def give_up_day(self, day: dt.date) -> int:
        """Stop trying the day's owed filings (they stay in the failure log, marked given up)."""
        with self._use() as con:
            rows = con.execute(GIVE_UP_DAY + " RETURNING id", [_utcnow(), day]).fetchall()
        return len(rows)

    def owed_days(self) -> list[dt.date]:
        with self._use() as con:
            return [r[0] for r in con.execute(OWED_DAYS).fetchall()]

    def debt(self) -> list[dict[str, Any]]:
        """Per owed day: how many filings, since when, the most tries (for ``status``)."""
        with self._use() as con:
            rows = con.execute(DEBT_SUMMARY).fetchall()
        return [{"day": d, "filings": n, "since": s, "tries": t} for d, n, s, t in rows]

    def resolve_failures(self, filing_id: str, stage: str | None = None) -> None:
        """Mark a filing's open failures resolved, of one stage or all (loading the filing does this by
        itself; a fetch that succeeds settles that filing's fetch failures, whatever comes next)."""
        with self._use() as con:
            con.execute(RESOLVE_FAILURES, {"now": _utcnow(), "id": filing_id, "stage": stage})

    def open_failures(self, stage: str | None = None) -> pa.Table:
        with self._use() as con:
            return con.sql(OPEN_FAILURES, params={"stage": stage}).to_arrow_table()

    # --- crawl state -------------------------------------------------------------------------------
    def mark_day_done(
        self, day: dt.date, n_filings: int | None = None, status: str = "done", detail: str | None = None
    ) -> None:
        """Record what the nightly made of ``day``: 'done', 'no_index' (none will come), 'index_late' (a past
        weekday without an index yet: re-checked later), 'partial', 'failed'."""
        with self._use() as con:
            con.execute(MARK_DAY, [day, status, n_filings, detail, _utcnow()])

    def last_day_done(self) -> dt.date | None:
        """The nightly watermark: the latest day whose index was fully processed (or had none)."""
        with self._use() as con:
            rows = con.execute(LAST_DAY_DONE).fetchall()
        return rows[0][0] if rows else None

    def late_days(self) -> list[dt.date]:
        """Past weekdays whose daily index EDGAR had not published when the nightly looked ('index_late')."""
        return [row["day"] for row in self.late_day_rows()]

    def late_day_rows(self) -> list[dict[str, Any]]:
        with self._use() as con:
            cur = con.execute(LATE_DAYS)
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def days_done(self, start: dt.date, end: dt.date) -> set[dt.date]:
        with self._use() as con:
            return {r[0] for r in con.execute(DAYS_DONE, [start, end]).fetchall()}

    def mark_backfill(
        self, kind: str, key: str, status: str, watermark: str | None = None, detail: str | None = None
    ) -> None:
        """Record how far a backfill (by CUSIP, CIK, quarter, ...) got."""
        with self._use() as con:
            con.execute(MARK_BACKFILL, [kind, key, status, watermark, detail, _utcnow()])

    def backfill_state(self, kind: str, key: str) -> dict[str, Any] | None:
        with self._use() as con:
            cur = con.execute(GET_BACKFILL, [kind, key])
            cols = [d[0] for d in cur.description]
            rows = cur.fetchall()
        return dict(zip(cols, rows[0], strict=True)) if rows else None

    # --- raw archive register ------------------------------------------------------------------------
    def register_raw(
        self, filing_id: str, sha256: str, path: str, size_bytes: int | None = None,
        fetched_at: dt.datetime | None = None,
    ) -> None:
        with self._use() as con:
            con.execute(REGISTER_RAW, [filing_id, sha256, path, size_bytes, fetched_at or _utcnow()])

    def register_raw_rows(self, raw: pa.Table) -> None:
        """Register many raw files at once (``warehouse.batch.RAW_ARCHIVE`` rows), in one statement."""
        if not raw.num_rows:
            return
        with self._use() as con:
            con.register("_b_raw", raw.select(batchmod.RAW_ARCHIVE.names).cast(batchmod.RAW_ARCHIVE))
            try:
                con.execute(REGISTER_RAW_BATCH)
            finally:
                con.unregister("_b_raw")

    def raw_path(self, filing_id: str) -> str | None:
        with self._use() as con:
            rows = con.execute(RAW_PATH, [filing_id]).fetchall()
        return rows[0][0] if rows else None

    # --- queries -------------------------------------------------------------------------------------
    def query(self, sql: str, params: Any = None) -> pa.Table:
        """Run any SQL and return an Arrow table (read-only opens reject writes)."""
        with self._use() as con:
            return con.sql(sql, params=params).to_arrow_table()

    def restrict_to_database(self) -> None:
        """From now on this connection reads the database and nothing else: no files (``COPY ... TO``,
        ``read_csv('/etc/passwd')``, ``ATTACH``), no extension installs or loads (no network), and no
        setting can be changed back. For queries a user types (``edgar13d sql``), which must not be able
        to overwrite the raw archive or write files, whatever a read-only database allows."""
        with self._use() as con:
            self._restricted = True  # a turn given back and taken again opens a new connection: it too
            _restrict(con)

    def execute(self, sql: str, params: Any = None) -> None:
        """Run a statement for its effect (COPY, CHECKPOINT, ...)."""
        with self._use() as con:
            con.execute(sql, params)

    def export_parquet(self, out_dir: str | Path) -> dict[str, Path]:
        """Parquet copy of every table, partitioned by filing year (see warehouse.export)."""
        from warehouse.export import export_parquet

        return export_parquet(self, out_dir)

    def ownership_history(self, cusip: str) -> pa.Table:
        """Every reported stake in one CUSIP, per holder in filing order, with the changes."""
        return self.query(OWNERSHIP_HISTORY_FOR, [cusip])

    def latest_positions(self, cusip: str | None = None) -> pa.Table:
        """Each holder's latest reported stake, for one CUSIP or for all."""
        if cusip is None:
            return self.query(LATEST_POSITIONS_ALL)
        return self.query(LATEST_POSITIONS_FOR, [cusip])

    def group_positions(self, cusip: str) -> pa.Table:
        return self.query(GROUP_POSITIONS_FOR, [cusip])

    def ciks_for_cusip(self, cusip: str) -> list[dict[str, Any]]:
        """Companies (subject CIKs) the filings tie to a CUSIP, most recently seen first.

        A watchlist may name 9 characters, 8 (no check digit) or 6 (the issuer): shorter values match
        every stored CUSIP they begin, so each row says which CUSIP it is about."""
        return self.query(CIKS_FOR_CUSIP, [cusip]).to_pylist()

    def cusips_for_cik(self, cik: str) -> list[dict[str, Any]]:
        return self.query(CUSIPS_FOR_CIK, [cik]).to_pylist()

    def status(self) -> dict[str, Any]:
        """Counts for ``edgar13d status``: rows, open failures by (stage, reason), nightly watermark."""
        with self._use() as con:
            f, p, i, s, ci, last_filed, n_days = con.execute(STATUS_COUNTS).fetchall()[0]
            failures = {(st, rs): n for st, rs, n in con.execute(STATUS_FAILURES).fetchall()}
            versions = dict(con.execute(STATUS_PARSER_VERSIONS).fetchall())
            schedules = dict(con.execute(STATUS_SCHEDULES).fetchall())
            person_warnings = dict(con.execute(STATUS_PERSON_WARNINGS).fetchall())
            failing = con.execute(STATUS_PERSONS_FAILING, {"codes": sorted(CHECK_CODES)}).fetchall()[0][0]
            version = migrate.current_version(con)
        return {
            "path": str(self.path),
            "schema_version": version,
            "filings": f,
            "filings_by_schedule": schedules,
            "reporting_persons": p,
            "items": i,
            "signatures": s,
            "cusip_issuer_pairs": ci,
            "last_filed_date": last_filed,
            "days_done": n_days,
            "last_day_done": self.last_day_done(),
            "late_days": self.late_day_rows(),
            "debt": self.debt(),
            "open_failures": failures,
            "open_failures_total": sum(failures.values()),
            "parser_versions": versions,
            "person_warnings": person_warnings,
            "persons_failing_checks": failing,
        }
