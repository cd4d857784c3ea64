"""Queries while a run writes: how long a reader waits for its turn, and what the turns cost the writer.

    .venv/bin/python -m bench.sharing_bench [--filings 100000] [--batches 40] [--gap 0.0]

Builds a database of ``--filings`` generated filings, then a writer process loads ``--batches`` batches
of 200 filings through a sharing Warehouse (as the flows do), ``--gap`` seconds apart (0: back to back,
the worst case for readers; a crawl at 10 requests/s makes 20 s between batches of 200). Meanwhile this
process opens the database read-only in sharing mode and asks one CUSIP's history, again and again.
Reported: the reader's latency (median, p95, max, open included), and the writer's seconds per batch
alone and with the reader (every reader turn makes the writer close and reopen its connection).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.warehouse_bench import _cusip, generate
from warehouse import Sharing, Warehouse

WRITER = r"""
import sys, time
from bench.warehouse_bench import generate
from warehouse import Sharing, Warehouse
db, start, batches, gap = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
wh = Warehouse.open(db, sharing=Sharing(notice=None))
print("OPEN", flush=True)
t0 = time.perf_counter()
for b in range(batches):
    wh.load(generate(start + b * 200, 200, 2000, 10000, seed=b))
    time.sleep(gap)
wh.close()
print((time.perf_counter() - t0 - gap * batches) / batches, flush=True)
"""


def writer(db: Path, start: int, batches: int, gap: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    p = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(start), str(batches), str(gap)],
                         stdout=subprocess.PIPE, text=True, env=env)
    assert p.stdout.readline().strip() == "OPEN"
    return p


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.sharing_bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filings", type=int, default=100_000)
    ap.add_argument("--batches", type=int, default=40)
    ap.add_argument("--gap", type=float, default=0.0)
    ap.add_argument("--out", default="bench/results/sharing_bench.json")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.duckdb"
        with Warehouse.open(db) as wh:
            for s in range(0, args.filings, 20_000):
                wh.load(generate(s, min(20_000, args.filings - s), 2000, 10000, seed=s))
        alone = writer(db, args.filings, args.batches, args.gap)
        alone_per_batch = float(alone.communicate()[0])
        busy = writer(db, args.filings + 10**6, args.batches, args.gap)
        reader = Sharing(notice=None, idle_release_seconds=0.0)
        latencies = []
        while busy.poll() is None:
            t = time.perf_counter()
            with Warehouse.open(db, read_only=True, sharing=reader) as wh:
                wh.ownership_history(_cusip(7))
            latencies.append(time.perf_counter() - t)
        shared_per_batch = float(busy.communicate()[0])
    latencies.sort()
    result = {"filings": args.filings, "batches": args.batches, "gap_s": args.gap, "queries": len(latencies),
              "query_ms_median": round(1000 * statistics.median(latencies), 1),
              "query_ms_p95": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
              "query_ms_max": round(1000 * latencies[-1], 1),
              "writer_s_per_batch_alone": round(alone_per_batch, 4),
              "writer_s_per_batch_with_reader": round(shared_per_batch, 4)}
    print(json.dumps(result, indent=2))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
