"""Crash safety and the one-writer rule, with real processes on real database files.

A loader process is killed with SIGKILL in the middle of a large batch; reopening must show either the
whole batch or none of it, and the batches committed before it intact. A second process that tries to
open a database in use gets WarehouseLocked naming the holder's PID.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warehouse import Warehouse, WarehouseLocked

REPO = Path(__file__).resolve().parents[1]
BIG = 60_000  # filings in the batch that gets killed: ~130k reporting-person rows, > one DuckDB row group

LOADER = r"""
import sys, time
from bench.warehouse_bench import generate
from warehouse import Warehouse

db, mode, big = sys.argv[1], sys.argv[2], int(sys.argv[3])
wh = Warehouse.open(db)
wh.load(generate(0, 1000, 50, 300, seed=1))
wh.load(generate(1000, 1000, 50, 300, seed=2))
print("COMMITTED", flush=True)
batch = generate(2000, big, 50, 300, seed=3)
if mode == "before_commit":
    commit = wh._commit
    def stall():
        print("UNCOMMITTED", flush=True)  # every row of the batch is written, none committed
        time.sleep(120)
        commit()
    wh._commit = stall
print("LOADING", flush=True)
wh.load(batch)
print("DONE", flush=True)
time.sleep(120)
"""

HOLDER = r"""
import sys, time
from warehouse import Warehouse
wh = Warehouse.open(sys.argv[1])
print("OPEN", flush=True)
time.sleep(120)
"""


def _spawn(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(proc: subprocess.Popen, word: str, timeout: float = 60) -> list[str]:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"process ended before {word}: {seen} {proc.stderr.read()}")
        seen.append(line.strip())
        if line.strip() == word:
            return seen
    raise AssertionError(f"no {word} within {timeout}s: {seen}")


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL


def _check_consistent(db: Path) -> int:
    """Counts agree across tables, the committed batches are whole; returns the number of filings."""
    with Warehouse.open(db) as wh:
        n = wh.query("SELECT count(*) AS n FROM filings")["n"][0].as_py()
        orphans = wh.query(
            "SELECT (SELECT count(*) FROM reporting_persons WHERE filing_id NOT IN (SELECT filing_id FROM filings))"
            " + (SELECT count(*) FROM items WHERE filing_id NOT IN (SELECT filing_id FROM filings)) AS n")
        assert orphans["n"][0].as_py() == 0
        # every filing has its two items and positions mirror reporting_persons
        per_filing = wh.query("SELECT count(*) AS n FROM items")["n"][0].as_py()
        assert per_filing == 2 * n
        persons = wh.query("SELECT count(*) AS n FROM reporting_persons")["n"][0].as_py()
        assert persons >= n
        distinct = wh.query("SELECT count(*) AS n FROM (SELECT DISTINCT holder_cusip, holder_key, filing_id"
                            " FROM reporting_persons)")
        assert wh.query("SELECT count(*) AS n FROM positions")["n"][0].as_py() == distinct["n"][0].as_py()
        # the two batches committed before the crash are all there
        early = wh.query("SELECT count(*) AS n FROM filings WHERE filing_id < '0000002000'")["n"][0].as_py()
        assert early == 2000
        assert sum(wh.query("SELECT n_filings FROM cusip_issuers")["n_filings"].to_pylist()) == n
    return n


@pytest.mark.slow
def test_kill_before_commit_keeps_nothing_of_the_batch(tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    proc = _spawn(LOADER, str(db), "before_commit", str(BIG))
    try:
        _wait_for(proc, "UNCOMMITTED")
    finally:
        _kill(proc)
    assert _check_consistent(db) == 2000


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_kill_at_a_random_moment_of_the_load_is_all_or_nothing(tmp_path: Path, seed: int) -> None:
    db = tmp_path / "r.duckdb"
    proc = _spawn(LOADER, str(db), "plain", str(BIG))
    try:
        _wait_for(proc, "LOADING")
        time.sleep(random.Random(seed).uniform(0.1, 0.8))
    finally:
        _kill(proc)
    assert _check_consistent(db) in (2000, 2000 + BIG)


@pytest.mark.slow
def test_second_process_gets_a_clear_lock_error(tmp_path: Path) -> None:
    db = tmp_path / "l.duckdb"
    Warehouse.open(db).close()
    proc = _spawn(HOLDER, str(db))
    try:
        _wait_for(proc, "OPEN")
        for read_only in (False, True):
            with pytest.raises(WarehouseLocked) as err:
                Warehouse.open(db, read_only=read_only)
            assert err.value.pid == proc.pid
            assert f"in use by process {proc.pid}" in str(err.value)
            assert "Parquet export" in str(err.value)
    finally:
        _kill(proc)
    Warehouse.open(db, read_only=True).close()  # free again once the holder is gone
