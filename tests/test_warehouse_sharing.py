"""Several processes at one database: writers take turns by the call, readers answer while a run writes,
the same run waits for the one before it, and a killed process never leaves the file locked.

Real processes on real files: DuckDB's one-process rule is what these tests are about.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warehouse import Sharing, Warehouse, WarehouseBusy
from warehouse.locks import LockTimeout, run_lock

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

# A writer as the flows are: a batch, then a pause (the crawl of the next batch), again and again.
WRITER = r"""
import sys, time
from bench.warehouse_bench import generate
from warehouse import Sharing, Warehouse
db, start, batches, gap, who = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
wh = Warehouse.open(db, sharing=Sharing(wait_seconds=60, who=who))
print("OPEN", flush=True)
for b in range(batches):
    wh.load(generate(start + b * 500, 500, 40, 200, seed=start + b))
    wh.record_failure(f"x-{start}-{b}", "fetch", "http_500", "detail")
    time.sleep(gap)
wh.close()
print("DONE", flush=True)
"""

# A writer that keeps its turn: its commit stalls (a long load) until it is killed.
STALLED = r"""
import sys, time
from bench.warehouse_bench import generate
from warehouse import Sharing, Warehouse
wh = Warehouse.open(sys.argv[1], sharing=Sharing(who="edgar13d backfill --cusip 805423100"))
commit = wh._commit
def stall():
    print("HOLDING", flush=True)
    time.sleep(120)
    commit()
wh._commit = stall
wh.load(generate(0, 100, 10, 50, seed=1))
"""

EXCLUSIVE = r"""
import sys, time
from warehouse import Warehouse
wh = Warehouse.open(sys.argv[1])
print("OPEN", flush=True)
time.sleep(float(sys.argv[2]))
wh.close()
print("CLOSED", flush=True)
"""


def _spawn(script: str, *args: object) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(proc: subprocess.Popen, word: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"process ended before {word}: {proc.stderr.read()}")
        if line.strip() == word:
            return
    raise AssertionError(f"no {word} within {timeout}s")


def _stop(*procs: subprocess.Popen) -> None:
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait(30)


def test_queries_answer_while_two_writers_load_and_nothing_is_stored_twice(tmp_path):
    db = tmp_path / "w.duckdb"
    Warehouse.open(db).close()
    # two runs; their batches overlap by half (the same filings found by a nightly and a backfill)
    a = _spawn(WRITER, db, 0, 8, 0.15, "edgar13d nightly")
    b = _spawn(WRITER, db, 2000, 8, 0.15, "edgar13d backfill --cusip 805423100")
    try:
        _wait_for(a, "OPEN")
        _wait_for(b, "OPEN")
        latencies, counts = [], []
        reader = Sharing(wait_seconds=30, notice=None)
        while a.poll() is None or b.poll() is None:
            start = time.monotonic()
            with Warehouse.open(db, read_only=True, sharing=reader) as wh:
                counts.append(wh.query("SELECT count(*) AS n FROM filings")["n"][0].as_py())
            latencies.append(time.monotonic() - start)
            time.sleep(0.05)
        assert a.wait(60) == 0 and b.wait(60) == 0, (a.stderr.read(), b.stderr.read())
    finally:
        _stop(a, b)
    assert len(latencies) >= 5 and counts == sorted(counts)  # readers got in, again and again
    assert max(latencies) < 3.0, latencies
    with Warehouse.open(db, read_only=True) as wh:
        # 0..3999 and 2000..5999: 6,000 distinct filings, each once; every run's failure log entries kept
        assert wh.query("SELECT count(*) AS n, count(DISTINCT filing_id) AS d FROM filings").to_pylist() == [
            {"n": 6000, "d": 6000}]
        assert wh.query("SELECT count(*) AS n FROM failures")["n"][0].as_py() == 16
    assert not (tmp_path / "w.duckdb.locks" / "holder.json").exists()


def test_a_writer_waits_for_the_one_holding_its_turn_and_says_whom(tmp_path):
    db = tmp_path / "t.duckdb"
    Warehouse.open(db).close()
    holder = _spawn(STALLED, db)
    notices: list[str] = []
    try:
        _wait_for(holder, "HOLDING")
        with pytest.raises(WarehouseBusy) as err:
            Warehouse.open(db, sharing=Sharing(wait_seconds=1.5, notice=notices.append, notice_after_seconds=0.5))
        assert f"PID {holder.pid}" in str(err.value) and "backfill --cusip 805423100" in str(err.value)
        assert "storage.lock_wait_seconds" in str(err.value)
        assert len(notices) == 1 and f"waiting for `edgar13d backfill --cusip 805423100` (PID {holder.pid}" in notices[0]
        # killed in the middle of its turn: the kernel drops its lock, the batch is rolled back
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
        start = time.monotonic()
        with Warehouse.open(db, sharing=Sharing(wait_seconds=10)) as wh:
            assert wh.query("SELECT count(*) AS n FROM filings")["n"][0].as_py() == 0
        assert time.monotonic() - start < 5
    finally:
        _stop(holder)


def test_a_program_holding_the_file_outside_the_turns_is_waited_out(tmp_path):
    db = tmp_path / "x.duckdb"
    Warehouse.open(db).close()
    other = _spawn(EXCLUSIVE, db, 1.5)
    notices: list[str] = []
    try:
        _wait_for(other, "OPEN")
        with Warehouse.open(db, read_only=True, sharing=Sharing(wait_seconds=30, notice=notices.append)) as wh:
            assert wh.query("SELECT count(*) AS n FROM filings")["n"][0].as_py() == 0
        assert other.wait(30) == 0
        assert len(notices) == 1 and f"process {other.pid}" in notices[0] and "not an edgar13d run" in notices[0]
    finally:
        _stop(other)


def test_the_connection_is_let_go_when_idle_so_other_programs_can_open_the_file(tmp_path):
    import duckdb

    db = tmp_path / "i.duckdb"
    with Warehouse.open(db, sharing=Sharing(idle_release_seconds=0.2)) as wh:
        wh.mark_day_done(__import__("datetime").date(2026, 3, 2))
        time.sleep(0.6)
        con = duckdb.connect(str(db), read_only=True)  # the DuckDB CLI, a notebook, between batches
        assert con.sql("SELECT count(*) FROM crawl_days").fetchall() == [(1,)]
        con.close()
        assert wh.last_day_done() is not None  # and the writer takes its turn again on its next call


RUN = r"""
import sys, time
from pathlib import Path
from warehouse.locks import run_lock
with run_lock(Path(sys.argv[1]), "nightly", wait_seconds=60, who="edgar13d nightly"):
    print("RUNNING", flush=True)
    time.sleep(float(sys.argv[2]))
