"""A reparse parsed in worker processes stores exactly what a one-process reparse stores.

The archive holds every era and both schedules (SAVVIS's 13D history, three nightly days with a filing
that cannot be parsed, Meridian's 13G/13D history) and one damaged file; it is reparsed into two
databases, once in this process and once in two workers, and every table is compared row by row
(only the times of loading differ). Small batches make it many chunks, so the order of loading counts.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from crawler.archive import RawArchive
from flows import parse_pool, pipeline
from flows.config import Settings
from tests.edgar_13g_world import meridian_filings
from tests.edgar_world import nightly_filings, savvis_filings
from warehouse.store import Warehouse

# Columns that say when something happened, not what: they differ between any two runs.
WHEN = {"loaded_at", "fetched_at", "occurred_at", "first_seen", "resolved_at", "id"}
TABLES = ["filings", "reporting_persons", "items", "signatures", "positions", "filing_cusips", "cusip_issuers",
          "raw_archive", "failures"]


def _archive(root: Path) -> RawArchive:
    archive = RawArchive(root)
    texts = [t.encode("latin-1") for t in {**savvis_filings(), **nightly_filings()}.values()]
    for raw in [*texts, *meridian_filings()]:
        accession = re.search(rb"ACCESSION NUMBER:\s*(\S+)", raw).group(1).decode()
        archive.put(accession, raw)
    damaged = sorted(archive.accessions())[4]
    packed = archive.path(damaged).read_bytes()
    archive.path(damaged).write_bytes(packed[: len(packed) // 2])
    return archive


def _reparse(tmp: Path, archive: RawArchive, workers: int) -> dict[str, list[dict]]:
    settings = Settings(base_dir=tmp)
    settings.storage.archive_dir = str(archive.root)
    settings.flows.batch_size = 3
    settings.flows.parse_workers = workers
    with Warehouse.open(settings.database_path) as wh:
        summary = pipeline.reparse(settings, wh)
        tables = {}
        for t in TABLES:
            rows = wh.query(f"SELECT * FROM {t}").to_pylist()
            rows = [{k: v for k, v in r.items() if k not in WHEN} for r in rows]
            tables[t] = sorted(rows, key=repr)
    return {"summary": summary.as_dict(), **tables}


def test_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "raw")
    alone = _reparse(tmp_path / "one", archive, workers=1)
    shared = _reparse(tmp_path / "two", archive, workers=2)
    assert alone["summary"]["stored"] >= 15 and alone["summary"]["failed_reasons"] == {
        "parse: bad_xml": 1, "parse: archive_unreadable": 1}
    for name in ["summary", *TABLES]:
        assert shared[name] == alone[name], name
    assert len(alone["raw_archive"]) == alone["summary"]["stored"]  # bookkeeping loaded with the rows


def test_a_second_reparse_in_workers_leaves_every_filing_unchanged(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "raw")
    settings = Settings(base_dir=tmp_path)
    settings.storage.archive_dir = str(archive.root)
    settings.flows.batch_size = 4
    settings.flows.parse_workers = 2
    with Warehouse.open(settings.database_path) as wh:
        first = pipeline.reparse(settings, wh)
        wh.execute("UPDATE filings SET parser_version = '0.0.1' WHERE filing_id IN "
                   "(SELECT filing_id FROM filings ORDER BY filing_id LIMIT 5)")
        again = pipeline.reparse(settings, wh)
        pairs = wh.query("SELECT count(*) AS n FROM cusip_issuers")["n"][0].as_py()
    assert (again.stored, again.unchanged) == (5, first.stored - 5)
    assert pairs > 0


def _job(n: int) -> int:
    if n == 3:
        os._exit(1)  # a worker killed mid-job (the kernel's OOM killer does this to a hostile file)
    return n * 10


@pytest.mark.parametrize("order", [[0, 1, 2, 3, 4, 5], [0, 3, 1, 2, 4, 5]])
def test_a_worker_that_dies_costs_its_own_job_only(order: list[int]) -> None:
    # Second in the order, the dying job breaks the pool while the results before it are read and
    # more jobs are sent: the jobs sent to the broken pool are run again, not lost.
    got = list(parse_pool.ordered_map(_job, [(n,) for n in order], workers=2, in_flight=3,
                                      on_lost=lambda job, exc: f"lost {job[0]}"))
    assert got == [f"lost {n}" if n == 3 else n * 10 for n in order]


@pytest.mark.parametrize("in_flight", [1, 4])
def test_results_come_in_the_order_asked(in_flight: int) -> None:
    got = list(parse_pool.ordered_map(_job, [(n,) for n in (5, 4, 2, 1, 0)], workers=2, in_flight=in_flight,
                                      on_lost=lambda job, exc: None))
    assert got == [50, 40, 20, 10, 0]