print("DONE", flush=True)
"""


def test_a_second_run_of_the_same_kind_waits_for_the_first_then_runs(tmp_path):
    db = tmp_path / "r.duckdb"
    first = _spawn(RUN, db, 1.5)
    notices: list[str] = []
    try:
        _wait_for(first, "RUNNING")
        start = time.monotonic()
        with run_lock(db, "nightly", wait_seconds=30, notice=notices.append) as waited:
            _wait_for(first, "DONE")  # our turn came once the first had left its run
        assert waited >= 1.0 and time.monotonic() - start >= 1.0
        assert f"waiting for `edgar13d nightly` (PID {first.pid}" in notices[0]
        with pytest.raises(LockTimeout, match=r"flows\.run_wait_seconds"), \
                run_lock(db, "nightly", wait_seconds=0.3, notice=None), \
                run_lock(db, "nightly", wait_seconds=0.3, notice=None):
            pass
    finally:
        _stop(first)


def test_one_turn_keeps_the_file_for_a_whole_export_though_someone_waits(tmp_path):
    import threading

    db = tmp_path / "o.duckdb"
    got_in = threading.Event()

    def second_writer() -> None:
        with Warehouse.open(db, sharing=Sharing(wait_seconds=30, notice=None)):
            got_in.set()

    with Warehouse.open(db, sharing=Sharing(notice=None)) as wh, wh.one_turn():
        wh.mark_day_done(__import__("datetime").date(2026, 3, 2))
        t = threading.Thread(target=second_writer)
        t.start()
        assert not got_in.wait(0.6)  # it waits: calls inside one turn see one state of the database
        assert wh.last_day_done() is not None
    t.join(10)
    assert got_in.is_set()


def test_a_restricted_reader_stays_restricted_when_it_takes_its_turn_again(tmp_path):
    import duckdb

    db = tmp_path / "r.duckdb"
    Warehouse.open(db).close()
    with Warehouse.open(db, read_only=True, sharing=Sharing(idle_release_seconds=0.2)) as wh:
        wh.restrict_to_database()
        time.sleep(0.6)  # the connection is let go while idle; the next call opens a new one
        with pytest.raises(duckdb.PermissionException):
            wh.query(f"COPY (SELECT 1) TO '{tmp_path / 'x.csv'}'")
    assert not (tmp_path / "x.csv").exists()
